"""The hall's settings file (kiosk.toml) read and written through the one schema.

``kiosk config get/set/write`` use these pure functions, and so does deploy/install.sh:
the installer keeps no copy of the settings in bash. Assignments are ``NAME=VALUE``
(text, read like an environment value: numbers, JSON for lists and tables) or
``NAME.KEY=VALUE`` for one option of a table setting such as ``printer.type=usb``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import tomli_w

from .config import SETTINGS, Config, coerce, setting_named
from .errors import ConfigError

HEADER = (
    "# Pelita Kiosk: pengaturan balai desa (lihat docs/settings.md).\n"
    "# Ubah dengan: sudo kiosk config set NAMA=NILAI, lalu:\n"
    "#   sudo systemctl restart kiosk-web kiosk-printer\n"
)


def table_value(text: str) -> Any:
    """One option of a table setting: a whole number (0x… too), true/false, or text."""
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text, 0)
    except ValueError:
        return text


def apply(values: Mapping[str, Any], assignments: Iterable[str]) -> dict[str, Any]:
    """``values`` with each ``NAME=VALUE`` / ``NAME.KEY=VALUE`` applied and checked."""
    result = {name: value for name, value in values.items()}
    for assignment in assignments:
        target, sep, text = assignment.partition("=")
        if not sep:
            raise ConfigError(f"{assignment!r}: write NAME=VALUE")
        name, dot, key = target.partition(".")
        setting = setting_named(name, "kiosk config")
        if dot:
            if setting.type is not dict:
                raise ConfigError(f"{name} is not a table setting, so {target} means nothing")
            table = dict(result.get(name, {}))
            table[key] = table_value(text)
            result[name] = coerce(setting, table, "kiosk config")
        else:
            result[name] = coerce(setting, text, "kiosk config")
    return result


def render(values: Mapping[str, Any]) -> str:
    """The settings file for ``values``, in schema order, checked as the kiosk reads it."""
    ordered = {s.name: values[s.name] for s in SETTINGS if s.name in values}
    unknown = set(values) - set(ordered)
    if unknown:
        setting_named(sorted(unknown)[0], "kiosk config")  # raises, naming the known ones
    from .printer.backends import make_backend  # opens nothing: checks the printer table

    make_backend(Config(**ordered))  # the same objects the kiosk builds
    return HEADER + "\n" + tomli_w.dumps(ordered)


def lookup(config: Config, target: str) -> Any:
    """The value of ``NAME`` or ``NAME.KEY`` (None: a table option that is not set)."""
    name, dot, key = target.partition(".")
    value = getattr(config, setting_named(name, "kiosk config").name)
    if dot:
        if not isinstance(value, dict):
            raise ConfigError(f"{name} is not a table setting, so {target} means nothing")
        return value.get(key)
    return value


def as_text(value: Any) -> str:
    """How ``kiosk config get`` prints a value: text as is, everything else as JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)
