"""Knowledge snapshots: built aside and swapped in (no answer waits for a rebuild), the router without
a database, and the engine's explicit question log and feedback calls."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from test_engine import make_root

from bot.engine.engine import BUILD_SWITCH_INTERVAL, Engine
from bot.engine.loader import load_knowledge
from bot.engine.router import Router, Thresholds, route
from bot.engine.snapshot import build_snapshot, cached_matcher
from bot.engine.store import connect
from bot.moderation.service import KnowledgeService

QUESTION = "quokka wombat platypus"
"""Words no phrasing of the test knowledge has: answered only once a moderator adds them."""
STUDY_HOURS = "how many hours is a microcredential"
WAIT = 60.0
"""Seconds after which a call that should return is reported as hanging (a failure, not a timing)."""


class GatedFactory:
    """The matcher factory of an engine whose rebuilds wait for `release` (a slow training)."""

    def __init__(self) -> None:
        self.calls = 0
        self.building = threading.Event()
        self.release = threading.Event()

    def __call__(self, rows: Any, annotate: Any, salt: str, path: Path | None) -> Any:
        self.calls += 1
        if self.calls > 1:  # not the first build of the process
            self.building.set()
            assert self.release.wait(WAIT), "the test never released the build"
        return cached_matcher(rows, annotate, salt, path)


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "db.sqlite3"


def test_answers_come_from_the_old_snapshot_while_the_next_one_is_built(
    tmp_path: Path, db_path: Path
) -> None:
    factory = GatedFactory()
    engine = Engine.open(db_path, make_root(tmp_path), matcher_factory=factory)
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        before = engine.generation
        assert engine.ask(QUESTION, "en").intent != "cmf-study-hours"
        KnowledgeService(connect(db_path), "cli:test").add_phrasing("cmf-study-hours", "en", QUESTION)
        # a question notices the change and starts the rebuild, which blocks in the matcher
        first = pool.submit(engine.ask, QUESTION, "en").result(timeout=WAIT)
        assert factory.building.wait(WAIT)
        # while the build is blocked, questions from another thread are answered, from the old snapshot
        during = [pool.submit(engine.ask, q, "en").result(timeout=WAIT) for q in (QUESTION, STUDY_HOURS)]
        assert not factory.release.is_set() and engine.generation == before
        assert first.intent != "cmf-study-hours" and during[0].intent != "cmf-study-hours"
        assert during[1].status == "answer" and during[1].intent == "cmf-study-hours"
        # a moderator's refresh waits for the build; the others do not
        waiting = pool.submit(engine.refresh)
        assert pool.submit(engine.ask, STUDY_HOURS, "en").result(timeout=WAIT).status == "answer"
        assert not waiting.done()
        factory.release.set()
        assert waiting.result(timeout=WAIT) is True
        assert engine.generation > before
        after = engine.ask(QUESTION, "en")
        assert after.status == "answer" and after.intent == "cmf-study-hours"
    finally:
        factory.release.set()
        pool.shutdown(wait=True)
        engine.close()


def test_a_background_rebuild_lets_answering_threads_take_the_gil_back_quickly(
    tmp_path: Path, db_path: Path
) -> None:
    """The rebuild is pure Python holding the GIL; an answer gives the GIL up around each SQLite call
    and waits up to one switch interval to get it back (5 ms by default: 10-25 calls made one course
    answer wait 50-230 ms). While a rebuild runs the interval is short; afterwards it is the caller's."""
    deadline = time.monotonic() + WAIT  # a rebuild another test's engine left running ends first
    while sys.getswitchinterval() <= BUILD_SWITCH_INTERVAL and time.monotonic() < deadline:
        time.sleep(0.01)
    default = sys.getswitchinterval()
    assert default > BUILD_SWITCH_INTERVAL, "another engine's rebuild kept the short interval"
    seen: list[float] = []

    def factory(rows: Any, annotate: Any, salt: str, path: Path | None) -> Any:
        seen.append(sys.getswitchinterval())
        return cached_matcher(rows, annotate, salt, path)

    engine = Engine.open(db_path, make_root(tmp_path), matcher_factory=factory)
    try:
        KnowledgeService(connect(db_path), "cli:test").add_phrasing("cmf-study-hours", "en", QUESTION)
        assert engine.refresh(timeout=WAIT) is True
        assert len(seen) == 2 and seen[0] == default  # the first build is not a background one
        assert seen[1] <= BUILD_SWITCH_INTERVAL < default
        deadline = time.monotonic() + WAIT  # the build thread restores it as it ends
        while sys.getswitchinterval() != default and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sys.getswitchinterval() == default
    finally:
        engine.close()


