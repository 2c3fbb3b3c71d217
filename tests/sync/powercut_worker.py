"""Power-cut worker: activate release after release in forked children, kill -9 each
one at a numbered checkpoint or after a random delay, and check the store after
every kill. Prints one JSON line per run. Run: python -m tests.sync.powercut_worker
STATE_DIR RUNS SEED. A separate process so the test process never forks with threads.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sys
import time
from datetime import date, timedelta

from kiosk.catalog.release import build_release, bundled_release_path, load_release, parse_release
from kiosk.catalog.store import CatalogStore
from kiosk.config import load_config
from kiosk.sync.activate import CHECKPOINTS, Activator


def main(state_dir: str, runs: int, seed: int) -> None:
    rng = random.Random(seed)
    config = load_config(env={}, overrides={"state_dir": state_dir})
    base = load_release(bundled_release_path())
    good: dict[int, str] = {}  # version -> sha256 of the bytes we built

    def release(version: int) -> bytes:
        data = build_release(base, version, date(2026, 1, 1) + timedelta(days=version))
        good[version] = hashlib.sha256(data).hexdigest()
        return data

    t0 = time.monotonic()
    Activator(config).install(release(1), 1, good[1])
    duration = time.monotonic() - t0
    store = CatalogStore(config.state_path / "catalog")
    for run in range(runs):
        before = Activator(config).newest_known()
        version = before + 1
        data = release(version)
        numbered = run % 2 == 0 and run // 2 < 4 * len(CHECKPOINTS)
        point = CHECKPOINTS[(run // 2) % len(CHECKPOINTS)] if numbered else None
        delay = None if numbered else rng.uniform(0, duration)
        existed = (store.releases / str(version)).is_dir()  # left by an earlier kill
        pid = os.fork()
        if pid == 0:  # the "sync process"

            def hook(name, point=point):
                if name == point:
                    os.kill(os.getpid(), signal.SIGKILL)

            try:
                Activator(config, checkpoint=hook).install(data, version, good[version])
            finally:
                os._exit(0)
        if delay is not None:
            time.sleep(delay)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, wait_status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(wait_status) and os.WTERMSIG(wait_status) == signal.SIGKILL
        if delay is not None:  # keep random kills spread over the activation, whatever the load
            duration = duration * 0.8 if not killed else duration * 1.1
        # Straight after the kill, before any recovery: current must load and be ours.
        target = store.current_target()
        raw = (store.root / target / "catalog.json").read_bytes()
        loaded = parse_release(raw).version
        verified = good.get(loaded) == hashlib.sha256(raw).hexdigest()
        recovered = store.recover()
        after = store.load_current().version
        print(
            json.dumps(
                {
                    "run": run,
                    "point": point,
                    "existed": existed,
                    "delay": delay,
                    "killed": killed,
                    "before": before,
                    "version": loaded,
                    "verified": verified,
                    "after_recover": after,
                    "recovered": recovered,
                    "leftovers": sorted(
                        p.name for p in store.releases.iterdir() if not p.name.isdigit()
                    ),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
