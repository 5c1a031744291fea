"""What a course request asks of the courses, and the courses a language question asks for.

A request that also asks what the courses cost or whether they give a certificate: each course found
shows that field of its record, or that the record does not state it (trial 117: "… y dan
certificado?", "… combien ça coûte", "… rilascia un attestato?" listed the courses and left the
question unanswered). A question on which platform teaches in a language gets the catalogue's
courses in it too (trials 116 and 119: "busco cursos en portugues, hay alguno?")."""

from __future__ import annotations

from typing import Any

import pytest
from test_bot_e2e import NO_PINGS, message_response, started
from test_loader import _check_shipped_with

from bot.cli import main


def _item(reply: Any, course_id: str) -> Any:
    return next(item for item in reply.items if item.ref == course_id)


@pytest.mark.parametrize(
    ("question", "lang", "course_id", "field", "value"),
    [
        (
            "hay algo de desarrollo web html javascript en miriadax? y dan certificado?",
            "es",
            "mx-upm-html5-webapps",
            "assessment",
            "Statement of Accomplishment or Verified Certificate",
        ),
        (
            "salve gestisco la formazione in un'azienda, vorremmo far fare ai dipendenti un corso sulla "
            "gestione della qualita, c'e qualcosa su openuped e rilascia un attestato?",
            "it",
            None,
            "assessment",
            "listing says no exam or final project and no certificate",
        ),
    ],
)
def test_a_request_asking_for_a_certificate_shows_what_each_record_says(
    bot_engine: Any, question: str, lang: str, course_id: str | None, field: str, value: str
) -> None:
    reply = bot_engine.ask(question, log=False)
    assert (reply.kind, reply.lang) == ("courses", lang) and reply.items
    item = _item(reply, course_id) if course_id else reply.items[0]
    assert f"{bot_engine.string(f'profile.{field}', lang)}: {value}" in item.text
    assert item.text in reply.answer


def test_a_record_without_the_field_says_it_does_not_state_it(bot_engine: Any) -> None:
    reply = bot_engine.ask(
        "hay algo de desarrollo web html javascript en miriadax? y dan certificado?", log=False
    )
    unstated = _item(reply, "mx-upm-cloud-node")  # its listing has no certificate information
    assert "Evaluación: no certificate information in listing" in unstated.text
    priced = bot_engine.ask("cursos de programacion web html5 en español? cuanto cuestan?", log=False)
    assert priced.kind == "courses" and priced.items
    missing = bot_engine.string("profile.not_stated", "es")
    assert all(f"Precio: {missing}" in item.text for item in priced.items if "Precio" in item.text)
    assert any(f"Precio: {missing}" in item.text for item in priced.items)


def test_a_plain_request_shows_no_extra_field(bot_engine: Any) -> None:
    reply = bot_engine.ask("hay algo de desarrollo web html javascript en miriadax?", log=False)
    assert reply.kind == "courses" and reply.items
    assert not any("Evaluación:" in item.text or "Precio:" in item.text for item in reply.items)


async def test_discord_shows_the_field_asked_on_each_course(fake_discord: Any, bot_engine: Any) -> None:
    question = "any free data mining course? heard theres one with weka"
    expected = bot_engine.ask(question, "en", log=False)
    assert expected.kind == "courses" and expected.items
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question})
        data = await message_response(handle)
    assert data["allowed_mentions"] == NO_PINGS
    shown = " ".join(
        [e.get("description", "") for e in data["embeds"]]
        + [f["value"] for e in data["embeds"] for f in e.get("fields", [])]
    )
    assert "Price: " in shown


def test_a_facet_naming_an_unknown_concept_is_refused_at_load() -> None:
    kb, errors = _check_shipped_with(
        "knowledge/concepts.yaml",
        b"\n    price: [price, free-offer]\n",
        b"\n    price: [prize, free-offer]\n",
    )
    assert kb is None
    assert [(e.file, e.field, e.reason) for e in errors] == [
        ("knowledge/concepts.yaml", "vocabulary.course_facets.price[0]", 'unknown concept "prize"')
    ]


