"""Validation of catalog source folders: every error kind, all reported at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kiosk.catalog.load import check_catalog_dir, load_catalog_dir
from kiosk.errors import CatalogInvalid

from ..conftest import CATALOG_DIR


def test_real_catalog_is_valid():
    catalog, problems = check_catalog_dir(CATALOG_DIR)
    assert problems == []
    assert len(catalog.services) >= 20
    assert {s.program for s in catalog.services} == {"paten", "adminduk"}
    assert len(catalog.villages) == 20


def test_every_category_has_a_service_and_every_service_a_category():
    catalog = load_catalog_dir(CATALOG_DIR)
    used = {s.category for s in catalog.services}
    assert used == {c.id for c in catalog.categories}


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def problem_lines(directory) -> list[str]:
    _, problems = check_catalog_dir(directory)
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d.update(biaya=0), r"services/ktp-el-baru.yaml: biaya: unknown field"),
        (lambda d: d.pop("requirements"), r"services/ktp-el-baru.yaml: requirements: is missing"),
        (lambda d: d.update(requirements=[]), r"requirements: is empty"),
        (
            lambda d: d["review"].update(checked="2026-13-01"),
            r"review.checked: '2026-13-01' is not a date",
        ),
        (
            lambda d: d["steps"][0].update(at="kantor-pos"),
            r"steps\[0\].at: unknown office 'kantor-pos'",
        ),
        (lambda d: d.update(category="hiburan"), r"category: unknown category 'hiburan'"),
        (
            lambda d: d.update(fee="gratis"),
            r"fee: must be whole rupiah \(0 for free\) or belum-pasti",
        ),
        (
            lambda d: d["requirements"][0].update(copy="salinan"),
            r"requirements\[0\].copy: 'salinan' is not one of",
        ),
        (
            lambda d: d.update(id="ktp-baru"),
            r"id: is 'ktp-baru' but the file is named ktp-el-baru.yaml",
        ),
        (lambda d: d.update(program="PATEN"), r"program: 'PATEN' is not one of: paten, adminduk"),
    ],
)
def test_each_error_kind_is_reported_with_file_and_field(catalog_copy, change, expected):
    edit(catalog_copy / "services" / "ktp-el-baru.yaml", change)
    lines = problem_lines(catalog_copy)
    assert len(lines) == 1, lines
    assert re.search(expected, lines[0]), lines[0]


def test_duplicate_id_names_both_files(catalog_copy):
    source = catalog_copy / "services" / "ktp-el-baru.yaml"
    (catalog_copy / "services" / "ktp-el-baru-2.yaml").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    lines = problem_lines(catalog_copy)
    needle = "duplicate id 'ktp-el-baru': also used in services/ktp-el-baru"
    assert any(needle in line for line in lines)


def test_yaml_syntax_error_has_its_line(catalog_copy):
    path = catalog_copy / "services" / "kk-baru.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "name: [unclosed")
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = problem_lines(catalog_copy)
    assert len(problems) == 1
    assert re.match(r"services/kk-baru.yaml:\d+: YAML syntax error", problems[0])


def test_five_mistakes_are_all_listed(catalog_copy):
    services = catalog_copy / "services"
    edit(services / "ktp-el-baru.yaml", lambda d: d.update(harga=5000))
    edit(services / "kk-baru.yaml", lambda d: d.pop("requirements"))
    edit(services / "akta-kelahiran.yaml", lambda d: d["review"].update(checked="kemarin"))
    edit(services / "akta-kematian.yaml", lambda d: d["steps"][0].update(at="balai-rw"))
    (services / "kia.yaml").write_text("id: kia\nname: [oops\n", encoding="utf-8")
    problems = problem_lines(catalog_copy)
    assert len(problems) == 5, problems
    for needle in ("harga", "kk-baru.yaml: requirements", "kemarin", "balai-rw", "kia.yaml:"):
        assert any(needle in p for p in problems), needle
    with pytest.raises(CatalogInvalid) as info:
        load_catalog_dir(catalog_copy)
    assert len(info.value.problems) == 5


def test_missing_folder_is_one_clear_problem(tmp_path):
    _, problems = check_catalog_dir(tmp_path / "nowhere")
    assert [str(p) for p in problems] == [f"{tmp_path / 'nowhere'}: is not a folder"]


def test_unknown_office_in_served_by(catalog_copy):
    edit(catalog_copy / "services" / "sktm.yaml", lambda d: d.update(served_by="kelurahan"))
    assert any("served_by: unknown office 'kelurahan'" in p for p in problem_lines(catalog_copy))


@pytest.mark.parametrize(
    "change, field, code, value",
    [
        (lambda d: d.update(fee="gratis"), "fee", "bad_fee", "gratis"),
        (lambda d: d.pop("name"), "name", "missing", ""),
        (lambda d: d.update(category="hiburan"), "category", "unknown_category", "hiburan"),
        (
            lambda d: d["requirements"][0].update(copy="salinan"),
            "requirements[0].copy",
            "bad_choice",
            "salinan",
        ),
        (lambda d: d["review"].update(confirmed=True), "review.confirmed_by", "missing", ""),
    ],
)
def test_problems_carry_a_code_and_the_bad_value(catalog_copy, change, field, code, value):
    edit(catalog_copy / "services" / "ktp-el-baru.yaml", change)
    _, problems = check_catalog_dir(catalog_copy)
    assert [(p.field, p.code, p.value) for p in problems] == [(field, code, value)]


def test_a_confirmation_that_names_who_confirmed_is_valid(catalog_copy):
    edit(
        catalog_copy / "services" / "ktp-el-baru.yaml",
        lambda d: d["review"].update(confirmed=True, confirmed_by="Bu Sari, PATEN"),
    )
    catalog, problems = check_catalog_dir(catalog_copy)
    assert problems == []
    assert catalog.service("ktp-el-baru").review.confirmed_by == "Bu Sari, PATEN"


def test_overrides_check_a_draft_without_touching_the_files(catalog_copy):
    path = catalog_copy / "services" / "ktp-el-baru.yaml"
    before = path.read_bytes()
    draft = before.decode().replace("\nfee: 0", "\nfee: -5")
    _, problems = check_catalog_dir(catalog_copy, {"services/ktp-el-baru.yaml": draft})
    assert [(p.field, p.code) for p in problems] == [("fee", "bad_fee")]
    new = before.decode().replace("id: ktp-el-baru", "id: ktp-el-baru-2")
    catalog, problems = check_catalog_dir(
        catalog_copy,
        {"services/ktp-el-baru-2.yaml": new, "services/ktp-el-baru.yaml": None},
    )
    assert problems == []
    assert catalog.service("ktp-el-baru-2") and not catalog.service("ktp-el-baru")
    assert path.read_bytes() == before
