"""``kiosk sync``: fetch, verify and activate the newest signed catalog (on a kiosk)."""

from __future__ import annotations

import click

from ..cli_options import config_option, get_config


@click.command()
@config_option
@click.option(
    "--from",
    "source",
    default=None,
    help="Hub URL, or a hub folder (USB stick). Default: the hub_url setting.",
)
def sync(config_file: str | None, source: str | None) -> None:
    """Fetch, verify and activate the newest signed catalog from the hub."""
    from .run import run_sync

    config = get_config(config_file)
    result = run_sync(config, source)
    if result.ok:
        click.echo(result.summary)
    elif result.version < 0:  # busy: another sync is doing the work
        click.echo(result.summary)
    else:
        raise click.ClickException(result.summary)
