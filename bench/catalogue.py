"""`python -m bench.catalogue [N]`: a catalogue of N MOOChub records (default 100,000), end to end.

Each step runs in a fresh Python process (so its peak RSS is its own) on one database:
1. import: N MOOChub v3 records (pages of 1,000, the shape `bench/sync.py` serves) applied with
   `KnowledgeService.import_fetched` into a copy of the shipped knowledge base (no network);
2. export: `cmf-bot kb export DIR` of the result (N / 500 catalogue files);
3. load: `cmf-bot kb load --knowledge DIR --force` of those files into a fresh database.
Printed: wall and CPU seconds and peak RSS (MB) of each step, and the machine's 1-minute load average
when it ended (CPU time is the steadier figure on a shared machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.moderation.feeds import Pages

ROOT = Path(__file__).resolve().parents[1]
PAGE = 1_000


def pages(total: int) -> Pages:
    """`total` MOOChub records in pages of `PAGE`, as `fetch_url` returns them (kept compressed)."""
    from bench.sync import _course
    from bot.moderation.feeds import Pages

    base = "https://imoox.at/mooc/local/moochubs/classes/webservice.php"
    return Pages(
        (
            f"{base}?page={n}",
            {"links": {}, "data": [_course(i) for i in range(start, min(start + PAGE, total))]},
        )
        for n, start in enumerate(range(0, total, PAGE), start=1)
    )


def _import(db: str, total: int) -> None:
    """Step 1 (run in a child process)."""
    from bot.engine.store import ensure_database
    from bot.moderation.importer import FetchedList
    from bot.moderation.service import KnowledgeService

    ensure_database(db, ROOT).conn.close()
    fetched = FetchedList("https://imoox.at/mooc/local/moochubs/classes/webservice.php", pages(total))
    service = KnowledgeService.open(db, "cli:bench")
    report = service.import_fetched(fetched, platform="iMooX", max_rows=total)
    print(json.dumps({"added": len(report.added), "rejected": len(report.rejected)}))


def run(total: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    python = sys.executable
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db, fresh, out = Path(tmp, "bench.sqlite3"), Path(tmp, "fresh.sqlite3"), Path(tmp, "export")
        steps = {
            "import": [python, "-m", "bench.catalogue", "--child-import", str(db), str(total)],
            "export": [python, "-m", "bot", "kb", "export", str(out), "--db", str(db)],
            "load": [
                python,
                "-m",
                "bot",
                "kb",
                "load",
                "--knowledge",
                str(out),
                "--db",
                str(fresh),
                "--force",
            ],
        }
        for name, argv in steps.items():
            results[name] = _timed(argv, env)
    return results


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, float, str]:
    """Wall seconds, CPU seconds, peak RSS (MB, from wait4), load average and first output line of one
    child."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    out = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(argv)} failed:\n{out}")
    lines = out.strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, os.getloadavg()[0], lines[0] if lines else ""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--child-import":
        _import(args[1], int(args[2]))
        return 0
    total = int(args[0]) if args else 100_000
    print(f"catalogue of {total:,} MOOChub records (+ the shipped knowledge base)")
    for name, (seconds, cpu, rss, load, line) in run(total).items():
        print(
            f"{name:>6}: {seconds:6.1f} s wall, {cpu:6.1f} s CPU, peak RSS {rss:5.0f} MB, "
            f"load average {load:4.1f}  ({line})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
