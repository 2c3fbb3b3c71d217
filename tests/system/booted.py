"""A booted Debian Bookworm (systemd as PID 1 in systemd-nspawn) for the install test.

The root is made by debootstrap (default variant: like Raspberry Pi OS Lite it has the
``important`` packages) plus the apt packages install.sh wants, and cached under
/var/cache keyed by a hash of that package list; every run boots a throwaway overlay
of it, so the cache stays clean. The container has a private network: apt and pip have
no mirror inside, so pip installs from a wheelhouse made here (also cached). On these
machines systemd is not PID 1 on the host, which is why nspawn runs with
``--register=no --keep-unit --console=pipe`` and SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..conftest import REPO
from .netns import wait_for

CACHE = Path(os.environ.get("KIOSK_TEST_CACHE", "/var/cache/pelita-kiosk-tests"))
SUITE = "bookworm"
# What the harness itself needs in the root besides install.sh's packages.
BASE_INCLUDE = ["systemd", "systemd-sysv", "dbus", "iproute2"]
# Bump when the way the cached root is built changes.
ROOT_RECIPE = "1"


def install_packages() -> list[str]:
    """install.sh's own apt package list (the plain-Debian part)."""
    text = (REPO / "deploy/install.sh").read_text()
    block = re.search(r"^APT_PACKAGES=\((.*?)\)", text, re.S | re.M)
    assert block, "APT_PACKAGES not found in deploy/install.sh"
    return block.group(1).split()


def mirror() -> str:
    """The Debian mirror this machine's apt uses (deb822 or one-line sources)."""
    for path in sorted(Path("/etc/apt").rglob("*.sources")):
        for line in path.read_text().splitlines():
            if line.startswith("URIs:") and "security" not in line:
                return line.split()[1]
    for path in [Path("/etc/apt/sources.list"), *Path("/etc/apt").rglob("*.list")]:
        if path.is_file():
            for line in path.read_text().splitlines():
                parts = line.split()
                if parts[:1] == ["deb"] and "debian" in line and "security" not in line:
                    return next(p for p in parts[1:] if p.startswith("http"))
    return "http://deb.debian.org/debian"


def _run(cmd: list[str], *, timeout: float, log: Path | None = None, **kw) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if log:
        with open(log, "a") as out:
            out.write(f"$ {' '.join(cmd)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")


def base_root(log: Path) -> Path:
    """The cached Bookworm root with install.sh's packages; built when missing."""
    packages = sorted(set(BASE_INCLUDE + install_packages()))
    key = hashlib.sha256(f"{ROOT_RECIPE} {SUITE} {' '.join(packages)}".encode()).hexdigest()
    root = CACHE / f"{SUITE}-{key[:16]}"
    if (root / ".complete").exists():
        return root
    CACHE.mkdir(parents=True, exist_ok=True)
    building = root.with_name(root.name + f".building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    _run(
        ["debootstrap", f"--include={','.join(BASE_INCLUDE)}", SUITE, str(building), mirror()],
        timeout=900,
        log=log,
    )
    # No daemon may start inside the chroot while apt installs.
    policy = building / "usr/sbin/policy-rc.d"
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run(
        ["chroot", str(building), "apt-get", "install", "-y", "-q", "--no-install-recommends",
         *packages],
        timeout=900, log=log, env=env,
    )  # fmt: skip
    _run(["chroot", str(building), "apt-get", "clean"], timeout=60, log=log)
    policy.unlink()
    (building / ".complete").write_text(" ".join(packages) + "\n")
    _publish(building, root)
    return root


def wheelhouse(log: Path) -> Path:
    """Wheels for everything the kiosk needs beyond Debian's packages (cached by pyproject)."""
    key = hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()[:16]
    house = CACHE / f"wheelhouse-{key}"
    if (house / ".complete").exists():
        return house
    building = house.with_name(house.name + f".building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q",
           "--only-binary=:all:", "-d", str(building)]  # fmt: skip
    _run([*pip, str(REPO), "setuptools>=61", "wheel"], timeout=600, log=log)
    (building / ".complete").write_text("")
    _publish(building, house)
    return house


def _publish(building: Path, final: Path) -> None:
    """Move a finished build into place; another run may have finished the same one first."""
    try:
        building.rename(final)
    except OSError:
        if not (final / ".complete").exists():
            raise
        shutil.rmtree(building, ignore_errors=True)


class Container:
    """One boot of an overlay over the cached root, with its network namespace."""

    def __init__(self, base: Path, work: Path):
        self.base, self.work = base, work
        self.root = work / "merged"
        for d in ["upper", "ovl-work", "merged"]:
            (work / d).mkdir(parents=True, exist_ok=True)
        _run(
            ["mount", "-t", "overlay", "overlay", "-o",
             f"lowerdir={base},upperdir={work}/upper,workdir={work}/ovl-work", str(self.root)],
            timeout=30,
        )  # fmt: skip
        self.proc: subprocess.Popen | None = None
        self.console = work / "console.log"

    def boot(self) -> None:
        env = {**os.environ, "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY": "1"}
        with open(self.console, "ab") as out:
            self.proc = subprocess.Popen(
                ["systemd-nspawn", "-q", "-D", str(self.root), "-b", "--private-network",
                 "--register=no", "--keep-unit", "--console=pipe", "--machine=pelita-test"],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                start_new_session=True,
            )  # fmt: skip
        wait_for(lambda: self.leader() is not None, "the container's PID 1", timeout=30)
        wait_for(self._booted, "systemctl is-system-running", timeout=90)

    def leader(self) -> int | None:
        """PID (on the host) of the container's systemd."""
        if self.proc is None or self.proc.poll() is not None:
            return None
        pending = [self.proc.pid]
        while pending:
            pid = pending.pop()
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if Path(f"/proc/{child}/comm").read_text().strip() == "systemd":
                    return child
                pending.append(child)
        return None

    def _booted(self) -> bool:
        result = self.sh("systemctl is-system-running", check=False, timeout=10)
        return result.stdout.strip() in {"running", "degraded"}

    def sh(self, script: str, *, check: bool = True, timeout: float = 120):
        """Run a shell script inside the container (all its namespaces)."""
        pid = self.leader()
        assert pid is not None, "the container is not running"
        result = subprocess.run(
            ["nsenter", "-t", str(pid), "-a", "/usr/bin/env", "-i",
             "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
             "LANG=C.UTF-8", "TERM=dumb", "/bin/bash", "-c", script],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise AssertionError(
                f"in the container: {script}\nexit {result.returncode}\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    def netns_path(self) -> str:
        return f"/proc/{self.leader()}/ns/net"

    def reboot(self) -> None:
        """`reboot` inside; nspawn exits (it cannot restart itself here), so boot again."""
        self.sh("systemctl reboot", check=False, timeout=30)
        assert self.proc is not None
        self.proc.wait(60)
        self.boot()

    def shutdown(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.sh("systemctl poweroff", check=False, timeout=30)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(10)
        for _ in range(20):
            if subprocess.run(["umount", str(self.root)], capture_output=True).returncode == 0:
                break
            time.sleep(0.5)
        shutil.rmtree(Path("/run/systemd/nspawn/propagate/pelita-test"), ignore_errors=True)
