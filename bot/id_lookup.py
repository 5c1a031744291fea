"""Id autocomplete for `/kb`: indexed SQLite queries on a connection of its own, off the event loop.

Ids that start with what was typed come from a range query on each table's primary-key index
(`id >= typed AND id < typed || U+10FFFF`, so SQLite walks the index from the first match and stops
after `limit` rows; nothing is sorted). Only if fewer than `limit` ids start with it, ids that merely
contain it are looked for, with a bounded scan: a progress handler stops the query after
`SCAN_BUDGET` seconds and what was found so far is offered. Every query runs on one worker thread
over a read-only connection, so an autocomplete never waits on the engine's lock or blocks the loop.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TABLES = {"entry": "entries", "intent": "intents", "course": "courses"}
ID_MAX = 100
"""Discord's limit for a choice's name and value."""
SCAN_BUDGET = 0.03
"""Seconds the "contains" scan may take before it stops with what it found."""
_TOP = "\U0010ffff"


class IdLookup:
    """Prefix-then-substring search of entry, intent and course ids in the database at `path`."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmf-kb-ids")

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=0.2, check_same_thread=False)
            conn.execute("PRAGMA query_only = ON")
            self._conn = conn
        return self._conn

    def search(self, types: Iterable[str], typed: str, limit: int = 25) -> list[str]:
        """Up to `limit` ids: those starting with `typed` (case-folded) in id order, then others
        containing it. Blocking; see `find` for the event loop."""
        typed = typed.strip().casefold()
        tables = [TABLES[t] for t in types]
        with self._lock:
            conn = self._connection()
            starts: set[str] = set()
            for table in tables:
                rows = conn.execute(
                    f"SELECT id FROM {table} WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                    (typed, typed + _TOP, limit),
                )
                starts.update(r[0] for r in rows)
            found = sorted(starts)[:limit]
            if typed and len(found) < limit:
                found += self._containing(conn, tables, typed, limit - len(found), set(found))
        return [i for i in found if len(i) <= ID_MAX]

    def _containing(
        self, conn: sqlite3.Connection, tables: list[str], typed: str, wanted: int, seen: set[str]
    ) -> list[str]:
        deadline = time.monotonic() + SCAN_BUDGET
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        out: list[str] = []
        try:
            for table in tables:
                rows = conn.execute(
                    f"SELECT id FROM {table} WHERE instr(id, ?) > 1 LIMIT ?", (typed, wanted + len(seen))
                )
                for (oid,) in rows:
                    if oid not in seen:
                        seen.add(oid)
                        out.append(oid)
                        if len(out) >= wanted:
                            return out
        except sqlite3.OperationalError:  # interrupted by the budget (or the database is busy)
            pass
        finally:
            conn.set_progress_handler(None, 0)
        return out

    async def find(self, types: Iterable[str], typed: str, limit: int = 25) -> list[str]:
        """`search` on the lookup's own worker thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.search, tuple(types), typed, limit)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
