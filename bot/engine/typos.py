"""Words typed with one slip ("refnud", "pyhton", "microcredentails") read as the word the knowledge
base writes.

The concept layer, the course-query reader and the search's vocabulary match words exactly (the
matcher's character n-grams forgive a slip, they do not): "how long does she have to get a refnud?"
named no refund and got the study hours; "looking for a pyhton course" searched for nothing.

`TypoFixer` knows every word of the training texts, course records and vocabularies. A word the
asker types that it does not know, of `MIN_LENGTH` letters or more, is read as the one word it knows
that the typed word is a slip of (`is_slip`: two neighbouring letters swapped, or a letter typed
twice or left out inside a long word), among the words the knowledge base uses often (`MIN_USES`) or its
vocabularies name; with two such words, or none, it stays as typed. A changed letter is not read as a
slip: over the trial questions it made other words ("nurse" → "Kurse", "faster" → "master").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.engine.bounded import BoundedCache
from bot.engine.normalize import normalize

MIN_LENGTH = 5
"""The fewest letters of a word read as a slip: a shorter one is too close to too many words."""

OMISSION_FROM = 7
"""From this length a word typed with a letter left out or doubled is read as a slip ("statistcs",
"trainning"); shorter ones are too often other words ("though"/"through", "curro"/"curo")."""

MIN_USES = 2
"""A word is a correction only if the training texts use it this often (or a vocabulary names it):
a word written once is as likely a slip of the knowledge base's own."""

FIXES_KEPT = 4096
"""Typed words and their reading kept by a fixer (`bounded.BoundedCache`)."""

_TYPED_WORD = re.compile(r"[^\W\d_]+")


class _Counts(NamedTuple):
    """The texts a fixer was built from (each as often as it occurs), how many of them use each word,
    and the vocabularies' words."""

    texts: Counter[str]
    uses: Counter[str]
    named: frozenset[str]


class TypoFixer:
    """The known words and the corrections of a knowledge base (built once a snapshot)."""

    def __init__(self, known: Iterable[str], targets: Iterable[str], counts: _Counts | None = None) -> None:
        self.known = frozenset(known)
        self._counts = counts or _Counts(Counter(), Counter(), frozenset())
        """What `build` counted, lent to the next snapshot's build."""
        by_length: dict[int, list[str]] = {}
        for word in sorted(set(targets)):
            if len(word) >= MIN_LENGTH - 1:
                by_length.setdefault(len(word), []).append(word)
        self._by_length = by_length
        self._fixes: BoundedCache[str, str | None] = BoundedCache(FIXES_KEPT)

    @classmethod
    def build(
        cls, texts: Iterable[str], vocabularies: Iterable[Any] = (), previous: TypoFixer | None = None
    ) -> TypoFixer:
        """A fixer knowing the words `texts` (normalised: training texts, course records) use at least
        `MIN_USES` times and the words of `vocabularies` (nested lists and mappings of phrases, a
        trailing "*" dropped); each known word is a correction. `previous`, a fixer built from the same
        vocabularies (the last snapshot's), lends its counts: only the texts added or removed since
        are counted again (a moderator's edit: ~15 ms instead of ~70 ms)."""
        counted = Counter(texts)
        if previous is None:
            uses = _word_uses(counted)
            named: set[str] = set()
            for vocabulary in vocabularies:
                for phrase in _strings(vocabulary):
                    named.update(normalize(phrase.rstrip("*")).split())
        else:
            before = previous._counts
            uses = before.uses + _word_uses(counted - before.texts)
            uses.subtract(_word_uses(before.texts - counted))
            named = set(before.named)
        # a word written once may be a slip of the knowledge base's own ("whats a microcredntial" is a
        # phrasing): it is no correction, and typed, it is read as the word it slips from
        known = {w for w, n in uses.items() if n >= MIN_USES} | named
        return cls(known, (w for w in known if w.isalpha()), _Counts(counted, +uses, frozenset(named)))

    def fix(self, text: str) -> tuple[str, dict[str, str]]:
        """`text` with each slip replaced by the word meant, and a map of each replacement → the
        word as typed (for a reply quoting the asker)."""
        typed_as: dict[str, str] = {}
        if all(len(w) < MIN_LENGTH or w in self.known for w in normalize(text).split()):
            return text, typed_as  # (most questions: one pass over their words)

        def fixed(match: re.Match[str]) -> str:
            word = match.group(0)
            meant = self.meant(word)
            if meant is None:
                return word
            typed_as[meant] = word
            return meant

        return _TYPED_WORD.sub(fixed, text), typed_as

    def meant(self, word: str) -> str | None:
        """The known word a typed word is a slip of, or None (a known word, a short one, no single
        close word)."""
        norm = normalize(word)
        if len(norm) < MIN_LENGTH or norm in self.known or " " in norm or not norm.isalpha():
            return None
        if norm in self._fixes:
            return self._fixes.get(norm)
        close = [
            candidate
            for size in range(len(norm) - 1, len(norm) + 2)
            for candidate, _, _ in process.extract(
                norm, self._by_length.get(size, ()), scorer=OSA.distance, score_cutoff=1, limit=None
            )
            if is_slip(norm, candidate)
        ]
        meant = close[0] if len(close) == 1 else None
        self._fixes.put(norm, meant)
        return meant


def is_slip(typed: str, meant: str) -> bool:
    """Whether `typed` is `meant` (one edit away) with a slip of the fingers, not another word: two
    neighbouring letters swapped ("pyhton"), or, in a word of `OMISSION_FROM` letters or more, a letter
    typed twice ("trainning") or one left out inside it ("statistcs"). A changed letter, one added or
    dropped at either end, or a doubled letter in a short word makes other words too ("nurse"/"kurse",
    "junior"/"junio", "curro"/"curo")."""
    if len(typed) == len(meant):
        return any(
            typed[i] == meant[i + 1]
            and typed[i + 1] == meant[i]
            and typed[i] != typed[i + 1]
            and typed[:i] == meant[:i]
            and typed[i + 2 :] == meant[i + 2 :]
            for i in range(len(typed) - 1)
        )
    if len(typed) == len(meant) + 1 and len(meant) >= OMISSION_FROM:  # a letter typed twice, inside
        return any(
            typed[:i] + typed[i + 1 :] == meant and typed[i] == typed[i - 1] for i in range(1, len(typed) - 1)
        )
    if len(typed) + 1 == len(meant) and len(typed) >= OMISSION_FROM:
        return any(meant[:i] + meant[i + 1 :] == typed for i in range(1, len(meant) - 1))
    return False


def as_typed(text: str, typed_as: Mapping[str, str]) -> str:
    """`text` with each word `TypoFixer.fix` read for a slip written as the asker typed it (`typed_as`,
    from `fix`): a reply quotes the asker's own words."""
    if not typed_as:
        return text
    return _TYPED_WORD.sub(lambda m: typed_as.get(m.group(0), m.group(0)), text)


def _word_uses(texts: Counter[str]) -> Counter[str]:
    """How many of `texts` (a text counted as often as it occurs) use each word."""
    uses: Counter[str] = Counter()
    for text, times in texts.items():
        for word in set(text.split()):
            uses[word] += times
    return uses


def _strings(data: Any) -> Iterable[str]:
    """Every string in nested lists and mappings (keys of mappings too)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(data, (list, tuple)):
        for item in data:
            yield from _strings(item)


__all__ = ["TypoFixer", "as_typed", "is_slip"]
