"""The server's tests again, on Debian's own waitress (2.1 on Bookworm, as on the Pi).

The venv has waitress 3.x from PyPI; kiosk/web/server.py subclasses one waitress class,
so its limits are checked on both. Debian's copy comes from scripts/install-test-deps.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DEBIAN_WAITRESS = Path("/usr/lib/python3/dist-packages/waitress")


@pytest.mark.slow
def test_server_tests_pass_on_debians_waitress(tmp_path):
    if not DEBIAN_WAITRESS.is_dir():
        message = "python3-waitress is missing; run scripts/install-test-deps as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    shutil.copytree(DEBIAN_WAITRESS, tmp_path / "waitress")  # only waitress, not the rest
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    version = subprocess.run(
        [sys.executable, "-c", "import waitress; print(waitress.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith(str(tmp_path))
    tests = ["tests/web/test_server_limits.py", "tests/web/test_server.py"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
