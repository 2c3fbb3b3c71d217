"""The kecamatan side: code that runs at the kantor kecamatan, never on a kiosk.

repo.py      the catalog's TUF repository: init, publish, refresh, status
keys.py      key files of the hub: generate, store (optionally passphrase-protected), load
statuses.py  complaint statuses down to the kiosks: a signed target under a delegated role
             (an online key), published from the console's "Terbitkan ke kios"
cli.py       ``kiosk hub ...``
editor/      the console's catalog editor (/katalog/): edit, check, preview, confirm, publish

Hub dependencies may be wheels (``pelita-kiosk[hub]``). What the hub shares with the
kiosks: the catalog model (kiosk/catalog/) and the repository's names (kiosk/tuf_layout.py).
"""
