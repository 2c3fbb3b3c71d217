"""Read and validate a catalog, reporting every problem at once.

The same checks run on the hand-written YAML folder (``load_catalog_dir``) and on a
compiled release (``catalog_from_data``), so a kiosk never activates a release
that its own validator would reject. See docs/catalog-format.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import CatalogInvalid
from .model import (
    COPY_LABELS,
    Catalog,
    Category,
    Contact,
    Hours,
    Office,
    Requirement,
    Review,
    Service,
    Step,
    Village,
)

if TYPE_CHECKING:
    import yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PROGRAMS = ("paten", "adminduk")
AUDIENCES = ("warga", "pemerintah-desa")
FEE_UNKNOWN = "belum-pasti"  # the fee is not known yet: residents are told to ask


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the catalog: where, and what to do about it."""

    file: str
    field: str
    message: str
    line: int | None = None
    # What kind of problem (e.g. "missing", "bad_fee"), so the console can say it in
    # Indonesian next to the field; ``value`` is the offending value, as text.
    code: str = ""
    value: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@cache
def _yaml_loader() -> type[yaml.SafeLoader]:
    """Safe YAML loader that keeps dates as text, so a bad date is our problem to report
    (PyYAML would raise a bare ValueError for 2026-13-01). Built on first use: kiosks
    read only compiled releases, so the web and printer never import PyYAML."""
    import yaml

    class NoDatesLoader(yaml.SafeLoader):
        pass

    NoDatesLoader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return NoDatesLoader


# ---------------------------------------------------------------- field checks

_NO_DEFAULT = object()


@dataclass(frozen=True)
class Field:
    """How one field of a record is checked: its kind, whether it must be there, and the
    value used when an optional field is absent or empty (no default: left out)."""

    kind: Kind
    required: bool = True
    default: Any = _NO_DEFAULT


Spec = Mapping[str, Field]


