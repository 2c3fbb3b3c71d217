"""`kiosk serve` under systemd socket activation serves on the inherited fd 3."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time

from ..conftest import REPO


def test_serves_on_inherited_socket(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    env = {
        **os.environ,
        "KIOSK_STATE_DIR": str(tmp_path),
        "KIOSK_PORTAL_ADDRESS": "10.42.0.1",
        "LISTEN_FDS": "1",
    }
    env.pop("KIOSK_CONFIG", None)
    # LISTEN_PID must be the server's own pid: sh sets it, then execs into kiosk.
    command = f'LISTEN_PID=$$ exec "{sys.executable}" -m kiosk serve --config /dev/null'
    proc = subprocess.Popen(
        ["sh", "-c", command],
        env=env,
        cwd=REPO,
        pass_fds=(3,),  # keep fd 3 open through exec; preexec_fn puts the socket there
        preexec_fn=lambda: os.dup2(listener.fileno(), 3),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        listener.close()  # only the child holds it now
        deadline = time.monotonic() + 15
        status = None
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                try:
                    conn.request("GET", "/", headers={"Host": "10.42.0.1"})
                    status = conn.getresponse().status
                finally:
                    conn.close()
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode()
    assert "serving systemd socket" in out
