"""Text normalisation shared by matching, language detection and search.

`normalize` folds case, strips accents, turns punctuation into spaces and collapses white space, so
"Qu'est-ce qu'une MICRO-CRÉDENTIAL ?" and "qu est ce qu une micro credential" compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "þ": "th"})
_NON_WORD = re.compile(r"[\W_]+")


class _CombiningMarks(dict[int, int | None]):
    """`str.translate` table deleting combining marks: each code point is looked up once, then read
    from the dict in C (the per-character Python test took a third of normalising 10× the phrasings).
    Only code points below `_MARKS_KEPT` are remembered, so messages of random characters cannot grow
    the table without bound in a long-running bot."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if code < _MARKS_KEPT:
            self[code] = kept
        return kept


_MARKS_KEPT = 0x3000
"""Latin, Greek, Cyrillic and the other alphabetic scripts, with every combining-mark block among them."""


_MARKS = _CombiningMarks()


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Case fold, strip accents, replace punctuation by spaces and collapse white space."""
    folded = text.casefold().translate(_SPECIAL)
    if not folded.isascii():  # ASCII has no accents to strip
        folded = unicodedata.normalize("NFKD", folded).translate(_MARKS)
    return _NON_WORD.sub(" ", folded).strip()


def tokens(text: str) -> list[str]:
    """The words of `text` after `normalize`."""
    return normalize(text).split()
