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
    """Report to the hub (push, or onto the stick), then fetch, verify and activate the
    newest signed catalog."""
    from ..reports.run import run_reports
    from ..reports.stick import stick_folder
    from .run import run_sync

    config = get_config(config_file)
    stick = stick_folder(source or config.hub_url)
    reports = run_reports(config, stick_dir=stick)
    result = run_sync(config, source)
    if reports.needs_key and result.ok:  # the first sync brings the report key: report now
        reports = run_reports(config, stick_dir=stick)
    click.echo(f"reports: {reports.summary}")
    if result.ok:
        click.echo(result.summary)
    elif result.version < 0:  # busy: another sync is doing the work
        click.echo(result.summary)
    else:
        raise click.ClickException(result.summary)
