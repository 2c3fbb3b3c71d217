"""Search finds what residents mean, the way they type it."""

from __future__ import annotations

import pytest

from kiosk.catalog.search import (
    MAX_QUERY_CHARS,
    MAX_QUERY_WORDS,
    SearchIndex,
    cut_query,
    edit_distance,
    match_quality,
    normalize,
    stem,
)
from kiosk.catalog.typos import TypoIndex


@pytest.fixture(scope="module")
def index(bundled_catalog):
    return SearchIndex(bundled_catalog)


# (what a resident types, the service that must come first)
RESIDENT_QUERIES = [
    ("akte lahir", "akta-kelahiran"),
    ("akta kelahiran", "akta-kelahiran"),
    ("aktelahir", "akta-kelahiran"),
    ("bikin akte anak", "akta-kelahiran"),
    ("akta kematian", "akta-kematian"),
    ("surat kematian", "akta-kematian"),
    ("ktp hilang", "ktp-el-hilang-rusak"),
    ("ktphilang", "ktp-el-hilang-rusak"),
    ("KTP rusak", "ktp-el-hilang-rusak"),
    ("ktp baru", "ktp-el-baru"),
    ("rekam ktp", "ktp-el-baru"),
    ("surat pindah", "pindah-skpwni"),
    ("pindah domisili", "pindah-skpwni"),
    ("sktm", "sktm"),
    ("surat tidak mampu", "sktm"),
    ("KK baru", "kk-baru"),
    ("kartu keluarga hilang", "kk-hilang-rusak"),
    ("nikah", "dispensasi-nikah-camat"),
    ("ahli waris", "sk-ahli-waris"),
    ("warisan", "sk-ahli-waris"),
    ("izin usaha", "nib-oss"),
    ("imb", "pbg-ex-imb"),
    ("ijin bangunan", "pbg-ex-imb"),
    ("skck", "skck"),
    ("legalisir", "legalisasi"),
    ("hajatan", "rekomendasi-izin-keramaian"),
    ("ktp digital", "ikd-aktivasi"),
    ("kartu identitas anak", "kia"),
    ("pengaduan", "pengaduan"),
    ("akta kelahirn", "akta-kelahiran"),  # typo
    ("sktn", "sktm"),  # typo
    ("kartu keluaga", "kk-baru"),  # typo; any KK service is acceptable, see below
]


@pytest.mark.parametrize("query, expected", RESIDENT_QUERIES)
def test_resident_query_finds_service_first(index, query, expected):
    results = [s.id for s in index.search(query)]
    assert results, f"nothing found for {query!r}"
    if expected == "kk-baru" and query == "kartu keluaga":
        assert results[0].startswith("kk-")
    else:
        assert results[0] == expected, results[:5]


def test_nonsense_finds_nothing(index):
    assert index.search("xqzzv plokk") == []


def test_empty_and_stop_words_find_nothing(index):
    assert index.search("") == []
    assert index.search("cara mengurus yang") == []


def test_results_are_stable_and_limited(index):
    assert [s.id for s in index.search("ktp", limit=2)] == [s.id for s in index.search("ktp")][:2]


@pytest.mark.parametrize(
    "word, expected", [("kelahiran", "lahir"), ("kematian", "mati"), ("perkawinan", "kawin")]
)
def test_stem(word, expected):
    assert stem(word) == expected


def test_edit_distance_counts_transpositions():
    assert edit_distance("nikha", "nikah", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2


def test_normalize_folds_case_accents_and_punctuation():
    assert normalize("  KTP-el  Hilang!! ") == "ktp el hilang"
    assert normalize("Café") == "cafe"


# ---------------------------------------------------------------- bounded by design


@pytest.fixture(scope="module")
def big_index(bundled_catalog):
    from bench.catalogs import grow

    return SearchIndex(grow(bundled_catalog, 400))


def typed_variants(word: str) -> list[str]:
    """What a resident might type for ``word``: prefixes, a letter dropped, doubled,
    swapped or changed, two letters changed."""
    out = [word[:3], word[:-1], word + "a", word[1:], word[:2] + word[3:]]
    if len(word) > 3:
        out += [word[:1] + word[2] + word[1] + word[3:], word[:2] + "x" + word[3:]]
    if len(word) > 6:
        out += ["q" + word[1:3] + "z" + word[4:], word[:-2] + "uu"]
    return out


def test_candidates_are_exactly_what_comparing_with_every_word_finds(big_index):
    vocabulary = sorted(big_index.vocabulary)
    typed = {v for word in vocabulary[::60] for v in typed_variants(word)}
    typed |= {"ktp", "kk", "kelahiran", "zzzzzzzz", "surat", "nikha", "aktelahir"}
    checked = 0
    for word in sorted(typed):
        brute = {v: q for v in vocabulary if (q := match_quality(word, v))}
        assert big_index.candidates(word) == brute, word
        checked += bool(brute)
    assert checked > 40  # most variants find something, so the comparison means something


def test_a_query_is_cut_before_it_is_searched(big_index):
    huge = "surat keterangan " + "kelahiranx " * 25_000  # about 256 KB
    assert len(cut_query(huge)) == MAX_QUERY_CHARS
    assert cut_query("  akta \n\t lahir ") == "akta lahir"
    assert len(big_index.query_words(huge)) == MAX_QUERY_WORDS
    assert big_index.search(huge) == big_index.search(cut_query(huge))


def test_typo_index_finds_near_misses_only_within_the_limit():
    index = TypoIndex(["kelahiran", "lahir", "nikah", "ktp"])
    assert index.near("kelahirun") == {"kelahiran": 1}
    assert index.near("kelahrun") == {"kelahiran": 2}
    assert index.near("nikha") == {"nikah": 1}
    assert index.near("nkha") == {}  # two typos in a short word: no
    assert index.near("ktx") == {}  # three letters: exact or prefix only
