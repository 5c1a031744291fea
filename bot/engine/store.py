"""SQLite storage (through sqlite-utils): the one schema every part of cmf-bot reads and writes.

Knowledge objects are stored as the JSON of their YAML form (`data`), with `file` and `position`
so that an export writes the same files in the same order. Every change made after a load bumps
`meta.generation`, which lets any process (the bot, the CLI) notice a change on its next question.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- one row per YAML file, for export: path relative to the knowledge root, kind, header comment
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    kind TEXT NOT NULL,            -- entries | courses | strings | vocabulary | intents
    position INTEGER NOT NULL,
    header TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,            -- JSON of the entry exactly as in YAML
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
CREATE TABLE IF NOT EXISTS intents (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,            -- JSON of the intent as in YAML, phrasings included
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
CREATE TABLE IF NOT EXISTS phrasings (
    id INTEGER PRIMARY KEY,
    intent_id TEXT NOT NULL REFERENCES intents(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (intent_id, lang, text)
);
CREATE TABLE IF NOT EXISTS courses (
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL,            -- JSON of the record as in YAML
    title TEXT NOT NULL,
    platform TEXT NOT NULL,
    type TEXT NOT NULL,
    languages TEXT NOT NULL,       -- JSON list
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT,
    updated_by TEXT
);
CREATE TABLE IF NOT EXISTS strings (
    key TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    position INTEGER NOT NULL,
    data TEXT NOT NULL             -- JSON {lang: text}
);
CREATE TABLE IF NOT EXISTS vocabulary (
    file TEXT PRIMARY KEY,
    data TEXT NOT NULL             -- JSON of the vocabulary mapping
);
-- every change to the knowledge base after a load: who, when, before and after (JSON or NULL)
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY,
    object_type TEXT NOT NULL,     -- entry | intent | course | string
    object_id TEXT NOT NULL,
    action TEXT NOT NULL,          -- create | update | delete | revert | import
    author TEXT NOT NULL,
    at TEXT NOT NULL,              -- ISO 8601 UTC
    before TEXT,
    after TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS revisions_object ON revisions (object_type, object_id);
-- questions asked (for gaps and stats); user ids are stored hashed
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    question TEXT NOT NULL,
    lang TEXT NOT NULL,
    status TEXT NOT NULL,          -- answer | suggestions | no_match
    intent TEXT,
    confidence REAL NOT NULL,
    source TEXT NOT NULL,          -- console | discord
    user_hash TEXT
);
CREATE INDEX IF NOT EXISTS questions_at ON questions (at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    question_id INTEGER REFERENCES questions(id),
    intent TEXT,
    kind TEXT NOT NULL,            -- up | down | not_what_i_asked
    user_hash TEXT,
    UNIQUE (question_id, user_hash, kind)
);
"""


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path` with the cmf-bot schema."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA busy_timeout = 10000")
    db = sqlite_utils.Database(conn)
    conn.executescript(SCHEMA)
    return db
