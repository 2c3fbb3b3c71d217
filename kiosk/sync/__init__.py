"""Signed catalog sync: the kecamatan hub publishes, kiosks pull, verify and activate.

hub.py       the hub's TUF repository: init, publish, refresh, status (kecamatan side)
keys.py      key files of the hub: generate, store (optionally passphrase-protected), load
fetch.py     HTTP and folder (USB stick) fetchers for python-tuf, with timeouts and byte counts
client.py    python-tuf ngclient: refresh metadata, find and download the signed release
clock.py     the forward-only time floor (a Pi has no real-time clock)
activate.py  verified bytes → validated, immutable release → atomic ``current`` switch
lock.py      one sync at a time (fcntl lock file)
run.py       one sync cycle end to end, with its status in plain words
cli.py       ``kiosk hub ...`` and ``kiosk sync``

docs/sync.md explains the design, the clock decision and the threat table.
"""
