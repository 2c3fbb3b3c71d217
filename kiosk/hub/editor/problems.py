"""The validator's problems as Indonesian sentences next to the form field they are about."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...catalog.load import Problem
from . import text as T

_INDEX = re.compile(r"\[(\d+)\]")
# Lists edited in one textarea (one item per line): every item's problem goes on it.
TEXTAREA_LISTS = ("legal_basis", "keywords", "hours", "contacts", "complaints")


def form_key(field: str) -> str:
    """``requirements[2].document`` → ``requirements-2-document`` (the input's name);
    ``offices[1].hours[0].time`` → ``offices-1-hours`` (a textarea)."""
    parts = _INDEX.sub(r"-\1", field).replace(".", "-").split("-")
    for i, part in enumerate(parts):
        if part in TEXTAREA_LISTS:
            return "-".join(parts[: i + 1])
    return "-".join(parts)


def message(problem: Problem) -> str:
    """One plain Indonesian sentence for ``problem``."""
    leaf = re.sub(r"\[\d+\]$", "", problem.field.rsplit(".", 1)[-1])
    special = T.FIELD_PROBLEMS.get((leaf, problem.code))
    if special:
        return special
    general = T.PROBLEMS.get(problem.code, T.PROBLEM_FALLBACK)
    if "{value}" in general and not problem.value.strip():  # an empty box: "fill it in"
        return T.FIELD_PROBLEMS.get((leaf, "missing"), T.PROBLEMS["missing"])
    return general.format(value=problem.value)


def label(field: str) -> str:
    """``requirements[2].document`` → ``Persyaratan 3: Dokumen`` (for a list of problems)."""
    parts = []
    for part in field.split("."):
        match = re.match(r"^(\w+)(?:\[(\d+)\])?$", part)
        if not match:
            parts.append(part)
            continue
        name = T.FIELD_LABELS.get(match[1], match[1])
        parts.append(f"{name} {int(match[2]) + 1}" if match[2] else name)
    return ": ".join(parts)


@dataclass(frozen=True)
class FieldErrors:
    """Problems of one file, by input name; the rest (other files) listed apart."""

    by_field: dict[str, list[str]]
    elsewhere: list[str]

    @property
    def count(self) -> int:
        return sum(map(len, self.by_field.values())) + len(self.elsewhere)


def field_errors(problems: Iterable[Problem], file: str) -> FieldErrors:
    """Group ``problems`` by the input they belong to in the form of ``file``."""
    by_field: dict[str, list[str]] = {}
    elsewhere = []
    for problem in problems:
        if problem.file == file and problem.field:
            by_field.setdefault(form_key(problem.field), []).append(message(problem))
        else:
            where = f"{problem.file}, {label(problem.field)}" if problem.field else problem.file
            elsewhere.append(f"{where}: {message(problem)}")
    return FieldErrors(by_field, elsewhere)
