"""Words within a small edit distance, found without comparing against every word.

A deletion index (the SymSpell idea): two words within edit distance ``d`` share a
string made by deleting at most ``d`` letters from each. The index maps each word's
deletions to the word, so a typed word looks up its own deletions and verifies the few
words it finds, however large the vocabulary grows. Two-letter typos are only looked
for in longer words (see :data:`LONG`), so only those carry their double deletions.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable

LONG = 7  # typed words this long may have two typos; shorter ones one
MIN_TYPO_LENGTH = 4  # shorter typed words must match exactly or as a prefix


def typo_limit(word: str) -> int:
    """How many typos a typed word may carry: 0, 1, or 2 for long words."""
    if len(word) < MIN_TYPO_LENGTH:
        return 0
    return 2 if len(word) >= LONG else 1


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


def _hash(key: str) -> int:
    """32 bits of the key's hash: half the memory of 64, and a collision only costs a check."""
    return hash(key) & 0xFFFFFFFF


def deletions(word: str, depth: int) -> set[str]:
    """``word`` and every string made by deleting up to ``depth`` of its letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class TypoIndex:
    """The words of a vocabulary, findable by their near misses.

    Kept small for a 512 MB board: the index holds no strings, only 32 bits of each
    deletion's hash (sorted, in one array) beside the number of its word. A hash that
    happens to collide costs one more ``edit_distance``; every word found is verified, so
    results are exact.
    """

    def __init__(self, vocabulary: Iterable[str]):
        self.words = tuple(vocabulary)
        hashes: list[int] = []
        owners: list[int] = []
        for number, word in enumerate(self.words):
            # A word can be a two-typo match only for a typed word of LONG letters or more.
            depth = 2 if len(word) >= LONG - 2 else 1
            for key in deletions(word, depth):
                hashes.append(_hash(key))
                owners.append(number)
        order = sorted(range(len(hashes)), key=hashes.__getitem__)
        self._hashes = array("I", (hashes[i] for i in order))
        self._owners = array("H" if len(self.words) <= 0xFFFF else "I", (owners[i] for i in order))
        # About 16 bits per key: most deletions of a typed word are no key at all, and
        # this says so (19 times in 20) without a binary search.
        self._filter = 1 << max(10, (16 * len(hashes)).bit_length())
        self._bits = bytearray(self._filter // 8)
        for h in hashes:
            self._bits[(h % self._filter) >> 3] |= 1 << (h & 7)

    def near(self, typed: str) -> dict[str, int]:
        """Words within ``typo_limit(typed)`` edits of ``typed``, with their distance."""
        limit = typo_limit(typed)
        if not limit:
            return {}
        hashes, owners, size = self._hashes, self._owners, len(self._hashes)
        found: dict[str, int] = {}
        for key in deletions(typed, limit):
            wanted = _hash(key)
            if not self._bits[(wanted % self._filter) >> 3] >> (wanted & 7) & 1:
                continue
            at = bisect.bisect_left(hashes, wanted)
            while at < size and hashes[at] == wanted:  # a collision now and then
                word = self.words[owners[at]]
                if word not in found:
                    found[word] = edit_distance(typed, word, limit)
                at += 1
        return {w: d for w, d in found.items() if d <= limit}
