"""The question log and user feedback (the `questions` and `feedback` tables), for gaps and stats.

User ids are never stored: `hash_user` keys a SHA-256 HMAC with a random salt kept in `meta`
(created on first use), so the same user gives the same hash in one database, and Discord ids,
which are easy to enumerate, cannot be recovered from a copy of the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import sqlite_utils

from bot.engine.model import Reply

FEEDBACK_KINDS: tuple[str, ...] = ("up", "down", "not_what_i_asked")
_EXCLUSIVE = {"up": "down", "down": "up"}
"""A user's 👍 replaces their 👎 on the same answer, and the other way round."""

_SALT_KEY = "user_hash_salt"


class FeedbackError(ValueError):
    """Unknown feedback kind or question id."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _salt(db: sqlite_utils.Database) -> bytes:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [_SALT_KEY]).fetchone()
    if row:
        return bytes.fromhex(row[0])
    db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", [_SALT_KEY, secrets.token_hex(16)])
    row = db.execute("SELECT value FROM meta WHERE key = ?", [_SALT_KEY]).fetchone()
    return bytes.fromhex(row[0])


def hash_user(db: sqlite_utils.Database, user: str | int | None) -> str | None:
    """A stable, salted, irreversible id for `user` (None stays None)."""
    if user is None or str(user) == "":
        return None
    return hmac.new(_salt(db), str(user).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def log_question(db: sqlite_utils.Database, reply: Reply, source: str, user_hash: str | None) -> int:
    """Store one asked question and what the engine answered; returns its id."""
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
    return int(cursor.lastrowid)


def record_feedback(db: sqlite_utils.Database, question_id: int, kind: str, user_hash: str | None) -> bool:
    """Record 👍 / 👎 / "not what I asked" on a logged question.

    Returns False when the same user already gave this feedback (nothing changes). Raises
    FeedbackError for an unknown kind or question id.
    """
    if kind not in FEEDBACK_KINDS:
        raise FeedbackError(f"unknown feedback kind {kind!r} (expected one of {', '.join(FEEDBACK_KINDS)})")
    row = db.execute("SELECT intent FROM questions WHERE id = ?", [question_id]).fetchone()
    if row is None:
        raise FeedbackError(f"no question with id {question_id}")
    conn = db.conn
    with conn:
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
