"""The hub commands: keys where they belong, validation before signing, freshness."""

from __future__ import annotations

import shutil
import stat
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.config import load_config
from kiosk.hub.repo import Hub
from kiosk.sync.run import run_sync


def invoke(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def hub_dir(tmp_path):
    out = invoke("hub", "init", str(tmp_path / "hub"))
    assert out.exit_code == 0, out.output
    return tmp_path / "hub"


def test_init_keeps_keys_out_of_the_published_folder(hub_dir):
    public_files = [p for p in (hub_dir / "public").rglob("*") if p.is_file()]
    assert public_files and not any(b"PRIVATE KEY" in p.read_bytes() for p in public_files)
    keys = sorted(p.relative_to(hub_dir).as_posix() for p in (hub_dir / "keys").rglob("*.pem"))
    assert keys == [
        "keys/offline-root/root-1.pem",
        "keys/offline-root/root-2.pem",
        "keys/offline-root/root-3.pem",
        "keys/online/complaints.pem",
        "keys/online/snapshot.pem",
        "keys/online/timestamp.pem",
        "keys/technician/targets.pem",
    ]
    for key in (hub_dir / "keys").rglob("*.pem"):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_init_says_which_key_goes_where_and_refuses_twice(tmp_path):
    out = invoke("hub", "init", str(tmp_path / "h"), "--root-keys", "2", "--root-threshold", "1")
    assert "offline USB stick" in out.output and "technician keeps it" in out.output
    assert "Serve or copy ONLY" in out.output and "1.root.json" in out.output
    again = invoke("hub", "init", str(tmp_path / "h"))
    assert again.exit_code == 1 and "already holds a hub" in again.output


def test_publish_refuses_an_invalid_catalog_with_every_problem(hub_dir, catalog_copy):
    skck = catalog_copy / "services" / "skck.yaml"
    skck.write_text(skck.read_text().replace("fee: 30000", "fee: banyak"))
    sktm = catalog_copy / "services" / "sktm.yaml"
    sktm.write_text(sktm.read_text().replace("name:", "nama:", 1))
    out = invoke("hub", "publish", str(catalog_copy), "--hub", str(hub_dir))
    assert out.exit_code == 1
    assert "skck.yaml" in out.output and "sktm.yaml" in out.output
    assert "nothing published" in out.output
    assert Hub(hub_dir).last_release_version() == 0


def test_publish_numbers_releases_and_names_targets_by_hash(hub_dir, catalog_copy):
    for expected in (1, 2):
        out = invoke("hub", "publish", str(catalog_copy), "--hub", str(hub_dir))
        assert f"published catalog version {expected}" in out.output
    names = [p.name for p in (hub_dir / "public/targets").iterdir()]
    releases = [n for n in names if n.endswith(".catalog.json")]
    assert len(releases) == 2 and all(len(n.split(".")[0]) == 64 for n in names)
    # each release also packed, release 2 also as a patch from 1 (release 1's packed
    # form stays while metadata that lists it is kept for kiosks mid-download)
    assert sorted(n.split(".", 1)[1] for n in names if n not in releases) == [
        "catalog-patch-from-1.json.xz",
        "catalog.json.xz",
        "catalog.json.xz",
        "report-key.json",
    ]


def test_refresh_resigns_only_when_due_and_warns_loudly(hub_dir):
    out = invoke("hub", "refresh", "--hub", str(hub_dir))
    assert out.exit_code == 0 and "nothing due" in out.output
    later = datetime.now(UTC) + timedelta(days=10)
    done, warnings = Hub(hub_dir, now=lambda: later).refresh()
    # init signed four times: the empty metadata, the report key (docs/reports.md), and
    # the delegation of complaint statuses and its empty role (docs/residents-voice.md)
    assert done == ["re-signed timestamp (version 5)"] and warnings == []
    much_later = datetime.now(UTC) + timedelta(days=170)
    done, warnings = Hub(hub_dir, now=lambda: much_later).refresh()
    assert "re-signed snapshot (version 5)" in done
    assert any(w.startswith("WARNING: targets expires in") for w in warnings)
    out = invoke("hub", "refresh", "--hub", str(hub_dir), "--force")
    assert out.exit_code == 0 and "re-signed timestamp" in out.output


def test_status_lists_every_role(hub_dir):
    out = invoke("hub", "status", "--hub", str(hub_dir))
    assert out.exit_code == 0
    for role in ("root", "targets", "snapshot", "timestamp"):
        assert f"{role:9} version" in out.output
    assert "none published yet" in out.output


def test_passphrase_protection_without_prompts(tmp_path, catalog_copy):
    hub = str(tmp_path / "hub")
    out = invoke("hub", "init", hub, "--encrypt-keys", env={"KIOSK_HUB_PASSPHRASE": ""})
    assert out.exit_code == 1 and "KIOSK_HUB_PASSPHRASE" in out.output
    env = {"KIOSK_HUB_PASSPHRASE": "rahasia desa"}
    assert invoke("hub", "init", hub, "--encrypt-keys", env=env).exit_code == 0
    assert b"ENCRYPTED" in (tmp_path / "hub/keys/technician/targets.pem").read_bytes()
    assert b"ENCRYPTED" not in (tmp_path / "hub/keys/online/timestamp.pem").read_bytes()
    locked = invoke(
        "hub", "publish", str(catalog_copy), "--hub", hub, env={"KIOSK_HUB_PASSPHRASE": ""}
    )
    assert locked.exit_code == 1 and "passphrase-protected" in locked.output
    wrong = invoke(
        "hub", "publish", str(catalog_copy), "--hub", hub, env={"KIOSK_HUB_PASSPHRASE": "salah"}
    )
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output
    assert invoke("hub", "publish", str(catalog_copy), "--hub", hub, env=env).exit_code == 0


def test_usb_stick_sync_from_a_copied_public_folder(hub_history, tmp_path):
    stick = tmp_path / "media/usb/pelita-hub"
    shutil.copytree(hub_history.v2, stick)
    config = load_config(
        env={},
        overrides={"state_dir": str(tmp_path / "kiosk"), "trust_root": str(hub_history.trust_root)},
    )
    result = run_sync(config, stick.as_uri())  # as the USB unit passes it
    assert result.ok and result.version == 2, result.summary
    assert all(u.startswith("file://") for u in result.fetcher.stats.urls)


def test_usb_stick_with_a_flipped_byte_is_refused(hub_history, tmp_path):
    stick = tmp_path / "stick"
    shutil.copytree(hub_history.v2, stick)
    for target in (stick / "targets").glob("*.catalog*"):  # every form of the release
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 1
        target.write_bytes(bytes(data))
    config = load_config(
        env={},
        overrides={"state_dir": str(tmp_path / "kiosk"), "trust_root": str(hub_history.trust_root)},
    )
    result = run_sync(config, str(stick))
    assert not result.ok and "does not match what the kecamatan signed" in result.reason
    assert result.version == 0  # still the bundled catalog


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"trust_root": ""}, "no trust root configured"),
        ({"hub_url": ""}, "no hub configured"),
        ({"hub_url": "/nonexistent/stick"}, "is not a hub folder"),
        ({"hub_url": "HUB_DIR"}, "whole hub folder, with its secret keys"),
        ({"hub_url": "http://127.0.0.1:9/"}, "connection to the hub failed"),
    ],
)
def test_misconfiguration_is_explained(tmp_path, hub_history, overrides, words):
    settings = {
        "state_dir": str(tmp_path / "k"),
        "trust_root": str(hub_history.trust_root),
        "hub_url": str(hub_history.v1),
        **overrides,
    }
    if settings["hub_url"] == "HUB_DIR":
        settings["hub_url"] = str(hub_history.hub_dir)
    result = run_sync(load_config(env={}, overrides=settings))
    assert not result.ok and words in result.reason, result.reason


