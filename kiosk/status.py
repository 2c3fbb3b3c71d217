"""Small status files that the daemons write and ``kiosk status`` reads.

Each subsystem (printer, sync, ...) owns one JSON file in ``<state>/status/``,
written atomically: ``{"summary": "<plain words>", "ok": bool, "updated": iso time,
"details": {...}}``. Processes share nothing else, so the status survives restarts
and the web can show it without talking to the other daemons.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from .config import Config
from .fsutil import atomic_write_json


def status_dir(config: Config) -> Path:
    return config.state_path / "status"


def write_status(config: Config, name: str, summary: str, ok: bool, **details) -> None:
    """Record the state of subsystem ``name`` (replaces its previous status)."""
    folder = status_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_json(
        folder / f"{name}.json",
        {
            "summary": summary,
            "ok": ok,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            "details": details,
        },
    )


def read_status(config: Config, name: str) -> dict | None:
    """The last status of ``name``, or None if it never wrote one (or it is unreadable)."""
    try:
        data = json.loads((status_dir(config) / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def all_statuses(config: Config) -> dict[str, dict]:
    folder = status_dir(config)
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.glob("*.json")):
        data = read_status(config, path.stem)
        if data is not None:
            out[path.stem] = data
    return out


def format_status(statuses: dict[str, dict]) -> str:
    """Plain-text report for technicians."""
    if not statuses:
        return "No status recorded yet (no daemon has run with this state folder)."
    lines = []
    for name, data in statuses.items():
        mark = "OK " if data.get("ok") else "!! "
        lines.append(f"{mark}{name}: {data.get('summary', '?')}  (at {data.get('updated', '?')})")
        for key, value in (data.get("details") or {}).items():
            lines.append(f"     {key}: {value}")
    return "\n".join(lines)
