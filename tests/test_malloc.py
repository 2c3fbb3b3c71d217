"""kiosk serve tells glibc to give freed memory back (kiosk/malloc.py)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

CALL = "from kiosk.malloc import give_memory_back; print(give_memory_back())"


def run(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", CALL], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")
def test_glibc_takes_the_settings():
    assert run(clean_env()) == "True"


def test_the_environment_wins():
    assert run({**clean_env(), "MALLOC_ARENA_MAX": "4"}) == "False"
