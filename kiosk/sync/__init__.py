"""Signed catalog sync, the kiosk side: pull, verify and activate what the hub published.

fetch.py     HTTP and folder (USB stick) fetchers for python-tuf, with timeouts and byte counts
client.py    python-tuf ngclient: refresh metadata, find and download the signed release
transfer.py  the release by its smallest signed form: a patch, packed (xz), or whole
clock.py     the forward-only time floor (a Pi has no real-time clock)
activate.py  verified bytes → validated, immutable release → atomic ``current`` switch
lock.py      one sync at a time (fcntl lock file)
run.py       one sync cycle end to end, with its status in plain words
cli.py       ``kiosk sync``

The publishing side (the TUF repository, its keys, ``kiosk hub``) is kiosk/hub/.
docs/sync.md explains the design, the clock decision and the threat table.
"""
