"""Answers never wait on the question log (issue 14 #5); the user-hash salt lives outside the database
and new databases are private (#7)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.engine.logbook import hash_user
from bot.engine.model import Reply
from bot.engine.store import connect

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "What is the Common Microcredential Framework?"
WAIT = 60.0
"""Seconds after which a call that should return is reported as hanging (a failure, not a timing)."""


@pytest.fixture(autouse=True)
def no_salt_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CMF_BOT_USER_SALT", raising=False)


def test_an_answer_does_not_wait_for_a_locked_question_log(db_path: Path) -> None:
    engine = Engine(connect(db_path), log_source="console")
    assert engine.ask(QUESTION).question_id is not None
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a long import holding the write lock
    other.execute("INSERT INTO meta (key, value) VALUES ('lock-holder', '1')")
    replies: list[Reply] = []
    try:
        asking = threading.Thread(target=lambda: replies.append(engine.ask(QUESTION, user="u1")))
        asking.start()
        asking.join(WAIT)
        answered_while_locked = not asking.is_alive()  # the writer still holds the lock here
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert answered_while_locked
    assert replies[0].answer and replies[0].question_id is None  # answered; no id for a queued row
    assert engine.ask(QUESTION).question_id is not None  # logging resumes once the lock is gone
    engine.close()  # writes what is still queued
    rows = connect(db_path).conn.execute("SELECT question, user_hash FROM questions ORDER BY at").fetchall()
    assert len(rows) == 3 and {q for q, _ in rows} == {QUESTION}  # the queued row was kept, not dropped
    assert sum(1 for _, user in rows if user) == 1


def test_a_feedback_click_waiting_for_the_lock_does_not_hold_up_answers(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.engine import logbook

    engine = Engine(connect(db_path), log_source="console")
    qid = engine.ask(QUESTION).question_id
    assert qid is not None
    monkeypatch.setattr(logbook, "LOG_BUSY_MS", int(WAIT * 1000))  # the click waits as long as the lock
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO meta (key, value) VALUES ('lock-holder', '1')")
    results: list[object] = []
    clicker = threading.Thread(target=lambda: results.append(engine.feedback(qid, "up", "user-1")))
    asker = threading.Thread(target=lambda: results.append(engine.ask(QUESTION)))
    try:
        clicker.start()
        time.sleep(0.2)  # the click is now waiting for the write lock
        asker.start()
        asker.join(WAIT)
        answered_while_locked = not asker.is_alive() and clicker.is_alive()
    finally:
        other.execute("ROLLBACK")
        other.close()
        clicker.join(WAIT)
        asker.join(WAIT)
        engine.close()
    assert answered_while_locked
    assert True in results  # the click was recorded once the lock was free


def test_cmf_bot_ask_answers_when_the_log_cannot_be_written(db_path: Path) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO meta (key, value) VALUES ('lock-holder', '1')")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "ask", QUESTION, "--db", str(db_path)],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.strip()


def test_the_salt_is_kept_outside_the_database(db_path: Path) -> None:
    db = connect(db_path)
    db.conn.execute("DELETE FROM meta WHERE key = 'user_hash_salt'")
    first = hash_user(db, 123456789)
    key = Path(str(db_path) + ".key")
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert db.conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'user_hash_salt'").fetchone()[0] == 0
    secret = key.read_text().strip()
    assert secret not in Path(db_path).read_bytes().decode("latin-1")
    # the same user gives the same hash through another connection to the same database
    assert hash_user(connect(db_path), 123456789) == first


def test_a_salt_left_in_meta_moves_to_the_key_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = connect(path)
    db.conn.execute("INSERT INTO meta (key, value) VALUES ('user_hash_salt', ?)", ("ab" * 16,))
    import hashlib
    import hmac

    expected = hmac.new(bytes.fromhex("ab" * 16), b"42", hashlib.sha256).hexdigest()[:32]
    assert hash_user(db, 42) == expected  # old hashes stay comparable
    assert db.conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'user_hash_salt'").fetchone()[0] == 0
    assert Path(str(path) + ".key").read_text().strip() == "ab" * 16


def test_the_salt_can_come_from_the_environment(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMF_BOT_USER_SALT", "operator secret")
    db = connect(db_path)
    assert hash_user(db, 7) != hash_user(db, 8)
    assert not Path(str(db_path) + ".key").exists()


def test_a_new_database_is_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        connect(tmp_path / "new.sqlite3").conn.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.sqlite3").stat().st_mode) == 0o600


def test_feedback_on_a_locked_database_fails_fast_and_cleanly(db_path: Path) -> None:
    from bot.engine.logbook import FeedbackError

    engine = Engine(connect(db_path), log_source="console")
    qid = engine.ask(QUESTION).question_id
    assert qid is not None
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO meta (key, value) VALUES ('lock-holder', '1')")
    try:
        started = time.monotonic()
        with pytest.raises(FeedbackError, match="not stored"):
            engine.feedback(qid, "up", "user-1")
        assert time.monotonic() - started < 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert engine.feedback(qid, "up", "user-1") is True