def test_a_language_question_also_gets_the_catalogues_courses_in_that_language(
    bot_engine: Any, shipped_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A question on which platform teaches in a language (an intent marked
    `lists_courses_in_language`) gets the catalogue's courses in it second ("In the catalogue"); a
    request for the courses themselves (trials 370, 375, 386: "Courses in Portuguese please") gets
    them first, the platforms after ("See also")."""
    question = "which platform has courses in portuguese?"
    reply = bot_engine.ask(question, log=False)
    assert reply.intent == "partner-platforms-by-language"
    assert bot_engine.kb.intents[reply.intent].leads_to.get("lists_courses_in_language") is True
    assert reply.also is not None and reply.also.kind == "courses" and reply.also.items
    assert all("Portuguese" in item.text for item in reply.also.items)
    assert main(["ask", "--db", shipped_db, "--no-log", question]) == 0
    assert f"In the catalogue: {reply.also.title}" in capsys.readouterr().out
    request = "busco cursos en portugues, hay alguno?"
    courses = bot_engine.ask(request, log=False)
    assert (courses.kind, courses.intent) == ("courses", "course-search") and courses.items
    assert all("portugués" in item.text for item in courses.items)
    assert courses.also is not None and courses.also.intent == "partner-platforms-by-language"
    assert main(["ask", "--db", shipped_db, "--no-log", request]) == 0
    assert f"Ver también: {courses.also.title}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "question",
    [
        "show me courses that come with ECTS credits",  # trial 274: the table only
        "quels cours de votre catalogue donnent des crédits ECTS ?",  # trial 284
    ],
)
def test_a_request_for_courses_with_credit_also_gets_the_catalogues_courses_with_credit(
    bot_engine: Any, question: str
) -> None:
    reply = bot_engine.ask(question, log=False)
    assert reply.intent == "learners-credits-by-platform"
    assert bot_engine.kb.intents[reply.intent].leads_to.get("lists_courses_with_credit") is True
    assert reply.also is not None and reply.also.kind == "courses" and reply.also.items
    assert all("ECTS" in item.text for item in reply.also.items), reply.also.answer
    # asked about platforms, not for courses: the table alone
    assert bot_engine.ask("which platforms give ects credits?", log=False).also is None


def test_a_flag_to_list_courses_with_credit_that_is_no_boolean_is_refused_with_its_place() -> None:
    kb, errors = _check_shipped_with(
        "intents.yaml", b"lists_courses_with_credit: true", b"lists_courses_with_credit: often"
    )
    assert kb is None
    assert [(e.file, e.field.split(".", 1)[1], e.reason) for e in errors] == [
        ("intents.yaml", "leads_to.lists_courses_with_credit", "expected true or false, got text")
    ]
    assert errors[0].line is not None  # the line of the field, to find it


def test_a_platform_asked_for_courses_in_a_language_searches_them(bot_engine: Any) -> None:
    reply = bot_engine.ask("¿MiríadaX ofrece cursos en portugués?", log=False)
    assert reply.kind == "courses" and reply.items
    assert all(item.text.startswith("MiríadaX") for item in reply.items)


def test_a_request_opening_with_a_course_word_lists_the_courses_in_its_language(bot_engine: Any) -> None:
    """Trial 287: "courses in german that are free?" (six words, no request word) got the card on
    whether courses are free, with no course."""
    reply = bot_engine.ask("courses in german that are free?", log=False)
    assert reply.kind == "courses" and reply.items
    assert all("German" in item.text for item in reply.items), reply.answer


def test_two_languages_named_get_no_list_of_either(bot_engine: Any) -> None:
    """ "Italian courses taught in German": which language is the subject is not read safely."""
    reply = bot_engine.ask("gibts italienisch kurse auf deutsch?", log=False)
    assert reply.intent == "partner-platforms-by-language" and reply.also is None


def test_a_language_to_learn_taught_in_another_is_searched(bot_engine: Any) -> None:
    """Trial 120: "kurs um italienisch zu lernen auf deutsch" searched for "um" and found nothing."""
    reply = bot_engine.ask("gibts einen kurs um italienisch zu lernen auf deutsch", log=False)
    assert reply.kind == "courses" and reply.items
    assert any("italienischer" in item.label for item in reply.items)
