"""Heartbeats: a kiosk's hourly catalog pull marks it as seen (kiosk/reports/beat.py).

Kiosks push their reports about once a day; the ``Pelita-Beat`` header on their
``timestamp.json`` request is how the Armada view still knows, within the hour, which
kiosks are alive. Only a beat signed by an enrolled, unrevoked kiosk's key, stamped
within ``WINDOW`` of the hub's clock, counts: it sets ``kiosks.last_seen_at`` (never
backwards) with ``last_transport = "beat"``. Anything else is ignored quietly: the
catalog is served all the same, and a forged or replayed beat changes nothing beyond,
at worst, an hour of "seen" for a kiosk that really beat within that hour. A kiosk
whose clock is off by more than the window is seen only at its pushes (its health
says so: clock behind/unknown).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..reports.beat import beat_message, read_beat
from . import db

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)  # how old a beat may be (delay, a slightly slow kiosk clock)
AHEAD = timedelta(minutes=10)  # how far ahead of the hub's clock a kiosk's may run


def note_beat(engine: Engine, value: str, *, now: datetime) -> bool:
    """Mark the kiosk as seen if ``value`` is a good beat; True if it was."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    beat = read_beat(value)
    if beat is None:
        return False
    kiosk_id, when, signature = beat
    stamped = datetime.fromtimestamp(when, UTC)
    if not now - WINDOW <= stamped <= now + AHEAD:
        log.info("beat of %s ignored: its time %s is off the hub's clock", kiosk_id, stamped)
        return False
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(db.kiosks.c.public_key, db.kiosks.c.last_seen_at).where(
                db.kiosks.c.kiosk_id == kiosk_id, db.kiosks.c.revoked_at.is_(None)
            )
        ).first()
        if row is None or row.public_key is None:
            return False
        try:
            VerifyKey(bytes.fromhex(row.public_key)).verify(beat_message(kiosk_id, when), signature)
        except (BadSignatureError, ValueError):
            log.info("beat of %s ignored: the signature does not match its key", kiosk_id)
            return False
        seen = row.last_seen_at
        if seen is not None and (seen if seen.tzinfo else seen.replace(tzinfo=UTC)) >= now:
            return True
        conn.execute(
            sa.update(db.kiosks)
            .where(db.kiosks.c.kiosk_id == kiosk_id)
            .values(last_seen_at=now, last_transport="beat")
        )
    return True
