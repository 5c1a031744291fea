"""SQLite storage (through sqlite-utils): the one schema every part of cmf-bot reads and writes.

Knowledge objects are stored as the JSON of their YAML form (`data`), with `file` and `position`
so that an export writes the same files in the same order. Every change made after a load bumps
`meta.generation`, which lets any process (the bot, the CLI) notice a change on its next question.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.engine.model import Course, KnowledgeBase, SourceFile

SCHEMA_V1 = """
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
"""The layout of the first release (schema version 1): the baseline the numbered migrations start from.
Raw SQL on purpose: it is that version's DDL, frozen (comments say what each column holds)."""

MIGRATIONS = sqlite_utils.Migrations("cmf-bot")
"""Numbered schema steps, applied in order by `connect` (sqlite-utils records each in
`_sqlite_migrations`, in the same transaction as the step). Add a step; never edit one that shipped.
Each step is idempotent, so a database made before the steps were recorded is brought up to date
without harm."""


@MIGRATIONS()
def m001_initial(db: sqlite_utils.Database) -> None:
    """The version-1 layout."""
    _run_script(db, SCHEMA_V1)


@MIGRATIONS()
def m002_comments_and_gaps(db: sqlite_utils.Database) -> None:
    """Comment lines kept above objects (for export); gaps a moderator dismissed."""
    # the comment lines written just above an object in its file (kept by export)
    db.table("comments").create(
        {"file": str, "object_id": str, "text": str},
        pk=("file", "object_id"),
        not_null={"file", "object_id", "text"},
        if_not_exists=True,
    )
    # gaps a moderator dismissed (or turned into a phrasing): questions similar to `key` (normalised
    # text) asked up to `at` are hidden from `kb gaps`; action is dismiss | phrasing:<intent id>
    db.table("gap_dismissals").create(
        {"key": str, "at": str, "author": str, "action": str, "example": str},
        pk="key",
        not_null={"at", "author", "action", "example"},
        if_not_exists=True,
    )


@MIGRATIONS()
def m003_revision_file(db: sqlite_utils.Database) -> None:
    """The YAML file of a revised object, so that a revert re-creates it in place."""
    if "file" not in db.table("revisions").columns_dict:
        db.table("revisions").add_column("file", str)


@MIGRATIONS()
def m004_courses_order(db: sqlite_utils.Database) -> None:
    """Catalogue order (export, the list of course ids) without sorting the whole table."""
    db.table("courses").create_index(
        ["file", "position", "id"], index_name="courses_order", if_not_exists=True
    )


@MIGRATIONS()
def m005_sync_tables(db: sqlite_utils.Database) -> None:
    """Catalogue sync (`bot/moderation/sync.py`): each source's last run and validators, and which
    courses each source lists (a course it stops listing is marked withdrawn)."""
    db.table("sync_status").create(
        {
            "source": str,
            "url": str,
            "etag": str,
            "last_modified": str,
            "last_attempt": str,
            "last_success": str,
            "added": int,
            "updated": int,
            "withdrawn": int,
            "unchanged": int,
            "last_error": str,
            "digest": str,
        },
        pk="source",
        not_null={"url", "added", "updated", "withdrawn", "unchanged"},
        defaults={"added": 0, "updated": 0, "withdrawn": 0, "unchanged": 0},
        if_not_exists=True,
    )
    # a database synced before this step had the table made by sync itself, maybe without `digest`
    if "digest" not in db.table("sync_status").columns_dict:
        db.table("sync_status").add_column("digest", str)
    db.table("sync_records").create(
        {"source": str, "course_id": str},
        pk=("source", "course_id"),
        not_null={"source", "course_id"},
        if_not_exists=True,
    )


