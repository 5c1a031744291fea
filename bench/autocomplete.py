"""`python -m bench.autocomplete`: `/kb` id autocomplete at 100,000 course ids.

A database with the cmf-bot schema gets 100,000 synthetic course ids (plus 200 entries and intents).
`IdLookup` answers typed prefixes (0–8 characters), substrings from the middle of ids and misses, as
`/kb show` asks them (entries, intents and courses). Printed: p50 / p99 / max of one lookup, and the
longest stall of an asyncio event loop (a 1 ms ticker) while 600 lookups run through `IdLookup.find`.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COURSES = 100_000
WORDS = [
    "data",
    "ethics",
    "climate",
    "health",
    "law",
    "art",
    "music",
    "code",
    "europe",
    "history",
    "design",
    "energy",
    "water",
]
PLATFORMS = ("fl", "fun", "mx", "eduopen", "imoox", "openuped")


def _ids(n: int, rng: random.Random) -> list[str]:
    out = set()
    while len(out) < n:
        out.add(f"{rng.choice(PLATFORMS)}-{rng.choice(WORDS)}-{rng.choice(WORDS)}-{rng.randrange(10**6):06d}")
    return sorted(out)


def _database(path: Path, ids: list[str]) -> None:
    from bot.engine.store import connect

    db = connect(path)
    conn = db.conn
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO courses (id, file, position, data, title, platform, type, languages)"
        " VALUES (?, 'courses/bench.yaml', ?, '{}', ?, 'FUN', 'MOOC', '[]')",
        [(cid, n, cid) for n, cid in enumerate(ids)],
    )
    conn.executemany(
        "INSERT INTO entries (id, file, position, data) VALUES (?, 'entries/bench.yaml', ?, '{}')",
        [(f"entry-{n:03d}", n) for n in range(200)],
    )
    conn.executemany(
        "INSERT INTO intents (id, position, data) VALUES (?, ?, '{}')",
        [(f"entry-{n:03d}", n) for n in range(200)],
    )
    conn.execute("COMMIT")
    conn.close()


def _typed(ids: list[str], rng: random.Random, n: int) -> list[str]:
    out = []
    for k in range(n):
        cid = rng.choice(ids)
        kind = k % 4
        if kind == 0:
            out.append(cid[: rng.randrange(0, 9)])  # a prefix, also empty
        elif kind == 1:
            start = rng.randrange(1, len(cid) - 4)
            out.append(cid[start : start + rng.randrange(3, 8)])  # from the middle
        elif kind == 2:
            out.append(rng.choice(WORDS))  # a word every platform uses
        else:
            out.append("zq" + str(rng.randrange(1000)))  # matches nothing: the longest scan
    return out


async def _loop_stall(lookup: Any, typed: list[str]) -> float:
    """The longest gap between 1 ms ticks while all `typed` are looked up through `find`."""
    worst = 0.0
    done = False

    async def ticker() -> None:
        nonlocal worst
        last = time.perf_counter()
        while not done:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            worst = max(worst, now - last - 0.001)
            last = now

    tick = asyncio.create_task(ticker())
    await asyncio.gather(*(lookup.find(("entry", "intent", "course"), t) for t in typed))
    done = True
    await tick
    return worst


def run(courses: int = COURSES, lookups: int = 600) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from bot.id_lookup import IdLookup

    rng = random.Random(8)
    ids = _ids(courses, rng)
    typed = _typed(ids, rng, lookups)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        _database(path, ids)
        lookup = IdLookup(path)
        lookup.search(("entry", "intent", "course"), "")  # open the connection
        times = []
        for text in typed:
            t0 = time.perf_counter()
            lookup.search(("entry", "intent", "course"), text)
            times.append(time.perf_counter() - t0)
        stall = asyncio.run(_loop_stall(lookup, typed))
        lookup.close()
    times.sort()
    return {
        "courses": courses,
        "lookups": lookups,
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": times[int(len(times) * 0.99) - 1] * 1000,
        "max_ms": times[-1] * 1000,
        "loop_stall_ms": stall * 1000,
    }


def main() -> int:
    r = run()
    print(
        f"/kb id autocomplete at {r['courses']:,} ids, {r['lookups']} lookups: "
        f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, max {r['max_ms']:.2f} ms; "
        f"longest event-loop stall {r['loop_stall_ms']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
