"""The hall's settings: declared once, layered in one fixed order.

embedded defaults → the TOML file (``--config`` or ``KIOSK_CONFIG``) → ``KIOSK_*``
environment → test overrides. With nothing configured the kiosk runs as a demo:
the bundled catalog, 127.0.0.1:8080, a temp state folder, a folder printer and
simulated buttons.

Every setting is one field of :class:`Config`, declared with :func:`setting` (default,
help text and checks). ``SETTINGS`` is derived from those fields; so are the coercion,
the checks, the TOML and the environment layers, and the docs check (docs/settings.md
documents each one).
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
import json
import os
import re
import tempfile
import tomllib
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_CONFIG_FILE = "/etc/kiosk/kiosk.toml"
ENV_PREFIX = "KIOSK_"

#: A check beyond type, choices and range: returns what is wrong ("must be …") or None.
Validator = Callable[[Any], str | None]


def _village_id(value: str) -> str | None:
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
        return None
    return "must be lower-case letters, digits and '-' (e.g. kemlagi)"


def _ssid(value: str) -> str | None:
    # 32 bytes is the 802.11 limit; "{desa}" is replaced by the village's name later.
    if "{desa}" in value or 1 <= len(value.encode("utf-8")) <= 32:
        return None
    return "must be 1 to 32 bytes long"


def _wifi_password(value: str) -> str | None:
    if value == "" or (8 <= len(value) <= 63 and value.isascii() and value.isprintable()):
        return None
    return "must be empty (an open hotspot) or 8 to 63 plain characters: WPA2 needs 8 to 63"


def setting(
    default: Any,
    help: str,
    *,
    choices: Sequence[Any] | None = None,
    min: int | None = None,
    max: int | None = None,
    validate: Validator | None = None,
    from_text: Callable[[str], Any] | None = None,
) -> Any:
    """Declare one setting as a field of :class:`Config`.

    ``choices``/``min``/``max``/``validate`` are checked in every layer; ``from_text``
    reads a non-JSON environment value of a list or table setting (``KIOSK_PRINTER=dummy``).
    Mutable defaults (lists, tables) are copied for every Config.
    """
    metadata = {
        "help": help,
        "choices": tuple(choices) if choices is not None else None,
        "min": min,
        "max": max,
        "validate": validate,
        "from_text": from_text,
    }
    if isinstance(default, list | dict):
        return field(default_factory=lambda: copy.deepcopy(default), metadata=metadata)
    return field(default=default, metadata=metadata)


def _http_url(value: str) -> str | None:
    if value and not value.startswith(("http://", "https://")):
        return "must be empty or start with http:// or https://"
    return None


@dataclass(frozen=True)
class Config:
    """Resolved settings. Build it with :func:`load_config`; add a setting here, once."""

    village: str = setting(
        "kemlagi", "Id of the village (desa) this kiosk stands in.", validate=_village_id
    )
    host: str = setting("127.0.0.1", "Address the web server binds to.")
    port: int = setting(8080, "Port the web server listens on.", min=1, max=65535)
    portal_address: str = setting(
        "",
        "Address residents reach the kiosk at (host[:port], e.g. 10.42.0.1). "
        "Empty: host:port. Requests for any other host are sent here (captive portal).",
    )
    portal_hosts: list[str] = setting(
        [], "Extra host names that are the kiosk's own (not redirected), e.g. ['pelita.desa']."
    )
    public_url: str = setting(
        "",
        "Public internet address of the catalog, if the kecamatan publishes one (shown on "
        "slips and posters as a second QR). Empty: none.",
    )
    state_dir: str = setting(
        "",
        "Folder for the catalog store, spool and status files. Empty: a folder in the "
        "system temp dir (demo). On a kiosk: /var/lib/kiosk.",
    )
    catalog_release: str = setting(
        "",
        "A compiled catalog release (JSON) to serve while the store holds none. "
        "Empty: the catalog bundled with the package.",
    )
    captive_success_minutes: int = setting(
        60,
        "After a phone taps 'Selesai' on the portal, answer its OS's connectivity checks "
        "with 'online' for this many minutes so it stays on the Wi-Fi.",
        min=1,
        max=24 * 60,
    )
    web_threads: int = setting(
        3,
        "Worker threads of the web server. Searches may use all but one, so a page never "
        "waits behind a flood of searches; cached pages take microseconds, so more threads "
        "only add hand-offs (see docs/performance.md).",
        min=1,
        max=16,
    )
    ssid: str = setting(
        "Info Desa {desa}",
        "Wi-Fi name (SSID) of the kiosk's hotspot. On posters, {desa} stands for the "
        "village's name (and on the site); the default gives every village its own Wi-Fi name.",
        validate=_ssid,
    )
    wifi_password: str = setting(
        "", "Wi-Fi password (WPA2); empty for an open hotspot.", validate=_wifi_password
    )
    hub_url: str = setting("", "URL of the kecamatan's catalog hub (TUF repository).")
    trust_root: str = setting(
        "",
        "Trusted TUF root.json shipped with the install (read-only). "
        "On a kiosk: /usr/share/kiosk/trust/root.json.",
    )
    report_url: str = setting(
        "",
        "The kecamatan hub's report endpoint (e.g. http://hub.kemlagi:8090/api/reports). "
        "'kiosk sync' pushes the outbox there before it pulls the catalog. Empty: reports "
        "leave only by USB stick.",
        validate=_http_url,
    )
    report_every_hours: int = setting(
        24,
        "Hours between two pushes of the outbox to report_url. The hourly 'kiosk sync' "
        "pushes only when this much time has passed, or sooner when something cannot wait "
        "(a complaint, a printer fault, an enrollment code, a restart, a half-full "
        "outbox); in between, its catalog pull tells the hub the kiosk is alive. 1 = "
        "push at every sync.",
        min=1,
        max=168,
    )
    outbox_max_kb: int = setting(
        4096,
        "Size bound of the report outbox in KB. When it is reached, counts are merged first, "
        "then residents' forms are refused with a plain message (never dropped).",
        min=64,
        max=1024 * 1024,
    )
    sync_connect_timeout: int = setting(
        10, "Seconds to wait for the hub to accept a connection.", min=1, max=300
    )
    sync_read_timeout: int = setting(
        30, "Seconds of silence from the hub before a sync gives up.", min=1, max=3600
    )
    sync_max_seconds: int = setting(
        300, "Longest one download of a sync may take (slow drip).", min=1, max=24 * 3600
    )
    paper_width: int = setting(58, "Printer paper width in mm: 58 or 80.", choices=(58, 80))
    printer: dict[str, Any] = setting(
        {"type": "folder"},
        "Printer backend as a table: type = folder | usb | serial | network | file | dummy, "
        "plus its options (see docs/printer.md).",
        from_text=lambda text: {"type": text},  # KIOSK_PRINTER=dummy is the common case
    )
    buttons: list[dict[str, Any]] = setting(
        [], "Physical buttons: a list of tables {pin = 17, service = 'ktp-el-baru'}."
    )
    led_pin: int = setting(0, "GPIO pin of the status LED; 0 for none.", min=0, max=27)
    roll_length_m: int = setting(
        30,
        "Length of a full paper roll in metres (printed on its box). The printer daemon "
        "counts the paper each slip uses since 'kiosk printer new-roll'.",
        min=1,
        max=1000,
    )
    paper_low_mm: int = setting(
        2000,
        "Say 'kertas hampir habis' (status, LED, health record) when this many mm of the "
        "roll are left by the count (2000 mm: about 15 slips).",
        min=0,
        max=100000,
    )
    button_cooldown_seconds: int = setting(
        5, "Minimum seconds between two slips from one button.", min=0, max=3600
    )
    web_print_per_minute: int = setting(
        1, "Slips one phone may order from the site per minute.", min=1, max=60
    )
    web_print_per_hour: int = setting(
        30,
        "Slips all phones together may order from the site per hour (the paper roll's "
        "budget; the buttons in the hall are not counted).",
        min=1,
        max=1000,
    )
    source: str = field(default="embedded defaults", metadata={"not_a_setting": True})

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

    def replace(self, **changes: Any) -> Config:
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------- the schema, derived

_KINDS = {int: "a whole number", str: "text", list: "a list", dict: "a table"}


@dataclass(frozen=True)
class Setting:
    """One setting as the schema sees it: derived from its :class:`Config` field."""

    name: str
    default: Any
    help: str
    type: type  # the plain type: str, int, list or dict
    item_type: builtins.type | None = None  # the plain type of a list's items
    choices: tuple[Any, ...] | None = None
    min: int | None = None
    max: int | None = None
    validate: Validator | None = None
    from_text: Callable[[str], Any] | None = None

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.name.upper()


def _plain(hint: Any) -> type:
    return typing.get_origin(hint) or hint


def _derive_settings() -> tuple[Setting, ...]:
    hints = typing.get_type_hints(Config)
    settings = []
    for f in dataclasses.fields(Config):
        if f.metadata.get("not_a_setting"):
            continue
        hint = hints[f.name]
        args = typing.get_args(hint)
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        settings.append(
            Setting(
                name=f.name,
                default=default,
                help=f.metadata["help"],
                type=_plain(hint),
                item_type=_plain(args[0]) if _plain(hint) is list and args else None,
                choices=f.metadata["choices"],
                min=f.metadata["min"],
                max=f.metadata["max"],
                validate=f.metadata["validate"],
                from_text=f.metadata["from_text"],
            )
        )
    return tuple(settings)


SETTINGS: tuple[Setting, ...] = _derive_settings()
_BY_NAME = {s.name: s for s in SETTINGS}


def setting_named(name: str, where: str = "settings") -> Setting:
    """The setting called ``name``; an error naming the known ones if there is none."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise ConfigError(f"{where}: unknown setting {name!r} (known: {known})") from None


