"""What the editor's views share: its blueprint, its folders, the draft and the last release."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from flask import Blueprint, current_app

from ...catalog.model import Catalog
from ..console.core import protect
from .history import History, Release
from .publish import Draft, check_draft
from .source import CatalogSource

EXTENSION = "pelita_editor"
EDITORS = ("admin", "petugas")  # who may change the draft; only admin publishes

bp = protect(
    Blueprint(
        "katalog",
        __name__,
        template_folder="templates",
        static_folder="static",
        static_url_path="/editor-static",
    )
)


@dataclass(frozen=True)
class EditorState:
    source: CatalogSource
    hub_dir: Path
    preview_village: str = ""

    @property
    def history(self) -> History:
        return History(self.hub_dir)


def editor() -> EditorState:
    return cast(EditorState, current_app.extensions[EXTENSION])


def draft() -> Draft:
    return check_draft(editor().source)


def last_release() -> Release | None:
    return editor().history.latest()


def published_catalog() -> Catalog | None:
    release = last_release()
    return release.catalog() if release else None
