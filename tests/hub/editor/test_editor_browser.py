"""Acceptance of issue 16 in a real browser (Debian's chromium + chromium-driver):

log in, change a fee, see the error for a bad value, preview the page and the slip,
confirm, publish with the passphrase (a wrong one publishes nothing); a kiosk then syncs
for real (``kiosk sync`` in its own process against the hub served on 127.0.0.1) and shows
the new fee without the "belum dipastikan" note; roll back, sync, the old fee is back
under a higher version.

Set PELITA_SCREENSHOTS=docs to refresh the screenshots in docs/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.catalog.store import CatalogStore
from kiosk.cli import main
from kiosk.config import load_config
from kiosk.hub.editor.history import History
from kiosk.hub.repo import Hub
from kiosk.web import create_app

from ...conftest import LiveServer
from ...sync.hubserver import HubServer
from ..browser import start_chromium
from ..console_helpers import FAST, PASSWORD, add_users

PASSPHRASE = "bambu runcing 1945"
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)]


@pytest.fixture
def browser(tmp_path):
    driver = start_chromium(tmp_path / "unduhan", width=1200, height=1000)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(check, what: str, seconds: float = 15):
    """Poll until ``check()`` is truthy (pages and syncs take their time); fail with ``what``."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def shoot(driver, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("PELITA_SCREENSHOTS") or tmp_path)
    driver.save_screenshot(str(folder / name))


