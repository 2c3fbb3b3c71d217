"""``kiosk slip`` (check a slip without paper) and ``kiosk printer`` (the daemon)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli_options import config_option, get_config
from ..errors import KioskError


@click.command()
@click.argument("service_id", required=False)
@click.option("--index", "index", is_flag=True, help="The index slip (every service) instead.")
@click.option(
    "--width",
    type=click.Choice(["58", "80"]),
    default=None,
    help="Paper width in mm (default: the paper_width setting).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the exact ESC/POS bytes to this file ('-' for stdout).",
)
@click.option(
    "--preview", is_flag=True, help="Show the slip as text (the default without --output)."
)
@config_option
def slip(*, service_id, index, width, output, preview, config_file):
    """Make the slip for SERVICE_ID (or --index) without a printer."""
    from ..catalog.active import CurrentCatalog
    from ..fsutil import atomic_write_bytes
    from ..slips.layout import index_slip, service_slip, short_codes
    from ..slips.layout import preview as slip_preview
    from ..slips.render import slip_bytes
    from .backends import make_backend

    config = get_config(config_file)
    if bool(service_id) == bool(index):
        raise click.UsageError("give a SERVICE_ID or --index (not both)")
    catalog = CurrentCatalog(config).get()
    paper = int(width) if width else config.paper_width
    if index:
        the_slip = index_slip(catalog, config, paper)
    else:
        by_code = {code: sid for sid, code in short_codes(catalog).items()}
        service = catalog.service(by_code.get(service_id, service_id))
        if service is None:
            known = ", ".join(s.id for s in catalog.services)
            raise click.UsageError(f"unknown service {service_id!r}; known: {known}")
        the_slip = service_slip(catalog, service, config, paper)
    if output:
        try:
            backend = make_backend(config)
            profile, native = backend.profile, backend.native_qr
        except KioskError:
            profile, native = None, None
        if width and not (config.printer.get("profile") and paper == config.paper_width):
            profile = None  # another paper than configured: the default profile for it
        data = slip_bytes(the_slip, profile, native)
        if output == "-":
            sys.stdout.buffer.write(data)
        else:
            atomic_write_bytes(Path(output), data)
            click.echo(
                f"wrote {output}: {len(data)} bytes, {len(the_slip.lines)} lines, "
                f"{len(the_slip.qr_payloads)} QR, {the_slip.columns} columns",
                err=True,
            )
    if preview or not output:
        click.echo(slip_preview(the_slip))
        for payload in the_slip.qr_payloads:
            click.echo(f"QR: {payload}")


@click.group(invoke_without_command=True)
@config_option
@click.option(
    "--mock-pins", is_flag=True, help="Simulated GPIO pins (a laptop; no buttons to press)."
)
@click.pass_context
def printer(ctx, config_file, mock_pins):
    """Run the printer daemon: buttons, status LED, spool jobs from the site."""
    if ctx.invoked_subcommand is not None:
        return
    from .daemon import PrinterDaemon

    config = get_config(config_file)
    pin_factory = None
    if mock_pins:
        from gpiozero.pins.mock import MockFactory

        pin_factory = MockFactory()
    try:
        daemon = PrinterDaemon(config, pin_factory=pin_factory)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Pelita Kiosk printer: {daemon.backend.describe()}, spool {daemon.spool.folder} "
        f"(config: {config.source})"
    )
    daemon.run_forever()


@printer.command("new-roll")
@config_option
def new_roll(config_file):
    """Mark a full paper roll as just loaded (the paper count starts again)."""
    from .roll import Roll

    state = Roll.for_config(get_config(config_file)).new_roll()
    click.echo(f"New paper roll marked at {state.since}: {state.describe()}")
