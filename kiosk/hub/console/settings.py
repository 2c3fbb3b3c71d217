"""Settings staff change in the console (Pengaturan), stored in the hub database.

Declared once here with their defaults; documented in docs/settings.md ("Console
settings"). Hub start-up settings (address, database) stay on the command line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from ..console_tables import console_settings
from ..ikm import NUMBERINGS


@dataclass(frozen=True)
class ConsoleSetting:
    name: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: int = 0


SETTINGS: tuple[ConsoleSetting, ...] = (
    ConsoleSetting(
        "complaint_deadline_days",
        5,
        "Working days (Mon-Fri) the kecamatan promises to answer a complaint in; "
        "later ones are listed as overdue.",
        minimum=1,
    ),
    ConsoleSetting(
        "contact_retention_days",
        30,
        "Days after a complaint is closed (Selesai, Ditolak, Bukan wewenang) before the "
        "complainant's name and phone are deleted.",
        minimum=0,
    ),
    ConsoleSetting(
        "unsur_numbering",
        "peraturan",
        "U-numbers of the nine SKM elements: 'peraturan' (U8 complaints handling, U9 "
        "facilities, as PermenPANRB 14/2017 lists them) or 'kuesioner' (the annex's "
        "example questionnaire: U8 facilities, U9 complaints handling).",
        choices=NUMBERINGS,
    ),
    ConsoleSetting(
        "report_interval_minutes",
        60,
        "How often kiosks are expected to report; a kiosk silent for 3 intervals is "
        "shown as offline.",
        minimum=5,
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


def check(name: str, value: Any) -> Any:
    """The value as stored, or ValueError naming the problem."""
    setting = BY_NAME[name]
    if setting.choices:
        if value not in setting.choices:
            raise ValueError(f"{name} must be one of {', '.join(setting.choices)}")
        return value
    number = int(value)
    if number < setting.minimum:
        raise ValueError(f"{name} must be at least {setting.minimum}")
    return number


def load(conn: Connection) -> dict[str, Any]:
    stored = {r.name: json.loads(r.value) for r in conn.execute(select(console_settings))}
    return {s.name: stored.get(s.name, s.default) for s in SETTINGS}


def save(conn: Connection, name: str, value: Any) -> None:
    value = check(name, value)
    conn.execute(delete(console_settings).where(console_settings.c.name == name))
    conn.execute(insert(console_settings).values(name=name, value=json.dumps(value)))
