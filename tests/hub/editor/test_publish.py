"""Publishing the draft with the passphrase-protected content key; history; roll back."""

from __future__ import annotations

import pytest

from kiosk.catalog.release import parse_release
from kiosk.errors import CatalogInvalid
from kiosk.hub.editor.diff import catalog_changes
from kiosk.hub.editor.history import History
from kiosk.hub.editor.publish import publish, roll_back
from kiosk.hub.editor.source import CatalogSource
from kiosk.hub.keys import KeyLocked
from kiosk.hub.repo import Hub

PASSPHRASE = b"kunci rahasia kemlagi"


@pytest.fixture
def hub_dir(tmp_path):
    path = tmp_path / "hub"
    Hub(path, passphrase=PASSPHRASE).init(root_keys=1, root_threshold=1, encrypt=True)
    return path


def public_files(hub_dir):
    return sorted(
        (p.relative_to(hub_dir), p.read_bytes())
        for p in (hub_dir / "public").rglob("*")
        if p.is_file()
    )


def set_fee(catalog_dir, service, old, new):
    path = catalog_dir / "services" / f"{service}.yaml"
    text = path.read_text(encoding="utf-8")
    assert f"\nfee: {old}\n" in text
    path.write_text(text.replace(f"\nfee: {old}\n", f"\nfee: {new}\n"), encoding="utf-8")


@pytest.mark.parametrize("passphrase", [b"salah", None])
def test_a_wrong_or_missing_passphrase_publishes_nothing(hub_dir, catalog_copy, passphrase):
    before = public_files(hub_dir)
    with pytest.raises(KeyLocked):
        publish(str(hub_dir), CatalogSource(catalog_copy), by="admin", passphrase=passphrase)
    assert public_files(hub_dir) == before
    assert History(hub_dir).versions() == []


def test_an_invalid_draft_publishes_nothing(hub_dir, catalog_copy):
    set_fee(catalog_copy, "kia", 0, "gratis")
    before = public_files(hub_dir)
    with pytest.raises(CatalogInvalid) as caught:
        publish(str(hub_dir), CatalogSource(catalog_copy), by="admin", passphrase=PASSPHRASE)
    assert [(p.file, p.field) for p in caught.value.problems] == [("services/kia.yaml", "fee")]
    assert public_files(hub_dir) == before


def test_publish_records_who_and_roll_back_goes_forward(hub_dir, catalog_copy):
    source = CatalogSource(catalog_copy)
    first = publish(str(hub_dir), source, by="Bu Sari", passphrase=PASSPHRASE)
    set_fee(catalog_copy, "kia", 0, 15000)
    second = publish(str(hub_dir), source, by="Pak Budi", passphrase=PASSPHRASE)
    assert (first.version, second.version) == (1, 2)
    assert [(r.version, r.published_by) for r in History(hub_dir).all()] == [
        (2, "Pak Budi"),
        (1, "Bu Sari"),
    ]
    changes = catalog_changes(first.catalog(), second.catalog())
    assert [(c.key, c.status, c.lines) for c in changes] == [
        ("kia", "diubah", ("- Biaya: Gratis", "+ Biaya: Rp 15.000"))
    ]
    signed = Hub(hub_dir).public / "targets" / f"{second.sha256}.catalog.json"
    assert parse_release(signed.read_bytes()).service("kia").fee == 15000

    third = roll_back(str(hub_dir), source, 1, by="Bu Sari", passphrase=PASSPHRASE)
    assert (third.version, third.rollback_of) == (3, 1)
    assert Hub(hub_dir).last_release_version() == 3
    assert third.catalog().service("kia").fee == 0
    assert "\nfee: 0\n" in (catalog_copy / "services" / "kia.yaml").read_text()
    assert catalog_changes(first.catalog(), third.catalog()) == []


def test_roll_back_with_a_wrong_passphrase_changes_nothing(hub_dir, catalog_copy):
    source = CatalogSource(catalog_copy)
    publish(str(hub_dir), source, by="a", passphrase=PASSPHRASE)
    set_fee(catalog_copy, "kia", 0, 15000)
    publish(str(hub_dir), source, by="a", passphrase=PASSPHRASE)
    sources = source.snapshot()
    with pytest.raises(KeyLocked):
        roll_back(str(hub_dir), source, 1, by="a", passphrase=b"salah")
    assert source.snapshot() == sources
    assert Hub(hub_dir).last_release_version() == 2
