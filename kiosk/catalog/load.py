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

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, field, message))

    def fields(self, value: Any, path: str, spec: Spec) -> dict[str, Any] | None:
        """Check a mapping against ``spec``; the valid fields, or None if not a mapping."""
        if not isinstance(value, dict):
            self.problem(path or "(file)", f"must be a mapping of fields, found {_kind(value)}")
            return None
        out: dict[str, Any] = {}
        for key in value:
            if key not in spec:
                allowed = ", ".join(spec)
                self.problem(_join(path, key), f"unknown field (allowed fields: {allowed})")
        for name, spec_field in spec.items():
            field = _join(path, name)
            missing = name not in value or (value[name] is None and spec_field.kind != "fee")
            if missing or (not spec_field.required and value[name] in ("", [])):
                if spec_field.required:
                    self.problem(field, "is missing")
                elif spec_field.default is not _NO_DEFAULT:
                    out[name] = spec_field.default
                continue
            checked = self.value(value[name], field, spec_field.kind)
            if checked is not _BAD:
                out[name] = checked
        return out

    def value(self, value: Any, field: str, kind: Kind) -> Any:
        if callable(kind):
            return kind(self, value, field)
        if kind == "text":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                self.problem(field, f"must be non-empty text, found {_kind(value)}")
                return _BAD
            return value.strip()
        if kind == "id":
            if not isinstance(value, str) or not ID_PATTERN.match(value):
                self.problem(
                    field,
                    f"{value!r} is not a valid id: use lowercase letters, digits and "
                    "hyphens, e.g. ktp-el-baru",
                )
                return _BAD
            return value
        if kind == "int":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.problem(field, f"must be a whole number (0 or more), found {value!r}")
                return _BAD
            return value
        if kind == "fee":
            if value == FEE_UNKNOWN or value is None:  # None: as stored in a release
                return None
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.problem(
                    field, f"must be whole rupiah (0 for free) or {FEE_UNKNOWN}, found {value!r}"
                )
                return _BAD
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                self.problem(field, f"must be true or false, found {value!r}")
                return _BAD
            return value
        if kind == "date":
            if isinstance(value, date):
                return value
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                self.problem(field, f"{value!r} is not a date; write it as YYYY-MM-DD")
                return _BAD
        if kind == "text_list":
            if not isinstance(value, list):
                self.problem(field, f"must be a list, found {_kind(value)}")
                return _BAD
            items = [self.value(v, f"{field}[{i}]", "text") for i, v in enumerate(value)]
            return tuple(v for v in items if v is not _BAD)
        raise AssertionError(kind)

    def records(
        self,
        value: Any,
        field: str,
        build: Callable[[_Checker, Any, str], T | None],
        nonempty: bool,
    ) -> tuple[T, ...]:
        if not isinstance(value, list):
            self.problem(field, f"must be a list, found {_kind(value)}")
            return ()
        if nonempty and not value:
            self.problem(field, "is empty: list at least one")
        out = [build(self, item, f"{field}[{i}]") for i, item in enumerate(value)]
        return tuple(o for o in out if o is not None)


_BAD = object()
T = TypeVar("T")
CustomKind = Callable[["_Checker", Any, str], Any]
Kind = str | CustomKind  # "text", "id", "int", "fee", "bool", "date", "text_list", or a check


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
            checker.problem(field, f"{value!r} is not one of: {', '.join(choices)}")
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
        c.problem(_join(path, "count"), "must be 1 or more")
    return Requirement(**d)


def _step(c: _Checker, value: Any, path: str) -> Step | None:
    d = c.fields(value, path, {"at": Field("id"), "text": Field("text")})
    return Step(**d) if d and len(d) == 2 else None


def _review(c: _Checker, value: Any, path: str) -> Review | object:
    d = c.fields(value, path, REVIEW_FIELDS)
    return Review(**d) if d and len(d) == 4 else _BAD


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
    meta = _Checker(sources.meta.file, problems).fields(sources.meta.data, "", META_FIELDS) or {}
    offices = (
        _Checker(sources.offices.file, problems).fields(sources.offices.data, "", OFFICES_FIELDS)
        or {}
    )
    villages = (
        _Checker(sources.villages.file, problems).fields(sources.villages.data, "", VILLAGES_FIELDS)
        or {}
    )
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
            )
        )
    _check_references(services, office_ids, category_ids, problems)
    if not sources.services:
        problems.append(Problem(sources.services_where, "", "no services found"))
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
                )
            )
    return services


def _check_references(
    services: list[tuple[str, dict[str, Any]]],
    office_ids: list[str],
    category_ids: list[str],
    problems: list[Problem],
) -> None:
    """Duplicate service ids, and categories and offices that are not listed."""
    seen: dict[str, str] = {}
    for file, s in services:
        if "id" in s and s["id"] in seen:
            problems.append(
                Problem(file, "id", f"duplicate id {s['id']!r}: also used in {seen[s['id']]}")
            )
        if "id" in s:
            seen.setdefault(s["id"], file)
        if category_ids:
            problems += _unknown(file, "category", [s.get("category")], category_ids, "category")
        if office_ids:
            at = [step.at for step in s.get("steps", ())]
            problems += _unknown(file, "served_by", [s.get("served_by")], office_ids, "office")
            problems += _unknown(file, "steps[{i}].at", at, office_ids, "office")


def _unknown(
    file: str, field: str, values: list[Any], known: list[str], what: str
) -> list[Problem]:
    """A problem for each value (if present) that is not among ``known``."""
    return [
        Problem(
            file,
            field.format(i=i),
            f"unknown {what} {value!r} (known: {', '.join(known)})",
        )
        for i, value in enumerate(values)
        if value is not None and value not in known
    ]


def _unique(records: Iterable[Any], file: str, field: str, problems: list[Problem]) -> list[str]:
    ids: list[str] = []
    for r in records:
        if r.id in ids:
            problems.append(Problem(file, field, f"duplicate id {r.id!r}"))
        else:
            ids.append(r.id)
    return ids


def _read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    name = str(path.relative_to(root))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(name, "", "file is missing"))
        return None
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(name, "", f"YAML syntax error: {what}", line=line))
        return None


def check_catalog_dir(root: str | Path) -> tuple[Catalog | None, list[Problem]]:
    """Read and validate a catalog source folder; return it and every problem found."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), "", "is not a folder")]
    parts = {}
    for part, file in PART_FILES.items():
        data = _read_yaml(root / file, root, problems)
        parts[part] = Part(file, data if data is not None else {})
    services = []
    for path in sorted((root / "services").glob("*.y*ml")):
        data = _read_yaml(path, root, problems)
        if data is not None:
            services.append(Part(str(path.relative_to(root)), data))
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
