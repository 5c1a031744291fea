"""One immutable knowledge snapshot: everything an answer needs, built by one function.

`build_snapshot` turns a typed knowledge base into a `Snapshot` (UI strings, the concept layer, the
trained intent matcher, the course-query reader, the catalogue search, the autocomplete index and the
per-intent tables the router reads). Nothing in a snapshot changes after it is built: the engine
answers from its current snapshot and, when the knowledge base changes, builds the next one aside
and swaps the reference (`bot.engine.engine`). The router (`bot.engine.router`) is a function of a
question and a snapshot.

The matcher cache: training takes seconds, the console's cold start must stay under one second. The
trained state is kept in a file beside the database (`<db>.matcher`), written with `marshal` (plain
ints, floats, strings, lists and dicts: no code runs on load) in chunks (a background rebuild reading
it never holds the GIL long), and used only when its key (a hash of the training rows, the concept
data, the matcher's source and the Python version; the file's first line) matches. Whoever
writes a change can call `prepare_matcher_cache` so that readers find the new matcher trained. The
cache also keeps the rows it was trained on, so a small change (a few rows added, none removed) is
learnt by a warm update of the cached matcher instead of a full training (`cached_matcher`,
`WARM_MAX_ROWS`, `WARM_LIMIT`; docs/matching.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import marshal
import os
import re
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from bot.engine.answers import Answers, UiStrings
from bot.engine.concepts import ConceptAnnotator, ConceptLayer
from bot.engine.course_query import CourseQuery, CourseQueryReader
from bot.engine.ensemble import BaggedIntentMatcher
from bot.engine.language import LanguageProfile
from bot.engine.matcher import OUT_OF_SCOPE, IntentMatcher, MatcherBase
from bot.engine.model import DEFAULT_LANG, LANGS, Course, Intent, KnowledgeBase, pick, price_norms
from bot.engine.normalize import normalize
from bot.engine.paths import PROJECT_ROOT
from bot.engine.spelling import umlaut_spellings
from bot.engine.typos import TypoFixer

if TYPE_CHECKING:  # imported when the engine needs it (see `matcher_class`)
    from bot.engine.sparse_matcher import SparseIntentMatcher

BUNDLED_UI_DIR = PROJECT_ROOT / "knowledge" / "ui"  # the checkout, else the copy in the wheel

ANSWER_SENTENCES = 1
"""The first sentences of each entry's answer (every language) also train the intent leading to it."""

TrainingRows = list[tuple[str, str, str]]


class CatalogueSearch(Protocol):
    """What the router needs of the catalogue search (`bot.engine.search.CourseSearch`)."""

    @property
    def search(self) -> Callable[..., Any]:
        """(text, *, limit, offset, filters…) → a result with `hits`, `total` and `exact`."""
        ...

    def complete(self, text: str, limit: int = ...) -> list[tuple[str, str]]: ...

    def titles_within(self, text: str, limit: int = ...) -> list[str]: ...


Matcher = MatcherBase
"""The engine's intent matcher: dense (`BaggedIntentMatcher`, an `IntentMatcher`) below
`SPARSE_FROM_ROWS` training rows, sparse (`SparseIntentMatcher`) from there."""
MatcherFactory = Callable[[TrainingRows, Callable[[str], Any] | None, str, "Path | None"], Matcher]
"""(training rows, feature annotator, salt, cache file or None) → a trained matcher."""

SPARSE_FROM_ROWS = 20_000
"""Training rows (phrasings, titles, answers' first sentences) from which the engine trains the sparse
matcher (`bot/engine/sparse_matcher.py`) instead of the dense one. The dense matcher keeps intents ×
features weights: at today's ~8,300 rows it is the more accurate of the two (right outcomes on the tune
split + dev halves 735 against 728) and takes 88 MB loaded, 474 MB while training; at 3× (25,000 rows)
it already needs 2.2 GB to train, and 10× does not fit. The sparse one grows with the phrasings (10×:
20 MB loaded, 10–12 s of CPU to train; docs/matching.md)."""