class _Checker:
    """Collects problems for one file while converting its data."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def problem(self, field: str, message: str, code: str, value: Any = "") -> None:
        self.problems.append(Problem(self.file, field, message, code=code, value=str(value)))

    def fields(self, value: Any, path: str, spec: Spec) -> dict[str, Any] | None:
        """Check a mapping against ``spec``; the valid fields, or None if not a mapping."""
        if not isinstance(value, dict):
            self.problem(
                path or "(file)",
                f"must be a mapping of fields, found {_kind(value)}",
                "not_mapping",
            )
            return None
        out: dict[str, Any] = {}
        for key in value:
            if key not in spec:
                allowed = ", ".join(spec)
                self.problem(
                    _join(path, key), f"unknown field (allowed fields: {allowed})", "unknown_field"
                )
        for name, spec_field in spec.items():
            field = _join(path, name)
            missing = name not in value or (value[name] is None and spec_field.kind != "fee")
            if missing or (not spec_field.required and value[name] in ("", [])):
                if spec_field.required:
                    self.problem(field, "is missing", "missing")
                elif spec_field.default is not _NO_DEFAULT:
                    out[name] = spec_field.default
                continue
            checked = self.value(value[name], field, spec_field.kind)
            if checked is not _BAD:
                out[name] = checked
        return out

    def value(self, value: Any, field: str, kind: Kind) -> Any:
        """``value`` checked as ``kind``: converted, or _BAD with a problem recorded."""
        check = kind if callable(kind) else KINDS[kind]
        return check(self, value, field)

    def records(
        self,
        value: Any,
        field: str,
        build: Callable[[_Checker, Any, str], T | None],
        nonempty: bool,
    ) -> tuple[T, ...]:
        if not isinstance(value, list):
            self.problem(field, f"must be a list, found {_kind(value)}", "not_list")
            return ()
        if nonempty and not value:
            self.problem(field, "is empty: list at least one", "empty_list")
        out = [build(self, item, f"{field}[{i}]") for i, item in enumerate(value)]
        return tuple(o for o in out if o is not None)


_BAD = object()
T = TypeVar("T")
CustomKind = Callable[["_Checker", Any, str], Any]
Kind = str | CustomKind  # "text", "id", "int", "fee", "bool", "date", "text_list", or a check


def _text(c: _Checker, value: Any, field: str) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        c.problem(field, f"must be non-empty text, found {_kind(value)}", "not_text")
        return _BAD
    return value.strip()


def _id(c: _Checker, value: Any, field: str) -> Any:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        c.problem(
            field,
            f"{value!r} is not a valid id: use lowercase letters, digits and "
            "hyphens, e.g. ktp-el-baru",
            "bad_id",
            value,
        )
        return _BAD
    return value


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _int(c: _Checker, value: Any, field: str) -> Any:
    if not _is_count(value):
        c.problem(field, f"must be a whole number (0 or more), found {value!r}", "bad_int", value)
        return _BAD
    return value


def _fee(c: _Checker, value: Any, field: str) -> Any:
    if value == FEE_UNKNOWN or value is None:  # None: as stored in a release
        return None
    if not _is_count(value):
        c.problem(
            field,
            f"must be whole rupiah (0 for free) or {FEE_UNKNOWN}, found {value!r}",
            "bad_fee",
            value,
        )
        return _BAD
    return value


def _bool(c: _Checker, value: Any, field: str) -> Any:
    if not isinstance(value, bool):
        c.problem(field, f"must be true or false, found {value!r}", "bad_bool", value)
        return _BAD
    return value


def _date(c: _Checker, value: Any, field: str) -> Any:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        c.problem(field, f"{value!r} is not a date; write it as YYYY-MM-DD", "bad_date", value)
        return _BAD


def _text_list(c: _Checker, value: Any, field: str) -> Any:
    if not isinstance(value, list):
        c.problem(field, f"must be a list, found {_kind(value)}", "not_list")
        return _BAD
    items = [_text(c, v, f"{field}[{i}]") for i, v in enumerate(value)]
    return tuple(v for v in items if v is not _BAD)


# The named kinds a Field can have; any other kind is a check function itself.
KINDS: dict[str, CustomKind] = {
    "text": _text,
    "id": _id,
    "int": _int,
    "fee": _fee,
    "bool": _bool,
    "date": _date,
    "text_list": _text_list,
}


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else str(name)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: f"the text {value!r}"}
    return names.get(type(value), repr(value))


def _choice(*choices: str) -> CustomKind:
    def check(checker: _Checker, value: Any, field: str) -> Any:
        if value not in choices:
            checker.problem(
                field, f"{value!r} is not one of: {', '.join(choices)}", "bad_choice", value
            )
            return _BAD
        return value

    return check


def _list_of(build: Callable[[_Checker, Any, str], Any], nonempty: bool = False) -> CustomKind:
    def check(checker: _Checker, value: Any, field: str) -> tuple[Any, ...]:
        return checker.records(value, field, build, nonempty)

    return check


# ---------------------------------------------------------------- record builders

OPTIONAL_TEXT = Field("text", required=False, default="")


def _requirement(c: _Checker, value: Any, path: str) -> Requirement | None:
    d = c.fields(value, path, REQUIREMENT_FIELDS)
    if d is None or not {"document", "copy"} <= d.keys():
        return None
    if d["count"] < 1:
        c.problem(_join(path, "count"), "must be 1 or more", "count_min", d["count"])
    return Requirement(**d)


def _step(c: _Checker, value: Any, path: str) -> Step | None:
    d = c.fields(value, path, {"at": Field("id"), "text": Field("text")})
    return Step(**d) if d and len(d) == 2 else None


def _review(c: _Checker, value: Any, path: str) -> Review | object:
    d = c.fields(value, path, REVIEW_FIELDS)
    return Review(**d) if d and len(d) == len(REVIEW_FIELDS) else _BAD


def _service(c: _Checker, value: Any, path: str) -> dict[str, Any]:
    """The service's fields that are valid (all of them when the service is clean)."""
    return c.fields(value, path, SERVICE_FIELDS) or {}


def _contact(c: _Checker, value: Any, path: str) -> Contact | None:
    d = c.fields(value, path, {"label": Field("text"), "value": Field("text")})
    return Contact(**d) if d and len(d) == 2 else None


