"""'kiosk enroll' as a technician (or install.sh --enroll) uses it, against the real hub:
the code from stdin, a hub that cannot be reached, a refused code, and the same code
given again after it worked."""

from __future__ import annotations

from click.testing import CliRunner

from kiosk.cli import main
from kiosk.hub.enroll import create_enrollment
from kiosk.reports.hubkey import store_hub_key
from kiosk.reports.identity import pending_enroll_code
from kiosk.reports.run import run_reports


def kiosk(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def config_file(world, tmp_path, **changes) -> tuple[str, object]:
    config = world.kiosk(tmp_path / "kiosk", **changes)
    lines = [f"{name} = {value!r}".replace("'", '"') for name, value in {
        "village": config.village, "state_dir": str(config.state_path),
        "hub_url": config.hub_url, "trust_root": config.trust_root,
        "report_url": config.report_url, "sync_connect_timeout": config.sync_connect_timeout,
    }.items()]  # fmt: skip
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path), config


def test_enroll_from_stdin_and_again_with_the_same_code(world, tmp_path):
    conf, config = config_file(world, tmp_path)
    code, _ = create_enrollment(world.engine, "kemlagi")
    first = kiosk("enroll", "-", "--config", conf, stdin=code.lower() + "\n")
    assert first.exit_code == 0 and "report key has not arrived yet" in first.output
    assert pending_enroll_code(config.state_path) == code  # kept for the first sync
    store_hub_key(config.state_path, world.keys.public.to_json())  # what the sync brings
    second = kiosk("enroll", "-", "--config", conf, stdin=code + "\n")
    assert second.exit_code == 0 and "enrolled: the hub confirmed" in second.output
    assert code not in (tmp_path / "kiosk.toml").read_text()
    again = kiosk("enroll", code, "--config", conf)  # e.g. a second install.sh --enroll
    assert again.exit_code == 0 and "nothing to do" in again.output, again.output
    assert pending_enroll_code(config.state_path) is None
    assert "confirmed by the hub" in kiosk("identity", "--config", conf).output


def test_a_hub_out_of_reach_keeps_the_code_for_the_next_sync(world, tmp_path):
    conf, config = config_file(
        world, tmp_path, report_url="http://127.0.0.1:9/api/reports", sync_connect_timeout=1
    )
    store_hub_key(config.state_path, world.keys.public.to_json())
    code, _ = create_enrollment(world.engine, "kemlagi")
    result = kiosk("enroll", code, "--config", conf)
    assert result.exit_code == 0, result.output
    assert "cannot be reached" in result.output and "sent at the next sync" in result.output
    assert pending_enroll_code(config.state_path) == code
    back = config.replace(report_url=world.config_overrides["report_url"])
    assert run_reports(back).ok  # the next hourly sync: due, because a code is waiting
    assert pending_enroll_code(config.state_path) is None


def test_a_refused_code_says_so_and_fails(world, tmp_path):
    conf, config = config_file(world, tmp_path)
    store_hub_key(config.state_path, world.keys.public.to_json())
    create_enrollment(world.engine, "kemlagi")  # the kiosk row exists; its code is not this
    result = kiosk("enroll", "7KQ2-M9XD-4TPA", "--config", conf)
    assert result.exit_code == 1
    assert "refused" in result.output and "no valid enrollment code" in result.output
    assert "a new code" in result.output
