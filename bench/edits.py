"""`python -m bench.edits [--courses N]`: how long one moderator change takes (validation + write).

A fresh database is built from the shipped knowledge; with ``--courses N`` it also holds N synthetic
catalogue records (inserted as an import would store them, across 50 files) so the cost of an edit can
be read against a large catalogue. Timed, each as the median of ``--repeat`` runs through the public
`KnowledgeService` API: an entry edit (one language's answer), a course edit (one field), and adding
then removing one phrasing (the write itself: the matcher's retraining is not part of it).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def add_courses(db: Any, count: int, files: int = 50) -> None:
    """Store `count` synthetic, schema-valid course records in `files` catalogue files (bench only)."""
    from bot.engine.store import bump_generation, transaction

    per_file = max(1, count // files)
    with transaction(db) as conn:
        start = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM files").fetchone()[0]
        conn.executemany(
            "INSERT OR IGNORE INTO files (path, kind, position, header) VALUES (?, 'courses', ?, '')",
            [(f"knowledge/catalogue/bench-{n:02d}.yaml", start + n) for n in range(files)],
        )
        rows = []
        for i in range(count):
            data = {
                "id": f"bench-{i}",
                "title": f"Bench course {i} on topic {i % 997}",
                "platform": "FUN MOOC",
                "type": "MOOC",
                "languages": ["fr"],
                "subjects": [f"topic {i % 997}"],
                "source_urls": [f"https://example.org/bench/{i}"],
            }
            file = f"knowledge/catalogue/bench-{(i // per_file) % files:02d}.yaml"
            rows.append((data["id"], file, i, json.dumps(data), data["title"], "FUN MOOC", "MOOC", '["fr"]'))
        conn.executemany(
            "INSERT INTO courses (id, file, position, data, title, platform, type, languages) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        from bot.engine.search import rebuild_index

        rebuild_index(db)
        bump_generation(db)


def _median(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(courses: int = 0, repeat: int = 5) -> dict[str, float]:
    """Median seconds of each kind of change, and the process's peak RSS (MB) afterwards."""
    from bot.engine.store import connect, ensure_database
    from bot.moderation.service import KnowledgeService

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = ensure_database(path, ROOT)
        if courses:
            add_courses(db, courses)
        db.conn.close()
        service = KnowledgeService(connect(path), "cli:bench")
        entry = service.ids("entry")[0]
        course = service.ids("course")[0]
        intent = service.ids("intent")[0]
        counter = iter(range(10**6))

        def entry_edit() -> None:
            service.edit_entry(entry, "en", answer=f"Bench answer {next(counter)}.", expected_version=None)

        def course_edit() -> None:
            service.edit_course(course, {"workload": f"{next(counter)} hours"}, expected_version=None)

        def phrasing() -> None:
            text = f"bench phrasing number {next(counter)} about zebras"
            service.add_phrasing(intent, "en", text)
            service.remove_phrasing(intent, "en", text)

        out = {
            "entry_edit_s": _median(entry_edit, repeat),
            "course_edit_s": _median(course_edit, repeat),
            "phrasing_add_remove_s": _median(phrasing, repeat),
        }
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.edits", description=__doc__)
    parser.add_argument("--courses", type=int, default=0, help="synthetic catalogue records to add")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    r = run(args.courses, args.repeat)
    print(f"catalogue: shipped + {args.courses:,} synthetic records; median of {args.repeat}")
    print(f"entry edit: {r['entry_edit_s'] * 1000:.0f} ms")
    print(f"course edit: {r['course_edit_s'] * 1000:.0f} ms")
    print(f"phrasing add + remove: {r['phrasing_add_remove_s'] * 1000:.0f} ms")
    print(f"peak RSS: {r['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
