"""The question log and user feedback (the `questions` and `feedback` tables), for gaps and stats.

User ids are never stored: `hash_user` keys a SHA-256 HMAC with a secret salt kept OUTSIDE the
database — ``$CMF_BOT_USER_SALT`` if set, else a key file beside it (``<database>.key``, mode 0600,
created on first use; a salt left in `meta` by an older version moves there) — so the same user
gives the same hash, and Discord ids, which are easy to enumerate, cannot be recovered from a copy of
the database alone.

Logging never holds up an answer: the question row is written with a short busy timeout
(`LOG_BUSY_MS`); when the database is locked by another writer, read-only or broken, the row is
dropped (with a warning in the log) and the answer goes out without a question id.
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
"""Longest wait (ms) for the write lock when logging a question or feedback; then the row is dropped."""
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


def _insert_question(db: sqlite_utils.Database, reply: Reply, source: str, user_hash: str | None) -> int:
    cursor = db.execute(
        "INSERT INTO questions (at, question, lang, status, intent, confidence, source, user_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            _now(),
            reply.question,
            reply.lang,
            reply.status,
            reply.intent,
            float(reply.confidence),
            source,
            user_hash,
        ],
    )
    return int(cursor.lastrowid or 0)  # set by the INSERT above


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
