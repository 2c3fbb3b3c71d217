"""Power cuts during activation: kill -9 the activating process at every named point
and at random moments (>= 100 runs); after each, the kiosk has a complete, verified
release current."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kiosk.catalog.store import CatalogStore
from kiosk.sync.activate import CHECKPOINTS
from kiosk.web.source import SiteSource

from ..conftest import REPO

RUNS = 120
# A guard against a hung worker, not a speed check: ~20 s of CPU, far longer on a busy machine.
HANG_GUARD_SECONDS = 600


@pytest.mark.slow
def test_kill_minus_9_during_activation_never_breaks_the_store(config):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.sync.powercut_worker",
            str(config.state_path),
            str(RUNS),
            "7",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        check=True,
    ).stdout
    runs = [json.loads(line) for line in out.splitlines()]
    assert len(runs) == RUNS
    for run in runs:
        assert run["verified"], run  # current is a complete release we built, bytes and all
        assert run["version"] in (run["before"], run["before"] + 1), run
        assert run["after_recover"] == run["version"], run
        assert run["leftovers"] == [], run
        if run["point"] is not None and not run["existed"]:
            assert run["killed"], run  # the numbered point was reached
        # (a complete folder left by an earlier kill is reused: no write, no rename)
    points_hit = {r["point"] for r in runs if r["point"] and r["killed"]}
    assert points_hit == set(CHECKPOINTS)
    random_kills = [r for r in runs if r["point"] is None and r["killed"]]
    assert len(random_kills) >= 20  # most random delays land inside an activation
    # Killed before the switch: the old release; killed after it: the new one. A run whose
    # point was skipped (an earlier kill left the complete folder to reuse) ran to the end.
    before_switch = CHECKPOINTS[: CHECKPOINTS.index("store:switched")]
    for run in runs:
        if run["point"] is None:
            continue
        if run["killed"] and run["point"] in before_switch:
            assert run["version"] == run["before"], run
        else:
            assert run["version"] == run["before"] + 1, run
    # And the web, started fresh on that state, serves the final release.
    store = CatalogStore(config.state_path / "catalog")
    final = runs[-1]["version"]
    assert SiteSource(config).site.catalog.version == store.load_current().version == final
