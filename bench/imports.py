"""`python -m bench.imports`: how long an import holds the write lock, and what an answer waits meanwhile.

A 2,000-row CSV (the import cap) is imported into a fresh copy of the shipped knowledge base. Printed:
the import's total time, how long ``BEGIN IMMEDIATE`` was held (validation runs before it), and the
longest `Engine.ask` (with the question log on) measured from another thread while the import runs.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ROWS = 2_000


def _csv(rows: int) -> bytes:
    head = "id,title,platform,type,hours,ects,source_urls\n"
    body = "".join(
        f"fun-bench-{i},Bench course {i},FUN,MOOC,{i % 50 + 1},,https://example.org/bench/{i}\n"
        for i in range(rows)
    )
    return (head + body).encode()


def run(rows: int = ROWS) -> dict[str, Any]:
    """Import `rows` rows while asking questions on a second connection; the timings in seconds."""
    from bot.engine.engine import Engine
    from bot.engine.store import connect, ensure_database
    from bot.moderation.service import KnowledgeService

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        ensure_database(path, ROOT).conn.close()
        service = KnowledgeService(connect(path), "cli:bench")
        engine = Engine(connect(path), log_source="console")
        engine.ask("What is the CMF?")  # warm up
        real = service._transaction
        held: list[float] = []

        @contextlib.contextmanager
        def timed() -> Iterator[Any]:
            started = time.perf_counter()
            with real() as conn:
                yield conn
            held.append(time.perf_counter() - started)

        service._transaction = timed  # type: ignore[method-assign]
        asks: list[float] = []
        done = threading.Event()

        def ask_loop() -> None:
            while not done.is_set():
                started = time.perf_counter()
                engine.ask("How many hours of study does a CMF microcredential need?")
                asks.append(time.perf_counter() - started)

        thread = threading.Thread(target=ask_loop)
        thread.start()
        started = time.perf_counter()
        report = service.import_file(_csv(rows), "csv")
        total = time.perf_counter() - started
        done.set()
        thread.join()
        return {
            "rows": len(report.added),
            "total_s": total,
            "lock_held_s": sum(held),
            "asks": len(asks),
            "ask_median_s": statistics.median(asks) if asks else None,
            "ask_max_s": max(asks) if asks else None,
        }


def main() -> int:
    r = run()
    print(
        f"import of {r['rows']:,} CSV rows: {r['total_s']:.2f} s in all, "
        f"write lock held {r['lock_held_s']:.2f} s"
    )
    if r["asks"]:
        print(
            f"answers meanwhile (question log on): {r['asks']}, median {r['ask_median_s'] * 1000:.0f} ms, "
            f"longest {r['ask_max_s'] * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
