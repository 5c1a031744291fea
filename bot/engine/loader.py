"""Read `knowledge/` and `intents.yaml`: safe YAML with line numbers, JSON Schema, cross-file checks.

Every problem is reported at once as a `LoadError` printed `file:line: field: reason`, e.g.
``knowledge/cmf.yaml:12: entries[3].title.fr: missing language "fr"``. The file is relative to the
knowledge root (the directory holding `knowledge/` and `intents.yaml`); the field is a JSON-path-like
path into the file. Nothing is returned unless the whole knowledge base is valid.

Parsing uses PyYAML's safe loader only, composed node by node so that every value keeps its line.
Anchors, aliases and explicit tags other than the plain YAML types are refused; files are capped at
`MAX_FILE_BYTES` and nesting at `MAX_DEPTH`. Dates stay text (``2026-11-28``), exactly as written.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, Protocol
from urllib.parse import urlparse

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.engine.catalogue_reader import read_catalogue
from bot.engine.concepts import STEER_LEAD, UNSOURCED_LEAD, ConceptLayer
from bot.engine.model import (
    LANGS,
    PRICE_NORM,
    ChecklistItem,
    Course,
    Entry,
    Intent,
    KnowledgeBase,
    Link,
    SourceFile,
)
from bot.engine.paths import PROJECT_ROOT

MAX_FILE_BYTES = 2_000_000
"""Largest YAML file accepted (bytes)."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and sequences accepted."""

KNOWLEDGE_DIR = "knowledge"
INTENTS_FILE = "intents.yaml"
SCHEMA_DIR = PROJECT_ROOT / KNOWLEDGE_DIR / "schemas"

SCHEMAS: dict[str, str] = {
    "entries": "knowledge.schema.json",
    "courses": "catalogue.schema.json",
    "strings": "strings.schema.json",
    "vocabulary": "vocabulary.schema.json",
    "intents": "intents.schema.json",
}
"""File kind (its single top-level key) -> schema file in `knowledge/schemas/`."""

SCHEMA_COMMENT = "# yaml-language-server: $schema="
VOCABULARY_SECTIONS = (
    "course_words",
    "languages",
    "platforms",
    "types",
    "topics",
    "concepts",
    "evidence",
    "small_talk",
    "guards",
    "polar",
)

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PLAIN_KEY = re.compile(r"^[^\W\d][\w-]*$")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadError:
    """One problem in the knowledge files."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


class KnowledgeError(Exception):
    """The knowledge base is invalid; `errors` lists every problem found."""

    def __init__(self, errors: Iterable[LoadError]) -> None:
        self.errors = list(errors)
        lines = "\n".join(str(e) for e in self.errors)
        super().__init__(f"{len(self.errors)} error(s) in the knowledge base:\n{lines}")


def format_path(path: Iterable[str | int]) -> str:
    """``("entries", 3, "title", "fr")`` -> ``entries[3].title.fr``; odd keys as ``["a.b"]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


# ---------------------------------------------------------------------------------------------
# Parsing


class _Problem(Exception):
    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(reason)
        self.line, self.field, self.reason = line, field, reason


