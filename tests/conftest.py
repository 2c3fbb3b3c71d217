"""Shared fixtures: real files in tmp folders, a real waitress server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from kiosk.catalog.release import bundled_release_path, load_release
from kiosk.config import load_config

REPO = Path(__file__).resolve().parent.parent
CATALOG_DIR = REPO / "catalog"


@pytest.fixture(scope="session")
def bundled_catalog():
    return load_release(bundled_release_path())


@pytest.fixture
def catalog_copy(tmp_path) -> Path:
    """A writable copy of the real catalog folder."""
    dest = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, dest)
    return dest


@pytest.fixture
def config(tmp_path):
    """Demo settings with a private state folder and no environment leaking in."""
    return load_config(env={}, overrides={"state_dir": str(tmp_path / "state")})


@pytest.fixture
def app(config):
    from kiosk.web import create_app

    return create_app(config)


@pytest.fixture
def client(app):
    return app.test_client()


def require_tool(name: str) -> str:
    """Path of a Debian tool the test needs; in CI a missing tool fails, elsewhere skips."""
    path = shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    if path is None:
        message = f"{name} is missing; run scripts/install-test-deps as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def wait_for(predicate, seconds: float = 5.0) -> bool:
    """True as soon as ``predicate()`` is; False if it never is within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A real waitress server in a thread, for tests that need real HTTP."""

    def __init__(self, app, server=None):
        """Serve ``app`` with plain waitress, or run an already made waitress ``server``."""
        from waitress.server import create_server

        if server is None:
            server = create_server(
                app,
                host="127.0.0.1",
                port=free_port(),
                threads=4,
                clear_untrusted_proxy_headers=True,  # waitress 2.1 (Bookworm) warns otherwise
            )
        self.server = server
        self.port = server.effective_port
        self._stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def _serve(self):
        # waitress's own run() loops until its sockets vanish; closing them from another
        # thread races its select() (EBADF). Loop in short steps and stop in this thread.
        from waitress import wasyncore

        while not self._stopped.is_set():
            wasyncore.loop(timeout=0.05, map=self.server._map, count=1)

    def stop(self):
        self._stopped.set()
        self.thread.join(5)
        self.server.task_dispatcher.shutdown()
        from waitress import wasyncore

        wasyncore.close_all(self.server._map)


@pytest.fixture
def live_server(app):
    server = LiveServer(app)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mock_pins():
    """gpiozero MockFactory as the pin factory, restored (and its pins freed) afterwards."""
    from gpiozero import Device
    from gpiozero.pins.mock import MockFactory

    saved = Device.pin_factory
    factory = MockFactory()
    Device.pin_factory = factory
    try:
        yield factory
    finally:
        factory.reset()
        Device.pin_factory = saved