def sync(env: dict[str, str]) -> str:
    """A real ``kiosk sync`` in its own process, as the kiosk's timer runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "sync"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def kiosk_page(driver, site: LiveServer, expect: str) -> str:
    def shown():
        driver.get(f"{site.url}/layanan/kia")
        body = driver.find_element("tag name", "body").text
        return body if expect in body else None

    return wait_for(shown, f"the kiosk to show {expect!r}")


def fee_field(driver):
    field = driver.find_element("id", "f-fee")
    field.clear()
    return field


def test_edit_check_preview_confirm_publish_sync_and_roll_back(
    browser, tmp_path, catalog_copy, make_hub_app
):
    driver = browser
    hub_dir = tmp_path / "hub"
    Hub(hub_dir, passphrase=PASSPHRASE.encode()).init(root_keys=1, root_threshold=1, encrypt=True)
    first = CliRunner().invoke(
        main,
        ["hub", "publish", str(catalog_copy), "--hub", str(hub_dir)],
        env={"KIOSK_HUB_PASSPHRASE": PASSPHRASE},
    )
    assert first.exit_code == 0, first.output
    app = make_hub_app(hub_dir, CATALOG_DIR=str(catalog_copy), CONSOLE_PASSWORD_HASHER=FAST)
    add_users(app.extensions["hub_db"])
    console = LiveServer(app)
    tuf = HubServer(hub_dir / "public")
    kiosk_env = {
        "KIOSK_STATE_DIR": str(tmp_path / "kiosk"),
        "KIOSK_HUB_URL": tuf.url,
        "KIOSK_TRUST_ROOT": str(hub_dir / "public/metadata/1.root.json"),
    }
    kiosk_config = load_config(env=kiosk_env)
    store = CatalogStore(kiosk_config.state_path / "catalog")
    try:
        assert "version 1" in sync(kiosk_env)
        site = LiveServer(create_app(kiosk_config))
        try:
            before = kiosk_page(driver, site, "Gratis")
            assert "Belum dipastikan" in before

            # log in as the admin
            driver.get(f"{console.url}/katalog/layanan/kia")
            driver.find_element("name", "name").send_keys("ani")
            driver.find_element("name", "password").send_keys(PASSWORD)
            driver.find_element("css selector", "form button[type=submit]").click()
            wait_for(lambda: driver.find_elements("id", "f-fee"), "the service form")

            # a bad fee: the error shows as you type, and saving refuses it too
            fee_field(driver).send_keys("lima ribu")
            error = wait_for(
                lambda: "lima ribu" in (t := driver.find_element("id", "err-fee").text) and t,
                "the check-as-you-type error",
            )
            assert error.startswith("Isi biaya dalam rupiah")
            driver.find_element("css selector", "button[name=then][value=stay]").click()
            wait_for(lambda: "Belum disimpan" in driver.page_source, "the refusal")
            assert "Isi biaya dalam rupiah" in driver.find_element("id", "err-fee").text
            driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center'})", driver.find_element("id", "f-fee")
            )
            shoot(driver, "editor-error.png", tmp_path)
            assert "\nfee: 0\n" in (catalog_copy / "services/kia.yaml").read_text()

            # the right fee, saved and previewed
            fee_field(driver).send_keys("15000")
            wait_for(lambda: not driver.find_element("id", "err-fee").text, "the error to go")
            driver.find_element("css selector", "button[name=then][value=preview]").click()
            wait_for(lambda: driver.find_elements("css selector", "iframe.ed-phone"), "preview")
            slip = driver.find_element("css selector", "pre.ed-sliptext").text
            assert "Biaya: Rp 15.000" in slip
            image = driver.find_element("css selector", "img.ed-slip")
            assert (
                wait_for(
                    lambda: driver.execute_script(
                        "return arguments[0].complete && arguments[0].naturalWidth", image
                    ),
                    "the slip image",
                )
                == 384 + 16
            )
            frame = driver.find_element("css selector", "iframe.ed-phone")
            assert frame.size["width"] == 360
            shoot(driver, "editor-preview.png", tmp_path)
            driver.switch_to.frame(frame)
            assert "Rp 15.000" in driver.find_element("tag name", "body").text
            driver.switch_to.default_content()

            # confirm: "sudah dicek dengan petugas/peraturan"
            driver.get(f"{console.url}/katalog/layanan/kia")
            source = driver.find_element("id", "c-source")
            source.clear()
            source.send_keys("Petugas Dispendukcapil, 2 Desember 2026")
            who = driver.find_element("id", "c-by")
            who.clear()
            who.send_keys("Bu Sari, Kasi PATEN")
            driver.find_element("css selector", "button[name=action][value=pastikan]").click()
            wait_for(lambda: "Sudah dipastikan oleh" in driver.page_source, "the confirmation")
            assert "Diubah setelah terbit terakhir" in driver.page_source
            shoot(driver, "editor-service.png", tmp_path)

            # publish: a wrong passphrase publishes nothing, the right one does
            public_before = sorted(p.name for p in (hub_dir / "public").rglob("*"))
            driver.get(f"{console.url}/katalog/terbitkan")
            driver.find_element("id", "p-pass").send_keys("salah")
            driver.find_element("css selector", "form.ed-publish button").click()
            wait_for(lambda: "Kata sandi kunci salah" in driver.page_source, "the refusal")
            assert sorted(p.name for p in (hub_dir / "public").rglob("*")) == public_before
            assert Hub(hub_dir).last_release_version() == 1
            assert "Biaya: Rp 15.000" in driver.page_source  # the diff before publishing
            driver.find_element("id", "p-pass").send_keys(PASSPHRASE)
            driver.find_element("css selector", "form.ed-publish button").click()
            wait_for(lambda: "Riwayat terbitan" in driver.title, "the history page")
            assert Hub(hub_dir).last_release_version() == 2
            assert History(hub_dir).get(2).published_by == "ani"

            # the kiosk syncs: new fee, no "belum dipastikan" for this service
            assert "version 2" in sync(kiosk_env)
            after = kiosk_page(driver, site, "Rp 15.000")
            assert "Belum dipastikan" not in after
            shoot_history(driver, console, tmp_path)

            # roll back to release 1: published again as version 3
            driver.get(f"{console.url}/katalog/riwayat")
            driver.find_element("id", "rb-1").send_keys(PASSPHRASE)
            driver.find_element("css selector", "form.ed-rollback button").click()
            wait_for(lambda: "Versi 3" in driver.page_source, "the roll-back")
            assert "isi versi 1 dikembalikan" in driver.page_source
            assert "version 3" in sync(kiosk_env)
            rolled = kiosk_page(driver, site, "Gratis")
            assert "Belum dipastikan" in rolled and "Rp 15.000" not in rolled
            assert store.load_current().version == 3
            assert "\nfee: 0\n" in (catalog_copy / "services/kia.yaml").read_text()
        finally:
            site.stop()
    finally:
        tuf.stop()
        console.stop()


def shoot_history(driver, console, tmp_path):
    driver.get(f"{console.url}/katalog/riwayat")
    wait_for(lambda: "Versi 2" in driver.page_source, "the history")
    shoot(driver, "editor-history.png", tmp_path)


def test_javascript_moves_rows_in_place_and_the_save_keeps_the_order(
    browser, tmp_path, catalog_copy, make_hub_app
):
    driver = browser
    app = make_hub_app(
        tmp_path / "hub", CATALOG_DIR=str(catalog_copy), CONSOLE_PASSWORD_HASHER=FAST
    )
    add_users(app.extensions["hub_db"])
    console = LiveServer(app)
    try:
        driver.get(f"{console.url}/katalog/layanan/kia")
        driver.find_element("name", "name").send_keys("budi")
        driver.find_element("name", "password").send_keys(PASSWORD)
        driver.find_element("css selector", "form button[type=submit]").click()
        wait_for(lambda: driver.find_elements("id", "f-fee"), "the service form")
        steps = driver.find_elements("css selector", "ol[data-kind=steps] > li textarea")
        first, second = steps[0].get_attribute("value"), steps[1].get_attribute("value")
        up = driver.find_element("css selector", "button[name=move][value=steps-1-up]")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", up)
        up.click()
        texts = [
            t.get_attribute("value")
            for t in driver.find_elements("css selector", "ol[data-kind=steps] > li textarea")
        ]
        assert texts[:2] == [second, first]
        orders = driver.find_elements("css selector", "ol[data-kind=steps] .ed-order")
        assert [o.get_attribute("value") for o in orders] == [
            str(n) for n in range(1, len(orders) + 1)
        ]
        assert "Tersimpan" not in driver.page_source  # moved in place, nothing posted
        driver.find_element("css selector", "button[name=then][value=stay]").click()
        wait_for(lambda: "Tersimpan" in driver.page_source, "the save")
        text = (catalog_copy / "services/kia.yaml").read_text().split("steps:")[1]
        assert text.index(second[:30]) < text.index(first[:30])
    finally:
        console.stop()