class _Checks:
    """Refuses anchors/aliases and caps nesting while composing nodes (mixed into both loaders)."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise _Problem(line, "(yaml)", f"aliases (*{event.anchor}) are not allowed")
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None:
            raise _Problem(line, "(yaml)", f"anchors (&{event.anchor}) are not allowed")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Problem(line, "(yaml)", f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


_RESOLVERS: dict[Any, list[tuple[str, Any]]] = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TAG + "timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(_Checks, yaml.SafeLoader):
    """Pure-Python safe loader that refuses anchors/aliases, caps nesting and keeps dates as text."""

    # types-PyYAML declares it per instance; PyYAML reads it from the class
    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = _RESOLVERS  # type: ignore[misc]


try:  # libyaml scans and parses (the slow part); composing stays in Python so every node keeps its mark
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CLoader: type | None = None
    _CFastLoader: type | None = None
else:

    class _CLoaderImpl(_Checks, Composer, _CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """The same checks over libyaml's event stream (Python's composer, C's scanner and parser)."""

        # types-PyYAML declares it per instance; PyYAML reads it from the class
        yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = _RESOLVERS  # type: ignore[misc]

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _CLoader = _CLoaderImpl

    class _CFastLoaderImpl(_CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml scans, parses AND composes (C): used only for a text that cannot hold an anchor or
        an alias (`_ANCHOR_OR_ALIAS`); nesting and every other rule are checked by `_convert`, and any
        problem sends the file through `_CLoader`/`_Loader` for the exact message."""

        # types-PyYAML declares it per instance; PyYAML reads it from the class
        yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = _RESOLVERS  # type: ignore[misc]

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _CFastLoader = _CFastLoaderImpl

_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]", re.M)
"""Where an anchor (&a) or alias (*a) could start (a superset: also "*word*" in text)."""


@dataclass
class _Doc:
    """One parsed YAML file."""

    path: str
    text: str
    kind: str | None = None
    body: Any = None
    """The value under the top-level key."""
    lines: Mapping[Path_, int] | None = None
    header: str = ""
    comments: dict[str, str] | None = None
    """Comment lines just before each top-level object, by id (string key for strings)."""
    ok: bool = False
    """Parsed and shaped as a known kind (cross-file checks may use it)."""


class _LazyLines(Mapping[Path_, int]):
    """The line of every value of a file, worked out (by parsing it again) only when a message needs
    one: a clean 500-record catalogue file never holds its ~14,000 lines in memory."""

    def __init__(self, doc: _Doc) -> None:
        self.doc = doc
        self._lines: dict[Path_, int] | None = None
        self._raw: bytes | str | None = None

    def release_text(self, raw: bytes | str) -> None:
        """Drop the file's decoded text (a large catalogue holds it twice otherwise); `raw`, the file's
        content as read, is decoded again if a message needs a line."""
        self._raw = raw
        self.doc.text = ""

    def _real(self) -> dict[Path_, int]:
        if self._lines is None:
            loader = _CFastLoader or _CLoader or _Loader
            doc = self.doc
            if not doc.text and self._raw is not None:
                doc = _Doc(doc.path, _decode(doc.path, self._raw, []) or "")
            parsed = _compose(loader, doc, [])
            self._lines = (parsed[1] if parsed else None) or {(): 1}
        return self._lines

    def __getitem__(self, path: Path_) -> int:
        return self._real()[path]

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._real())

    def __len__(self) -> int:
        return len(self._real())


def _compose(
    loader_class: type, doc: _Doc, errors: list[LoadError], with_lines: bool = True
) -> tuple[Any, dict[Path_, int] | None] | None:
    """Parse one file with `loader_class`: its value and the line of every value, or None on an error."""
    try:  # the reader checks the characters as it is built (NUL, other control characters)
        loader = loader_class(doc.text)
    except yaml.reader.ReaderError as exc:
        errors.append(_reader_error(doc, exc))
        return None
    try:
        try:
            node = loader.get_single_node()
        except _Problem as problem:
            errors.append(LoadError(doc.path, problem.line, problem.field, problem.reason))
            return None
        except yaml.reader.ReaderError as exc:
            errors.append(_reader_error(doc, exc))
            return None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            errors.append(
                LoadError(doc.path, line, "(yaml)", str(exc.problem or exc.context or "syntax error"))
            )
            return None
        except yaml.YAMLError as exc:
            errors.append(LoadError(doc.path, 1, "(yaml)", str(exc)))
            return None
        lines: dict[Path_, int] | None = {(): node.start_mark.line + 1 if node else 1} if with_lines else None
        value = _convert(loader, node, (), lines, doc.path, errors) if node is not None else None
    finally:
        loader.dispose()
    return value, lines


def _reader_error(doc: _Doc, exc: yaml.reader.ReaderError) -> LoadError:
    line = doc.text[: exc.position].count("\n") + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return LoadError(doc.path, line, "(yaml)", f"control character U+{code:04X} is not allowed")


def _parsed(doc: _Doc, errors: list[LoadError]) -> tuple[Any, dict[Path_, int] | None] | None:
    """The file's value and lines: read directly for a catalogue file in the canonical layout
    (`bot.engine.catalogue_reader`), else composed by libyaml when the text allows, else by Python
    over libyaml's events, else (for the messages of a broken file) by the pure-Python loader."""
    found: list[LoadError] = []
    if "\ncourses:\n" in doc.text or doc.text.startswith("courses:\n"):
        records = read_catalogue(doc.text)  # the canonical layout `kb export` writes, read directly
        if records is not None:
            return records, None  # lines only if a message needs them
    if _CFastLoader is not None and not _ANCHOR_OR_ALIAS.search(doc.text):
        parsed = _compose(_CFastLoader, doc, found, with_lines=False)  # lines only if a message needs them
        if not found:
            return parsed
        found.clear()
    if _CLoader is not None:
        parsed = _compose(_CLoader, doc, found)
        if not found:
            return parsed
    # report with the pure-Python loader's wording and lines, exactly as without libyaml
    return _compose(_Loader, doc, errors)


def _parse(doc: _Doc, errors: list[LoadError]) -> None:
    parsed = _parsed(doc, errors)
    if parsed is None:
        return
    value, lines = parsed
    kinds = ", ".join(SCHEMAS)
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in SCHEMAS:
        errors.append(LoadError(doc.path, 1, "(file)", f"expected exactly one top-level key, one of {kinds}"))
        return
    doc.kind = next(iter(value))
    doc.body = value[doc.kind]
    doc.lines = lines if lines is not None else _LazyLines(doc)
    doc.header = _header(doc.text)
    doc.comments = _object_comments(doc)
    doc.ok = True


def _convert(
    loader: Any, node: Node, path: Path_, lines: dict[Path_, int] | None, file: str, errors: list[LoadError]
) -> Any:
    """Build plain Python values from a node tree, recording the line of every value."""
    if len(path) >= MAX_DEPTH:  # only libyaml's own composer lets this through: the caller re-parses
        errors.append(
            LoadError(file, node.start_mark.line + 1, "(yaml)", f"nested deeper than {MAX_DEPTH} levels")
        )
        return None
    if node.tag not in _ALLOWED_TAGS:
        errors.append(
            LoadError(
                file,
                node.start_mark.line + 1,
                format_path(path) or "(yaml)",
                f'tag "{node.tag}" is not allowed',
            )
        )
        return None
    if isinstance(node, ScalarNode):
        try:
            return loader.construct_object(node)
        except (ValueError, OverflowError):  # e.g. an integer of more than 4,300 digits
            line = node.start_mark.line + 1
            errors.append(LoadError(file, line, format_path(path) or "(yaml)", "number too long"))
            return None
    if isinstance(node, SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            if lines is not None:
                lines[(*path, index)] = child.start_mark.line + 1
            items.append(_convert(loader, child, (*path, index), lines, file, errors))
        return items
    assert isinstance(node, MappingNode)
    return _convert_mapping(loader, node, path, lines, file, errors)


def _convert_mapping(
    loader: Any,
    node: MappingNode,
    path: Path_,
    lines: dict[Path_, int] | None,
    file: str,
    errors: list[LoadError],
) -> dict[str, Any]:
    """A mapping's plain value: text keys only, no merge keys, no key twice."""
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        where = format_path(path) or "(top level)"
        if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
            errors.append(LoadError(file, line, where, "keys must be plain text"))
            continue
        if key_node.value == "<<" and key_node.tag == _TAG + "merge":
            errors.append(LoadError(file, line, where, "merge keys (<<) are not allowed"))
            continue
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            errors.append(LoadError(file, line, where, f"key {key_node.value!r} is not text; quote it"))
            continue
        if key in mapping:
            errors.append(LoadError(file, line, format_path((*path, key)), f'duplicate key "{key}"'))
            continue
        if lines is not None:
            lines[(*path, key)] = line
        mapping[key] = _convert(loader, value_node, (*path, key), lines, file, errors)
    return mapping


def _header(text: str) -> str:
    """Comment lines at the top of a file, after the schema line."""
    out = []
    for number, line in enumerate(text.splitlines()):
        if number == 0 and line.startswith(SCHEMA_COMMENT):
            continue
        if not line.startswith("#"):
            break
        out.append(line.rstrip() + "\n")
    return "".join(out)


def _object_comments(doc: _Doc) -> dict[str, str]:
    """Comment lines right above each top-level object (blank lines between are ignored)."""
    assert doc.lines is not None
    body = (
        doc.text.split("\n")[len(doc.header.splitlines()) + 1 :] if doc.header else doc.text.split("\n")[1:]
    )
    if not any(line.lstrip().startswith("#") for line in body):
        return {}
    if doc.kind == "strings" and isinstance(doc.body, dict):
        starts = {key: doc.lines.get(("strings", key)) for key in doc.body}
    elif doc.kind in ("entries", "courses", "intents") and isinstance(doc.body, list):
        starts = {
            obj["id"]: doc.lines.get((doc.kind, i))
            for i, obj in enumerate(doc.body)
            if isinstance(obj, dict) and isinstance(obj.get("id"), str)
        }
    else:
        return {}
    text_lines = doc.text.splitlines()
    out: dict[str, str] = {}
    for oid, start in starts.items():
        found: list[str] = []
        number = (start or 1) - 2
        while number >= 0:
            line = text_lines[number].strip()
            if line.startswith("#"):
                found.append(line + "\n")
            elif line:
                break
            number -= 1
        if found:
            out[oid] = "".join(reversed(found))
    return out


def schema_comment(path: str, kind: str) -> str:
    """The first line a file at `path` (relative to the root) must have: its schema reference."""
    depth = len(Path(path).parts) - 1
    target = Path(KNOWLEDGE_DIR, "schemas", SCHEMAS[kind])
    if depth >= 1 and Path(path).parts[0] == KNOWLEDGE_DIR:
        rel = Path(*[".."] * (depth - 1), "schemas", SCHEMAS[kind])
    else:
        rel = Path(*[".."] * depth, target)
    return SCHEMA_COMMENT + rel.as_posix()


# ---------------------------------------------------------------------------------------------
# Schema validation


@cache
def _validator(kind: str) -> Any:
    """The validator of a file kind; `$ref`s to other files in `knowledge/schemas/` (the shared
    localized-text definitions) resolve by file name."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    def read(path: Path) -> Any:
        return json.loads(path.read_text(encoding="utf-8"))

    registry: Registry[Any] = Registry().with_resources(
        (path.name, Resource.from_contents(read(path), default_specification=DRAFT202012))
        for path in sorted(SCHEMA_DIR.glob("*.schema.json"))
    )
    schema = read(SCHEMA_DIR / SCHEMAS[kind])
    cls = jsonschema.Draft202012Validator
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


@cache
def _fast_validator(kind: str) -> Any:
    """A compiled check of the same schema (jsonschema-rs, 2020-12, formats asserted) that only says
    valid or not, some 400 times faster than `_validator`; an invalid value is then explained by
    `_validator`, so the messages are jsonschema's. None when it cannot be built (the slow path)."""
    try:
        import jsonschema_rs

        def retrieve(uri: str) -> Any:  # the shared definitions, by file name, as `_validator` does
            name = PurePosixPath(urlparse(uri).path).name
            return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))

        return jsonschema_rs.validator_for(
            _validator(kind).schema,
            validate_formats=True,
            retriever=retrieve,
            base_uri=f"file:///knowledge/schemas/{SCHEMAS[kind]}",
        )
    except Exception:  # any failure to build it: the reference validator decides alone
        return None


