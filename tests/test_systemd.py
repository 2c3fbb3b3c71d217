"""sd_notify readiness and watchdog: real datagrams on a real unix socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from kiosk.systemd import notify, start_watchdog, watchdog_interval

from .conftest import REPO, free_port


@pytest.fixture
def notify_socket(tmp_path):
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(10)
    try:
        yield str(path), sock
    finally:
        sock.close()


def test_notify_outside_systemd_does_nothing():
    assert notify("READY=1", env={}) is False


def test_notify_sends_the_message(notify_socket):
    path, sock = notify_socket
    assert notify("READY=1", env={"NOTIFY_SOCKET": path})
    assert sock.recv(100) == b"READY=1"


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, None),
        ({"WATCHDOG_USEC": "30000000"}, 15.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),  # meant for another pid
        ({"WATCHDOG_USEC": "x"}, None),
    ],
)
def test_watchdog_interval(env, expected):
    assert watchdog_interval(env) == expected


def test_watchdog_pings_only_while_healthy(notify_socket):
    path, sock = notify_socket
    healthy = [True]
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"}
    stop = start_watchdog(lambda: healthy[0], env=env)
    try:
        assert sock.recv(100) == b"WATCHDOG=1"
        healthy[0] = False
        time.sleep(0.2)
        sock.settimeout(0.01)
        while True:  # drain what was sent before the flip
            try:
                sock.recv(100)
            except TimeoutError:
                break
        sock.settimeout(0.4)
        with pytest.raises(TimeoutError):
            sock.recv(100)
    finally:
        stop.set()


def test_kiosk_serve_says_ready_and_pings_while_it_answers(notify_socket, tmp_path):
    path, sock = notify_socket
    env = {
        **os.environ,
        "NOTIFY_SOCKET": path,
        "WATCHDOG_USEC": "400000",
        "KIOSK_STATE_DIR": str(tmp_path / "state"),
    }
    env.pop("KIOSK_CONFIG", None)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--config", "/dev/null"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        messages = [sock.recv(100) for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(10)
    assert messages == [b"READY=1", b"WATCHDOG=1"]
