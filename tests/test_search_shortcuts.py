"""The search's shortcuts give the results of the long way round (one query per word, every "all
words but one" query asked of FTS5), with fewer SQL statements."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from test_search import COURSES
from test_search import db as db  # the fixture: test_search's courses, indexed

from bot.engine import search as search_module
from bot.engine.normalize import normalize
from bot.engine.search import CourseSearch
from bot.engine.store import connect


def _titles_one_query_a_word(db: sqlite_utils.Database, text: str, limit: int = 5) -> list[str]:
    """`titles_within` as it was written first: one index range query per word (the next word's
    first `TITLE_NEXT_CHARS` letters)."""
    words = normalize(text).split()
    found: list[str] = []
    sql = (
        "SELECT course_id FROM course_index WHERE (title_norm >= ? AND title_norm < ?) "
        "OR title_norm = ? ORDER BY title_norm, rowid LIMIT ?"
    )
    for n, word in enumerate(words):
        pair = (
            f"{word} {words[n + 1][: search_module.TITLE_NEXT_CHARS]}" if n + 1 < len(words) else word + " "
        )
        for (course_id,) in db.conn.execute(sql, [pair, pair + "\U0010ffff", word, limit]):
            if course_id not in found:
                found.append(course_id)
    return found


def _texts(seed: int, n: int) -> list[str]:
    """Texts mixing title words, subjects, function words and words of no course, in random order."""
    rng = random.Random(seed)
    pool = sorted({w for c in COURSES for w in normalize(c["title"] + " " + " ".join(c["subjects"])).split()})
    pool += ["the", "de", "for", "quantum", "zebra", "statistcs", "pyhton", "netwroks", "credential"]
    texts = []
    for _ in range(n):
        words = rng.sample(pool, rng.randint(1, 9))
        if rng.random() < 0.5:  # a title's opening, as a question names it
            title = normalize(rng.choice(COURSES)["title"]).split()
            at = rng.randint(0, len(words))
            words[at:at] = title[: rng.randint(1, len(title))]
        texts.append(" ".join(words))
    return texts


@pytest.mark.parametrize("per_statement", [100, 2])
def test_titles_within_one_statement_finds_what_one_query_a_word_finds(
    db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch, per_statement: int
) -> None:
    monkeypatch.setattr(search_module, "TITLE_WORDS", per_statement)
    search = CourseSearch(db)
    named = "what does the credential for Introduzione alla programmazione con Python certify"
    texts = [*_texts(1, 200), named]
    found = 0
    for text in texts:
        for limit in (1, 5):
            expected = _titles_one_query_a_word(db, text, limit)
            assert search.titles_within(text, limit) == expected, text
            found += bool(expected)
    assert found > 50
    assert search.titles_within("") == []


def _search(db: sqlite_utils.Database, text: str, filters: dict[str, Any]) -> tuple[Any, int]:
    """A search's result and how many SQL statements it made."""
    seen: list[str] = []
    db.conn.set_trace_callback(lambda sql: seen.append(sql) if not sql.startswith("--") else None)
    try:
        return CourseSearch(db).search(text, limit=10, **filters), len(seen)
    finally:
        db.conn.set_trace_callback(None)


