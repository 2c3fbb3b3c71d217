"""``kiosk identity`` and ``kiosk enroll CODE``: the kiosk's side of enrollment."""

from __future__ import annotations

import click

from ..cli_options import config_option, get_config
from ..errors import KioskError


@click.command()
@config_option
def identity(config_file: str | None) -> None:
    """Print this kiosk's id (village) and key fingerprint, as the hub will show them."""
    from .hubkey import load_hub_key
    from .identity import load_identity, pending_enroll_code

    config = get_config(config_file)
    try:
        me = load_identity(config.state_path, config.village)
        hub_key = load_hub_key(config.state_path)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"kiosk id:    {me.kiosk_id}")
    click.echo(f"key:         {me.fingerprint}")
    code = pending_enroll_code(config.state_path)
    click.echo(
        f"enrollment:  {'code ' + code + ' waiting to be sent' if code else 'no code pending'}"
    )
    click.echo(
        f"hub key:     {hub_key.fingerprint if hub_key else 'not received yet (kiosk sync)'}"
    )


@click.command()
@click.argument("code")
@config_option
def enroll(code: str, config_file: str | None) -> None:
    """Enroll this kiosk at the hub with the one-time CODE from 'kiosk hub enroll'.

    The code goes with the next report (now, if report_url is set and the hub's key is
    known; else with the next 'kiosk sync' or USB stick)."""
    from .identity import load_identity, save_enroll_code
    from .run import run_reports

    config = get_config(config_file)
    try:
        me = load_identity(config.state_path, config.village)
        code = save_enroll_code(config.state_path, code)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"kiosk {me.kiosk_id} (key {me.fingerprint}): code {code} kept for the hub")
    if config.report_url:
        result = run_reports(config)
        click.echo(result.summary)
        if not result.ok:
            raise SystemExit(1)
