"""The catalogue's fast reader (`bot.engine.catalogue_reader`) against the loader's YAML path.

Whatever the text, the fast reader either returns exactly what the safe YAML loader reads, or None
(the loader then parses the file as before); these tests check that on the writer's output for
tricky and random records, on randomly damaged texts, and on the shipped catalogue files.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from catalogue_samples import TRICKY, sample_record, sample_text

from bot.engine import loader
from bot.engine.catalogue_reader import read_catalogue
from bot.engine.dump import dump_file
from bot.engine.paths import PROJECT_ROOT

DAMAGE = [
    " ", "  ", "\t", "#", " #", ": ", ":", "'", "''", '"', "-", "- ", "[", "]", ",", "\n", "\n\n", "&a ", "*",
    "!!str ", "|", ">", "{", "~", "null", "yes", "1", "\r", "\x85", "é", "    ", "      - ", "  - ",
]  # fmt: skip


def _yaml_value(text: str) -> Any:
    """What the loader's pure-Python safe loader reads (raises on a YAML error)."""
    return yaml.load(text, Loader=loader._Loader)


def _agrees(text: str) -> bool:
    """The fast reader agrees with the YAML loader on `text`; True when it read it itself."""
    fast = read_catalogue(text)
    try:
        expected = _yaml_value(text)
    except (yaml.YAMLError, loader._Problem):  # a YAML error, an anchor, a tag, too deep
        assert fast is None, text
        return False
    if fast is not None:
        assert fast == expected, text
        assert [type(v) for r in fast["courses"] for v in r.values()] == [
            type(v) for r in expected["courses"] for v in r.values()
        ]
    return fast is not None


def test_the_writers_output_reads_back_as_the_records() -> None:
    fast = 0
    for n, text in enumerate(TRICKY):
        records = [
            sample_record(id=f"x-{n}", title=text, description=" ".join([text] * 3)),
            sample_record(id="y", subjects=[], source_urls=[], hours=1e20, ects=0, listed_year=2014),
        ]
        dumped = dump_file("courses", records, header="# a header\n", comments={"y": "# about y"})
        if _agrees(dumped):
            fast += 1
            assert read_catalogue(dumped) == {"courses": records}
    assert fast > len(TRICKY) // 2


def test_random_records_agree_with_the_yaml_loader() -> None:
    rng = random.Random(31)
    fast = 0
    for _ in range(600):
        records = [
            sample_record(
                id=f"x-{n}",
                title=sample_text(rng),
                description=sample_text(rng),
                source_urls=[sample_text(rng)] if rng.random() < 0.2 else ["https://example.org/x"],
            )
            for n in range(2)
        ]
        fast += _agrees(dump_file("courses", records))
    assert fast > 100


def test_damaged_texts_are_read_the_same_or_left_to_the_yaml_loader() -> None:
    rng = random.Random(7)
    base = dump_file(
        "courses",
        [
            sample_record(id="a", description="word " * 40 + "end"),
            sample_record(id="b", title="it's: 'x' " * 12),
        ],
        comments={"b": "# note"},
    )
    fast = 0
    for _ in range(3000):
        text = base
        for _ in range(rng.choice([1, 1, 2, 3])):
            at = rng.randrange(len(text) + 1)
            cut = rng.choice([0, 0, 1, 2])
            text = text[:at] + rng.choice(DAMAGE) + text[at + cut :]
        fast += _agrees(text)
    assert fast > 100


@pytest.mark.parametrize(
    "text",
    [
        "courses:\n",
        "courses: []\n",
        "courses:\n  - id: a\n    id: b\n",
        "courses:\n  - id: a\n    cmf:\n      status: x\n",
        'courses:\n  - id: a\n    title: "double"\n',
        "courses:\n  - id: a\n    notes: |\n      two\n      lines\n",
        "courses:\n  - id: a\n    null: x\n",
        "courses:\n  - id: a\n    title: x # comment\n",
        "courses:\n  - id: &x a\n    title: *x\n",
        "courses:\n  - id: a\n\n    title: after a blank line\n",
    ],
)
def test_texts_outside_the_canonical_layout_are_left_to_the_yaml_loader(text: str) -> None:
    assert read_catalogue(text) is None


def test_shipped_catalogue_files_are_read_directly_and_identically() -> None:
    files = sorted((PROJECT_ROOT / "knowledge" / "catalogue").rglob("*.yaml"))
    assert files
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        assert read_catalogue(text) == _yaml_value(text), path


def test_a_problem_in_a_file_read_directly_names_its_line_and_field() -> None:
    from bot.engine import catalogue_reader

    bad = sample_record(id="b", platform="Coursera", description="word " * 80 + "end")
    text = dump_file("courses", [sample_record(id="a"), bad], path="knowledge/catalogue/x.yaml")
    assert catalogue_reader.read_catalogue(text) is not None  # the fast path, then lines on demand
    _, errors = loader.check_texts({"knowledge/catalogue/x.yaml": text})
    line = next(n for n, row in enumerate(text.split("\n"), 1) if "Coursera" in row)
    assert [(e.file, e.line, e.field) for e in errors] == [
        ("knowledge/catalogue/x.yaml", line, "courses[1].platform")
    ]
    assert "Coursera" in errors[0].reason
