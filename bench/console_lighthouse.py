"""Lighthouse (accessibility, best practices, performance) on every console page, logged
in, on the demo hub: ``python -m bench.console_lighthouse`` (needs chromium and npx)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from kiosk.hub import accounts, db
from kiosk.hub.app import create_hub_app
from kiosk.hub.demo import fill_demo

from .console import FAST, PASSWORD, Session, serving
from .console_screens import PAGES
from .lighthouse import run_lighthouse


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pelita-lighthouse-") as tmp:
        hub = Path(tmp) / "hub"
        hub.mkdir()
        engine = db.connect(db.default_url(hub))
        db.upgrade(engine)
        fill_demo(engine, today=date.today())
        accounts.add_user(engine, "bench", "admin", PASSWORD, now=db.utcnow(), hasher=FAST)
        engine.dispose()
        app = create_hub_app(hub, test_config={"CONSOLE_PASSWORD_HASHER": FAST})
        with serving(app) as base:
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
