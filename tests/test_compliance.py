"""The compliance check: rules evaluated against course facts, and facts read from questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.answers import UiStrings
from bot.engine.compliance import FactError, check, evaluate_rule, parse_facts, validate_facts
from bot.engine.model import ChecklistItem, Entry

UI_DIR = Path(__file__).resolve().parents[1] / "knowledge" / "ui"
STRINGS = UiStrings({}, UI_DIR)

# Rules in the format of knowledge/README.md ("Compliance rules"); the figures are test data.
LEVEL_RULE = {
    "any_of": [
        {"fact": "eqf_level", "one_of": [6, 7]},
        {"all_of": [{"fact": "eqf_level", "one_of": [4, 5]}, {"fact": "ects", "min": 4, "max": 6}]},
    ],
    "note": {
        "en": "Only FutureLearn's current wording admits EQF 4-5.",
        "fr": "Seule la formulation actuelle de FutureLearn admet les niveaux 4-5.",
        "es": "Solo la redacción actual de FutureLearn admite los niveles 4-5.",
        "it": "Solo la formulazione attuale di FutureLearn ammette i livelli 4-5.",
        "de": "Nur die aktuelle Formulierung von FutureLearn lässt Niveau 4-5 zu.",
    },
}


def _text(en: str) -> dict[str, str]:
    return {lang: en for lang in ("en", "fr", "es", "it", "de")}


ENTRY = Entry(
    id="cmf-requirements-universities",
    kind="checklist",
    title=_text("Requirements"),
    answer=_text(""),
    sources=["https://example.org/cmf"],
    checked="2026-01-01",
    checklist=[
        ChecklistItem("hours", _text("Hours"), {"fact": "study_hours", "min": 100, "max": 150}),
        ChecklistItem("level", _text("Level"), LEVEL_RULE),
        ChecklistItem(
            "assessment",
            _text("Assessment"),
            {
                "all_of": [
                    {"fact": "assessment", "one_of": ["proctored-exam", "supervised-exam"]},
                    {"fact": "awards_credit", "equals": True},
                ]
            },
        ),
        ChecklistItem("id", _text("ID"), {"fact": "id_verification", "equals": True}),
        ChecklistItem(
            "transcript",
            _text("Transcript"),
            {"fact": "transcript", "includes": ["learning-outcomes", "study-hours", "eqf-level", "credits"]},
        ),
        ChecklistItem("degree", _text("Counts towards a degree"), None),
    ],
)

ALL_MET = {
    "study_hours": 120,
    "eqf_level": 6,
    "ects": 5,
    "assessment": "proctored-exam",
    "awards_credit": True,
    "id_verification": True,
    "transcript": ["learning-outcomes", "study-hours", "eqf-level", "credits"],
}


def _status(facts: dict, item: str, lang: str = "en") -> tuple[str, str]:
    report = check(ENTRY, facts, lang, STRINGS.get)
    found = next(i for i in report.items if i.id == item)
    return found.status, found.reason


# -- rules ----------------------------------------------------------------------------------------


def test_every_rule_met_but_an_item_without_rule_stays_unknown() -> None:
    report = check(ENTRY, ALL_MET, "en", STRINGS.get)
    assert [i.status for i in report.items] == ["met"] * 5 + ["unknown"]
    assert report.verdict == "unknown"


@pytest.mark.parametrize(
    ("hours", "status", "word"),
    [(99, "not_met", "minimum"), (100, "met", "within"), (150, "met", "within"), (151, "not_met", "maximum")],
)
def test_range_bounds_are_inclusive(hours: int, status: str, word: str) -> None:
    got, reason = _status({"study_hours": hours}, "hours")
    assert got == status
    assert word in reason and str(hours) in reason


def test_a_missing_fact_is_unknown_never_met() -> None:
    for item in ("hours", "level", "assessment", "id", "transcript"):
        status, _ = _status({}, item)
        assert status == "unknown", item
    assert "not given" in _status({}, "hours")[1]
    report = check(ENTRY, {}, "en", STRINGS.get)
    assert report.count("met") == 0


def test_eqf_6_meets_the_level_rule_without_ects() -> None:
    assert _status({"eqf_level": 6}, "level")[0] == "met"
    assert _status({"eqf_level": 7}, "level")[0] == "met"


def test_eqf_4_5_alternative_needs_ects_and_names_whose_wording() -> None:
    status, reason = _status({"eqf_level": 5, "ects": 5}, "level")
    assert status == "met"
    assert "FutureLearn" in reason  # the note says whose wording admits the alternative
    assert _status({"eqf_level": 4}, "level")[0] == "unknown"  # ECTS not given
    assert _status({"eqf_level": 5, "ects": 10}, "level")[0] == "not_met"
    assert _status({"eqf_level": 3, "ects": 5}, "level")[0] == "not_met"
    assert _status({"eqf_level": 8}, "level")[0] == "not_met"


def test_all_of_is_not_met_when_one_part_fails() -> None:
    status, reason = _status({"assessment": "quiz", "awards_credit": True}, "assessment")
    assert status == "not_met" and "quiz" in reason
    assert _status({"assessment": "proctored-exam"}, "assessment")[0] == "unknown"
    assert _status({"assessment": "proctored-exam", "awards_credit": False}, "assessment")[0] == "not_met"


def test_equals_and_includes() -> None:
    assert _status({"id_verification": False}, "id")[0] == "not_met"
    status, reason = _status({"transcript": ["learning-outcomes", "credits"]}, "transcript")
    assert status == "not_met"
    assert "study hours" in reason and "EQF level" in reason.split("(")[0]


def test_verdict_not_met_wins() -> None:
    facts = dict(ALL_MET, study_hours=20)
    report = check(ENTRY, facts, "en", STRINGS.get)
    assert report.verdict == "not_met"
    assert report.count("not_met") == 1


def test_reasons_are_in_the_asked_language() -> None:
    _, fr = _status({"study_hours": 80}, "hours", "fr")
    _, de = _status({"study_hours": 80}, "hours", "de")
    assert "Heures d'études" in fr and "minimum" in fr
    assert "Lernstunden" in de and "Minimum" in de
    _, es = _status({}, "id", "es")
    assert "no indicado" in es


def test_unreadable_rule_is_unknown() -> None:
    status, _ = evaluate_rule({"nonsense": 1}, {"study_hours": 5}, "en", STRINGS.get)
    assert status == "unknown"


@pytest.mark.parametrize(
    "facts",
    [
        {"eqf_level": 9},
        {"eqf_level": 6.5},
        {"study_hours": -1},
        {"study_hours": "eighty"},
        {"assessment": "interview"},
        {"id_verification": "yes"},
        {"transcript": ["grades"]},
        {"colour": "blue"},
    ],
)
def test_bad_facts_are_refused(facts: dict) -> None:
    with pytest.raises(FactError):
        validate_facts(facts)


# -- reading facts from a question ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Our course is 80 hours at EQF 6 with a proctored exam. Does it meet the CMF?",
            {"study_hours": 80, "eqf_level": 6, "assessment": "proctored-exam"},
        ),
        (
            "Notre cours fait 120 heures, niveau 6, 5 crédits ECTS, avec vérification d'identité. Conforme ?",
            {"study_hours": 120, "eqf_level": 6, "ects": 5, "id_verification": True},
        ),
        (
            "Nuestro curso: 10 semanas a 12 horas por semana, nivel 7, examen presencial, "
            "sin verificación de identidad",
            {"study_hours": 120, "eqf_level": 7, "assessment": "supervised-exam", "id_verification": False},
        ),
        (
            "Il corso dura 100 ore, livello 5, 4 crediti ECTS, esame online",
            {"study_hours": 100, "eqf_level": 5, "ects": 4, "assessment": "online-exam"},
        ),
        (
            "Unser Kurs hat 150 Stunden, EQR-Niveau 6, 6 ECTS-Punkte und eine Identitätsprüfung",
            {"study_hours": 150, "eqf_level": 6, "ects": 6, "id_verification": True},
        ),
    ],
)
def test_parse_facts_in_five_languages(text: str, expected: dict) -> None:
    assert parse_facts(text) == expected


def test_parse_facts_credit_and_transcript() -> None:
    facts = parse_facts(
        "130h, level 6, awards credit via RPL, IDs are checked. Transcript with learning outcomes."
    )
    assert facts == {
        "study_hours": 130,
        "eqf_level": 6,
        "awards_credit": True,
        "id_verification": True,
        "transcript": ["learning-outcomes"],
    }
    full = parse_facts("The transcript lists learning outcomes, study hours, EQF level and credits.")
    assert full["transcript"] == ["learning-outcomes", "study-hours", "eqf-level", "credits"]


def test_parse_facts_negations_and_nothing() -> None:
    assert parse_facts("not credit-bearing and no ID check")["awards_credit"] is False
    assert parse_facts("no ID check")["id_verification"] is False
    assert parse_facts("Does my course meet the CMF?") == {}
    assert parse_facts("What is a microcredential?") == {}
