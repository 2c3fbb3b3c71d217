"""What the poster's QR codes carry: a ``WIFI:`` join code and the kiosk's address.

We build the Wi-Fi payload ourselves instead of segno.helpers.make_wifi_data
because segno does not escape ``,``, which ZXing's format lists as special.
"""

from __future__ import annotations

from ..errors import ConfigError

_SPECIAL = '\\;,:"'


def escape_wifi(value: str) -> str:
    """Backslash-escape ``\\ ; , : "`` as the ZXing ``WIFI:`` format asks."""
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in value)


def check_wifi(ssid: str, password: str) -> None:
    """Refuse a name or password no phone could join, before it is printed on a wall."""
    if not ssid:
        raise ConfigError('ssid is empty: set the hotspot\'s Wi-Fi name (ssid = "...")')
    if len(ssid.encode("utf-8")) > 32:
        raise ConfigError(
            f"ssid {ssid!r} is {len(ssid.encode('utf-8'))} bytes; Wi-Fi names are at most "
            "32 bytes. Use a shorter name."
        )
    if password and not 8 <= len(password) <= 63:
        raise ConfigError(
            f"wifi_password has {len(password)} characters; WPA2 needs 8 to 63 "
            "(or leave it empty for an open hotspot)"
        )
    if any(ord(ch) < 32 for ch in ssid + password):
        raise ConfigError("ssid and wifi_password must not contain control characters")


def wifi_payload(ssid: str, password: str = "") -> str:
    """``WIFI:T:WPA;S:…;P:…;;`` (or ``T:nopass`` without a password)."""
    check_wifi(ssid, password)
    if password:
        return f"WIFI:T:WPA;S:{escape_wifi(ssid)};P:{escape_wifi(password)};;"
    return f"WIFI:T:nopass;S:{escape_wifi(ssid)};;"
