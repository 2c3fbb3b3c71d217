"""Screenshots of every console page for docs/ (``python -m bench.console_screens``):
the demo hub in Debian's chromium at 1366 px, and the fleet on a 360 px phone."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from kiosk.hub import accounts, db
from kiosk.hub.app import create_hub_app
from kiosk.hub.demo import fill_demo
from tests.hub.browser import start_chromium

from .console import FAST, PASSWORD, Session, serving

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = {
    "login": "/masuk",
    "armada": "/",
    "permintaan": "/permintaan",
    "skm": "/skm",
    "pengaduan": "/pengaduan",
    "kebenaran": "/katalog-kebenaran",
    "pengaturan": "/pengaturan",
}


def full_page(driver, path: Path, width: int) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 600), 4000))
    driver.save_screenshot(str(path))


def log_in(driver, base: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base + "/masuk")
    driver.find_element(By.ID, "name").send_keys("bench")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()


@contextmanager
def demo_console(tmp: Path) -> Iterator[str]:
    """The demo hub in ``tmp`` with an admin "bench", served on 127.0.0.1: yields its URL."""
    hub = tmp / "hub"
    hub.mkdir()
    engine = db.connect(db.default_url(hub))
    db.upgrade(engine)
    fill_demo(engine, today=date.today())
    accounts.add_user(engine, "bench", "admin", PASSWORD, now=db.utcnow(), hasher=FAST)
    engine.dispose()
    app = create_hub_app(hub, test_config={"CONSOLE_PASSWORD_HASHER": FAST})
    with serving(app) as base:
        yield base


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pelita-screens-") as tmp:
        with demo_console(Path(tmp)) as base:
            Session(base).login("bench")  # the server answers before chromium starts
            driver = start_chromium(Path(tmp) / "unduhan")
            try:
                full_page_all(driver, base)
            finally:
                driver.quit()


def full_page_all(driver, base: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base + "/masuk")
    full_page(driver, DOCS / "console-login.png", 1366)
    log_in(driver, base)
    for name, path in PAGES.items():
        if name == "login":
            continue
        driver.set_window_size(1366, 768)
        driver.get(base + path)
        full_page(driver, DOCS / f"console-{name}.png", 1366)
    driver.get(base + "/pengaduan")
    driver.find_element(By.CSS_SELECTOR, "tbody th a").click()
    full_page(driver, DOCS / "console-pengaduan-detail.png", 1366)
    driver.set_window_size(360, 740)
    driver.get(base + "/")
    full_page(driver, DOCS / "console-armada-phone.png", 360)
    print("screenshots written to", DOCS)


if __name__ == "__main__":
    main()
