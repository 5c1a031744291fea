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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.engine.model import (
    LANGS,
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

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = _RESOLVERS


try:  # libyaml scans and parses (the slow part); composing stays in Python so every node keeps its mark
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CLoader: type | None = None
else:

    class _CLoaderImpl(_Checks, Composer, _CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """The same checks over libyaml's event stream (Python's composer, C's scanner and parser)."""

        yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = _RESOLVERS

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _CLoader = _CLoaderImpl


@dataclass
class _Doc:
    """One parsed YAML file."""

    path: str
    text: str
    kind: str | None = None
    body: Any = None
    """The value under the top-level key."""
    lines: dict[Path_, int] | None = None
    header: str = ""
    comments: dict[str, str] | None = None
    """Comment lines just before each top-level object, by id (string key for strings)."""
    ok: bool = False
    """Parsed and shaped as a known kind (cross-file checks may use it)."""


def _compose(loader_class: type, doc: _Doc, errors: list[LoadError]) -> tuple[Any, dict[Path_, int]] | None:
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
        lines: dict[Path_, int] = {(): node.start_mark.line + 1 if node else 1}
        value = _convert(loader, node, (), lines, doc.path, errors) if node is not None else None
    finally:
        loader.dispose()
    return value, lines


def _reader_error(doc: _Doc, exc: yaml.reader.ReaderError) -> LoadError:
    line = doc.text[: exc.position].count("\n") + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return LoadError(doc.path, line, "(yaml)", f"control character U+{code:04X} is not allowed")


def _parse(doc: _Doc, errors: list[LoadError]) -> None:
    if _CLoader is not None:
        found: list[LoadError] = []
        parsed = _compose(_CLoader, doc, found)
        if found:  # report with the pure-Python loader's wording and lines, exactly as without libyaml
            parsed = _compose(_Loader, doc, errors)
    else:  # pragma: no cover - PyYAML built without libyaml
        parsed = _compose(_Loader, doc, errors)
    if parsed is None:
        return
    value, lines = parsed
    kinds = ", ".join(SCHEMAS)
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in SCHEMAS:
        errors.append(LoadError(doc.path, 1, "(file)", f"expected exactly one top-level key, one of {kinds}"))
        return
    doc.kind = next(iter(value))
    doc.body = value[doc.kind]
    doc.lines = lines
    doc.header = _header(doc.text)
    doc.comments = _object_comments(doc)
    doc.ok = True


def _convert(
    loader: Any, node: Node, path: Path_, lines: dict[Path_, int], file: str, errors: list[LoadError]
) -> Any:
    """Build plain Python values from a node tree, recording the line of every value."""
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
            lines[(*path, index)] = child.start_mark.line + 1
            items.append(_convert(loader, child, (*path, index), lines, file, errors))
        return items
    assert isinstance(node, MappingNode)
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
    if pattern.startswith("^(FutureLearn"):
        partners = "FutureLearn, FUN, MiríadaX, EduOpen, iMooX or OpenupEd"
        return f"unknown platform {shown}: must start with {partners}"
    if pattern.startswith("^[a-z]{2,3}"):
        return f"invalid language code {shown}: use a two-letter ISO 639-1 code"
    if pattern.startswith("^[a-z0-9_]+"):
        return f"invalid key {shown}: use lower-case dotted names like fallback.no_match"
    return f"{shown} does not match {pattern}"


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


def _bad_values(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """(path, reason) of every bad value under `path` = (kind, index, field, …): NaN, Infinity or
    absurdly large numbers (jsonschema lets NaN pass `minimum`/`maximum`, and a NaN stored as JSON
    breaks every later read), control or bidi-override characters, line breaks in one-line fields,
    over-long texts."""
    if isinstance(value, bool):
        return
    if isinstance(value, float | int):
        if isinstance(value, float) and not math.isfinite(value):
            yield path, f"{value} is not a number (NaN and Infinity are not allowed)"
        elif abs(value) > MAX_MAGNITUDE:
            yield path, f"{_short_number(value)} is out of range"
    elif isinstance(value, str):
        bad = _FORBIDDEN.search(value)
        field = (str(path[0]), str(path[2])) if len(path) > 2 else ("", "")
        limit = FIELD_LIMITS.get(field, MAX_TEXT)
        if bad:
            yield path, f"contains the control character U+{ord(bad.group()):04X}"
        elif field in ONE_LINE and ("\n" in value or "\r" in value):
            yield path, "must be one line (no line breaks)"
        if len(value) > limit:
            yield path, f"is {len(value):,} characters long, over the limit of {limit:,}"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _bad_values(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_values(item, (*path, index))


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
        return LoadError(doc.path, lines.get(probe, 1), format_path(field_path or path) or doc.kind, reason)

    out: list[LoadError] = [at(p, reason=r) for p, r in _bad_values(doc.body, (doc.kind,))]
    for error in _validator(doc.kind).iter_errors(instance):
        out.extend(_translate(error, at, instance))
    return out


def _translate(error: Any, at: Any, instance: Any) -> list[LoadError]:
    """Turn one jsonschema error into readable `LoadError`s."""
    path: Path_ = tuple(error.absolute_path)
    value = error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    check = error.validator
    if check == "required":
        missing = [name for name in error.validator_value if isinstance(value, dict) and name not in value]
        if _is_lang_map(schema):
            return [at(path, (*path, name), f'missing language "{name}"') for name in missing]
        when = ""
        if "then" in error.relative_schema_path:
            when = _condition(instance, path)
        return [at(path, (*path, name), f"required field is missing{when}") for name in missing]
    if check == "additionalProperties":
        known = set(schema.get("properties", {}))
        extras = [k for k in value if k not in known]
        if _is_lang_map(schema):
            expected = ", ".join(LANGS)
            return [at((*path, k), None, f'unknown language "{k}" (expected {expected})') for k in extras]
        return [at((*path, k), None, f'unknown field "{k}"') for k in extras]
    if check == "type":
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        return [at(path, None, f"expected {words}, got {_kind_of(value)}")]
    if check == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        if "propertyNames" in error.relative_schema_path:
            return [at((*path, value), None, f"unknown key {_short(value)} (expected one of: {options})")]
        return [at(path, None, f"{_short(value)} is not one of: {options}")]
    if check == "pattern":
        reason = _pattern_reason(error.validator_value, value, path)
        if "propertyNames" in error.relative_schema_path:
            return [at((*path, value), None, reason)]
        return [at(path, None, reason)]
    if check == "format":
        return [at(path, None, f"invalid date {_short(value)}: use YYYY-MM-DD")]
    if check == "minLength":
        return [at(path, None, _empty_reason(path))]
    if check == "maxLength":
        return [at(path, None, f"too long ({len(value)} characters, at most {error.validator_value})")]
    if check == "minItems":
        n = error.validator_value
        return [at(path, None, "must not be empty" if n == 1 else f"needs at least {n} items")]
    if check == "uniqueItems":
        seen: set[str] = set()
        dups = []
        for item in value:
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                dups.append(item)
            seen.add(key)
        return [at(path, None, f"duplicate value {_short(dups[0] if dups else value)}")]
    if check in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }
        return [at(path, None, f"{_short(value)} must be {words[check]} {error.validator_value}")]
    if check == "not":
        return [at(path, None, f"not allowed{_condition(instance, path[:-1])}")]
    if check == "anyOf":
        options = error.validator_value
        if all(set(o) == {"required"} and len(o["required"]) == 1 for o in options):
            names = ", ".join(o["required"][0] for o in options)
            return [at(path, None, f"needs one of: {names}")]
        if isinstance(value, str) and any(
            str(o.get("pattern", "")).startswith("^https?://") for o in options
        ):
            return [at(path, None, f"malformed URL {_short(value)}")]
        import jsonschema

        best = jsonschema.exceptions.best_match(error.context)
        if best is not None:
            return _translate(best, at, instance)
    return [at(path, None, error.message)]


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
# Cross-file checks


def _prefix(doc: _Doc) -> str:
    assert doc.kind is not None
    return doc.kind


def _items(doc: _Doc) -> list[tuple[int, dict[str, Any]]]:
    if doc.kind in ("entries", "courses", "intents") and isinstance(doc.body, list):
        return [(i, o) for i, o in enumerate(doc.body) if isinstance(o, dict)]
    return []


def _cross_checks(docs: list[_Doc], refs_ok: bool) -> list[LoadError]:
    from bot.engine.normalize import normalize

    errors: list[LoadError] = []

    def err(doc: _Doc, path: Path_, reason: str) -> None:
        assert doc.lines is not None
        probe = path
        while probe not in doc.lines and probe:
            probe = probe[:-1]
        errors.append(LoadError(doc.path, doc.lines.get(probe, 1), format_path(path), reason))

    def where(doc: _Doc, path: Path_) -> str:
        assert doc.lines is not None
        return f"{doc.path}:{doc.lines.get(path, 1)}"

    seen: dict[tuple[str, str], str] = {}
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
            seen[(doc.kind or "", oid)] = where(doc, path)
            if doc.kind == "entries":
                entries[oid] = obj
                for lang, title in (
                    (obj.get("title") or {}).items() if isinstance(obj.get("title"), dict) else ()
                ):
                    if isinstance(title, str):
                        titles.setdefault((lang, normalize(title)), oid)
                sources = obj.get("sources") if isinstance(obj.get("sources"), list) else []
                third = obj.get("third_party") if isinstance(obj.get("third_party"), list) else []
                for n, url in enumerate(third):
                    if url not in sources:
                        path = (_prefix(doc), index, "third_party", n)
                        err(doc, path, f'"{url}" is not one of the sources')
                items = obj.get("checklist")
                ids: dict[str, str] = {}
                for n, item in enumerate(items if isinstance(items, list) else []):
                    iid = item.get("id") if isinstance(item, dict) else None
                    if not isinstance(iid, str):
                        continue
                    ipath = (_prefix(doc), index, "checklist", n, "id")
                    if iid in ids:
                        err(doc, ipath, f'duplicate checklist item id "{iid}" (first at {ids[iid]})')
                    else:
                        ids[iid] = where(doc, ipath)
        if doc.kind == "strings" and isinstance(doc.body, dict):
            for key, text in doc.body.items():
                path = ("strings", key)
                first = seen.get(("strings", key))
                if first:
                    err(doc, path, f'duplicate string key "{key}" (first at {first})')
                else:
                    seen[("strings", key)] = where(doc, path)
                if isinstance(text, dict) and isinstance(text.get("en"), str):
                    expected = sorted(set(_PLACEHOLDER.findall(text["en"])))
                    for lang, value in text.items():
                        if lang == "en" or not isinstance(value, str):
                            continue
                        got = sorted(set(_PLACEHOLDER.findall(value)))
                        if got != expected:
                            shown = " ".join("{" + p + "}" for p in expected) or "none"
                            err(doc, (*path, lang), f"placeholders differ from en (expected {shown})")

    phrasings: dict[str, tuple[str, str, str]] = {}
    for doc in docs:
        if doc.kind != "intents":
            continue
        for index, obj in _items(doc):
            oid = obj.get("id")
            leads = obj.get("leads_to")
            if refs_ok and isinstance(leads, dict) and isinstance(leads.get("entry"), str):
                target = leads["entry"]
                path = ("intents", index, "leads_to", "entry")
                if target not in entries:
                    err(doc, path, f'unknown entry "{target}"')
                elif leads.get("type") == "checklist" and entries[target].get("kind") != "checklist":
                    kind = entries[target].get("kind")
                    err(
                        doc,
                        path,
                        f'entry "{target}" has kind {kind}; a checklist intent needs a checklist entry',
                    )
            by_lang = obj.get("phrasings")
            if not isinstance(by_lang, dict):
                continue
            for lang, texts in by_lang.items():
                for n, text in enumerate(texts if isinstance(texts, list) else []):
                    if not isinstance(text, str) or not text.strip():
                        continue
                    path = ("intents", index, "phrasings", lang, n)
                    key = normalize(text)
                    first = phrasings.get(key)
                    if first and (first[0] != oid or first[1] == lang):
                        other = f'intent "{first[0]}", ' if first[0] != oid else ""
                        err(doc, path, f'duplicate phrasing "{text}" (also in {other}{first[2]})')
                    elif not first:
                        phrasings[key] = (str(oid), lang, where(doc, path))
                    if refs_ok and (lang, key) in titles:
                        err(doc, path, f'copies the title of entry "{titles[(lang, key)]}"')
    return errors


# ---------------------------------------------------------------------------------------------
# Public API


def read_texts(root: Path) -> tuple[dict[str, bytes], list[LoadError]]:
    """The YAML files under `root` (knowledge/**.yaml, then intents.yaml) as bytes, with read errors."""
    root = Path(root)
    texts: dict[str, bytes] = {}
    errors: list[LoadError] = []
    base = root / KNOWLEDGE_DIR
    if not base.is_dir():
        errors.append(LoadError(f"{KNOWLEDGE_DIR}/", 1, "(file)", "directory not found"))
        files: list[Path] = []
    else:
        files = sorted(
            (p for p in base.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()),
            key=lambda p: p.relative_to(root).as_posix(),
        )
        files = [p for p in files if not any(part.startswith(".") for part in p.relative_to(base).parts)]
    intents = root / INTENTS_FILE
    if intents.is_file():
        files.append(intents)
    else:
        errors.append(LoadError(INTENTS_FILE, 1, "(file)", "file not found"))
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
        errors.extend(e for e in _schema_errors(doc) if e.field not in parse_fields)
    good = [d for d in docs if d.ok]
    refs_ok = len(good) == len(texts) and not any(e.field in ("(file)", "(yaml)") for e in errors)
    errors.extend(_cross_checks(good, refs_ok))
    order = {path: n for n, path in enumerate(texts)}
    errors = sorted(dict.fromkeys(errors), key=lambda e: (order.get(e.file, -1), e.line, e.field, e.reason))
    if errors:
        return None, errors
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
    kb, more = check_texts(texts)
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
    raw = copy.deepcopy(dict(raw))
    for name in ("hours", "ects"):
        if raw.get(name) is not None:
            raw[name] = float(raw[name])
    known = set(Course.__dataclass_fields__)
    return Course(**{k: v for k, v in raw.items() if k in known}, file=file)


def _merge_vocabulary(target: dict[str, Any], raw: Mapping[str, Any]) -> None:
    for section, mapping in raw.items():
        merged = target.setdefault(section, {})
        for key, words in mapping.items():
            bucket = merged.setdefault(key, [])
            bucket.extend(w for w in words if w not in bucket)


# ---------------------------------------------------------------------------------------------
# Single files and objects (used by the moderation importer)


def parse_text(path: str, raw: bytes | str) -> tuple[str | None, Any, dict[Path_, int], list[LoadError]]:
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


def object_errors(kind: str, obj: Any) -> list[str]:
    """Schema problems of one object of `kind` (entries, courses or intents) as ``field: reason``.

    The field is relative to the object (``title.fr``); an empty list means the object is valid on
    its own (cross-file rules are checked by `check_texts`).
    """
    instance = {kind: [obj]}
    found: list[LoadError] = []

    def at(path: Path_, field_path: Path_ | None = None, reason: str = "") -> LoadError:
        return LoadError("", 1, format_path((field_path or path)[2:]) or "(object)", reason)

    found.extend(at(p, reason=r) for p, r in _bad_values(obj, (kind, 0)))
    for error in _validator(kind).iter_errors(instance):
        found.extend(_translate(error, at, instance))
    return [f"{e.field}: {e.reason}" for e in dict.fromkeys(found)]
