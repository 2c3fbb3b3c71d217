"""``kiosk hub user ...``, ``kiosk hub report ikm``, ``kiosk hub purge-contacts`` and
``kiosk hub demo``: the console's commands (registered on the ``hub`` group)."""

from __future__ import annotations

import json
import sys
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from pathlib import Path

import click
import sqlalchemy as sa

from . import accounts, db
from .cli_common import db_option, hub_database, hub_option


def account_change(hub_dir: str, db_url: str | None) -> AbstractContextManager[sa.Engine]:
    """The hub database for a change to the accounts (the hub folder is made if new)."""
    return hub_database(hub_dir, db_url, create=True)


def read_password(confirm: bool) -> str:
    """From a terminal: asked twice, hidden. From a pipe: the first line of stdin."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=confirm))
    return sys.stdin.readline().rstrip("\r\n")


@click.group("user")
def user() -> None:
    """Console accounts (the password is read from stdin, never an argument)."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@hub_option
@db_option
def user_add(name: str, role: str, hub_dir: str, db_url: str | None) -> None:
    """Add a console user NAME with a role; the password comes from stdin."""
    with account_change(hub_dir, db_url) as engine:
        accounts.add_user(engine, name, role, read_password(True), now=db.utcnow())
    click.echo(f"user {name} ({role}) added")


@user.command("password")
@click.argument("name")
@hub_option
@db_option
def user_password(name: str, hub_dir: str, db_url: str | None) -> None:
    """Set a new password (from stdin) for NAME; their open sessions end."""
    with account_change(hub_dir, db_url) as engine:
        accounts.set_password(engine, name, read_password(True), by="cli", now=db.utcnow())
    click.echo(f"password of {name} changed")


@user.command("list")
@hub_option
@db_option
def user_list(hub_dir: str, db_url: str | None) -> None:
    with hub_database(hub_dir, db_url, create=True) as engine:
        for found in accounts.list_users(engine):
            click.echo(f"{found.name}\t{found.role}")


@click.group("report")
def report() -> None:
    """Reports from the hub database."""


@report.command("ikm")
@hub_option
@db_option
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First day (default: 1 January of this year).",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day (default: today).",
)
@click.option("--village", default="", help="Village (kiosk) id; default all.")
@click.option("--service", default="", help="Service id; default all.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx", "pdf"]),
    default="json",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write (default: stdout).",
)
def report_ikm(
    *,
    hub_dir: str,
    db_url: str | None,
    start: datetime | None,
    end: datetime | None,
    village: str,
    service: str,
    fmt: str,
    output: str | None,
) -> None:
    """The SKM/IKM (PermenPANRB 14/2017) of a period: JSON, CSV, XLSX or PDF."""
    from .console.catalog_source import HubCatalog
    from .console.settings import load
    from .periods import custom_period
    from .skm_export import skm_csv, skm_pdf, skm_xlsx
    from .skm_report import SkmFilter, build_report, report_json

    today = date.today()
    first = start.date() if start else date(today.year, 1, 1)
    last = end.date() if end else today
    if last < first:
        raise click.UsageError(f"--to {last} is before --from {first}")
    catalog = HubCatalog(Path(hub_dir))()
    names = {v.id: v.name for v in catalog.villages} | {s.id: s.name for s in catalog.services}
    with hub_database(hub_dir, db_url, create=True) as engine, engine.connect() as conn:
        f = SkmFilter(custom_period(first, last), village, service)
        built = build_report(
            conn,
            f,
            numbering=load(conn)["unsur_numbering"],
            names=names,
            details=fmt in ("xlsx", "pdf"),
        )
    writers = {
        "json": lambda r: (
            json.dumps(report_json(r), ensure_ascii=False, indent=2) + "\n"
        ).encode(),
        "csv": skm_csv,
        "xlsx": skm_xlsx,
        "pdf": skm_pdf,
    }
    body = writers[fmt](built)
    if output:
        Path(output).write_bytes(body)
    elif fmt in ("xlsx", "pdf") and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is binary: give -o FILE or redirect stdout")
    else:
        click.echo(body, nl=False)  # bytes go to the binary stream


@click.command("purge-contacts")
@hub_option
@db_option
def purge_contacts(hub_dir: str, db_url: str | None) -> None:
    """Delete complainants' contacts that are past the retention time (run daily)."""
    from .complaint_store import purge_contacts as purge
    from .console.settings import load

    with hub_database(hub_dir, db_url, create=True) as engine:
        with engine.connect() as conn:
            days = int(load(conn)["contact_retention_days"])
        done = purge(engine, now=db.utcnow(), retention_days=days)
    click.echo(f"contacts deleted from {len(done)} closed complaint(s) (after {days} days)")


@click.command("demo")
@hub_option
@click.option("--port", default=8090, show_default=True)
@click.option("--no-serve", is_flag=True, help="Only fill the hub; do not start the server.")
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Catalog sources to copy into the demo hub for the editor (e.g. catalog/).",
)
def demo(hub_dir: str, port: int, no_serve: bool, catalog_dir: str | None) -> None:
    """A hub filled with simulated kiosks' data and a demo login, then serve it."""
    from .demo import fill_demo

    with hub_database(hub_dir, None, create=True) as engine:
        login = fill_demo(engine, today=date.today() - timedelta(days=0))
    click.echo(f"Demo console: http://127.0.0.1:{port}/  user {login[0]}  password {login[1]}")
    if catalog_dir:
        from .editor.demo import prepare_demo_catalog

        click.echo("\n".join(prepare_demo_catalog(Path(hub_dir), Path(catalog_dir))))
    if not no_serve:
        from waitress import serve

        from .app import create_hub_app

        serve(create_hub_app(hub_dir), host="127.0.0.1", port=port, threads=4)
