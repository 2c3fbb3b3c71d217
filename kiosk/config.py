"""The hall's settings, layered in one fixed order.

embedded defaults → the TOML file (``--config`` or ``KIOSK_CONFIG``) → ``KIOSK_*``
environment → test overrides. With nothing configured the kiosk runs as a demo:
the bundled catalog, 127.0.0.1:8080, a temp state folder, a folder printer and
simulated buttons. Every setting is listed in ``SETTINGS``; docs/settings.md
documents each one (a test checks that).
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_CONFIG_FILE = "/etc/kiosk/kiosk.toml"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    type: type


SETTINGS: tuple[Setting, ...] = (
    Setting("village", "kemlagi", "Id of the village (desa) this kiosk stands in.", str),
    Setting("host", "127.0.0.1", "Address the web server binds to.", str),
    Setting("port", 8080, "Port the web server listens on.", int),
    Setting(
        "portal_address",
        "",
        "Address residents reach the kiosk at (host[:port], e.g. 10.42.0.1). "
        "Empty: host:port. Requests for any other host are sent here (captive portal).",
        str,
    ),
    Setting(
        "portal_hosts",
        [],
        "Extra host names that are the kiosk's own (not redirected), e.g. ['pelita.desa'].",
        list,
    ),
    Setting(
        "public_url",
        "",
        "Public internet address of the catalog, if the kecamatan publishes one (shown on "
        "slips and posters as a second QR). Empty: none.",
        str,
    ),
    Setting(
        "state_dir",
        "",
        "Folder for the catalog store, spool and status files. Empty: a folder in the "
        "system temp dir (demo). On a kiosk: /var/lib/kiosk.",
        str,
    ),
    Setting(
        "catalog_release",
        "",
        "A compiled catalog release (JSON) to serve while the store holds none. "
        "Empty: the catalog bundled with the package.",
        str,
    ),
    Setting(
        "captive_success_minutes",
        60,
        "After a phone taps 'Selesai' on the portal, answer its OS's connectivity checks "
        "with 'online' for this many minutes so it stays on the Wi-Fi.",
        int,
    ),
    Setting(
        "web_threads",
        2,
        "Worker threads of the web server. Cached pages take microseconds, so more threads "
        "only add hand-offs (see docs/performance.md); 2 keeps one slow request from "
        "stalling the rest.",
        int,
    ),
    Setting(
        "ssid",
        "Info Desa {desa}",
        "Wi-Fi name (SSID) of the kiosk's hotspot. On posters, {desa} stands for the "
        "village's name (and on the site); the default gives every village its own Wi-Fi name.",
        str,
    ),
    Setting("wifi_password", "", "Wi-Fi password (WPA2); empty for an open hotspot.", str),
    Setting("hub_url", "", "URL of the kecamatan's catalog hub (TUF repository).", str),
    Setting(
        "trust_root",
        "",
        "Trusted TUF root.json shipped with the install (read-only). "
        "On a kiosk: /usr/share/kiosk/trust/root.json.",
        str,
    ),
    Setting("sync_connect_timeout", 10, "Seconds to wait for the hub to accept a connection.", int),
    Setting(
        "sync_read_timeout", 30, "Seconds of silence from the hub before a sync gives up.", int
    ),
    Setting("sync_max_seconds", 300, "Longest one download of a sync may take (slow drip).", int),
    Setting("paper_width", 58, "Printer paper width in mm: 58 or 80.", int),
    Setting(
        "printer",
        {"type": "folder"},
        "Printer backend as a table: type = folder | usb | serial | network | file | dummy, "
        "plus its options (see docs/printer.md).",
        dict,
    ),
    Setting(
        "buttons",
        [],
        "Physical buttons: a list of tables {pin = 17, service = 'ktp-el-baru'}.",
        list,
    ),
    Setting("led_pin", 0, "GPIO pin of the status LED; 0 for none.", int),
    Setting(
        "button_cooldown_seconds", 5, "Minimum seconds between two slips from one button.", int
    ),
    Setting(
        "web_print_per_minute",
        1,
        "Slips one phone may order from the site per minute.",
        int,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}
_KINDS = {int: "a whole number", str: "text", list: "a list", dict: "a table"}


@dataclass(frozen=True)
class Config:
    """Resolved settings. Build it with :func:`load_config`."""

    village: str = "kemlagi"
    host: str = "127.0.0.1"
    port: int = 8080
    portal_address: str = ""
    portal_hosts: list = field(default_factory=list)
    public_url: str = ""
    state_dir: str = ""
    catalog_release: str = ""
    captive_success_minutes: int = 60
    web_threads: int = 2
    ssid: str = "Info Desa {desa}"
    wifi_password: str = ""
    hub_url: str = ""
    trust_root: str = ""
    sync_connect_timeout: int = 10
    sync_read_timeout: int = 30
    sync_max_seconds: int = 300
    paper_width: int = 58
    printer: dict = field(default_factory=lambda: {"type": "folder"})
    buttons: list = field(default_factory=list)
    led_pin: int = 0
    button_cooldown_seconds: int = 5
    web_print_per_minute: int = 1
    source: str = "embedded defaults"

    @property
    def portal(self) -> str:
        """host[:port] residents use to reach the kiosk."""
        if self.portal_address:
            return self.portal_address
        return self.host if self.port == 80 else f"{self.host}:{self.port}"

    @property
    def portal_url(self) -> str:
        return f"http://{self.portal}/"

    @property
    def state_path(self) -> Path:
        if self.state_dir:
            return Path(self.state_dir)
        return Path(tempfile.gettempdir()) / f"pelita-kiosk-{os.getuid()}"

    def ssid_for(self, village_name: str) -> str:
        """The Wi-Fi name of a village's kiosk: ``{desa}`` in ``ssid`` is the village."""
        return self.ssid.replace("{desa}", village_name)

    def replace(self, **changes) -> Config:
        return dataclasses.replace(self, **changes)


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    if setting.type is int and isinstance(value, str):
        try:
            return int(value, 0)
        except ValueError:
            raise ConfigError(
                f"{where}: {setting.name} must be a whole number, not {value!r}"
            ) from None
    if setting.type in (list, dict) and isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            if setting.name == "printer":  # KIOSK_PRINTER=dummy is the common case
                return {"type": value}
            raise ConfigError(f"{where}: {setting.name} must be JSON, not {value!r}") from None
    if setting.type is int and isinstance(value, bool) or not isinstance(value, setting.type):
        raise ConfigError(f"{where}: {setting.name} must be {_KINDS[setting.type]}, not {value!r}")
    return value


