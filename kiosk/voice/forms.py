"""Pure parsers: posted form fields → a record body (kiosk/records.py shapes), or errors.

No Flask here: ``fields`` is any mapping of name → str (a werkzeug MultiDict works).
Every field is capped; an answer outside its list is an error, never guessed. Errors
are short codes (``"missing"``, ``"too_long"``, ...); the templates say them in words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..records import COMPLAINT_CATEGORIES
from . import skm

NOTE_MAX = 280  # "what was missing or different"
SARAN_MAX = 500
COMPLAINT_MIN, COMPLAINT_MAX = 10, 1000
NAME_MAX = 60
PHONE_DIGITS = (8, 15)  # 08xx... or 62xx...
FIELD_MAX = 2000  # anything longer is cut before it is even looked at

FEEDBACK_ANSWERS = ("sesuai", "kurang")
CATEGORIES = COMPLAINT_CATEGORIES
CONSENT_VERSION = "pengaduan-kontak-v1"  # bump when the consent words in pengaduan.html change


@dataclass
class Parsed:
    """A parsed form: ``body`` when ``ok``; ``errors`` maps field → code; ``values`` is
    what the resident sent (cleaned), to fill the form again."""

    body: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_text(value: str | None) -> str:
    """Trim, normalise (NFC), drop control characters but keep line breaks."""
    text = unicodedata.normalize("NFC", (value or "")[:FIELD_MAX]).replace("\r\n", "\n")
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c)[0] != "C")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _Reader:
    def __init__(self, fields: Mapping[str, str]):
        self.fields = fields
        self.parsed = Parsed()

    def text(
        self, name: str, limit: int, *, required: bool = False, minimum: int = 0
    ) -> str | None:
        value = clean_text(self.fields.get(name))
        self.parsed.values[name] = value
        if not value:
            if required:
                self.parsed.errors[name] = "missing"
            return None
        if len(value) > limit:
            self.parsed.errors[name] = "too_long"
        elif len(value) < minimum:
            self.parsed.errors[name] = "too_short"
        return value

    def choice(self, name: str, allowed: Collection[str], *, required: bool = False) -> str | None:
        value = clean_text(self.fields.get(name))[:100]
        self.parsed.values[name] = value
        if not value:
            if required:
                self.parsed.errors[name] = "missing"
            return None
        if value not in allowed:
            self.parsed.errors[name] = "invalid"
            return None
        return value


def parse_feedback(fields: Mapping[str, str], service_id: str) -> Parsed:
    """ "Apakah syarat ini sesuai?" for one service."""
    read = _Reader(fields)
    answer = read.choice("jawaban", FEEDBACK_ANSWERS, required=True)
    note = read.text("catatan", NOTE_MAX)
    read.parsed.body = {"service": service_id, "answer": answer, "note": note}
    return read.parsed


def parse_survey(fields: Mapping[str, str], service_ids: Collection[str]) -> Parsed:
    """The SKM survey: nine elements (1-4 each), respondent bands, service, when, saran."""
    read = _Reader(fields)
    answers = {}
    for key in skm.ELEMENTS:
        value = read.choice(key, [str(v) for v in skm.VALUES], required=True)
        answers[key] = int(value) if value else None
    read.parsed.body = {
        "service": read.choice("layanan", service_ids),
        "when": read.choice("kapan", skm.WHEN, required=True),
        "answers": answers,
        "respondent": {
            "jenis_kelamin": read.choice("jenis_kelamin", skm.GENDERS),
            "usia": read.choice("usia", skm.AGE_BANDS),
            "pendidikan": read.choice("pendidikan", skm.EDUCATION),
            "pekerjaan": read.choice("pekerjaan", skm.OCCUPATIONS),
        },
        "saran": read.text("saran", SARAN_MAX),
    }
    return read.parsed


def normalise_phone(value: str) -> str | None:
    """'0812-3456 789' → '08123456789'; '+62 812…' → '62812…'; None if not a phone."""
    if re.search(r"[^\d\s\-+().]", value):
        return None
    digits = re.sub(r"\D", "", value)
    low, high = PHONE_DIGITS
    return digits if low <= len(digits) <= high else None


def parse_complaint(fields: Mapping[str, str], ticket: str) -> Parsed:
    """A complaint; a name or phone is kept only with the consent box ticked."""
    read = _Reader(fields)
    category = read.choice("kategori", CATEGORIES, required=True)
    text = read.text("isi", COMPLAINT_MAX, required=True, minimum=COMPLAINT_MIN)
    name = read.text("nama", NAME_MAX)
    raw_phone = read.text("hp", 30)
    consent = read.choice("setuju", ("ya",)) == "ya"
    phone = normalise_phone(raw_phone) if raw_phone else None
    if raw_phone and phone is None and "hp" not in read.parsed.errors:
        read.parsed.errors["hp"] = "invalid"
    if (name or raw_phone) and not consent:
        read.parsed.errors["setuju"] = "missing"
    contact = {"name": name, "phone": phone} if consent and (name or phone) else None
    read.parsed.body = {
        "ticket": ticket,
        "category": category,
        "text": text,
        "contact": contact,
        "consent": contact is not None,
        "consent_version": CONSENT_VERSION if contact is not None else None,
    }
    return read.parsed
