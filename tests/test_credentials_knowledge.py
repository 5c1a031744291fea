"""What the EU elements and CMF requirements are, and how many hours an ECTS credit is, come from the
knowledge base: change the data and the report changes; the Python holds no such fact."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from credential_factory import knowledge_from, sample

from bot.credentials.knowledge import ECTS_ENTRY, CredentialKnowledge, KnowledgeMissing
from bot.credentials.present import to_markdown
from bot.credentials.report import check_file
from bot.engine.answers import UiStrings
from bot.engine.loader import load_knowledge
from bot.engine.paths import PROJECT_ROOT

EDC = "mynextid_edc-microcredential_JAdES-signed.jsonld"  # 45 h and 5 ECTS
NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge root."""
    shutil.copytree(PROJECT_ROOT / "knowledge", tmp_path / "knowledge")
    shutil.copy(PROJECT_ROOT / "intents.yaml", tmp_path / "intents.yaml")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def report_text(knowledge: CredentialKnowledge) -> str:
    return to_markdown(check_file(sample(EDC), knowledge, "en", now=NOW), knowledge.strings)


def test_the_hours_per_ects_range_is_read_from_the_knowledge_file(root: Path) -> None:
    assert "5 ECTS ≈ 125–150 h" in report_text(knowledge_from(root))
    edit(
        root / "knowledge" / "credential-files.yaml",
        "min: 25\n          max: 30",
        "min: 8\n          max: 10",
    )
    changed = report_text(knowledge_from(root))
    workload = next(line for line in changed.splitlines() if "Notional workload" in line)
    assert workload.startswith("✅") and "inconsistent" not in changed  # 45 h is inside 5 × 8–10 h


def test_the_elements_are_the_checklist_of_the_knowledge_entry(root: Path) -> None:
    eu = root / "knowledge" / "eu-standard.yaml"
    edit(eu, "en: Identification of the learner", "en: Who the learner is (edited in the knowledge base)")
    text = eu.read_text(encoding="utf-8")
    # drop the quality-assurance item: the report then has ten elements
    start = text.index("      - id: quality-assurance")
    end = text.index("    links:", start)
    eu.write_text(text[:start] + text[end:], encoding="utf-8")
    knowledge = knowledge_from(root)
    report = check_file(sample(EDC), knowledge, "en", now=NOW)
    assert [f.id for f in report.elements][-1] == "participation" and len(report.elements) == 10
    assert report.elements[0].label == "Who the learner is (edited in the knowledge base)"
    assert "Type of quality assurance" not in to_markdown(report, knowledge.strings)


def test_the_cmf_requirements_follow_the_rules_of_the_knowledge_base(root: Path) -> None:
    cmf = root / "knowledge" / "cmf.yaml"
    edit(
        cmf,
        "        rule:\n          fact: study_hours\n          min: 100\n          max: 150",
        "        rule:\n          fact: study_hours\n          min: 40\n          max: 50",
    )
    report = check_file(sample(EDC), knowledge_from(root), "en", now=NOW)
    hours = next(f for f in report.requirements if f.id == "study-hours")
    assert hours.status == "met" and "40" in hours.reason and "50" in hours.reason


def test_no_cmf_or_eu_figure_is_written_in_the_python() -> None:
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "bot" / "credentials").glob("*.py")
    )
    figures = (r"\b25\D{1,4}30\b", r"\b100\D{1,4}150\b", r"\b4\D{1,4}6 ?ECTS", r"EQF [4-7]\b", r"\(6, ?7\)")
    for figure in (*figures, r"Identification of the learner", r"Type of assessment"):
        assert not re.search(figure, code), figure


def test_a_database_without_the_new_entry_reads_it_from_the_bundled_files(root: Path) -> None:
    kb = load_knowledge(PROJECT_ROOT)
    del kb.entries[ECTS_ENTRY]  # as in a database built before the entry existed
    knowledge = CredentialKnowledge.from_kb(kb, UiStrings(kb.strings, None).get)
    assert knowledge.hours_per_ects == (25.0, 30.0)
    (root / "knowledge" / "credential-files.yaml").unlink()
    with pytest.raises(KnowledgeMissing, match=ECTS_ENTRY):
        CredentialKnowledge.from_kb(kb, UiStrings(kb.strings, None).get, root)


def test_every_credential_string_exists_in_five_languages_with_the_same_placeholders() -> None:
    kb = load_knowledge(PROJECT_ROOT)  # the loader checks languages and placeholders
    keys = {k for k in kb.strings if k.startswith("cred.")}
    used = set()
    for path in (PROJECT_ROOT / "bot").rglob("*.py"):
        used |= set(re.findall(r'"(cred\.[a-z0-9_.-]+)"', path.read_text(encoding="utf-8")))
    fieldmap = (PROJECT_ROOT / "bot" / "credentials" / "data" / "fieldmap.yaml").read_text(encoding="utf-8")
    used |= set(re.findall(r"(cred\.[a-z0-9_.-]+)", fieldmap))
    static = {k for k in used if not k.endswith(".")}
    assert static <= keys, sorted(static - keys)
    for lang in ("en", "fr", "es", "it", "de"):
        assert all(kb.strings[k].get(lang) for k in keys), lang
