"""The quality-assurance topic (knowledge/common-questions.yaml): questions in words of their own,
not the intent's phrasings, reach it through the public `Engine.ask` in all five languages, and the
neighbouring questions on the OpenupEd label and the EU principles still reach their own entries."""

from __future__ import annotations

import pytest

from bot.engine.engine import Engine
from bot.engine.model import KnowledgeBase
from bot.engine.normalize import normalize

# One question a language, written for this test: none is a phrasing of any intent.
OWN_WORDS = {
    "en": "who keeps an eye on the quality of micro-credentials?",
    "fr": "la qualité d'une microcertification, qui s'en porte garant ?",
    "es": "¿quién se asegura de que una microcredencial sea de calidad?",
    "it": "chi si occupa della qualità di un corso con microcredenziale?",
    "de": "Wer achtet auf die Qualität von Microcredentials?",
}

NEIGHBOURS = [
    ("what is the OpenupEd quality label?", "partner-openuped-quality-label"),
    ("what are the ten European principles for micro-credentials?", "eu-principles"),
]


def test_the_questions_are_not_phrasings_of_any_intent(shipped_kb: KnowledgeBase) -> None:
    phrasings = {normalize(p) for i in shipped_kb.intents.values() for ps in i.phrasings.values() for p in ps}
    for question in [*OWN_WORDS.values(), *(q for q, _ in NEIGHBOURS)]:
        assert normalize(question) not in phrasings, question


@pytest.mark.parametrize(("lang", "question"), OWN_WORDS.items(), ids=list(OWN_WORDS))
def test_a_quality_question_in_own_words_gets_the_quality_assurance_entry(
    bot_engine: Engine, shipped_kb: KnowledgeBase, lang: str, question: str
) -> None:
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", "quality-assurance", lang)
    entry = shipped_kb.entries["quality-assurance"]
    assert entry.answer[lang].splitlines()[0] in reply.answer
    assert {link.url for link in reply.links} >= set(entry.sources)


@pytest.mark.parametrize(("question", "intent_id"), NEIGHBOURS, ids=[i for _, i in NEIGHBOURS])
def test_the_neighbouring_questions_keep_their_own_entries(
    bot_engine: Engine, question: str, intent_id: str
) -> None:
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent) == ("answer", intent_id)
