"""Offices (address, hours, contacts) and villages ↔ form fields, as pure functions.

Rows as in service_form: ``offices-<n>-<key>`` with ``-orig`` and ``-delete``. Hours,
contacts and the complaint channels are one per line, "left | right" (days | time,
label | value), so they work in a plain textarea without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .service_form import set_key

OFFICE_KEYS = ("id", "name", "address", "placeholder", "hours", "contacts")
VILLAGE_KEYS = ("id", "name", "code")
PAIRS = {
    "hours": ("days", "time"),
    "contacts": ("label", "value"),
    "complaints": ("label", "value"),
}
SEPARATOR = " | "


@dataclass
class PlacesForm:
    fields: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[int | None, dict[str, str]]] = field(default_factory=list)


def pairs_text(items: Any, kind: str) -> str:
    left, right = PAIRS[kind]
    return "\n".join(f"{i.get(left, '')}{SEPARATOR}{i.get(right, '')}" for i in items or ())


def parse_pairs(text: str, kind: str) -> list[dict[str, str]]:
    """ "Senin–Kamis | 07.30–15.30" lines → [{"days": ..., "time": ...}]; a line without
    the bar keeps its text on the left (the validator then asks for the right side)."""
    left, right = PAIRS[kind]
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        a, _, b = line.partition("|")
        out.append({left: " ".join(a.split()), right: " ".join(b.split())})
    return out


def offices_form(data: Mapping[str, Any]) -> PlacesForm:
    rows: list[tuple[int | None, dict[str, str]]] = []
    for i, office in enumerate(data.get("offices") or ()):
        values = {k: str(office.get(k, "") or "") for k in ("id", "name", "address")}
        values["placeholder"] = "1" if office.get("placeholder") else ""
        for kind in ("hours", "contacts"):
            values[kind] = pairs_text(office.get(kind), kind)
        rows.append((i, values))
    fields = {
        "main_office": str(data.get("main_office", "")),
        "complaints": pairs_text(data.get("complaints"), "complaints"),
    }
    return PlacesForm(fields, rows)


def villages_form(data: Mapping[str, Any]) -> PlacesForm:
    rows: list[tuple[int | None, dict[str, str]]] = [
        (i, {k: str(v.get(k, "") or "") for k in VILLAGE_KEYS})
        for i, v in enumerate(data.get("villages") or ())
    ]
    return PlacesForm({}, rows)


def places_from_request(form: Mapping[str, str], kind: str, keys: tuple[str, ...]) -> PlacesForm:
    """Posted rows (deleted and empty new ones dropped); ``add`` appends a blank row."""
    pattern = re.compile(rf"^{kind}-(\d+)-(\w+)$")
    numbers = sorted({int(m[1]) for m in map(pattern.match, form) if m})
    rows: list[tuple[int | None, dict[str, str]]] = []
    for n in numbers:
        prefix = f"{kind}-{n}-"
        values = {k: form.get(prefix + k, "").strip() for k in keys}
        orig_text = form.get(prefix + "orig", "")
        orig = int(orig_text) if orig_text.isdigit() else None
        if form.get(prefix + "delete") or (orig is None and not any(values.values())):
            continue
        rows.append((orig, values))
    if form.get("add") == kind:
        rows.append((None, {k: "" for k in keys}))
    fields = {k: form.get(k, "").strip() for k in ("main_office", "complaints") if k in form}
    return PlacesForm(fields, rows)


def _pairs_seq(old: Any, text: str, kind: str) -> Any:
    new = parse_pairs(text, kind)
    if [dict(i) for i in old or ()] == new:
        return old  # unchanged: keep the original (comments, quoting)
    return CommentedSeq(CommentedMap(item) for item in new)


def _office_item(original: Any, values: dict[str, str]) -> CommentedMap:
    item = original if isinstance(original, CommentedMap) else CommentedMap()
    for key in ("id", "name"):
        if values.get(key):
            set_key(item, key, values[key], OFFICE_KEYS)
        else:
            item.pop(key, None)
    if values.get("address"):
        set_key(item, "address", values["address"], OFFICE_KEYS)
    else:
        item.pop("address", None)
    placeholder = bool(values.get("placeholder"))
    if placeholder or "placeholder" in item:
        set_key(item, "placeholder", placeholder, OFFICE_KEYS)
    for kind in ("hours", "contacts"):
        seq = _pairs_seq(item.get(kind), values.get(kind, ""), kind)
        if seq:
            set_key(item, kind, seq, OFFICE_KEYS)
        else:
            item.pop(kind, None)
    return item


def apply_offices(doc: CommentedMap, form: PlacesForm) -> None:
    old = doc.get("offices") or []
    items = [
        _office_item(old[o] if o is not None and o < len(old) else None, values)
        for o, values in form.rows
    ]
    seq = doc["offices"] if isinstance(doc.get("offices"), CommentedSeq) else CommentedSeq()
    seq[:] = items
    order = ("main_office", "offices", "complaints")
    set_key(doc, "offices", seq, order)
    if form.fields.get("main_office"):
        set_key(doc, "main_office", form.fields["main_office"], order)
    complaints = _pairs_seq(doc.get("complaints"), form.fields.get("complaints", ""), "complaints")
    if complaints:
        set_key(doc, "complaints", complaints, order)
    else:
        doc.pop("complaints", None)


def apply_villages(doc: CommentedMap, form: PlacesForm) -> None:
    old = doc.get("villages") or []
    items = []
    for orig, values in form.rows:
        item = old[orig] if orig is not None and orig < len(old) else CommentedMap()
        for key in VILLAGE_KEYS:
            if values.get(key):
                set_key(item, key, values[key], VILLAGE_KEYS)
            else:
                item.pop(key, None)
        items.append(item)
    seq = doc["villages"] if isinstance(doc.get("villages"), CommentedSeq) else CommentedSeq()
    seq[:] = items
    set_key(doc, "villages", seq, ("villages",))
