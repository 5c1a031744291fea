"""The SQLite store: one-transaction loads, idempotence, generations, read-back and YAML export."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.engine.dump import dump_file, dump_knowledge, export_knowledge
from bot.engine.loader import KnowledgeError, check_texts, load_knowledge
from bot.engine.model import KnowledgeBase
from bot.engine.paths import PROJECT_ROOT
from bot.engine.store import (
    bump_generation,
    connect,
    ensure_database,
    generation,
    get_meta,
    read_knowledge,
    replace_knowledge,
    transaction,
)

KB_MIN = Path(__file__).parent / "fixtures" / "kb_min"
TABLES = ("files", "entries", "intents", "phrasings", "courses", "strings", "vocabulary", "comments", "meta")


def snapshot(db: sqlite_utils.Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the knowledge tables (and the course index when present)."""
    tables = [*TABLES, *(t for t in ("course_index",) if t in db.table_names())]
    return {t: sorted(db.conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return connect(tmp_path / "kb.sqlite3")


@pytest.fixture
def kb() -> KnowledgeBase:
    return load_knowledge(KB_MIN)


def edited(kb: KnowledgeBase, entry_id: str, text: str) -> KnowledgeBase:
    """A copy of `kb` where one entry's English answer is `text`."""
    data = json.loads(json.dumps(kb.data))
    data["entries"][entry_id]["answer"]["en"] = text
    from bot.engine.loader import build_knowledge

    return build_knowledge(kb.files, data)


def test_load_then_read_gives_the_same_knowledge(db: sqlite_utils.Database, kb: KnowledgeBase) -> None:
    summary = replace_knowledge(db, kb)
    assert (summary.entries, summary.intents, summary.courses, summary.strings) == (3, 3, 2, 2)
    assert summary.phrasings == 33 and summary.changed and summary.generation == 1
    back = read_knowledge(db)
    assert back.entries == kb.entries
    assert back.intents == kb.intents
    assert back.courses == kb.courses
    assert back.strings == kb.strings
    assert back.vocabulary == kb.vocabulary
    assert back.files == kb.files
    assert back.data == kb.data
    row = db.conn.execute("SELECT data FROM entries WHERE id = 'cmf-study-hours'").fetchone()
    assert json.loads(row[0]) == kb.data["entries"]["cmf-study-hours"]  # stored exactly as in YAML
    assert db.conn.execute("SELECT count(*) FROM phrasings").fetchone()[0] == 33


def test_load_is_idempotent(db: sqlite_utils.Database, kb: KnowledgeBase) -> None:
    replace_knowledge(db, kb)
    before = snapshot(db)
    again = replace_knowledge(db, load_knowledge(KB_MIN))
    assert not again.changed
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    assert snapshot(db) == before
    assert generation(db) == 1


def test_a_changed_entry_gets_a_new_version_and_generation(
    db: sqlite_utils.Database, kb: KnowledgeBase
) -> None:
    replace_knowledge(db, kb)
    summary = replace_knowledge(db, edited(kb, "cmf-what-is", "New text."))
    assert (summary.added, summary.updated, summary.removed, summary.generation) == (0, 1, 0, 2)
    versions = dict(db.conn.execute("SELECT id, version FROM entries").fetchall())
    assert versions == {"cmf-what-is": 2, "cmf-study-hours": 1, "cmf-requirements": 1}
    assert read_knowledge(db).entries["cmf-what-is"].answer["en"] == "New text."
    assert get_meta(db, "content_hash") == summary.content_hash


def test_a_load_failing_halfway_leaves_the_previous_contents(
    db: sqlite_utils.Database, kb: KnowledgeBase
) -> None:
    replace_knowledge(db, kb)
    before = snapshot(db)
    # The same phrasing twice in one intent and language violates UNIQUE(intent_id, lang, text): the
    # insert fails after files, entries and intents were already replaced.
    data = json.loads(json.dumps(kb.data))
    data["intents"]["find-courses"]["phrasings"]["en"] += ["search courses"]
    data["entries"]["cmf-what-is"]["answer"]["en"] = "changed before the failure"
    from bot.engine.loader import build_knowledge

    broken = build_knowledge(kb.files, data)
    with pytest.raises(sqlite_utils.db.sqlite3.IntegrityError):
        replace_knowledge(db, broken)
    assert snapshot(db) == before
    assert not db.conn.in_transaction


def test_a_failing_search_index_rolls_the_load_back(
    db: sqlite_utils.Database, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace_knowledge(db, kb)
    before = snapshot(db)
    import bot.engine.search

    def boom(db: sqlite_utils.Database) -> None:
        raise RuntimeError("index failed")

    monkeypatch.setattr(bot.engine.search, "rebuild_index", boom)
    with pytest.raises(RuntimeError, match="index failed"):
        replace_knowledge(db, edited(kb, "cmf-what-is", "never stored"))
    assert snapshot(db) == before


KILL_SCRIPT = """
import sys
from pathlib import Path
import bot.engine.search
from bot.engine.loader import build_knowledge, load_knowledge
from bot.engine.store import connect, replace_knowledge

def stall(db):
    print("inside", flush=True)
    sys.stdin.read()  # wait here, inside the transaction, until killed

bot.engine.search.rebuild_index = stall
kb = load_knowledge(Path(sys.argv[2]))
kb.data["entries"]["cmf-what-is"]["answer"]["en"] = "never committed"
replace_knowledge(connect(sys.argv[1]), build_knowledge(kb.files, kb.data))
"""


def test_a_killed_load_leaves_the_previous_contents(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = tmp_path / "kill.sqlite3"
    db = connect(path)
    replace_knowledge(db, kb)
    before = snapshot(db)
    db.conn.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(path), str(KB_MIN)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=PROJECT_ROOT,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "inside"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(connect(path)) == before


def test_transaction_nests_as_a_savepoint(db: sqlite_utils.Database, kb: KnowledgeBase) -> None:
    replace_knowledge(db, kb)
    with pytest.raises(RuntimeError), transaction(db):
        replace_knowledge(db, edited(kb, "cmf-what-is", "inside an outer transaction"))
        assert read_knowledge(db).entries["cmf-what-is"].answer["en"] == "inside an outer transaction"
        raise RuntimeError("outer work failed")
    assert read_knowledge(db).entries["cmf-what-is"].answer == kb.entries["cmf-what-is"].answer


def test_generation_is_shared_between_connections(tmp_path: Path) -> None:
    first = connect(tmp_path / "g.sqlite3")
    second = connect(tmp_path / "g.sqlite3")
    assert generation(second) == 0
    assert bump_generation(first) == 1
    assert bump_generation(first) == 2
    assert generation(second) == 2


def test_ensure_database_builds_on_first_use_only(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = tmp_path / "first-use" / "kb.sqlite3"
    db = ensure_database(path, KB_MIN)
    assert sorted(read_knowledge(db).entries) == sorted(kb.entries)
    assert get_meta(db, "loaded_at") is not None
    replace_knowledge(db, edited(kb, "cmf-what-is", "edited in the bot"))
    again = ensure_database(path, KB_MIN)  # already built: the edit is kept
    assert read_knowledge(again).entries["cmf-what-is"].answer["en"] == "edited in the bot"


def test_ensure_database_refuses_invalid_knowledge(tmp_path: Path) -> None:
    root = tmp_path / "bad"
    shutil.copytree(KB_MIN, root)
    (root / "intents.yaml").unlink()
    with pytest.raises(KnowledgeError) as caught:
        ensure_database(tmp_path / "db.sqlite3", root)
    assert [str(e) for e in caught.value.errors] == ["intents.yaml:1: (file): file not found"]
    assert get_meta(connect(tmp_path / "db.sqlite3"), "loaded_at") is None


# ---------------------------------------------------------------------------------------------
# Export


def test_export_of_the_fixture_gives_its_files_byte_for_byte(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    replace_knowledge(db, load_knowledge(KB_MIN))
    out = tmp_path / "out"
    written = export_knowledge(db, out)
    assert [p.relative_to(out).as_posix() for p in written] == [f.path for f in read_knowledge(db).files]
    for path in written:
        assert path.read_bytes() == (KB_MIN / path.relative_to(out)).read_bytes(), path


def test_export_load_export_is_byte_identical_for_the_shipped_knowledge(tmp_path: Path) -> None:
    first_db = connect(tmp_path / "one.sqlite3")
    replace_knowledge(first_db, load_knowledge(PROJECT_ROOT))
    export_knowledge(first_db, tmp_path / "one")
    second_db = connect(tmp_path / "two.sqlite3")
    replace_knowledge(second_db, load_knowledge(tmp_path / "one"))
    export_knowledge(second_db, tmp_path / "two")
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*.yaml")}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*.yaml")}
    assert one == two
    assert read_knowledge(second_db).data == read_knowledge(first_db).data
    shipped = {path: (PROJECT_ROOT / path).read_bytes() for path in one}
    assert one == shipped, "the shipped files are not canonical: run `cmf-bot kb format`"


def test_an_edited_object_is_exported_in_place(db: sqlite_utils.Database, kb: KnowledgeBase) -> None:
    replace_knowledge(db, edited(kb, "cmf-study-hours", "Line one.\nLine two."))
    files = dump_knowledge(read_knowledge(db))
    original = (KB_MIN / "knowledge" / "cmf.yaml").read_text("utf-8")
    assert files["knowledge/cmf.yaml"] != original
    assert "      en: |-\n        Line one.\n        Line two.\n" in files["knowledge/cmf.yaml"]
    assert {p: t for p, t in files.items() if p != "knowledge/cmf.yaml"} == {
        p: (KB_MIN / p).read_text("utf-8") for p in files if p != "knowledge/cmf.yaml"
    }


TRICKY = [
    "no", "yes", "on", "null", "~", "2016", "1e3", "0x10", "2026-11-28", "3.0", "a: b", "#hash", "- dash",
    "{count} found", "[x]", "quote's", '"double"', "?", "@at", "`tick`", "%pct", "*star", "&amp", "!bang",
    " leading space", "trailing space ", "tab\there", "two  spaces", "multi\nline", "multi\nline\n",
    "trailing \nspace on a line", "\nleading newline", "é ß ñ — “curly” 😀", "x" * 300,
    " ".join(["word"] * 80), "colon at end:", "C:\\path", "line\r\nwindows", "\u00a0nbsp", "\\backslash",
]  # fmt: skip


def test_dump_round_trips_tricky_text() -> None:
    strings = {
        f"s.{i}": {lang: text for lang in ("en", "fr", "es", "it", "de")} for i, text in enumerate(TRICKY)
    }
    text = dump_file("strings", strings, path="knowledge/ui/t.yaml")
    vocabulary = {"topics": {"t": [t for t in TRICKY if "\n" not in t and "\r" not in t]}}
    vocab_text = dump_file("vocabulary", vocabulary)
    kb, errors = check_texts(
        {
            "knowledge/ui/t.yaml": text,
            "knowledge/vocabulary.yaml": vocab_text,
            "intents.yaml": (KB_MIN / "intents.yaml").read_bytes(),
            "knowledge/cmf.yaml": (KB_MIN / "knowledge" / "cmf.yaml").read_bytes(),
        }
    )
    assert errors == []
    assert kb is not None
    assert kb.strings == strings
    assert kb.vocabulary == vocabulary
    assert dump_file("strings", kb.strings, path="knowledge/ui/t.yaml") == text
    assert max(len(line) for line in text.splitlines() if "xxxxxxxx" not in line) <= 110


# -- schema migrations ----------------------------------------------------------------------------


def _version_1_database(path: Path) -> None:
    """A database as the first release left it: its DDL (`SCHEMA_V1`, kept verbatim as migration 1),
    schema_version 1, no migration records, one entry and one revision (no `file` column then)."""
    import sqlite3

    from bot.engine.store import SCHEMA_V1

    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    entry = load_knowledge(KB_MIN).data["entries"]["cmf-what-is"]
    with conn:
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('generation', '7')")
        conn.execute("INSERT INTO files VALUES ('knowledge/cmf.yaml', 'entries', 0, '')")
        conn.execute(
            "INSERT INTO entries (id, file, position, data) "
            "VALUES ('cmf-what-is', 'knowledge/cmf.yaml', 0, ?)",
            (json.dumps(entry),),
        )
        conn.execute(
            "INSERT INTO revisions (object_type, object_id, action, author, at, before, after) "
            "VALUES ('entry', 'cmf-what-is', 'create', 'cli:old', '2026-01-01T00:00:00+00:00', NULL, ?)",
            (json.dumps(entry),),
        )
    conn.close()


def test_a_version_1_database_is_upgraded_in_place_by_numbered_steps(tmp_path: Path) -> None:
    from bot.engine.store import SCHEMA_VERSION, get_meta, migrate
    from bot.moderation.service import KnowledgeService

    path = tmp_path / "old.sqlite3"
    _version_1_database(path)
    old = sqlite_utils.Database(path)
    assert "file" not in old["revisions"].columns_dict and not old["comments"].exists()
    old.conn.close()

    db = connect(path)  # connecting migrates
    steps = [r[0] for r in db.conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert steps == [
        "m001_initial",
        "m002_comments_and_gaps",
        "m003_revision_file",
        "m004_courses_order",
        "m005_sync_tables",
    ]
    assert get_meta(db, "schema_version") == str(SCHEMA_VERSION) == str(len(steps))
    assert "file" in db["revisions"].columns_dict
    assert db["comments"].exists() and db["gap_dismissals"].exists()
    assert "courses_order" in {index.name for index in db["courses"].indexes}
    assert db["sync_status"].exists() and db["sync_records"].exists()
    assert generation(db) == 7 and db.conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 1
    assert migrate(db) == []  # nothing left to do, and nothing is written

    service = KnowledgeService(db, "cli:tester")  # the upgraded database takes a moderator's change
    change = service.edit_entry("cmf-what-is", "en", answer="Upgraded in place.", expected_version=1)
    assert change.version == 2 and service.history("cmf-what-is")[0].file == "knowledge/cmf.yaml"


def test_a_new_database_has_every_step_and_the_layout_of_an_upgraded_one(tmp_path: Path) -> None:
    def layout(db: sqlite_utils.Database) -> set[tuple[str, str]]:
        rows = db.conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        return set(rows) | {(t, c) for t in db.table_names() for c in db[t].columns_dict}

    _version_1_database(tmp_path / "old.sqlite3")
    assert layout(connect(tmp_path / "new.sqlite3")) == layout(connect(tmp_path / "old.sqlite3"))


def test_sync_tables_made_by_an_older_sync_get_the_digest_column(tmp_path: Path) -> None:
    """Before m005 the sync made its own tables, at first without `digest`: the step keeps the rows."""
    path = tmp_path / "synced.sqlite3"
    db = connect(path)
    db.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_sync_tables'")
    db.conn.execute("DROP TABLE sync_status")
    db.conn.execute(
        "CREATE TABLE sync_status (source TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT,"
        " last_modified TEXT, last_attempt TEXT, last_success TEXT, added INTEGER NOT NULL DEFAULT 0,"
        " updated INTEGER NOT NULL DEFAULT 0, withdrawn INTEGER NOT NULL DEFAULT 0,"
        " unchanged INTEGER NOT NULL DEFAULT 0, last_error TEXT)"
    )
    db.conn.execute("INSERT INTO sync_status (source, url, added) VALUES ('imoox', 'https://x.test/', 3)")
    db.conn.close()

    upgraded = connect(path)
    assert "digest" in upgraded["sync_status"].columns_dict
    rows = list(upgraded.conn.execute("SELECT source, added, digest FROM sync_status"))
    assert rows == [("imoox", 3, None)]


def test_a_streamed_export_writes_what_the_whole_knowledge_base_dumps(db_path: Path) -> None:
    """`dump_stored` (one file in memory at a time, used by export) = `dump_knowledge(read_knowledge())`,
    also with objects a moderator added to new files."""
    from bot.engine.dump import dump_stored
    from bot.moderation.service import KnowledgeService

    service = KnowledgeService(connect(db_path), "cli:tester")
    course = {**service.get("mx-upm-html5-webapps").data, "id": "mx-streamed", "course_url": None}
    service.add_course(course, "knowledge/catalogue/new-platform.yaml")
    entry = {**service.get("cmf-what-is").data, "id": "streamed-entry"}
    entry["title"] = {lang: f"A streamed entry ({lang})" for lang in entry["title"]}
    service.add_entry(entry, "knowledge/new/streamed.yaml")
    streamed = list(dump_stored(service.db))
    assert "knowledge/catalogue/new-platform.yaml" in dict(streamed)
    assert "knowledge/new/streamed.yaml" in dict(streamed)
    assert streamed == list(dump_knowledge(read_knowledge(service.db)).items())


def test_content_hash_is_the_sha256_of_the_stored_rows_as_one_json_text() -> None:
    """The digest is fed row by row; it is the hash of the whole canonical text, as before."""
    import hashlib

    from bot.engine import store

    kb = load_knowledge(PROJECT_ROOT)
    rows = store._rows(kb)
    whole = json.dumps(
        {table: sorted([key, *row] for key, row in rows[table].items()) for table in sorted(rows)},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert store.content_hash(kb) == hashlib.sha256(whole.encode("utf-8")).hexdigest()
    kb.data["courses"][next(iter(kb.data["courses"]))]["title"] = "changed"
    assert store.content_hash(kb) != hashlib.sha256(whole.encode("utf-8")).hexdigest()