SCHEMA_VERSION = 5
"""The number of migration steps (m001 … m005): `meta.schema_version` once `connect` has run them."""


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    """Statements one by one (`executescript` would commit the migration's transaction)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.conn.execute(statement)
            statement = ""


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Bring the database's layout up to `SCHEMA_VERSION` in place, all steps in one write transaction
    (two processes opening a new database never both migrate it); the names of the steps applied.
    An up-to-date database is only read."""
    if not MIGRATIONS.pending(db) and get_meta(db, "schema_version") == str(SCHEMA_VERSION):
        return []
    with transaction(db):
        pending = [m.name for m in MIGRATIONS.pending(db)]
        MIGRATIONS.apply(db)  # each step in a savepoint, recorded in _sqlite_migrations
        set_meta(db, "schema_version", str(SCHEMA_VERSION))
    return pending


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, its layout migrated to `SCHEMA_VERSION`."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):  # a new database is its owner's only (it holds the question log)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # check_same_thread=False: the engine serialises access with its own lock, and the Discord bot
    # calls it from a worker thread (and serves autocomplete from the event loop).
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA busy_timeout = 10000")
    db = sqlite_utils.Database(conn)
    migrate(db)
    return db


# ---------------------------------------------------------------------------------------------
# Transactions and change tracking


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One atomic unit of work: ``BEGIN IMMEDIATE`` … ``COMMIT``, or a savepoint inside a caller's
    transaction. Any exception rolls everything in it back and propagates.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{id(conn)}_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_savepoints = itertools.count(1)


