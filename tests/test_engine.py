"""The Engine facade over a small knowledge root (tests/fixtures/kb_min) and the shipped knowledge."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bot.engine.engine import MAX_QUESTION_CHARS, Engine
from bot.engine.model import LANGS, Reply

ROOT = Path(__file__).resolve().parents[1]
KB_MIN = ROOT / "tests" / "fixtures" / "kb_min"

CONTRACT_KEYS = ("question", "lang", "status", "intent", "confidence", "answer", "suggestions", "links")

CHECK_INTENT = """
  - id: cmf-check
    audiences: [university]
    leads_to:
      type: compliance_check
    phrasings:
      en: [does our course meet the cmf, is my course cmf compliant, check our course against the cmf]
      fr: [notre cours est-il conforme au cmf, vérifier la conformité cmf]
      es: [nuestro curso cumple el cmf, comprobar conformidad cmf]
      it: [il nostro corso è conforme al cmf, verificare conformità cmf]
      de: [erfüllt unser kurs das cmf, cmf konformität prüfen]
"""


def make_root(tmp_path: Path) -> Path:
    """kb_min with its checklist as the universities' checklist and a compliance-check intent."""
    root = tmp_path / "kb"
    shutil.copytree(KB_MIN, root)
    for rel in ("knowledge/cmf.yaml", "intents.yaml"):
        path = root / rel
        text = path.read_text(encoding="utf-8").replace("cmf-requirements", "cmf-requirements-universities")
        path.write_text(text, encoding="utf-8")
    with (root / "intents.yaml").open("a", encoding="utf-8") as f:
        f.write(CHECK_INTENT)
    return root


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    tmp = tmp_path_factory.mktemp("engine")
    eng = Engine.open(tmp / "db.sqlite3", make_root(tmp))
    yield eng
    eng.close()


def _ok(reply: Reply) -> None:
    """Every reply honours the JSON contract."""
    data = reply.to_json()
    assert set(data) >= {
        "question",
        "lang",
        "status",
        "intent",
        "confidence",
        "answer",
        "suggestions",
        "links",
    }
    assert data["lang"] in LANGS
    assert data["status"] in ("answer", "suggestions", "no_match")
    assert 0.0 <= data["confidence"] <= 1.0
    assert data["answer"].strip()


# -- free text ------------------------------------------------------------------------------------


def test_answers_an_in_scope_question_with_sources(engine: Engine) -> None:
    reply = engine.ask("how many hrs is a cmf microcredential?")
    _ok(reply)
    assert (reply.status, reply.intent, reply.lang, reply.kind) == ("answer", "cmf-study-hours", "en", "text")
    assert "100" in reply.answer
    assert any("futurelearn.com" in link.url for link in reply.links)


def test_answer_language_follows_the_question(engine: Engine) -> None:
    reply = engine.ask("combien d'heures dure une microcertification cmf ?")
    assert (reply.intent, reply.lang) == ("cmf-study-hours", "fr")
    assert "heures" in reply.answer


def test_lang_argument_forces_the_answer_language(engine: Engine) -> None:
    reply = engine.ask("how many hours is a microcredential", lang="de")
    assert reply.lang == "de"
    assert "Stunden" in reply.answer


def test_checklist_intent_gives_one_item_per_requirement(engine: Engine) -> None:
    reply = engine.ask("what are the cmf requirements?")
    assert (reply.intent, reply.kind) == ("cmf-requirements-universities", "checklist")
    assert [i.ref for i in reply.items] == ["study-hours", "eqf-level", "id-verification"]
    assert all(i.text in reply.answer for i in reply.items)


@pytest.mark.parametrize(("text", "reason"), [("", "empty"), ("   \n\t ", "empty"), ("x" * 501, "too_long")])
def test_empty_and_too_long_questions_are_declined(engine: Engine, text: str, reason: str) -> None:
    reply = engine.ask(text)
    _ok(reply)
    assert (reply.status, reply.reason, reply.intent) == ("no_match", reason, None)
    if reason == "too_long":
        assert str(MAX_QUESTION_CHARS) in reply.answer


