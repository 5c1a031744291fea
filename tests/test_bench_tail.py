"""bench.tail's bookkeeping (not its timings): the questions it reads and the figures it reports."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

from bench import tail  # noqa: E402


def test_the_timed_questions_are_each_set_s_questions_once_and_never_the_blind_set() -> None:
    questions = tail._questions(ROOT, ("questions", "dev"))
    assert len(questions) == len(set(questions)) > 1000
    assert set(tail._questions(ROOT, ("dev",))) <= set(questions)
    with pytest.raises(ValueError, match="blind"):
        tail._questions(ROOT, ("dev", "blind"))
    with pytest.raises(SystemExit):
        tail.main(["--sets", "blind"])


def test_the_summary_reads_percentiles_and_the_slowest_share_in_milliseconds() -> None:
    values = [i / 1000 for i in range(1, 101)]  # 1 ms … 100 ms
    summary = tail._summary(values)
    assert summary["p50"] == pytest.approx(51.0)  # nearest rank of 0.5 over 99 gaps
    assert summary["p99"] == pytest.approx(99.0)
    assert summary["max"] == pytest.approx(100.0)
    assert summary["mean"] == pytest.approx(50.5)
    assert summary["slowest"] == pytest.approx(99.5)  # the slowest 2 %: 99 and 100 ms
