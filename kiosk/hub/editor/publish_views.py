"""Publish (admin only, passphrase typed now, never stored), history and roll back."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from ...errors import CatalogInvalid
from ..console.core import audit, current_user, now, role_required
from ..keys import KeyLocked, key_is_encrypted
from ..repo import KEY_FILES
from . import text as T
from .diff import catalog_changes
from .history import Release
from .problems import field_errors
from .publish import publish, roll_back
from .state import bp, draft, editor, last_release, published_catalog


def _key_protected() -> bool:
    """The console publishes only with a passphrase-protected content key: a key anyone
    with the hub's disk could use is refused (``kiosk hub encrypt-key`` protects it)."""
    return key_is_encrypted(editor().hub_dir / KEY_FILES["targets"])


def _who() -> str:
    user = current_user()
    return user.name if user else "?"


def _passphrase() -> bytes | None:
    typed = request.form.get("passphrase", "")
    return typed.encode("utf-8") if typed else None


@bp.route("/terbitkan")
def publish_page() -> Any:
    current = draft()
    published = published_catalog()
    changes = catalog_changes(published, current.catalog) if current.catalog and published else []
    confirmed_changed = {
        c.key
        for c in changes
        if c.kind == "Layanan"
        and published
        and (s := published.service(c.key))
        and s.review.confirmed
    }
    return render_template(
        "editor/publish.html",
        problems=field_errors(current.problems, "").elsewhere,
        changes=changes,
        confirmed_changed=confirmed_changed,
        release=last_release(),
        key_protected=_key_protected(),
    )


def _publish_failed(exc: Exception) -> Any:
    if isinstance(exc, KeyLocked):
        flash(T.WRONG_PASSPHRASE if _passphrase() else T.NEEDS_PASSPHRASE)
    elif isinstance(exc, CatalogInvalid):
        flash(T.CANNOT_PUBLISH.format(count=len(exc.problems)))
    else:
        flash(str(exc))
    return redirect(request.referrer or url_for("katalog.publish_page"), 303)


@bp.route("/terbitkan", methods=["POST"])
@role_required("admin")
def publish_draft() -> Any:
    if not _key_protected():
        flash(T.KEY_NOT_PROTECTED)
        return redirect(url_for("katalog.publish_page"), 303)
    current = draft()
    latest = last_release()
    if latest and current.catalog and not catalog_changes(latest.catalog(), current.catalog):
        flash(T.NOTHING_CHANGED.format(version=latest.version))
        return redirect(url_for("katalog.publish_page"), 303)
    try:
        release = publish(
            str(editor().hub_dir), editor().source, by=_who(), passphrase=_passphrase(), now=now
        )
    except (KeyLocked, CatalogInvalid) as exc:
        audit("catalog.publish_refused", "katalog", {"reason": type(exc).__name__})
        return _publish_failed(exc)
    audit("catalog.publish", f"versi {release.version}", {"sha256": release.sha256})
    flash(T.PUBLISHED.format(version=release.version))
    return redirect(url_for("katalog.history"), 303)


HISTORY_SHOWN = 20  # releases on the history page, newest first


def _with_changes(releases: list[Release]) -> list[tuple[Release, list[Any] | None]]:
    """Each release with what changed from the one before it; None for the oldest one
    read (its predecessor is not on the page, or there is none)."""
    out: list[tuple[Release, list[Any] | None]] = []
    for i, release in enumerate(releases):
        before = releases[i + 1].catalog() if i + 1 < len(releases) else None
        out.append((release, catalog_changes(before, release.catalog()) if before else None))
    return out


@bp.route("/riwayat")
def history() -> Any:
    shown = _with_changes(editor().history.all(newest=HISTORY_SHOWN + 1))[:HISTORY_SHOWN]
    return render_template("editor/history.html", releases=shown)


@bp.route("/riwayat/<int:version>/kembalikan", methods=["POST"])
@role_required("admin")
def rollback(version: int) -> Any:
    if not _key_protected():
        flash(T.KEY_NOT_PROTECTED)
        return redirect(url_for("katalog.history"), 303)
    try:
        release = roll_back(
            str(editor().hub_dir),
            editor().source,
            version,
            by=_who(),
            passphrase=_passphrase(),
            now=now,
        )
    except (KeyLocked, CatalogInvalid) as exc:
        return _publish_failed(exc)
    audit("catalog.rollback", f"versi {release.version}", {"content_of": version})
    flash(T.ROLLED_BACK.format(source=version, version=release.version))
    return redirect(url_for("katalog.history"), 303)