def test_question_at_the_length_limit_is_answered(engine: Engine) -> None:
    question = "how many hours is a microcredential "
    question = (question * 20)[:MAX_QUESTION_CHARS]
    assert engine.ask(question).status == "answer"


def test_between_thresholds_gives_up_to_three_distinct_suggestions(tmp_path: Path) -> None:
    eng = Engine.open(
        tmp_path / "db.sqlite3", make_root(tmp_path), answer_threshold=1.0, suggest_threshold=0.0
    )
    reply = eng.ask("microcredential", lang="it")
    _ok(reply)
    assert reply.status == "suggestions"
    assert 1 <= len(reply.suggestions) <= 3
    assert len({s.intent for s in reply.suggestions}) == len(reply.suggestions)
    assert all(s.intent in eng.kb.intents for s in reply.suggestions)
    assert "Forse intendevi" in reply.answer
    assert all(s.title in reply.answer for s in reply.suggestions)
    assert reply.to_json()["suggestions"][0].keys() == {"intent", "title"}


def test_below_the_suggest_threshold_is_no_match_with_moderator_help(tmp_path: Path) -> None:
    eng = Engine.open(
        tmp_path / "db.sqlite3", make_root(tmp_path), answer_threshold=1.0, suggest_threshold=1.0
    )
    reply = eng.ask("how many hours is a microcredential")
    assert (reply.status, reply.reason, reply.suggestions) == ("no_match", "no_match", [])
    assert "moderator" in reply.answer