def _hours(c: _Checker, value: Any, path: str) -> Hours | None:
    d = c.fields(value, path, {"days": Field("text"), "time": Field("text")})
    return Hours(**d) if d and len(d) == 2 else None


def _office(c: _Checker, value: Any, path: str) -> Office | None:
    d = c.fields(value, path, OFFICE_FIELDS)
    return Office(**d) if d and {"id", "name"} <= d.keys() else None


def _category(c: _Checker, value: Any, path: str) -> Category | None:
    d = c.fields(
        value, path, {"id": Field("id"), "name": Field("text"), "description": OPTIONAL_TEXT}
    )
    return Category(**d) if d and {"id", "name"} <= d.keys() else None


def _village(c: _Checker, value: Any, path: str) -> Village | None:
    d = c.fields(value, path, {"id": Field("id"), "name": Field("text"), "code": OPTIONAL_TEXT})
    return Village(**d) if d and {"id", "name"} <= d.keys() else None


REQUIREMENT_FIELDS: Spec = {
    "document": Field("text"),
    "copy": Field(_choice(*COPY_LABELS)),
    "count": Field("int", required=False, default=1),
    "when": OPTIONAL_TEXT,
    "note": OPTIONAL_TEXT,
}
REVIEW_FIELDS: Spec = {
    "checked": Field("date"),
    "confirmed": Field("bool"),
    "source": Field("text"),
    "confirmed_by": OPTIONAL_TEXT,
    "notes": OPTIONAL_TEXT,
}
SERVICE_FIELDS: Spec = {
    "id": Field("id"),
    "name": Field("text"),
    "summary": Field("text"),
    "category": Field("id"),
    "program": Field(_choice(*PROGRAMS)),
    "served_by": Field("id"),
    "audience": Field(_choice(*AUDIENCES), required=False, default="warga"),
    "requirements": Field(_list_of(_requirement, nonempty=True)),
    "steps": Field(_list_of(_step, nonempty=True)),
    "time": Field("text"),
    "fee": Field("fee"),
    "fee_note": OPTIONAL_TEXT,
    "product": Field("text"),
    "legal_basis": Field("text_list"),
    "keywords": Field("text_list"),
    "notice": OPTIONAL_TEXT,
    "review": Field(_review),
}
OFFICE_FIELDS: Spec = {
    "id": Field("id"),
    "name": Field("text"),
    "address": OPTIONAL_TEXT,
    "hours": Field(_list_of(_hours), required=False, default=()),
    "contacts": Field(_list_of(_contact), required=False, default=()),
    "placeholder": Field("bool", required=False, default=False),
}


# ---------------------------------------------------------------- whole catalog

# Which file of a source folder holds which part; a release holds them all in one.
PART_FILES = {"meta": "catalog.yaml", "offices": "offices.yaml", "villages": "villages.yaml"}

META_FIELDS: Spec = {
    "kecamatan": Field("text"),
    "kabupaten": Field("text"),
    "province": Field("text"),
    "categories": Field(_list_of(_category, nonempty=True)),
}
OFFICES_FIELDS: Spec = {
    "main_office": Field("id"),
    "offices": Field(_list_of(_office, nonempty=True)),
    "complaints": Field(_list_of(_contact), required=False, default=()),
}
VILLAGES_FIELDS: Spec = {"villages": Field(_list_of(_village, nonempty=True))}


@dataclass(frozen=True)
class Part:
    """One parsed part of a catalog and the file (or place in a release) it came from."""

    file: str
    data: Any

    def fields(self, spec: Spec, problems: list[Problem]) -> dict[str, Any]:
        """This part's valid top-level fields; problems for the rest."""
        return _Checker(self.file, problems).fields(self.data, "", spec) or {}


@dataclass(frozen=True)
class Sources:
    """A catalog's parts, parsed but not yet checked."""

    meta: Part
    offices: Part
    villages: Part
    services: list[Part]
    services_where: str  # where services were looked for, to report "no services found"


