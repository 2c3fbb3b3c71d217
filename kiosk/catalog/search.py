"""Server-side search that forgives how people type.

Residents type "akte lahir", "ktphilang", "surat pindah", "sktm", "nikha". The index
matches each query word against the words of every service (name and keywords
count most, then summary, product and category), accepting exact words, prefixes,
a light Indonesian stem (ke-lahir-an → lahir), small typos (edit distance 1, or 2
for long words) and words run together (split into two known words). Rare words
weigh more than common ones (IDF), and a service that matches every query word
beats one that matches a few.

Bounded by design, whatever a phone sends: the query is cut to :data:`MAX_QUERY_CHARS`
and :data:`MAX_QUERY_WORDS` before any work, and each word touches only its candidates
(exact word, a prefix range of the sorted vocabulary, its stem, its near misses from a
deletion index) and, through an inverted index, only the services that hold them.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict

from .model import Catalog, Service
from .typos import TypoIndex, edit_distance, typo_limit

__all__ = [
    "SearchIndex",
    "cut_query",
    "edit_distance",
    "match_quality",
    "normalize",
    "stem",
    "words",
]

MAX_QUERY_CHARS = 100  # what the results page shows and the site caches by
MAX_QUERY_WORDS = 8

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


def cut_query(query: str) -> str:
    """The part of a typed query that is searched, shown and cached: spaces folded,
    at most MAX_QUERY_CHARS. Cut before any other work, so a 256 KB query costs nothing."""
    return " ".join(query[: MAX_QUERY_CHARS * 4].split())[:MAX_QUERY_CHARS]


def match_quality(query_word: str, word: str) -> float:
    """How well one typed word matches one indexed word, 0..1 (the rules
    :meth:`SearchIndex.candidates` applies to candidates only)."""
    if query_word == word:
        return 1.0
    if len(query_word) >= 3 and word.startswith(query_word):
        return 0.85
    if stem(query_word) == stem(word) and len(stem(word)) >= 4:
        return 0.8
    limit = typo_limit(query_word)
    if limit and edit_distance(query_word, word, limit) <= limit:
        return 0.7 if limit == 1 else 0.6
    return 0.0


class SearchIndex:
    """An index of one catalog; build once per release, then call :meth:`search`.
    (The site caches the rendered results page per query; the index keeps no cache.)"""

    def __init__(self, catalog: Catalog):
        self.services = list(catalog.services)
        phrases: dict[float, list[tuple[int, str]]] = defaultdict(list)
        # word → [(service number, weight)]: only services holding a word are scored.
        postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
        category_names = {c.id: c.name for c in catalog.categories}
        for i, service in enumerate(self.services):
            weights, own = _service_words(service, category_names.get(service.category))
            for phrase, weight in own:
                phrases[weight].append((i, phrase))
            for w, weight in weights.items():
                postings[w].append((i, weight))
        n = len(self.services)
        self.sorted_vocabulary = sorted(postings)
        # A number per word, and every word's postings in flat arrays (its services, their
        # weights, where its run starts): no object per word, a kabupaten's index is small.
        self.vocabulary = {w: k for k, w in enumerate(self.sorted_vocabulary)}
        self._idf = array("d")
        self._starts = array("I", [0])
        self._services = array("I")
        self._weights = array("f")
        for w in self.sorted_vocabulary:
            self._idf.append(math.log(1 + n / len(postings[w])))
            self._services.extend(i for i, _ in postings[w])
            self._weights.extend(x for _, x in postings[w])
            self._starts.append(len(self._services))
        by_stem: defaultdict[str, list[str]] = defaultdict(list)
        for w in self.sorted_vocabulary:
            if len(stem(w)) >= 4:
                by_stem[stem(w)].append(w)
        self.by_stem = {root: tuple(ws) for root, ws in by_stem.items()}
        self.typos = TypoIndex(self.sorted_vocabulary)
        # Heaviest first: a service's bonus is that of its heaviest phrase holding the query.
        self.phrases = [
            Phrases(weight, phrases[weight]) for weight in sorted(phrases, reverse=True)
        ]

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
        for w in words(cut_query(query)):
            if w not in STOP_WORDS:
                out.extend(self._split_run_together(w))
        return out[:MAX_QUERY_WORDS]

    def candidates(self, query_word: str) -> dict[str, float]:
        """Indexed words that match ``query_word``, with their match quality (as
        :func:`match_quality`, but looking only where a match can be)."""
        found: dict[str, float] = {}

        def offer(word: str, quality: float) -> None:
            if quality > found.get(word, 0.0):
                found[word] = quality

        if query_word in self.vocabulary:
            offer(query_word, 1.0)
        if len(query_word) >= 3:
            start = bisect.bisect_left(self.sorted_vocabulary, query_word)
            for word in self.sorted_vocabulary[start:]:
                if not word.startswith(query_word):
                    break
                offer(word, 0.85)
        root = stem(query_word)
        if len(root) >= 4:
            for word in self.by_stem.get(root, ()):
                offer(word, 0.8)
        typo_quality = 0.7 if typo_limit(query_word) == 1 else 0.6
        for word in self.typos.near(query_word):
            offer(word, typo_quality)
        return found

    def _word_scores(self, qwords: list[str]) -> tuple[defaultdict[int, float], Counter[int]]:
        """Per service: the sum over query words of its best match, and how many matched."""
        totals: defaultdict[int, float] = defaultdict(float)
        matched: Counter[int] = Counter()
        for query_word in qwords:
            best: dict[int, float] = {}
            for word, quality in self.candidates(query_word).items():
                k = self.vocabulary[word]
                factor = quality * self._idf[k]
                start, end = self._starts[k], self._starts[k + 1]
                services, weights = self._services[start:end], self._weights[start:end]
                for i, weight in zip(services, weights, strict=True):
                    if factor * weight > best.get(i, 0.0):
                        best[i] = factor * weight
            for i, score in best.items():
                totals[i] += score
            matched.update(best.keys())
        return totals, matched

    def search(self, query: str, limit: int = 20) -> list[Service]:
        """Services for ``query``, best first (empty when nothing fits)."""
        qwords = self.query_words(query)
        if not qwords:
            return []
        totals, matched = self._word_scores(qwords)
        compact = "".join(qwords)
        if len(compact) >= 4:
            bonused: set[int] = set()
            for phrases in self.phrases:
                for i in phrases.holding(compact) - bonused:
                    totals[i] += 2.0 * phrases.weight
                    bonused.add(i)
        scores = [
            (total * ((matched[i] / len(qwords)) ** 2 if matched[i] else 0.5), i)
            for i, total in totals.items()
            if total > 0
        ]
        scores.sort(key=lambda item: (-item[0], self.services[item[1]].name))
        top = scores[0][0] if scores else 0
        result = [self.services[i] for score, i in scores if score >= 0.3 * top]
        return result[:limit]


class Phrases:
    """The run-together names (or keywords) of every service, one string: which services
    hold a text is a few ``str.find`` calls in C, not a loop over every service."""

    SEPARATOR = "\n"  # never in a phrase (letters and digits only)

    def __init__(self, weight: float, phrases: list[tuple[int, str]]):
        self.weight = weight
        self.text = self.SEPARATOR.join(phrase for _, phrase in phrases)
        self.starts = array("I")  # where each phrase starts in ``text``
        self.owners = array("I", (i for i, _ in phrases))  # its service number
        at = 0
        for _, phrase in phrases:
            self.starts.append(at)
            at += len(phrase) + len(self.SEPARATOR)

    def holding(self, part: str) -> set[int]:
        """Service numbers with a phrase that contains ``part``."""
        found: set[int] = set()
        at = self.text.find(part)
        while at >= 0:
            phrase = bisect.bisect_right(self.starts, at) - 1
            found.add(self.owners[phrase])
            # On to the next phrase: ``part`` holds no separator, so no match spans two.
            end = self.starts[phrase + 1] if phrase + 1 < len(self.starts) else len(self.text)
            at = self.text.find(part, end)
        return found


def _service_words(
    service: Service, category: str | None
) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """A service's words with their weights, and its name/keyword phrases run together."""
    fields = {
        "name": [service.name],
        "keywords": list(service.keywords),
        "category": [category] if category else [],
        "summary": [service.summary],
        "product": [service.product],
    }
    weights: dict[str, float] = defaultdict(float)
    phrases: list[tuple[str, float]] = []
    for field, weight in FIELD_WEIGHTS:
        # A word counts once per field: in the name and the keywords beats either.
        for w in {w for text in fields[field] for w in words(text)}:
            weights[w] = min(weights[w] + weight, MAX_WORD_WEIGHT)
        if field in ("name", "keywords"):
            phrases.extend(("".join(words(text)), weight) for text in fields[field])
    return dict(weights), phrases
