"""The question log and user feedback (the `questions` and `feedback` tables), for gaps and stats.

User ids are never stored: `hash_user` keys a SHA-256 HMAC with a secret salt kept OUTSIDE the
database — ``$CMF_BOT_USER_SALT`` if set, else a key file beside it (``<database>.key``, mode 0600,
created on first use; a salt left in `meta` by an older version moves there) — so the same user
gives the same hash, and Discord ids, which are easy to enumerate, cannot be recovered from a copy of
the database alone.

Logging never holds up an answer (`QuestionLog`, the engine's log): the question row is written on
a connection of the log's own that never waits for SQLite's write lock. When another process holds
that lock (a moderator's change, an import), the answer goes out at once without a question id (so
without feedback buttons) and the row is queued, then written by a background thread as soon as the
lock is free; a read-only or broken database drops it (with a warning in the log). Feedback (a click)
waits at most `LOG_BUSY_MS` for the lock, on a connection of its own: never the engine's.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from bot.engine.model import Reply

FEEDBACK_KINDS: tuple[str, ...] = ("up", "down", "not_what_i_asked")
_EXCLUSIVE = {"up": "down", "down": "up"}
"""A user's 👍 replaces their 👎 on the same answer, and the other way round."""

_SALT_KEY = "user_hash_salt"
SALT_ENV = "CMF_BOT_USER_SALT"
LOG_BUSY_MS = 200
"""Longest wait (ms) for the write lock when recording feedback (or `log_question` on a connection);
then the row is dropped. The engine's question log never waits (`QuestionLog`)."""
QUEUE_MAX = 10_000
"""Questions kept while the database is locked (older rows are written first; beyond, rows are dropped)."""
QUEUE_POLL = 0.02
"""Seconds between two attempts of the background writer to take the write lock."""
CLOSE_WAIT = 1.0
"""Seconds `QuestionLog.close` keeps trying to write the queued rows before dropping them."""
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_log = logging.getLogger(__name__)
_salts: dict[str, bytes] = {}
_salts_lock = threading.Lock()
_process_salt = secrets.token_bytes(16)


class FeedbackError(ValueError):
    """Unknown feedback kind or question id."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def key_path(db: sqlite_utils.Database) -> Path | None:
    """The salt's key file beside the database file (None for an in-memory database)."""
    try:
        rows = db.conn.execute("PRAGMA database_list").fetchall()
    except sqlite3.Error:
        return None
    main = next((r[2] for r in rows if r[1] == "main"), "")
    return Path(main + ".key") if main else None


def _salt(db: sqlite_utils.Database) -> bytes:
    env = os.environ.get(SALT_ENV, "")
    if env:
        return hashlib.sha256(env.encode("utf-8")).digest()
    path = key_path(db)
    if path is None:
        return _process_salt
    with _salts_lock:
        if str(path) not in _salts:
            _salts[str(path)] = _load_key(db, path)
        return _salts[str(path)]


def _legacy_salt(db: sqlite_utils.Database) -> str | None:
    try:
        row = db.conn.execute("SELECT value FROM meta WHERE key = ?", [_SALT_KEY]).fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _load_key(db: sqlite_utils.Database, path: Path) -> bytes:
    """Read the key file, creating it (0600) on first use; a salt still in `meta` moves there."""
    legacy = _legacy_salt(db)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:  # read-only directory: hashes stay stable only within this process
        _log.warning("cannot create the user-hash key file %s (%s)", path, exc.strerror)
        return bytes.fromhex(legacy) if legacy else _process_salt
    else:
        with os.fdopen(fd, "w") as out:
            out.write((legacy or secrets.token_hex(32)) + "\n")
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        key = bytes.fromhex(path.read_text("ascii").strip())
    except (OSError, ValueError) as exc:
        _log.warning("cannot read the user-hash key file %s (%s)", path, exc)
        return _process_salt
    if legacy:
        with contextlib.suppress(sqlite3.Error):
            db.conn.execute("DELETE FROM meta WHERE key = ?", [_SALT_KEY])
    return key


