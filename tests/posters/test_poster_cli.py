"""``kiosk poster`` in-process with CliRunner: one village, all of them, bad input."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from click.testing import CliRunner
from PIL import Image

from kiosk.catalog.model import Village
from kiosk.catalog.release import build_release
from kiosk.catalog.store import CatalogStore
from kiosk.cli import main

from .decoders import parse_wifi, zbar


@pytest.fixture
def settings(tmp_path):
    """A kiosk.toml with its own state folder (so no other store leaks in)."""

    def write(**values) -> str:
        values.setdefault("state_dir", str(tmp_path / "state"))
        lines = []
        for key, value in values.items():
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{key} = "{escaped}"')
        path = tmp_path / "kiosk.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    return write


def image_size(path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def run(*args):
    return CliRunner().invoke(main, ["poster", *args], catch_exceptions=False)


def test_one_village_by_name_any_case(tmp_path, settings):
    out = tmp_path / "out"
    result = run(
        "--village",
        "KEMLAGI",
        "--output-dir",
        str(out),
        "--config",
        settings(portal_address="10.42.0.1"),
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "kemlagi-social.png",
        "kemlagi.pdf",
        "kemlagi.png",
        "kemlagi.svg",
    ]
    assert "Wi-Fi QR 5-H, 6.7 cm, modules 1.82 mm" in result.output  # "Info Desa Kemlagi"
    assert "modules" in result.output and "not filled in yet" in result.output
    assert "portal_address is not set" not in result.output


def test_default_is_the_kiosks_own_village(tmp_path, settings):
    out = tmp_path / "out"
    result = run("--output-dir", str(out), "--config", settings(village="betro"))
    assert result.exit_code == 0, result.output
    assert (out / "betro.pdf").exists()
    assert (
        "portal_address is not set; the posters use the hotspot's usual address 10.42.0.1"
        in result.output
    )


@pytest.mark.usefixtures("tools")
def test_all_villages(tmp_path, settings, bundled_catalog):
    out = tmp_path / "out"
    config = settings(ssid='Info Desa {desa} ;,:\\"', wifi_password="rahasia;123")
    result = run("--all", "--output-dir", str(out), "--config", config)
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 80
    for village in bundled_catalog.villages:
        assert (out / f"{village.id}.pdf").read_bytes().startswith(b"%PDF-")
        assert (out / f"{village.id}.svg").read_bytes().startswith(b"<?xml")
        assert image_size(out / f"{village.id}.png") == (1240, 1754)
        assert image_size(out / f"{village.id}-social.png") == (1080, 1080)
    assert result.output.rstrip().splitlines()[-1].startswith("wrote 80 files for 20 villages")
    # Files from the command decode too (one village; the rest is test_poster_files).
    found = zbar((out / "mojowatesrejo.png").read_bytes())
    assert found[1] == "http://10.42.0.1/"
    assert parse_wifi(found[0]) == {
        "T": "WPA",
        "S": 'Info Desa Mojowatesrejo ;,:\\"',
        "P": "rahasia;123",
    }


def test_unknown_village_is_a_usage_error_listing_the_known_ones(
    tmp_path, settings, bundled_catalog
):
    result = run(
        "--village", "Atlantis", "--output-dir", str(tmp_path / "out"), "--config", settings()
    )
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for --village: village 'Atlantis' is not in the catalog."
        in result.output
    )
    assert all(v.id in result.output for v in bundled_catalog.villages)
    assert not (tmp_path / "out").exists()


def test_village_and_all_together_is_a_usage_error(tmp_path, settings):
    result = run("--village", "betro", "--all", "--config", settings())
    assert result.exit_code == 2
    assert "either --village NAME or --all" in result.output


def test_a_password_no_phone_can_use_is_refused(tmp_path, settings):
    result = run(
        "--village",
        "betro",
        "--output-dir",
        str(tmp_path / "out"),
        "--config",
        settings(wifi_password="short"),
    )
    assert result.exit_code == 2
    assert "WPA2 needs 8 to 63" in result.output
    assert not (tmp_path / "out" / "betro.pdf").exists()


def test_the_stores_current_release_wins_over_the_bundled_one(tmp_path, settings, bundled_catalog):
    renamed = dataclasses.replace(
        bundled_catalog,
        villages=(Village(id="betro", name="Betro Baru", code="35.16.15.2002"),),
    )
    CatalogStore(tmp_path / "state" / "catalog").activate(
        build_release(renamed, 7, date(2026, 12, 1))
    )
    out = tmp_path / "out"
    result = run("--village", "betro", "--output-dir", str(out), "--config", settings())
    assert result.exit_code == 0, result.output
    assert "Balai Desa Betro Baru" in (out / "betro.svg").read_text(encoding="utf-8")
    assert image_size(out / "betro-social.png") == (1080, 1080)
