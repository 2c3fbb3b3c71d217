"""What a kiosk reports to the kecamatan: the record kinds and the shape of their bodies.

Shared by both sides: the kiosk checks a body before it enters the outbox (a bad body
is a bug in the producer, refused at once, never a surprise at the hub), and the hub
checks it again after unsealing (a kiosk is a remote machine; trust nothing).

Kinds (docs/reports.md has the full shapes, CONTRACTS.md the agreement):
``health`` and ``counts`` are about the machine and demand; ``survey``, ``feedback``
and ``complaint`` come from residents (PERSONAL_KINDS): they are sealed to the hub's
key the moment they are written and are refused, not dropped, when the outbox is full.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .errors import RecordInvalid

KINDS = ("health", "counts", "survey", "feedback", "complaint")
PERSONAL_KINDS = frozenset({"survey", "feedback", "complaint"})

COUNT_METRICS = frozenset(
    {"view", "slip_button", "slip_site", "feedback_sesuai", "feedback_kurang", "survey"}
)
SURVEY_UNSUR = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "sarana_prasarana",
    "pengaduan",
)
SURVEY_WHEN = frozenset({"hari-ini", "minggu-ini", "bulan-ini", "lebih-lama"})
COMPLAINT_CATEGORIES = frozenset(
    {"pelayanan_kecamatan", "dukcapil", "info_kios_salah", "kios_rusak", "lainnya"}
)
PRINTER_STATES = frozenset({"ok", "no_paper", "paper_low", "offline", "none"})
CLOCK_STATES = frozenset({"ok", "behind", "unknown"})

MAX_TEXT = 2000  # characters of free text (complaint, saran, note)
MAX_SHORT = 200  # names, ids, queries, versions

Check = Callable[[Any, str, list[str]], None]


# ---------------------------------------------------------------- field checks


def _text(limit: int, *, optional: bool = False) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            problems.append(f"{where} must be text")
        elif len(value) > limit:
            problems.append(f"{where} is longer than {limit} characters")

    return check


def _number(
    *, low: float = 0, high: float | None = None, whole: bool = True, optional: bool = False
) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            problems.append(f"{where} must be a {'whole ' if whole else ''}number")
        elif value < low or (high is not None and value > high):
            top = "any" if high is None else high
            problems.append(f"{where} must be between {low} and {top}")

    return check


def _choice(options: frozenset[str] | tuple[str, ...], *, optional: bool = False) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> None:
        if value is None and optional:
            return
        if value not in options:
            problems.append(f"{where} must be one of {sorted(options)}, not {value!r}")

    return check


def _boolean(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, bool):
        problems.append(f"{where} must be true or false")


def _table(fields: Mapping[str, Check], *, optional: bool = False, extra: bool = False) -> Check:
    """A dict with exactly ``fields`` (``extra``: more keys allowed, e.g. future flags)."""

    def check(value: Any, where: str, problems: list[str]) -> None:
        if value is None and optional:
            return
        if not isinstance(value, dict):
            problems.append(f"{where} must be a table")
            return
        for name, field_check in fields.items():
            if name not in value:
                problems.append(f"{where}.{name} is missing")
            else:
                field_check(value[name], f"{where}.{name}", problems)
        unknown = sorted(set(value) - set(fields))
        if unknown and not extra:
            problems.append(f"{where} has unknown keys {unknown}")

    return check


def _mapping(value_check: Check, *, key_limit: int = MAX_SHORT, most: int = 500) -> Check:
    """A dict of free keys (service ids, queries) to checked values."""

    def check(value: Any, where: str, problems: list[str]) -> None:
        if not isinstance(value, dict):
            problems.append(f"{where} must be a table")
            return
        if len(value) > most:
            problems.append(f"{where} has more than {most} entries")
        for key, item in value.items():
            if not isinstance(key, str) or not 0 < len(key) <= key_limit:
                problems.append(f"{where} has a bad key {key!r}")
            else:
                value_check(item, f"{where}[{key!r}]", problems)

    return check


_FLAG_MAP = _mapping(_boolean, most=20)
_COUNT_MAP = _mapping(_number())


def _flags(value: Any, where: str, problems: list[str]) -> None:
    """Board flags such as under-voltage: a table of true/false, or null off a Pi."""
    if value is not None:
        _FLAG_MAP(value, where, problems)


def _metrics(value: Any, where: str, problems: list[str]) -> None:
    _COUNT_MAP(value, where, problems)
    if isinstance(value, dict):
        unknown = sorted(set(value) - COUNT_METRICS)
        if unknown:
            problems.append(f"{where} has unknown metrics {unknown}")


# ---------------------------------------------------------------- bodies

_ISO = _text(40)
_ISO_OR_NULL = _text(40, optional=True)

BODIES: dict[str, Check] = {
    "health": _table(
        {
            "app_version": _text(MAX_SHORT),
            "catalog_version": _number(optional=True),
            "sync": _table(
                {
                    "last_ok": _ISO_OR_NULL,
                    "last_error": _text(MAX_TEXT, optional=True),
                    "last_error_at": _ISO_OR_NULL,
                },
                extra=True,
            ),
            "printer": _table(
                {
                    "state": _choice(PRINTER_STATES),
                    "slips_since_last": _number(),
                    "paper_left_mm": _number(optional=True),
                },
                extra=True,
            ),
            "disk_free_mb": _number(),
            "uptime_s": _number(),
            "cpu_temp_c": _number(low=-60, high=200, whole=False, optional=True),
            "throttled": _flags,
            "clock": _table({"state": _choice(CLOCK_STATES)}, extra=True),
            "outbox": _table({"records": _number(), "bytes": _number()}, extra=True),
        },
        extra=True,
    ),
    "counts": _table(
        {
            "hour": _ISO,
            "mono_start": _number(whole=False),
            "boot_id": _text(64),
            "services": _mapping(_metrics),
            "no_hit": _mapping(_number(), most=200),
            "portal_opens": _number(),
        },
        extra=True,
    ),
    "survey": _table(
        {
            "service": _text(MAX_SHORT, optional=True),
            "when": _choice(SURVEY_WHEN),
            "answers": _table({u: _number(low=1, high=4, optional=True) for u in SURVEY_UNSUR}),
            "respondent": _table(
                {
                    "jenis_kelamin": _choice(frozenset({"L", "P"}), optional=True),
                    "usia": _text(20, optional=True),
                    "pendidikan": _text(40, optional=True),
                    "pekerjaan": _text(60, optional=True),
                }
            ),
            "saran": _text(MAX_TEXT, optional=True),
        }
    ),
    "feedback": _table(
        {
            "service": _text(MAX_SHORT),
            "answer": _choice(frozenset({"sesuai", "kurang"})),
            "note": _text(MAX_TEXT, optional=True),
        }
    ),
    "complaint": _table(
        {
            "ticket": _text(40),
            "category": _choice(COMPLAINT_CATEGORIES),
            "text": _text(MAX_TEXT),
            "contact": _table(
                {"name": _text(MAX_SHORT, optional=True), "phone": _text(40, optional=True)},
                optional=True,
            ),
            "consent": _boolean,
        },
        extra=True,  # e.g. the consent text's version
    ),
}


def _whole(value: Any) -> bool:
    return value.__class__ is int and value >= 0


def _counts_ok(body: Any) -> bool:
    """A good ``counts`` body, checked in one pass: the hub takes thousands a month per
    kiosk. Stricter than BODIES["counts"], never looser; on False, :func:`problems_of`
    runs the full check, which says what is wrong (or finds nothing)."""
    if not isinstance(body, dict):
        return False
    hour, boot, mono = body.get("hour"), body.get("boot_id"), body.get("mono_start")
    services, no_hit = body.get("services"), body.get("no_hit")
    if not (
        isinstance(hour, str)
        and len(hour) <= 40
        and isinstance(boot, str)
        and len(boot) <= 64
        and mono.__class__ in (int, float)
        and not mono < 0
        and _whole(body.get("portal_opens"))
        and isinstance(services, dict)
        and len(services) <= 500
        and isinstance(no_hit, dict)
        and len(no_hit) <= 200
    ):
        return False
    for key, metrics in services.items():
        if not (
            isinstance(key, str)
            and 0 < len(key) <= MAX_SHORT
            and isinstance(metrics, dict)
            and metrics.keys() <= COUNT_METRICS
        ):
            return False
        for n in metrics.values():
            if n.__class__ is not int or n < 0:
                return False
    for key, n in no_hit.items():
        if not (isinstance(key, str) and 0 < len(key) <= MAX_SHORT and _whole(n)):
            return False
    return True


def problems_of(kind: str, body: Any) -> list[str]:
    """Every problem of a record body, in plain words (empty: the body is good)."""
    if kind == "counts" and _counts_ok(body):
        return []
    check = BODIES.get(kind)
    if check is None:
        return [f"unknown record kind {kind!r} (known: {', '.join(KINDS)})"]
    problems: list[str] = []
    check(body, kind, problems)
    return problems


def validate(kind: str, body: Any) -> dict[str, Any]:
    """``body`` if it is a good ``kind`` body; else RecordInvalid listing every problem."""
    problems = problems_of(kind, body)
    if problems:
        raise RecordInvalid(problems)
    checked: dict[str, Any] = body
    return checked
