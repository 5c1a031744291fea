"""Every example the bot itself suggests leads where it promises, in every language.

The examples are found in the shipped knowledge by rule, never listed here:

- a quoted phrase right after a suggestion cue ("for example", "e.g.", "ask me for", "par exemple",
  "pídeme", "chiedimi", "frag mich nach", …), in the quotation marks of any of the five languages, or a
  quoted line of a list introduced by "Examples:" (in each language);
- in the bot's own strings also an unquoted "e.g. a, b" list (option descriptions, form hints) and a
  backticked `cmf-bot …` command.

An example in a knowledge entry must be declared in the entry's `examples` (the query in each language and
where it leads), and every declared query must appear quoted in the entry's text, so the two cannot drift.
An example in a UI string is followed according to what the string is for (its key); a string that
suggests something this file does not know how to follow fails until it is taught here.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.engine.answers import escape_markdown
from bot.engine.compliance import TRANSCRIPT_ITEMS, parse_facts
from bot.engine.engine import Engine
from bot.engine.loader import load_knowledge
from bot.engine.model import LANGS, Course
from bot.engine.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
KB = load_knowledge(ROOT)

# -- the rule -------------------------------------------------------------------------------------

_QUOTE = r"(?:\"([^\"\n]+)\"|“([^”\n]+)”|«\s?([^»\n]+?)\s?»|„([^“\n]+)“)"
_CUES = {
    "en": r"e\.g\.|for example|such as|ask me for|ask me to",
    "fr": r"par ex\.|p\. ex\.|ex\.|par exemple|comme|demandez-moi",
    "es": r"p\. ej\.|por ejemplo|como|pídeme|pregúntame",
    "it": r"ad es\.|es\.|per esempio|come|chiedimi",
    "de": r"z\. B\.|zum Beispiel|wie|frag mich nach",
}
_LIST_HEADS = r"Examples|Exemples|Ejemplos|Esempi|Beispiele"
_LIST_CUES = {
    "en": r"e\.g\.|for example",
    "fr": r"par ex\.|p\. ex\.|ex\.|par exemple",
    "es": r"p\. ej\.|por ejemplo",
    "it": r"ad es\.|es\.|per esempio",
    "de": r"z\. B\.|zum Beispiel",
}
"""Cues of unquoted examples: only the abbreviations and phrases that mean "for example"."""


def _quoted(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g).strip()


def quoted_examples(text: str, lang: str) -> list[str]:
    """The quoted phrases of `text` that the text offers as examples to type."""
    cue = re.compile(rf"(?<!\w)(?:{_CUES[lang]})\s*:?\s*{_QUOTE}", re.IGNORECASE)
    found = [_quoted(m) for m in cue.finditer(text)]
    for block in re.finditer(rf"(?:{_LIST_HEADS})\s*:\s*\n((?:[ \t]*-[ \t]*{_QUOTE}[ \t]*\n?)+)", text):
        found += [_quoted(m) for m in re.finditer(_QUOTE, block.group(1))]
    return list(dict.fromkeys(found))


def listed_examples(text: str, lang: str) -> list[str]:
    """Unquoted "e.g. a, b or c" values (option descriptions and form hints)."""
    out: list[str] = []
    for m in re.finditer(rf"(?<!\w)(?:{_LIST_CUES[lang]})[ \t]+(?![\"“«„])([^()\n;]+?)(?=\)|$|\.\s)", text):
        out += [v.strip() for v in re.split(r",\s+|\s+(?:or|ou|o|oder)\s+", m.group(1)) if v.strip()]
    return out


def commands(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"`(cmf-bot [^`]+)`", text)]


def _entry_texts(entry: dict[str, Any], lang: str) -> Iterator[str]:
    yield entry["answer"][lang]
    for item in entry.get("checklist") or []:
        yield item["text"][lang]


# -- the engine -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return Engine.open(tmp_path_factory.mktemp("examples") / "db.sqlite3", ROOT)


def _course(engine: Engine, course_id: str) -> Course:
    return engine.kb.courses[course_id]


def _topic_words(topic: str) -> list[str]:
    words = KB.vocabulary.get("topics", {}).get(topic, [])
    return [normalize(w) for w in [topic, *words]]


def _about(course: Course, topic: str) -> bool:
    text = f" {normalize(' '.join([course.title, *course.subjects]))} "
    return any(f" {w} " in text for w in _topic_words(topic))


def _assert_courses(engine: Engine, reply: Any, filters: dict[str, str], what: str) -> None:
    assert reply.kind == "courses" and reply.items, f"{what}: no course list ({reply.kind}, {reply.intent})"
    for item in reply.items:
        course = _course(engine, str(item.ref))
        if "platform" in filters:
            assert course.platform.startswith(filters["platform"]), (what, course.id, course.platform)
        if "language" in filters:
            assert filters["language"] in course.languages, (what, course.id, course.languages)
        if "type" in filters:
            assert course.type == filters["type"], (what, course.id, course.type)
        if "institution" in filters:
            assert (course.institution or "").startswith(filters["institution"]), (what, course.id)
        if "topic" in filters:
            assert _about(course, filters["topic"]), (what, course.id, course.title)


# -- examples in knowledge entries ------------------------------------------------------------------

ENTRY_EXAMPLES = [
    (entry_id, n, lang)
    for entry_id, entry in KB.data["entries"].items()
    for n, _ in enumerate(entry.get("examples") or [])
    for lang in LANGS
]


def test_the_rule_finds_examples() -> None:
    """The rule itself reads the shipped answers (so a broken rule cannot pass vacuously)."""
    found = {
        entry_id
        for entry_id, entry in KB.data["entries"].items()
        for lang in LANGS
        for text in _entry_texts(entry, lang)
        if quoted_examples(text, lang)
    }
    assert {
        "learners-find-courses",
        "universities-meet-cmf",
        "partner-open-university-microcredentials",
    } <= found
    assert len(ENTRY_EXAMPLES) >= 5 * 8


@pytest.mark.parametrize("entry_id", sorted(KB.data["entries"]))
def test_every_example_an_answer_quotes_is_declared_with_where_it_leads(entry_id: str) -> None:
    entry = KB.data["entries"][entry_id]
    declared = entry.get("examples") or []
    for lang in LANGS:
        quoted = [q for text in _entry_texts(entry, lang) for q in quoted_examples(text, lang)]
        queries = [example["query"][lang] for example in declared]
        assert sorted(quoted) == sorted(queries), f"{entry_id} [{lang}]: quoted {quoted}, declared {queries}"


@pytest.mark.parametrize(("entry_id", "n", "lang"), ENTRY_EXAMPLES)
def test_an_example_in_an_answer_leads_where_it_promises(
    engine: Engine, entry_id: str, n: int, lang: str
) -> None:
    example = KB.data["entries"][entry_id]["examples"][n]
    query, expect = example["query"][lang], example["expect"]
    reply = engine.ask(query)
    what = f"{entry_id} [{lang}] {query!r}"
    assert reply.status == "answer", f"{what}: {reply.status} ({reply.reason})"
    assert reply.lang == lang, f"{what}: answered in {reply.lang}"
    kind = expect["type"]
    if kind == "course_search":
        _assert_courses(engine, reply, expect.get("filters") or {}, what)
    elif kind in ("entry", "checklist"):
        leads = engine.kb.intents[str(reply.intent)].leads_to
        assert (leads.get("type"), leads.get("entry")) == (kind, expect["entry"]), what
    elif kind == "compliance_check":
        assert reply.kind == "compliance", what
        facts = parse_facts(query)
        assert facts.items() >= expect["facts"].items(), (what, facts)
    else:  # credential_profile
        assert reply.kind == "credential", what


# -- examples in the bot's own strings ------------------------------------------------------------


def _string_examples() -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for key, texts in KB.data["strings"].items():
        for lang in LANGS:
            found = quoted_examples(texts[lang], lang) + listed_examples(texts[lang], lang)
            found += commands(texts[lang])
            if found:
                out.setdefault(key, {})[lang] = found
    return out


STRING_EXAMPLES = _string_examples()
FOLLOWED = {
    "fallback.greeting",
    "answer.needs_context",
    "credential.how_to",
    "credential.for_one_course",
    "compliance.how_to",
    "cmd.courses.opt.query.description",
    "cmd.check.opt.transcript.description",
    "ui.check.hours_hint",
    "ui.check.eqf_hint",
    "ui.check.credits_hint",
    "ui.check.bad_number",
    "mod.error.import_platform",
    "steer.authentic",
}


def test_every_string_that_suggests_something_is_followed_here() -> None:
    assert set(STRING_EXAMPLES) >= FOLLOWED, sorted(FOLLOWED - set(STRING_EXAMPLES))
    assert set(STRING_EXAMPLES) <= FOLLOWED, sorted(set(STRING_EXAMPLES) - FOLLOWED)
    for key in FOLLOWED:
        assert set(STRING_EXAMPLES[key]) == set(LANGS), (key, sorted(STRING_EXAMPLES[key]))


@pytest.mark.parametrize("lang", LANGS)
def test_the_greeting_example_is_answered_in_its_language(engine: Engine, lang: str) -> None:
    """A message that is only a greeting gets the greeting in its language, and its example question
    is answered (by the study-hours intent, in the same language)."""
    hello = {"en": "hi!", "fr": "bonjour", "es": "hola", "it": "ciao", "de": "hallo"}[lang]
    greeting = engine.ask(hello, lang)
    assert (greeting.status, greeting.reason) == ("no_match", "greeting"), greeting
    (question,) = STRING_EXAMPLES["fallback.greeting"][lang]
    assert question in greeting.answer
    reply = engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", "cmf-study-hours", lang), question


@pytest.mark.parametrize("lang", LANGS)
def test_the_whole_question_a_lone_follow_up_is_told_to_ask_is_answered(engine: Engine, lang: str) -> None:
    """`answer.needs_context` quotes a whole question to ask instead of a reply to an unseen message."""
    (question,) = STRING_EXAMPLES["answer.needs_context"][lang]
    reply = engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", "partner-futurelearn-mc-prices", lang), (
        question
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_compliance_hint_question_is_checked_in_its_language(engine: Engine, lang: str) -> None:
    (question,) = [q for q in STRING_EXAMPLES["compliance.how_to"][lang] if not q.startswith("cmf-bot ")]
    reply = engine.ask(question)
    assert (reply.kind, reply.lang) == ("compliance", lang), (question, reply.kind, reply.lang)
    facts = parse_facts(question)
    assert {"study_hours", "eqf_level", "assessment"} <= set(facts), facts


def test_the_compliance_hint_command_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    found = {
        c for lang in LANGS for c in STRING_EXAMPLES["compliance.how_to"][lang] if c.startswith("cmf-bot ")
    }
    assert len(found) == 1, found  # the same command in every language
    args = shlex.split(found.pop())[1:]
    assert main([*args, "--db", str(tmp_path / "db.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert "CMF compliance check" in out and "Verdict: meets all 5 requirements checked." in out


@pytest.mark.parametrize("lang", LANGS)
def test_the_credential_check_a_lead_names_tells_a_changed_file(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`steer.authentic` (and the card it leads) names `cmf-bot credential FILE`: run on a signed Open
    Badge and on the same badge changed after signing, it says which one was changed."""
    from bot.cli import main

    (command,) = STRING_EXAMPLES["steer.authentic"][lang]
    args = shlex.split(command)[1:]
    assert args[0] == "credential" and len(args) == 2, command  # the file's placeholder last
    signed = ROOT / "tests" / "fixtures" / "credentials" / "dcc_ob3_vc2_Ed25519Signature2020_didkey.json"
    changed = signed.with_name("dcc_ob3_vc2_Ed25519Signature2020_didkey_TAMPERED.json")
    assert main([args[0], str(signed)]) == 0
    assert "the file has not been changed since it was signed" in capsys.readouterr().out
    assert main([args[0], str(changed)]) == 1
    assert "the file was changed after it was signed" in capsys.readouterr().out
    card = KB.data["entries"]["employers-check-credential"]["answer"][lang]
    assert command in card  # the card the lead opens names the same command


