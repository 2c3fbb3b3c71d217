"""Record bodies: each kind's shape is checked, and every problem is named."""

from __future__ import annotations

import pytest

from kiosk.errors import RecordInvalid
from kiosk.records import KINDS, problems_of, validate

from .samples import sample


@pytest.mark.parametrize("kind", KINDS)
def test_good_bodies_pass(kind):
    body = sample(kind)
    assert validate(kind, body) is body


def test_unknown_kind_is_refused():
    assert problems_of("gossip", {}) == [
        "unknown record kind 'gossip' (known: health, counts, survey, feedback, complaint)"
    ]


@pytest.mark.parametrize(
    ("kind", "change", "expected"),
    [
        ("survey", lambda b: b["answers"].update(waktu=5), "survey.answers.waktu must be between"),
        ("survey", lambda b: b.update(when="kemarin"), "survey.when must be one of"),
        ("survey", lambda b: b["respondent"].update(nik="3516"), "unknown keys ['nik']"),
        ("complaint", lambda b: b.pop("consent"), "complaint.consent is missing"),
        ("complaint", lambda b: b.update(text="x" * 2001), "longer than 2000"),
        ("feedback", lambda b: b.update(answer="ya"), "feedback.answer must be one of"),
        ("counts", lambda b: b["services"]["x"].update(clicks=1), "unknown metrics ['clicks']"),
        ("counts", lambda b: b["services"]["x"].update(view=-1), "must be between 0"),
        ("health", lambda b: b["printer"].update(state="jammed"), "health.printer.state"),
        ("health", lambda b: b.update(uptime_s="1h"), "health.uptime_s must be a whole number"),
    ],
)
def test_bad_bodies_name_the_problem(kind, change, expected):
    body = sample(kind)
    if kind == "counts":
        body["services"] = {"x": {"view": 1}}
    change(body)
    with pytest.raises(RecordInvalid) as info:
        validate(kind, body)
    assert any(expected in p for p in info.value.problems), info.value.problems


def test_every_problem_is_listed_at_once():
    body = sample("survey")
    body["when"] = "?"
    body["answers"]["biaya"] = 0
    del body["saran"]
    assert len(problems_of("survey", body)) == 3
