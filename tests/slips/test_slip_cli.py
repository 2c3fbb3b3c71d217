"""`kiosk slip`: the technician's check of a slip without paper."""

from __future__ import annotations

from click.testing import CliRunner

from kiosk.cli import main
from kiosk.slips.printable import to_printable
from tests.escpos_decode import decode


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env={"KIOSK_CONFIG": "", **(env or {})})


def test_every_service_slip_file(bundled_catalog, tmp_path):
    """Acceptance: every service, 58 mm: every requirement, ≤ 32 columns, QR URL, cut."""
    env = {"KIOSK_STATE_DIR": str(tmp_path / "state"), "KIOSK_PORTAL_ADDRESS": "10.42.0.1"}
    for service in bundled_catalog.services:
        out = tmp_path / f"{service.id}.bin"
        result = run("slip", service.id, "--width", "58", "--output", str(out), env=env)
        assert result.exit_code == 0, result.output
        decoded = decode(out.read_bytes())
        words = " ".join(decoded.text).split()
        for requirement in service.requirements:
            needle = to_printable(requirement.document).split()
            assert any(words[i : i + len(needle)] == needle for i in range(len(words))), (
                service.id,
                requirement.document,
            )
        assert max(len(line.text) for line in decoded.lines if not line.small) <= 32
        assert max(len(line.text) for line in decoded.lines) <= 42, service.id
        assert decoded.qr_payloads() == [f"http://10.42.0.1/layanan/{service.id}"]
        assert decoded.cut_at_end


def test_preview_in_the_terminal(tmp_path):
    result = run("slip", "ktp-el-baru", env={"KIOSK_STATE_DIR": str(tmp_path)})
    assert result.exit_code == 0
    assert "|[ ] Kartu Keluarga (KK) (asli)" in result.output
    assert "QR: http://127.0.0.1:8080/layanan/ktp-el-baru" in result.output


def test_short_code_and_index(bundled_catalog, tmp_path):
    result = run("slip", "01", "--width", "80", env={"KIOSK_STATE_DIR": str(tmp_path)})
    assert result.exit_code == 0
    assert bundled_catalog.services[0].name in result.output
    result = run("slip", "--index", env={"KIOSK_STATE_DIR": str(tmp_path)})
    assert result.exit_code == 0 and "Daftar layanan" in result.output


def test_unknown_service_is_a_usage_error(tmp_path):
    result = run("slip", "ktp-palsu", env={"KIOSK_STATE_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert "Error: unknown service 'ktp-palsu'; known: " in result.output
    assert run("slip", env={"KIOSK_STATE_DIR": str(tmp_path)}).exit_code == 2
