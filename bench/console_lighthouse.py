"""Lighthouse (accessibility, best practices, performance) on every console page, logged
in, on the demo hub: ``python -m bench.console_lighthouse`` (needs chromium and npx)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .console import Session
from .console_screens import PAGES, demo_console
from .lighthouse import run_lighthouse


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pelita-lighthouse-") as tmp:
        with demo_console(Path(tmp)) as base:
            session = Session(base)
            session.login("bench")
            cookie = "; ".join(f"{c.name}={c.value}" for c in session.jar)
            print("| page | accessibility | best practices | performance | lost points |")
            print("|---|---|---|---|---|")
            for name, path in PAGES.items():
                scores = run_lighthouse(base + path, Path(tmp), {"Cookie": cookie})
                print(
                    f"| {name} `{path}` | {scores.accessibility} | {scores.best_practices} "
                    f"| {scores.performance} | {', '.join(scores.failed) or '-'} |"
                )


if __name__ == "__main__":
    main()