def _build(sources: Sources, problems: list[Problem]) -> Catalog | None:
    """Validate parsed parts into a Catalog; add every problem found."""
    meta = sources.meta.fields(META_FIELDS, problems)
    offices = sources.offices.fields(OFFICES_FIELDS, problems)
    villages = sources.villages.fields(VILLAGES_FIELDS, problems)
    services = _check_services(sources.services, problems)
    office_ids = _unique(offices.get("offices", ()), sources.offices.file, "offices", problems)
    category_ids = _unique(meta.get("categories", ()), sources.meta.file, "categories", problems)
    _unique(villages.get("villages", ()), sources.villages.file, "villages", problems)
    if "main_office" in offices and offices["main_office"] not in office_ids:
        problems.append(
            Problem(
                sources.offices.file,
                "main_office",
                f"{offices['main_office']!r} is not an office listed below",
                code="unknown_office",
                value=offices["main_office"],
            )
        )
    _check_service_ids(services, problems, category_ids, office_ids)
    if not sources.services:
        problems.append(
            Problem(sources.services_where, "", "no services found", code="no_services")
        )
    if problems:
        return None
    return Catalog(
        kecamatan=meta["kecamatan"],
        kabupaten=meta["kabupaten"],
        province=meta["province"],
        categories=meta["categories"],
        offices=offices["offices"],
        main_office=offices["main_office"],
        complaints=offices["complaints"],
        villages=villages["villages"],
        services=tuple(sorted((Service(**s) for _, s in services), key=lambda s: s.id)),
    )


def _check_services(items: list[Part], problems: list[Problem]) -> list[tuple[str, dict[str, Any]]]:
    """Each service's valid fields, by file. Partial services are kept, so cross-references
    are checked even in a service that has other problems: every problem in one run."""
    services: list[tuple[str, dict[str, Any]]] = []
    for item in items:
        fields = _service(_Checker(item.file, problems), item.data, "")
        services.append((item.file, fields))
        expected = Path(item.file).stem
        if item.file.endswith(".yaml") and "id" in fields and fields["id"] != expected:
            problems.append(
                Problem(
                    item.file,
                    "id",
                    f"is {fields['id']!r} but the file is named "
                    f"{expected}.yaml; make them the same",
                    code="id_filename",
                    value=fields["id"],
                )
            )
    return services


def _check_service_ids(
    services: list[tuple[str, dict[str, Any]]],
    problems: list[Problem],
    category_ids: list[str],
    office_ids: list[str],
) -> None:
    """No two services share an id; each one's references exist."""
    seen: dict[str, str] = {}
    for file, fields in services:
        if "id" in fields and fields["id"] in seen:
            problems.append(
                Problem(
                    file,
                    "id",
                    f"duplicate id {fields['id']!r}: also used in {seen[fields['id']]}",
                    code="duplicate",
                    value=fields["id"],
                )
            )
        if "id" in fields:
            seen.setdefault(fields["id"], file)
        _check_references(file, fields, category_ids, office_ids, problems)


def _check_references(
    file: str,
    s: dict[str, Any],
    category_ids: list[str],
    office_ids: list[str],
    problems: list[Problem],
) -> None:
    """A service's category and offices must exist; a confirmation names who confirmed."""
    if category_ids and "category" in s and s["category"] not in category_ids:
        problems.append(
            Problem(
                file,
                "category",
                f"unknown category {s['category']!r} (known: {', '.join(category_ids)})",
                code="unknown_category",
                value=s["category"],
            )
        )
    office_refs = [("served_by", s.get("served_by"))]
    office_refs += [(f"steps[{i}].at", step.at) for i, step in enumerate(s.get("steps", ()))]
    for field, office in office_refs:
        if office_ids and office is not None and office not in office_ids:
            problems.append(
                Problem(
                    file,
                    field,
                    f"unknown office {office!r} (known: {', '.join(office_ids)})",
                    code="unknown_office",
                    value=office,
                )
            )
    review = s.get("review")
    if isinstance(review, Review) and review.confirmed and not review.confirmed_by:
        problems.append(
            Problem(
                file,
                "review.confirmed_by",
                "is missing: a confirmed service names who confirmed it",
                code="missing",
            )
        )


