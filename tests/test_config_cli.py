"""kiosk config get/set/write: the settings file through the one schema (the installer uses it)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.config import load_config


def kiosk(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def toml(tmp_path):
    return tmp_path / "kiosk.toml"


def test_write_makes_a_file_the_kiosk_loads(toml):
    result = kiosk(
        "config", "write", "--config", str(toml), "village=watesprojo", "port=80",
        "printer.type=usb", "printer.vendor=0x0416", "printer.product=0x5011",
        'buttons=[{"pin": 17, "service": "ktp-el-baru"}]', "paper_width=80",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    config = load_config(toml, env={})
    assert (config.village, config.port, config.paper_width) == ("watesprojo", 80, 80)
    assert config.printer == {"type": "usb", "vendor": 0x0416, "product": 0x5011}
    assert config.buttons == [{"pin": 17, "service": "ktp-el-baru"}]
    assert toml.read_text().startswith("# Pelita Kiosk: pengaturan balai desa")


def test_write_to_stdout_is_the_same_bytes_every_time(toml):
    args = ["config", "write", "--output", "-", "village=kemlagi", "ssid=Info Desa Kemlagi"]
    first, second = kiosk(*args), kiosk(*args)
    assert first.exit_code == 0 and first.output == second.output
    assert 'ssid = "Info Desa Kemlagi"' in first.output
    assert not toml.exists()


def test_set_changes_one_setting_and_keeps_the_rest(toml):
    kiosk("config", "write", "--config", str(toml), "village=betro", "printer.type=folder")
    result = kiosk("config", "set", "--config", str(toml), "ssid=Balai Betro", "printer.type=file",
                   "printer.device=/dev/usb/lp1")  # fmt: skip
    assert result.exit_code == 0, result.output
    config = load_config(toml, env={})
    assert (config.village, config.ssid) == ("betro", "Balai Betro")
    assert config.printer == {"type": "file", "device": "/dev/usb/lp1"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("village", "betro"),
        ("port", "8080"),  # not in the file: the default
        ("printer", json.dumps({"type": "serial", "device": "/dev/ttyUSB0"})),
        ("printer.type", "serial"),
        ("printer.baudrate", ""),  # an option that is not set
        ("buttons", "[]"),
    ],
)
def test_get_prints_what_the_file_says(toml, name, expected):
    kiosk("config", "write", "--config", str(toml), "village=betro", "printer.type=serial",
          "printer.device=/dev/ttyUSB0")  # fmt: skip
    result = kiosk("config", "get", "--config", str(toml), name)
    assert result.exit_code == 0, result.output
    assert result.output == expected + "\n"


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("paper_width=81", "paper_width must be 58 or 80, not 81"),
        ("village=Kem Lagi", "village must be lower-case letters, digits and '-'"),
        ("wifi_password=pendek", "wifi_password must be empty (an open hotspot) or 8 to 63"),
        ("printer.type=bogus", "printer: unknown type 'bogus'"),
        ("printer.path=/tmp/x", "printer: unknown option(s) path for type 'folder'"),
        ("colour=blue", "unknown setting 'colour'"),
        ("port", "write NAME=VALUE"),
    ],
)
def test_a_bad_setting_is_refused_and_nothing_is_written(toml, assignment, message):
    kiosk("config", "write", "--config", str(toml), "village=betro")
    before = toml.read_bytes()
    result = CliRunner().invoke(main, ["config", "set", "--config", str(toml), assignment])
    assert result.exit_code == 2
    assert message in result.output
    assert toml.read_bytes() == before
