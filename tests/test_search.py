"""Course search: index built from the `courses` table, ranked and filtered queries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.engine.search import CourseSearch, rebuild_index
from bot.engine.store import connect

# Titles, platforms, languages and subjects from shared/data/catalogue-sample.yaml; ECTS and EQF
# values are test data only.
COURSES: list[dict[str, Any]] = [
    {"id": "mx-estadistica", "title": "Estadística para investigadores: Todo lo que siempre quiso saber",
     "platform": "MiríadaX", "type": "MOOC", "languages": ["es"],
     "subjects": ["statistics", "research methods", "data analysis"],
     "institution": "Universidad de Cantabria"},
    {"id": "fun-python", "title": "Python : des fondamentaux à l'utilisation du langage",
     "platform": "FUN MOOC", "type": "MOOC", "languages": ["fr"],
     "subjects": ["Python", "programming", "Jupyter notebooks"], "institution": "Inria", "ects": 2},
    {"id": "eduopen-python", "title": "Introduzione alla programmazione con Python",
     "platform": "EduOpen", "type": "MOOC", "languages": ["it"],
     "subjects": ["Python", "programming", "computing"]},
    {"id": "fl-cyber", "title": "Cyber security (OU microcredential, code TZFM862)",
     "platform": "FutureLearn", "type": "microcredential", "languages": [],
     "subjects": ["cyber security", "information security", "IT"],
     "institution": "The Open University", "ects": 10, "eqf_level": 7},
    {"id": "fl-fintech", "title": "FinTech: Financial Innovation", "platform": "FutureLearn",
     "type": "microcredential", "languages": ["en"],
     "subjects": ["fintech", "financial innovation", "finance"],
     "institution": "Dublin City University", "ects": 5, "eqf_level": 6},
    {"id": "fl-weka", "title": "Data Mining with Weka", "platform": "FutureLearn", "type": "short course",
     "languages": ["en"], "subjects": ["data mining", "machine learning", "Weka", "data science"]},
    {"id": "imoox-lernen", "title": "Lernen im Netz", "platform": "iMooX", "type": "MOOC",
     "languages": ["de"], "subjects": ["online learning", "e-learning", "digital media"]},
    {"id": "fun-epidemio", "title": "Concepts et méthodes en épidémiologie", "platform": "FUN MOOC",
     "type": "MOOC", "languages": ["fr", "en"],
     "subjects": ["epidemiology", "public health", "statistics"]},
    {"id": "ou-networks", "title": "Computer Networks", "platform": "OpenupEd (partner: UNINETTUNO)",
     "type": "MOOC", "languages": ["en", "it"],
     "subjects": ["computer networks", "internet", "computer science"]},
]  # fmt: skip


def insert_courses(db: sqlite_utils.Database, courses: list[dict[str, Any]]) -> None:
    """Write `courses` rows as the loader does (data = the record's JSON)."""
    with db.conn:  # one transaction
        db.conn.execute("BEGIN")
        _insert(db, courses)


def _insert(db: sqlite_utils.Database, courses: list[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO courses (id, file, position, data, title, platform, type, languages) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (c["id"], "knowledge/catalogue/test.yaml", i, json.dumps(c), c["title"], c["platform"], c["type"],
             json.dumps(c["languages"]))
            for i, c in enumerate(courses)
        ],
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    database = connect(tmp_path / "kb.db")
    insert_courses(database, COURSES)
    rebuild_index(database)
    return database


@pytest.fixture
def search(db: sqlite_utils.Database) -> CourseSearch:
    return CourseSearch(db)


def test_misspelt_title_comes_first(search: CourseSearch) -> None:
    assert search.search("Data Minning wiht Weka").ids[0] == "fl-weka"
    assert search.search("Introduzione alla programazione con Pyton").ids[0] == "eduopen-python"


def test_title_typed_with_glued_words_is_found_by_characters(search: CourseSearch) -> None:
    # no word of the query is in the index: only the character-trigram title match can find it
    assert search.search("DataMining withWeka").ids == ["fl-weka"]


def test_keyword_query_finds_by_subject_and_title_words(search: CourseSearch) -> None:
    assert search.search("financial innovation").ids[0] == "fl-fintech"
    assert search.search("weka mining").ids == ["fl-weka"]
    assert set(search.search("python").ids) == {"fun-python", "eduopen-python"}


def test_misspelt_keyword_is_corrected(search: CourseSearch) -> None:
    assert search.search("epidemiologyy").ids[0] == "fun-epidemio"


def test_a_word_sharing_only_an_ending_is_no_typo(db: sqlite_utils.Database) -> None:
    """Trial 187: "photographie" (80 % like "cryptographie") listed a cryptography course; a word
    with another first letter must be closer to count as a typo of it, as "apidemiology" is."""
    insert_courses(db, [{"id": "fun-crypto", "title": "Arithmétique : en route pour la cryptographie",
                         "platform": "FUN MOOC", "type": "MOOC", "languages": ["fr"],
                         "subjects": ["cryptographie", "arithmétique"]}])  # fmt: skip
    rebuild_index(db)
    search = CourseSearch(db)
    assert search.search("cryptographie").ids == ["fun-crypto"]
    assert search.search("photographie").ids == []
    assert search.search("cryptografie").ids == ["fun-crypto"]
    assert search.search("apidemiology").ids == ["fun-epidemio"]


def test_accents_and_case_do_not_matter(search: CourseSearch) -> None:
    assert search.search("ESTADISTICA investigadores").ids[0] == "mx-estadistica"
    assert search.search("epidémiologie").ids[0] == "fun-epidemio"
    assert search.search("epidemiologie").ids[0] == "fun-epidemio"


def test_stemming_matches_word_forms(search: CourseSearch) -> None:
    assert "fl-weka" in search.search("machine learning").ids
    assert "ou-networks" in search.search("network").ids


def test_unrelated_text_finds_nothing(search: CourseSearch) -> None:
    result = search.search("underwater basket weaving")
    assert result.hits == []
    assert result.total == 0


def test_language_filter(search: CourseSearch) -> None:
    assert search.search("python", language="it").ids == ["eduopen-python"]
    assert search.search("statistics", language="fr").ids == ["fun-epidemio"]
    assert search.search("statistics", language="de").ids == []


def test_a_language_filter_may_name_alternatives(search: CourseSearch) -> None:
    """ "python in Italian or French": a course in any of the languages, with words (FTS5 facets) or
    without (SQL)."""
    assert set(search.search("python", language=("it", "fr")).ids) == {"eduopen-python", "fun-python"}
    assert search.search("python", language=["it"]).ids == ["eduopen-python"]
    assert set(search.search("", language=("it", "fr")).ids) == set(
        search.search("", language="it").ids
    ) | set(search.search("", language="fr").ids)
    assert search.search("statistics", language=("de", "fr")).ids == ["fun-epidemio"]


def test_platform_filter_matches_platform_name_prefix(search: CourseSearch) -> None:
    assert search.search("python", platform="FUN").ids == ["fun-python"]
    assert search.search("", platform="openuped").ids == ["ou-networks"]
    assert search.search("", platform="miriadax").ids == ["mx-estadistica"]


def test_type_and_credit_filters(search: CourseSearch) -> None:
    assert set(search.search("", type="microcredential").ids) == {"fl-cyber", "fl-fintech"}
    assert search.search("", type="microcredential", min_ects=6).ids == ["fl-cyber"]
    assert set(search.search("", max_ects=5).ids) == {"fun-python", "fl-fintech"}
    assert search.search("", eqf_level=6).ids == ["fl-fintech"]
    assert search.search("security", type="short course").ids == []


def test_empty_text_lists_filtered_courses_by_title(search: CourseSearch) -> None:
    result = search.search("", platform="FutureLearn")
    assert result.ids == ["fl-cyber", "fl-weka", "fl-fintech"]
    assert result.total == 3


def test_pagination(search: CourseSearch) -> None:
    everything = search.search("", limit=100)
    assert everything.total == len(COURSES)
    page1 = search.search("", limit=4)
    page2 = search.search("", limit=4, offset=4)
    page3 = search.search("", limit=4, offset=8)
    assert page1.ids + page2.ids + page3.ids == everything.ids
    assert len(page3.ids) == 1
    ranked = search.search("python programming", limit=1)
    assert ranked.total == 2
    second = search.search("python programming", limit=1, offset=1)
    assert {ranked.ids[0], second.ids[0]} == {"fun-python", "eduopen-python"}


def test_ranking_is_deterministic_and_scores_are_sorted(search: CourseSearch) -> None:
    first = search.search("python")
    assert first.hits == search.search("python").hits
    scores = [score for _, score in first.hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < score <= 1.0 for score in scores)


def test_alternative_groups(search: CourseSearch) -> None:
    hits = search.search("estadística", any_of=[["statistics", "estadistica", "statistique"]]).ids
    assert set(hits) == {"mx-estadistica", "fun-epidemio"}


def test_bad_paging_arguments_are_rejected(search: CourseSearch) -> None:
    with pytest.raises(ValueError):
        search.search("python", limit=-1)


def test_rebuild_after_a_course_changes(db: sqlite_utils.Database, search: CourseSearch) -> None:
    changed = dict(COURSES[5], title="Practical Data Mining with R", subjects=["data mining", "R"])
    insert_courses(db, [changed])
    db.conn.execute("DELETE FROM courses WHERE id = 'imoox-lernen'")
    rebuild_index(db)
    assert search.search("weka").ids == []
    assert search.search("Practical Data Minning with R").ids[0] == "fl-weka"
    assert search.search("", platform="iMooX").ids == []


def test_rebuild_joins_the_callers_transaction(db: sqlite_utils.Database, search: CourseSearch) -> None:
    db.conn.execute("BEGIN")
    db.conn.execute("DELETE FROM courses")
    rebuild_index(db)
    assert search.search("", limit=100).total == 0
    db.conn.execute("ROLLBACK")
    assert search.search("", limit=100).total == len(COURSES)


def test_autocomplete_title_prefix_then_word_prefix_then_misspelt(search: CourseSearch) -> None:
    assert search.complete("data min", 5)[0] == ("fl-weka", "Data Mining with Weka")
    assert [cid for cid, _ in search.complete("python", 5)] == ["fun-python", "eduopen-python"]
    assert search.complete("introduzione progr", 5)[0][0] == "eduopen-python"  # word prefix, not title start
    assert search.complete("Computr Netwroks", 5)[0][0] == "ou-networks"  # misspelt: the full search
    assert len(search.complete("", 3)) == 3
    assert search.complete("underwater basket weaving", 5) == []


def test_broad_query_over_the_bm25_budget_keeps_every_match_and_title_matches_first(
    search: CourseSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = search.search("statistics")
    monkeypatch.setattr("bot.engine.search.BM25_MAX_WORK", 1)
    cheap = search.search("statistics")
    assert set(cheap.ids) == set(full.ids) == {"mx-estadistica", "fun-epidemio"}
    assert cheap.total == full.total == 2
    python = search.search("python", language="fr")  # the language filter still applies
    assert python.ids == ["fun-python"]


def test_a_typo_that_makes_another_word_still_finds_the_title(search: CourseSearch) -> None:
    # every word is indexed ("de": Universidad de Cantabria) but no course has them all: the title
    # search finds the strongly similar title, an exact match, not a partial one
    result = search.search("Concepts et méthodes de épidémiologie")
    assert result.ids[0] == "fun-epidemio" and result.exact
    partial = search.search("epidemiology python")  # no similar title: a partial match, as before
    assert not partial.exact


def test_common_words_must_match_but_are_not_scored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = [
        {"id": "x-dataviz", "title": "Data Visualisation", "platform": "FutureLearn", "type": "MOOC",
         "languages": ["en"], "subjects": ["data", "visualisation"]},
        {"id": "x-viz", "title": "Visualisation for Designers", "platform": "FUN MOOC", "type": "MOOC",
         "languages": ["fr"], "subjects": ["visualisation", "design"]},
    ]  # fmt: skip
    db = connect(tmp_path / "kb.db")
    insert_courses(db, COURSES + extra)
    rebuild_index(db)
    search = CourseSearch(db)
    # "data" is in 3 courses, "visualisation" in 2, "mining" in 1: with a budget of 2, "data" is
    # matched (AND) but left out of bm25, and the matches stay those of the full query
    queries = [("data visualisation", None), ("data mining", None), ("data networks", None),
               ("data visualisation", "en"), ("data visualisation", "fr")]  # fmt: skip
    full = [search.search(text, language=lang) for text, lang in queries]
    monkeypatch.setattr("bot.engine.search.BM25_COMMON_DF", 2)
    cheap = [search.search(text, language=lang) for text, lang in queries]
    assert [(r.ids, r.total, r.exact) for r in cheap] == [(r.ids, r.total, r.exact) for r in full]
    assert cheap[0].ids == cheap[3].ids == ["x-dataviz"] and "x-dataviz" not in cheap[4].ids
    assert cheap[1].ids == ["fl-weka"] and not cheap[2].exact
    # every word common: no bm25 at all, the matches still come
    monkeypatch.setattr("bot.engine.search.BM25_COMMON_DF", 0)
    assert search.search("data visualisation").ids == ["x-dataviz"]
    assert set(search.search("python programming").ids) == {"eduopen-python", "fun-python"}


def test_filters_combine_inside_the_word_search(search: CourseSearch) -> None:
    assert search.search("statistics", language="en", platform="FUN").ids == ["fun-epidemio"]
    assert search.search("statistics", language="en", platform="MiriadaX").ids == []
    assert search.search("security", type="microcredential", platform="FutureLearn").ids == ["fl-cyber"]
    assert search.search("networks", platform="OpenupEd").ids == ["ou-networks"]


def test_engine_reads_course_records_from_sqlite_by_id(tmp_path: Path) -> None:
    from bot.engine.engine import Engine
    from bot.engine.store import StoredCourses

    root = Path(__file__).resolve().parent / "fixtures" / "kb_min"
    engine = Engine.open(tmp_path / "db.sqlite3", root)
    try:
        courses = engine.kb.courses
        assert isinstance(courses, StoredCourses)  # nothing per course held in memory
        assert len(courses) == 2 and "mx-upm-html5-webapps" in courses and "nope" not in courses
        assert [
            c.id
            for c in courses.many(["mx-upm-html5-webapps", "nope", "fl-ou-online-teaching-adult-learners"])
        ] == [
            "mx-upm-html5-webapps",
            "fl-ou-online-teaching-adult-learners",
        ]
        assert engine.course_choices("html", 5)[0][0] == "mx-upm-html5-webapps"
        assert engine.credential_profile("mx-upm-html5-webapps", "en").status == "answer"
    finally:
        engine.close()


def test_withdrawn_courses_rank_after_current_ones(tmp_path: Path) -> None:
    """A course a synced source stopped listing stays findable, after every current course."""
    database = connect(tmp_path / "kb.db")
    courses = [dict(c) for c in COURSES]
    courses[1]["withdrawn"] = "2026-11-30"  # fun-python, the best match for "python" below
    insert_courses(database, courses)
    rebuild_index(database)
    search = CourseSearch(database)
    assert search.search("python fondamentaux").ids[-1] == "fun-python"
    assert search.search("python").ids == ["eduopen-python", "fun-python"]
    listed = search.search("", limit=20).ids
    assert listed[-1] == "fun-python" and len(listed) == len(COURSES)
    assert search.search("", platform="FUN MOOC").ids == ["fun-epidemio", "fun-python"]


def test_institution_filter_keeps_the_courses_of_that_institution(search: CourseSearch) -> None:
    assert search.search("", institution="cantabria").ids == ["mx-estadistica"]
    assert search.search("", institution="Open University").ids == ["fl-cyber"]
    assert search.search("statistics", institution="cantabria").ids == ["mx-estadistica"]
    assert search.search("statistics", institution="inria").ids == []
    assert search.search("", institution="leeds").total == 0


def test_a_match_on_part_of_the_words_is_not_exact(search: CourseSearch) -> None:
    assert search.search("statistics").exact
    assert search.search("statistcs").exact  # a corrected typo still matches every word
    partial = search.search("statistics quantum")  # "quantum" is in no course: dropped
    assert partial.ids and not partial.exact
    assert search.search("Estadistica para investigadores todo lo que quiso saber").exact


@pytest.mark.parametrize(
    ("question", "shown", "internal"),
    [
        (
            "cursos de la Universidad Politécnica de Madrid",
            "Universidad Politécnica de Madrid",
            "(politecnica madrid)",
        ),
        ("courses from the Open University", "Open University", "(open)"),
    ],
)
def test_an_institution_filter_is_shown_as_typed_not_as_its_match_words(
    tmp_path: Path, question: str, shown: str, internal: str
) -> None:
    """The reply names the institution as the user wrote it; the search still matches by its words."""
    from bot.engine.engine import Engine

    root = tmp_path / "kb"
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "kb_min", root)
    vocabulary = root / "knowledge" / "vocabulary.yaml"
    words = "  institution_words:\n    en: [university]\n    es: [universidad]\n"
    vocabulary.write_text(vocabulary.read_text("utf-8") + "\n" + words, "utf-8")
    engine = Engine.open(tmp_path / "db.sqlite3", root)
    try:
        reply = engine.ask(question)
        assert reply.kind == "courses" and len(reply.items) == 1, reply.title
        assert shown in reply.title and internal not in reply.title
    finally:
        engine.close()
    from bot.engine.course_query import Institution

    name = Institution("politecnica madrid", "Universidad Politécnica de Madrid")
    search = CourseSearch(connect(tmp_path / "db.sqlite3"))
    assert search.search("", institution=name).ids == ["mx-upm-html5-webapps"]