def test_each_release_is_also_signed_packed_and_as_patches_from_the_last_four(
    hub_dir, bundled_catalog
):
    import dataclasses
    import hashlib
    from datetime import date

    from tuf.api.metadata import Metadata

    from kiosk.catalog.release import build_release
    from kiosk.tuf_layout import PACKED_NAME, TARGET_NAME, is_release_form, patch_name

    hub = Hub(hub_dir)
    releases = {}
    for version in range(1, 8):
        services = tuple(
            dataclasses.replace(s, fee=1000 * version) if s.id == "sktm" else s
            for s in bundled_catalog.services
        )
        releases[version] = build_release(
            dataclasses.replace(bundled_catalog, services=services), version, date(2026, 12, 1)
        )
        hub.sign_release(releases[version], version, date(2026, 12, 1))
    targets = {
        path: Metadata.from_file(str(path)).signed.targets
        for path in hub.metadata_dir.glob("*.targets.json")
    }
    latest = targets[max(targets, key=lambda p: int(p.name.split(".")[0]))]
    forms = sorted(name for name in latest if is_release_form(name))
    assert forms == sorted([PACKED_NAME, *(patch_name(v) for v in (3, 4, 5, 6))])
    for old in (3, 4, 5, 6):
        custom = latest[patch_name(old)].custom
        assert custom == {
            "catalog_version": 7,
            "from_version": old,
            "from_sha256": hashlib.sha256(releases[old]).hexdigest(),
        }
    assert latest[TARGET_NAME].custom["catalog_version"] == 7  # older kiosks read only this
    listed = {f"{i.hashes['sha256']}.{n}" for t in targets.values() for n, i in t.items()}
    on_disk = {p.name for p in hub.targets_dir.iterdir()}
    forms_on_disk = {n for n in on_disk if is_release_form(n.partition(".")[2])}
    assert forms_on_disk and forms_on_disk <= listed  # what no kept metadata lists is pruned
    written = sum(1 + min(v - 1, 4) for v in range(1, 8))  # packed + patches, per release
    assert len(forms_on_disk) < written
    assert latest[TARGET_NAME].length == len(releases[7])
