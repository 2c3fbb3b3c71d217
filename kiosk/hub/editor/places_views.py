"""The editor's pages for offices (address, hours, contacts) and villages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from ...catalog.load import check_catalog_dir
from ..console.core import audit, role_required
from . import text as T
from .places_form import (
    OFFICE_KEYS,
    VILLAGE_KEYS,
    PlacesForm,
    apply_offices,
    apply_villages,
    offices_form,
    places_from_request,
    villages_form,
)
from .problems import FieldErrors, field_errors
from .source import EditConflict, dump
from .state import EDITORS, bp, editor

PAGES: dict[str, tuple[str, tuple[str, ...], Callable[..., PlacesForm], Callable[..., None]]] = {
    "offices": ("offices.yaml", OFFICE_KEYS, offices_form, apply_offices),
    "villages": ("villages.yaml", VILLAGE_KEYS, villages_form, apply_villages),
}


def _render(kind: str, digest: str, form: PlacesForm, errors: FieldErrors, status: int) -> Any:
    return (
        render_template(
            f"editor/{kind}.html", form=form, digest=digest, errors=errors, kind=kind, T=T
        ),
        status,
    )


def _page(kind: str) -> Any:
    name, keys, to_form, apply = PAGES[kind]
    opened = editor().source.read(name)
    if request.method == "GET":
        return _render(kind, opened.digest, to_form(opened.data()), FieldErrors({}, []), 200)
    form = places_from_request(request.form, kind, keys)
    digest = request.form.get("digest", "")
    if request.form.get("add"):
        return _render(kind, digest, form, FieldErrors({}, []), 200)
    doc = opened.data()
    apply(doc, form)
    text = dump(doc)
    _, problems = check_catalog_dir(editor().source.root, {name: text})
    errors = field_errors(problems, name)
    if errors.count:
        flash(T.NOT_SAVED.format(count=errors.count))
        return _render(kind, digest, form, errors, 422)
    try:
        editor().source.write({name: (text, digest)})
    except EditConflict as exc:
        flash(T.CONFLICT.format(name=exc.name))
        return _render(kind, digest, form, errors, 409)
    audit("catalog.edit", name, {"file": name})
    flash(T.SAVED)
    return redirect(url_for(f"katalog.{kind}"), 303)


@bp.route("/kantor")
def offices() -> Any:
    return _page("offices")


@bp.route("/kantor", methods=["POST"])
@role_required(*EDITORS)
def save_offices() -> Any:
    return _page("offices")


@bp.route("/desa")
def villages() -> Any:
    return _page("villages")


@bp.route("/desa", methods=["POST"])
@role_required(*EDITORS)
def save_villages() -> Any:
    return _page("villages")
