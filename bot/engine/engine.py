"""The answer engine: the one object the console, the Discord bot, the benchmarks and the tests ask.

`Engine.open()` builds the SQLite database from the bundled knowledge on first use and builds the
first knowledge snapshot (`bot.engine.snapshot`: the typed knowledge base, strings, concept layer,
matcher, course-query reader, catalogue search, autocomplete index; the matcher read from its cache
beside the database when it is there). Every answer comes from the current snapshot through the
router (`bot.engine.router`, a pure function of a question and a snapshot).

Changes made elsewhere: before each call the engine compares the database's `generation` with its
snapshot's (one cheap query). When they differ it builds the next snapshot on a background thread
(its own connection to the database file) and swaps the reference when it is ready; questions keep
being answered from the old snapshot meanwhile, so no question waits for a rebuild. Training the
matcher takes seconds: a rebuild takes it from the cache beside the database, which the writer (the
`cmf-bot kb` CLI) prepares after its change, else trains it in a child process
(`snapshot.aside_matcher`). The first snapshot of a process is built before the first answer (from
the cache when it is there). `refresh()` starts the same build and waits for it (a moderator's own
change, so that their next question sees it).

Thread-safety: any method may be called from any thread. The engine's connection (course records,
the catalogue search; reads only) is used under a lock held only while a call reads it; a rebuild
never holds it except to read the generation (or, for an in-memory database that no other connection
can open, to read the knowledge base). The question log and feedback write on connections of their
own and never make an answer wait for another process's write lock (`logbook.QuestionLog`). While a
rebuild runs, the thread switch interval is `BUILD_SWITCH_INTERVAL`, so that the pure-Python build
gives the GIL back quickly to answers, which release it around every SQLite call.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.engine import logbook, paths
from bot.engine.answers import Answers, UiStrings
from bot.engine.compliance import FactError
from bot.engine.concepts import ConceptLayer
from bot.engine.matcher import MatcherBase
from bot.engine.model import KnowledgeBase, Reply, Suggestion
from bot.engine.router import (
    DEFAULT_ANSWER_THRESHOLD,
    DEFAULT_SUGGEST_THRESHOLD,
    MAX_QUESTION_CHARS,
    MAX_SUGGESTIONS,
    Router,
    Thresholds,
    resolve_thresholds,
)
from bot.engine.search import CourseSearch
from bot.engine.snapshot import (
    BUNDLED_UI_DIR,
    MatcherFactory,
    Snapshot,
    aside_matcher,
    build_snapshot,
    cached_matcher,
    matcher_cache_path,
)
from bot.engine.store import StoredCourses, ensure_database, generation, read_knowledge

log = logging.getLogger(__name__)

BUILD_SWITCH_INTERVAL = 0.0005
"""Seconds: the interpreter's thread switch interval (`sys.setswitchinterval`, default 0.005) while a
background rebuild runs. The rebuild is pure Python and keeps the GIL; an answer gives the GIL up
around every SQLite call (a course question makes 10–25) and each time waits up to one interval to get
it back, so with the default interval one answer waited 50–230 ms (`bench.rebuild`, docs/benchmarks.md)."""

_responsive_lock = threading.Lock()
_responsive_builds = 0
_interval_before = 0.0


@contextlib.contextmanager
def _responsive() -> Iterator[None]:
    """Lower the switch interval to `BUILD_SWITCH_INTERVAL` while at least one rebuild (of any engine of
    the process) runs; the previous interval comes back when the last one ends."""
    global _responsive_builds, _interval_before
    with _responsive_lock:
        if _responsive_builds == 0:
            _interval_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval_before, BUILD_SWITCH_INTERVAL))
        _responsive_builds += 1
    try:
        yield
    finally:
        with _responsive_lock:
            _responsive_builds -= 1
            if _responsive_builds == 0:
                sys.setswitchinterval(_interval_before)


def _freeze_long_lived() -> None:
    """Move the objects alive now (the installed snapshot, the modules) out of the garbage collector's
    reach (`gc.freeze`). A full collection traverses every tracked object while it holds the GIL: with a
    snapshot loaded that is ~50 ms (2-core machine), and the allocations of a rebuild trigger several,
    each of which stalls the answers of other threads (`bench.rebuild`: the slowest answers during a
    change overlapped them). Frozen objects are still freed by reference counting; a snapshot and a
    rebuild make no reference cycles (tests/test_engine.py), so nothing of theirs is kept for good. The
    young generations are collected first so that fresh cyclic garbage is not frozen."""
    gc.collect(1)
    gc.freeze()


class Engine:
    """Answers from the current knowledge snapshot; see the module docstring."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
        log_source: str | None = None,
        matcher_factory: MatcherFactory | None = None,
    ) -> None:
        """Use `Engine.open`; this wraps an already open database. `matcher_factory` replaces the
        cached matcher training (tests and benchmarks)."""
        self.db = db
        self.answer_threshold, self.suggest_threshold = resolve_thresholds(
            answer_threshold, suggest_threshold
        )
        self.log_source = log_source
        """"console", "discord"…: questions are logged under this source; None logs nothing."""
        self._db_lock = threading.RLock()
        self._builds = threading.Condition()
        self._builder: threading.Thread | None = None
        self._again = False
        self._failed: int | None = None
        self._closed = False
        self._matcher_factory = matcher_factory
        self.database_file: str | None = database_file(db)
        """The database file (None for an in-memory database)."""
        self._log = logbook.QuestionLog(db, self._db_lock, self.database_file)
        gen, kb = self._read_knowledge(own_connection=False)
        self._snapshot = self._build(gen, kb, matcher_factory or cached_matcher)
        _freeze_long_lived()

    @classmethod
    def open(
        cls,
        db_path: str | Path | None = None,
        knowledge_root: str | Path | None = None,
        *,
        log_source: str | None = None,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
        matcher_factory: MatcherFactory | None = None,
    ) -> Engine:
        """Open the database (building it from the bundled knowledge on first use).

        `log_source` ("console", "discord") turns the question log on; None (the default) keeps
        nothing. Thresholds default to `CMF_BOT_ANSWER_THRESHOLD` / `CMF_BOT_SUGGEST_THRESHOLD`,
        else the tuned defaults.
        """
        db = ensure_database(paths.database_path(db_path), paths.knowledge_root(knowledge_root))
        return cls(
            db,
            answer_threshold=answer_threshold,
            suggest_threshold=suggest_threshold,
            log_source=log_source,
            matcher_factory=matcher_factory,
        )

    # -- snapshots ------------------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        """The snapshot answers come from now (no generation check)."""
        return self._snapshot

    @property
    def generation(self) -> int:
        """The knowledge-base generation of the current snapshot."""
        return self._snapshot.generation

    @property
    def kb(self) -> KnowledgeBase:
        return self._snapshot.kb

    @property
    def strings(self) -> UiStrings:
        return self._snapshot.strings

    @property
    def matcher(self) -> MatcherBase | None:
        return self._snapshot.matcher

    @property
    def concepts(self) -> ConceptLayer:
        return self._snapshot.concepts

    @property
    def answers(self) -> Answers:
        return self._snapshot.answers

    def current(self) -> Snapshot:
        """The snapshot to answer from; starts building the next one when the database changed."""
        with self._db_lock:
            gen = generation(self.db)
        snap = self._snapshot
        if gen != snap.generation and gen != self._failed:
            self._start_build()
        return snap

    def refresh(self, wait: bool = True, timeout: float | None = None) -> bool:
        """Pick up a change of the knowledge base: start building the next snapshot and (`wait`) wait
        until it is in use. True when a new snapshot is in use. Questions asked meanwhile, from other
        threads, are answered from the old snapshot."""
        before = self._snapshot
        with self._db_lock:
            gen = generation(self.db)
        if gen == before.generation:
            return False
        self._start_build()
        if wait:
            with self._builds:
                self._builds.wait_for(
                    lambda: self._builder is None or self._snapshot.generation == gen, timeout
                )
        return self._snapshot is not before

    def _start_build(self) -> None:
        with self._builds:
            if self._closed:
                return
            if self._builder is not None:
                self._again = True  # the running build reads the generation once more when done
                return
            self._builder = threading.Thread(target=self._build_loop, name="cmf-snapshot", daemon=True)
            self._builder.start()

    def _build_loop(self) -> None:
        """Build snapshots until the installed one is the database's newest (background thread); the
        answers of other threads get the GIL back quickly meanwhile (`_responsive`)."""
        with _responsive():
            self._build_until_current()
        _freeze_long_lived()

    def _build_until_current(self) -> None:
        gen: int | None = None
        try:
            while True:
                gen, kb = self._read_knowledge(own_connection=True)
                if gen != self._snapshot.generation:
                    snap = self._build(gen, kb, self._matcher_factory or aside_matcher, self._snapshot)
                    with self._builds:
                        self._snapshot = snap  # the swap: one reference, read by every call
                        self._failed = None
                        self._builds.notify_all()
                with self._builds:
                    if not self._again or self._closed:
                        self._builder = None
                        self._builds.notify_all()
                        return
                    self._again = False
        except Exception:
            log.exception(
                "rebuilding the knowledge snapshot failed; still answering from generation %s",
                self._snapshot.generation,
            )
            with self._builds:
                self._failed = gen
                self._builder, self._again = None, False
                self._builds.notify_all()

    def _read_knowledge(self, *, own_connection: bool) -> tuple[int, KnowledgeBase]:
        """The generation and the knowledge base (no catalogue), read in one transaction."""
        if own_connection and self.database_file:
            conn = sqlite3.connect(self.database_file, timeout=10, isolation_level=None)
            try:
                return _read(sqlite_utils.Database(conn))
            finally:
                conn.close()
        with self._db_lock:
            return _read(self.db)

    def _build(
        self, gen: int, kb: KnowledgeBase, matcher_factory: MatcherFactory, previous: Snapshot | None = None
    ) -> Snapshot:
        kb.courses = StoredCourses(self.db)  # type: ignore[assignment]  # records read by id when used
        return build_snapshot(
            kb,
            generation=gen,
            searcher=CourseSearch(self.db),
            matcher_cache=matcher_cache_path(self.database_file),
            matcher_factory=matcher_factory,
            previous=previous,
        )

    def _router(self) -> Router:
        return Router(self.current(), Thresholds(self.answer_threshold, self.suggest_threshold))

    # -- questions ------------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        lang: str | None = None,
        *,
        user: str | int | None = None,
        log: bool = True,
        previous: str | None = None,
    ) -> Reply:
        """Answer a free-text question. `lang` forces the answer language (else detected). The
        question is logged when logging is on (`log_source`) unless `log=False` (a caller trying
        several wordings logs the one it keeps with `log_question`). `previous`: the asker's
        previous question in the same conversation, answered a moment ago (a short follow-up that
        nothing answers alone is read with its subject: `Router.ask`)."""
        router = self._router()
        with self._db_lock:
            reply = router.ask(question, lang, previous)
        if log and self.log_source:
            self.log_question(reply, user)
        return reply

    def detect_language(self, text: str) -> str:
        """The question's language: detected from its words, else the matched intents' phrasings."""
        return self._router().detect_language(text)

    def rank(self, question: str, limit: int = MAX_SUGGESTIONS) -> list[tuple[str, float]]:
        """The matcher's best intents for `question` with probabilities (for tuning and tests)."""
        return self._router().rank(question, limit)

    def intent_title(self, intent_id: str, lang: str) -> str:
        return self._snapshot.intent_title(intent_id, lang)

    def answer_intent(self, intent_id: str, lang: str, question: str = "") -> Reply:
        """The answer an intent leads to (for a picked suggestion or an autocomplete choice)."""
        router = self._router()
        with self._db_lock:
            return router.answer_intent(intent_id, lang, question)

    def suggest_intents(self, text: str, lang: str, limit: int = 25) -> list[Suggestion]:
        """Autocomplete: intents whose titles/phrasings best match what was typed (from memory)."""
        return self._router().suggest_intents(text, lang, limit)

    # -- courses, checklists, compliance --------------------------------------------------------

    def search_courses(
        self,
        query: str,
        lang: str,
        *,
        language: str | None = None,
        platform: str | None = None,
        type: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> Reply:
        """Course search; `reply.items` are the courses, ranked by relevance."""
        router = self._router()
        with self._db_lock:
            return router.search_courses(
                query, lang, language=language, platform=platform, type=type, limit=limit, offset=offset
            )

    def course_choices(self, text: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete for credentials: (course id, title) pairs, from index lookups in SQLite."""
        router = self._router()
        with self._db_lock:
            return router.course_choices(text, limit)

    def credential_profile(self, course_id: str, lang: str) -> Reply:
        """What a credential certifies, in terms of the EU standard elements."""
        router = self._router()
        with self._db_lock:
            return router.credential_profile(course_id, lang)

    def has_course(self, course_id: str) -> bool:
        """Whether the catalogue has `course_id` (read from SQLite)."""
        courses = self.current().kb.courses
        with self._db_lock:
            return course_id in courses

    def course_count(self) -> int:
        """The number of courses in the catalogue (read from SQLite)."""
        courses = self.current().kb.courses
        with self._db_lock:
            return len(courses)

    def checklist(self, audience: str | None, lang: str) -> Reply:
        """The CMF requirements as a checklist worded for learners, employers or universities."""
        return self._router().checklist(audience, lang)

    def check_compliance(self, facts: dict[str, Any], lang: str) -> Reply:
        """Each CMF requirement as met / not met / unknown for the given course facts.

        Raises ValueError (FactError) for an unknown fact or a malformed value.
        """
        return self._router().check_compliance(facts, lang)

    # -- strings, the question log and feedback -------------------------------------------------

    def string(self, key: str, lang: str, **values: Any) -> str:
        """A UI string from knowledge/ui/*.yaml in `lang`, with placeholders filled."""
        return Router(self._snapshot).string(key, lang, **values)

    def log_question(
        self,
        reply: Reply,
        user: str | int | None = None,
        *,
        source: str | None = None,
        question: str | None = None,
    ) -> int | None:
        """Log `reply` as an asked question under `source` (default: `log_source`; nothing is logged
        when both are None), the user only as a keyed hash; `question` replaces the text logged.
        Sets and returns `reply.question_id` (None when not logged or the log is busy)."""
        source = source or self.log_source
        if not source:
            return None
        logged = dataclasses.replace(reply, question=question) if question else reply
        with self._db_lock:
            user_hash = logbook.hash_user(self.db, user)
        qid = self._log.log(logged, source, user_hash)  # never waits for a writer (logbook.QuestionLog)
        reply.question_id = qid
        return qid

    def feedback(self, question_id: int, kind: str, user: str | int | None = None) -> bool:
        """Record 👍 (`up`), 👎 (`down`) or `not_what_i_asked` for a logged question (waiting at most
        `logbook.LOG_BUSY_MS` for a writer, on a connection answers do not use)."""
        with self._db_lock:
            user_hash = logbook.hash_user(self.db, user)
        return self._log.feedback(question_id, kind, user_hash)

    def close(self) -> None:
        """Write the queued question log rows (for at most `logbook.CLOSE_WAIT` s) and close the
        connections (a rebuild still running finishes on its own connection, unused)."""
        with self._builds:
            self._closed = True
        self._log.close()
        with self._db_lock, contextlib.suppress(Exception):  # closing twice: nothing to release
            self.db.conn.close()


def _read(db: sqlite_utils.Database) -> tuple[int, KnowledgeBase]:
    conn = db.conn
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        return generation(db), read_knowledge(db, courses=False)
    finally:
        if began:
            conn.execute("COMMIT")


def database_file(db: sqlite_utils.Database) -> str | None:
    """The main database's file (None for an in-memory database)."""
    with contextlib.suppress(sqlite3.Error, AttributeError):
        for _, name, file in db.conn.execute("PRAGMA database_list"):
            if name == "main" and file:
                return str(file)
    return None


__all__ = [
    "BUNDLED_UI_DIR",
    "DEFAULT_ANSWER_THRESHOLD",
    "DEFAULT_SUGGEST_THRESHOLD",
    "MAX_QUESTION_CHARS",
    "Engine",
    "FactError",
    "database_file",
    "resolve_thresholds",
]
