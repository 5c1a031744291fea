"""A process killed (SIGKILL) in the middle of an import leaves the database exactly as before."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.engine.store import ensure_database

ROOT = Path(__file__).resolve().parents[1]
KB_MIN = ROOT / "tests" / "fixtures" / "kb_min"
HEADER = (ROOT / "tests" / "fixtures" / "imports" / "courses.csv").read_text("utf-8").splitlines()[0]

# Runs the CLI import with the search-index rebuild (the last step inside the import's transaction,
# after every row is written) replaced by: write a marker file, then sleep until killed.
CHILD = """
import sys, time
from pathlib import Path
import bot.engine.search as search
real = search.rebuild_index
def paused(db):
    real(db)
    Path(sys.argv[1]).write_text("in transaction")
    time.sleep(600)
search.rebuild_index = paused
from bot.cli import main
sys.exit(main(["kb", "import", sys.argv[2], "--db", sys.argv[3], "--as", "cli:killed"]))
"""


def snapshot(path: Path) -> str:
    """SHA-256 of a full SQL dump of the database (every table, every row)."""
    conn = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("count", [400, 10_000])  # 10,000: 20 new catalogue files, 5 times the old cap
def test_sigkill_during_an_import_leaves_the_database_unchanged(tmp_path: Path, count: int) -> None:
    db_path = tmp_path / "kb.sqlite3"
    ensure_database(db_path, KB_MIN).conn.close()
    rows = [
        f",Fixture bulk course {n},iMooX,Fixture University,MOOC,en,bulk,,,,,,,,,"
        f"https://example.org/bulk/{n},https://example.org/bulk,list of 2026,2026"
        for n in range(count)
    ]
    csv_path = tmp_path / "bulk.csv"
    csv_path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    before = snapshot(db_path)
    marker = tmp_path / "marker"

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(marker), str(csv_path), str(db_path)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 600
        while not marker.exists():
            assert child.poll() is None, child.communicate()[1].decode()
            assert time.monotonic() < deadline, "the import never reached its transaction"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL

    assert snapshot(db_path) == before
    # and the database still works: the same import now completes
    from bot.cli import main

    assert main(["kb", "import", str(csv_path), "--db", str(db_path)]) == 0
    conn = sqlite3.connect(db_path)
    assert (
        conn.execute("SELECT COUNT(*) FROM courses WHERE id LIKE 'imx-fixture-bulk-course-%'").fetchone()[0]
        == count
    )
