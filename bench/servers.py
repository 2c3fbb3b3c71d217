"""The two servers under test, each a real process on 127.0.0.1.

The kiosk runs as deployed: ``kiosk serve --config <file>`` (waitress). nginx serves
the very same pre-rendered pages from a folder, with gzip_static.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status_kb(pid: int, field: str) -> int:
    """A ``VmHWM``/``VmRSS`` line of /proc/<pid>/status, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def kiosk_executable() -> str:
    """The ``kiosk`` console script of the running venv, as a deployment runs it."""
    script = Path(sys.executable).parent / "kiosk"
    if not script.exists():
        raise SystemExit(f"{script} is missing: run scripts/setup first")
    return str(script)


class Process:
    """A child process with its log in the work folder; stopped with SIGTERM."""

    def __init__(self, command: list[str], log: Path, env: dict | None = None):
        self.command = command
        self.log = log
        self.env = env
        self.popen: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self) -> Process:
        self.started_at = time.perf_counter()
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(
                self.command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(5)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(5)


class Kiosk(Process):
    def __init__(self, work: Path, port: int, extra_config: str = ""):
        self.port = port
        self.state = work / "state"
        self.config_file = work / f"kiosk-{port}.toml"
        self.config_file.write_text(
            f'village = "kemlagi"\nhost = "127.0.0.1"\nport = {port}\n'
            f'state_dir = "{self.state}"\n' + extra_config,
            encoding="utf-8",
        )
        super().__init__(
            [kiosk_executable(), "serve", "--config", str(self.config_file)],
            work / f"kiosk-{port}.log",
        )


NGINX_CONF = """\
worker_processes auto;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    default_type "text/html; charset=utf-8";
    types {{ }}
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    gzip_static on;
    gzip on;
    gzip_vary on;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        add_header Cache-Control no-cache;
        location = /cari {{ try_files /cari.html =404; }}
        location / {{ try_files $uri.html $uri/index.html =404; }}
    }}
}}
"""


class Nginx(Process):
    def __init__(self, work: Path, port: int, root: Path, binary: str = "nginx"):
        self.port = port
        (work / "nginx-tmp").mkdir(exist_ok=True)
        conf = work / "nginx.conf"
        conf.write_text(NGINX_CONF.format(work=work, port=port, root=root), encoding="utf-8")
        # nginx workers drop to "nobody" when started as root: they must read the pages.
        for folder in (work, root, *root.rglob("*")):
            if folder.is_dir():
                os.chmod(folder, 0o755)
        command = [binary, "-e", str(work / "nginx-error.log"), "-c", str(conf), "-p", str(work)]
        super().__init__(command, work / "nginx.log")


def nginx_binary() -> str:
    """nginx from PATH or /usr/sbin (not on a normal user's PATH)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not found:
        raise SystemExit("nginx is missing: run bench/run (it installs nginx-light)")
    return found