def _unique(records: Iterable[Any], file: str, field: str, problems: list[Problem]) -> list[str]:
    ids: list[str] = []
    for r in records:
        if r.id in ids:
            problems.append(
                Problem(file, field, f"duplicate id {r.id!r}", code="duplicate", value=r.id)
            )
        else:
            ids.append(r.id)
    return ids


def _read_yaml(
    root: Path, name: str, overrides: Mapping[str, str | None], problems: list[Problem]
) -> Any:
    """Parse one source file (``name`` relative to ``root``); an override replaces its text."""
    if name in overrides:
        text = overrides[name]
        if text is None:
            problems.append(Problem(name, "", "file is missing", code="file_missing"))
            return None
    else:
        try:
            text = (root / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(Problem(name, "", "file is missing", code="file_missing"))
            return None
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(
                    name,
                    "",
                    f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
                    code="not_utf8",
                )
            )
            return None
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        problems.append(
            Problem(name, "", f"YAML syntax error: {what}", line=line, code="yaml_syntax")
        )
        return None


def service_files(
    root: Path, overrides: Mapping[str, str | None] = MappingProxyType({})
) -> list[str]:
    """The service files of a source folder (relative names, sorted), with overrides applied."""
    names = {str(p.relative_to(root)) for p in (root / "services").glob("*.y*ml")}
    for name, text in overrides.items():
        if name.startswith("services/") and name.endswith((".yaml", ".yml")):
            names.add(name) if text is not None else names.discard(name)
    return sorted(names)


def check_catalog_dir(
    root: str | Path, overrides: Mapping[str, str | None] | None = None
) -> tuple[Catalog | None, list[Problem]]:
    """Read and validate a catalog source folder; return it and every problem found.

    ``overrides`` (relative file name → YAML text, or None for a deleted file) checks a
    draft in memory against the same rules before anything is written (the console).
    """
    root = Path(root)
    overrides = overrides or {}
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), "", "is not a folder", code="not_folder")]
    parts = {}
    for part, file in PART_FILES.items():
        data = _read_yaml(root, file, overrides, problems)
        parts[part] = Part(file, data if data is not None else {})
    services = []
    for name in service_files(root, overrides):
        data = _read_yaml(root, name, overrides, problems)
        if data is not None:
            services.append(Part(name, data))
    syntax_problems = list(problems)
    sources = Sources(**parts, services=services, services_where="services/")
    catalog = _build(sources, problems)
    if syntax_problems:
        # A file that failed to parse also shows up as "missing" fields; keep only the cause.
        broken = {p.file for p in syntax_problems}
        problems[:] = syntax_problems + [
            p for p in problems[len(syntax_problems) :] if p.file not in broken
        ]
        catalog = None
    return catalog, problems


def load_catalog_dir(root: str | Path) -> Catalog:
    """Load a catalog source folder or raise :class:`CatalogInvalid` listing every problem."""
    catalog, problems = check_catalog_dir(root)
    if catalog is None:
        raise CatalogInvalid(problems)
    return catalog


def catalog_from_data(data: Any, file: str = "catalog.json") -> Catalog:
    """Validate the ``catalog`` part of a release; raise :class:`CatalogInvalid`."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise CatalogInvalid([Problem(file, "", "must be a mapping")])
    services = data.get("services")
    if not isinstance(services, list):
        raise CatalogInvalid([Problem(file, "services", "must be a list")])
    sources = Sources(
        meta=Part(file, {k: data.get(k) for k in META_FIELDS}),
        offices=Part(file, {k: data.get(k) for k in OFFICES_FIELDS}),
        villages=Part(file, {k: data.get(k) for k in VILLAGES_FIELDS}),
        services=[Part(f"{file} services[{i}]", s) for i, s in enumerate(services)],
        services_where=file,
    )
    catalog = _build(sources, problems)
    if catalog is None:
        raise CatalogInvalid(problems)
    return catalog
