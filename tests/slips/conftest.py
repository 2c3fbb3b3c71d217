"""The hall whose slips the tests print: its own state folder, the hotspot's address."""

from __future__ import annotations

import pytest

from kiosk.config import load_config


@pytest.fixture
def hall_config(tmp_path):
    return load_config(
        env={}, overrides={"state_dir": str(tmp_path), "portal_address": "10.42.0.1"}
    )
