"""``kiosk identity`` and ``kiosk enroll CODE``: the kiosk's side of enrollment."""

from __future__ import annotations

import sys

import click

from ..cli_options import config_option, get_config
from ..config import Config
from ..errors import KioskError


def hidden(code: str) -> str:
    """Enough of a code to tell which one it is, not enough to use it (logs, screens)."""
    return code[:4] + "-****-****"


@click.command()
@config_option
def identity(config_file: str | None) -> None:
    """Print this kiosk's id (village) and key fingerprint, as the hub will show them."""
    from .hubkey import load_hub_key
    from .identity import last_enrollment, load_identity, pending_enroll_code

    config = get_config(config_file)
    try:
        me = load_identity(config.state_path, config.village)
        hub_key = load_hub_key(config.state_path)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"kiosk id:    {me.kiosk_id}")
    click.echo(f"key:         {me.fingerprint}")
    code = pending_enroll_code(config.state_path)
    confirmed = last_enrollment(config.state_path)
    if code:
        state = f"code {hidden(code)} waiting to be sent"
    else:
        state = "no code pending" + (f" (confirmed by the hub {confirmed})" if confirmed else "")
    click.echo(f"enrollment:  {state}")
    click.echo(
        f"hub key:     {hub_key.fingerprint if hub_key else 'not received yet (kiosk sync)'}"
    )


@click.command()
@click.argument("code")
@config_option
def enroll(code: str, config_file: str | None) -> None:
    """Enroll this kiosk at the hub with the one-time CODE from 'kiosk hub enroll'.

    CODE '-' reads it from standard input (then it is in no shell history and no process
    list). The code is kept and sent at once when the hub can be reached (report_url, or
    a stick as hub_url); else it goes with the next 'kiosk sync'. Exit 0 when the hub
    confirmed or the code waits for the next report, 1 when the hub refused it."""
    from .identity import enrolled_with, load_identity, pending_enroll_code, save_enroll_code

    config = get_config(config_file)
    if code == "-":
        code = sys.stdin.readline().strip()
    try:
        me = load_identity(config.state_path, config.village)
        done = enrolled_with(config.state_path, code)
        if done is None:
            code = save_enroll_code(config.state_path, code)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    if done is not None:
        click.echo(f"kiosk {me.kiosk_id} (key {me.fingerprint}) is enrolled: the hub confirmed "
                   f"this code on {done}; nothing to do")  # fmt: skip
        return
    click.echo(f"kiosk {me.kiosk_id} (key {me.fingerprint}): code {hidden(code)} kept for the hub")
    outcome = _deliver(config)
    if pending_enroll_code(config.state_path) is None:
        click.echo("enrolled: the hub confirmed this kiosk's key")
        return
    click.echo(outcome)
    if outcome.startswith("refused"):
        raise SystemExit(1)


def _deliver(config: Config) -> str:
    """Send the code now if there is a way; what happened, in one line."""
    from .run import run_reports
    from .stick import stick_folder

    stick = stick_folder(config.hub_url)
    if not config.report_url and stick is None:
        return (
            "waiting: no report_url set; the code goes with the next report "
            "(kiosk sync --from a USB stick)"
        )
    result = run_reports(config, stick_dir=None if config.report_url else stick, force=True)
    if result.refused:
        return f"refused: {result.summary} Ask the kecamatan for a new code."
    if result.needs_key:
        return (
            "waiting: the hub's report key has not arrived yet; the code goes with the "
            "first report after a catalog sync (kiosk sync, hourly)"
        )
    if not result.ok:
        return f"waiting: {result.summary} The code is kept and sent at the next sync (hourly)."
    return f"waiting for the hub to import the stick: {result.summary}"