def test_all_words_but_one_skips_only_queries_that_find_nothing(
    db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the courses of each word listed, an "all words but one" query whose words share no course
    is not asked; GROUP_DOCS = 0 lists none, so every such query goes to FTS5 as before."""
    filters: list[dict[str, Any]] = [{}, {"language": "en"}, {"platform": "FutureLearn"}, {"min_ects": 3}]
    saved = partial = 0
    for n, text in enumerate(_texts(2, 300)):
        kwargs = filters[n % len(filters)]
        short, fewer = _search(db, text, kwargs)
        monkeypatch.setattr(search_module, "GROUP_DOCS", 0)
        long, more = _search(db, text, kwargs)
        monkeypatch.undo()
        assert (short.hits, short.total, short.exact) == (long.hits, long.total, long.exact), (text, kwargs)
        saved += more - fewer
        partial += not long.exact and bool(long.hits)
    assert partial > 20, partial  # the partial matches were exercised
    assert saved > 100, saved  # and the shortcut spared FTS5 queries


def test_word_corrections_are_kept_between_searches_and_bounded(
    db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misspelt word corrected once is not looked up again (fewer statements, same result); at most
    `EXPANSIONS_KEPT` corrections are kept, the oldest dropped first."""
    monkeypatch.setattr(search_module, "EXPANSIONS_KEPT", 2)
    search = CourseSearch(db)

    def run(text: str) -> tuple[Any, int]:
        seen: list[str] = []
        db.conn.set_trace_callback(lambda sql: seen.append(sql) if not sql.startswith("--") else None)
        try:
            return search.search(text, limit=10), len(seen)
        finally:
            db.conn.set_trace_callback(None)

    first, looked_up = run("statistcs")
    again, kept = run("statistcs")
    assert first.ids and "mx-estadistica" in first.ids
    assert (again.hits, again.total, again.exact) == (first.hits, first.total, first.exact)
    assert kept == looked_up - 2  # the two index reads of the correction
    run("pyhton")
    run("netwroks")  # a third correction: "statistcs" is dropped
    dropped, count = run("statistcs")
    assert count == looked_up and dropped.hits == first.hits
    assert search.search("pyhton").ids == CourseSearch(db).search("pyhton").ids


def test_a_catalogue_change_is_searched_with_fresh_word_corrections(db_path: Path) -> None:
    """Kept corrections belong to one knowledge snapshot: after a moderator adds a course, a misspelt
    word its title brings into the catalogue is corrected to it on the next question."""
    from bot.engine.engine import Engine
    from bot.moderation.service import KnowledgeService

    engine = Engine.open(db_path)
    try:
        assert engine.search_courses("quantm", "en").items == []  # no "quantum" yet: nothing to correct to
        service = KnowledgeService(connect(db_path), "cli:test")
        service.add_course(
            {
                "id": "fun-quantum",
                "title": "Quantum basics",
                "platform": "FUN",
                "type": "MOOC",
                "languages": ["fr"],
                "subjects": ["quantum physics"],
                "course_url": "https://www.fun-mooc.fr/fr/cours/quantum/",
                "source_urls": ["https://www.fun-mooc.fr/fr/cours/quantum/"],
            }
        )
        assert engine.refresh()
        found = engine.search_courses("quantm", "en").items
        assert [item.ref for item in found] == ["fun-quantum"]
    finally:
        engine.close()


def test_the_courses_of_many_words_listed_in_several_statements_are_the_same(
    db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The courses of each word are read in one statement for up to TITLE_WORDS words: split into
    statements of two words, every search gives the same result."""
    texts = _texts(3, 200)
    whole = [CourseSearch(db).search(text, limit=10) for text in texts]
    monkeypatch.setattr(search_module, "TITLE_WORDS", 2)
    split = [CourseSearch(db).search(text, limit=10) for text in texts]
    assert [(r.hits, r.total, r.exact) for r in split] == [(r.hits, r.total, r.exact) for r in whole]
    assert sum(1 for r in whole if r.hits and not r.exact) > 10


def test_a_misspelt_word_after_the_first_still_finds_the_title(db: sqlite_utils.Database) -> None:
    search = CourseSearch(db)
    title = next(c["title"] for c in COURSES if len(normalize(c["title"]).split()) >= 3)
    first, second, *_ = normalize(title).split()
    misspelt = second[: search_module.TITLE_NEXT_CHARS] + "qq"
    assert any(
        normalize(next(c["title"] for c in COURSES if c["id"] == cid)) == normalize(title)
        for cid in search.titles_within(f"is {first} {misspelt} free?")
    )