def _layer(values: dict, layer: dict, where: str) -> None:
    for name, value in layer.items():
        setting = _BY_NAME.get(name)
        if setting is None:
            known = ", ".join(sorted(_BY_NAME))
            raise ConfigError(f"{where}: unknown setting {name!r} (known: {known})")
        values[name] = _coerce(setting, value, where)


def load_config(
    config_file: str | os.PathLike | None = None,
    env: dict[str, str] | None = None,
    overrides: dict | None = None,
) -> Config:
    """Resolve settings: defaults → TOML file → KIOSK_* env → ``overrides``.

    ``config_file`` None means ``KIOSK_CONFIG`` or, if it exists, /etc/kiosk/kiosk.toml.
    """
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    source = "embedded defaults"
    if config_file is None:
        config_file = env.get("KIOSK_CONFIG") or (
            DEFAULT_CONFIG_FILE if Path(DEFAULT_CONFIG_FILE).is_file() else None
        )
    if config_file:
        path = Path(config_file)
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        _layer(values, data, str(path))
        source = str(path)
    env_layer = {
        name[len("KIOSK_") :].lower(): value
        for name, value in env.items()
        if name.startswith("KIOSK_") and name[len("KIOSK_") :].lower() in _BY_NAME
    }
    _layer(values, env_layer, "environment")
    _layer(values, overrides or {}, "overrides")
    config = Config(**values, source=source)
    if config.paper_width not in (58, 80):
        raise ConfigError(f"{source}: paper_width must be 58 or 80, not {config.paper_width}")
    return config