def _schema_iter_errors(kind: str, instance: Any) -> Iterator[Any]:
    """jsonschema's errors of `instance` against the schema of `kind` (none at all, fast, when the
    compiled check finds it valid)."""
    fast = _fast_validator(kind)
    if fast is not None and fast.is_valid(instance):
        return iter(())
    return _validator(kind).iter_errors(instance)


_TYPE_WORDS = {
    "string": "text",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": "a list",
    "object": "a mapping",
}


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 60 else text[:57] + "..."
    return json.dumps(text, ensure_ascii=False) if isinstance(value, str) else text


def _is_lang_map(schema: Mapping[str, Any]) -> bool:
    return set(schema.get("required", ())) == set(LANGS) and set(schema.get("properties", {})) == set(LANGS)


def _pattern_reason(pattern: str, value: Any, path: Path_) -> str:
    shown = _short(value)
    if pattern.startswith("^[a-z0-9][a-z0-9-]*"):
        return f'invalid id {shown}: use lower-case a-z, 0-9 and "-", starting with a letter or digit'
    if pattern.startswith("^https?://"):
        return f"malformed URL {shown}"
    if pattern == "\\S":
        return _empty_reason(path)
    if pattern.startswith("^[0-9]{4}"):
        return f"invalid date {shown}: use YYYY-MM-DD"
    if pattern == _platform_pattern():
        names = platforms()
        return f"unknown platform {shown}: must start with {', '.join(names[:-1])} or {names[-1]}"
    if pattern.startswith("^[a-z]{2,3}"):
        return f"invalid language code {shown}: use a two-letter ISO 639-1 code"
    if pattern.startswith("^[a-z0-9_]+"):
        return f"invalid key {shown}: use lower-case dotted names like fallback.no_match"
    return f"{shown} does not match {pattern}"


@cache
def _platform_pattern() -> str:
    """The catalogue schema's pattern for `platform`: ``^(FutureLearn|FUN|…)\\b``."""
    schema = _validator("courses").schema
    return str(schema["$defs"]["course"]["properties"]["platform"]["pattern"])


@cache
def platforms() -> tuple[str, ...]:
    """The partner platforms a catalogue record's `platform` starts with, as the catalogue schema
    lists them (the one definition; the importer and the messages read it here)."""
    match = re.fullmatch(r"\^\(([^()]+)\)\\b", _platform_pattern())
    if match is None:
        raise ValueError(f"unexpected platform pattern in {SCHEMAS['courses']}: {_platform_pattern()}")
    return tuple(match[1].split("|"))


def _empty_reason(path: Path_) -> str:
    return "empty answer" if len(path) >= 2 and path[-2] == "answer" else "empty text"


MAX_MAGNITUDE = 1e9
"""Largest absolute number accepted anywhere (fields have their own, smaller, schema maximums)."""


MAX_TEXT = 10_000
"""Longest text of any field; answers and titles have the edit form's own limits below."""
FIELD_LIMITS: dict[tuple[str, str], int] = {
    ("entries", "title"): 256,
    ("entries", "answer"): 4000,
    ("courses", "title"): 300,
    ("intents", "phrasings"): 500,
}
"""(kind, field) → most characters of one value (Discord's edit form allows 256 / 4000; a question
longer than 500 characters is not answered, so neither is such a phrasing useful)."""
ONE_LINE = {("courses", f) for f in ("id", "title", "platform", "institution", "type")} | {
    ("entries", "title"),
    ("intents", "phrasings"),
}
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters (all but tab and line ends) and bidirectional overrides/isolates (U+202E …)."""
_FORBIDDEN_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""`_FORBIDDEN` or a line end: a text without any needs no closer look."""
_SHORTEST_LIMIT = min(MAX_TEXT, *FIELD_LIMITS.values())
"""A text this long or shorter is within every field's limit."""


def _bad_values(value: Any, path: Path_) -> list[tuple[Path_, str]]:
    """(path, reason) of every bad value under `path` = (kind, index, field, …): NaN, Infinity or
    absurdly large numbers (jsonschema lets NaN pass `minimum`/`maximum`, and a NaN stored as JSON
    breaks every later read), control or bidi-override characters, line breaks in one-line fields,
    over-long texts."""
    out: list[tuple[Path_, str]] = []
    _collect_bad(value, path, out)
    return out


