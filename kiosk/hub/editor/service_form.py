"""A service's YAML ↔ the editor's form fields, as pure functions.

The form is flat text (what a browser posts): scalar fields by their YAML key, rows of
requirements and steps as ``requirements-<n>-<key>``, each row carrying the index it had
in the file (``-orig``, so its comments stay with it), an order number (``-order``) and a
delete box (``-delete``). Without JavaScript, buttons named ``move`` (``requirements-2-up``)
and ``add`` (``steps``) change the rows and show the form again; nothing is saved then.
Values are written as the validator wants them, or left as typed so that the validator
(the same as ``kiosk catalog check``) names what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ...catalog.load import FEE_UNKNOWN, SERVICE_FIELDS

TEXT_FIELDS = (
    "name",
    "summary",
    "category",
    "program",
    "served_by",
    "audience",
    "time",
    "fee_note",
    "product",
    "notice",
)
OPTIONAL = {"audience": "warga", "fee_note": "", "notice": ""}  # key → value when absent
LIST_FIELDS = ("legal_basis", "keywords")  # one item per line in a textarea
ROW_KEYS = {
    "requirements": ("document", "copy", "count", "when", "note"),
    "steps": ("at", "text"),
}
ROW_OPTIONAL = {"count": "1", "when": "", "note": ""}
REVIEW_TEXT = ("source", "notes")

_ROW_NAME = re.compile(r"^(requirements|steps)-(\d+)-(\w+)$")


@dataclass
class Row:
    """One requirement or step as the form shows it."""

    values: dict[str, str]
    orig: int | None = None  # its index in the file when the form was opened


@dataclass
class ServiceForm:
    fields: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def form_from_yaml(data: Mapping[str, Any]) -> ServiceForm:
    """What the form shows for a service file as it is on disk."""
    fields = {name: _text(data.get(name, OPTIONAL.get(name, ""))) for name in TEXT_FIELDS}
    fee = data.get("fee")
    fields["fee_unknown"] = "1" if fee in (FEE_UNKNOWN, None) else ""
    fields["fee"] = "" if fields["fee_unknown"] else _text(fee)
    for name in LIST_FIELDS:
        fields[name] = "\n".join(_text(v) for v in data.get(name) or ())
    review = data.get("review") or {}
    for name in REVIEW_TEXT:
        fields[f"review-{name}"] = _text(review.get(name, ""))
    rows = {
        kind: [
            Row({k: _text(item.get(k, ROW_OPTIONAL.get(k, ""))) for k in keys}, orig=i)
            for i, item in enumerate(data.get(kind) or ())
            if isinstance(item, Mapping)
        ]
        for kind, keys in ROW_KEYS.items()
    }
    return ServiceForm(fields, rows)


def _posted_rows(form: Mapping[str, str], kind: str) -> list[tuple[float, Row]]:
    numbers = sorted({int(m[2]) for m in map(_ROW_NAME.match, form) if m and m[1] == kind})
    rows = []
    for n in numbers:
        prefix = f"{kind}-{n}-"
        if form.get(prefix + "delete"):
            continue
        values = {k: form.get(prefix + k, "").strip() for k in ROW_KEYS[kind]}
        orig_text = form.get(prefix + "orig", "")
        orig = int(orig_text) if orig_text.isdigit() else None
        filled = [v for k, v in values.items() if k not in ("copy", "at", "count") and v]
        if orig is None and not filled:
            continue  # an empty new row: nothing was added
        try:
            order = float(form.get(prefix + "order", "") or n)
        except ValueError:
            order = n
        rows.append((order, Row(values, orig)))
    return rows


def form_from_request(form: Mapping[str, str]) -> ServiceForm:
    """The form as posted: deleted and empty new rows dropped, rows sorted by their order
    number (ties keep their place), then the ``move``/``add`` button applied."""
    fields = {name: form.get(name, "").strip() for name in TEXT_FIELDS + LIST_FIELDS}
    fields["fee"] = form.get("fee", "").strip()
    fields["fee_unknown"] = "1" if form.get("fee_unknown") else ""
    for name in REVIEW_TEXT:
        fields[f"review-{name}"] = form.get(f"review-{name}", "").strip()
    rows = {}
    for kind in ROW_KEYS:
        posted = _posted_rows(form, kind)
        rows[kind] = [row for _, row in sorted(posted, key=lambda pair: pair[0])]
    result = ServiceForm(fields, rows)
    move = form.get("move", "")
    if move:
        apply_move(result, move)
    if form.get("add") in ROW_KEYS:
        kind = form["add"]
        blank = {k: "" for k in ROW_KEYS[kind]}
        result.rows[kind].append(Row({**blank, "copy": "fotokopi", "count": "1"}))
    return result


def apply_move(form: ServiceForm, move: str) -> None:
    """``requirements-2-up`` / ``steps-0-down``: swap a row with its neighbour."""
    match = re.match(r"^(requirements|steps)-(\d+)-(up|down)$", move)
    if not match:
        return
    rows = form.rows[match[1]]
    i = int(match[2])
    j = i - 1 if match[3] == "up" else i + 1
    if 0 <= i < len(rows) and 0 <= j < len(rows):
        rows[i], rows[j] = rows[j], rows[i]


def posted_fields(form: ServiceForm) -> dict[str, str]:
    """The flat field names and values a browser would post for ``form`` (its inputs)."""
    out = dict(form.fields)
    for kind, rows in form.rows.items():
        for n, row in enumerate(rows):
            for key, value in row.values.items():
                out[f"{kind}-{n}-{key}"] = value
            out[f"{kind}-{n}-orig"] = "" if row.orig is None else str(row.orig)
            out[f"{kind}-{n}-order"] = str(n + 1)
    return out


# ---------------------------------------------------------------- form → YAML


def parse_fee(text: str, unknown: bool) -> Any:
    """``belum-pasti``, whole rupiah (``Rp 15.000`` → 15000), or the text as typed (the
    validator then says what is wrong with it)."""
    if unknown:
        return FEE_UNKNOWN
    plain = re.sub(r"^rp\.?", "", text.strip().lower()).strip().replace(".", "")
    plain = plain.replace(" ", "")
    return int(plain) if plain.isdigit() else text


def _whole_number(text: str) -> Any:
    return int(text) if text.isdigit() else text


def set_key(doc: CommentedMap, key: str, value: Any, order: tuple[str, ...]) -> None:
    """Set ``doc[key]``; an unchanged value is left alone (its quoting stays), a new key
    goes where ``order`` puts it among the keys already there."""
    if key in doc:
        if doc[key] != value or type(doc[key]) is not type(value):
            doc[key] = value
        return
    position = sum(1 for k in doc if k in order and order.index(k) < order.index(key))
    doc.insert(position, key, value)


def _set_or_drop(
    doc: CommentedMap, key: str, value: Any, order: tuple[str, ...], absent: Any
) -> None:
    """Optional keys: the value meaning "absent" removes the key instead of writing it."""
    if key in doc and doc[key] == value:
        return
    if value == absent or value == "":
        doc.pop(key, None)
    else:
        set_key(doc, key, value, order)


def _row_item(original: Any, row: Row, kind: str) -> CommentedMap:
    item = original if isinstance(original, CommentedMap) else CommentedMap()
    keys = ROW_KEYS[kind]
    for key in keys:
        value = row.values.get(key, "")
        converted: Any = _whole_number(value) if key == "count" else value
        if key in ROW_OPTIONAL:
            absent = 1 if key == "count" else ""
            _set_or_drop(item, key, converted, keys, absent)
        elif value:
            set_key(item, key, converted, keys)
        else:
            item.pop(key, None)  # the validator says "wajib diisi"
    return item


def apply_form(doc: CommentedMap, form: ServiceForm) -> None:
    """Write the form's values into a service's round-trip document, in place."""
    order = tuple(SERVICE_FIELDS)
    for name in TEXT_FIELDS:
        value = " ".join(form.fields.get(name, "").split())
        if name in OPTIONAL:
            _set_or_drop(doc, name, value, order, OPTIONAL[name])
        elif value:
            set_key(doc, name, value, order)
        else:
            doc.pop(name, None)
    set_key(doc, "fee", parse_fee(form.fields["fee"], bool(form.fields["fee_unknown"])), order)
    for name in LIST_FIELDS:
        items = [" ".join(line.split()) for line in form.fields.get(name, "").splitlines()]
        items = [item for item in items if item]
        if list(doc.get(name) or ()) != items:
            set_key(doc, name, CommentedSeq(items), order)
    for kind in ROW_KEYS:
        old = doc.get(kind) or []
        rows = [
            _row_item(old[r.orig] if r.orig is not None and r.orig < len(old) else None, r, kind)
            for r in form.rows[kind]
        ]
        seq = doc[kind] if isinstance(doc.get(kind), CommentedSeq) else CommentedSeq()
        seq[:] = rows
        set_key(doc, kind, seq, order)
    review = doc.get("review")
    if isinstance(review, CommentedMap):
        review_order = ("checked", "confirmed", "confirmed_by", "source", "notes")
        set_key(review, "source", form.fields.get("review-source", ""), review_order)
        _set_or_drop(review, "notes", form.fields.get("review-notes", ""), review_order, "")


def copied_service(doc: CommentedMap, new_id: str, name: str, today: Any) -> CommentedMap:
    """A new service started from a copy of another (``doc``, changed in place): its own id
    and name, and a review that says nobody checked it yet."""
    copied_from = doc.get("id", "")
    doc["id"] = new_id
    doc["name"] = name
    review = doc.get("review")
    if isinstance(review, CommentedMap):
        review["checked"] = today
        review["confirmed"] = False
        review.pop("confirmed_by", None)
        review["source"] = f"Disalin dari {copied_from}; belum dicek"
        review.pop("notes", None)
    return doc
