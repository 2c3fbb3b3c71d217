"""Catalog fields the kecamatan has not filled in yet, and the catalog residents see.

A field is unfilled while it carries a bracketed marker such as "[Diisi kecamatan]" or
"[Perlu dicek, nomor tahun 2020]" (catalog/offices.yaml). To a resident such a marker
reads as a broken machine, so :func:`resident_view` leaves every such field out: a
text field becomes empty, an entry of a list (opening hours, a contact, a complaint
channel, a legal basis) is dropped. Each surface then says one plain line where a
missing field matters ("Tanyakan jam buka di kantor desa"). ``kiosk catalog check``
lists the same fields as warnings (:func:`unfilled_fields`) so the kecamatan sees
what to fill.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from .model import Catalog

# "[Diisi kecamatan]", "[Perlu dicek, ...]", "[Isi: ...]", "[TODO]": a bracket that
# opens with one of these words is a note to the editor, never text for residents.
_WORDS = r"\[\s*(?:diisi|perlu|isi|todo|belum diisi)\b[^\]]*\]"
MARKER = re.compile(_WORDS, re.IGNORECASE)
# "lapor.go.id (nomor SMS: [Diisi kecamatan])": only the aside in brackets is unfilled.
_ASIDE = re.compile(r"\s*\([^()]*" + _WORDS + r"[^()]*\)", re.IGNORECASE)


def is_unfilled(text: str) -> bool:
    return MARKER.search(text) is not None


def filled_text(text: str) -> str:
    """``text`` without an unfilled aside in parentheses; "" if it is still unfilled."""
    text = _ASIDE.sub("", text)
    return "" if is_unfilled(text) else text


def unfilled_fields(catalog: Catalog) -> list[tuple[str, str]]:
    """(where, value) of every unfilled text field, e.g. ("offices[kecamatan].address", …)."""
    return unfilled_fields_of(catalog)


def _label(item: Any, index: int) -> str:
    ident = getattr(item, "id", None)
    return f"[{ident}]" if isinstance(ident, str) and ident else f"[{index}]"


def _walk(value: Any, where: str, found: list[tuple[str, str]]) -> None:
    if isinstance(value, str):
        if is_unfilled(value):
            found.append((where, value))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            _walk(item, f"{where}{_label(item, index)}", found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.init:
                name = f"{where}.{f.name}" if where else f.name
                _walk(getattr(value, f.name), name, found)


def _has_marker(value: Any) -> bool:
    return bool(unfilled_fields_of(value))


def unfilled_fields_of(value: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    _walk(value, "", found)
    return found


def _left_empty(value: Any) -> bool:
    """Would cleaning ``value`` empty one of its text fields?"""
    return any(not filled_text(text) for _, text in unfilled_fields_of(value))


def _clean(value: Any) -> Any:
    """``value`` with its unfilled fields left out; the very same object where nothing
    changes, so the resident view shares all but what it cleans with the catalog."""
    if isinstance(value, str):
        return filled_text(value)
    if isinstance(value, tuple):
        # An entry of a list that is not filled in is left out as a whole (an opening
        # time without its days means nothing); records with an id are kept and cleaned.
        items = tuple(
            _clean(item)
            for item in value
            if getattr(item, "id", None) is not None or not _left_empty(item)
        )
        same = len(items) == len(value) and all(a is b for a, b in zip(items, value, strict=True))
        return value if same else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _clean(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        if all(new is getattr(value, name) for name, new in changes.items()):
            return value
        return dataclasses.replace(value, **changes)
    return value


def resident_view(catalog: Catalog) -> Catalog:
    """``catalog`` with every unfilled field left out: what pages, slips and posters show."""
    if not _has_marker(catalog):
        return catalog
    cleaned: Catalog = _clean(catalog)
    return cleaned
