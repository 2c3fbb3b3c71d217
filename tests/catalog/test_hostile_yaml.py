"""Catalog source files made to hurt: refused with one problem line, never a traceback,
never gigabytes. Through ``kiosk catalog check``, as a technician would run it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kiosk.catalog import safe_yaml
from kiosk.cli import main

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

HOSTILE = [
    ("billion laughs", LAUGHS, "anchors and aliases (& and *) are not allowed"),
    # Unclosed and too deep at once: PyYAML 6.0.4 reports the syntax error first, Bookworm's
    # 6.0.x meets the depth limit first. Either way it is one plain problem line.
    ("deep brackets", "[" * 100_000, ("YAML syntax error", "nests deeper than 32 levels")),
    ("long number", "id: " + "1" * 100_000, "has a value of 100,000 characters"),
    ("number past Python's limit", "id: " + "1" * 5000, "cannot be read"),
    ("many values", "[" + "1, " * 60_000 + "1]", "has more than 50,000 values"),
    (
        "nesting",
        "a:\n" + "".join("  " * i + f"b{i}:\n" for i in range(1, 40)) + "  " * 40 + "x",
        "nests deeper than 32 levels",
    ),
]


def check(folder):
    result = CliRunner().invoke(main, ["catalog", "check", str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.mark.parametrize(
    "text, message", [case[1:] for case in HOSTILE], ids=[c[0] for c in HOSTILE]
)
def test_a_hostile_service_file_is_one_problem_line(catalog_copy, text, message):
    (catalog_copy / "services" / "kk-baru.yaml").write_text(text, encoding="utf-8")
    result = check(catalog_copy)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "services/kk-baru.yaml" in line]
    messages = message if isinstance(message, tuple) else (message,)
    assert len(lines) == 1 and any(m in lines[0] for m in messages), result.output
    assert "Traceback" not in result.output
    assert max(len(line) for line in result.output.splitlines()) < 400


def test_a_file_over_the_size_cap_is_not_even_read(catalog_copy):
    big = catalog_copy / "services" / "kk-baru.yaml"
    with big.open("w") as f:
        f.truncate(safe_yaml.MAX_BYTES + 1)  # sparse: nothing to read would fit anyway
    result = check(catalog_copy)
    assert result.exit_code == 1
    assert "a source file may be at most 1,000,000" in result.output


def test_a_wrong_value_never_shows_a_whole_structure(catalog_copy):
    path = catalog_copy / "services" / "kk-baru.yaml"
    text = path.read_text(encoding="utf-8").replace("\nfee: 0", "\nfee: [" + "1, " * 20000 + "1]")
    path.write_text(text, encoding="utf-8")
    result = check(catalog_copy)
    assert result.exit_code == 1
    fee = [line for line in result.output.splitlines() if "fee" in line]
    assert fee and all(len(line) < 300 for line in fee), result.output


def test_the_c_loader_is_used_where_pyyaml_has_it():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert issubclass(safe_yaml.loader(), base)
