"""``kiosk hub ...``: the kecamatan's catalog hub (keys, signed releases, freshness).

Timers and scripts run them non-interactively: a passphrase for protected key files
comes from $KIOSK_HUB_PASSPHRASE. Only at a terminal, when that is unset, does
``publish`` ask for it (never echoed, never stored).
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import CatalogInvalid, KioskError
from .cli_common import db_option, hub_database, hub_option, open_db
from .console_cli import demo, purge_contacts, report, user
from .keys import PASSPHRASE_ENV, passphrase_from_env

if TYPE_CHECKING:
    from .repo import Hub


def _hub(path: str) -> Hub:
    from .repo import Hub

    return Hub(path, passphrase=passphrase_from_env())


@click.group()
def hub() -> None:
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
def hub_init(hub_dir: str, root_keys: int, root_threshold: int, encrypt_keys: bool) -> None:
    """Create a hub: keys, the first signed (empty) metadata, report keys, database, and
    the online key that signs complaint statuses for the kiosks."""
    from .statuses import enable_statuses

    try:
        repo = _hub(hub_dir)
        lines = repo.init(root_keys, root_threshold, encrypt_keys)
        lines += _init_reports(hub_dir, repo.passphrase)
        lines.append(enable_statuses(repo))
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("\n".join(lines))


def _init_reports(hub_dir: str, passphrase: bytes | None) -> list[str]:
    from pathlib import Path

    from .report_keys import create_report_keys, publish_report_key

    create_report_keys(Path(hub_dir))
    public = publish_report_key(Path(hub_dir), passphrase)
    open_db(hub_dir, None).dispose()
    return [
        f"Report keys: {hub_dir}/keys/reports/ (stay on the hub server); the public key "
        f"{public.fingerprint} is published to kiosks (signed).",
        f"Report database: {hub_dir}/hub.sqlite3 ('kiosk hub serve --hub {hub_dir}').",
    ]


def _publish_passphrase(hub_dir: str) -> bytes | None:
    """$KIOSK_HUB_PASSPHRASE, or a prompt at a terminal when the content key needs one."""
    from .keys import key_is_encrypted
    from .repo import KEY_FILES

    passphrase = passphrase_from_env()
    if passphrase or not key_is_encrypted(Path(hub_dir) / KEY_FILES["targets"]):
        return passphrase
    if not sys.stdin.isatty():
        return None  # publish then says the key is passphrase-protected
    return click.prompt("Passphrase of the content key", hide_input=True).encode("utf-8")


@hub.command("publish")
@click.argument("catalog_dir", type=click.Path(file_okay=False))
@hub_option
def hub_publish(catalog_dir: str, hub_dir: str) -> None:
    """Validate CATALOG_DIR, build the next release, sign it and record it in the history."""
    from .editor.publish import publish
    from .editor.source import CatalogSource

    who = f"{getpass.getuser()} (kiosk hub publish)"
    try:
        published = publish(
            hub_dir, CatalogSource(catalog_dir), by=who, passphrase=_publish_passphrase(hub_dir)
        )
    except CatalogInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        raise click.ClickException(
            f"{len(exc.problems)} problem(s) in {catalog_dir}; nothing published"
        ) from None
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"published catalog version {published.version} ({len(published.release.encode())} "
        f"bytes, sha256 {published.sha256[:12]}…) in {hub_dir}/public"
    )


@hub.command("enable-statuses")
@hub_option
def hub_enable_statuses(hub_dir: str) -> None:
    """Let the console publish complaint statuses ("Terbitkan ke kios") on a hub made
    before 'kiosk hub init' did it: an online key, delegated once with the content key."""
    from .statuses import enable_statuses

    try:
        click.echo(enable_statuses(_hub(hub_dir)))
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None


@hub.command("encrypt-key")
@hub_option
def hub_encrypt_key(hub_dir: str) -> None:
    """Protect the content (targets) key with a passphrase, or change its passphrase."""
    from .keys import encrypt_key_file, key_is_encrypted
    from .repo import KEY_FILES

    path = Path(hub_dir) / KEY_FILES["targets"]
    if not path.is_file():
        raise click.ClickException(f"{path} is missing: is this a hub folder?")
    old = None
    if key_is_encrypted(path):
        old = click.prompt("Current passphrase", hide_input=True).encode("utf-8")
    new = click.prompt("New passphrase", hide_input=True, confirmation_prompt=True)
    try:
        encrypt_key_file(path, new.encode("utf-8"), old)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{path} is now protected by the passphrase; publishing asks for it.")


@hub.command("refresh")
@hub_option
@click.option("--force", is_flag=True, help="Re-sign snapshot and timestamp even if not due.")
def hub_refresh(hub_dir: str, force: bool) -> None:
    """Re-sign snapshot/timestamp before they expire (run daily); warn about expiry."""
    from .statuses import refresh_statuses

    try:
        done, warnings = _hub(hub_dir).refresh(force)
        statuses = refresh_statuses(_hub(hub_dir), force)
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("\n".join(done) if done else "nothing due: snapshot and timestamp are fresh")
    if statuses:
        click.echo(statuses)
    for warning in warnings:
        click.echo(f"!!! {warning}", err=True)
    if warnings:
        sys.exit(3)  # loud for timers: the hub needs a person


@hub.command("status")
@hub_option
def hub_status(hub_dir: str) -> None:
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


# ---------------------------------------------------------------- reports (issue 13)


@hub.command("serve")
@hub_option
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8090, show_default=True, help="Port.")
@click.option("--threads", default=4, show_default=True, help="Worker threads.")
@click.option(
    "--secure-cookies",
    is_flag=True,
    help="Behind HTTPS (a reverse proxy): the console's session cookie is sent only over HTTPS.",
)
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="The catalog source folder the console's editor changes. [default: HUB_DIR/catalog]",
)
def hub_serve(
    *,
    hub_dir: str,
    db_url: str | None,
    host: str,
    port: int,
    threads: int,
    secure_cookies: bool,
    catalog_dir: str | None,
) -> None:
    """Serve the kiosks' report endpoint (and the console) with waitress."""
    from waitress import serve

    from .app import create_hub_app, serve_options, settle_heap

    try:
        app = create_hub_app(
            hub_dir, db_url=db_url, secure_cookies=secure_cookies, catalog_dir=catalog_dir
        )
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    from .console.maintenance import Maintenance

    Maintenance(app.extensions["hub_db"]).start()  # contacts purge + demand rollup
    settle_heap()
    click.echo(f"Pelita hub serving http://{host}:{port}/ (database {app.config['DB_URL']})")
    serve(app, host=host, port=port, threads=threads, **serve_options())


