"""The console in a real browser (Debian's chromium + chromium-driver via Selenium):
log in, read every page, change a complaint's status, export a report, use it on a phone."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from kiosk.hub import db
from kiosk.hub.app import create_hub_app
from kiosk.hub.simulate import Sim, at_wib

from ..conftest import LiveServer
from .browser import require_chromium, start_chromium
from .console_helpers import CONFIG, add_users

pytestmark = pytest.mark.slow


@pytest.fixture
def hub(tmp_path):
    require_chromium()
    app = create_hub_app(tmp_path / "hub", test_config=dict(CONFIG, CONSOLE_NOW=db.utcnow))
    engine = app.extensions["hub_db"]
    add_users(engine)
    sim = Sim(engine, random.Random(4))
    sim.kiosks([("betro", "Betro"), ("kemlagi", "Kemlagi")], at=db.utcnow())
    today = date.today()
    sim.health("betro", db.utcnow() - timedelta(minutes=5))
    sim.counts("betro", at_wib(today - timedelta(days=2), 9), {"skck": {"view": 6}})
    for day in range(10):
        sim.survey("kemlagi", today - timedelta(days=day), "skck")
    sim.complaint("kemlagi", "TIKE-T001", db.utcnow() - timedelta(days=1))
    server = LiveServer(app)
    try:
        yield server
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture
def browser(tmp_path):
    driver = start_chromium(tmp_path / "unduhan")
    try:
        yield driver
    finally:
        driver.quit()


def log_in(driver, url, name="budi"):
    from selenium.webdriver.common.by import By

    driver.get(url + "/")
    assert driver.current_url.startswith(url + "/masuk")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys("rahasia-kecamatan-1")
    driver.find_element(By.CSS_SELECTOR, "form.login button").click()


def heading(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "h1").text


def shows(driver, text: str, seconds: float = 20) -> bool:
    """Whether ``text`` appears on the page within ``seconds`` (a click's page may still load)."""
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    def found(d) -> bool:
        try:
            return text in d.page_source
        except StaleElementReferenceException:
            return False

    try:
        return bool(WebDriverWait(driver, seconds).until(found))
    except TimeoutException:
        return False


def wait_for_file(folder, suffix, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(f"*{suffix}")] if folder.exists() else []
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}")


def test_staff_read_every_page_answer_a_complaint_and_export(hub, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    log_in(browser, hub.url)
    assert shows(browser, "<h1>Armada kios</h1>")
    assert "Betro" in browser.find_element(By.TAG_NAME, "table").text
    pages = {
        "Permintaan": "Permintaan layanan",
        "SKM / IKM": "Survei Kepuasan Masyarakat (IKM)",
        "Kebenaran katalog": "Kebenaran katalog",
        "Pengaduan": "Pengaduan warga",
    }
    for link, title in pages.items():
        browser.find_element(By.LINK_TEXT, link).click()
        assert shows(browser, f"<h1>{title}</h1>"), link
        assert heading(browser) == title
    browser.find_element(By.LINK_TEXT, "TIKE-T001").click()
    Select(browser.find_element(By.ID, "f-status")).select_by_visible_text("Diverifikasi")
    browser.find_element(By.ID, "f-jawaban").send_keys("Sedang kami periksa.")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    assert shows(browser, "Status pengaduan TIKE-T001 diubah menjadi Diverifikasi.")
    assert "Sedang kami periksa." in browser.page_source
    browser.find_element(By.LINK_TEXT, "SKM / IKM").click()
    browser.find_element(By.LINK_TEXT, "Unduh XLSX").click()
    book = load_workbook(wait_for_file(tmp_path / "unduhan", ".xlsx"))
    assert any(row[0].value == "IKM" for row in book["IKM"].iter_rows())
    browser.find_element(By.CSS_SELECTOR, "form.who button").click()
    assert shows(browser, "<h1>Masuk ke konsol</h1>")


def test_pages_fit_a_phone_screen(hub, tmp_path):
    driver = start_chromium(tmp_path / "unduhan", width=360, height=740)
    try:
        log_in(driver, hub.url, "ani")
        for path in ("/", "/permintaan", "/skm", "/pengaduan", "/katalog-kebenaran", "/pengaturan"):
            driver.get(hub.url + path)
            wide = driver.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert wide <= 0, f"{path} is {wide}px wider than the phone"
    finally:
        driver.quit()