def _collect_bad(value: Any, path: Path_, out: list[tuple[Path_, str]]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, float | int):
        if isinstance(value, float) and not math.isfinite(value):
            out.append((path, f"{value} is not a number (NaN and Infinity are not allowed)"))
        elif abs(value) > MAX_MAGNITUDE:
            out.append((path, f"{_short_number(value)} is out of range"))
    elif isinstance(value, str):
        out.extend(_bad_text(value, path))
    elif isinstance(value, dict):
        for key, item in value.items():
            if type(item) is str and len(item) <= _SHORTEST_LIMIT and not _FORBIDDEN_OR_BREAK.search(item):
                continue  # the common case, checked here: a short one-line text without control characters
            _collect_bad(item, (*path, key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect_bad(item, (*path, index), out)


def _bad_text(value: str, path: Path_) -> Iterator[tuple[Path_, str]]:
    bad = _FORBIDDEN.search(value)
    field = (str(path[0]), str(path[2])) if len(path) > 2 else ("", "")
    limit = FIELD_LIMITS.get(field, MAX_TEXT)
    if bad:
        yield path, f"contains the control character U+{ord(bad.group()):04X}"
    elif field in ONE_LINE and ("\n" in value or "\r" in value):
        yield path, "must be one line (no line breaks)"
    if len(value) > limit:
        yield path, f"is {len(value):,} characters long, over the limit of {limit:,}"


def _short_number(value: float | int) -> str:
    return f"{value:.3g}" if isinstance(value, float) else f"a {value.bit_length()}-bit whole number"


def _schema_errors(doc: _Doc) -> list[LoadError]:
    assert doc.kind is not None and doc.lines is not None
    lines = doc.lines
    instance = {doc.kind: doc.body}

    def at(path: Path_, field_path: Path_ | None = None, reason: str = "") -> LoadError:
        probe = path
        while probe not in lines and probe:
            probe = probe[:-1]
        field = format_path(field_path or path) or doc.kind or ""
        return LoadError(doc.path, lines.get(probe, 1), field, reason)

    out: list[LoadError] = [at(p, reason=r) for p, r in _bad_values(doc.body, (doc.kind,))]
    for error in _schema_iter_errors(doc.kind, instance):
        out.extend(_translate(error, at, instance))
    return out


@dataclass
class _SchemaError:
    """One jsonschema error as the message handlers need it."""

    error: Any
    at: Any
    instance: Any
    path: Path_
    value: Any
    schema: Mapping[str, Any]

    def one(self, reason: str) -> list[LoadError]:
        return [self.at(self.path, None, reason)]

    @property
    def limit(self) -> Any:
        return self.error.validator_value

    def in_property_names(self) -> bool:
        return "propertyNames" in self.error.relative_schema_path


def _on_required(e: _SchemaError) -> list[LoadError]:
    missing = [name for name in e.limit if isinstance(e.value, dict) and name not in e.value]
    if _is_lang_map(e.schema):
        return [e.at(e.path, (*e.path, name), f'missing language "{name}"') for name in missing]
    when = _condition(e.instance, e.path) if "then" in e.error.relative_schema_path else ""
    return [e.at(e.path, (*e.path, name), f"required field is missing{when}") for name in missing]


def _on_additional(e: _SchemaError) -> list[LoadError]:
    known = set(e.schema.get("properties", {}))
    extras = [k for k in e.value if k not in known]
    if _is_lang_map(e.schema):
        expected = ", ".join(LANGS)
        return [e.at((*e.path, k), None, f'unknown language "{k}" (expected {expected})') for k in extras]
    return [e.at((*e.path, k), None, f'unknown field "{k}"') for k in extras]


def _on_type(e: _SchemaError) -> list[LoadError]:
    expected = [e.limit] if isinstance(e.limit, str) else list(e.limit)
    words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
    return e.one(f"expected {words}, got {_kind_of(e.value)}")


def _on_enum(e: _SchemaError) -> list[LoadError]:
    options = ", ".join(str(v) for v in e.limit)
    if e.in_property_names():
        return [e.at((*e.path, e.value), None, f"unknown key {_short(e.value)} (expected one of: {options})")]
    return e.one(f"{_short(e.value)} is not one of: {options}")


def _on_pattern(e: _SchemaError) -> list[LoadError]:
    reason = _pattern_reason(e.limit, e.value, e.path)
    if e.in_property_names():
        return [e.at((*e.path, e.value), None, reason)]
    return e.one(reason)


def _on_min_items(e: _SchemaError) -> list[LoadError]:
    return e.one("must not be empty" if e.limit == 1 else f"needs at least {e.limit} items")


def _on_unique(e: _SchemaError) -> list[LoadError]:
    seen: set[str] = set()
    dups = []
    for item in e.value:
        key = json.dumps(item, sort_keys=True)
        if key in seen:
            dups.append(item)
        seen.add(key)
    return e.one(f"duplicate value {_short(dups[0] if dups else e.value)}")


_BOUND_WORDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "more than",
    "exclusiveMaximum": "less than",
}


def _on_bound(e: _SchemaError) -> list[LoadError]:
    return e.one(f"{_short(e.value)} must be {_BOUND_WORDS[e.error.validator]} {e.limit}")


def _on_any_of(e: _SchemaError) -> list[LoadError]:
    options = e.limit
    if all(set(o) == {"required"} and len(o["required"]) == 1 for o in options):
        return e.one("needs one of: " + ", ".join(o["required"][0] for o in options))
    if isinstance(e.value, str) and any(str(o.get("pattern", "")).startswith("^https?://") for o in options):
        return e.one(f"malformed URL {_short(e.value)}")
    import jsonschema

    best = jsonschema.exceptions.best_match(e.error.context)
    if best is not None:
        return _translate(best, e.at, e.instance)
    return e.one(e.error.message)


_HANDLERS: dict[str, Callable[[_SchemaError], list[LoadError]]] = {
    "required": _on_required,
    "additionalProperties": _on_additional,
    "type": _on_type,
    "enum": _on_enum,
    "pattern": _on_pattern,
    "format": lambda e: e.one(f"invalid date {_short(e.value)}: use YYYY-MM-DD"),
    "minLength": lambda e: e.one(_empty_reason(e.path)),
    "maxLength": lambda e: e.one(f"too long ({len(e.value)} characters, at most {e.limit})"),
    "minItems": _on_min_items,
    "uniqueItems": _on_unique,
    **dict.fromkeys(_BOUND_WORDS, _on_bound),
    "not": lambda e: e.one(f"not allowed{_condition(e.instance, e.path[:-1])}"),
    "anyOf": _on_any_of,
}
"""jsonschema keyword -> the readable message(s) of an error it raised."""


def _translate(error: Any, at: Any, instance: Any) -> list[LoadError]:
    """Turn one jsonschema error into readable `LoadError`s."""
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    e = _SchemaError(error, at, instance, tuple(error.absolute_path), error.instance, schema)
    handler = _HANDLERS.get(error.validator)
    return handler(e) if handler else e.one(error.message)


def _condition(instance: Any, path: Path_) -> str:
    """' when kind is checklist' / ' with type "course_search"' for conditional rules."""
    node = instance
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return ""
    if isinstance(node, dict):
        if "kind" in node:
            return f" when kind is {node['kind']}"
        if "type" in node:
            return f" when type is {node['type']}"
    return ""


# ---------------------------------------------------------------------------------------------
# Cross-file rules
#
# Each rule works on plain objects (as in YAML) and says where a problem is as a path relative to
# the object; a `Where` callback names the place of an earlier object a message refers to. The file
# loader (`_cross_checks`) and the moderators' object validation (`cross_problems`) use the same rules.

Where = Callable[[Path_], Any]
"""Where a value of the object being checked is (``file:line`` for files, formatted with `str` when a
message uses it), for "first at" messages."""


def _prefix(doc: _Doc) -> str:
    assert doc.kind is not None
    return doc.kind


def _items(doc: _Doc) -> list[tuple[int, dict[str, Any]]]:
    if doc.kind in ("entries", "courses", "intents") and isinstance(doc.body, list):
        return [(i, o) for i, o in enumerate(doc.body) if isinstance(o, dict)]
    return []


def _list_at(obj: Mapping[str, Any], key: str) -> list[Any]:
    """`obj[key]` when it is a list, else an empty one (the schema reports the wrong type)."""
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _third_party_problems(obj: Mapping[str, Any]) -> Iterator[tuple[Path_, str]]:
    """Every third-party URL of an entry must be one of its sources."""
    sources = _list_at(obj, "sources")
    third = _list_at(obj, "third_party")
    for n, url in enumerate(third):
        if url not in sources:
            yield ("third_party", n), f'"{url}" is not one of the sources'


def _checklist_problems(obj: Mapping[str, Any], where: Where) -> Iterator[tuple[Path_, str]]:
    """Checklist item ids are unique within their entry."""
    items = obj.get("checklist")
    ids: dict[str, Any] = {}
    for n, item in enumerate(items if isinstance(items, list) else []):
        iid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(iid, str):
            continue
        path: Path_ = ("checklist", n, "id")
        if iid in ids:
            yield path, f'duplicate checklist item id "{iid}" (first at {ids[iid]})'
        else:
            ids[iid] = where(path)


def _range_problems(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every range in an entry (a rule's, its hours per credit, its UK or US credits: any mapping with
    a numeric `min` and `max`) runs upwards: a range from 15 to 10 would meet nothing."""
    if isinstance(value, Mapping):
        low, high = value.get("min"), value.get("max")
        numbers = not isinstance(low, bool) and not isinstance(high, bool)
        if numbers and isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            yield (*path, "min"), f"min {low} is above max {high}"
        for key, inner in value.items():
            yield from _range_problems(inner, (*path, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _range_problems(inner, (*path, n))


def entry_problems(obj: Mapping[str, Any], where: Where) -> list[tuple[Path_, str]]:
    """The rules within one entry (its third-party sources, its checklist ids, its ranges), beyond its
    schema."""
    return [*_third_party_problems(obj), *_checklist_problems(obj, where), *_range_problems(obj)]


@lru_cache(maxsize=65_536)
def text_key(text: str) -> str:
    """`normalize(text)`, cached for every phrasing and title (more than `normalize`'s own cache holds,
    so that a moderator's change in a running bot compares them all without folding them again)."""
    from bot.engine.normalize import normalize

    return normalize(text)


def entry_titles(obj: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(language, normalised title) of an entry: a phrasing may not copy one."""
    title = obj.get("title")
    for lang, text in title.items() if isinstance(title, dict) else ():
        if isinstance(text, str):
            yield lang, text_key(text)


def target_problem(obj: Mapping[str, Any], entry: Mapping[str, Any] | None) -> str | None:
    """What is wrong with the entry an intent leads to (`entry`: that entry's data, None if absent)."""
    leads = obj.get("leads_to")
    if not isinstance(leads, dict) or not isinstance(leads.get("entry"), str):
        return None
    target = leads["entry"]
    if entry is None:
        return f'unknown entry "{target}"'
    if leads.get("type") == "checklist" and entry.get("kind") != "checklist":
        kind = entry.get("kind")
        return f'entry "{target}" has kind {kind}; a checklist intent needs a checklist entry'
    return None


def target_of(obj: Mapping[str, Any]) -> str | None:
    """The id of the entry an intent leads to, if any."""
    leads = obj.get("leads_to")
    return leads["entry"] if isinstance(leads, dict) and isinstance(leads.get("entry"), str) else None


def phrasings_of(obj: Mapping[str, Any]) -> Iterator[tuple[Path_, str, str, str]]:
    """(path, language, text, normalised text) of each non-empty phrasing of an intent."""
    by_lang = obj.get("phrasings")
    for lang, texts in by_lang.items() if isinstance(by_lang, dict) else ():
        for n, text in enumerate(texts if isinstance(texts, list) else []):
            if isinstance(text, str) and text.strip():
                yield ("phrasings", lang, n), lang, text, text_key(text)


class PhrasingIndex:
    """Phrasings seen so far (normalised text -> intent, language, where): the duplicate rule."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[str, str, Any]] = {}

    def add(self, oid: str, lang: str, text: str, key: str, where: Any) -> str | None:
        """Record a phrasing; the problem if it repeats an earlier one (the same intent may say the
        same words in another language)."""
        first = self.first.get(key)
        if first is None:
            self.first[key] = (oid, lang, where)
            return None
        if first[0] != oid or first[1] == lang:
            other = f'intent "{first[0]}", ' if first[0] != oid else ""
            return f'duplicate phrasing "{text}" (also in {other}{first[2]})'
        return None


def title_problem(titles: Mapping[tuple[str, str], str], lang: str, key: str) -> str | None:
    """A phrasing that repeats an entry's title in its language teaches the matcher nothing."""
    entry = titles.get((lang, key))
    return f'copies the title of entry "{entry}"' if entry is not None else None


def _placeholder_problems(text: Any) -> Iterator[tuple[str, str]]:
    """(language, reason) of translations of a string whose placeholders differ from English."""
    if not isinstance(text, dict) or not isinstance(text.get("en"), str):
        return
    expected = sorted(set(_PLACEHOLDER.findall(text["en"])))
    for lang, value in text.items():
        if lang == "en" or not isinstance(value, str):
            continue
        if sorted(set(_PLACEHOLDER.findall(value))) != expected:
            shown = " ".join("{" + p + "}" for p in expected) or "none"
            yield lang, f"placeholders differ from en (expected {shown})"


class _Reporter:
    """Collects cross-file `LoadError`s at the line of a path in a parsed file."""

    def __init__(self) -> None:
        self.errors: list[LoadError] = []

    def __call__(self, doc: _Doc, path: Path_, reason: str) -> None:
        assert doc.lines is not None
        probe = path
        while probe not in doc.lines and probe:
            probe = probe[:-1]
        self.errors.append(LoadError(doc.path, doc.lines.get(probe, 1), format_path(path), reason))

    @staticmethod
    def where(doc: _Doc, path: Path_) -> Any:
        """``file:line`` of a path, formatted only if a message uses it."""
        return _Where(doc, path)


class _Where:
    def __init__(self, doc: _Doc, path: Path_) -> None:
        self.doc, self.path = doc, path

    def __str__(self) -> str:
        assert self.doc.lines is not None
        return f"{self.doc.path}:{self.doc.lines.get(self.path, 1)}"


def _objects_and_ids(
    docs: list[_Doc], err: _Reporter
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], str]]:
    """Duplicate ids and the rules within each entry; the entries by id and their titles."""
    seen: dict[tuple[str, str], Any] = {}
    entries: dict[str, dict[str, Any]] = {}
    titles: dict[tuple[str, str], str] = {}
    for doc in docs:
        for index, obj in _items(doc):
            oid = obj.get("id")
            if not isinstance(oid, str):
                continue
            path = (_prefix(doc), index, "id")
            first = seen.get((doc.kind or "", oid))
            if first:
                err(doc, path, f'duplicate id "{oid}" (first at {first})')
                continue
            seen[(doc.kind or "", oid)] = err.where(doc, path)
            if doc.kind != "entries":
                continue
            entries[oid] = obj
            for lang, key in entry_titles(obj):
                titles.setdefault((lang, key), oid)
            base = (_prefix(doc), index)

            def where(p: Path_, d: _Doc = doc, b: Path_ = base) -> str:
                return err.where(d, (*b, *p))

            for rel, reason in entry_problems(obj, where):
                err(doc, (*base, *rel), reason)
    return entries, titles


def _string_checks(docs: list[_Doc], err: _Reporter) -> None:
    """Duplicate string keys across files; placeholders the same in every language."""
    seen: dict[str, Any] = {}
    for doc in docs:
        if doc.kind != "strings" or not isinstance(doc.body, dict):
            continue
        for key, text in doc.body.items():
            path = ("strings", key)
            if key in seen:
                err(doc, path, f'duplicate string key "{key}" (first at {seen[key]})')
            else:
                seen[key] = err.where(doc, path)
            for lang, reason in _placeholder_problems(text):
                err(doc, (*path, lang), reason)


def _intent_checks(
    docs: list[_Doc],
    entries: Mapping[str, dict[str, Any]],
    titles: Mapping[tuple[str, str], str],
    refs_ok: bool,
    err: _Reporter,
) -> None:
    """Each intent's target entry, duplicate phrasings, phrasings copying a title."""
    index = PhrasingIndex()
    for doc in docs:
        if doc.kind != "intents":
            continue
        for n, obj in _items(doc):
            target = target_of(obj)
            if refs_ok and target is not None:
                reason = target_problem(obj, entries.get(target))
                if reason:
                    err(doc, ("intents", n, "leads_to", "entry"), reason)
            for rel, lang, text, key in phrasings_of(obj):
                path = ("intents", n, *rel)
                clash = index.add(str(obj.get("id")), lang, text, key, err.where(doc, path))
                if clash:
                    err(doc, path, clash)
                copied = title_problem(titles, lang, key) if refs_ok else None
                if copied:
                    err(doc, path, copied)


def _vocabularies(docs: list[_Doc]) -> list[_Doc]:
    return [doc for doc in docs if doc.kind == "vocabulary" and isinstance(doc.body, dict)]


def _defined(vocabularies: list[_Doc], section: str) -> set[str]:
    """The names a vocabulary section defines (its keys, e.g. the concept ids), over all files."""
    return {str(name) for doc in vocabularies for name in (doc.body.get(section) or {})}


def _known_names(doc: _Doc, path: Path_, names: Any, known: set[str], what: str, err: _Reporter) -> None:
    """Each of `names` (a list under `path`) is one of `known`, else an error at its position (a value
    that is no list is the schema check's to report)."""
    for k, name in enumerate(names if isinstance(names, list) else []):
        if str(name) not in known:
            err(doc, (*path, k), f'unknown {what} "{name}"')


def _steering_checks(docs: list[_Doc], err: _Reporter) -> None:
    """The steering rules (`steer_*` of the vocabulary) name intents and concepts that exist, every
    rule has the one intent it steers to, and each steering lead (`steer.<rule>` string) names a
    rule: a typo would silently switch a rule or its lead off."""
    intents = {str(obj.get("id")) for doc in docs if doc.kind == "intents" for _, obj in _items(doc)}
    vocabularies = _vocabularies(docs)
    concepts = _defined(vocabularies, "concepts")
    for doc in vocabularies:
        rules = doc.body.get("steer_to") or {}
        for section, known, what in (
            ("steer_to", intents, "intent"),
            ("steer_from", intents, "intent"),
            ("steer_unless", concepts, "concept"),
            ("steer_when", concepts, "concept"),
            ("steer_when_two", concepts, "concept"),
        ):
            for rule, names in (doc.body.get(section) or {}).items():
                if section != "steer_to" and rule not in rules:
                    err(doc, ("vocabulary", section, rule), f'no steer_to for rule "{rule}"')
                _known_names(doc, ("vocabulary", section, rule), names, known, what, err)
    rules = _defined(vocabularies, "steer_to")
    for doc in vocabularies:
        polar = doc.body.get("steer_polar")
        _known_names(doc, ("vocabulary", "steer_polar"), polar, rules, "steering rule", err)
    for doc in docs:
        if doc.kind != "strings" or not isinstance(doc.body, dict):
            continue
        for key in doc.body:
            # a steering lead (knowledge/ui/steer.yaml) for a rule that does not exist is never shown
            if str(key).startswith(STEER_LEAD) and str(key)[len(STEER_LEAD) :] not in rules:
                err(doc, ("strings", key), f'unknown steering rule "{str(key)[len(STEER_LEAD) :]}"')


def _guard_unless_checks(docs: list[_Doc], err: _Reporter) -> None:
    """Each `guard_unless` names a guard rule and concepts that exist: a typo would silently let
    the rule decline real questions again."""
    vocabularies = _vocabularies(docs)
    concepts, guards = _defined(vocabularies, "concepts"), _defined(vocabularies, "guards")
    for doc in vocabularies:
        for rule, names in (doc.body.get("guard_unless") or {}).items():
            if str(rule) not in guards:
                err(doc, ("vocabulary", "guard_unless", rule), f'unknown guard rule "{rule}"')
            _known_names(doc, ("vocabulary", "guard_unless", rule), names, concepts, "concept", err)


def _polar_about_checks(docs: list[_Doc], entries: set[str], err: _Reporter) -> None:
    """Each `polar_about` names an entry and concepts that exist: a typo would silently leave a yes/no
    lead on every yes/no question again, or never."""
    vocabularies = _vocabularies(docs)
    concepts = _defined(vocabularies, "concepts")
    for doc in vocabularies:
        for entry, names in (doc.body.get("polar_about") or {}).items():
            if str(entry) not in entries:
                err(doc, ("vocabulary", "polar_about", entry), f'unknown entry "{entry}"')
            _known_names(doc, ("vocabulary", "polar_about", entry), names, concepts, "concept", err)


def _evidence_checks(docs: list[_Doc], err: _Reporter) -> None:
    """Each kind of `evidence` (domain, partner, request_filters…), each course facet and each guard
    rule names concepts that exist: a typo would silently leave a concept out of it, or keep a guard,
    which needs all its concepts, from ever declining."""
    vocabularies = _vocabularies(docs)
    concepts = _defined(vocabularies, "concepts")
    for doc in vocabularies:
        for section in ("evidence", "course_facets", "guards"):
            for kind, names in (doc.body.get(section) or {}).items():
                _known_names(doc, ("vocabulary", section, kind), names, concepts, "concept", err)


def _guard_advice_checks(docs: list[_Doc], err: _Reporter) -> None:
    """Each `guard_advice` names guard rules that exist, each rule in one advice at most, and the
    advice has its string `fallback.declined.<advice id>`: a typo would silently drop the advice."""
    vocabularies = _vocabularies(docs)
    guards = _defined(vocabularies, "guards")
    strings = {str(k) for doc in docs if doc.kind == "strings" for k in (doc.body or {})}
    seen: set[str] = set()
    for doc in vocabularies:
        for advice, rules in (doc.body.get("guard_advice") or {}).items():
            where = ("vocabulary", "guard_advice", advice)
            if f"fallback.declined.{advice}" not in strings:
                err(doc, where, f'no string "fallback.declined.{advice}" in knowledge/ui')
            for k, rule in enumerate(rules or []):
                if str(rule) not in guards:
                    err(doc, (*where, k), f'unknown guard rule "{rule}"')
                elif str(rule) in seen:
                    err(doc, (*where, k), f'guard rule "{rule}" already has an advice')
                seen.add(str(rule))


def _unsourced_checks(docs: list[_Doc], err: _Reporter) -> None:
    """Each aspect the sources do not cover (`unsourced`) has its line `unsourced.<aspect id>` in
    knowledge/ui, each such line names an aspect, and so does each of `unsourced_on_courses` and
    `unsourced_on_checks` and each key of `unsourced_unless` (whose concepts exist): any typo would
    silently drop or keep a line."""
    aspects = _keys_with_lines(docs, err, "unsourced", UNSOURCED_LEAD, "aspect")
    concepts = _defined(_vocabularies(docs), "concepts")
    for doc in _vocabularies(docs):
        for listed in ("unsourced_on_courses", "unsourced_on_checks"):
            _known_names(doc, ("vocabulary", listed), doc.body.get(listed), aspects, "aspect", err)
        kept_off = doc.body.get("unsourced_unless")
        for aspect, names in (kept_off if isinstance(kept_off, Mapping) else {}).items():
            where = ("vocabulary", "unsourced_unless", aspect)
            if str(aspect) not in aspects:
                err(doc, where, f'unknown aspect "{aspect}"')
            _known_names(doc, where, names, concepts, "concept", err)


def _keys_with_lines(docs: list[_Doc], err: _Reporter, section: str, prefix: str, what: str) -> set[str]:
    """The keys of the vocabulary's `section`, each checked to have its line `<prefix><key>` in
    knowledge/ui, and each such line checked to name a key (`what` names a key in the errors)."""
    keys = _defined(_vocabularies(docs), section)
    strings = {str(k) for doc in docs if doc.kind == "strings" for k in (doc.body or {})}
    for doc in _vocabularies(docs):
        defined = doc.body.get(section)
        for key in defined if isinstance(defined, Mapping) else {}:
            if f"{prefix}{key}" not in strings:
                err(doc, ("vocabulary", section, key), f'no string "{prefix}{key}" in knowledge/ui')
    for doc in docs:
        if doc.kind != "strings" or not isinstance(doc.body, dict):
            continue
        for key in doc.body:
            named = str(key)[len(prefix) :]
            if str(key).startswith(prefix) and named not in keys:
                err(doc, ("strings", key), f'unknown {what} "{named}" (vocabulary: {section})')
    return keys


def _home_partner_checks(docs: list[_Doc], err: _Reporter) -> None:
    """Each language of the vocabulary's `home_partner` has one phrase naming exactly one partner
    platform (a concept of `evidence.partner`): any other would silently switch the reading off."""
    vocabularies = _vocabularies(docs)
    merged: dict[str, Any] = {}
    for doc in vocabularies:
        _merge_vocabulary(merged, doc.body)
    layer = ConceptLayer(merged)
    for doc in vocabularies:
        for lang, phrases in (doc.body.get("home_partner") or {}).items():
            where = ("vocabulary", "home_partner", lang)
            if len(merged["home_partner"][lang]) != 1:
                err(doc, where, "one phrase per language, across the vocabulary files")
                continue
            named = sorted(layer.concepts(str(phrases[0])) & layer.partners)
            if len(named) != 1:
                names = ", ".join(named) or "none"
                err(doc, where, f'"{phrases[0]}" must name one partner platform, names {names}')


def _price_norm_checks(docs: list[_Doc], err: _Reporter) -> None:
    """Each of the vocabulary's `price_norms` has its line `price_norm.<key>` in knowledge/ui, and each
    such line a norm: a typo would silently show "not stated" or keep a line no record uses."""
    _keys_with_lines(docs, err, "price_norms", PRICE_NORM, "price norm")


def _intent_platform_checks(docs: list[_Doc], err: _Reporter) -> None:
    """Each intent's `leads_to.platform` is a partner platform (a concept of `evidence.partner`): any
    other would silently leave the intent answering questions about every platform."""
    partners = {
        str(name)
        for doc in _vocabularies(docs)
        for name in ((doc.body.get("evidence") or {}).get("partner") or [])
    }
    for doc in docs:
        if doc.kind != "intents":
            continue
        for n, obj in _items(doc):
            leads_to = obj.get("leads_to") if isinstance(obj, dict) else None
            platform = leads_to.get("platform") if isinstance(leads_to, dict) else None
            if platform is not None and str(platform) not in partners:
                err(doc, ("intents", n, "leads_to", "platform"), f'unknown partner platform "{platform}"')


def _cross_checks(docs: list[_Doc], refs_ok: bool) -> list[LoadError]:
    """The rules between objects and files (`refs_ok`: every file parsed, so references can be checked)."""
    err = _Reporter()
    entries, titles = _objects_and_ids(docs, err)
    _string_checks(docs, err)
    _intent_checks(docs, entries, titles, refs_ok, err)
    if refs_ok:
        _steering_checks(docs, err)
        _evidence_checks(docs, err)
        _home_partner_checks(docs, err)
        _price_norm_checks(docs, err)
        _intent_platform_checks(docs, err)
        _guard_advice_checks(docs, err)
        _guard_unless_checks(docs, err)
        _polar_about_checks(docs, set(entries), err)
        _unsourced_checks(docs, err)
    return err.errors


# ---------------------------------------------------------------------------------------------
# Public API


def knowledge_files(root: Path) -> list[Path]:
    """The files a load reads under `root`: knowledge/**.yaml (not in hidden folders) by path, then
    intents.yaml; those that exist."""
    root = Path(root)
    base = root / KNOWLEDGE_DIR
    files: list[Path] = []
    if base.is_dir():
        files = sorted(
            (p for p in base.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
            key=lambda p: p.relative_to(root).as_posix(),
        )
        files = [p for p in files if not any(part.startswith(".") for part in p.relative_to(base).parts)]
    if (root / INTENTS_FILE).is_file():
        files.append(root / INTENTS_FILE)
    return files


def read_texts(root: Path) -> tuple[dict[str, bytes], list[LoadError]]:
    """The YAML files under `root` (knowledge/**.yaml, then intents.yaml) as bytes, with read errors."""
    root = Path(root)
    texts: dict[str, bytes] = {}
    errors: list[LoadError] = []
    if not (root / KNOWLEDGE_DIR).is_dir():
        errors.append(LoadError(f"{KNOWLEDGE_DIR}/", 1, "(file)", "directory not found"))
    if not (root / INTENTS_FILE).is_file():
        errors.append(LoadError(INTENTS_FILE, 1, "(file)", "file not found"))
    files = knowledge_files(root)
    for file in files:
        rel = file.relative_to(root).as_posix()
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            errors.append(LoadError(rel, 1, "(file)", _too_big(size)))
            continue
        texts[rel] = file.read_bytes()
    return texts, errors


def _too_big(size: int) -> str:
    return f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit"


def _decode(path: str, raw: bytes | str, errors: list[LoadError]) -> str | None:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        errors.append(LoadError(path, 1, "(file)", _too_big(len(raw))))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.append(LoadError(path, line, "(file)", f"not valid UTF-8 (byte {exc.start})"))
        return None
    return text.removeprefix("\ufeff")


def check_texts(texts: Mapping[str, bytes | str]) -> tuple[KnowledgeBase | None, list[LoadError]]:
    """Validate files given as {relative path: content}; the knowledge base if there is no error.

    Paths are relative to the knowledge root (``knowledge/cmf.yaml``, ``intents.yaml``); the order of
    `texts` is the load (and export) order.
    """
    return _check_texts(texts)


def _check_texts(
    texts: Mapping[str, bytes | str], release: dict[str, bytes] | None = None
) -> tuple[KnowledgeBase | None, list[LoadError]]:
    """`check_texts`; `release` (the same files, owned by the caller) is emptied once every check has
    passed, before the knowledge base is built, so that a large catalogue's bytes are not held twice."""
    errors: list[LoadError] = []
    docs: list[_Doc] = []
    for path, raw in texts.items():
        text = _decode(path, raw, errors)
        if text is None:
            continue
        doc = _Doc(path, text)
        before = len(errors)
        _parse(doc, errors)
        parse_fields = {e.field for e in errors[before:]}
        docs.append(doc)
        if not doc.ok:
            continue
        assert doc.kind is not None
        if (path == INTENTS_FILE) != (doc.kind == "intents"):
            reason = (
                "intents.yaml must hold intents:"
                if path == INTENTS_FILE
                else "intents belong in intents.yaml"
            )
            errors.append(LoadError(path, 1, "(file)", reason))
            doc.ok = False
            continue
        wanted = schema_comment(path, doc.kind)
        if doc.text.split("\n", 1)[0].rstrip() != wanted:
            errors.append(LoadError(path, 1, "(file)", f'first line must be "{wanted}"'))
        if isinstance(doc.lines, _LazyLines):  # header and comments are read: the text is not needed
            doc.lines.release_text(raw)
        errors.extend(e for e in _schema_errors(doc) if e.field not in parse_fields)
    good = [d for d in docs if d.ok]
    refs_ok = len(good) == len(texts) and not any(e.field in ("(file)", "(yaml)") for e in errors)
    errors.extend(_cross_checks(good, refs_ok))
    order = {path: n for n, path in enumerate(texts)}
    errors = sorted(dict.fromkeys(errors), key=lambda e: (order.get(e.file, -1), e.line, e.field, e.reason))
    if errors:
        return None, errors
    if release is not None:  # no message can need a line now
        for doc in good:
            if isinstance(doc.lines, _LazyLines):
                doc.lines = None
        release.clear()
    return _build(good), []


def validate(root: Path) -> list[LoadError]:
    """Every problem in the knowledge root (empty when valid)."""
    texts, errors = read_texts(Path(root))
    _, more = check_texts(texts)
    return sorted_errors(errors + more, texts)


def sorted_errors(errors: list[LoadError], texts: Mapping[str, Any]) -> list[LoadError]:
    order = {path: n for n, path in enumerate(texts)}
    return sorted(dict.fromkeys(errors), key=lambda e: (order.get(e.file, -1), e.line, e.field, e.reason))


def load_knowledge(root: Path) -> KnowledgeBase:
    """Load and validate the knowledge root; raises `KnowledgeError` listing every problem."""
    texts, errors = read_texts(Path(root))
    kb, more = _check_texts(texts, release=None if errors else texts)  # emptied only when all is well
    if errors or more or kb is None:
        raise KnowledgeError(sorted_errors(errors + more, texts))
    return kb


# ---------------------------------------------------------------------------------------------
# Building the model


def _build(docs: list[_Doc]) -> KnowledgeBase:
    files: list[SourceFile] = []
    data: dict[str, dict[str, Any]] = {kind: {} for kind in SCHEMAS}
    for doc in docs:
        assert doc.kind is not None
        if doc.kind == "vocabulary":
            files.append(SourceFile(doc.path, doc.kind, doc.header, []))
            data["vocabulary"][doc.path] = doc.body
        elif doc.kind == "strings":
            files.append(SourceFile(doc.path, doc.kind, doc.header, list(doc.body), doc.comments or {}))
            data["strings"].update(doc.body)
        else:
            ids = [o["id"] for o in doc.body]
            files.append(SourceFile(doc.path, doc.kind, doc.header, ids, doc.comments or {}))
            data[doc.kind].update({o["id"]: o for o in doc.body})
    return build_knowledge(files, data)


def build_knowledge(files: list[SourceFile], data: dict[str, dict[str, Any]]) -> KnowledgeBase:
    """The typed knowledge base from each file's objects as in YAML (`KnowledgeBase.data` layout)."""
    kb = KnowledgeBase(files=files, data=data)
    where = {(f.kind, i): f.path for f in files for i in f.ids}
    for oid, raw in data.get("entries", {}).items():
        kb.entries[oid] = entry_from_data(raw, where.get(("entries", oid), ""))
    for oid, raw in data.get("intents", {}).items():
        kb.intents[oid] = intent_from_data(raw)
    for oid, raw in data.get("courses", {}).items():
        kb.courses[oid] = course_from_data(raw, where.get(("courses", oid), ""))
    for key, raw in data.get("strings", {}).items():
        kb.strings[key] = dict(raw)
    for raw in data.get("vocabulary", {}).values():
        _merge_vocabulary(kb.vocabulary, raw)
    return kb


def entry_from_data(raw: Mapping[str, Any], file: str = "") -> Entry:
    raw = copy.deepcopy(dict(raw))
    return Entry(
        id=raw["id"],
        kind=raw["kind"],
        title=raw["title"],
        answer=raw["answer"],
        sources=raw["sources"],
        checked=str(raw["checked"]),
        audiences=raw.get("audiences", []),
        checklist=[ChecklistItem(i["id"], i["text"], i.get("rule")) for i in raw.get("checklist") or []],
        links=[Link(link["title"], link["url"]) for link in raw.get("links") or []],
        third_party=list(raw.get("third_party") or []),
        file=file,
    )


def intent_from_data(raw: Mapping[str, Any]) -> Intent:
    raw = copy.deepcopy(dict(raw))
    return Intent(
        id=raw["id"], audiences=raw["audiences"], leads_to=raw["leads_to"], phrasings=raw["phrasings"]
    )


def course_from_data(raw: Mapping[str, Any], file: str = "") -> Course:
    # a record's own copy: its values are scalars and lists of scalars (deep-copied otherwise)
    data = {
        k: v if v is None or type(v) in (str, int, float, bool) else _copy_value(v) for k, v in raw.items()
    }
    for name in ("hours", "ects"):
        if data.get(name) is not None:
            data[name] = float(data[name])
    known = set(Course.__dataclass_fields__)
    return Course(**{k: v for k, v in data.items() if k in known}, file=file)


def _copy_value(value: Any) -> Any:
    if type(value) is list and all(v is None or type(v) in (str, int, float, bool) for v in value):
        return list(value)
    return copy.deepcopy(value)


def _merge_vocabulary(target: dict[str, Any], raw: Mapping[str, Any]) -> None:
    """Each file's sections merged into `target`: mappings key by key, lists (`unsourced_on_courses`)
    item by item, without repeats; an entry that is a mapping (a price norm) as the first file gives it.
    A section or entry of another shape is left out: the schema check reports it with its file, line
    and field."""
    for section, mapping in raw.items():
        if isinstance(mapping, list):
            items = target.setdefault(section, [])
            items.extend(w for w in mapping if w not in items)
            continue
        if not isinstance(mapping, Mapping):
            continue
        merged = target.setdefault(section, {})
        for key, words in mapping.items():
            if isinstance(words, Mapping):
                merged.setdefault(key, dict(words))
                continue
            bucket = merged.setdefault(key, [])
            bucket.extend(w for w in (words if isinstance(words, list) else []) if w not in bucket)


# ---------------------------------------------------------------------------------------------
# Single files and objects (used by the moderation importer)


def parse_text(path: str, raw: bytes | str) -> tuple[str | None, Any, Mapping[Path_, int], list[LoadError]]:
    """Parse one YAML text with the loader's safe rules (size cap, no aliases/tags, depth cap).

    Returns (kind, body under the top-level key, line of each value by path, errors); kind and body
    are None when there is an error. No schema or cross-file check is made.
    """
    errors: list[LoadError] = []
    text = _decode(path, raw, errors)
    if text is None:
        return None, None, {}, errors
    doc = _Doc(path, text)
    _parse(doc, errors)
    if errors or not doc.ok:
        return None, None, {}, errors
    return doc.kind, doc.body, doc.lines or {}, []


def schema_problems(kind: str, obj: Any) -> list[tuple[Path_, str]]:
    """Schema problems of one object of `kind` (entries, courses or intents) as (path relative to the
    object, reason), the same rules and messages as for a file; empty when the object is valid on its
    own (the rules between objects are `cross_problems`)."""
    instance = {kind: [obj]}
    found: list[tuple[Path_, str]] = []

    def at(path: Path_, field_path: Path_ | None = None, reason: str = "") -> LoadError:
        found.append(((field_path or path)[2:], reason))
        return LoadError("", 1, "", reason)

    for path, reason in _bad_values(obj, (kind, 0)):
        at(path, reason=reason)
    for error in _schema_iter_errors(kind, instance):
        _translate(error, at, instance)
    return list(dict.fromkeys(found))


def object_errors(kind: str, obj: Any) -> list[str]:
    """Schema problems of one object of `kind` (entries, courses or intents) as ``field: reason``.

    The field is relative to the object (``title.fr``); an empty list means the object is valid on
    its own (cross-file rules are checked by `check_texts`).
    """
    return [f"{format_path(path) or '(object)'}: {reason}" for path, reason in schema_problems(kind, obj)]


# ---------------------------------------------------------------------------------------------
# Objects (a moderator's change, checked without writing or re-reading any file)


@dataclass(frozen=True)
class Problem:
    """One broken rule of a changed object: its kind and id, the path in it, the reason."""

    kind: str
    id: str
    path: Path_
    reason: str


class KnowledgeView(Protocol):
    """The knowledge base as it would be with a change applied (what `cross_problems` reads)."""

    def entry(self, entry_id: str) -> Mapping[str, Any] | None:
        """An entry's data, None if there is none."""
        ...

    def intents(self) -> Iterable[tuple[str, Mapping[str, Any]]]:
        """Every intent (id, data), in file order."""
        ...

    def titles(self) -> Iterable[tuple[str, Any]]:
        """Every entry's (id, title mapping), in file order."""
        ...


def cross_problems(
    view: KnowledgeView, changed: list[tuple[str, str, Any]], schema_checked: Collection[tuple[str, str]] = ()
) -> list[Problem]:
    """Every problem that the `changed` objects (kind, id, data or None when deleted) bring into
    `view`: their schema and the rules within them, the entries their intents lead to, intents
    leading to a changed entry, duplicate phrasings and phrasings copying a title that involve a
    changed object. The rules are the file loader's; objects that did not change are not re-checked,
    nor the schema of the (kind, id) in `schema_checked` (the caller ran `object_errors` on that data).
    """
    problems: list[Problem] = []
    for kind, oid, data in changed:
        if data is not None:
            own = _own_problems(view, kind, data, (kind, oid) not in schema_checked)
            problems += [Problem(kind, oid, p, r) for p, r in own]
    entries = {oid for kind, oid, _ in changed if kind == "entries"}
    intents = {oid for kind, oid, _ in changed if kind == "intents"}
    if entries or intents:
        problems += _intent_problems(view, entries, intents)
    return problems


def _own_problems(view: KnowledgeView, kind: str, data: Any, schema: bool) -> list[tuple[Path_, str]]:
    """Schema (unless checked already), rules within an entry, an intent's target entry."""
    found = schema_problems(kind, data) if schema else []
    if not isinstance(data, dict):
        return found
    if kind == "entries":
        found += entry_problems(data, format_path)
    target = target_of(data) if kind == "intents" else None
    reason = target_problem(data, view.entry(target)) if target is not None else None
    if reason:
        found.append((("leads_to", "entry"), reason))
    return found


def _intent_problems(view: KnowledgeView, entries: set[str], intents: set[str]) -> list[Problem]:
    """Targets of intents leading to a changed entry; duplicate phrasings and copied titles where
    a changed intent or entry is involved."""
    titles: dict[tuple[str, str], str] = {}
    for eid, title in view.titles():
        for lang, key in entry_titles({"title": title}):
            titles.setdefault((lang, key), eid)
    problems: list[Problem] = []
    index = PhrasingIndex()
    for iid, intent in view.intents():
        target = target_of(intent)
        if target in entries and iid not in intents:
            reason = target_problem(intent, view.entry(target))
            if reason:
                problems.append(Problem("intents", iid, ("leads_to", "entry"), reason))
        for path, lang, text, key in phrasings_of(intent):
            first = index.first.get(key)
            clash = index.add(iid, lang, text, key, INTENTS_FILE)
            if clash and (iid in intents or (first is not None and first[0] in intents)):
                problems.append(Problem("intents", iid, path, clash))
            copied = title_problem(titles, lang, key)
            if copied and (iid in intents or titles[(lang, key)] in entries):
                problems.append(Problem("intents", iid, path, copied))
    return problems
