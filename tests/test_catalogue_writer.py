"""The catalogue's fast writer (`bot.engine.dump.course_text`) against PyYAML's emitter.

Course records are written without PyYAML when their values allow it; these tests check, on tricky
and random texts, that the bytes are exactly PyYAML's (`_Dumper`), and that they read back as the
record.
"""

from __future__ import annotations

import random
from typing import Any

import yaml
from catalogue_samples import TRICKY, sample_record, sample_text

from bot.engine.dump import _course_text, _Fallback, _pyyaml_course_text, course_text, dump_file
from bot.engine.loader import parse_text


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
            sample_record(title=text),
            sample_record(id="x-2", description=text, notes=text),
            sample_record(subjects=[text, "data"]),
            sample_record(source_urls=[text]),
            sample_record(workload=text, source_date=text),
        ):
            fast += _same_as_pyyaml(record)
    assert fast > len(TRICKY) * 3  # most records are written by the fast path


def test_random_texts_match_pyyaml_byte_for_byte() -> None:
    rng = random.Random(13)
    fast = 0
    for _ in range(3000):
        text = sample_text(rng)
        key = rng.choice(["title", "description", "institution", "assessment"])
        record = sample_record(**{key: text, "subjects": [sample_text(rng)] if rng.random() < 0.3 else ["x"]})
        if rng.random() < 0.3:
            record["source_urls"] = [sample_text(rng)]
        fast += _same_as_pyyaml(record)
    assert fast > 1000


def test_numbers_lists_and_unknown_shapes_match_pyyaml() -> None:
    for record in (
        sample_record(hours=1e20, ects=-3, eqf_level=0, credits=2.5),
        sample_record(hours=float("inf"), listed_year=True),
        sample_record(subjects=[], source_urls=[]),
        sample_record(subjects=[f"topic {i}" for i in range(30)]),
        sample_record(cmf={"a": 1}, extra_key="x", Weird="y"),
        sample_record(source_urls=[1, None]),
        sample_record(title=""),
    ):
        _same_as_pyyaml(record)


def test_long_plain_texts_fold_at_the_width_and_read_back() -> None:
    description = " ".join(f"word{i}" for i in range(80)) + "  two spaces " + "x" * 120
    record = sample_record(description=description, title="it's: " + "quoted " * 30)
    assert _same_as_pyyaml(record)
    text = dump_file("courses", [record, sample_record(id="x-2")], comments={"x-2": "# second"})
    lines = text.splitlines()
    assert max(len(line) for line in lines if "x" * 120 not in line) <= 110
    assert "  # second" in lines
    assert yaml.safe_load(text)["courses"][0] == record
    kind, body, _lines, errors = parse_text("knowledge/catalogue/x.yaml", text)
    assert (kind, errors) == ("courses", [])
    assert body[0] == record
