"""The SKM arithmetic of PermenPANRB 14/2017: NRR, IKM, mutu/kinerja, Krejcie–Morgan.

Pure functions over answer sums so the database can aggregate (SUM/COUNT per unsur)
and this module only divides. The exact rule and rounding are in docs/ikm.md:

* NRR of an unsur = sum of its answers (1–4) ÷ number of answers it got (blank answers
  are left out of both).
* IKM = (mean of the unsur NRRs) × 25, with the exact weight 1/9 (not 0.111, which
  would cap a perfect score at 99.90). An unsur nobody answered is left out of the mean
  and named in ``missing``.
* IKM is rounded to 2 decimals, half up (Decimal), and the mutu is read from the
  rounded value, so the printed number and the grade always agree:
  A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Unsur:
    key: str  # stable storage key (answers are stored under it, never under a U-number)
    name: str  # the regulation's full name
    regulation_no: int  # position in the regulation's ruang lingkup list
    questionnaire_no: int  # position in the annex's example questionnaire


UNSUR: tuple[Unsur, ...] = (
    Unsur("persyaratan", "Persyaratan", 1, 1),
    Unsur("prosedur", "Sistem, Mekanisme, dan Prosedur", 2, 2),
    Unsur("waktu", "Waktu Penyelesaian", 3, 3),
    Unsur("biaya", "Biaya/Tarif", 4, 4),
    Unsur("produk", "Produk Spesifikasi Jenis Pelayanan", 5, 5),
    Unsur("kompetensi", "Kompetensi Pelaksana", 6, 6),
    Unsur("perilaku", "Perilaku Pelaksana", 7, 7),
    Unsur("pengaduan", "Penanganan Pengaduan, Saran dan Masukan", 8, 9),
    Unsur("sarana_prasarana", "Sarana dan Prasarana", 9, 8),
)
UNSUR_KEYS = tuple(u.key for u in UNSUR)
NUMBERINGS = ("peraturan", "kuesioner")

# (lower bound of the rounded IKM, mutu, kinerja), best first
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)

# Krejcie & Morgan (1970): chi-square for 1 df at 95 %, P = 0.5, d = 0.05
KM_CHI2 = 3.841
KM_P = 0.5
KM_D = 0.05


def ordered_unsur(numbering: str = "peraturan") -> list[tuple[int, Unsur]]:
    """The nine unsur with the U-number the kecamatan uses in its reports."""
    if numbering not in NUMBERINGS:
        raise ValueError(f"unsur numbering must be one of {NUMBERINGS}, not {numbering!r}")
    attr = "regulation_no" if numbering == "peraturan" else "questionnaire_no"
    return sorted(((getattr(u, attr), u) for u in UNSUR), key=lambda pair: pair[0])


def unsur_label(key: str, numbering: str = "peraturan") -> str:
    """``U8 Penanganan Pengaduan, Saran dan Masukan``: number and full name, always both."""
    for number, unsur in ordered_unsur(numbering):
        if unsur.key == key:
            return f"U{number} {unsur.name}"
    raise KeyError(key)


def round2(value: float) -> Decimal:
    """Half-up rounding to 2 decimals (Python's round() is half-even on binary floats)."""
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade(ikm: Decimal) -> tuple[str, str]:
    """(mutu, kinerja) of an IKM already rounded to 2 decimals."""
    for bound, mutu, kinerja in GRADES:
        if ikm >= bound:
            return mutu, kinerja
    return GRADES[-1][1], GRADES[-1][2]


def krejcie_morgan(population: int) -> int:
    """Sample size S for a population of N service users, rounded to the nearest whole
    respondent as the published table is (N=50 → 44.34 → 44; N=100 → 79.51 → 80)."""
    if population <= 0:
        return 0
    pq = KM_P * (1 - KM_P)
    size = KM_CHI2 * population * pq / (KM_D**2 * (population - 1) + KM_CHI2 * pq)
    return min(population, math.floor(size + 0.5))


@dataclass(frozen=True)
class UnsurScore:
    key: str
    total: int  # sum of the answers (1–4)
    answers: int  # how many respondents answered this unsur

    @property
    def nrr(self) -> float | None:
        return self.total / self.answers if self.answers else None

    @property
    def nilai(self) -> float | None:
        """The NRR on the 25–100 scale (NRR × 25)."""
        nrr = self.nrr
        return None if nrr is None else nrr * 25


@dataclass(frozen=True)
class IkmResult:
    n: int  # respondents (surveys) in the selection
    scores: tuple[UnsurScore, ...]
    population: int | None = None  # service users in the period, entered by staff
    missing: tuple[str, ...] = field(default=())

    @property
    def ikm_exact(self) -> float | None:
        nrrs = [s.nrr for s in self.scores if s.nrr is not None]
        return sum(nrrs) / len(nrrs) * 25 if nrrs else None

    @property
    def ikm(self) -> Decimal | None:
        exact = self.ikm_exact
        return None if exact is None else round2(exact)

    @property
    def mutu(self) -> str | None:
        return None if self.ikm is None else grade(self.ikm)[0]

    @property
    def kinerja(self) -> str | None:
        return None if self.ikm is None else grade(self.ikm)[1]

    @property
    def sample_needed(self) -> int | None:
        return None if self.population is None else krejcie_morgan(self.population)

    @property
    def provisional(self) -> bool:
        """*Sementara*: fewer respondents than Krejcie–Morgan asks, or no count entered."""
        needed = self.sample_needed
        return needed is None or self.n < needed

    def score(self, key: str) -> UnsurScore:
        for s in self.scores:
            if s.key == key:
                return s
        raise KeyError(key)


def result_from_sums(
    n: int, sums: Mapping[str, tuple[int, int]], population: int | None = None
) -> IkmResult:
    """Build the result from per-unsur (sum of answers, number of answers)."""
    scores = tuple(UnsurScore(key, *sums.get(key, (0, 0))) for key in UNSUR_KEYS)
    missing = tuple(s.key for s in scores if not s.answers) if n else ()
    return IkmResult(n=n, scores=scores, population=population, missing=missing)


def compute(
    answer_sets: Iterable[Mapping[str, int | None]], population: int | None = None
) -> IkmResult:
    """IKM of individual questionnaires (each a mapping unsur key → 1–4 or None)."""
    totals = {key: [0, 0] for key in UNSUR_KEYS}
    n = 0
    for answers in answer_sets:
        n += 1
        for key in UNSUR_KEYS:
            value = answers.get(key)
            if value is None:
                continue
            if not 1 <= value <= 4:
                raise ValueError(f"answer for {key} must be 1-4, not {value!r}")
            totals[key][0] += value
            totals[key][1] += 1
    return result_from_sums(n, {k: (t, c) for k, (t, c) in totals.items()}, population)
