"""The kiosk command, run in-process with click's CliRunner."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from kiosk.catalog.release import load_release
from kiosk.cli import main

from .conftest import CATALOG_DIR


def run(*args, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def test_catalog_check_clean():
    result = run("catalog", "check", str(CATALOG_DIR))
    assert result.exit_code == 0
    assert "OK — 23 services, 20 villages" in result.output


def test_catalog_check_lists_problems_and_exits_1(catalog_copy):
    path = catalog_copy / "services" / "sktm.yaml"
    data = yaml.safe_load(path.read_text())
    data["fee"] = -5
    data["steps"][0]["at"] = "pasar"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    result = run("catalog", "check", str(catalog_copy))
    assert result.exit_code == 1
    assert "services/sktm.yaml: fee: must be whole rupiah" in result.output
    assert "services/sktm.yaml: steps[0].at: unknown office 'pasar'" in result.output
    assert "2 problems in" in result.output


def test_catalog_build_writes_a_release(tmp_path):
    out = tmp_path / "r.json"
    result = run("catalog", "build", str(CATALOG_DIR), "-o", str(out), "--version", "4")
    assert result.exit_code == 0
    assert load_release(out).version == 4


def test_catalog_build_refuses_invalid(catalog_copy, tmp_path):
    (catalog_copy / "offices.yaml").write_text("offices: [\n")
    result = CliRunner().invoke(
        main, ["catalog", "build", str(catalog_copy), "-o", str(tmp_path / "r.json")]
    )
    assert result.exit_code == 1
    assert "offices.yaml:" in result.output and "YAML syntax error" in result.output
    assert not (tmp_path / "r.json").exists()


def test_bad_config_is_a_usage_error(tmp_path):
    bad = tmp_path / "k.toml"
    bad.write_text("nope = 1\n")
    result = CliRunner().invoke(main, ["status", "--config", str(bad)])
    assert result.exit_code == 2
    assert "Error: " in result.output and "unknown setting 'nope'" in result.output


def test_status_without_daemons(tmp_path):
    result = run("status", env={"KIOSK_STATE_DIR": str(tmp_path)})
    assert result.exit_code == 0
    assert "catalog: version 0" in result.output
    assert "No status recorded yet" in result.output
