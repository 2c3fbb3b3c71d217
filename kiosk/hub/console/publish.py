""" "Terbitkan ke kios": every complaint's status, date and public answer, signed for the
kiosks (issue 14's ``kiosk.hub.statuses``). No complaint text or contact ever leaves.
Each of the seven console statuses goes out as it is, with a fallback for kiosks that
know only the first five (kiosk/voice/statuses.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ...errors import KioskError
from .. import db
from ..utc import local_day
from .core import state


class PublishUnavailable(KioskError):
    """The hub cannot sign complaint statuses (no key, or the feature is missing)."""


def publish_complaints(engine: sa.Engine, *, now: datetime) -> int:
    """Sign and publish all statuses; returns the published version."""
    try:
        from ..keys import passphrase_from_env
        from ..repo import Hub
        from ..statuses import TicketStatus, publish_statuses
    except ImportError as exc:
        raise PublishUnavailable(f"complaint status publishing is not installed ({exc})") from None
    c = db.complaints.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(c.ticket, c.status, c.status_changed_at, c.public_answer)
        ).all()
    entries = [
        TicketStatus(
            ticket=r.ticket,
            status=r.status,
            date=local_day(r.status_changed_at),
            answer=r.public_answer or None,
        )
        for r in rows
    ]
    hub = Hub(state().hub_dir, passphrase=passphrase_from_env())
    published = publish_statuses(hub, entries)
    return int(published.version)