def get_meta(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def generation(db: sqlite_utils.Database) -> int:
    """The change counter: any process compares it to notice that the knowledge base changed."""
    return int(get_meta(db, "generation", "0") or 0)


def bump_generation(db: sqlite_utils.Database) -> int:
    """Count one change (call it inside the transaction that makes the change); the new generation."""
    db.conn.execute(
        "INSERT INTO meta (key, value) VALUES ('generation', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )
    return generation(db)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------
# Loading the knowledge base


@dataclass
class LoadSummary:
    """What `replace_knowledge` did."""

    entries: int = 0
    intents: int = 0
    phrasings: int = 0
    courses: int = 0
    strings: int = 0
    files: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    changed: bool = False
    generation: int = 0
    content_hash: str = ""

    def describe(self) -> str:
        counts = (
            f"{self.entries:,} entries, {self.intents:,} intents, {self.phrasings:,} phrasings, "
            f"{self.courses:,} courses, {self.strings:,} strings from {self.files:,} files"
        )
        if not self.changed:
            return f"{counts}; already up to date (generation {self.generation})"
        return (
            f"{counts}; {self.added:,} added, {self.updated:,} updated, {self.removed:,} removed "
            f"(generation {self.generation})"
        )


_OBJECT_TABLES = {"entries": "entries", "intents": "intents", "courses": "courses", "strings": "strings"}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _rows(kb: KnowledgeBase) -> dict[str, dict[str, tuple[str, int, str]]]:
    """Table -> id -> (file, position, data JSON) for the object tables, plus `files` and `vocabulary`."""
    tables = (*_OBJECT_TABLES, "files", "vocabulary", "comments")
    rows: dict[str, dict[str, tuple[str, int, str]]] = {t: {} for t in tables}
    for file_position, source in enumerate(kb.files):
        rows["files"][source.path] = (source.kind, file_position, source.header)
        for oid, text in source.comments.items():
            rows["comments"][f"{source.path}\x00{oid}"] = (source.path, oid, text)  # type: ignore[assignment]
        if source.kind == "vocabulary":
            rows["vocabulary"][source.path] = (source.path, 0, _json(kb.data["vocabulary"][source.path]))
            continue
        table = _OBJECT_TABLES[source.kind]
        for position, oid in enumerate(source.ids):
            rows[table][oid] = (source.path, position, _json(kb.data[source.kind][oid]))
    return rows


def _existing(conn: sqlite3.Connection) -> dict[str, dict[str, tuple[Any, ...]]]:
    queries = {
        "files": "SELECT path, kind, position, header FROM files",
        "entries": "SELECT id, file, position, data, version, updated_at, updated_by FROM entries",
        "intents": "SELECT id, 'intents.yaml', position, data, version, updated_at, updated_by FROM intents",
        "courses": "SELECT id, file, position, data, version, updated_at, updated_by FROM courses",
        "strings": "SELECT key, file, position, data FROM strings",
        "vocabulary": "SELECT file, file, 0, data FROM vocabulary",
        "comments": "SELECT file || char(0) || object_id, file, object_id, text FROM comments",
    }
    return {t: {row[0]: tuple(row[1:]) for row in conn.execute(q)} for t, q in queries.items()}


def content_hash(kb: KnowledgeBase) -> str:
    """SHA-256 of everything `replace_knowledge` stores for `kb` (files, order and objects)."""
    return _rows_hash(_rows(kb))


def _rows_hash(rows: dict[str, dict[str, tuple[str, int, str]]]) -> str:
    """SHA-256 of the JSON text ``{table: sorted [id, *row]}`` of `rows`, fed to the hash a row at a
    time (the same digest as hashing that text whole, without building it)."""
    digest = hashlib.sha256()
    sep = "{"
    for table in sorted(rows):
        digest.update(f"{sep}{_json(table)}:[".encode())
        comma = ""
        for oid in sorted(rows[table]):
            digest.update((comma + _json([oid, *rows[table][oid]])).encode("utf-8"))
            comma = ","
        digest.update(b"]")
        sep = ","
    digest.update(b"}" if rows else b"{}")
    return digest.hexdigest()


def replace_knowledge(db: sqlite_utils.Database, kb: KnowledgeBase, *, author: str = "load") -> LoadSummary:
    """Make the stored knowledge base exactly `kb`, in one transaction (all or nothing).

    Idempotent: loading the same knowledge again changes nothing (not even the generation). Objects
    whose data is unchanged keep their version; changed ones get version + 1. Rebuilds the course
    search index (`bot.engine.search.rebuild_index`, when that module exists) in the same transaction.
    """
    rows = _rows(kb)
    digest = _rows_hash(rows)
    summary = LoadSummary(
        entries=len(rows["entries"]),
        intents=len(rows["intents"]),
        phrasings=sum(len(t) for i in kb.intents.values() for t in i.phrasings.values()),
        courses=len(rows["courses"]),
        strings=len(rows["strings"]),
        files=len(rows["files"]),
        content_hash=digest,
    )
    with transaction(db) as conn:
        old = _existing(conn)
        for table in (*_OBJECT_TABLES.values(), "vocabulary"):
            new_ids, old_ids = set(rows[table]), set(old[table])
            summary.added += len(new_ids - old_ids)
            summary.removed += len(old_ids - new_ids)
            summary.updated += sum(
                1 for k in new_ids & old_ids if tuple(rows[table][k]) != tuple(old[table][k][:3])
            )
        files_changed = any(
            {k: tuple(v) for k, v in rows[t].items()} != old[t] for t in ("files", "comments")
        )
        summary.changed = bool(summary.added or summary.removed or summary.updated or files_changed)
        if not summary.changed and get_meta(db, "loaded_at") is not None:
            summary.generation = generation(db)
            return summary
        now = _now()

        def versioned(table: str, oid: str, new: tuple[str, int, str]) -> tuple[int, str | None, str | None]:
            before = old[table].get(oid)
            if before is None:
                return 1, now, author
            if before[2] == new[2]:
                return before[3], before[4], before[5]
            return before[3] + 1, now, author

        for table in (
            "phrasings",
            "intents",
            "entries",
            "courses",
            "strings",
            "vocabulary",
            "comments",
            "files",
        ):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany(
            "INSERT INTO files (path, kind, position, header) VALUES (?, ?, ?, ?)",
            [(path, *v) for path, v in rows["files"].items()],
        )
        conn.executemany(
            "INSERT INTO entries (id, file, position, data, version, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(oid, *v, *versioned("entries", oid, v)) for oid, v in rows["entries"].items()],
        )
        conn.executemany(
            "INSERT INTO intents (id, position, data, version, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(oid, v[1], v[2], *versioned("intents", oid, v)) for oid, v in rows["intents"].items()],
        )
        conn.executemany(
            "INSERT INTO phrasings (intent_id, lang, text, position) VALUES (?, ?, ?, ?)",
            [
                (intent.id, lang, text, position)
                for intent in kb.intents.values()
                for lang, texts in intent.phrasings.items()
                for position, text in enumerate(texts)
            ],
        )
        conn.executemany(
            "INSERT INTO courses (id, file, position, data, title, platform, type, languages, version, "
            "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (oid, *v, course.title, course.platform, course.type, _json(course.languages),
                 *versioned("courses", oid, v))
                for oid, v in rows["courses"].items()
                for course in (kb.courses[oid],)
            ),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO strings (key, file, position, data) VALUES (?, ?, ?, ?)",
            [(key, *v) for key, v in rows["strings"].items()],
        )
        conn.executemany(
            "INSERT INTO comments (file, object_id, text) VALUES (?, ?, ?)", rows["comments"].values()
        )
        conn.executemany(
            "INSERT INTO vocabulary (file, data) VALUES (?, ?)",
            [(path, v[2]) for path, v in rows["vocabulary"].items()],
        )
        _rebuild_search_index(db)
        set_meta(db, "schema_version", str(SCHEMA_VERSION))
        set_meta(db, "content_hash", digest)
        set_meta(db, "loaded_at", now)
        summary.generation = bump_generation(db)
    return summary


