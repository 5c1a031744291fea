"""`python -m bench.gaps`: time `/kb gaps` (bot.moderation.gaps.find_gaps) on large question logs.

A throwaway database gets N unanswered questions: 40 % are variations (word order, a typo, a
suffix) of 300 recurring questions, the rest distinct questions made of random domain words, plus
100 dismissed groups. Each size is timed three times; the table shows the median and the number
of groups found.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORDS = tuple(
    " ".join(
        (
            "microcredential credential cmf ects eqf level hours study workload assessment exam proctored",
            "identity verification transcript learning outcomes platform futurelearn fun miriadax eduopen",
            "imoox openuped university employer learner course mooc certificate credit stackable degree",
            "recognition quality assurance europe framework price cost free online language spanish french",
            "german italian english deadline enrol start duration weeks partner issuer badge digital",
        )
    ).split(" ")
)
SIZES = (1000, 2000, 5000, 20000)


def _question(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))) + "?"


def _variant(base: str, rng: random.Random) -> str:
    words = base.rstrip("?").split()
    kind = rng.randrange(3)
    if kind == 0 and len(words) > 2:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif kind == 1:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(len(w))
            words[i] = w[:j] + w[j + 1 :]
    else:
        words.append(rng.choice(("please", "thanks", "now")))
    return " ".join(words) + "?"


def build(path: Path, size: int, seed: int = 7) -> None:
    from bot.engine.store import connect

    rng = random.Random(seed)
    db = connect(path)
    recurring = [_question(rng) for _ in range(300)]
    rows = []
    for n in range(size):
        text = _variant(rng.choice(recurring), rng) if rng.random() < 0.4 else _question(rng)
        at = f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00+00:00"
        rows.append((text, "en", "no_match" if n % 3 else "suggestions", at, 0.05, "bench"))
    with db.conn:
        db.conn.executemany(
            "INSERT INTO questions (question, lang, status, at, confidence, source) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.conn.executemany(
            "INSERT INTO gap_dismissals (key, at, author, action, example) VALUES (?, ?, ?, ?, ?)",
            [(f"dismissed {n} " + _question(rng).rstrip("?"), "2026-11-15T00:00:00+00:00", "bench",
              "dismiss", "x") for n in range(100)],
        )  # fmt: skip
    db.conn.close()


def main() -> int:
    from bot.engine.store import connect
    from bot.moderation.gaps import find_gaps

    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    print("| questions | find_gaps median of 3 | groups |")
    print("|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"gaps-{size}.sqlite3"
            build(path, size)
            db = connect(path)
            times, groups = [], 0
            for _ in range(3):
                start = time.perf_counter()
                groups = len(find_gaps(db, limit=100_000))
                times.append(time.perf_counter() - start)
            db.conn.close()
            print(f"| {size:,} | {statistics.median(times):.2f} s | {groups:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
