"""German words typed with "ae", "oe", "ue" for umlauts (`bot.engine.spelling`)."""

from __future__ import annotations

from typing import Any

from bot.engine.spelling import respell, typed_back, umlaut_spellings

SPELLINGS = umlaut_spellings(["Wie läuft die Identitätsprüfung?", "Prüfung vor Ort", "no umlaut here"])


def test_words_written_with_umlauts_are_known_by_their_typed_form() -> None:
    assert SPELLINGS == {
        "laeuft": "läuft",
        "identitaetspruefung": "identitätsprüfung",
        "pruefung": "prüfung",
    }


def test_a_known_word_gets_its_umlauts_back_and_keeps_its_capital() -> None:
    assert respell("wie laeuft die identitaetspruefung?", SPELLINGS) == "wie läuft die identitätsprüfung?"
    assert respell("Pruefung in Praesenz", SPELLINGS) == "Prüfung in Praesenz"  # an unknown word stays


def test_words_that_only_look_like_pairs_are_left_alone() -> None:
    # "aktuell", "Dauer", "zuerst", "que": no word of the knowledge base is written "aktüll" or "qü"
    text = "aktuell, Dauer, zuerst, que, goethe"
    assert respell(text, SPELLINGS) == text
    assert respell(text, {}) == text


def test_a_respelled_part_is_quoted_as_typed() -> None:
    typed = "wie laeuft die identitaetspruefung? und die Pruefung?"
    written = respell(typed, SPELLINGS)
    assert typed_back(written, typed, SPELLINGS) == typed
    assert typed_back("und die Prüfung?", typed, SPELLINGS) == "und die Pruefung?"
    assert typed_back("no change", "no change", SPELLINGS) == "no change"


def test_the_engine_reads_a_question_typed_without_umlauts(bot_engine: Any) -> None:
    """Trial 109: "wie laeuft eigentlich die identitaetspruefung …" got a "did you mean" menu; typed
    with umlauts it was answered."""
    typed = "wie laeuft eigentlich die identitaetspruefung bei futurelearn microcredentials?"
    reply = bot_engine.ask(typed)
    spelt = bot_engine.ask("wie läuft eigentlich die identitätsprüfung bei futurelearn microcredentials?")
    assert reply.status == "answer" and reply.intent == spelt.intent
    # FutureLearn's identity check (Sumsub, at enrolment) or the CMF's, both say how it is done
    assert reply.intent in ("cmf-id-verification", "partner-futurelearn-mc-enrolment")
    assert reply.question == typed  # the asker's own words are kept for the log and the reply