def test_a_failed_rebuild_keeps_answering_from_the_snapshot_in_use(tmp_path: Path, db_path: Path) -> None:
    calls = []

    def failing(rows: Any, annotate: Any, salt: str, path: Path | None) -> Any:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("training failed")
        return cached_matcher(rows, annotate, salt, path)

    engine = Engine.open(db_path, make_root(tmp_path), matcher_factory=failing)
    try:
        before = engine.generation
        KnowledgeService(connect(db_path), "cli:test").add_phrasing("cmf-study-hours", "en", QUESTION)
        assert engine.refresh() is False  # the build failed: nothing new in use
        assert engine.generation == before
        reply = engine.ask(STUDY_HOURS, "en")
        assert reply.status == "answer" and reply.intent == "cmf-study-hours"
        engine.ask(STUDY_HOURS, "en")
        assert len(calls) == 2  # questions do not retry the failed generation; an explicit refresh does
    finally:
        engine.close()


def test_refresh_without_a_change_is_false_and_keeps_the_snapshot(tmp_path: Path, db_path: Path) -> None:
    engine = Engine.open(db_path, make_root(tmp_path))
    try:
        snapshot = engine.snapshot
        assert engine.refresh() is False
        assert engine.ask(STUDY_HOURS, "en").status == "answer"
        assert engine.snapshot is snapshot
    finally:
        engine.close()


def test_the_router_answers_from_a_snapshot_without_a_database(tmp_path: Path, db_path: Path) -> None:
    root = make_root(tmp_path)
    snapshot = build_snapshot(load_knowledge(root))  # no database, no catalogue, matcher in memory
    assert snapshot.searcher is None
    reply = route(snapshot, STUDY_HOURS)
    assert (reply.status, reply.intent, reply.lang) == ("answer", "cmf-study-hours", "en")
    engine = Engine.open(db_path, root)
    try:
        assert engine.ask(STUDY_HOURS, "fr").answer == route(snapshot, STUDY_HOURS, "fr").answer
    finally:
        engine.close()
    router = Router(snapshot, Thresholds(answer=1.0, suggest=1.0))
    assert router.ask(STUDY_HOURS).status == "no_match"  # the thresholds are the caller's
    assert router.course_choices("html") == []  # no catalogue: no course
    assert router.search_courses("html", "en").items == []
    assert [s.intent for s in router.suggest_intents("hours", "en")][:1] == ["cmf-study-hours"]


def test_log_question_and_feedback_are_explicit_engine_calls(tmp_path: Path, db_path: Path) -> None:
    engine = Engine.open(db_path, make_root(tmp_path))  # no log_source: ask logs nothing
    try:
        reply = engine.ask(STUDY_HOURS, "en", user="42")
        assert reply.question_id is None
        assert engine.log_question(reply, 42) is None  # logging is off and no source is given
        assert engine.db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0
        qid = engine.log_question(reply, 42, source="discord", question="/ask hours")
        assert qid is not None and reply.question_id == qid
        sql = "SELECT question, status, intent, source, user_hash FROM questions"
        row = engine.db.execute(sql).fetchone()
        assert row[4] and row[4] != "42" and len(row[4]) > 8  # a salted hash (its hex may contain "42")
        assert engine.feedback(qid, "up", 42) is True
        assert engine.db.execute("SELECT question_id, kind FROM feedback").fetchall() == [(qid, "up")]
    finally:
        engine.close()


