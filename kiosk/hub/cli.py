"""``kiosk hub ...``: the kecamatan's catalog hub (keys, signed releases, freshness).

Every command is non-interactive: timers and scripts run them. A passphrase for
protected key files comes from $KIOSK_HUB_PASSPHRASE, never a prompt.
"""

from __future__ import annotations

import sys

import click

from ..errors import CatalogInvalid, KioskError
from .keys import PASSPHRASE_ENV, passphrase_from_env

hub_option = click.option(
    "--hub",
    "hub_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The hub folder made by 'kiosk hub init'.",
)


def _hub(path):
    from .repo import Hub

    return Hub(path, passphrase=passphrase_from_env())


@click.group()
def hub():
    """The kecamatan's catalog hub: keys, signed releases, freshness."""


@hub.command("init")
@click.argument("hub_dir", type=click.Path(file_okay=False))
@click.option("--root-keys", default=3, show_default=True, help="Number of offline root keys.")
@click.option(
    "--root-threshold",
    default=2,
    show_default=True,
    help="How many root keys must sign a change of keys.",
)
@click.option(
    "--encrypt-keys",
    is_flag=True,
    help=f"Protect the root and content keys with the passphrase in ${PASSPHRASE_ENV}.",
)
def hub_init(hub_dir, root_keys, root_threshold, encrypt_keys):
    """Create a hub: keys and the first signed (empty) metadata."""
    try:
        lines = _hub(hub_dir).init(root_keys, root_threshold, encrypt_keys)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("\n".join(lines))


@hub.command("publish")
@click.argument("catalog_dir", type=click.Path(file_okay=False))
@hub_option
def hub_publish(catalog_dir, hub_dir):
    """Validate CATALOG_DIR, build the next release and sign it."""
    try:
        published = _hub(hub_dir).publish(catalog_dir)
    except CatalogInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        raise click.ClickException(
            f"{len(exc.problems)} problem(s) in {catalog_dir}; nothing published"
        ) from None
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"published catalog version {published.version} ({published.length} bytes, "
        f"sha256 {published.sha256[:12]}…) in {hub_dir}/public"
    )


@hub.command("refresh")
@hub_option
@click.option("--force", is_flag=True, help="Re-sign snapshot and timestamp even if not due.")
def hub_refresh(hub_dir, force):
    """Re-sign snapshot/timestamp before they expire (run daily); warn about expiry."""
    try:
        done, warnings = _hub(hub_dir).refresh(force)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("\n".join(done) if done else "nothing due: snapshot and timestamp are fresh")
    for warning in warnings:
        click.echo(f"!!! {warning}", err=True)
    if warnings:
        sys.exit(3)  # loud for timers: the hub needs a person


@hub.command("status")
@hub_option
def hub_status(hub_dir):
    """Version and expiry of every role, in plain words."""
    from .repo import KEY_FILES

    hub_ = _hub(hub_dir)
    try:
        states = hub_.status()
        release = hub_.last_release_version()
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"hub {hub_dir}: catalog release {release or 'none published yet'}")
    where = {**{r: str(p) for r, p in KEY_FILES.items()}, "root": "offline root keys"}
    for s in states:
        click.echo(
            f"{s.role:9} version {s.version:<4} expires {s.expires:%Y-%m-%d} "
            f"({s.left.days} days left)  signed by {where[s.role]}"
        )
        if s.warning:
            click.echo(f"!!! {s.warning}")