def hash_user(db: sqlite_utils.Database, user: str | int | None) -> str | None:
    """A stable, salted, irreversible id for `user` (None stays None)."""
    if user is None or str(user) == "":
        return None
    return hmac.new(_salt(db), str(user).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def log_question(db: sqlite_utils.Database, reply: Reply, source: str, user_hash: str | None) -> int | None:
    """Store one asked question and what the engine answered; returns its id, or None when the row
    had to be dropped (database locked for longer than `LOG_BUSY_MS`, read-only or broken)."""
    try:
        with _short_busy(db):
            return _insert_question(db, reply, source, user_hash)
    except sqlite3.Error as exc:
        _log.warning("question not logged: %s", exc)
        return None


@contextlib.contextmanager
def _short_busy(db: sqlite_utils.Database) -> Iterator[None]:
    """Lower the connection's busy timeout to `LOG_BUSY_MS` for one write, then restore it."""
    conn = db.conn
    before = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute(f"PRAGMA busy_timeout = {LOG_BUSY_MS}")
    try:
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {before}")


_INSERT = (
    "INSERT INTO questions (at, question, lang, status, intent, confidence, source, user_hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
Row = tuple[str, str, str, str, str | None, float, str, str | None]


def _row(reply: Reply, source: str, user_hash: str | None) -> Row:
    confidence = float(reply.confidence)
    return (_now(), reply.question, reply.lang, reply.status, reply.intent, confidence, source, user_hash)


def _insert_question(db: sqlite_utils.Database, reply: Reply, source: str, user_hash: str | None) -> int:
    cursor = db.execute(_INSERT, list(_row(reply, source, user_hash)))
    return int(cursor.lastrowid or 0)  # set by the INSERT above


def _busy(exc: sqlite3.Error) -> bool:
    """Whether `exc` says another connection holds the lock (not a read-only or broken database)."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in _BUSY


class QuestionLog:
    """The question log and feedback of one engine, kept off its answer path (see the module docstring).

    Every write of the log goes through one connection of its own, used under the log's lock and never
    waiting in SQLite's busy handler (busy timeout 0): an answer's INSERT takes the free write lock or
    fails at once, and the background writer of queued rows polls for the lock (`QUEUE_POLL`) instead
    of waiting inside SQLite, so an answer never waits behind it either. `synchronous = NORMAL` on that
    connection: no fsync per logged question (a power cut may lose the last rows, never corrupt them).
    An in-memory database (no other connection can lock it) is written on the engine's connection
    under the engine's lock, as before."""

    def __init__(
        self, db: sqlite_utils.Database, db_lock: threading.RLock, database_file: str | None
    ) -> None:
        self._db, self._db_lock, self._file = db, db_lock, database_file
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pending: list[Row] = []
        self._writer: threading.Thread | None = None
        self._closed = False

    def _connection(self) -> sqlite3.Connection:
        """The log's connection (opened on first use; call with `_lock` held)."""
        if self._conn is None:
            assert self._file is not None
            conn = sqlite3.connect(self._file, timeout=0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA synchronous = NORMAL")
            self._conn = conn
        return self._conn

    def log(self, reply: Reply, source: str, user_hash: str | None) -> int | None:
        """Store one asked question; its id, or None when the row could not be written now (queued
        when the database is locked, dropped when it is read-only or broken)."""
        if self._file is None:
            with self._db_lock:
                return log_question(self._db, reply, source, user_hash)
        row = _row(reply, source, user_hash)
        with self._lock:
            if self._closed:
                return None
            try:
                return int(self._connection().execute(_INSERT, row).lastrowid or 0)
            except sqlite3.Error as exc:
                if not _busy(exc):
                    _log.warning("question not logged: %s", exc)
                    return None
            if len(self._pending) >= QUEUE_MAX:
                _log.warning("question not logged: the database is locked and %d rows wait", QUEUE_MAX)
                return None
            self._pending.append(row)
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_pending, name="cmf-log", daemon=True)
                self._writer.start()
        return None

    def _write_pending(self) -> None:
        """Background thread: write the queued rows once the write lock is free, then end."""
        while True:
            with self._lock:
                if not self._pending or self._flush():  # empty: written, dropped, or closed
                    self._writer = None
                    return
            time.sleep(QUEUE_POLL)

    def _flush(self) -> bool:
        """Try once to write the queued rows in one transaction (call with `_lock` held). True when
        the queue is empty afterwards (written, or dropped because the database cannot take them)."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if _busy(exc):
                return False
            _log.warning("%d questions not logged: %s", len(self._pending), exc)
            self._pending.clear()
            return True
        try:
            conn.executemany(_INSERT, self._pending)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            _log.warning("%d questions not logged: %s", len(self._pending), exc)
        self._pending.clear()
        return True

    def feedback(self, question_id: int, kind: str, user_hash: str | None) -> bool:
        """`record_feedback` on a connection of its own (waiting at most `LOG_BUSY_MS`)."""
        if self._file is None:
            with self._db_lock:
                return record_feedback(self._db, question_id, kind, user_hash)
        try:
            conn = sqlite3.connect(self._file, timeout=LOG_BUSY_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise FeedbackError(f"feedback not stored now ({exc})") from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            return record_feedback(sqlite_utils.Database(conn), question_id, kind, user_hash)
        except sqlite3.Error as exc:
            raise FeedbackError(f"feedback not stored now ({exc})") from None
        finally:
            conn.close()

    def close(self) -> None:
        """Write what is queued (trying for up to `CLOSE_WAIT` seconds), then close the connection."""
        deadline = time.monotonic() + CLOSE_WAIT
        while True:
            with self._lock:
                if not self._pending or self._flush() or time.monotonic() > deadline:
                    if self._pending:
                        _log.warning(
                            "%d questions not logged: the database stayed locked", len(self._pending)
                        )
                        self._pending.clear()
                    self._closed = True
                    if self._conn is not None:
                        with contextlib.suppress(sqlite3.Error):
                            self._conn.close()
                        self._conn = None
                    return
            time.sleep(QUEUE_POLL)


def record_feedback(db: sqlite_utils.Database, question_id: int, kind: str, user_hash: str | None) -> bool:
    """Record 👍 / 👎 / "not what I asked" on a logged question.

    Returns False when the same user already gave this feedback (nothing changes). Raises
    FeedbackError for an unknown kind or question id, and when the database cannot take the row
    within `LOG_BUSY_MS` (the engine's lock is never held for long by a feedback click).
    """
    if kind not in FEEDBACK_KINDS:
        raise FeedbackError(f"unknown feedback kind {kind!r} (expected one of {', '.join(FEEDBACK_KINDS)})")
    row = db.execute("SELECT intent FROM questions WHERE id = ?", [question_id]).fetchone()
    if row is None:
        raise FeedbackError(f"no question with id {question_id}")
    conn = db.conn
    try:
        with _short_busy(db), conn:
            conn.execute("BEGIN IMMEDIATE")
            opposite = _EXCLUSIVE.get(kind)
            if opposite and user_hash is not None:
                conn.execute(
                    "DELETE FROM feedback WHERE question_id = ? AND user_hash = ? AND kind = ?",
                    [question_id, user_hash, opposite],
                )
            cursor = conn.execute(
                "INSERT OR IGNORE INTO feedback (at, question_id, intent, kind, user_hash)"
                " VALUES (?, ?, ?, ?, ?)",
                [_now(), question_id, row[0], kind, user_hash],
            )
            return cursor.rowcount > 0
    except sqlite3.Error as exc:  # locked for longer than LOG_BUSY_MS, read-only, broken
        raise FeedbackError(f"feedback not stored now ({exc})") from None
