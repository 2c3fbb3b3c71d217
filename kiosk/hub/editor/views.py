"""The editor's service pages: the list, the form (save, check-as-you-type) and the
review ("Sudah dicek dengan petugas/peraturan"). Thin: the work is in the pure modules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for

from ...catalog.load import ID_PATTERN, check_catalog_dir
from ...catalog.unfilled import unfilled_fields
from ..console.core import audit, now, role_required
from . import text as T
from .diff import service_changes
from .problems import FieldErrors, field_errors
from .service_form import (
    ServiceForm,
    apply_form,
    copied_service,
    form_from_request,
    form_from_yaml,
)
from .source import EditConflict, SourceFile, dump
from .state import EDITORS, bp, draft, editor, published_catalog

FEEDBACK_DAYS = 90  # residents' sesuai/kurang answers shown beside the review


def _file(service_id: str) -> SourceFile:
    source = editor().source
    if service_id not in source.service_names():
        abort(404)
    return source.read(f"services/{service_id}.yaml")


def _feedback() -> dict[str, tuple[int, int]]:
    """Service id → (sesuai, kurang) over the last FEEDBACK_DAYS days (issue 15's table)."""
    from ..console.truth import gather

    today = now().date()
    return {
        t.service.id: (t.sesuai, t.kurang) for t in gather(today - timedelta(FEEDBACK_DAYS), today)
    }


@bp.route("/")
def index() -> Any:
    current = draft()
    published = published_catalog()
    services = current.catalog.services if current.catalog else ()
    changed = {
        s.id for s in services if published is None or service_changes(published.service(s.id), s)
    }
    return render_template(
        "editor/index.html",
        files=editor().source.service_names(),
        catalog=current.catalog,
        problems=field_errors(current.problems, "").elsewhere,
        changed=changed,
        feedback=_feedback(),
        published=published,
        unfilled=unfilled_fields(current.catalog) if current.catalog else [],
    )


def _render_form(
    service_id: str,
    opened: SourceFile,
    form: ServiceForm,
    errors: FieldErrors | None = None,
    status: int = 200,
) -> Any:
    current = draft()
    catalog = current.catalog
    published = published_catalog()
    service = catalog.service(service_id) if catalog else None
    before = published.service(service_id) if published else None
    return (
        render_template(
            "editor/service.html",
            service_id=service_id,
            digest=opened.digest,
            form=form,
            errors=errors or FieldErrors({}, []),
            service=service,
            changes=service_changes(before, service) if before and service else (),
            sources=_choices(),
            feedback=_feedback().get(service_id, (0, 0)),
            today=now().date(),
            T=T,
        ),
        status,
    )


def _choices() -> dict[str, dict[str, str]]:
    """Select options from the draft's own files (categories, offices)."""
    source = editor().source
    meta = source.read("catalog.yaml").data() or {}
    offices = source.read("offices.yaml").data() or {}
    return {
        "category": {c["id"]: c.get("name", c["id"]) for c in meta.get("categories") or ()},
        "office": {o["id"]: o.get("name", o["id"]) for o in offices.get("offices") or ()},
        "copy": T.COPY_CHOICES,
        "program": T.PROGRAM_CHOICES,
        "audience": T.AUDIENCE_CHOICES,
    }


@bp.route("/layanan/<service_id>")
def service(service_id: str) -> Any:
    opened = _file(service_id)
    return _render_form(service_id, opened, form_from_yaml(opened.data()))


def _checked(opened: SourceFile, form: ServiceForm) -> tuple[str, FieldErrors]:
    """The file's new text and the validator's problems, nothing written."""
    doc = opened.data()
    apply_form(doc, form)
    text = dump(doc)
    _, problems = check_catalog_dir(editor().source.root, {opened.name: text})
    mine = [p for p in problems if p.file == opened.name]
    return text, field_errors(mine, opened.name)


@bp.route("/layanan/<service_id>", methods=["POST"])
@role_required(*EDITORS)
def save_service(service_id: str) -> Any:
    opened = _file(service_id)
    digest = request.form.get("digest", "")
    form = form_from_request(request.form)
    if request.form.get("move") or request.form.get("add"):
        return _render_form(service_id, opened, form)  # rows changed; nothing saved yet
    text, errors = _checked(opened, form)
    if errors.count:
        flash(T.NOT_SAVED.format(count=errors.count))
        return _render_form(service_id, opened, form, errors, 422)
    try:
        if text != opened.text:
            editor().source.write({opened.name: (text, digest)})
    except EditConflict as exc:
        flash(T.CONFLICT.format(name=exc.name))
        return _render_form(service_id, opened, form, status=409)
    audit("catalog.edit", service_id, {"file": opened.name})
    flash(T.SAVED)
    if request.form.get("then") == "preview":
        return redirect(url_for("katalog.preview", service_id=service_id), 303)
    return redirect(url_for("katalog.service", service_id=service_id), 303)


@bp.route("/baru", methods=["POST"])
@role_required(*EDITORS)
def new_service() -> Any:
    """A new service, started as a copy of an existing one (every field then valid)."""
    new_id = request.form.get("id", "").strip()
    name = " ".join(request.form.get("name", "").split()) or new_id
    source = editor().source
    template = request.form.get("copy_of", "")
    if not ID_PATTERN.match(new_id) or new_id in source.service_names():
        flash(T.BAD_NEW_ID.format(value=new_id))
        return redirect(url_for("katalog.index"), 303)
    if template not in source.service_names():
        abort(400)
    doc = copied_service(
        source.read(f"services/{template}.yaml").data(), new_id, name, now().date()
    )
    try:
        source.write({f"services/{new_id}.yaml": (dump(doc), "")})
    except EditConflict as exc:
        flash(T.CONFLICT.format(name=exc.name))
        return redirect(url_for("katalog.index"), 303)
    audit("catalog.create", new_id, {"copy_of": template})
    flash(T.CREATED)
    return redirect(url_for("katalog.service", service_id=new_id), 303)


@bp.route("/layanan/<service_id>/periksa", methods=["POST"])
def check_service(service_id: str) -> Any:
    """Check as you type: the same validation as saving, as JSON; nothing is written."""
    _, errors = _checked(_file(service_id), form_from_request(request.form))
    return jsonify(errors=errors.by_field, elsewhere=errors.elsewhere, count=errors.count)


@bp.route("/layanan/<service_id>/konfirmasi", methods=["POST"])
@role_required(*EDITORS)
def confirm_service(service_id: str) -> Any:
    opened = _file(service_id)
    doc = opened.data()
    review = doc["review"]
    if request.form.get("action") == "cabut":
        review["confirmed"] = False
        review.pop("confirmed_by", None)
        message = T.UNCONFIRMED
    else:
        source_text = " ".join(request.form.get("source", "").split())
        who = " ".join(request.form.get("confirmed_by", "").split())
        if not source_text or not who:
            flash(T.CONFIRM_NEEDS)
            return redirect(url_for("katalog.service", service_id=service_id), 303)
        review["checked"] = now().date()
        review["confirmed"] = True
        if "confirmed_by" in review:
            review["confirmed_by"] = who
        else:
            review.insert(list(review).index("confirmed") + 1, "confirmed_by", who)
        review["source"] = source_text
        message = T.CONFIRMED
    try:
        editor().source.write({opened.name: (dump(doc), request.form.get("digest", ""))})
    except EditConflict as exc:
        flash(T.CONFLICT.format(name=exc.name))
        return redirect(url_for("katalog.service", service_id=service_id), 303)
    audit("catalog.review", service_id, {"confirmed": bool(review["confirmed"])})
    flash(message)
    return redirect(url_for("katalog.service", service_id=service_id), 303)
