"""The kecamatan side: code that runs at the kantor kecamatan, never on a kiosk.

repo.py      the catalog's TUF repository: init, publish, refresh, status
release_forms.py  each release also packed (xz) and as patches from the last 4, for kiosks
keys.py      key files of the hub: generate, store (optionally passphrase-protected), load
statuses.py  complaint statuses down to the kiosks: a signed target under a delegated role
             (an online key), published from the console's "Terbitkan ke kios"
cli.py       ``kiosk hub ...`` (cli_common.py: the --hub/--db options and opening the database)
editor/      the console's catalog editor (/katalog/): edit, check, preview, confirm, publish
db.py        the report database: SQLAlchemy Core tables, connect, Alembic upgrade (migrations/)
app.py       ``create_hub_app``: the hub's Flask app (report API, HUB/public, console blueprints)
report_api.py  ``POST /api/reports`` (bundles in, signed acknowledgements out), ``/api/status``
beats.py     heartbeats: a kiosk's signed catalog pull marks it as seen (Armada)
report_keys.py the hub's report keys (open bundles, sign acks), published as a TUF target
enroll.py    one-time enrollment codes, revocation
ingest.py    one bundle in: checks, exactly-once storage, the signed acknowledgement
placing.py   when a record happened, by the hub's clock (boot anchors)
filing.py    records into the tables the console reads
bulk.py      many rows at once: executemany on SQLite, COPY on PostgreSQL
stick_import.py  ``kiosk hub import``: bundles from a USB stick, answers back onto it
fleet.py     ``kiosk hub kiosks``: the fleet in plain text

Hub dependencies may be wheels (``pelita-kiosk[hub]``). What the hub shares with the
kiosks: the catalog model (kiosk/catalog/), the repository's names (kiosk/tuf_layout.py),
the record kinds (kiosk/records.py) and the report wire format (kiosk/reports/bundle.py,
packing.py, hubkey.py, identity.fingerprint).
"""