def matcher_class(n_rows: int) -> type[IntentMatcher] | type[SparseIntentMatcher]:
    """The matcher class the engine trains for `n_rows` training rows (see `SPARSE_FROM_ROWS`): below
    it the dense matcher trained with two seeds and averaged (`ensemble.BaggedIntentMatcher`: +12 right
    outcomes of ~2,400 over training seeds 0-2, +24 over 0-4, CLINC150 +0.3 points of accuracy; twice
    the training, the serving cost of one dense matcher; docs/quality.md, sixth pass)."""
    if n_rows < SPARSE_FROM_ROWS:
        return BaggedIntentMatcher
    from bot.engine.sparse_matcher import SparseIntentMatcher

    return SparseIntentMatcher


@dataclass(frozen=True, eq=False)
class Snapshot:
    """Everything one answer reads, frozen at one knowledge-base generation."""

    generation: int
    kb: KnowledgeBase
    strings: UiStrings
    answers: Answers
    concepts: ConceptLayer
    matcher: Matcher | None
    searcher: CatalogueSearch | None
    """None: no catalogue (every course search finds nothing)."""
    reader: CourseQueryReader | None
    """None when the knowledge base has no vocabulary (no course request is read)."""
    profiles: Mapping[str, Mapping[str, float]]
    """For each intent, the share of its phrasings that name each concept."""
    phrasing_of: Mapping[str, str]
    """Normalised training text → the intent it trains."""
    titles: Mapping[str, Mapping[str, str]]
    """Intent id → language → title."""
    complete: tuple[tuple[str, str, str], ...]
    """Autocomplete index: (normalised text, intent id, language) for titles and phrasings."""
    answerable: tuple[str, ...]
    """The intents that answer (not the off-topic examples), in knowledge-base order."""
    normalized: Mapping[str, str] = field(default_factory=dict)
    """Training text → its normalised form (reused by the next snapshot: at 10× the knowledge base,
    normalising every text again took ~1 s of a rebuild)."""
    spellings: Mapping[str, str] = field(default_factory=dict)
    """Words the knowledge base writes with umlauts, as typed with "ae", "oe", "ue" → as written
    (`spelling.umlaut_spellings`: "pruefung" → "prüfung")."""
    typos: TypoFixer | None = None
    """The words the knowledge base knows, to read a word typed with one slip ("refnud") as the one
    meant (`typos.TypoFixer`)."""

    def course_query(self, text: str, *, require_request: bool = True) -> CourseQuery | None:
        """The course request in `text`, or None (see `CourseQueryReader.read`)."""
        if self.reader is None:
            return None
        return self.reader.read(text, require_request=require_request)

    def course_queries(self, text: str) -> tuple[CourseQuery | None, CourseQuery | None]:
        """`course_query(text, require_request=False)` and `course_query(text)`, read once."""
        if self.reader is None:
            return None, None
        return self.reader.read_both(text)

    def intent_title(self, intent_id: str, lang: str) -> str:
        return self.titles.get(intent_id, {}).get(lang) or intent_id

    @cached_property
    def language_profile(self) -> LanguageProfile:
        """The language model of the intents' phrasings, for questions whose stopwords do not tell
        their language; built on first use (~50 ms), as most questions never need it."""
        texts: dict[str, list[str]] = {}
        for intent in self.kb.intents.values():
            for lang, phrasings in intent.phrasings.items():
                texts.setdefault(lang, []).extend(phrasings)
        return LanguageProfile(texts)


