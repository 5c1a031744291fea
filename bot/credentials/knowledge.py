"""What the credential check needs from the knowledge base, and nothing else.

- the 11 mandatory elements of the EU Council Recommendation: the checklist of `eu-mandatory-elements`
  (their ids, names in five languages and order);
- the five CMF requirements: the checklist of `cmf-requirements-employers` (worded for employers),
  each checked with the `rule` of the item with the same id in `cmf-requirements-universities`;
- how many hours one ECTS credit stands for: the rule of `ects-hours-per-credit`;
- the words: `knowledge/ui/*.yaml` (through the engine's strings, so moderators' edits apply).

Nothing about the CMF or the Recommendation is written in Python. A database built before an entry
existed still works: a missing entry is read from the bundled knowledge files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.engine.compliance import UNIVERSITIES_CHECKLIST
from bot.engine.model import Entry, KnowledgeBase

ELEMENTS_ENTRY = "eu-mandatory-elements"
REQUIREMENTS_ENTRY = "cmf-requirements-employers"
ECTS_ENTRY = "ects-hours-per-credit"
ECTS_ITEM = "hours-per-credit"
NEEDED = (ELEMENTS_ENTRY, REQUIREMENTS_ENTRY, UNIVERSITIES_CHECKLIST, ECTS_ENTRY)

StringFn = Callable[..., str]


class KnowledgeMissing(LookupError):
    """An entry the check needs is in neither the database nor the bundled files."""


@dataclass(frozen=True)
class CredentialKnowledge:
    elements: Entry
    requirements: Entry
    rules: Mapping[str, Mapping[str, Any]]
    """CMF requirement id → its compliance rule."""
    hours_per_ects: tuple[float, float]
    ects: Entry
    strings: StringFn

    @classmethod
    def from_kb(cls, kb: KnowledgeBase, strings: StringFn, root: Path | None = None) -> CredentialKnowledge:
        """From a loaded knowledge base; entries it lacks are read from the bundled files."""
        entries = {eid: kb.entries.get(eid) for eid in NEEDED}
        missing = [eid for eid, entry in entries.items() if entry is None]
        if missing:
            entries.update(_bundled_entries(missing, root))
        for eid in NEEDED:
            if entries.get(eid) is None:
                raise KnowledgeMissing(eid)
        universities = entries[UNIVERSITIES_CHECKLIST]
        ects = entries[ECTS_ENTRY]
        assert universities is not None and ects is not None
        rules = {item.id: item.rule for item in universities.checklist if item.rule}
        rule = next((item.rule for item in ects.checklist if item.id == ECTS_ITEM and item.rule), None)
        if not rule or "min" not in rule or "max" not in rule:
            raise KnowledgeMissing(f"{ECTS_ENTRY}.{ECTS_ITEM}")
        elements, requirements = entries[ELEMENTS_ENTRY], entries[REQUIREMENTS_ENTRY]
        assert elements is not None and requirements is not None
        return cls(
            elements=elements,
            requirements=requirements,
            rules=rules,
            hours_per_ects=(float(rule["min"]), float(rule["max"])),
            ects=ects,
            strings=strings,
        )

    @classmethod
    def from_engine(cls, engine: Any) -> CredentialKnowledge:
        """From a running `Engine`'s current knowledge snapshot (its check for a newer knowledge base
        may start building the next one; this does not wait for it)."""
        snapshot = engine.current()
        return cls.from_kb(snapshot.kb, snapshot.strings.get)

    def sources(self) -> list[str]:
        """The source URLs of every entry the check used, without duplicates."""
        urls: list[str] = []
        for entry in (self.elements, self.requirements, self.ects):
            urls.extend(u for u in entry.sources if u not in urls)
        return urls


def _bundled_entries(ids: list[str], root: Path | None) -> dict[str, Entry]:
    """The entries `ids` from the bundled knowledge files (safe YAML, same rules as the loader)."""
    from bot.engine.loader import KNOWLEDGE_DIR, entry_from_data, parse_text
    from bot.engine.paths import knowledge_root

    base = (root or knowledge_root()) / KNOWLEDGE_DIR
    found: dict[str, Entry] = {}
    for path in sorted(base.rglob("*.yaml")):
        try:
            kind, body, _, errors = parse_text(path.name, path.read_bytes())
        except OSError:
            continue
        if errors or kind != "entries" or not isinstance(body, list):
            continue
        for raw in body:
            if isinstance(raw, dict) and raw.get("id") in ids and raw["id"] not in found:
                found[raw["id"]] = entry_from_data(raw, str(path.relative_to(base.parent)))
    return found
