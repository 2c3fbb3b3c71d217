"""Settings: layered in a fixed order, every one documented, bad values named."""

from __future__ import annotations

import json
import re

import pytest

from kiosk.config import SETTINGS, Config, load_config
from kiosk.errors import ConfigError

from .conftest import REPO


def test_defaults_are_the_demo():
    config = load_config(env={})
    assert config.host == "127.0.0.1" and config.port == 8080
    assert config.portal_url == "http://127.0.0.1:8080/"
    assert config.printer == {"type": "folder"}
    assert config.source == "embedded defaults"


def test_layers_file_then_env_then_overrides(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(
        'village = "betro"\nport = 80\nhost = "0.0.0.0"\nportal_address = "10.42.0.1"\n'
        '[printer]\ntype = "usb"\nvendor = 0x0416\n[[buttons]]\npin = 17\n'
        'service = "ktp-el-baru"\n'
    )
    config = load_config(
        path,
        env={"KIOSK_PORT": "8081", "KIOSK_PRINTER": "dummy"},
        overrides={"village": "mojodowo"},
    )
    assert config.port == 8081
    assert config.village == "mojodowo"
    assert config.printer == {"type": "dummy"}
    assert config.buttons == [{"pin": 17, "service": "ktp-el-baru"}]
    assert config.portal_url == "http://10.42.0.1/"
    assert config.source == str(path)


def test_kiosk_config_env_names_the_file(tmp_path):
    path = tmp_path / "k.toml"
    path.write_text('ssid = "Balai Desa Betro"\n')
    assert load_config(env={"KIOSK_CONFIG": str(path)}).ssid == "Balai Desa Betro"


@pytest.mark.parametrize(
    "text, message",
    [
        ("prot = 80\n", r"unknown setting 'prot' \(known: "),
        ('port = "delapan"\n', r"port must be a whole number, not 'delapan'"),
        ("port = [\n", r"not valid TOML"),
        ("paper_width = 57\n", r"paper_width must be 58 or 80"),
    ],
)
def test_bad_file_names_the_problem(tmp_path, text, message):
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path, env={})


def test_bad_env_value():
    with pytest.raises(ConfigError, match=r"environment: port must be a whole number"):
        load_config(env={"KIOSK_PORT": "x"})


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "none.toml", env={})


def test_every_setting_is_documented_and_a_config_field():
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, flags=re.M))
    names = {s.name for s in SETTINGS}
    assert names == documented, f"undocumented: {names - documented}, stale: {documented - names}"
    fields = set(Config.__dataclass_fields__) - {"source"}
    assert names == fields
    for s in SETTINGS:
        assert getattr(Config(), s.name) == s.default, s.name


def test_documented_defaults_match_the_schema():
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `([a-z_]+)` \| `(.*?)` \|", doc, flags=re.M))
    for s in SETTINGS:
        assert documented[s.name] == json.dumps(s.default), s.name


@pytest.mark.parametrize(
    "env, message",
    [
        ({"KIOSK_PORTAL_HOSTS": '["a", 1]'}, r"portal_hosts must be a list of text items"),
        ({"KIOSK_BUTTONS": "x"}, r"buttons must be JSON, not 'x'"),
        ({"KIOSK_PAPER_WIDTH": "80"}, None),
    ],
)
def test_env_values_are_read_and_checked_by_the_schema(env, message):
    if message is None:
        assert load_config(env=env).paper_width == 80
    else:
        with pytest.raises(ConfigError, match=message):
            load_config(env=env)


def test_list_defaults_are_not_shared():
    assert Config().buttons is not Config().buttons
