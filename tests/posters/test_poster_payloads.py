"""The WIFI: payload: escaping, round trip through a ZXing-rule parser, bad settings."""

import pytest

from kiosk.errors import ConfigError
from kiosk.posters.payloads import escape_wifi, wifi_payload

from .decoders import parse_wifi


@pytest.mark.parametrize(
    "raw, escaped",
    [
        ("plain name", "plain name"),
        ("a;b", "a\\;b"),
        ("a,b", "a\\,b"),
        ("a:b", "a\\:b"),
        ("a\\b", "a\\\\b"),
        ('a"b', 'a\\"b'),
        ('\\;,:"', '\\\\\\;\\,\\:\\"'),
        ("Désa", "Désa"),
    ],
)
def test_escape_wifi(raw, escaped):
    assert escape_wifi(raw) == escaped


@pytest.mark.parametrize(
    "ssid, password",
    [
        ("Info Desa Kemlagi", ""),
        ("Info Desa Kemlagi", "rahasia123"),
        ('Balai; Desa, "A":B\\C', 'p@ss;w,o:r\\d"x y'),
        ("\\", "\\\\\\\\\\\\\\\\"),
        ("Désa Ñgawi ☕", "kata sandi ☕ panjang"),
        ("x" * 32, "y" * 63),
    ],
)
def test_wifi_payload_parses_back(ssid, password):
    fields = parse_wifi(wifi_payload(ssid, password))
    assert fields["S"] == ssid
    if password:
        assert fields == {"T": "WPA", "S": ssid, "P": password}
    else:
        assert fields == {"T": "nopass", "S": ssid}


def test_open_hotspot_payload_is_exact():
    assert wifi_payload("Info Desa Betro") == "WIFI:T:nopass;S:Info Desa Betro;;"
    assert wifi_payload("A;B", "12345678") == "WIFI:T:WPA;S:A\\;B;P:12345678;;"


@pytest.mark.parametrize(
    "ssid, password, words",
    [
        ("", "", "ssid is empty"),
        ("x" * 33, "", "33 bytes"),
        ("é" * 17, "", "34 bytes"),
        ("ok", "short", "8 to 63"),
        ("ok", "y" * 64, "8 to 63"),
        ("line\nbreak", "", "control characters"),
    ],
)
def test_unjoinable_wifi_settings_are_refused(ssid, password, words):
    with pytest.raises(ConfigError, match=words):
        wifi_payload(ssid, password)