@pytest.mark.parametrize("lang", LANGS)
def test_the_courses_option_examples_find_courses_about_them(engine: Engine, lang: str) -> None:
    for value in STRING_EXAMPLES["cmd.courses.opt.query.description"][lang]:
        topic = next((t for t in KB.vocabulary["topics"] if normalize(value) in _topic_words(t)), None)
        assert topic is not None, (lang, value)
        reply = engine.search_courses(value, lang)
        _assert_courses(engine, reply, {"topic": topic}, f"/courses {value!r} [{lang}]")


@pytest.mark.parametrize("lang", LANGS)
def test_the_check_form_hints_are_accepted(lang: str) -> None:
    from bot.exts.info import facts_from_form, parse_transcript

    def only(key: str) -> list[str]:
        return STRING_EXAMPLES[key][lang]

    def form(**values: str) -> dict[str, Any]:
        empty = dict.fromkeys(("hours", "eqf", "credits", "assessment", "id_verification"), "")
        return facts_from_form(**(empty | values))

    for value in only("ui.check.hours_hint") + only("ui.check.bad_number"):
        assert form(hours=value)["study_hours"]
    units = []
    for value in only("ui.check.credits_hint"):
        facts = form(credits=value)
        (unit,) = facts  # one credits figure, in the unit the example names
        assert facts[unit] == float(value.split()[0]), (value, facts)
        units.append(unit)
    assert units == ["ects", "uk_credits", "us_credits"], units
    for value in only("ui.check.eqf_hint"):
        assert form(eqf=value)["eqf_level"]
    items = only("cmd.check.opt.transcript.description")
    assert parse_transcript(", ".join(items)) == list(TRANSCRIPT_ITEMS)
    for platform in only("mod.error.import_platform"):
        assert platform in KB.vocabulary["platforms"], platform


