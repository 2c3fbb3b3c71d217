"""When did it happen? The hub places each record in time with its own clock.

A kiosk's wall clock cannot be trusted (no RTC: 1970 after a power cut, or wrong NTP),
so every record carries the kiosk's boot id and seconds since that boot. The rule, in
order (docs/reports.md, "Time"):

1. **boot anchor**: if the hub ever received an HTTP push during that boot, it knows
   ``hub time at receipt - kiosk monotonic at sending`` for the boot (the smallest such
   offset seen: network delay only ever adds); the record happened at
   ``offset + its monotonic stamp``.
2. **kiosk clock**: else, if the kiosk said its clock was NTP-synchronised when it
   wrote the record, its wall time.
3. **receipt**: else the hub's clock when the bundle arrived (a stick's records are
   then filed on the day of import).

A placement later than the receipt (plus 5 minutes) or more than 400 days before it is
impossible and falls through to the next rule. ``time_source`` records which rule won.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from . import db

FUTURE_SLACK = timedelta(minutes=5)
OLDEST = timedelta(days=400)


class Placer:
    """Placement for the records of one bundle from one kiosk; ``stamp`` is the bundle's
    own boot id / monotonic / wall clock at the moment the kiosk wrote it."""

    def __init__(
        self,
        conn: Connection,
        kiosk_id: str,
        stamp: dict[str, Any],
        transport: str,
        received: datetime,
    ):
        self.kiosk_id = kiosk_id
        self.received = received
        rows = conn.execute(
            sa.select(db.kiosk_boots.c.boot_id, db.kiosk_boots.c.offset_s).where(
                db.kiosk_boots.c.kiosk_id == kiosk_id
            )
        )
        self.anchors = {row.boot_id: row.offset_s for row in rows}
        boot, mono = stamp.get("boot_id"), stamp.get("mono")
        if transport == "http" and isinstance(boot, str) and isinstance(mono, int | float):
            if _finite(mono):
                self._learn(conn, boot[:64], received.timestamp() - float(mono))

    def _learn(self, conn: Connection, boot: str, offset: float) -> None:
        known = self.anchors.get(boot)
        if known is not None and known <= offset:
            return
        self.anchors[boot] = offset
        values = {"offset_s": offset, "seen_at": self.received}
        table = db.kiosk_boots
        where = (table.c.kiosk_id == self.kiosk_id) & (table.c.boot_id == boot)
        if known is None:
            conn.execute(sa.insert(table).values(kiosk_id=self.kiosk_id, boot_id=boot, **values))
        else:
            conn.execute(sa.update(table).where(where).values(**values))

    def place(self, boot_id: str, mono: float, kiosk_time: str, clock: str) -> tuple[datetime, str]:
        """(when it happened, by which rule)."""
        offset = self.anchors.get(boot_id)
        if offset is not None and _finite(mono):
            when = self._sane(offset + float(mono))
            if when is not None:
                return when, "boot"
        if clock == "ok":
            try:
                parsed = datetime.fromisoformat(kiosk_time)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                when = self._sane(parsed.timestamp())
                if when is not None:
                    return when, "kiosk_clock"
        return self.received, "receipt"

    def _sane(self, epoch: float) -> datetime | None:
        try:
            when = datetime.fromtimestamp(epoch, UTC)
        except (OverflowError, OSError, ValueError):
            return None
        if when > self.received + FUTURE_SLACK or when < self.received - OLDEST:
            return None
        return min(when, self.received)

    def record_row(self, envelope: dict[str, Any], kiosk_key: str) -> dict[str, Any]:
        """The ``records`` row of one record from the kiosk's key ``kiosk_key``."""
        placed, source = self.place(
            envelope["boot_id"], envelope["mono"], envelope["kiosk_time"], envelope["clock"]
        )
        return {
            "kiosk_id": self.kiosk_id,
            "kiosk_key": kiosk_key,
            "record_id": envelope["id"],
            "kind": envelope["kind"],
            "kiosk_time": envelope["kiosk_time"],
            "boot_id": envelope["boot_id"],
            "mono": float(envelope["mono"]),
            "clock": envelope["clock"],
            "received_at": self.received,
            "placed_at": placed,
            "time_source": source,
            "day": db.wib_day(placed),
        }


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