def test_a_cli_change_leaves_the_new_matcher_trained_for_the_readers(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from bot.engine.matcher import IntentMatcher

    root = make_root(tmp_path)
    Engine.open(db_path, root).close()
    argv = ["kb", "phrase", "add", "--db", str(db_path), "--lang", "en", "cmf-study-hours", QUESTION]
    assert main(argv) == 0, capsys.readouterr().err
    assert not Path(f"{db_path}.matcher.preparing").exists()  # the writer's marker is gone
    with monkeypatch.context() as m:  # an engine starting now finds the new matcher trained
        m.setattr(IntentMatcher, "build", classmethod(lambda cls, *a, **k: pytest.fail("trained again")))
        engine = Engine.open(db_path, root)
    try:
        reply = engine.ask(QUESTION, "en")
        assert reply.status == "answer" and reply.intent == "cmf-study-hours"
    finally:
        engine.close()


def test_a_background_rebuild_trains_the_matcher_in_a_child_process(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.engine.matcher import IntentMatcher

    engine = Engine.open(db_path, make_root(tmp_path))
    try:
        KnowledgeService(connect(db_path), "cli:test").add_phrasing("cmf-study-hours", "en", QUESTION)
        # the change was written without preparing the matcher: the rebuild must not train here
        monkeypatch.setattr(IntentMatcher, "build", classmethod(lambda cls, *a, **k: pytest.fail("here")))
        assert engine.refresh(timeout=WAIT) is True
        reply = engine.ask(QUESTION, "en")
        assert reply.status == "answer" and reply.intent == "cmf-study-hours"
    finally:
        engine.close()


def test_answering_from_a_cached_matcher_does_not_import_numpy(tmp_path: Path, db_path: Path) -> None:
    """numpy trains the matcher; `cmf-bot ask` over an existing database (matcher cached) and a
    matcher read back from its state answer without loading it (cold start, memory)."""
    root = make_root(tmp_path)
    Engine.open(db_path, root).close()  # trains the matcher into the cache
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        f"rc = main(['ask', '--db', {str(db_path)!r}, '--knowledge', {str(root)!r}, {STUDY_HOURS!r}])\n"
        "from bot.engine.matcher import IntentMatcher\n"
        "from bot.engine.snapshot import _read_cache, _stored_key, matcher_cache_path\n"
        f"path = matcher_cache_path({str(db_path)!r})\n"
        "IntentMatcher.from_state(_read_cache(path, _stored_key(path))).rank('hours')\n"
        "print('numpy loaded' if 'numpy' in sys.modules else 'no numpy', rc)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CMF_BOT_DB"}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=WAIT, check=False
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.strip().splitlines()
    assert out[-1] == "no numpy 0", done.stdout
    assert any("hour" in line.lower() for line in out[:-1])  # it did answer the question


def test_a_knowledge_base_past_the_size_limit_gets_the_sparse_matcher_and_keeps_it_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From `SPARSE_FROM_ROWS` training rows the engine trains the sparse matcher (the dense one does
    not fit in memory at 3× today's size); it answers like the dense one and is read back from the
    cache on the next open. Below the limit the same knowledge gets the dense matcher."""
    from bot.engine import snapshot
    from bot.engine.matcher import IntentMatcher
    from bot.engine.sparse_matcher import SparseIntentMatcher

    root, db_path = make_root(tmp_path), tmp_path / "db.sqlite3"
    question = "how many hours is a microcredential"
    monkeypatch.setattr(snapshot, "SPARSE_FROM_ROWS", 1)
    engine = Engine.open(db_path, root)
    try:
        assert isinstance(engine.matcher, SparseIntentMatcher)
        reply = engine.ask(question)
        assert (reply.status, reply.intent) == ("answer", "cmf-study-hours")
    finally:
        engine.close()

    def no_training(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the cached sparse matcher was trained again")

    monkeypatch.setattr(SparseIntentMatcher, "build", no_training)
    again = Engine.open(db_path, root)
    try:
        assert isinstance(again.matcher, SparseIntentMatcher)
        assert again.ask(question).intent == "cmf-study-hours"
    finally:
        again.close()

    monkeypatch.setattr(snapshot, "SPARSE_FROM_ROWS", 20_000)  # the default: kb_min is far below it
    dense = Engine.open(db_path, root)
    try:
        assert isinstance(dense.matcher, IntentMatcher)
        assert dense.ask(question).intent == "cmf-study-hours"
    finally:
        dense.close()


def test_the_matcher_cache_is_written_in_small_chunks_and_read_back_whole(tmp_path: Path) -> None:
    """One `marshal` blob is read while holding the GIL: large items (packed weights) get fewer a
    chunk, so no blob of the file is much over 64 KB, and the state reads back equal."""
    import struct

    from bot.engine import snapshot

    state = {
        "weights": [(7 << (64 * 90)) + i for i in range(3000)],  # ~720-byte ints, like 90 lanes
        "idf": [1.5] * 5000,
        "index": {f"gram{i}": i for i in range(5000)},
        "scale": 0.25,
    }
    path = tmp_path / "db.sqlite3.matcher"
    snapshot._write_cache(path, "k", state)
    data = path.read_bytes()
    offset, sizes = data.index(b"\n") + 1, []
    while offset < len(data):
        (size,) = struct.unpack_from("<Q", data, offset)
        sizes.append(size)
        offset += 8 + size
    assert len(sizes) > 30 and max(sizes) <= 2 * snapshot._CHUNK_BYTES
    assert snapshot._read_cache(path, "k") == state
    assert snapshot._read_cache(path, "other") is None
    path.write_bytes(data[: len(data) - 100])  # cut inside the last blob
    with pytest.raises(ValueError, match="truncated"):
        snapshot._read_cache(path, "k")


def test_the_snapshot_gives_the_sparse_trainer_the_concept_layers_annotator_of_normalised_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Training and warm-updating the sparse matcher, the snapshot passes the trainer the factory of
    the concept layer's annotators of normalised texts explicitly (so each text is normalised once);
    the matcher keeps only the concept annotator itself."""
    from bot.engine import snapshot, sparse_trainer
    from bot.engine.concepts import ConceptAnnotator, ConceptLayer
    from bot.engine.normalize import normalize
    from bot.engine.paths import PROJECT_ROOT
    from bot.engine.sparse_matcher import SparseIntentMatcher

    rows = snapshot.intent_rows(load_knowledge(make_root(tmp_path)))
    layer = ConceptLayer(load_knowledge(PROJECT_ROOT).vocabulary)  # (kb_min's names no concept)
    made: list[tuple[Any, ...]] = []
    real = sparse_trainer.Texts

    def recording(*args: Any) -> Any:
        made.append(args[4:])
        return real(*args)

    monkeypatch.setattr(sparse_trainer, "Texts", recording)
    monkeypatch.setattr(snapshot, "SPARSE_FROM_ROWS", 1)
    annotator, path = ConceptAnnotator(layer), tmp_path / "db.sqlite3.matcher"
    trained = cached_matcher(rows, annotator, layer.digest, path)
    intent, lang, _ = rows[0]
    added = [*rows, (intent, lang, "ECTS of it, a new phrasing")]
    warm = cached_matcher(added, annotator, layer.digest, path)
    assert isinstance(trained, SparseIntentMatcher) and isinstance(warm, SparseIntentMatcher)
    assert (snapshot.cache_info(path) or {}).get("warm") == 1  # the second one was a warm update
    assert len(made) == 2
    assert [given[0] for given in made] == [annotator, annotator]
    assert made[0][1] == made[1][1] == annotator.normalized  # (the factory: a new annotator each time)
    of_norm = made[0][1]()
    assert of_norm is not made[1][1]()
    texts = [text for _, _, text in rows]
    assert any(layer.features(text) for text in texts)
    assert [of_norm(normalize(text)) for text in texts] == [layer.features(text) for text in texts]