def _credential_hint(lang: str) -> str:
    (template,) = STRING_EXAMPLES["credential.how_to"][lang]
    assert re.search(r"<[^>]+>", template), template
    return template


@pytest.mark.parametrize("lang", LANGS)
def test_the_hint_after_the_general_answer_suggests_the_same_question(lang: str) -> None:
    """`credential.for_one_course` (after "what does a microcredential certify?") suggests what
    `credential.how_to` does, so the test below follows both."""
    assert STRING_EXAMPLES["credential.for_one_course"][lang] == STRING_EXAMPLES["credential.how_to"][lang]


@pytest.mark.parametrize("lang", LANGS)
def test_the_credential_hint_leads_to_each_course(engine: Engine, lang: str) -> None:
    """'what does the credential for <course title> certify?' with each title in the catalogue."""
    template = _credential_hint(lang)
    placeholder = re.search(r"<[^>]+>", template).group(0)  # type: ignore[union-attr]
    missed = []
    for course_id in sorted(engine.kb.courses):
        course = _course(engine, course_id)
        reply = engine.ask(template.replace(placeholder, course.title))
        title = next((i.text for i in reply.items if i.ref == "title"), None)
        shown = escape_markdown(course.title)  # catalogue text is shown escaped (issue 14)
        if (reply.kind, reply.lang, title) != ("credential", lang, shown):
            missed.append(course_id)
    assert not missed, f"{len(missed)} of {len(engine.kb.courses)} titles: {missed[:5]}…"
