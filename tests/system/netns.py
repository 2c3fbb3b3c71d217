"""Network namespaces for the system tests: a hall, a phone and an uplink, made and removed here.

Every address used lives inside these namespaces (10.42.0.0/24 on the hotspot link,
203.0.113.0/24 on the uplink link, TEST-NET-3); nothing is sent anywhere else.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

NETNS_ETC = Path("/etc/netns")


def require_root(what: str) -> None:
    """Skip (with the reason) when the tests do not run as root; CI runs as root."""
    if os.geteuid() != 0:
        pytest.skip(f"{what} needs root (network namespaces, nft); CI runs the suite as root")


class Namespace:
    """One named network namespace; commands run in it with ``ip netns exec``.

    ``ip netns exec`` bind-mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf,
    so each namespace has its own resolver.
    """

    def __init__(self, name: str):
        self.name = name
        self.processes: list[subprocess.Popen] = []
        subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True)
        self.etc = NETNS_ETC / name
        self.etc.mkdir(parents=True, exist_ok=True)
        self.set_resolver(None)
        self.run("ip", "link", "set", "lo", "up")

    def set_resolver(self, address: str | None) -> None:
        text = f"nameserver {address}\n" if address else "# no resolver\n"
        (self.etc / "resolv.conf").write_text(text)

    def argv(self, *cmd: str) -> list[str]:
        return ["ip", "netns", "exec", self.name, *cmd]

    def run(self, *cmd: str, check: bool = True, timeout: float = 30, **kw):
        result = subprocess.run(
            self.argv(*cmd), capture_output=True, text=True, timeout=timeout, **kw
        )
        if check and result.returncode != 0:
            raise AssertionError(f"{self.name}: {' '.join(cmd)} failed:\n{result.stderr}")
        return result

    def start(self, *cmd: str, log: Path, env: dict | None = None) -> subprocess.Popen:
        """A background process in this namespace, its output in ``log``."""
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                self.argv(*cmd),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        self.processes.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        if proc in self.processes:
            self.processes.remove(proc)

    def close(self) -> None:
        for proc in list(self.processes):
            self.stop(proc)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        shutil.rmtree(self.etc, ignore_errors=True)


def veth(a: Namespace, a_name: str, b: Namespace, b_name: str) -> None:
    """A veth pair: ``a_name`` in ``a``, ``b_name`` in ``b``, both up."""
    a.run("ip", "link", "add", a_name, "type", "veth", "peer", "name", b_name, "netns", b.name)
    a.run("ip", "link", "set", a_name, "up")
    b.run("ip", "link", "set", b_name, "up")


def wait_for(check, what: str, timeout: float = 15.0) -> None:
    """Poll ``check()`` until it is true; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
