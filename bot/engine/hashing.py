"""Feature hashing of the sparse matcher, in pure Python (issue 8: a matcher that scales).

A question's features are the n-grams of its normalised text — character 2–5-grams of the text padded
with one space each side, word 1–2-grams, and the extra features an annotator gives (the concept
layer) — each hashed into one of `2**dim_bits` buckets **without building the n-gram strings**:

- the key of a span of code points `c_0 … c_{n-1}` is the polynomial `Σ c_i · P^(n-1-i) mod 2^64`
  (so a character n-gram's key extends the (n−1)-gram's: `h·P + c`, and the key of any span is a
  difference of prefix keys — what `bot.engine.sparse_trainer` computes with numpy for thousands of
  texts at once);
- a word n-gram is the span of its words and the single spaces between them, its key offset by
  `TAG_WORD` (so the word "the" and the 3-gram "the" differ); an extra feature is the span of its
  name, offset by `TAG_EXTRA`;
- `mix` (the splitmix64 finaliser) spreads a key over 64 bits; the bucket is its top `dim_bits`.

This module is what a question uses at serve time; numpy never is. The trainer reproduces it bit for
bit (tests/test_sparse_matcher.py checks both on the same texts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from bot.engine.matcher import annotation_features
from bot.engine.normalize import _NON_WORD, _SPECIAL, normalize

MASK = (1 << 64) - 1
P = 0xA0761D6478BD642F
"""Multiplier of the polynomial key (odd, so it has an inverse mod 2^64: prefix keys subtract)."""
TAG_WORD = 0xE7037ED1A0B428DB
TAG_EXTRA = 0x8EBC6AF09C88C6E3
M1, M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
"""splitmix64's finaliser constants."""

Annotate = Callable[[str], Iterable[str]]
AnnotatorFactory = Callable[[], Annotate]
"""Makes a new annotator (e.g. of normalised texts: `ConceptLayer.features_normalized`)."""


_ACCENTS = re.compile("[\u0300-\u036f]+")
_SPECIAL_ANY = re.compile("[" + re.escape("".join(chr(c) for c in _SPECIAL)) + "]")
"""Any letter `_SPECIAL` replaces (a search is ~20 times faster than `translate` with a dict)."""


def normalize_fast(text: str) -> str:
    """`normalize(text)` without its cache and faster for ASCII and accented Latin text (training
    normalises tens of thousands of distinct texts; the result is the same, tested)."""
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    folded = text.casefold()
    if _SPECIAL_ANY.search(folded):
        folded = folded.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", folded)
    stripped = _ACCENTS.sub("", decomposed)
    if not stripped.isascii():  # other combining marks may be left: the general rule
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def mix(key: int, dim_bits: int) -> int:
    """The bucket (top `dim_bits` bits) of a 64-bit key after the splitmix64 finaliser."""
    x = key ^ (key >> 30)
    x = (x * M1) & MASK
    x ^= x >> 27
    x = (x * M2) & MASK
    x ^= x >> 31
    return x >> (64 - dim_bits)


def span_key(text: str) -> int:
    """The polynomial key of `text`'s code points."""
    h = 0
    for ch in text:
        h = (h * P + ord(ch)) & MASK
    return h


def extra_bucket(feature: str, dim_bits: int) -> int:
    """The bucket of an annotator's feature (e.g. "concept:ects")."""
    return mix((span_key(feature) + TAG_EXTRA) & MASK, dim_bits)


def bucket_counts(
    text: str,
    char_range: tuple[int, int],
    word_ngrams: int,
    dim_bits: int,
    annotate: Annotate | None = None,
) -> dict[int, int]:
    """Term counts of `text`'s hashed features by bucket (see the module docstring)."""
    norm = normalize(text)
    out: dict[int, int] = {}
    if not norm:
        return out
    lo, hi = char_range
    codes = [ord(ch) for ch in f" {norm} "]
    n_codes = len(codes)
    shift = 64 - dim_bits
    for i in range(n_codes):
        h = 0
        for n in range(1, min(hi, n_codes - i) + 1):
            h = (h * P + codes[i + n - 1]) & MASK
            if n >= lo:
                x = h ^ (h >> 30)
                x = (x * M1) & MASK
                x ^= x >> 27
                x = (x * M2) & MASK
                b = (x ^ (x >> 31)) >> shift
                out[b] = out.get(b, 0) + 1
    words = norm.split()
    for n in range(1, word_ngrams + 1):
        for i in range(len(words) - n + 1):
            b = mix((span_key(" ".join(words[i : i + n])) + TAG_WORD) & MASK, dim_bits)
            out[b] = out.get(b, 0) + 1
    if annotate is not None:
        for feature in annotation_features(text, annotate):
            b = extra_bucket(feature, dim_bits)
            out[b] = out.get(b, 0) + 1
    return out
