"""A sync that kills itself (SIGKILL, like a power cut) at one named checkpoint.

Run: python -m tests.sync.killed_sync POINT STATE_DIR HUB_URL TRUST_ROOT. Exits 0 only
if the point was never reached (the test then fails on the exit code).
"""

from __future__ import annotations

import os
import signal
import sys

from kiosk.config import load_config
from kiosk.sync.run import run_sync


def main(point: str, state_dir: str, hub_url: str, trust_root: str) -> None:
    config = load_config(
        env={},
        overrides={"state_dir": state_dir, "hub_url": hub_url, "trust_root": trust_root},
    )

    def hook(name: str) -> None:
        if name == point:
            os.kill(os.getpid(), signal.SIGKILL)

    result = run_sync(config, checkpoint=hook)
    print(f"{point} never reached: {result.summary}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:5])
