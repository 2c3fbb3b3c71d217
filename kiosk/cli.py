"""The ``kiosk`` command: one group, a subcommand per job.

Usage errors exit 2 with ``Error: …``; a catalog with problems exits 1.
Subsystems add their commands in their own modules and register them here.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import sys
from datetime import date
from pathlib import Path

import click

from . import __version__
from .catalog.load import check_catalog_dir
from .catalog.release import build_release
from .cli_options import config_option, get_config
from .errors import KioskError


class LazyGroup(click.Group):
    """A group whose subsystem commands are imported only when used, so that
    ``kiosk serve`` does not pay for Pillow, TUF or GPIO libraries at start-up."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands or {}

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx, name):
        if name in self.lazy_commands:
            module, attr = self.lazy_commands[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


# Subsystem commands: name → "module:command". Add yours here.
LAZY_COMMANDS = {
    "config": "kiosk.config_cli:config",
    "poster": "kiosk.posters.cli:poster",
    "printer": "kiosk.printer.cli:printer",
    "slip": "kiosk.printer.cli:slip",
    "hub": "kiosk.hub.cli:hub",
    "sync": "kiosk.sync.cli:sync",
    "identity": "kiosk.reports.cli:identity",
    "enroll": "kiosk.reports.cli:enroll",
}


@click.group(cls=LazyGroup, lazy_commands=LAZY_COMMANDS)
@click.version_option(__version__, prog_name="kiosk")
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
def main(verbose: bool) -> None:
    """Pelita Kiosk: service requirements for the village hall, offline."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


# ---------------------------------------------------------------- serve


def systemd_sockets() -> list[socket.socket]:
    """Sockets handed over by systemd socket activation (LISTEN_FDS), if any."""
    if os.environ.get("LISTEN_PID") != str(os.getpid()):
        return []
    count = int(os.environ.get("LISTEN_FDS", "0"))
    return [socket.socket(fileno=3 + i) for i in range(count)]


@main.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8080).")
@config_option
def serve(host, port, config_file):
    """Serve the residents' site with waitress."""
    from .malloc import give_memory_back
    from .probe import http_status
    from .systemd import notify, start_watchdog
    from .web import create_app, start_counts_flusher
    from .web.server import create_server

    give_memory_back()  # before waitress starts its threads
    config = get_config(config_file, host=host, port=port)
    try:
        app = create_app(config)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    sockets = systemd_sockets()
    where = "systemd socket" if sockets else f"http://{config.host}:{config.port}/"
    click.echo(
        f"Pelita Kiosk serving {where} (portal {config.portal_url}, config: {config.source})"
    )
    server = create_server(app, config, sockets)
    port = (
        sockets[0].getsockname()[1] if sockets else getattr(server, "effective_port", config.port)
    )
    # Healthy = the site answers its own request within 5 s (all threads stuck: restart).
    start_watchdog(lambda: http_status(port, config.portal) == 200)
    counts = start_counts_flusher(app, config)
    notify("READY=1")
    try:
        server.run()
    finally:
        counts.stop()  # the current hour's counts too: a clean stop loses nothing


# ---------------------------------------------------------------- catalog


@main.group()
def catalog():
    """Check and compile the service catalog."""


@catalog.command("check")
@click.argument("directory", default="catalog", type=click.Path(file_okay=False))
def catalog_check(directory):
    """Validate a catalog folder and list every problem at once.

    Fields not filled in yet ("[Diisi kecamatan]") are warnings: residents never see
    them (pages, slips and posters leave them out), but the kecamatan should fill them.
    """
    result, problems = check_catalog_dir(directory)
    if result is not None:
        _warn_unfilled(result)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {directory}", err=True
        )
        sys.exit(1)
    click.echo(
        f"{directory}: OK — {len(result.services)} services, {len(result.villages)} villages, "
        f"{len(result.offices)} offices"
    )


def _warn_unfilled(result) -> None:
    from .catalog.unfilled import unfilled_fields

    unfilled = unfilled_fields(result)
    for where, value in unfilled:
        click.echo(f"warning: {where}: not filled in yet: {value!r}")
    if unfilled:
        click.echo(
            f"{len(unfilled)} field{'s' if len(unfilled) != 1 else ''} not filled in yet "
            "(left out of pages, slips and posters)",
            err=True,
        )


@catalog.command("build")
@click.argument("directory", default="catalog", type=click.Path(file_okay=False))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    required=True,
    help="Where to write the release JSON.",
)
@click.option("--version", "version", type=int, default=0, help="Release version number.")
@click.option(
    "--published",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Release date (default: newest review date).",
)
def catalog_build(directory, output, version, published):
    """Compile a catalog folder into a release JSON file."""
    from .fsutil import atomic_write_bytes

    result, problems = check_catalog_dir(directory)
    if problems:
        for problem in problems:
            click.echo(str(problem))
        raise click.ClickException(f"{len(problems)} problems; nothing written")
    when: date = published.date() if published else result.updated
    data = build_release(result, version, when)
    atomic_write_bytes(Path(output), data)
    click.echo(f"wrote {output}: version {version}, {len(data)} bytes")


@main.command()
@click.option("--port", type=int, default=None, help="Port (default 8080).")
@click.pass_context
def demo(ctx, port):
    """Run the demo kiosk on its embedded defaults (no configuration needed)."""
    from .printer.daemon import start_demo_printer

    start_demo_printer(get_config(None, port=port))  # same process, simulated pins
    ctx.invoke(serve, host=None, port=port, config_file=None)


@main.command()
@config_option
def status(config_file):
    """Show printer, sync and catalog state in plain words."""
    from .catalog.active import load_active_catalog
    from .status import all_statuses, format_status

    config = get_config(config_file)
    click.echo(f"config: {config.source}; state folder: {config.state_path}")
    try:
        catalog = load_active_catalog(config)
        click.echo(
            f"catalog: version {catalog.version}, updated {catalog.updated.isoformat()}, "
            f"{len(catalog.services)} services"
        )
    except KioskError as exc:
        click.echo(f"catalog: cannot be loaded: {exc}")
    from .printer.roll import Roll

    click.echo(Roll.for_config(config).state().describe())
    click.echo(format_status(all_statuses(config)))


@main.command()
@config_option
def doctor(config_file):
    """Self-test: hotspot, portal, catalog, printer, sync (✓/✗, in Indonesian)."""
    from .doctor import run_checks
    from .status import all_statuses, format_status

    config = get_config(config_file)
    checks = run_checks(config)
    for check in checks:
        click.echo(str(check))
    click.echo("")
    click.echo(f"config: {config.source}; state: {config.state_path}")
    click.echo(format_status(all_statuses(config)))
    if not all(c.ok for c in checks):
        sys.exit(1)
