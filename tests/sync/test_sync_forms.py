"""Sync by the smaller forms of a release (issue 12, item 6): a patch on the release the
kiosk holds, or the packed release; the whole release stays for older kiosks. A real
hub (real keys) on a real HTTP server on 127.0.0.1; the kiosk only ever activates
bytes that equal the whole release's signed sha256."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import urllib.request
from datetime import date

import pytest

import kiosk.catalog.release
import kiosk.hub.release_forms
import kiosk.sync.transfer
import kiosk.web.pages
from kiosk.catalog.store import CatalogStore
from kiosk.config import load_config
from kiosk.hub.repo import Hub
from kiosk.sync.run import run_sync
from kiosk.sync.transfer import REBUILT
from kiosk.tuf_layout import PACKED_NAME, TARGET_NAME, patch_name
from kiosk.web import create_app

from ..conftest import CATALOG_DIR, REPO, LiveServer
from .conftest import assert_serving, set_skck_fee, status, stop_site
from .hubserver import HubServer


def downloaded(result) -> list[str]:
    """The target names a sync downloaded (hash prefix dropped)."""
    return [
        u.rsplit("/", 1)[1].split(".", 1)[1] for u in result.fetcher.stats.urls if "/targets/" in u
    ]


def test_one_changed_fee_comes_as_a_patch_and_the_site_shows_it(at_v1):
    result = run_sync(at_v1)
    assert result.ok and result.changed, result.summary
    assert downloaded(result) == [patch_name(1)]
    assert "(patch from 1, " in result.summary
    assert_serving(at_v1, 2, "Rp 35.000")
    site = LiveServer(create_app(at_v1))
    try:
        with urllib.request.urlopen(site.url + "/layanan/skck", timeout=5) as response:
            assert "Rp 35.000" in response.read().decode()
    finally:
        stop_site(site)


def test_a_kiosk_without_a_release_takes_the_packed_one(kiosk_config):
    result = run_sync(kiosk_config)
    assert result.ok and result.changed, result.summary
    assert downloaded(result) == [PACKED_NAME]
    assert_serving(kiosk_config, 1, "Rp 30.000")


def flip_middle(path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def test_a_tampered_patch_is_refused_and_the_packed_release_taken(at_v1, served):
    [patch] = (served / "targets").glob(f"*.{patch_name(1)}")
    flip_middle(patch)
    result = run_sync(at_v1)
    assert result.ok, result.summary
    assert downloaded(result) == [patch_name(1), PACKED_NAME]
    assert "refused first: patch from 1:" in result.summary
    assert "does not match what the kecamatan signed" in result.summary
    assert_serving(at_v1, 2, "Rp 35.000")


def test_every_form_tampered_keeps_the_old_catalog(at_v1, served):
    for path in (served / "targets").glob("*.catalog*"):
        flip_middle(path)
    result = run_sync(at_v1)
    assert not result.ok and "does not match what the kecamatan signed" in result.reason
    assert downloaded(result) == [patch_name(1), PACKED_NAME, TARGET_NAME]
    assert_serving(at_v1, 1, "Rp 30.000")
    assert CatalogStore(at_v1.state_path / "catalog").versions() == [1]


def test_a_missing_patch_falls_through_to_the_packed_release(at_v1, served):
    for path in (served / "targets").glob(f"*.{patch_name(1)}"):
        path.unlink()  # e.g. a stick copied in a hurry
    result = run_sync(at_v1)
    assert result.ok, result.summary
    assert downloaded(result) == [patch_name(1), PACKED_NAME]
    assert_serving(at_v1, 2, "Rp 35.000")


def test_a_kiosk_that_ignores_the_smaller_forms_still_gets_the_whole_release(at_v1, monkeypatch):
    """What a kiosk from before the forms does with a new hub: catalog.json, as ever."""
    monkeypatch.setattr(kiosk.sync.transfer, "_smaller_forms", lambda *args: iter(()))
    result = run_sync(at_v1)
    assert result.ok, result.summary
    assert downloaded(result) == [TARGET_NAME]
    assert_serving(at_v1, 2, "Rp 35.000")


def test_the_usb_stick_carries_the_patch_too(at_v1, hub_history, tmp_path):
    stick = tmp_path / "stick" / "pelita-kiosk"
    shutil.copytree(hub_history.v2, stick)
    result = run_sync(at_v1, stick.as_uri())
    assert result.ok, result.summary
    assert all(u.startswith("file://") for u in result.fetcher.stats.urls)
    assert downloaded(result) == [patch_name(1)]
    assert_serving(at_v1, 2, "Rp 35.000")


def test_a_sync_that_finds_nothing_new_parses_and_renders_nothing(at_v1, monkeypatch):
    assert run_sync(at_v1).changed
    calls: list[str] = []
    real_parse, real_site = kiosk.catalog.release.catalog_from_data, kiosk.web.pages.Site
    monkeypatch.setattr(
        kiosk.catalog.release,
        "catalog_from_data",
        lambda *a, **kw: calls.append("parse") or real_parse(*a, **kw),
    )
    monkeypatch.setattr(
        kiosk.web.pages, "Site", lambda *a, **kw: calls.append("render") or real_site(*a, **kw)
    )
    result = run_sync(at_v1)
    assert result.ok and not result.changed, result.summary
    assert calls == []
    assert status(at_v1)["details"]["version"] == 2


# ---------------------------------------------------------------- a hub of our own


@pytest.fixture
def own_hub(tmp_path):
    """A hub that publishes as the test goes, served on 127.0.0.1, and a kiosk of it."""
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, catalog)
    hub = Hub(tmp_path / "hub")
    hub.init()
    hub.publish(catalog, published=date(2026, 11, 1))
    server = HubServer(hub.public)
    config = load_config(
        env={},
        overrides={
            "state_dir": str(tmp_path / "kiosk"),
            "hub_url": server.url,
            "trust_root": str(hub.metadata_dir / "1.root.json"),
        },
    )
    assert run_sync(config).ok
    try:
        yield hub, catalog, config
    finally:
        server.stop()


def test_a_kiosk_two_releases_behind_takes_the_patch_from_its_own_release(own_hub):
    hub, catalog, config = own_hub
    set_skck_fee(catalog, "fee: 35000")
    hub.publish(catalog, published=date(2026, 11, 2))
    set_skck_fee(catalog, "fee: 40000")
    hub.publish(catalog, published=date(2026, 11, 3))
    result = run_sync(config)
    assert result.ok, result.summary
    assert downloaded(result) == [patch_name(1)]
    assert_serving(config, 3, "Rp 40.000")


def test_a_signed_patch_that_gives_other_bytes_is_never_activated(own_hub, monkeypatch):
    """Even a patch signed with the right key must rebuild exactly the signed release."""
    hub, catalog, config = own_hub
    real = kiosk.hub.release_forms.make_patch

    def wrong_patch(old: bytes, new: bytes) -> bytes:
        assert new.count(b'"fee":35000') == 1
        return real(old, new.replace(b'"fee":35000', b'"fee":99000'))

    monkeypatch.setattr(kiosk.hub.release_forms, "make_patch", wrong_patch)
    set_skck_fee(catalog, "fee: 35000")
    published = hub.publish(catalog, published=date(2026, 11, 2))
    result = run_sync(config)
    assert result.ok, result.summary
    assert downloaded(result) == [patch_name(1), PACKED_NAME]
    assert "does not match the signed release" in result.summary
    assert_serving(config, 2, "Rp 35.000")
    store = CatalogStore(config.state_path / "catalog")
    for version in store.versions():
        assert b'"fee":99000' not in (store.releases / str(version) / "catalog.json").read_bytes()
    current = store.current_release_file().read_bytes()
    assert hashlib.sha256(current).hexdigest() == published.sha256


@pytest.mark.parametrize("point", [REBUILT, "sync:staged", "activate:start"])
def test_a_power_cut_while_applying_a_patch_leaves_the_old_release(at_v1, point):
    """kill -9 the sync right after the patch gave the release, and before activation."""
    args = [point, str(at_v1.state_path), at_v1.hub_url, at_v1.trust_root]
    died = subprocess.run(
        [sys.executable, "-m", "tests.sync.killed_sync", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert died.returncode == -9, died.stderr
    assert_serving(at_v1, 1, "Rp 30.000")
    result = run_sync(at_v1)  # the next timer run
    assert result.ok and downloaded(result) == [patch_name(1)], result.summary
    assert_serving(at_v1, 2, "Rp 35.000")
