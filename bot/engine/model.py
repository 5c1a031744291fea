"""Typed objects shared by the loader, the store, the answer engine and every front end.

Nothing here knows about Discord or SQLite. The knowledge objects mirror the YAML files in
`knowledge/` and `intents.yaml` one to one (see `knowledge/README.md`); the reply objects are what
the engine gives back for a question.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.engine.languages import codes

LANGS: tuple[str, ...] = codes()
"""The languages every user-facing string exists in (knowledge/languages.json); the first is the fallback."""

DEFAULT_LANG = LANGS[0]

Localized = dict[str, str]
"""A user-facing string in each of `LANGS`, e.g. ``{"en": "...", "fr": "...", ...}``."""

AUDIENCES: tuple[str, ...] = ("learner", "employer", "university")

IMPORT_FORMATS: tuple[str, ...] = ("moochub", "csv", "yaml")
"""What a course list can be imported from (`bot.moderation.importer`); front ends offer these."""

LeadsToType = Literal["entry", "checklist", "course_search", "compliance_check", "credential_profile"]


def pick(text: Localized, lang: str) -> str:
    """The text in `lang`, else English, else any language present."""
    return text.get(lang) or text.get(DEFAULT_LANG) or next(iter(text.values()), "")


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass
class ChecklistItem:
    id: str
    text: Localized
    rule: dict[str, Any] | None = None
    """Machine-readable test used by the compliance check (see knowledge/README.md)."""


@dataclass
class Entry:
    """One knowledge entry: an answer, or a checklist (kind == "checklist")."""

    id: str
    kind: Literal["answer", "checklist"]
    title: Localized
    answer: Localized
    sources: list[str]
    checked: str
    """ISO date (YYYY-MM-DD) the entry was last checked against its sources."""
    audiences: list[str] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)
    """The `sources` that are third-party reports (press, blogs, copies, data sets), shown marked."""
    file: str = ""
    """Path of the YAML file it came from, relative to the knowledge root (``knowledge/cmf.yaml``)."""


@dataclass
class Intent:
    id: str
    audiences: list[str]
    leads_to: dict[str, Any]
    """``{"type": <LeadsToType>, "entry": <entry id>?, "filters": {...}?}``."""
    phrasings: dict[str, list[str]]
    """Example phrasings per language code."""


@dataclass
class Course:
    """One catalogue record (a course, microcredential, ExpertTrack, ... on a partner platform)."""

    id: str
    title: str
    platform: str
    type: str
    source_urls: list[str]
    institution: str | None = None
    languages: list[str] = field(default_factory=list)
    languages_inferred: bool = False
    subjects: list[str] = field(default_factory=list)
    workload: str | None = None
    hours: float | None = None
    credits: str | None = None
    ects: float | None = None
    level: str | None = None
    eqf_level: int | None = None
    assessment: str | None = None
    id_verification: str | None = None
    price: str | None = None
    course_url: str | None = None
    source_date: str | None = None
    listed_year: int | None = None
    withdrawn: str | None = None
    """Date a synced source stopped listing the course (kept, shown as withdrawn)."""
    cmf: str | None = None
    page_seen: str | None = None
    partial: bool = False
    description: str | None = None
    notes: str | None = None
    file: str = ""


PRICE_NORM = "price_norm."
"""Prefix of the string (knowledge/ui) that gives a price norm's text: `price_norm.<key>`."""


@dataclass(frozen=True)
class PriceNorm:
    """A platform's rule on what its courses cost, from the vocabulary's `price_norms`: shown where a
    record of that platform (and of one of `types`, or any type when empty) leaves the price out;
    its text is the string `price_norm.<key>`, its `source` the page that states the rule."""

    key: str
    platform: str
    types: frozenset[str]
    source: str

    def covers(self, course: Course) -> bool:
        return course.platform == self.platform and (not self.types or course.type in self.types)


def price_norms(vocabulary: dict[str, Any]) -> tuple[PriceNorm, ...]:
    """The vocabulary's `price_norms`, in the data's order."""
    raw = vocabulary.get("price_norms") or {}
    return tuple(
        PriceNorm(
            key=str(key),
            platform=str(norm.get("platform", "")),
            types=frozenset(str(t) for t in norm.get("types") or ()),
            source=str(norm.get("source", "")),
        )
        for key, norm in raw.items()
        if isinstance(norm, dict)
    )


# ---------------------------------------------------------------------------------------------
# Replies