def build_snapshot(
    kb: KnowledgeBase,
    *,
    generation: int = 0,
    searcher: CatalogueSearch | None = None,
    matcher_cache: Path | None = None,
    matcher_factory: MatcherFactory | None = None,
    previous: Snapshot | None = None,
) -> Snapshot:
    """The snapshot of `kb`. `searcher` serves course searches (None: no catalogue);
    `matcher_cache` is the cache file to read/write (None: train in memory); `matcher_factory`
    replaces `cached_matcher` (tests and benchmarks). The concept layer and course-query reader of
    `previous` are reused when the vocabulary is the same (compiling them holds the GIL ~0.1 s), and so
    are its strings when the UI strings are the same, its normalised texts, the concept profiles of
    the intents that did not change (a phrasing change at 10× rebuilt in ~1 s instead of ~5 s) and the
    typo reader's word counts (`TypoFixer.build`)."""
    same_strings = previous is not None and previous.kb.strings == kb.strings
    strings = (
        previous.strings if previous is not None and same_strings else UiStrings(kb.strings, BUNDLED_UI_DIR)
    )
    same_vocabulary = previous is not None and previous.kb.vocabulary == kb.vocabulary
    concepts = previous.concepts if previous is not None and same_vocabulary else ConceptLayer(kb.vocabulary)
    rows = intent_rows(kb)
    factory = matcher_factory or cached_matcher
    matcher = factory(rows, ConceptAnnotator(concepts), concepts.digest, matcher_cache) if rows else None
    titles = {intent_id: _intent_titles(kb, strings, intent) for intent_id, intent in kb.intents.items()}
    answerable = tuple(i for i, intent in kb.intents.items() if not declines(intent))
    known = previous.normalized if previous is not None else {}
    norm: dict[str, str] = {}
    for _, _, text in rows:
        if text not in norm:
            norm[text] = known.get(text) or normalize(text)
    complete = [(normalize(title), i, lang) for i in answerable for lang, title in titles[i].items()]
    complete += [(norm[text], i, lang) for i, lang, text in rows if i in kb.intents]
    profiles = _intent_profiles(kb, concepts, norm, previous if same_vocabulary else None)
    if previous is not None and same_vocabulary:
        reader = previous.reader
    else:
        reader = CourseQueryReader(kb.vocabulary) if kb.vocabulary else None
        if reader is not None:
            reader.read("")  # compile the course-query vocabulary now, not in the first question
    return Snapshot(
        generation=generation,
        kb=kb,
        strings=strings,
        answers=(
            previous.answers
            if previous is not None and same_strings and same_vocabulary
            else Answers(strings, norms=price_norms(kb.vocabulary))
        ),
        concepts=concepts,
        matcher=matcher,
        searcher=searcher,
        reader=reader,
        profiles=MappingProxyType(profiles),
        phrasing_of=MappingProxyType({norm[t]: i for i, _, t in rows if i in kb.intents}),
        titles=MappingProxyType(titles),
        complete=tuple(complete),
        answerable=answerable,
        normalized=MappingProxyType(norm),
        spellings=MappingProxyType(
            umlaut_spellings([*(text for _, _, text in rows), *(c.title for c in kb.courses.values())])
        ),
        typos=TypoFixer.build(
            [*norm.values(), *(normalize(_course_words(c)) for c in kb.courses.values())],
            [kb.vocabulary],
            previous.typos if previous is not None and same_vocabulary else None,
        ),
    )


def _course_words(course: Course) -> str:
    """The words of a course record a question may name (title, institution, subjects)."""
    return " ".join([course.title, course.institution or "", *course.subjects])


def declines(intent: Intent | None) -> bool:
    """True for an intent of off-topic examples (`leads_to: {type: decline}`)."""
    return intent is not None and intent.leads_to.get("type") == "decline"


def intent_rows(kb: KnowledgeBase, titles: bool = True) -> TrainingRows:
    """The (intent id, language, text) training rows: every phrasing of every intent, and (`titles`)
    the five titles of the entry an intent leads to, so the entry's own words are evidence too.

    Phrasings of intents that lead to `decline` (off-topic examples) all train the matcher's reserved
    out-of-scope class.
    """
    rows = [
        (OUT_OF_SCOPE if declines(intent) else intent.id, lang, text)
        for intent in kb.intents.values()
        for lang, texts in intent.phrasings.items()
        for text in texts
    ]
    if titles:
        for intent in kb.intents.values():
            entry = kb.entries.get(str(intent.leads_to.get("entry") or ""))
            if entry is not None and not declines(intent):
                rows.extend((intent.id, lang, title) for lang, title in entry.title.items() if title)
                if ANSWER_SENTENCES:
                    for lang, body in entry.answer.items():
                        rows.extend((intent.id, lang, s) for s in _sentences(body)[:ANSWER_SENTENCES])
    return rows


