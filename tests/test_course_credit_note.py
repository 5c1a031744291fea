"""A course request that names the credit it wants: the catalogue cannot filter on credit, so when no
course listed says it gives credits the reply says so (user trials: "data science with ects" listed
two courses without a word on credit)."""

from __future__ import annotations

from typing import Any

import pytest

NOTE = {
    "en": "none of these records says whether the course gives credits",
    "es": "ninguna de estas fichas dice si el curso da créditos",
    "de": "Keiner dieser Einträge sagt, ob der Kurs Credits",
}


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("any courses on data science with ects credits?", "en"),
        ("¿hay cursos de data science con créditos ECTS?", "es"),
        ("gibt es Kurse zu Data Science mit ECTS?", "de"),
    ],
)
def test_a_request_for_credit_is_told_the_records_do_not_say(
    bot_engine: Any, question: str, lang: str
) -> None:
    reply = bot_engine.ask(question)
    assert (reply.kind, reply.lang) == ("courses", lang) and reply.items
    assert NOTE[lang] in reply.answer


def test_no_note_without_a_credit_word_or_when_a_course_states_its_credit(bot_engine: Any) -> None:
    plain = bot_engine.ask("any courses on data science?")
    assert plain.kind == "courses" and plain.items
    assert NOTE["en"] not in plain.answer
    stated = bot_engine.ask("cours d'épidémiologie avec des ECTS ?")  # its record: 2 ECTS at the Cnam
    assert stated.kind == "courses" and stated.items
    assert "aucune de ces fiches" not in stated.answer


def test_a_record_linked_to_the_cmf_is_quoted_instead(bot_engine: Any) -> None:
    """The OU's cyber security microcredential has no credit figure, but its record says it meets the
    CMF; "no record says" read as if it gave none (trial 51)."""
    course = next(c for c in bot_engine.kb.courses.values() if c.cmf and "cyber" in c.title.lower())
    reply = bot_engine.ask("c'è un corso di cybersecurity che dia crediti?")
    assert (reply.kind, reply.lang) == ("courses", "it")
    assert course.id in {item.ref for item in reply.items}
    assert f"«{course.title}» dice del CMF: «{course.cmf}»" in reply.answer
    assert "4 a 6 ECTS" in reply.answer
