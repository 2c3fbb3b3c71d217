"""Real commands for the end-to-end tests: `python -m kiosk ...` as a subprocess (one
run, or a server waited for until it answers), and residents' phones with their own
address on the loopback (each phone has its own quota on the kiosk)."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
import urllib.request

from ..conftest import REPO
from ..web.phone import Phone


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    env.pop("KIOSK_CONFIG", None)
    return env


def kiosk(*args: str) -> str:
    """Run ``kiosk ARGS`` to the end; its output, logs included (it must succeed)."""
    done = run_kiosk(*args)
    return done.stdout + done.stderr


def run_kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``kiosk ARGS`` to the end (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def start(*args: str, url: str) -> subprocess.Popen:
    """Start ``kiosk ARGS`` and wait until ``url`` answers."""
    env = _env()
    env.pop("PYTHONWARNINGS")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return proc
        except OSError:
            assert proc.poll() is None, f"{args} exited"
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"{args} did not come up")


class _FromAddress(urllib.request.HTTPHandler):
    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def http_open(self, req):
        def connect(host, **kwargs):
            return http.client.HTTPConnection(host, source_address=(self.address, 0), **kwargs)

        return self.do_open(connect, req)


class Resident(Phone):
    """A phone on the hotspot with its own address (127.0.0.N: all of 127/8 is the
    loopback on Linux), so the kiosk counts it as another person."""

    def __init__(self, base: str, address: str):
        super().__init__(base, urllib.request.build_opener(_FromAddress(address)))