@hub.command("report-keys")
@hub_option
def hub_report_keys(hub_dir: str) -> None:
    """Make the hub's report keys and publish their public half to kiosks (signed, TUF).

    'kiosk hub init' already does this; run it once for a hub made before reports existed.
    """
    from pathlib import Path

    from .report_keys import create_report_keys, publish_report_key

    try:
        create_report_keys(Path(hub_dir))
        public = publish_report_key(Path(hub_dir), passphrase_from_env())
    except KioskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"report key {public.fingerprint} published in {hub_dir}/public; kiosks take it at "
        "their next sync"
    )


@hub.command("enroll")
@click.argument("village")
@hub_option
@db_option
@click.option("--name", default=None, help="The kiosk's name for the console (e.g. the hall).")
def hub_enroll(village: str, hub_dir: str, db_url: str | None, name: str | None) -> None:
    """Make a one-time enrollment code for the kiosk of VILLAGE."""
    from .enroll import create_enrollment

    with hub_database(hub_dir, db_url) as engine:
        code, expires = create_enrollment(engine, village, name=name)
    click.echo(f"Enrollment code for {village}: {code}")
    click.echo(f"  valid once, until {expires:%Y-%m-%d %H:%M} UTC.")
    click.echo(f"  On the kiosk: kiosk enroll {code}")


@hub.command("revoke")
@click.argument("village")
@hub_option
@db_option
@click.option("--reason", default="", help="Why (shown to the technician at the kiosk).")
def hub_revoke(village: str, hub_dir: str, db_url: str | None, reason: str) -> None:
    """Refuse every report from VILLAGE's kiosk from now on (re-enroll to undo)."""
    from .enroll import revoke

    with hub_database(hub_dir, db_url) as engine:
        revoke(engine, village, reason)
    click.echo(f"kiosk {village} revoked; its reports are refused until it is enrolled again")


@hub.command("kiosks")
@hub_option
@db_option
def hub_kiosks(hub_dir: str, db_url: str | None) -> None:
    """Every kiosk: key, enrollment, last seen (report or heartbeat), latest health."""
    from .fleet import fleet_lines

    with hub_database(hub_dir, db_url) as engine:
        click.echo("\n".join(fleet_lines(engine)))


@hub.command("import")
@hub_option
@db_option
@click.argument("stick_dir", type=click.Path(file_okay=False, exists=True))
def hub_import(hub_dir: str, db_url: str | None, stick_dir: str) -> None:
    """Take the reports a USB stick carries; write the hub's answers back onto it."""
    from pathlib import Path

    from .ingest import Ingestor
    from .report_keys import load_report_keys
    from .stick_import import import_stick

    with hub_database(hub_dir, db_url) as engine:
        ingestor = Ingestor(engine, load_report_keys(Path(hub_dir)))
        results = import_stick(ingestor, Path(stick_dir))
    for item in results:
        mark = "ok" if item.outcome.ok else "REFUSED"
        click.echo(f"{mark:7} {item.path.name}: {item.outcome.reason}")
    click.echo(f"{len(results)} bundle(s) on {stick_dir}")
    if any(not item.outcome.ok for item in results):
        sys.exit(1)


# ---------------------------------------------------------------- console (issue 15)

for _command in (user, report, purge_contacts, demo):
    hub.add_command(_command)
