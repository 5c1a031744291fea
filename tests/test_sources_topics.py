"""Topics users asked about that only the sources' literature answers (issue 8, thirteenth pass): the
CMF paper (`cmf-paper`) and EADTU's guidance on joint micro-credential programmes
(`joint-programmes-guidance`), in knowledge/cmf.yaml; and a MiríadaX price question, which gets
MiríadaX's answer (prices not in the sources), never FutureLearn's prices."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("whats the reference for the cmf paper by antonaci et al", "en"),
        ("Je cherche l'article scientifique qui présente le CMF, qui l'a écrit ?", "fr"),
        ("¿Dónde se publicó el artículo de Antonaci, Henderikx y Ubachs sobre el CMF?", "es"),
        ("devo citare il cmf nella mia tesi: qual è l'articolo di riferimento?", "it"),
        ("Gibt es eine wissenschaftliche Veröffentlichung, die das CMF beschreibt?", "de"),
    ],
)
def test_the_cmf_paper_is_cited_with_what_the_sources_hold(bot_engine: Any, question: str, lang: str) -> None:
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", "cmf-paper", lang)
    assert "Antonaci" in reply.answer and "10.69520/jipe.v3i1.89" in reply.answer
    assert "https://jipe.ca/index.php/jipe/article/view/89" in {link.url for link in reply.links}


def test_the_paper_answer_says_the_full_text_is_not_in_the_sources(bot_engine: Any) -> None:
    answer = bot_engine.answer_intent("cmf-paper", "en").answer
    assert "only the abstract" in answer


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("what does the BLOOM guidance say about joint micro-credential programmes?", "en"),
        ("cosa dice la guida bloom sui programmi congiunti di microcredenziali", "it"),
        ("Plusieurs universités veulent délivrer ensemble une microcertification, que prévoir ?", "fr"),
    ],
)
def test_joint_programmes_get_eadtus_guidance(bot_engine: Any, question: str, lang: str) -> None:
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", "joint-programmes-guidance", lang)
    assert "10.5281/zenodo.6552609" in reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "cuanto cuesta una microcredencial en miriadax?",
        "how much does a microcredential cost on MiriadaX?",
        "combien coûte une microcertification sur MiríadaX ?",
    ],
)
def test_a_miriadax_price_question_never_gets_futurelearns_prices(bot_engine: Any, question: str) -> None:
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent) == ("answer", "partner-miriadax")


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("est-ce que le CPF finance les microcredentials de fun ?", "fr"),
        ("can my training fund pay for a futurelearn microcredential?", "en"),
        ("il fondo interprofessionale paga i corsi di EduOpen?", "it"),
    ],
)
def test_a_funding_question_says_it_is_not_in_the_sources(bot_engine: Any, question: str, lang: str) -> None:
    """Training-funding schemes (CPF, OPCO, Fondimpresa…) are in no source: the reply says so and who
    knows, with what the sources say about paying."""
    reply = bot_engine.ask(question)
    assert (reply.status, reply.intent, reply.lang) == ("answer", "training-funding", lang)
    assert "Visa" in reply.answer and "Mastercard" in reply.answer  # FUN's payment rule, from its help centre
