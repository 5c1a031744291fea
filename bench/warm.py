"""`python -m bench.warm`: does a warm-started matcher update keep the answers' quality? (issue 10)

Over a fresh temporary database of the shipped knowledge (the engine's default thresholds, as
`bench.quality`), scores the development set and the old quality set three times:

1. **full**: the matcher trained from scratch on the shipped knowledge;
2. **warm**: after `PHRASINGS` were added one at a time with `cmf-bot kb phrase add` (each a warm
   update of the cached matcher, through the CLI's public path);
3. **full, same rows**: the same knowledge base (with the added phrasings) trained from scratch.

Prints aggregates only (`bench.quality.report`), the warm updates' count from the cache, the CPU
seconds of each add, and whether each added phrasing is answered by its intent. `--sparse` measures
the sparse matcher at today's size (the engine's `SPARSE_FROM_ROWS` lowered to 1).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PHRASINGS = (
    ("cmf-study-hours", "en", "zorblax quux frobnicate plonk"),
    ("cmf-study-hours", "en", "how long will it take me to get through one of these microcredentials"),
    ("cmf-level", "fr", "à quel niveau du cadre européen se situe une microcertification"),
    ("partner-fun", "de", "was genau ist die französische Plattform FUN"),
)
"""Written for this bench (not from any question set): a probe of unknown words, and three ways of
asking that the knowledge base did not have, in three languages."""


def _scores(engine: Any, sets: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    from bench.quality import score

    return {name: score(engine, rows) for name, rows in sets.items()}


def _line(scores: dict[str, Any]) -> str:
    parts = []
    for name, s in scores.items():
        cells = {scope: s["all"].get(scope, [0, 0]) for scope in ("in", "out")}
        (i_right, i_n), (o_right, o_n) = cells["in"], cells["out"]
        parts.append(f"{name}: in scope {i_right}/{i_n}, declined {o_right}/{o_n}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.warm", description=__doc__.splitlines()[0])
    parser.add_argument("--sparse", action="store_true", help="the sparse matcher at today's size")
    args = parser.parse_args(argv)
    from bench.quality import SETS, load_rows, open_engine, report
    from bot.cli import main as cli
    from bot.engine import snapshot
    from bot.engine.snapshot import cache_info, forget_matcher_cache, matcher_cache_path

    if args.sparse:
        snapshot.SPARSE_FROM_ROWS = 1
    sets = {name: load_rows(SETS[name]) for name in ("dev", "questions")}
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "quality.sqlite3"
        engine = open_engine(Path(tmp))
        try:
            print(f"matcher: {type(engine.matcher).__name__}, load average {os.getloadavg()[0]:.1f}")
            results["full"] = _scores(engine, sets)
        finally:
            engine.close()
        for intent, lang, text in PHRASINGS:
            before = time.process_time()
            code = cli(["kb", "phrase", "add", "--db", str(db), "--lang", lang, intent, text])
            info = cache_info(matcher_cache_path(db)) or {}
            print(f"add ({lang}, {intent}): exit {code}, {time.process_time() - before:.2f} s CPU "
                  f"in this process, warm updates {info.get('warm')}")  # fmt: skip
        engine = open_engine(Path(tmp))
        try:
            for intent, lang, text in PHRASINGS:
                reply = engine.ask(text, lang)
                ranked = engine.matcher.rank(text, 1) if engine.matcher else []
                p = ranked[0][1] if ranked and ranked[0][0] == intent else 0.0
                print(f"added ({lang}, {intent}): {reply.status} {reply.intent == intent}, p {p:.2f}")
            results["warm"] = _scores(engine, sets)
        finally:
            engine.close()
        forget_matcher_cache(db)
        engine = open_engine(Path(tmp))
        try:
            results["full, same rows"] = _scores(engine, sets)
        finally:
            engine.close()
    for label, scores in results.items():
        print(f"\n== {label}: {_line(scores)}")
        for name, s in scores.items():
            print(report(s, f"{name} ({label})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
