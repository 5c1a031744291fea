"""Tricky and random course records for the catalogue writer and reader tests."""

from __future__ import annotations

import random
from typing import Any

TRICKY = [
    "plain text", "Ünïcödé — ça marche 日本語 😀", "key: value", "ends with colon:", "a:b", "http://x.org/a?b=c#d",
    "'quoted'", '"double"', "it's", "- leading dash", "-5", "--- doc", "... end", ".net", "?", "? mark",
    ":colon", "#hash", "a #b", "a#b", "123", "0123", "1.5", "1e3", "0x1F", "yes", "No", "null", "Null", "~",
    "true", "off",
    "2014-03-01", "2014-03-01 10:00:00", "=", "<<", " leading space", "trailing space ", "two  spaces",
    "tab\there", "multi\nline", "cr\rchar", "nel\x85char", "line\u2028sep", "bom\ufeffchar", "nbsp\xa0char",
    "[flow]", "{map}", "a, b", "a [b]", "&anchor", "*alias", "!tag", "|pipe", ">gt", "%pct", "@at", "`tick",
    "x" * 150, ("word " * 40).strip(), ("it's a 'word' " * 15).strip(), ("a: b " * 30).strip(),
    "ctrl\x01char", "\x7f", "€", "ı", "x" * 99 + " y", "é" * 120,
]  # fmt: skip
ALPHABET = "ab xyz:#-'\",[]{}?!&*|>%@`.0123456789éü—😀\t\n\x85\u2028\ufeff\xa0~=<"
MOSTLY_WORDS = "abcdefg hij klm  nop" * 3 + "':#-,.?[]é😀0123"
"""Mostly words and spaces: long texts that the fast writer folds (with quotes, colons, dashes)."""


def sample_record(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "x-1",
        "title": "A title",
        "platform": "iMooX",
        "institution": None,
        "type": "MOOC",
        "languages": ["de"],
        "subjects": ["data", "society"],
        "hours": 12.0,
        "ects": 2,
        "partial": False,
        "course_url": "https://example.org/c/1",
        "source_urls": ["https://example.org/a", "https://example.org/b"],
        "notes": None,
    }
    base.update(values)
    return base


def sample_text(rng: random.Random) -> str:
    size = rng.choice([1, 2, 3, 5, 10, 40, 90, 95, 99, 100, 101, 102, 130, 250])
    alphabet = ALPHABET if rng.random() < 0.3 else MOSTLY_WORDS
    return "".join(rng.choice(alphabet) for _ in range(size))
