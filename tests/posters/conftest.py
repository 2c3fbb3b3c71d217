"""Poster fixtures: tricky Wi-Fi settings and catalogs with awkward village names."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.catalog.model import Village
from kiosk.config import load_config

from .decoders import require_tools

# (id, ssid, password, public_url): names and passwords with every character the
# WIFI: format escapes, spaces, non-ASCII, and the longest allowed lengths.
TRICKY_WIFI = [
    pytest.param('Balai; Desa, "A":B\\C', 'p@ss;w,o:r\\d"x y', "", id="specials"),
    pytest.param("Désa Ñgawi ☕", "", "", id="non-ascii-open"),
    pytest.param(
        "Info Desa Mojowatesrejo Kemlag;",
        ';:,\\"' * 12 + "abc",
        "https://kemlagi.mojokertokab.go.id/layanan/",
        id="longest",
    ),
]

AWKWARD_VILLAGES = [
    Village(id="kemlagi-wetan", name="Kémlagi Wétan", code="35.16.15.2091"),
    Village(
        id="panjang",
        name="Sumberejo Mojowatesrejo Kulon Wetan Lor Kidul Tengah Baru",
        code="35.16.15.2092",
    ),
    Village(id="sambung", name="Mojowatesrejomojopilangmojokusumotanjungan", code="35.16.15.2093"),
]


@pytest.fixture(scope="session")
def tools():
    require_tools()


@pytest.fixture(scope="session")
def awkward_catalog(bundled_catalog):
    """The bundled catalog plus villages with non-ASCII, long and unbreakable names."""
    return dataclasses.replace(
        bundled_catalog, villages=tuple(bundled_catalog.villages) + tuple(AWKWARD_VILLAGES)
    )


@pytest.fixture
def poster_config(tmp_path):
    return load_config(
        env={},
        overrides={
            "state_dir": str(tmp_path / "state"),
            "portal_address": "10.42.0.1",
            "ssid": "Info Desa {desa}",
        },
    )
