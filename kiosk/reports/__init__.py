"""The way back up: what a kiosk reports to the kecamatan, and how it gets there.

kiosk/records.py   the record kinds and their bodies (shared with the hub)
kiosk/outbox.py    the kiosk's durable queue of records (SQLite, survives kill -9)
hubkey.py          the hub's report keys, delivered as a signed TUF target
clockstate.py      boot id, monotonic stamp and clock state that every record carries
"""