def test_thresholds_from_environment(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    monkeypatch.setenv("CMF_BOT_ANSWER_THRESHOLD", "0.7")
    monkeypatch.setenv("CMF_BOT_SUGGEST_THRESHOLD", "0.3")
    eng = Engine(engine.db)
    assert (eng.answer_threshold, eng.suggest_threshold) == (0.7, 0.3)
    monkeypatch.setenv("CMF_BOT_ANSWER_THRESHOLD", "lots")
    with pytest.raises(ValueError, match="CMF_BOT_ANSWER_THRESHOLD"):
        Engine(engine.db)


def test_compliance_question_is_checked_from_its_facts(engine: Engine) -> None:
    reply = engine.ask("Our course is 80 hours at EQF 6 with ID verification. Does it meet the CMF?")
    _ok(reply)
    assert (reply.status, reply.intent, reply.kind) == ("answer", "cmf-check", "compliance")
    status = {i.ref: i.status for i in reply.items}
    assert status == {"study-hours": "not_met", "eqf-level": "met", "id-verification": "met"}
    assert "80" in reply.answer


def test_compliance_question_without_facts_explains_the_check(engine: Engine) -> None:
    reply = engine.ask("is my course cmf compliant?")
    assert (reply.intent, reply.kind) == ("cmf-check", "checklist")
    assert "cmf-bot check" in reply.answer


# -- the other entry points ----------------------------------------------------------------------


def test_answer_intent_follows_leads_to(engine: Engine) -> None:
    assert engine.answer_intent("cmf-study-hours", "es").kind == "text"
    assert engine.answer_intent("cmf-requirements-universities", "en").kind == "checklist"
    courses = engine.answer_intent("find-courses", "en")
    assert courses.kind == "courses" and courses.status == "answer"
    unknown = engine.answer_intent("no-such-intent", "en")
    assert (unknown.status, unknown.reason) == ("no_match", "unknown_intent")


def test_suggest_intents_for_autocomplete(engine: Engine) -> None:
    got = engine.suggest_intents("hour", "en")
    assert got and got[0].intent == "cmf-study-hours"
    assert got[0].title == "How many study hours does a CMF microcredential take?"
    assert len(engine.suggest_intents("", "fr", limit=50)) <= 25
    assert engine.suggest_intents("", "fr")[0].title != ""
    assert engine.suggest_intents("zzzzqqqq", "en") == []


def test_checklist_by_audience(engine: Engine) -> None:
    reply = engine.checklist("university", "de")
    assert reply.kind == "checklist" and reply.lang == "de"
    assert len(reply.items) == 3
    missing = engine.checklist(None, "en")  # learners: not in this knowledge root
    assert missing.status == "no_match"
    with pytest.raises(ValueError, match="audience"):
        engine.checklist("aliens", "en")


def test_search_courses_lists_courses_with_listing_date(engine: Engine) -> None:
    reply = engine.search_courses("html5", "en")
    _ok(reply)
    assert [i.ref for i in reply.items] == ["mx-upm-html5-webapps"]
    item = reply.items[0]
    assert item.url == "https://www.miriadax.net/web/html5mooc"
    assert "listed in 2015 — check the course page" in item.text
    assert reply.links[0].url == item.url
    filtered = engine.search_courses("html5", "en", platform="FutureLearn")
    assert filtered.items == [] and filtered.status == "answer"


def test_course_choices_for_autocomplete(engine: Engine) -> None:
    assert engine.course_choices("Online Teachng", 5)[0][0] == "fl-ou-online-teaching-adult-learners"
    assert len(engine.course_choices("", 1)) == 1


def test_credential_profile_shows_missing_values_honestly(engine: Engine) -> None:
    reply = engine.credential_profile("fl-ou-online-teaching-adult-learners", "en")
    _ok(reply)
    fields = {i.ref: i.text for i in reply.items}
    assert fields["issuer"].startswith("The Open University")
    assert fields["credits"] == "15 UK academic credits at postgraduate level"
    assert fields["id_verification"] == "not stated in the source"
    assert fields["learning_outcomes"] == "not stated in the source"
    assert "partial" in reply.answer
    assert reply.links  # its source pages
    assert engine.credential_profile("nope", "en").status == "no_match"


def test_check_compliance_from_facts(engine: Engine) -> None:
    reply = engine.check_compliance(
        {"study_hours": 120, "eqf_level": 5, "ects": 5, "id_verification": True}, "en"
    )
    assert [i.status for i in reply.items] == ["met", "met", "met"]
    assert "FutureLearn" in reply.items[1].text  # the alternative says whose wording admits it
    with pytest.raises(ValueError):
        engine.check_compliance({"eqf_level": 12}, "en")


def test_string_fills_placeholders(engine: Engine) -> None:
    assert (
        engine.string("course.listed_old", "fr", year=2014) == "référencé en 2014 — vérifiez la page du cours"
    )


# -- reload and logging ---------------------------------------------------------------------------


def test_reloads_when_another_connection_changes_the_knowledge(tmp_path: Path) -> None:
    from bot.engine.store import connect, generation, read_knowledge, replace_knowledge

    db_path = tmp_path / "db.sqlite3"
    eng = Engine.open(db_path, make_root(tmp_path))
    assert "100" in eng.ask("how many hours is a microcredential").answer
    other = connect(db_path)
    kb = read_knowledge(other)
    entry = kb.data["entries"]["cmf-study-hours"]
    entry["answer"]["en"] = "Changed by a moderator elsewhere."
    from bot.engine.loader import build_knowledge

    replace_knowledge(other, build_knowledge(kb.files, kb.data), author="test")
    # the next question notices the change and starts the next snapshot in the background; the
    # questions asked until it is ready are answered from the one in use
    deadline = time.monotonic() + 30
    while "Changed by a moderator elsewhere." not in eng.ask("how many hours is a microcredential").answer:
        assert time.monotonic() < deadline, "the change was never picked up"
        time.sleep(0.01)
    assert eng.generation == generation(other)


def test_questions_and_feedback_are_logged_with_hashed_users(tmp_path: Path) -> None:
    eng = Engine.open(tmp_path / "db.sqlite3", make_root(tmp_path), log_source="test")
    reply = eng.ask("how many hours is a microcredential", user="123456789")
    assert reply.question_id is not None
    row = eng.db.execute("SELECT question, status, intent, source, user_hash FROM questions").fetchone()
    assert row[:4] == ("how many hours is a microcredential", "answer", "cmf-study-hours", "test")
    assert row[4] and "123456789" not in row[4]
    assert eng.feedback(reply.question_id, "up", "123456789") is True
    assert eng.feedback(reply.question_id, "up", "123456789") is False  # once per user
    assert eng.feedback(reply.question_id, "down", "123456789") is True  # replaces the 👍
    kinds = [k for (k,) in eng.db.execute("SELECT kind FROM feedback")]
    assert kinds == ["down"]
    with pytest.raises(ValueError):
        eng.feedback(reply.question_id, "meh", "1")
    with pytest.raises(ValueError):
        eng.feedback(999, "up", "1")


def test_a_question_asked_with_log_false_is_not_logged(tmp_path: Path) -> None:
    eng = Engine.open(tmp_path / "db.sqlite3", make_root(tmp_path), log_source="test")
    reply = eng.ask("how many hours is a microcredential", user="1", log=False)
    assert reply.intent == "cmf-study-hours" and reply.question_id is None
    assert eng.db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0
    assert eng.log_source == "test"  # logging stays on for the next question
    assert eng.ask("how many hours is a microcredential", user="1").question_id is not None


def test_no_logging_unless_asked(engine: Engine) -> None:
    before = engine.db.execute("SELECT count(*) FROM questions").fetchone()[0]
    reply = engine.ask("how many hours is a microcredential")
    assert reply.question_id is None
    assert engine.db.execute("SELECT count(*) FROM questions").fetchone()[0] == before


# -- the shipped knowledge ------------------------------------------------------------------------


def _shipped_engine(tmp_path: Path) -> Engine:
    from bot.engine.loader import KnowledgeError

    try:
        return Engine.open(tmp_path / "db.sqlite3", ROOT)
    except KnowledgeError as exc:
        pytest.fail(f"the shipped knowledge base does not load:\n{exc}", pytrace=False)


def test_shipped_knowledge_answers_and_checks(tmp_path: Path) -> None:
    eng = _shipped_engine(tmp_path)
    for audience in ("learner", "employer", "university"):
        reply = eng.checklist(audience, "en")
        assert reply.status == "answer" and reply.items, audience
        assert reply.links
    good = eng.check_compliance(
        {
            "study_hours": 120,
            "eqf_level": 6,
            "ects": 5,
            "assessment": "proctored-exam",
            "awards_credit": True,
            "id_verification": True,
            "transcript": ["learning-outcomes", "study-hours", "eqf-level", "credits"],
        },
        "en",
    )
    assert "not_met" not in {i.status for i in good.items}
    bad = eng.check_compliance({"study_hours": 40, "eqf_level": 3}, "en")
    assert "not_met" in {i.status for i in bad.items}
    assert "met" not in {i.status for i in eng.check_compliance({}, "en").items}
    for intent_id in eng.kb.intents:
        reply = eng.answer_intent(intent_id, "fr")
        assert reply.answer.strip(), intent_id
    asked = eng.ask("Our course is 80 hours at EQF 6 with a proctored exam. Does it meet the CMF?")
    assert asked.kind == "compliance"
    assert {i.status for i in asked.items} >= {"met", "not_met", "unknown"}
    assert eng.ask("how many hours is a microcredential").kind == "text"  # not a course search


def test_a_course_request_with_no_exact_match_drops_the_narrowing_filter(tmp_path: Path) -> None:
    """No Spanish data-science course is listed: say so, then show the topic in other languages."""
    eng = _shipped_engine(tmp_path)
    reply = eng.ask("is there one on data science in Spanish?")
    assert reply.kind == "courses" and reply.items
    assert "No course matches all of “data science (Spanish)”" in reply.answer
    assert all("language: es" not in item.text for item in reply.items)


def test_a_course_list_names_the_topic_as_the_user_wrote_it(tmp_path: Path) -> None:
    reply = _shipped_engine(tmp_path).ask("cursos de estadística")
    assert reply.kind == "courses" and reply.lang == "es"
    assert "«estadística»" in reply.title


def test_trained_matcher_is_cached_beside_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root(tmp_path)
    db_path = tmp_path / "db.sqlite3"
    first = Engine.open(db_path, root)
    cache = Path(f"{db_path}.matcher")
    assert cache.exists()
    questions = ["how many hours", "critères cmf", "cerco corsi", "zzz"]
    expected = [first.rank(q, 3) for q in questions]
    first.close()
    from bot.engine.matcher import IntentMatcher

    with monkeypatch.context() as m:  # a second start must not train again
        m.setattr(IntentMatcher, "build", classmethod(lambda cls, rows: pytest.fail("trained again")))
        again = Engine.open(db_path, root)
    assert [again.rank(q, 3) for q in questions] == expected
    again.close()
    cache.write_bytes(b"damaged")
    rebuilt = Engine.open(db_path, root)
    assert [rebuilt.rank(q, 3) for q in questions] == expected
    assert cache.read_bytes() != b"damaged"


def test_a_withdrawn_course_says_so_in_lists_and_profiles(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = root / "knowledge" / "catalogue" / "miriadax.yaml"
    text = path.read_text(encoding="utf-8")
    marked = text.replace("    listed_year:", "    withdrawn: '2026-11-30'\n    listed_year:", 1)
    path.write_text(marked, encoding="utf-8")
    eng = Engine.open(tmp_path / "db.sqlite3", root)
    try:
        expected = {
            "en": "withdrawn from MiríadaX's feed on 2026-11-30",
            "fr": "retiré du flux de MiríadaX le 2026-11-30",
            "es": "retirado del listado de MiríadaX el 2026-11-30",
            "it": "ritirato dall'elenco di MiríadaX il 2026-11-30",
            "de": "am 2026-11-30 aus dem Feed von MiríadaX entfernt",
        }
        for lang, note in expected.items():
            item = eng.search_courses("html5", lang).items[0]
            assert item.ref == "mx-upm-html5-webapps" and note in item.text
            profile = eng.credential_profile("mx-upm-html5-webapps", lang)
            assert note in {i.ref: i.text for i in profile.items}["listing"]
        current = eng.credential_profile("fl-ou-online-teaching-adult-learners", "en")
        assert "withdrawn" not in {i.ref: i.text for i in current.items}["listing"]
    finally:
        eng.close()


@pytest.mark.parametrize(
    ("question", "lang", "institution"),
    [
        ("courses from the University of Glasgow", "en", "University of Glasgow"),
        ("cours de l'Université Paris Diderot", "fr", "Université Paris Diderot"),
        ("cursos de la Universidad de Málaga", "es", "Universidad de Málaga"),
        ("corsi dell'Università UNINETTUNO", "it", "UNINETTUNO"),
        ("Kurse der Universität Graz", "de", "Graz"),
    ],
)
def test_courses_of_an_institution_in_five_languages(
    shipped_engine: Engine, question: str, lang: str, institution: str
) -> None:
    reply = shipped_engine.ask(question)
    assert reply.kind == "courses" and reply.lang == lang and reply.items
    assert all(institution in shipped_engine.kb.courses[i.ref].institution for i in reply.items)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("courses from the University of Leeds", "en"),
        ("cours de l'Université de Leeds", "fr"),
        ("cursos de la Universidad de Oxford", "es"),
        ("corsi dell'Università di Padova", "it"),
        ("Kurse der Universität Hamburg", "de"),
    ],
)
def test_courses_of_an_institution_the_catalogue_lacks_get_an_honest_none(
    shipped_engine: Engine, question: str, lang: str
) -> None:
    # the word "university" must not draw the universities' CMF requirements: it is a search, and
    # the catalogue has none of these institutions, so the reply says so and links the partners
    assert not any(question.split()[-1] in (c.institution or "") for c in shipped_engine.kb.courses.values())
    reply = shipped_engine.ask(question)
    assert (reply.kind, reply.lang, reply.intent) == ("courses", lang, "course-search"), reply
    assert not reply.items
    assert "https://www.futurelearn.com" in {link.url for link in reply.links}


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        (
            "Hi, I teach at a university: our course is EQF 6, 5 ECTS, 140 hours with a proctored exam. "
            "Does it meet the CMF?",
            "compliance-check",
        ),
        (
            "How can a partner university put a microcredential on FutureLearn?",
            "universities-futurelearn-proposal",
        ),
    ],
)
def test_an_institution_word_naming_the_asker_is_no_course_request(
    shipped_engine: Engine, question: str, intent: str
) -> None:
    # "a university", "partner university" name who asks; no catalogue institution → the intent answers
    reply = shipped_engine.ask(question)
    assert reply.status == "answer" and reply.intent == intent, (reply.status, reply.intent)