@dataclass(frozen=True)
class Suggestion:
    intent: str
    title: str


@dataclass
class Item:
    """One line of a structured answer.

    A checklist requirement, a course in a list, a compliance verdict or a field of a credential
    profile. Front ends render items as embed fields or bullet lines.
    """

    label: str
    text: str
    status: Literal["met", "not_met", "unknown", "info"] | None = None
    url: str | None = None
    ref: str | None = None
    """Stable id of what the item is about (checklist item id, course id, ...)."""


Status = Literal["answer", "suggestions", "no_match"]
Kind = Literal["text", "checklist", "courses", "credential", "compliance", "fallback"]


@dataclass
class Reply:
    """What the engine answers to one question. `to_json()` is the console's stable contract."""

    question: str
    lang: str
    status: Status
    intent: str | None = None
    confidence: float = 0.0
    kind: Kind = "fallback"
    title: str = ""
    answer: str = ""
    items: list[Item] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    reason: str | None = None
    """Why there is no answer (empty question, too long, below threshold, ...), for logs and JSON."""
    question_id: int | None = None
    """Id of the logged question (when the engine logs), for feedback buttons; not part of the JSON."""
    also: Reply | None = None
    """The answer to a further, different question the message asks ("… and how long does it take?"),
    shown after this one; it may have its own `also`, a third question's (at most three answers in
    all). Status, intent and confidence stay this reply's."""
    heading_key: str = "reply.also_asked"
    """The string key of the heading this reply is shown under when it is another's `also`: "You
    also asked: {title}", or "About the platform you named: {title}" for a platform's own answer
    added to an employer's question (`Router._platform_of_the_credential`)."""

    read_as: str | None = None
    """The text answered when it is not the question: a short follow-up read with what the asker's
    previous question names ("data science and in French?" for "and in French?")."""

    def further(self) -> list[Reply]:
        """The further answers after this one (`also`, chained), in the order they are shown."""
        chain: list[Reply] = []
        also = self.also
        while also is not None:
            chain.append(also)
            also = also.also
        return chain

    def to_json(self) -> dict[str, Any]:
        """The documented JSON contract of `cmf-bot ask --json` (README, "JSON output")."""
        out: dict[str, Any] = {
            "question": self.question,
            "lang": self.lang,
            "status": self.status,
            "intent": self.intent,
            "confidence": round(float(self.confidence), 4),
            "answer": self.answer,
            "suggestions": [asdict(s) for s in self.suggestions],
            "links": [asdict(link) for link in self.links],
        }
        if self.reason:
            out["reason"] = self.reason
        if self.also is not None:
            out["also"] = self.also.to_json()
        if self.read_as is not None:
            out["read_as"] = self.read_as
        return out

    def body(self) -> str:
        """The answer without its opening title line (`**title**`), for a front end that shows the
        title on its own."""
        head, _, rest = self.answer.strip().partition("\n\n")
        if self.title and head.strip() == f"**{self.title}**":
            return rest.strip()
        return self.answer.strip()


@dataclass
class SourceFile:
    """One YAML file of the knowledge base, as needed to write it back (export)."""

    path: str
    """Relative to the knowledge root, POSIX style: ``knowledge/cmf.yaml``, ``intents.yaml``."""
    kind: str
    """entries | courses | strings | vocabulary | intents (the file's top-level key)."""
    header: str = ""
    """Comment lines at the top of the file after the schema line (kept by export)."""
    ids: list[str] = field(default_factory=list)
    """Ids (string keys for `strings`) of the file's objects, in file order; empty for vocabulary."""
    comments: dict[str, str] = field(default_factory=dict)
    """Comment lines written just before an object (by id), kept by export."""


@dataclass
class KnowledgeBase:
    """Everything loaded from `knowledge/` and `intents.yaml` (or read back from SQLite)."""

    entries: dict[str, Entry] = field(default_factory=dict)
    intents: dict[str, Intent] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    strings: dict[str, Localized] = field(default_factory=dict)
    vocabulary: dict[str, Any] = field(default_factory=dict)
    """Merged `vocabulary:` mappings (course_words, languages, platforms, types, topics)."""
    files: list[SourceFile] = field(default_factory=list)
    """The YAML files in load order (for storing and exporting)."""
    data: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each object exactly as in YAML: ``data[kind][id]`` for entries, intents, courses and strings
    (key), ``data["vocabulary"][file path]`` for each vocabulary file's mapping."""
