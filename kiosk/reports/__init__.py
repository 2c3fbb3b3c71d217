"""The way back up: what a kiosk reports to the kecamatan, and how it gets there.

kiosk/records.py   the record kinds and their bodies (shared with the hub)
kiosk/outbox.py    the kiosk's durable queue of records (SQLite, survives kill -9)
packing.py         bodies as deflated JSON with a shared dictionary (shared with the hub)
hubkey.py          the hub's report keys, delivered as a signed TUF target
identity.py        the kiosk's own Ed25519 key; enrollment codes
clockstate.py      boot id, monotonic stamp and clock state that every record carries
bundle.py          the one wire format (HTTP and USB): signed by the kiosk, sealed to the hub
outgoing.py        outbox → bundles; the hub's signed acknowledgement → freed space
health.py          the ``health`` record: versions, sync, printer, disk, board, clock, outbox
push.py            HTTP POST to ``report_url``
stick.py           bundles onto, acknowledgements from a USB stick
cadence.py         when a push is due (``report_every_hours``, sooner when it cannot wait)
beat.py            the signed heartbeat the hourly catalog pull carries between pushes
run.py             one report cycle and its status in plain words (``kiosk sync`` calls it)
cli.py             ``kiosk identity``, ``kiosk enroll CODE|-``

docs/reports.md explains the design, the time rule and the threat table.
"""