@pytest.mark.parametrize(
    "question",
    [
        "il nostro corso vale 6 ECTS, può diventare una microcredenziale CMF?",
        "unser Kurs hat 3 ECTS, geht das als CMF-Microcredential?",
    ],
)
def test_one_figure_about_our_own_course_gets_the_compliance_check(
    shipped_engine: Engine, question: str
) -> None:
    reply = shipped_engine.ask(question)
    assert reply.status == "answer" and reply.intent == "compliance-check", (reply.status, reply.intent)


def test_a_figure_asked_about_is_no_compliance_check(shipped_engine: Engine) -> None:
    reply = shipped_engine.ask("how many hours is a CMF microcredential?")
    assert reply.status == "answer" and reply.intent != "compliance-check"


def test_platform_requests_still_list_the_platforms_courses(shipped_engine: Engine) -> None:
    reply = shipped_engine.ask("MOOCs on iMooX")
    assert reply.kind == "courses" and reply.items
    assert all(shipped_engine.kb.courses[i.ref].platform == "iMooX" for i in reply.items)


@pytest.fixture(scope="module")
def shipped_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    eng = _shipped_engine(tmp_path_factory.mktemp("shipped"))
    yield eng
    eng.close()


def _catalogue_pages() -> dict[str, list[str]]:
    import yaml

    vocabulary = yaml.safe_load((ROOT / "knowledge" / "vocabulary.yaml").read_text(encoding="utf-8"))
    return vocabulary["vocabulary"]["catalogue_pages"]


