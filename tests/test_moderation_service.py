"""The moderation service layer (bot/moderation/service.py) on the small fixture knowledge base."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from kb_state import knowledge_state

from bot.engine.engine import Engine
from bot.engine.loader import load_knowledge, parse_text
from bot.engine.logbook import log_question, record_feedback
from bot.engine.model import Reply
from bot.engine.store import connect, generation, read_knowledge, replace_knowledge
from bot.moderation.service import (
    ConflictError,
    InvalidError,
    KnowledgeService,
    NotFoundError,
    ServiceError,
)

ROOT = Path(__file__).resolve().parents[1]
AUTHOR = "cli:tester"


@pytest.fixture
def service(db_path: Path) -> KnowledgeService:
    return KnowledgeService(connect(db_path), AUTHOR)


def state(service: KnowledgeService) -> str:
    return knowledge_state(service.db)


def new_entry(entry_id: str = "moderated-note") -> dict[str, Any]:
    langs = ("en", "fr", "es", "it", "de")
    return {
        "id": entry_id,
        "kind": "answer",
        "audiences": ["learner"],
        "title": {lang: f"Moderated note title ({lang})" for lang in langs},
        "answer": {lang: f"A short answer written by a moderator ({lang})." for lang in langs},
        "sources": ["https://www.futurelearn.com/info/the-common-microcredential-framework"],
        "checked": "2026-11-28",
    }


# -- show -------------------------------------------------------------------------------------


def test_show_gives_the_yaml_source_of_the_object(service: KnowledgeService) -> None:
    text = service.show("cmf-what-is")
    assert text.startswith("# knowledge/cmf.yaml (entry cmf-what-is, version 1")
    kind, body, _, errors = parse_text("x.yaml", text)
    assert not errors and kind == "entries"
    assert body == [service.get("cmf-what-is").data]


def test_show_lists_both_objects_sharing_an_id_and_get_refuses_the_ambiguity(
    service: KnowledgeService,
) -> None:
    text = service.show("cmf-study-hours")
    assert "(entry cmf-study-hours" in text and "(intent cmf-study-hours" in text
    with pytest.raises(ServiceError, match="more than one object"):
        service.get("cmf-study-hours")
    with pytest.raises(NotFoundError, match="no entry, intent or course"):
        service.show("no-such-thing")


# -- edit and conflicts -----------------------------------------------------------------------


def test_edit_entry_writes_a_revision_bumps_version_and_generation(service: KnowledgeService) -> None:
    before = service.get("cmf-what-is")
    gen = generation(service.db)
    change = service.edit_entry(
        "cmf-what-is", "fr", title="C'est quoi le CMF ?", expected_version=before.version
    )
    after = service.get("cmf-what-is")
    assert after.data["title"]["fr"] == "C'est quoi le CMF ?"
    assert after.data["title"]["en"] == before.data["title"]["en"]
    assert after.version == before.version + 1 and after.updated_by == AUTHOR
    assert change.generation == generation(service.db) == gen + 1
    (rev,) = service.history("cmf-what-is")
    assert rev.author == AUTHOR and rev.action == "update"
    assert rev.before == before.data and rev.after == after.data


def test_second_save_from_an_old_version_is_refused_with_the_newer_text(service: KnowledgeService) -> None:
    start = service.get("cmf-what-is").version
    other = KnowledgeService(service.db, "discord:42")
    other.edit_entry(
        "cmf-what-is", "en", answer="The newer answer from moderator 42.", expected_version=start
    )
    snapshot = state(service)
    with pytest.raises(ConflictError) as caught:
        service.edit_entry("cmf-what-is", "en", answer="My older edit.", expected_version=start)
    assert caught.value.current.updated_by == "discord:42"
    assert caught.value.current.data["answer"]["en"] == "The newer answer from moderator 42."
    assert "The newer answer from moderator 42." in str(caught.value) and "discord:42" in str(caught.value)
    assert state(service) == snapshot


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lang": "fr", "answer": "   "}, "empty answer"),
        ({"lang": "xx", "answer": "text"}, "Unknown language"),
        ({"lang": "en"}, "Nothing to change"),
    ],
)
def test_a_refused_edit_says_why_and_changes_nothing(
    service: KnowledgeService, kwargs: dict[str, Any], message: str
) -> None:
    snapshot = state(service)
    with pytest.raises(ServiceError, match=message):
        service.edit_entry("cmf-what-is", expected_version=None, **kwargs)
    assert state(service) == snapshot


def test_edit_course_validates_with_the_catalogue_schema(service: KnowledgeService) -> None:
    course = service.get("mx-upm-html5-webapps")
    service.edit_course("mx-upm-html5-webapps", {"ects": 4, "eqf_level": 6}, expected_version=course.version)
    assert service.get("mx-upm-html5-webapps").data["eqf_level"] == 6
    snapshot = state(service)
    with pytest.raises(InvalidError, match=r'course "mx-upm-html5-webapps"\.eqf_level'):
        service.edit_course("mx-upm-html5-webapps", {"eqf_level": 12}, expected_version=None)
    assert state(service) == snapshot


def test_an_entry_edit_keeps_the_rules_linking_it_to_intents(service: KnowledgeService) -> None:
    """Checked on the objects (no file round trip): a title equal to a phrasing, a checklist entry
    turned into an answer while a checklist intent leads to it, a third-party URL not in the sources."""
    snapshot = state(service)
    with pytest.raises(InvalidError, match=r'intent "cmf-study-hours"\.phrasings\.en\[0\]: copies the title'):
        service.edit_entry(
            "cmf-what-is", "en", title="How many hours is a microcredential?", expected_version=None
        )
    checklist = service.get("cmf-requirements", "entry").data
    with pytest.raises(InvalidError, match="a checklist intent needs a checklist entry") as caught:
        service.replace("entry", "cmf-requirements", {**checklist, "kind": "answer"}, expected_version=None)
    assert any(
        e.startswith('intents.yaml: intent "cmf-requirements".leads_to.entry') for e in caught.value.errors
    )
    entry = service.get("cmf-what-is").data
    with pytest.raises(
        InvalidError, match=r'entry "cmf-what-is"\.third_party\[0\]: "https://example\.org/x"'
    ):
        service.replace(
            "entry", "cmf-what-is", {**entry, "third_party": ["https://example.org/x"]}, expected_version=None
        )
    assert state(service) == snapshot


def test_an_intent_is_checked_against_the_stored_entries_and_phrasings(service: KnowledgeService) -> None:
    snapshot = state(service)
    intent = service.get("cmf-study-hours", "intent").data
    moved = {**intent, "leads_to": {"type": "entry", "entry": "no-such-entry"}}
    with pytest.raises(InvalidError, match=r'leads_to\.entry: unknown entry "no-such-entry"'):
        service.replace("intent", "cmf-study-hours", moved, expected_version=None)
    copy_of_other = json.loads(json.dumps(intent))
    copy_of_other["phrasings"]["en"].append("what are the CMF requirements?")
    clash = r'duplicate phrasing "what are the cmf requirements" \(also in intent "cmf-study-hours"'
    with pytest.raises(InvalidError, match=clash):
        service.replace("intent", "cmf-study-hours", copy_of_other, expected_version=None)
    with pytest.raises(InvalidError, match=r'phrasings\.fr\[\d+\]: copies the title of entry "cmf-what-is"'):
        service.add_phrasing("cmf-study-hours", "fr", service.get("cmf-what-is").data["title"]["fr"])
    twice = "intents:\n" + "".join(
        f"  - id: twin\n    audiences: [learner]\n    leads_to: {{type: entry, entry: cmf-what-is}}\n"
        f"    phrasings: {{en: [twin question {n}], fr: [q{n}], es: [q{n}], it: [q{n}], de: [q{n}]}}\n"
        for n in (1, 2)
    )
    with pytest.raises(InvalidError, match='duplicate id "twin"'):
        service.add_yaml(twice)
    assert state(service) == snapshot


def _index_state(service: KnowledgeService) -> dict[str, Any]:
    """Everything a course search reads that can be listed, and the answers to a few searches."""
    from bot.engine.search import CourseSearch

    conn = service.db.conn
    tables = {
        "index": "SELECT * FROM course_index ORDER BY rowid",
        "langs": "SELECT * FROM course_index_langs ORDER BY lang, doc",
        "trigram_df": "SELECT * FROM course_trigram_df ORDER BY term",
        "terms": "SELECT term, df FROM course_terms ORDER BY term",
        "term_trigrams": "SELECT t.term FROM course_terms_tri JOIN course_terms t "
        "ON t.rowid = course_terms_tri.rowid WHERE course_terms_tri MATCH 'ast' ORDER BY t.term",
    }
    out: dict[str, Any] = {name: conn.execute(sql).fetchall() for name, sql in tables.items()}
    search = CourseSearch(service.db)
    for query in (
        "html5 webapps",
        "astronomy for beginners",
        "astronmy",
        "javascript",
        "estrellas",
        "moviles",
    ):
        for options in ({}, {"language": "en"}, {"platform": "FUN"}, {"eqf_level": 5}):
            out[f"{query} {options}"] = search.search(query, **options).hits  # type: ignore[arg-type]
    return out


def test_a_course_edit_reindexes_it_in_place_exactly_as_a_full_rebuild(service: KnowledgeService) -> None:
    from bot.engine.search import rebuild_index

    changes = {
        "title": "Astronomy for beginners: the stars",
        "subjects": ["astronomy", "estrellas"],
        "languages": ["en", "es"],
        "platform": "FUN MOOC",
        "eqf_level": 5,
    }
    service.edit_course("mx-upm-html5-webapps", changes, expected_version=None)
    edited = _index_state(service)
    assert edited["astronomy for beginners {}"][0][0] == "mx-upm-html5-webapps"
    assert not any(hit[0] == "mx-upm-html5-webapps" for hit in edited["html5 webapps {}"])
    rebuild_index(service.db)
    assert _index_state(service) == edited


# -- add and delete ---------------------------------------------------------------------------


def test_add_entry_then_refuse_the_same_id(service: KnowledgeService) -> None:
    change = service.add_entry(new_entry())
    assert change.action == "create" and change.file == "knowledge/cmf.yaml"
    assert service.get("moderated-note").data == new_entry()
    snapshot = state(service)
    with pytest.raises(ServiceError, match="already exists"):
        service.add_entry(new_entry())
    bad = new_entry("other-note")
    del bad["title"]["de"]
    with pytest.raises(InvalidError, match='missing language "de"'):
        service.add_entry(bad)
    assert state(service) == snapshot


def test_delete_entry_refused_while_an_intent_leads_to_it(service: KnowledgeService) -> None:
    snapshot = state(service)
    with pytest.raises(ServiceError, match="cmf-study-hours") as caught:
        service.delete_entry("cmf-study-hours")
    assert caught.value.code == "entry_in_use"
    assert state(service) == snapshot


def test_delete_and_revert_recreates_the_entry_in_its_file(service: KnowledgeService) -> None:
    original = service.get("cmf-what-is")
    deleted = service.delete_entry("cmf-what-is", original.version)
    assert service.find("cmf-what-is") == []
    service.revert("cmf-what-is", deleted.revision)
    back = service.get("cmf-what-is")
    assert back.data == original.data and back.file == original.file
    actions = [r.action for r in service.history("cmf-what-is")]
    assert actions == ["revert", "delete"]


def test_revert_of_a_create_deletes_and_a_revert_is_a_revision(service: KnowledgeService) -> None:
    created = service.add_entry(new_entry())
    reverted = service.revert("moderated-note", created.revision)
    assert service.find("moderated-note") == []
    history = service.history("moderated-note")
    assert [r.action for r in history] == ["revert", "create"]
    assert history[0].before == new_entry() and history[0].after is None
    # revert the revert: the entry is back
    service.revert("moderated-note", reverted.revision)
    assert service.get("moderated-note").data == new_entry()


def test_revert_to_the_state_after_a_revision(service: KnowledgeService) -> None:
    first = service.edit_entry("cmf-what-is", "en", title="First title change?", expected_version=None)
    service.edit_entry("cmf-what-is", "en", title="Second title change?", expected_version=None)
    service.revert("cmf-what-is", first.revision, to="after")
    assert service.get("cmf-what-is").data["title"]["en"] == "First title change?"
    with pytest.raises(ServiceError, match="nothing to revert"):
        service.revert("cmf-what-is", first.revision, to="after")
    with pytest.raises(ServiceError, match="is about"):
        service.revert("cmf-requirements", first.revision)


# -- phrasings --------------------------------------------------------------------------------


QUESTION = "quokka wombat platypus"


def test_a_new_phrasing_is_used_at_once_by_an_engine_on_the_same_database(
    service: KnowledgeService, db_path: Path
) -> None:
    engine = Engine.open(db_path)
    try:
        assert engine.ask(QUESTION, "en").intent != "cmf-requirements"
        service.add_phrasing("cmf-requirements", "en", QUESTION)
        assert engine.refresh()  # the writer's process waits for the next snapshot (others answer meanwhile)
        reply = engine.ask(QUESTION, "en")
        assert reply.status == "answer" and reply.intent == "cmf-requirements"
        service.remove_phrasing("cmf-requirements", "en", QUESTION.upper())
        assert engine.refresh()
        assert engine.ask(QUESTION, "en").intent != "cmf-requirements"
    finally:
        engine.close()


def test_a_new_phrasing_is_used_by_another_process(service: KnowledgeService, db_path: Path) -> None:
    service.add_phrasing("cmf-requirements", "en", QUESTION)
    env = {**os.environ, "CMF_BOT_DB": str(db_path)}
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--no-log", QUESTION],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=120,
    )  # fmt: skip
    assert json.loads(out.stdout)["intent"] == "cmf-requirements"


def test_a_phrasing_of_another_intent_is_refused_naming_it(service: KnowledgeService) -> None:
    snapshot = state(service)
    with pytest.raises(ServiceError, match="cmf-study-hours") as caught:
        service.add_phrasing("find-courses", "en", "How many hours is a microcredential?")
    assert caught.value.code == "phrasing_elsewhere"
    with pytest.raises(ServiceError, match="already a phrasing"):
        service.add_phrasing("find-courses", "en", "find me a course")
    with pytest.raises(NotFoundError):
        service.remove_phrasing("find-courses", "en", "never said this")
    assert state(service) == snapshot


def test_removing_the_last_phrasing_of_a_language_is_refused(service: KnowledgeService) -> None:
    texts = service.get("find-courses", "intent").data["phrasings"]["de"]
    for text in texts[:-1]:
        service.remove_phrasing("find-courses", "de", text)
    snapshot = state(service)
    with pytest.raises(InvalidError, match="must not be empty"):
        service.remove_phrasing("find-courses", "de", texts[-1])
    assert state(service) == snapshot


# -- gaps and stats ---------------------------------------------------------------------------


def ask_log(service: KnowledgeService, question: str, status: str, intent: str | None = None) -> int:
    reply = Reply(question=question, lang="en", status=status, intent=intent, confidence=0.1)  # type: ignore[arg-type]
    return log_question(service.db, reply, "discord", None)


def test_gaps_group_similar_questions_and_can_be_dismissed_or_taught(service: KnowledgeService) -> None:
    for text in ("what is a mooc credit", "What is a MOOC credit?", "what is a moocs credit"):
        ask_log(service, text, "no_match")
    ask_log(service, "who runs the platform", "suggestions")
    answered = ask_log(service, "cmf rules?", "answer", "cmf-requirements")
    record_feedback(service.db, answered, "not_what_i_asked", "u1")
    ask_log(service, "hours of a cmf course", "answer", "cmf-study-hours")  # answered, no feedback

    groups = service.gaps()
    assert [g.count for g in groups] == [3, 1, 1]
    top = groups[0]
    assert top.key == "what is a mooc credit" and len(top.examples) == 3
    assert {g.text for g in groups[1:]} == {"who runs the platform", "cmf rules?"}
    assert service.gaps()[0].id == top.id  # stable id

    service.dismiss_gap(top.id)
    assert [g.text for g in service.gaps()] == [g.text for g in groups[1:]]

    who = next(g for g in service.gaps() if g.text == "who runs the platform")
    service.gap_to_phrasing(who.id, "find-courses")
    assert "who runs the platform" in service.get("find-courses", "intent").data["phrasings"]["en"]
    assert [g.text for g in service.gaps()] == ["cmf rules?"]
    with pytest.raises(NotFoundError):
        service.dismiss_gap("0000000000")


def test_stats_count_questions_unanswered_and_feedback(service: KnowledgeService) -> None:
    ids = [ask_log(service, f"hours question {n}", "answer", "cmf-study-hours") for n in range(3)]
    ids.append(ask_log(service, "cmf rules?", "answer", "cmf-requirements"))
    ask_log(service, "suggest me", "suggestions")
    ask_log(service, "gibberish one", "no_match")
    ask_log(service, "gibberish two", "no_match")
    for n, qid in enumerate(ids[:3]):
        record_feedback(service.db, qid, "up", f"user{n}")
    record_feedback(service.db, ids[3], "down", "user9")
    record_feedback(service.db, ids[3], "not_what_i_asked", "user8")

    stats = service.stats(7)
    assert stats.questions == 7 and stats.unanswered == 2 and stats.suggestions == 1
    assert stats.unanswered_rate == pytest.approx(2 / 7)
    assert stats.per_intent == [("cmf-study-hours", 3), ("cmf-requirements", 1)]
    assert (stats.up, stats.down, stats.not_what_i_asked) == (3, 1, 1)
    assert stats.feedback_ratio == pytest.approx(0.75)
    service.db.conn.execute("UPDATE questions SET at = '2000-01-01T00:00:00+00:00'")
    service.db.conn.execute("UPDATE feedback SET at = '2000-01-01T00:00:00+00:00'")
    empty = service.stats(30)
    assert empty.questions == 0 and empty.unanswered_rate is None and empty.feedback_ratio is None


# -- export -----------------------------------------------------------------------------------


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_export_then_load_gives_the_same_files_byte_for_byte(
    service: KnowledgeService, tmp_path: Path
) -> None:
    service.edit_entry("cmf-what-is", "en", answer="Edited:\n\nmulti-line answer.", expected_version=None)
    service.add_entry(new_entry())
    service.add_phrasing("find-courses", "it", "cerco un corso online")
    first = tmp_path / "first"
    service.export(first)
    reloaded = connect(tmp_path / "reloaded.sqlite3")
    replace_knowledge(reloaded, load_knowledge(first))
    second = tmp_path / "second"
    KnowledgeService(reloaded, AUTHOR).export(second)
    assert read_tree(first) == read_tree(second)
    assert read_knowledge(reloaded).data == read_knowledge(service.db).data
    assert "cerco un corso online" in (first / "intents.yaml").read_text("utf-8")


def test_export_zip_holds_the_same_files(service: KnowledgeService, tmp_path: Path) -> None:
    service.export(tmp_path / "dir")
    with zipfile.ZipFile(io.BytesIO(service.export_zip())) as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    assert zipped == read_tree(tmp_path / "dir")
    assert service.pending_revisions() == 0
    service.add_phrasing("find-courses", "it", "cerco un corso online")
    assert service.pending_revisions() == 1