def _rebuild_search_index(db: sqlite_utils.Database) -> None:
    """Call `bot.engine.search.rebuild_index(db)` if that module exists (it is optional here)."""
    try:
        search = importlib.import_module("bot.engine.search")
    except ModuleNotFoundError as exc:
        if exc.name == "bot.engine.search":
            return
        raise
    rebuild = getattr(search, "rebuild_index", None)
    if rebuild is not None:
        rebuild(db)


def read_knowledge(db: sqlite_utils.Database, *, courses: bool = True) -> KnowledgeBase:
    """The knowledge base as stored (after a load and any edits), files in their export order.

    `courses=False` leaves the catalogue out (`kb.courses` empty, catalogue files without ids): the
    engine reads course records by id through `StoredCourses` instead of holding them all.
    """
    from bot.engine.loader import INTENTS_FILE, build_knowledge

    conn = db.conn
    files: dict[str, SourceFile] = {
        path: SourceFile(path, kind, header, [])
        for path, kind, header in conn.execute("SELECT path, kind, header FROM files ORDER BY position, path")
    }
    data: dict[str, dict[str, Any]] = {
        "entries": {},
        "courses": {},
        "strings": {},
        "vocabulary": {},
        "intents": {},
    }
    queries = {
        "entries": "SELECT id, file, data FROM entries ORDER BY file, position, id",
        "courses": "SELECT id, file, data FROM courses ORDER BY file, position, id",
        "strings": "SELECT key, file, data FROM strings ORDER BY file, position, key",
        "intents": f"SELECT id, '{INTENTS_FILE}', data FROM intents ORDER BY position, id",
        "vocabulary": "SELECT file, file, data FROM vocabulary ORDER BY file",
    }
    if not courses:
        del queries["courses"]
    for kind, query in queries.items():
        for oid, path, raw in conn.execute(query):
            source = files.get(path)
            if source is None:  # an object added to a file that was not loaded: export it too
                source = files[path] = SourceFile(path, kind, "", [])
            data[kind][oid] = json.loads(raw)
            if kind != "vocabulary":
                source.ids.append(oid)
    for path, oid, text in conn.execute(
        "SELECT file, object_id, text FROM comments ORDER BY file, object_id"
    ):
        if path in files:
            files[path].comments[oid] = text
    return build_knowledge(list(files.values()), data)


_FILE_OBJECTS = {
    "entries": "SELECT id, data FROM entries WHERE file = ? ORDER BY position, id",
    "courses": "SELECT id, data FROM courses WHERE file = ? ORDER BY position, id",
    "strings": "SELECT key, data FROM strings WHERE file = ? ORDER BY position, key",
    "intents": "SELECT id, data FROM intents WHERE ? IS NOT NULL ORDER BY position, id",
    "vocabulary": "SELECT file, data FROM vocabulary WHERE file = ?",
}
"""The objects of one stored file, in file order (the `?` is the file's path)."""


