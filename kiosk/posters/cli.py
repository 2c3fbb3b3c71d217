"""``kiosk poster``: the QR posters and social images of one village or all of them."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..catalog.active import load_active_catalog
from ..catalog.model import Catalog
from ..catalog.unfilled import unfilled_fields
from ..cli_options import config_option, get_config
from ..config import Config
from ..errors import ConfigError, KioskError
from .layout import find_village, poster_layout, social_layout
from .pdf import write_pdf
from .png import write_png
from .svg import write_svg


def write_village(village, catalog: Catalog, config: Config, output_dir: Path) -> list[str]:
    """Write one village's PDF, SVG, PNG and social PNG; → a line of what was made."""
    poster = poster_layout(village, catalog, config)
    social = social_layout(village, catalog, config)
    names = [
        f"{village.id}.pdf",
        f"{village.id}.svg",
        f"{village.id}.png",
        f"{village.id}-social.png",
    ]
    write_pdf(poster, output_dir / names[0])
    write_svg(poster, output_dir / names[1])
    write_png(poster, output_dir / names[2])
    write_png(social, output_dir / names[3])
    wifi, portal = poster.qr("wifi"), poster.qr("portal")
    return [
        f"{village.id}: {', '.join(names)}",
        f"  Wi-Fi QR {wifi.version}, {wifi.symbol_mm / 10:.1f} cm, "
        f"modules {wifi.module_mm:.2f} mm; "
        f"address QR {portal.version}, {portal.symbol_mm / 10:.1f} cm, "
        f"modules {portal.module_mm:.2f} mm",
    ]


@click.command("poster")
@click.option(
    "--village",
    "village_name",
    default=None,
    help="Village id or name (default: the kiosk's own village).",
)
@click.option("--all", "all_villages", is_flag=True, help="Every village in the catalog.")
@click.option(
    "--output-dir",
    default="posters",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the files.",
)
@config_option
def poster(village_name, all_villages, output_dir, config_file):
    """Make QR posters (A4 PDF, SVG, PNG) and a square social image per village.

    The Wi-Fi name comes from `ssid`; write {desa} in it (ssid = "Info Desa {desa}")
    to get each village's own name when making posters for --all.
    """
    if village_name and all_villages:
        raise click.UsageError("give either --village NAME or --all, not both")
    config = get_config(config_file)
    try:
        catalog = load_active_catalog(config)
    except KioskError as exc:
        raise click.ClickException(f"cannot load the catalog: {exc}") from None
    if all_villages:
        villages = list(catalog.villages)
    else:
        try:
            villages = [find_village(catalog, village_name or config.village)]
        except KioskError as exc:
            raise click.BadParameter(str(exc), param_hint="--village") from None

    if not config.portal_address:
        click.echo(
            "note: portal_address is not set; the posters use the hotspot's usual address 10.42.0.1"
        )
    unfilled = unfilled_fields(catalog)
    if unfilled:
        click.echo(
            f"note: {len(unfilled)} catalog field(s) are not filled in yet (e.g. "
            f"{unfilled[0][0]}); the posters leave them out. List: kiosk catalog check"
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    for village in villages:
        try:
            lines = write_village(village, catalog, config, output_dir)
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
        except KioskError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo("\n".join(lines))
    click.echo(
        f"wrote {4 * len(villages)} files for {len(villages)} "
        f"village{'s' if len(villages) != 1 else ''} to {output_dir} "
        f"in {time.monotonic() - started:.1f} s"
    )
