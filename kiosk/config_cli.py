"""``kiosk config get/set/write``: the settings file through the one schema (kiosk/config.py).

deploy/install.sh writes and reads kiosk.toml with these commands; technicians can too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .config import DEFAULT_CONFIG_FILE, config_file_from, load_config, read_toml
from .config_file import apply, as_text, lookup, render
from .errors import ConfigError
from .fsutil import atomic_write_bytes

FILE_HELP = "The settings file. Default: $KIOSK_CONFIG, else /etc/kiosk/kiosk.toml."


def _file(config_file: str | None) -> Path:
    return Path(config_file or config_file_from(os.environ) or DEFAULT_CONFIG_FILE)


def _save(text: str, output: str) -> None:
    if output == "-":
        sys.stdout.write(text)
    else:
        atomic_write_bytes(output, text.encode("utf-8"), mode=0o640)


@click.group()
def config() -> None:
    """Read and change the hall's settings file (kiosk.toml)."""


@config.command("get")
@click.argument("name")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help=FILE_HELP)
def config_get(name: str, config_file: str | None) -> None:
    """Print NAME (or NAME.KEY of a table) as the file sets it, else its default.

    Text prints as is, numbers, lists and tables as JSON; an unset table option prints
    nothing. The environment (KIOSK_*) is not consulted: this is what the file says.
    """
    path = _file(config_file)
    try:
        value = lookup(load_config(path if path.exists() else "", env={}), name)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(as_text(value))


@config.command("set")
@click.argument("assignments", nargs=-1, required=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help=FILE_HELP)
def config_set(assignments: tuple[str, ...], config_file: str | None) -> None:
    """Change NAME=VALUE (or NAME.KEY=VALUE) in the file; every other setting stays."""
    path = _file(config_file)
    try:
        current = read_toml(path) if path.exists() else {}
        load_config(path if path.exists() else "", env={})  # the file as it is must be valid
        text = render(apply(current, assignments))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    _save(text, str(path))


@config.command("write")
@click.argument("assignments", nargs=-1)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help=FILE_HELP)
@click.option("--output", "-o", default=None, help="Write here instead ('-': standard output).")
def config_write(assignments: tuple[str, ...], config_file: str | None, output: str | None) -> None:
    """Write a settings file holding exactly these settings (the rest: defaults)."""
    try:
        text = render(apply({}, assignments))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    _save(text, output or str(_file(config_file)))
