"""``kiosk hub publish`` records the history; ``kiosk hub encrypt-key`` protects the key."""

from __future__ import annotations

import getpass

from click.testing import CliRunner

from kiosk.cli import main
from kiosk.hub.editor.history import History


def invoke(*args, env=None, input=None):
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def test_encrypt_an_existing_key_then_publish_with_its_passphrase(tmp_path, catalog_copy):
    hub = tmp_path / "hub"
    assert invoke("hub", "init", str(hub)).exit_code == 0
    key = hub / "keys/technician/targets.pem"
    assert b"ENCRYPTED" not in key.read_bytes()
    out = invoke("hub", "encrypt-key", "--hub", str(hub), input="bambu runcing\nbambu runcing\n")
    assert out.exit_code == 0, out.output
    assert b"ENCRYPTED" in key.read_bytes()

    no_env = {"KIOSK_HUB_PASSPHRASE": ""}
    locked = invoke("hub", "publish", str(catalog_copy), "--hub", str(hub), env=no_env)
    assert locked.exit_code == 1 and "passphrase-protected" in locked.output
    assert History(hub).versions() == []

    env = {"KIOSK_HUB_PASSPHRASE": "bambu runcing"}
    out = invoke("hub", "publish", str(catalog_copy), "--hub", str(hub), env=env)
    assert out.exit_code == 0 and "published catalog version 1" in out.output
    assert History(hub).get(1).published_by == f"{getpass.getuser()} (kiosk hub publish)"

    changed = invoke(
        "hub", "encrypt-key", "--hub", str(hub), input="salah\nbaru sekali\nbaru sekali\n"
    )
    assert changed.exit_code == 1 and "wrong passphrase" in changed.output
    changed = invoke(
        "hub", "encrypt-key", "--hub", str(hub), input="bambu runcing\nbaru sekali\nbaru sekali\n"
    )
    assert changed.exit_code == 0
    out = invoke(
        "hub",
        "publish",
        str(catalog_copy),
        "--hub",
        str(hub),
        env={"KIOSK_HUB_PASSPHRASE": "baru sekali"},
    )
    assert out.exit_code == 0 and "published catalog version 2" in out.output


def test_the_demo_hub_gets_a_catalog_to_edit_and_a_first_release(tmp_path, catalog_copy):
    from kiosk.hub.editor.demo import DEMO_PASSPHRASE, prepare_demo_catalog
    from kiosk.hub.repo import Hub

    hub = tmp_path / "demo"
    lines = prepare_demo_catalog(hub, catalog_copy)
    assert f"  publish passphrase: {DEMO_PASSPHRASE}" in lines
    assert (hub / "catalog/services/kia.yaml").read_bytes() == (
        catalog_copy / "services/kia.yaml"
    ).read_bytes()
    assert Hub(hub).last_release_version() == 1 and History(hub).get(1).published_by == "demo"
    prepare_demo_catalog(hub, catalog_copy)  # a second start changes nothing
    assert Hub(hub).last_release_version() == 1
