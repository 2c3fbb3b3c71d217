"""The heartbeat: the hourly catalog pull tells the hub "this kiosk is alive", signed.

Reports are pushed about once a day (``cadence.py``), but the kecamatan's fleet view
must tell a live kiosk from a dead one within the hour. The catalog pull already goes
to the hub every hour, so its ``timestamp.json`` request carries one header::

    Pelita-Beat: <kiosk id>.<unix seconds>.<Ed25519 signature, base64url>

signed by the kiosk's key over ``pelita-beat|<kiosk id>|<unix seconds>``. It says
nothing about anyone: no record, no health, only "kiosk X, now". The hub
(``kiosk/hub/beats.py``) checks the signature against the enrolled key and the time
against its own clock, and notes the kiosk as seen. About 110 bytes an hour instead of
a push (~800 bytes), and none when the same sync has just pushed. Sent only when
``report_url`` is set: a kiosk that reports by stick does not announce itself to
whatever serves its catalog.
"""

from __future__ import annotations

import base64
import time

from ..config import Config
from ..errors import KioskError
from .cadence import seconds_since_push
from .identity import load_identity

HEADER = "Pelita-Beat"
JUST_PUSHED_S = 600


def beat_message(kiosk_id: str, when: int) -> bytes:
    return f"pelita-beat|{kiosk_id}|{when}".encode()


def beat_header(config: Config, *, now: float | None = None) -> str | None:
    """The header value for this moment, or None (no report_url, or no usable key)."""
    if not config.report_url:
        return None
    since = seconds_since_push(config)
    if since is not None and 0 <= since < JUST_PUSHED_S:
        return None  # this sync's push already told the hub
    try:
        me = load_identity(config.state_path, config.village)
    except (KioskError, OSError):
        return None
    when = int(time.time() if now is None else now)
    signature = me.signing_key.sign(beat_message(me.kiosk_id, when)).signature
    return f"{me.kiosk_id}.{when}.{base64.urlsafe_b64encode(signature).decode().rstrip('=')}"


def read_beat(value: str) -> tuple[str, int, bytes] | None:
    """(kiosk id, unix seconds, signature) from a header value, or None if malformed."""
    parts = value.strip().rsplit(".", 2)
    if len(parts) != 3 or not parts[0] or len(parts[0]) > 64 or not parts[1].isdigit():
        return None
    try:
        signature = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
    except ValueError:
        return None
    if len(signature) != 64:
        return None
    return parts[0], int(parts[1]), signature