def _intent_titles(kb: KnowledgeBase, strings: UiStrings, intent: Intent) -> dict[str, str]:
    """The intent's title in each language: its UI string, else its entry's title, else a phrasing."""
    key = f"intent.{intent.id}"
    if key in kb.strings:
        return {lang: strings.get(key, lang) for lang in LANGS}
    entry = kb.entries.get(str(intent.leads_to.get("entry") or ""))
    if entry:
        return {lang: pick(entry.title, lang) for lang in LANGS}
    kind_key = f"leads.{intent.leads_to.get('type')}"
    if strings.has(kind_key):
        return {lang: strings.get(kind_key, lang) for lang in LANGS}
    out = {}
    for lang in LANGS:
        texts = intent.phrasings.get(lang) or intent.phrasings.get(DEFAULT_LANG) or [intent.id]
        out[lang] = texts[0][:1].upper() + texts[0][1:]
    return out


def _sentences(text: str) -> list[str]:
    """The sentences of a Markdown answer (list marks and links dropped), for training."""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text or "")
    plain = re.sub(r"(?m)^\s*(?:[-*]|\d+\.)\s+", "", plain).replace("**", "")
    parts = re.split(r"(?<=[.!?])\s+|\n+", plain)
    return [p.strip() for p in parts if len(p.split()) >= 4]


def _intent_profiles(
    kb: KnowledgeBase,
    concepts: ConceptLayer,
    normalized: Mapping[str, str],
    previous: Snapshot | None = None,
) -> dict[str, Mapping[str, float]]:
    """For each intent, the share of its phrasings that name each concept; an intent unchanged
    since `previous` (a snapshot with the same concept layer) keeps its profile (at 10× the knowledge
    base, finding the concepts of every phrasing again took ~2 s of a rebuild). `normalized` holds
    the phrasings' normalised texts (the training rows'), so they are not normalised again."""
    out: dict[str, Mapping[str, float]] = {}
    for intent in kb.intents.values():
        if previous is not None and previous.kb.intents.get(intent.id) == intent:
            out[intent.id] = previous.profiles[intent.id]
            continue
        texts = [t for ts in intent.phrasings.values() for t in ts]
        counts: dict[str, int] = {}
        for text in texts:
            norm = normalized.get(text)
            for concept in concepts.concepts(text) if norm is None else concepts.concepts_of_normalized(norm):
                counts[concept] = counts.get(concept, 0) + 1
        out[intent.id] = {c: n / len(texts) for c, n in counts.items()} if texts else {}
    return out


# -- the matcher cache ----------------------------------------------------------------------------

_CACHE_MAGIC = b"cmf-bot-matcher-3"
_CHUNK = 2000
"""Most items of a large list or dict written (and read back) per `marshal` call. One call holds the
GIL: reading a 60 MB state in one call stalls every other thread of the process for a third of a
second, in chunks for a few milliseconds at a time."""
_CHUNK_BYTES = 64 * 1024
"""About the most bytes of one chunk: a list of large items (the dense matcher's packed weights, ~720
bytes each at 1×) gets fewer than `_CHUNK` items a chunk. 2,000 of them made 1.4 MB blobs whose
`marshal.loads` held the GIL ~20 ms, and an answer during a rebuild waited that long at each of its
SQLite calls (`bench.rebuild`, traced: 58–95 ms answers)."""


