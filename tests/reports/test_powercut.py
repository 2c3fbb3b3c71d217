"""kill -9 in the middle of outbox appends, 100 times: nothing lost, nothing doubled.

A forked child appends records as fast as it can and reports each id only after
``append`` returned (= durable, by contract); the parent kills it with SIGKILL at a
random moment, mostly mid-append. Afterwards every reported id is in the outbox with a
readable body, no id appears twice, and the next append continues above every id ever
handed out (ids are never reused).
"""

from __future__ import annotations

import os
import random
import signal
import time

from nacl.public import SealedBox

from kiosk.outbox import Outbox
from kiosk.reports.packing import unpack

from .keys import new_hub_keys
from .samples import sample

RUNS = 100


def _child(state, write_fd) -> None:
    try:
        outbox = Outbox(state)
        kinds = ["counts", "complaint", "health", "survey"]
        n = 0
        while True:
            kind = kinds[n % len(kinds)]
            new_id = outbox.append(kind, sample(kind))
            os.write(write_fd, f"{new_id}\n".encode())
            n += 1
    finally:
        os._exit(1)


def _run_once(state, rng) -> list[int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        _child(state, write_fd)
    os.close(write_fd)
    data = b""
    wanted = rng.randint(1, 2)  # let it get going, then kill at a random moment
    while data.count(b"\n") < wanted:
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        data += chunk
    time.sleep(rng.uniform(0, 0.01))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 65536):
        data += chunk
    os.close(read_fd)
    return [int(line) for line in data.split()]


def test_kill_minus_9_during_appends_loses_and_doubles_nothing(tmp_path):
    keys = new_hub_keys()
    keys.give_to(tmp_path)
    rng = random.Random(13)
    confirmed: list[int] = []
    for _ in range(RUNS):
        confirmed += _run_once(tmp_path, rng)
    outbox = Outbox(tmp_path)
    stored = outbox.pending()
    ids = [r.id for r in stored]
    assert len(ids) == len(set(ids)), "an id appears twice"
    missing = set(confirmed) - set(ids)
    assert not missing, f"lost confirmed records {sorted(missing)[:10]}"
    assert len(confirmed) == len(set(confirmed))
    extra = set(ids) - set(confirmed)
    assert len(extra) <= RUNS  # at most the one append in flight at each kill
    opener = SealedBox(keys.seal_private)
    for record in stored:
        body = unpack(opener.decrypt(record.body) if record.sealed else record.body)
        assert body == sample(record.kind)
    assert outbox.append("health", sample("health")) > max(ids)
    assert len(confirmed) > RUNS  # the kills did land mid-stream, not before the first append
