"""How long a course lasts (`course-duration`, knowledge/common-questions.yaml): asked in the users'
words in five languages, answered with the durations the sources give per platform, and kept apart
from the study hours of a microcredential (`cmf-study-hours`)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("How long do courses on these platforms usually run?", "en"),
        ("hey how many weeks is one of those moocs", "en"),
        ("Un MOOC, ça dure combien de temps en général ?", "fr"),
        ("¿Cuánto duran normalmente los cursos?", "es"),
        ("Quanto durano di solito i corsi online?", "it"),
        ("Wie lange dauern die Kurse ungefähr?", "de"),
    ],
)
def test_how_long_a_course_lasts(bot_engine: Any, question: str, lang: str) -> None:
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", "course-duration", lang)
    # the durations of the sources: MiríadaX 4-12 weeks, EduOpen 3-5, a microcredential 100-150 hours
    for figure in ("4", "12", "3", "5", "100", "150"):
        assert figure in reply.answer
    assert "FUN" in reply.answer  # named among the platforms the sources say nothing about


def test_the_answer_names_what_the_sources_do_not_say(bot_engine: Any) -> None:
    answer = bot_engine.ask("how long is a course?").answer
    assert "not in my sources" in answer
    assert all(name in answer for name in ("FUN", "iMooX", "OpenupEd"))


@pytest.mark.parametrize(
    "question",
    [
        "how long does a microcredential take?",
        "wie viele Stunden braucht man für ein Microcredential?",
    ],
)
def test_the_hours_of_a_microcredential_keep_their_answer(bot_engine: Any, question: str) -> None:
    assert bot_engine.ask(question).intent == "cmf-study-hours"