def _chunk_items(value: list[Any] | dict[Any, Any]) -> int:
    """Items a chunk of `value`: `_CHUNK`, fewer when its items are large (sized by a sample)."""
    sample = value[:16] if isinstance(value, list) else list(itertools.islice(value.items(), 16))
    size = max(1, len(marshal.dumps(sample)) // max(1, len(sample)))
    return max(1, min(_CHUNK, _CHUNK_BYTES // size))


def _write_cache(path: Path, key: str, state: dict[str, Any]) -> None:
    """`state` (plain values) as: a header line with the key, then length-prefixed `marshal` blobs:
    the layout, then the values, large lists and dicts in chunks of `_CHUNK` items."""
    layout: list[tuple[str, str, int]] = []
    chunks: list[Any] = []
    for name, value in state.items():
        parts: list[Any]
        step = _chunk_items(value) if isinstance(value, (list, dict)) else 0
        if isinstance(value, list) and len(value) > step:
            parts, kind = [value[i : i + step] for i in range(0, len(value), step)], "list"
        elif isinstance(value, dict) and len(value) > step:
            pairs = list(value.items())
            parts = [dict(pairs[i : i + step]) for i in range(0, len(pairs), step)]
            kind = "dict"
        else:
            parts, kind = [value], "value"
        layout.append((name, kind, len(parts)))
        chunks.extend(parts)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with tmp.open("wb") as f:
        f.write(_CACHE_MAGIC + b" " + key.encode("ascii") + b"\n")
        for blob in [layout, *chunks]:
            data = marshal.dumps(blob)
            f.write(struct.pack("<Q", len(data)))
            f.write(data)
    os.replace(tmp, path)


def _read_cache(path: Path, key: str | None) -> dict[str, Any] | None:
    """The state kept under `key` (any key when None), or None (another key). Raises for a missing or
    damaged file. The file is read blob by blob, so the process never holds the whole file beside
    the state it becomes (reading it whole first took the 1× bag's load from 144 to 218 MB at peak)."""
    with path.open("rb") as f:
        first = f.readline(200)
        if key is not None:
            if first != _CACHE_MAGIC + b" " + key.encode("ascii") + b"\n":
                return None
        elif not first.startswith(_CACHE_MAGIC + b" ") or not first.endswith(b"\n"):
            return None

        def blob() -> Any:
            head = f.read(8)
            if len(head) != 8:
                raise ValueError(f"{path}: truncated matcher cache")
            (size,) = struct.unpack("<Q", head)
            raw = f.read(size)
            if len(raw) != size:
                raise ValueError(f"{path}: truncated matcher cache")
            return marshal.loads(raw)

        state: dict[str, Any] = {}
        for name, kind, count in blob():
            if kind == "value":
                state[name] = blob()
                continue
            merged: Any = [] if kind == "list" else {}
            for _ in range(count):
                if kind == "list":
                    merged.extend(blob())
                else:
                    merged.update(blob())
            state[name] = merged
        return state


def _stored_key(path: Path) -> str | None:
    """The key of the cache file (its header line only), or None."""
    with contextlib.suppress(OSError, UnicodeDecodeError), path.open("rb") as f:
        magic, _, key = f.readline(200).rstrip(b"\n").partition(b" ")
        return key.decode("ascii") if magic == _CACHE_MAGIC else None
    return None


def matcher_cache_path(database_file: str | Path | None) -> Path | None:
    """The matcher cache beside a database file (None for an in-memory database)."""
    return Path(f"{database_file}.matcher") if database_file else None


_MATCHER_SOURCES = {
    "IntentMatcher": ("matcher.py", "trainer.py"),
    "BaggedIntentMatcher": ("ensemble.py", "matcher.py", "trainer.py"),
    "SparseIntentMatcher": ("sparse_matcher.py", "hashing.py", "sparse_trainer.py", "matcher.py"),
}
"""The source files a cached matcher of each class depends on (part of the cache key)."""


def _base_key(salt: str, cls: type) -> str:
    """What a matcher's training depends on besides its rows: `salt` (the concept data), the class,
    its sources and the Python version. A warm update starts only from a matcher of the same base."""
    digest = hashlib.sha256(salt.encode("utf-8"))
    digest.update(cls.__name__.encode())
    module = Path(str(sys.modules[cls.__module__].__file__))
    for name in _MATCHER_SOURCES[cls.__name__]:  # the matcher, its features and its trainer (numpy)
        digest.update(module.with_name(name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _cache_key(rows: Sequence[tuple[str, str, str]] | set[tuple[str, str, str]], salt: str = "") -> str:
    """The key of a matcher trained on `rows` (any order, repeats ignored): its base (`_base_key`) and
    the sum of the rows' own 128-bit digests, so no sort is needed (at 10× the knowledge base one
    `sorted` of the rows held the GIL ~90 ms, which an answer in another thread would wait for; a
    Python loop gives the GIL back every switch interval)."""
    distinct = rows if isinstance(rows, set) else set(rows)
    total = 0
    for row in distinct:
        total += int.from_bytes(hashlib.blake2b(repr(row).encode("utf-8"), digest_size=16).digest(), "little")
    digest = hashlib.sha256(_base_key(salt, matcher_class(len(distinct))).encode("ascii"))
    digest.update(total.to_bytes(40, "little"))
    digest.update(str(len(distinct)).encode("ascii"))
    return digest.hexdigest()


WARM_MAX_ROWS = 50
"""A change adding at most this many training rows (and removing none, or only rows it replaces:
`_replaces`) is learnt by a warm update of the cached matcher (`MatcherBase.warm_update`) instead of
a full training."""
WARM_LIMIT = 20
"""Warm updates in a row after which the next change trains from scratch again (so the matcher never
drifts far from what a full training of its rows gives)."""
_ROW_SEP, _FIELD_SEP = "\x1e", "\x1f"


def _pack_rows(rows: Sequence[tuple[str, str, str]]) -> str:
    """The sorted rows as one string (one `marshal` item, read back in milliseconds); "" when a text
    holds a separator (then no warm update starts from this state)."""
    if any(_ROW_SEP in f or _FIELD_SEP in f for row in rows for f in row):
        return ""
    return _ROW_SEP.join(_FIELD_SEP.join(row) for row in rows)


def _unpack_rows(packed: str) -> list[tuple[str, str, str]]:
    out = []
    for row in packed.split(_ROW_SEP) if packed else []:
        intent, lang, text = row.split(_FIELD_SEP)
        out.append((intent, lang, text))
    return out


def cache_info(path: Path | None) -> dict[str, Any] | None:
    """What the matcher cache holds: {"key", "class", "warm": warm updates since a full training,
    "rows": training rows, "recent": rows added by those warm updates}, or None (no cache, or
    unreadable)."""
    if path is None:
        return None
    key = _stored_key(path)
    try:
        state = _read_cache(path, key) if key else None
    except Exception:  # damaged
        return None
    if state is None:
        return None
    return {
        "key": key,
        "class": state.get("_class"),
        "warm": state.get("_warm", 0),
        "rows": len(_unpack_rows(state.get("_rows", ""))),
        "recent": len(_unpack_rows(state.get("_recent", ""))),
    }


def forget_matcher_cache(database_file: str | Path | None) -> None:
    """Delete the matcher cache beside `database_file`, so the next matcher is trained from scratch
    (`cmf-bot kb load`: a loaded knowledge base gets the matcher a full training of it gives)."""
    path = matcher_cache_path(database_file)
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _warm_matcher(
    state: dict[str, Any],
    meta: dict[str, Any],
    old: set[tuple[str, str, str]],
    rows: set[tuple[str, str, str]],
    annotate: Callable[[str], Any] | None,
    salt: str,
    cls: type[IntentMatcher] | type[SparseIntentMatcher],
    seed: int,
) -> Matcher | None:
    """The matcher of `rows` warm-updated from the cached matcher `state` (emptied once read) of an
    earlier row set `old` (`meta`: the cache's "_" entries), or None when that does not apply: another base
    (class, concept data, sources), rows removed that the added ones do not replace (`_replaces`),
    none or more than `WARM_MAX_ROWS` added, `WARM_LIMIT` reached, or an added row of an intent the
    old matcher lacks."""
    if meta.get("_base") != _base_key(salt, cls) or meta.get("_warm", 0) >= WARM_LIMIT or not old:
        return None
    added = sorted(rows.difference(old))
    removed = old.difference(rows)
    if not added or len(added) > WARM_MAX_ROWS or not _replaces(added, removed):
        return None
    try:
        matcher = cls.from_state(state)
        state.clear()  # (the old state's bytes: ~30 MB at 10×)
        matcher.set_annotate(annotate)
        kept = sorted(old - removed)  # the replay pool: a replaced row is not trained again
        recent = _unpack_rows(meta.get("_recent", ""))
        return matcher.warm_update(added, kept, seed=seed, recent=recent, **_training_options(cls, annotate))
    except ValueError:  # an unknown intent, a matcher that cannot be updated warm: train from scratch
        return None


def _training_options(
    cls: type[IntentMatcher] | type[SparseIntentMatcher], annotate: Callable[[str], Any] | None
) -> dict[str, Any]:
    """The keywords `cls.build` and `warm_update` get besides the annotator: for the sparse matcher
    and the concept layer's annotator, `normalized_annotator_factory` (the concept layer's annotators
    of normalised texts: the trainer normalises each text once and annotates that); none for the
    dense matcher."""
    if issubclass(cls, IntentMatcher) or not isinstance(annotate, ConceptAnnotator):
        return {}
    return {"normalized_annotator_factory": annotate.normalized}


def _replaces(added: Iterable[tuple[str, str, str]], removed: Iterable[tuple[str, str, str]]) -> bool:
    """Whether every removed row is replaced by an added row of the same intent and language: an
    edited title, answer or phrasing. What the old text taught stays in the weights, and it taught
    that same intent in that language, so a warm update is enough; a row removed without one (a
    phrasing deleted because it misled the matcher) needs the full training that forgets it."""
    edited = {(intent, lang) for intent, lang, _ in added}
    return all((intent, lang) in edited for intent, lang, _ in removed)


def cached_matcher(
    rows: TrainingRows,
    annotate: Callable[[str], Any] | None,
    salt: str,
    path: Path | None,
    *,
    warm: bool = True,
    key: str | None = None,
) -> Matcher:
    """`matcher_class(…).build(rows, annotate=…)`, or the same matcher read back from the cache file
    `path` (`state()` / `from_state()`). `salt` names what else the features depend on (the concept
    data). A stale or damaged cache is rebuilt; an unwritable one is skipped. When the cache holds
    the matcher of a slightly smaller row set (`_warm_matcher`) and `warm`, the new matcher is that
    one updated warm instead of trained from scratch; the cache records how many warm updates it has
    had since a full training. `key`: `_cache_key(rows, salt)` when the caller has it."""
    distinct = set(rows)
    cls = matcher_class(len(distinct))
    if path is not None and key is None:
        key = _cache_key(distinct, salt)
    previous: dict[str, Any] | None = None
    if path is not None and path.exists():
        try:
            stored = _stored_key(path)
            state = _read_cache(path, stored) if stored is not None and (warm or stored == key) else None
            if state is not None and stored == key:
                cached = cls.from_state({k: v for k, v in state.items() if not k.startswith("_")})
                cached.set_annotate(annotate)
                return cached
            previous = state if warm else None
        except Exception:  # stale or damaged cache: rebuild
            pass
    matcher: Matcher | None = None
    warm_count, recent = 0, ""
    if previous is not None:
        meta = {k: previous.pop(k) for k in list(previous) if k.startswith("_")}
        old = set(_unpack_rows(meta.get("_rows", "")))
        matcher = _warm_matcher(previous, meta, old, distinct, annotate, salt, cls, int(str(key)[:8], 16))
        del previous
        warm_count = meta.get("_warm", 0) + 1
        # the rows warm updates added since the full training that are still rows (an edit replaces some)
        kept = set(_unpack_rows(meta.get("_recent", ""))).intersection(distinct)
        recent = _pack_rows(sorted(kept.union(distinct - old)))
        del meta, old, kept
    if matcher is None:
        matcher = cls.build(rows, annotate=annotate, **_training_options(cls, annotate))
        warm_count, recent = 0, ""
    if path is not None and key is not None:
        with contextlib.suppress(Exception):  # read-only directory, unexpected matcher shape: no cache
            extra = {
                "_base": _base_key(salt, cls),
                "_class": cls.__name__,
                "_warm": warm_count,
                "_rows": _pack_rows(sorted(distinct)),
                "_recent": recent,  # the rows added by warm updates since the full training
            }
            _write_cache(path, key, {**matcher.state(), **extra})
    return matcher


# -- a matcher trained aside ----------------------------------------------------------------------
# A writer (the `cmf-bot kb` CLI) marks the database "preparing" from before its change until the new
# matcher is in the cache; an engine rebuilding meanwhile waits for that cache instead of training.
# Otherwise an engine's background rebuild trains in a child process (`python -m bot.engine.snapshot
# DB`), on another core and without the engine's GIL, so answers keep their latency.

WRITER_WAIT = 120.0
"""Most seconds a rebuild waits for a writer's matcher (a marker older than this is ignored)."""
_POLL = 0.05


def _marker(path: Path) -> Path:
    return path.with_name(f"{path.name}.preparing")


@contextlib.contextmanager
def preparing(database_file: str | Path | None) -> Iterator[None]:
    """Mark the matcher cache of `database_file` as being prepared by this process (a writer wraps its
    change and `prepare_matcher_cache` in it)."""
    path = matcher_cache_path(database_file)
    marker = _marker(path) if path is not None else None
    if marker is not None:
        with contextlib.suppress(OSError):
            marker.write_text(str(os.getpid()), encoding="ascii")
    try:
        yield
    finally:
        if marker is not None:
            with contextlib.suppress(OSError, ValueError):
                if int(marker.read_text(encoding="ascii")) == os.getpid():
                    marker.unlink()


def _writer_preparing(path: Path) -> bool:
    """A live process is preparing this matcher cache (a recent marker whose process runs)."""
    marker = _marker(path)
    try:
        if time.time() - marker.stat().st_mtime > WRITER_WAIT:
            return False
        os.kill(int(marker.read_text(encoding="ascii")), 0)
    except PermissionError:  # another user's process: alive
        return True
    except (OSError, ValueError):
        return False
    return True


def aside_matcher(
    rows: TrainingRows, annotate: Callable[[str], Any] | None, salt: str, path: Path | None
) -> Matcher:
    """The matcher factory of background rebuilds: the cached matcher; else wait for a writer that is
    preparing it; else train it in a child process; in the end (a newer change meanwhile, no child
    possible) train it here."""
    if path is None:
        return cached_matcher(rows, annotate, salt, path)
    key = _cache_key(rows, salt)
    deadline = time.monotonic() + WRITER_WAIT
    seen: float | None = None
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            mtime = path.stat().st_mtime
            if mtime != seen:
                seen = mtime
                if _stored_key(path) == key:
                    break
        if not _writer_preparing(path):
            break
        time.sleep(_POLL)
    if _stored_key(path) != key:
        database = path.with_name(path.name.removesuffix(".matcher"))
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [sys.executable, "-m", "bot.engine.snapshot", str(database)],
                capture_output=True,
                timeout=600,
                check=False,
            )
    return cached_matcher(rows, annotate, salt, path, key=key)


def prepare_matcher_cache(kb: KnowledgeBase, database_file: str | Path, *, warm: bool = True) -> bool:
    """Train the matcher of `kb` into the cache beside `database_file` unless it is there already, so
    that the engines reading that database after a change find it trained (call it after a write);
    warm-updated from the cached one when the change is small (see `cached_matcher`) and `warm`.
    True when it trained."""
    rows = intent_rows(kb)
    path = matcher_cache_path(database_file)
    if not rows or path is None:
        return False
    concepts = ConceptLayer(kb.vocabulary)
    key = _cache_key(rows, concepts.digest)
    if _stored_key(path) == key:
        return False
    cached_matcher(rows, ConceptAnnotator(concepts), concepts.digest, path, warm=warm, key=key)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot.engine.snapshot DB`: train the matcher of DB's knowledge base into its cache."""
    from bot.engine.store import read_knowledge

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m bot.engine.snapshot DATABASE", file=sys.stderr)
        return 2
    import sqlite_utils

    conn = sqlite3.connect(Path(args[0]).resolve().as_uri() + "?mode=ro", uri=True, timeout=10)
    try:
        with preparing(args[0]):
            prepare_matcher_cache(read_knowledge(sqlite_utils.Database(conn), courses=False), args[0])
    finally:
        conn.close()
    return 0


__all__ = [
    "CatalogueSearch",
    "Snapshot",
    "aside_matcher",
    "build_snapshot",
    "cache_info",
    "cached_matcher",
    "declines",
    "forget_matcher_cache",
    "intent_rows",
    "matcher_cache_path",
    "prepare_matcher_cache",
    "preparing",
]


if __name__ == "__main__":
    raise SystemExit(main())
