"""Server-side search that forgives how people type.

Residents type "akte lahir", "ktphilang", "surat pindah", "sktm", "nikha". The index
matches each query word against the words of every service (name and keywords
count most, then summary, product and category), accepting exact words, prefixes,
a light Indonesian stem (ke-lahir-an → lahir), small typos (edit distance 1, or 2
for long words) and words run together (split into two known words). Rare words
weigh more than common ones (IDF), and a service that matches every query word
beats one that matches a few.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache

from .model import Catalog, Service

# Spelling variants that mean the same word. Data for the search, not resident text.
VARIANTS = {
    "akte": "akta",
    "ijin": "izin",
    "ektp": "ktp",
    "ekatepe": "ktp",
    "katepe": "ktp",
    "kaka": "kk",
    "fotocopy": "fotokopi",
    "photocopy": "fotokopi",
    "fc": "fotokopi",
    "kawin": "nikah",
    "menikah": "nikah",
    "meninggal": "mati",
    "wafat": "mati",
    "lahiran": "lahir",
}

# Words that say nothing about which service is meant.
STOP_WORDS = frozenset(
    "cara buat bikin membuat mengurus urus syarat syaratnya persyaratan yang di ke dari "
    "untuk dan atau saya mau ingin gimana bagaimana apa apakah dengan minta tolong".split()
)

MAX_WORD_WEIGHT = 7.0
FIELD_WEIGHTS = (
    ("name", 4.0),
    ("keywords", 3.0),
    ("category", 1.5),
    ("summary", 1.0),
    ("product", 1.0),
)

_SUFFIXES = ("nya", "kan", "an")
_PREFIXES = ("peng", "pem", "pen", "per", "pe", "meng", "mem", "men", "me", "ber", "ke", "di")


def normalize(text: str) -> str:
    """Lowercase, strip accents and punctuation, fold spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return [VARIANTS.get(w, w) for w in normalize(text).split()]


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A light Indonesian stem: strip one common suffix and one prefix."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            word = word[len(prefix) :]
            break
    return word


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with transpositions, giving up above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def match_quality(query_word: str, word: str) -> float:
    """How well one typed word matches one indexed word, 0..1."""
    if query_word == word:
        return 1.0
    if len(query_word) >= 3 and word.startswith(query_word):
        return 0.85
    if stem(query_word) == stem(word) and len(stem(word)) >= 4:
        return 0.8
    if len(query_word) >= 4:
        limit = 2 if len(query_word) >= 7 else 1
        if edit_distance(query_word, word, limit) <= limit:
            return 0.7 if limit == 1 else 0.6
    return 0.0


class SearchIndex:
    """An index of one catalog; build once per release, then call :meth:`search`.
    (The site caches the rendered results page per query; the index keeps no cache.)"""

    def __init__(self, catalog: Catalog):
        self.services = [s for s in catalog.services]
        self.weights: list[dict[str, float]] = []
        self.phrases: list[list[tuple[str, float]]] = []
        doc_freq: Counter[str] = Counter()
        for service in self.services:
            fields = {
                "name": [service.name],
                "keywords": list(service.keywords),
                "category": [c.name for c in catalog.categories if c.id == service.category],
                "summary": [service.summary],
                "product": [service.product],
            }
            weights: dict[str, float] = defaultdict(float)
            phrases = []
            for field, weight in FIELD_WEIGHTS:
                # A word counts once per field: in the name and the keywords beats either.
                for w in {w for text in fields[field] for w in words(text)}:
                    weights[w] = min(weights[w] + weight, MAX_WORD_WEIGHT)
                for text in fields[field]:
                    if field in ("name", "keywords"):
                        phrases.append(("".join(words(text)), weight))
            self.weights.append(dict(weights))
            self.phrases.append(phrases)
            doc_freq.update(weights.keys())
        n = len(self.services)
        self.idf = {w: math.log(1 + n / df) for w, df in doc_freq.items()}
        self.vocabulary = frozenset(doc_freq)

    def _split_run_together(self, word: str) -> list[str]:
        """'ktphilang' → ['ktp', 'hilang'] when both halves are known words."""
        if word in self.vocabulary or len(word) < 5:
            return [word]
        best: list[str] = [word]
        best_score = 0
        for i in range(2, len(word) - 1):
            left, right = VARIANTS.get(word[:i], word[:i]), VARIANTS.get(word[i:], word[i:])
            if left in self.vocabulary and right in self.vocabulary:
                score = min(len(left), len(right))
                if score > best_score:
                    best, best_score = [left, right], score
        return best

    def query_words(self, query: str) -> list[str]:
        out: list[str] = []
        for w in words(query):
            if w not in STOP_WORDS:
                out.extend(self._split_run_together(w))
        return out

    def _candidates(self, query_word: str) -> dict[str, float]:
        found = {}
        for w in self.vocabulary:
            q = match_quality(query_word, w)
            if q:
                found[w] = q
        return found

    def search(self, query: str, limit: int = 20) -> list[Service]:
        """Services for ``query``, best first (empty when nothing fits)."""
        qwords = self.query_words(query)
        compact = "".join(qwords)
        scores: list[tuple[float, int]] = []
        if qwords:
            candidates = [self._candidates(q) for q in qwords]
            for i, weights in enumerate(self.weights):
                total = 0.0
                matched = 0
                for cands in candidates:
                    best = max(
                        (q * weights[w] * self.idf[w] for w, q in cands.items() if w in weights),
                        default=0.0,
                    )
                    total += best
                    matched += best > 0
                if len(compact) >= 4:
                    total += max(
                        (2.0 * weight for phrase, weight in self.phrases[i] if compact in phrase),
                        default=0.0,
                    )
                if total > 0:
                    total *= (matched / len(qwords)) ** 2 if matched else 0.5
                    scores.append((total, i))
        scores.sort(key=lambda item: (-item[0], self.services[item[1]].name))
        top = scores[0][0] if scores else 0
        result = [self.services[i] for score, i in scores if score >= 0.3 * top]
        return result[:limit]
