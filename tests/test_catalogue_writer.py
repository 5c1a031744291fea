"""The catalogue's fast writer (`bot.engine.dump.course_text`) against PyYAML's emitter.

Course records are written without PyYAML when their values allow it; these tests check, on tricky
and random texts, that the bytes are exactly PyYAML's (`_Dumper`), and that they read back as the
record.
"""

from __future__ import annotations

import random
from typing import Any

import yaml

from bot.engine.dump import _course_text, _Fallback, _pyyaml_course_text, course_text, dump_file
from bot.engine.loader import parse_text

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


def _record(**values: Any) -> dict[str, Any]:
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


def _random_text(rng: random.Random) -> str:
    size = rng.choice([1, 2, 3, 5, 10, 40, 90, 95, 99, 100, 101, 102, 130, 250])
    alphabet = ALPHABET if rng.random() < 0.3 else MOSTLY_WORDS
    return "".join(rng.choice(alphabet) for _ in range(size))


def _same_as_pyyaml(record: dict[str, Any]) -> bool:
    """The fast text equals PyYAML's; True when the fast writer wrote it (False: it fell back)."""
    assert course_text(record) == _pyyaml_course_text(record), record
    try:
        _course_text(record)
    except _Fallback:
        return False
    return True


def test_tricky_texts_in_every_position_match_pyyaml_byte_for_byte() -> None:
    fast = 0
    for text in TRICKY:
        for record in (
            _record(title=text),
            _record(id="x-2", description=text, notes=text),
            _record(subjects=[text, "data"]),
            _record(source_urls=[text]),
            _record(workload=text, source_date=text),
        ):
            fast += _same_as_pyyaml(record)
    assert fast > len(TRICKY) * 3  # most records are written by the fast path


def test_random_texts_match_pyyaml_byte_for_byte() -> None:
    rng = random.Random(13)
    fast = 0
    for _ in range(3000):
        text = _random_text(rng)
        key = rng.choice(["title", "description", "institution", "assessment"])
        record = _record(**{key: text, "subjects": [_random_text(rng)] if rng.random() < 0.3 else ["x"]})
        if rng.random() < 0.3:
            record["source_urls"] = [_random_text(rng)]
        fast += _same_as_pyyaml(record)
    assert fast > 1000


def test_numbers_lists_and_unknown_shapes_match_pyyaml() -> None:
    for record in (
        _record(hours=1e20, ects=-3, eqf_level=0, credits=2.5),
        _record(hours=float("inf"), listed_year=True),
        _record(subjects=[], source_urls=[]),
        _record(subjects=[f"topic {i}" for i in range(30)]),
        _record(cmf={"a": 1}, extra_key="x", Weird="y"),
        _record(source_urls=[1, None]),
        _record(title=""),
    ):
        _same_as_pyyaml(record)


def test_long_plain_texts_fold_at_the_width_and_read_back() -> None:
    description = " ".join(f"word{i}" for i in range(80)) + "  two spaces " + "x" * 120
    record = _record(description=description, title="it's: " + "quoted " * 30)
    assert _same_as_pyyaml(record)
    text = dump_file("courses", [record, _record(id="x-2")], comments={"x-2": "# second"})
    lines = text.splitlines()
    assert max(len(line) for line in lines if "x" * 120 not in line) <= 110
    assert "  # second" in lines
    assert yaml.safe_load(text)["courses"][0] == record
    kind, body, _lines, errors = parse_text("knowledge/catalogue/x.yaml", text)
    assert (kind, errors) == ("courses", [])
    assert body[0] == record
