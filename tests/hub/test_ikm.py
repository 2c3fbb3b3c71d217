"""The SKM arithmetic against hand-worked examples and the published tables."""

from decimal import Decimal

import pytest

from kiosk.hub import ikm


def answers(**overrides):
    base = dict.fromkeys(ikm.UNSUR_KEYS, 3)
    base.update(overrides)
    return base


def test_all_fours_is_exactly_100_not_99_90():
    result = ikm.compute([answers(**dict.fromkeys(ikm.UNSUR_KEYS, 4))] * 3)
    assert result.ikm == Decimal("100.00")
    assert (result.mutu, result.kinerja) == ("A", "Sangat Baik")


def test_nrr_is_per_unsur_over_its_own_answers():
    # two respondents; the second left 'biaya' blank
    result = ikm.compute([answers(biaya=4, waktu=2), answers(biaya=None, waktu=4)])
    assert result.n == 2
    assert result.score("biaya").nrr == 4.0
    assert result.score("biaya").answers == 1
    assert result.score("waktu").nrr == 3.0
    assert result.score("waktu").nilai == 75.0
    # mean of NRRs: seven 3.0, waktu 3.0, biaya 4.0 -> 28/9 * 25 = 77.777...
    assert result.ikm == Decimal("77.78")
    assert result.mutu == "B"


def test_unanswered_unsur_is_left_out_and_named():
    rows = [{k: 2 for k in ikm.UNSUR_KEYS if k != "biaya"}]
    result = ikm.compute(rows)
    assert result.missing == ("biaya",)
    assert result.ikm == Decimal("50.00")
    assert result.mutu == "D"


def test_no_respondents_has_no_ikm():
    result = ikm.compute([])
    assert (result.n, result.ikm, result.mutu) == (0, None, None)
    assert result.missing == ()


@pytest.mark.parametrize(
    ("value", "mutu"),
    [
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_bounds(value, mutu):
    assert ikm.grade(Decimal(value))[0] == mutu


def test_rounding_is_half_up_and_grade_reads_rounded_value():
    assert ikm.round2(88.305) == Decimal("88.31")
    assert ikm.round2(2.675) == Decimal("2.68")  # round() gives 2.67
    # an IKM of 88.305 prints as 88.31 and is graded A with it
    sums = {k: (0, 0) for k in ikm.UNSUR_KEYS}
    result = ikm.result_from_sums(1, sums)
    assert result.ikm is None


def test_answer_out_of_range_is_refused():
    with pytest.raises(ValueError, match="persyaratan must be 1-4"):
        ikm.compute([answers(persyaratan=5)])


@pytest.mark.parametrize(
    ("population", "sample"),
    # Krejcie & Morgan (1970), Table 1 (the formula rounded to the nearest respondent)
    [
        (10, 10),
        (50, 44),
        (100, 80),
        (200, 132),
        (300, 169),
        (500, 217),
        (1000, 278),
        (2000, 322),
        (5000, 357),
        (10000, 370),
        (1000000, 384),
        (1, 1),
        (0, 0),
    ],
)
def test_krejcie_morgan_matches_the_published_table(population, sample):
    assert ikm.krejcie_morgan(population) == sample


def test_provisional_below_krejcie_morgan():
    rows = [answers()] * 79
    assert ikm.compute(rows, population=100).provisional
    assert not ikm.compute(rows + [answers()], population=100).provisional
    assert ikm.compute(rows).provisional  # no count of service users entered


def test_numbering_moves_u8_and_u9_only():
    assert ikm.unsur_label("pengaduan", "peraturan") == "U8 Penanganan Pengaduan, Saran dan Masukan"
    assert ikm.unsur_label("pengaduan", "kuesioner") == "U9 Penanganan Pengaduan, Saran dan Masukan"
    assert ikm.unsur_label("sarana_prasarana", "kuesioner") == "U8 Sarana dan Prasarana"
    assert ikm.unsur_label("persyaratan", "kuesioner") == "U1 Persyaratan"
    with pytest.raises(ValueError):
        ikm.ordered_unsur("abjad")


def test_baseline_u1_77_38_is_band_b():
    # Kemlagi's baseline U1 = 77.38 corresponds to NRR 3.0952
    assert ikm.grade(ikm.round2(3.0952 * 25)) == ("B", "Baik")