def stored_files(db: sqlite_utils.Database) -> Iterator[tuple[SourceFile, Any]]:
    """Each stored file with its objects as in YAML, one file at a time and in export order (the same
    files, order and objects as `read_knowledge`, without holding the knowledge base in memory):
    a list of objects, a {key: text} mapping for strings, the mapping of a vocabulary file."""
    from bot.engine.loader import INTENTS_FILE

    conn = db.conn
    files = [
        SourceFile(path, kind, header, [])
        for path, kind, header in conn.execute("SELECT path, kind, header FROM files ORDER BY position, path")
    ]
    known = {f.path for f in files}
    for kind in ("entries", "courses", "strings"):  # objects added to a file that was not loaded
        for (path,) in conn.execute(f"SELECT DISTINCT file FROM {kind} ORDER BY file").fetchall():
            if path not in known:
                known.add(path)
                files.append(SourceFile(path, kind, "", []))
    if INTENTS_FILE not in known and conn.execute("SELECT 1 FROM intents LIMIT 1").fetchone():
        files.append(SourceFile(INTENTS_FILE, "intents", "", []))
    for source in files:
        if source.kind not in _FILE_OBJECTS:
            continue
        rows = conn.execute(_FILE_OBJECTS[source.kind], (source.path,))
        objects = {oid: json.loads(raw) for oid, raw in rows}
        source.ids = [] if source.kind == "vocabulary" else list(objects)
        source.comments = dict(
            conn.execute("SELECT object_id, text FROM comments WHERE file = ?", (source.path,))
        )
        if source.kind == "vocabulary":
            yield source, objects.get(source.path, {})
        elif source.kind == "strings":
            yield source, objects
        else:
            yield source, list(objects.values())


class StoredCourses(Mapping[str, Course]):
    """The catalogue as a read-only mapping over the `courses` table: a record is read (and typed) from
    SQLite when it is used, so the engine holds no course in memory, whatever the catalogue's size."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn

    def __getitem__(self, course_id: str) -> Course:
        from bot.engine.loader import course_from_data

        row = self.conn.execute("SELECT data, file FROM courses WHERE id = ?", (course_id,)).fetchone()
        if row is None:
            raise KeyError(course_id)
        return course_from_data(json.loads(row[0]), row[1])

    def __contains__(self, course_id: object) -> bool:
        if not isinstance(course_id, str):
            return False
        return self.conn.execute("SELECT 1 FROM courses WHERE id = ?", (course_id,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        rows = self.conn.execute("SELECT id FROM courses ORDER BY file, position, id").fetchall()
        return iter([course_id for (course_id,) in rows])

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM courses").fetchone()[0])

    def many(self, course_ids: Sequence[str]) -> list[Course]:
        """The records of `course_ids` that exist, in that order (one query)."""
        from bot.engine.loader import course_from_data

        ids = list(dict.fromkeys(course_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT id, data, file FROM courses WHERE id IN ({marks})", ids)
        found = {cid: course_from_data(json.loads(data), file) for cid, data, file in rows}
        return [found[cid] for cid in ids if cid in found]


def ensure_database(db_path: str | Path, root: str | Path | None = None) -> sqlite_utils.Database:
    """Open the database, loading the bundled knowledge the first time ("built on first use").

    Raises `bot.engine.loader.KnowledgeError` when the knowledge is invalid (nothing is written).
    """
    from bot.engine.freshness import record_loaded_files
    from bot.engine.loader import load_knowledge
    from bot.engine.paths import knowledge_root

    db = connect(db_path)
    if get_meta(db, "loaded_at") is None:
        replace_knowledge(db, load_knowledge(knowledge_root(root)))
        record_loaded_files(db, knowledge_root(root))
    return db


def pending_revisions(db: sqlite_utils.Database) -> int:
    """Moderators' revisions made after the last export or load: changes not yet back in git."""
    since = int(get_meta(db, "exported_revision", "0") or 0)
    return int(db.conn.execute("SELECT COUNT(*) FROM revisions WHERE id > ?", (since,)).fetchone()[0])


def mark_exported(db: sqlite_utils.Database) -> None:
    """Record that every revision so far is in the files (after an export, or a load replacing them)."""
    last = db.conn.execute("SELECT COALESCE(MAX(id), 0) FROM revisions").fetchone()[0]
    set_meta(db, "exported_revision", str(last))
