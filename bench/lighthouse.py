"""Lighthouse 12.2.3 (mobile preset, the default) with Debian's chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LIGHTHOUSE = "lighthouse@12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


@dataclass(frozen=True)
class Scores:
    performance: int
    accessibility: int
    best_practices: int
    failed: tuple[str, ...]  # ids of audits that lost points in these categories


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def read_report(report: dict) -> Scores:
    categories = report["categories"]
    failed = []
    for name in CATEGORIES:
        for ref in categories[name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failed.append(f"{name}:{ref['id']}")
    return Scores(
        *(round((categories[name]["score"] or 0) * 100) for name in CATEGORIES),
        failed=tuple(failed),
    )


def run_lighthouse(url: str, work: Path, headers: dict[str, str] | None = None) -> Scores:
    """One Lighthouse run with a fresh chromium profile; raises on failure. ``headers``
    go with every request (the console's session cookie)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("benchmarks only send traffic to 127.0.0.1")
    browser = chromium()
    if browser is None:
        raise RuntimeError("chromium is missing (apt-get install chromium)")
    with tempfile.TemporaryDirectory(dir=work) as profile:
        output = Path(profile) / "report.json"
        command = [
            "npx",
            "-y",
            LIGHTHOUSE,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}/chrome",
        ]
        if headers:
            command.append(f"--extra-headers={json.dumps(headers)}")
        env = {**os.environ, "CHROME_PATH": browser}
        subprocess.run(command, env=env, check=True, timeout=240, capture_output=True)
        return read_report(json.loads(output.read_text(encoding="utf-8")))
