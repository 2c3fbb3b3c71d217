"""What every ``kiosk`` subcommand shares: the ``--config`` option and loading it."""

from __future__ import annotations

import click

from .config import Config, load_config
from .errors import ConfigError

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="The hall's settings (TOML). Default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml if present.",
)


def get_config(config_file, **overrides) -> Config:
    """Settings for a command; a bad setting is a usage error (exit 2, ``Error: …``)."""
    try:
        return load_config(
            config_file, overrides={k: v for k, v in overrides.items() if v is not None}
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