# ---------------------------------------------------------------- coercion and checks


def _from_text(setting: Setting, text: str, where: str) -> Any:
    """A value written as text (environment, command line): numbers and JSON are parsed."""
    if setting.type is int:
        try:
            return int(text, 0)
        except ValueError:
            raise ConfigError(
                f"{where}: {setting.name} must be a whole number, not {text!r}"
            ) from None
    if setting.type in (list, dict):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            if setting.from_text is not None:
                return setting.from_text(text)
            raise ConfigError(f"{where}: {setting.name} must be JSON, not {text!r}") from None
    return text


def _is_a(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _problem(setting: Setting, value: Any) -> str | None:
    """What is wrong with ``value`` for ``setting`` ("must be …"), or None."""
    if not _is_a(value, setting.type):
        return f"must be {_KINDS[setting.type]}"
    if setting.item_type is not None and not all(_is_a(v, setting.item_type) for v in value):
        return f"must be a list of {_KINDS[setting.item_type]} items"
    if setting.choices is not None and value not in setting.choices:
        return "must be " + " or ".join(str(c) for c in setting.choices)
    if setting.min is not None and value < setting.min:
        return f"must be at least {setting.min}"
    if setting.max is not None and value > setting.max:
        return f"must be at most {setting.max}"
    return setting.validate(value) if setting.validate is not None else None


def coerce(setting: Setting, value: Any, where: str) -> Any:
    """``value`` checked (and read, if text) for ``setting``; a ConfigError naming it if bad."""
    if isinstance(value, str) and setting.type is not str:
        value = _from_text(setting, value, where)
    problem = _problem(setting, value)
    if problem:
        raise ConfigError(f"{where}: {setting.name} {problem}, not {value!r}")
    return value


# ---------------------------------------------------------------- the layers


def _layer(values: dict[str, Any], layer: Mapping[str, Any], where: str) -> None:
    for name, value in layer.items():
        values[name] = coerce(setting_named(name, where), value, where)


def read_toml(path: Path) -> dict[str, Any]:
    """The settings in a TOML file, unchecked; a ConfigError if missing or not TOML."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except IsADirectoryError:
        raise ConfigError(f"config file {path} is a folder, not a file") from None


def env_layer(env: Mapping[str, str]) -> dict[str, str]:
    """The ``KIOSK_<NAME>`` variables that name a setting, by setting name."""
    return {s.name: env[s.env_name] for s in SETTINGS if s.env_name in env}


def config_file_from(env: Mapping[str, str]) -> str | None:
    """The TOML file to read when none is given: $KIOSK_CONFIG, else the system one if present."""
    return env.get("KIOSK_CONFIG") or (
        DEFAULT_CONFIG_FILE if Path(DEFAULT_CONFIG_FILE).is_file() else None
    )


def load_config(
    config_file: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Resolve settings: defaults → TOML file → KIOSK_* env → ``overrides``.

    ``config_file`` None means ``KIOSK_CONFIG`` or, if it exists, /etc/kiosk/kiosk.toml.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    source = "embedded defaults"
    if config_file is None:
        config_file = config_file_from(env)
    if config_file:
        path = Path(config_file)
        _layer(values, read_toml(path), str(path))
        source = str(path)
    _layer(values, env_layer(env), "environment")
    _layer(values, overrides or {}, "overrides")
    return Config(**values, source=source)