@pytest.mark.parametrize(
    "question",
    [
        "MOOC sur l'intelligence artificielle",
        "cours d'intelligence artificielle",
        "MOOC sobre inteligencia artificial",
        "MOOC über künstliche Intelligenz",
        "Kurse über künstliche Intelligenz",
    ],
)
def test_no_good_match_says_none_and_points_to_the_partners_catalogues(
    shipped_engine: Engine, question: str
) -> None:
    """The catalogue has no AI course: no unrelated course (a word of it in another title), but the
    partners' own catalogue pages."""
    reply = shipped_engine.ask(question)
    assert reply.kind == "courses" and reply.items == []
    pages = _catalogue_pages()
    assert {link.url for link in reply.links} == {urls[0] for urls in pages.values() if urls}
    for name in pages:
        assert name in reply.answer


def test_mooc_and_course_words_find_the_same_courses(shipped_engine: Engine) -> None:
    by_mooc = shipped_engine.ask("MOOC sur la statistique")
    by_course = shipped_engine.ask("cours de statistique")
    assert by_mooc.items and [i.ref for i in by_mooc.items] == [i.ref for i in by_course.items]


def test_a_rebuilt_snapshot_and_the_one_it_replaces_leave_no_reference_cycles(shipped_engine: Engine) -> None:
    """The engine freezes the objects alive after a build (`gc.freeze`, so that the collector's full
    passes do not stall answers); that is only safe while snapshots are freed by reference counting."""
    import gc

    from bot.engine.snapshot import build_snapshot, cached_matcher, matcher_cache_path

    previous = shipped_engine.current()
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        rebuilt = build_snapshot(
            previous.kb,
            generation=previous.generation + 1,
            matcher_cache=matcher_cache_path(shipped_engine.database_file),
            matcher_factory=cached_matcher,
            previous=previous,
        )
        assert rebuilt.matcher is not None and rebuilt.kb is previous.kb
        made = gc.collect()  # cyclic garbage left by the build itself
        fresh = build_snapshot(  # nothing reused: its own concept layer and course-query reader
            previous.kb,
            generation=previous.generation + 2,
            matcher_cache=matcher_cache_path(shipped_engine.database_file),
            matcher_factory=cached_matcher,
        )
        assert fresh.matcher is not None
        del rebuilt, fresh
        dropped = gc.collect()  # what two dropped snapshots leave to the collector
    finally:
        if was_enabled:
            gc.enable()
    assert (made, dropped) == (0, 0)
