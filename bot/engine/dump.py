"""Canonical YAML writer: the knowledge base back into `knowledge/` and `intents.yaml`, byte-stable.

The same objects always give the same bytes: the schema comment first, then the file's header
comments, block style with keys in the order of `knowledge/README.md`, short word lists (audiences,
languages, subjects, vocabulary words) in flow style, multi-line text as literal blocks, long lines
folded at `WIDTH`, unicode kept, dates as plain ``YYYY-MM-DD``, and a blank line between objects.
Comments other than the header are not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import yaml

from bot.engine.loader import INTENTS_FILE, SCHEMAS, VOCABULARY_SECTIONS, schema_comment
from bot.engine.model import LANGS, KnowledgeBase

WIDTH = 100
"""Plain and quoted text is folded after this column."""

ENTRY_KEYS = (
    "id", "kind", "audiences", "title", "answer", "checklist", "links", "examples", "sources", "third_party",
    "checked",
)  # fmt: skip
ITEM_KEYS = ("id", "text", "rule")
RULE_KEYS = (
    "informs", "fact", "min", "max", "one_of", "equals", "includes", "hours_per_credit", "any_of", "all_of",
    "settles", "note",
)  # fmt: skip
EXAMPLE_KEYS = ("query", "expect")
EXPECT_KEYS = ("type", "entry", "filters", "facts")
LINK_KEYS = ("title", "url")
COURSE_KEYS = (
    "id", "title", "platform", "institution", "type", "languages", "languages_inferred", "subjects",
    "workload", "hours", "credits", "ects", "level", "eqf_level", "assessment", "id_verification", "price",
    "course_url", "source_urls", "source_date", "listed_year", "withdrawn", "cmf", "page_seen", "partial",
    "description", "notes",
)  # fmt: skip
INTENT_KEYS = ("id", "audiences", "leads_to", "phrasings")
LEADS_TO_KEYS = ("type", "entry", "filters")
FILTER_KEYS = ("type", "platform", "language", "query")
FLOW_LISTS = {"audiences", "languages", "subjects", "one_of", "includes"}


class _Flow(list):  # type: ignore[type-arg]
    """A list written in flow style: ``[a, b, c]``."""


class _Dumper(yaml.SafeDumper):
    """Safe dumper: indented block sequences, dates left as text, flow lists where marked."""

    # types-PyYAML declares it per instance; PyYAML reads it from the class
    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {  # type: ignore[misc]
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
    }

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def analyze_scalar(self, scalar: str) -> Any:
        """PyYAML's analysis (which style a text may take), remembered for short texts: keys and
        repeated values ("null", platforms, languages) are most of a catalogue's scalars."""
        if len(scalar) > _ANALYSIS_MAX_CHARS:
            return super().analyze_scalar(scalar)
        found = _ANALYSES.get(scalar)
        if found is None:
            found = _ANALYSES[scalar] = super().analyze_scalar(scalar)
            if len(_ANALYSES) > _ANALYSES_KEPT:
                _ANALYSES.clear()
        return found


_ANALYSIS_MAX_CHARS = 80
_ANALYSES_KEPT = 50_000
_ANALYSES: dict[str, Any] = {}
"""The analysis depends only on the text (and `allow_unicode`, always true here)."""


def _represent_str(dumper: _Dumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_flow(dumper: _Dumper, items: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


def _represent_list(dumper: _Dumper, items: list[Any]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=False)


def _represent_dict(dumper: _Dumper, mapping: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", mapping.items(), flow_style=False)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)


def _ordered(obj: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """Known keys in `keys` order, then any others in their existing order."""
    out = {k: obj[k] for k in keys if k in obj}
    out.update((k, v) for k, v in obj.items() if k not in out)
    return out


def _localized(value: Any) -> Any:
    return _ordered(value, LANGS) if isinstance(value, Mapping) else value


def _rule(rule: Any) -> Any:
    if not isinstance(rule, Mapping):
        return rule
    out = _ordered(rule, RULE_KEYS)
    for key in ("one_of", "includes"):
        if isinstance(out.get(key), list):
            out[key] = _Flow(out[key])
    for key in ("any_of", "all_of"):
        if isinstance(out.get(key), list):
            out[key] = [_rule(r) for r in out[key]]
    if "note" in out:
        out["note"] = _localized(out["note"])
    return out


def _flow_lists(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: _Flow(v) if k in FLOW_LISTS and isinstance(v, list) else v for k, v in obj.items()}


def _entry(raw: Mapping[str, Any]) -> dict[str, Any]:
    out = _flow_lists(_ordered(raw, ENTRY_KEYS))
    for key in ("title", "answer"):
        out[key] = _localized(out.get(key)) if key in out else None
        if out[key] is None:
            del out[key]
    if isinstance(out.get("checklist"), list):
        items = []
        for item in out["checklist"]:
            if isinstance(item, Mapping):
                item = _ordered(item, ITEM_KEYS)
                if "text" in item:
                    item["text"] = _localized(item["text"])
                if "rule" in item:
                    item["rule"] = _rule(item["rule"])
            items.append(item)
        out["checklist"] = items
    if isinstance(out.get("links"), list):
        out["links"] = [
            _ordered(link, LINK_KEYS) if isinstance(link, Mapping) else link for link in out["links"]
        ]
    if isinstance(out.get("examples"), list):
        examples = []
        for example in out["examples"]:
            if isinstance(example, Mapping):
                example = _ordered(example, EXAMPLE_KEYS)
                if "query" in example:
                    example["query"] = _localized(example["query"])
                if isinstance(example.get("expect"), Mapping):
                    example["expect"] = _ordered(example["expect"], EXPECT_KEYS)
            examples.append(example)
        out["examples"] = examples
    return out


def _course(raw: Mapping[str, Any]) -> dict[str, Any]:
    return _flow_lists(_ordered(raw, COURSE_KEYS))


def _intent(raw: Mapping[str, Any]) -> dict[str, Any]:
    out = _flow_lists(_ordered(raw, INTENT_KEYS))
    leads = out.get("leads_to")
    if isinstance(leads, Mapping):
        leads = _ordered(leads, LEADS_TO_KEYS)
        if isinstance(leads.get("filters"), Mapping):
            leads["filters"] = _ordered(leads["filters"], FILTER_KEYS)
        out["leads_to"] = leads
    if isinstance(out.get("phrasings"), Mapping):
        out["phrasings"] = _ordered(out["phrasings"], LANGS)
    return out


def _vocabulary(raw: Mapping[str, Any]) -> dict[str, Any]:
    out = _ordered(raw, VOCABULARY_SECTIONS)
    for section, mapping in out.items():
        if isinstance(mapping, Mapping):
            out[section] = {k: _Flow(v) if isinstance(v, list) else v for k, v in mapping.items()}
    return out


_SHAPERS = {"entries": _entry, "courses": _course, "intents": _intent}


def dump_file(
    kind: str,
    objects: Any,
    header: str = "",
    path: str | None = None,
    comments: Mapping[str, str] | None = None,
) -> str:
    """The canonical text of one knowledge file.

    `objects` is a list of objects for entries, courses and intents, a mapping key -> localized text
    for strings, and the vocabulary mapping for vocabulary. `header` holds the comment lines kept at
    the top. `path` (relative to the knowledge root) gives the schema line's relative reference; by
    default the file is taken to be ``intents.yaml`` for intents and ``knowledge/<kind>.yaml`` else.
    `comments` maps an object id (or string key) to comment lines written just above it.
    """
    if kind not in SCHEMAS:
        raise ValueError(f"unknown file kind {kind!r}")
    if path is None:
        path = INTENTS_FILE if kind == "intents" else f"knowledge/{kind}.yaml"
    if kind == "courses" and objects and all(isinstance(o, Mapping) for o in objects):
        return _dump_courses(objects, header, path, comments or {})
    if kind in _SHAPERS:
        body: Any = [_SHAPERS[kind](o) for o in objects]
    elif kind == "strings":
        body = {key: _localized(value) for key, value in objects.items()}
    else:
        body = _vocabulary(objects)
    text = _yaml_text({kind: body})
    top = re.compile(r"^  - " if kind in _SHAPERS else r"^  \S")
    if kind in _SHAPERS:
        ids = [o.get("id") if isinstance(o, Mapping) else None for o in objects]
    elif kind == "strings":
        ids = list(objects)
    else:
        ids = []
    comments = comments or {}
    out: list[str] = []
    count = 0
    for line in text.splitlines(keepends=True):
        if top.match(line):
            if count:
                out.append("\n")
            oid = ids[count] if count < len(ids) else None
            note = comments.get(oid) if oid is not None else None
            if note:
                out.extend("  " + c.strip() + "\n" for c in note.splitlines() if c.strip())
            count += 1
        out.append(line)
    head = schema_comment(path, kind) + "\n"
    if header:
        head += header if header.endswith("\n") else header + "\n"
        head += "\n"
    return head + "".join(out)


# ---------------------------------------------------------------------------------------------
# The catalogue's fast writer: course records are flat and their shape is known, so their text is
# written directly -- the same bytes as PyYAML's emitter with `_Dumper` (plain and single-quoted text
# folded at `WIDTH` exactly as `Emitter.write_plain` / `write_single_quoted` do). A record holding
# anything else (a text that needs double quotes or a literal block, a nested mapping, a flow list
# that would wrap, an unusual key) is written by PyYAML itself, so the output never differs.

_PRINTABLE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe"
_BLOCK_PLAIN = re.compile(rf"(?![#,\[\]{{}}&*!|>'\"%@`?:\-. ])[{_PRINTABLE}]+")
"""A text that PyYAML surely writes plain in block context (a subset; other texts are analysed)."""
_FLOW_ITEM = re.compile(rf"(?![#,\[\]{{}}&*!|>'\"%@`?:\-. ])(?:(?![,\[\]{{}}?:])[{_PRINTABLE}])+")
"""A list item that PyYAML surely writes plain in a flow list (then checked for " #" and spaces)."""
_KEY = re.compile(r"[a-z][a-z_]*")
_LINE_BREAKS = re.compile("[\n\x85\u2028\u2029]")


class _Fallback(Exception):
    """This record is not written by the fast writer: PyYAML writes it."""


def _resolves_to_str(text: str) -> bool:
    """Whether PyYAML reads `text` written plain back as a string (its implicit resolvers, as `_Dumper`)."""
    resolvers = _Dumper.yaml_implicit_resolvers
    for _tag, regexp in resolvers.get(text[0] if text else "", []) + resolvers.get(None, []):
        if regexp.match(text):
            return False
    return True


_ANALYZER = _Dumper(None, allow_unicode=True)  # type: ignore[arg-type]


def _text_style(text: str, flow: bool) -> str:
    """Plain ("") or single-quoted ("'"): the style PyYAML's emitter chooses for `text`; `_Fallback`
    for any other (double-quoted, literal block)."""
    if flow:
        if _FLOW_ITEM.fullmatch(text) and " #" not in text and text[-1] != " " and _resolves_to_str(text):
            return ""
    elif (
        _BLOCK_PLAIN.fullmatch(text)
        and ": " not in text
        and " #" not in text
        and text[-1] not in ": "
        and _resolves_to_str(text)
    ):
        return ""
    if _LINE_BREAKS.search(text):
        raise _Fallback
    analysis = _ANALYZER.analyze_scalar(text)
    plain_ok = analysis.allow_flow_plain if flow else analysis.allow_block_plain
    if plain_ok and _resolves_to_str(text):
        return ""
    if analysis.allow_single_quoted:
        return "'"
    raise _Fallback


def _write_plain(text: str, column: int, indent: int, out: list[str]) -> int:
    """`Emitter.write_plain` (split, no line breaks) after "key:"; the column after it."""
    out.append(" ")
    column += 1
    if column + len(text) <= WIDTH:
        out.append(text)
        return column + len(text)
    words = text.split(" ")
    out.append(words[0])
    column += len(words[0])
    spaces = 0
    for word in words[1:]:
        spaces += 1
        if not word:  # a run of spaces: never folded
            continue
        if spaces == 1 and column > WIDTH:
            out.append("\n" + " " * indent)
            column = indent
        else:
            out.append(" " * spaces)
            column += spaces
        out.append(word)
        column += len(word)
        spaces = 0
    return column


def _write_single_quoted(text: str, column: int, indent: int, out: list[str]) -> int:
    """`Emitter.write_single_quoted` (split, no line breaks) after "key:"; the column after it."""
    out.append(" '")
    column += 2
    spaces = False
    start = end = 0
    size = len(text)
    while end <= size:
        ch = text[end] if end < size else None
        if spaces:
            if ch != " ":
                if start + 1 == end and column > WIDTH and start != 0 and end != size:
                    out.append("\n" + " " * indent)
                    column = indent
                else:
                    out.append(text[start:end])
                    column += end - start
                start = end
        elif (ch is None or ch == " " or ch == "'") and start < end:
            out.append(text[start:end])
            column += end - start
            start = end
        if ch == "'":
            out.append("''")
            column += 2
            start = end + 1
        if ch is not None:
            spaces = ch == " "
        end += 1
    out.append("'")
    return column + 1


def _write_text(text: str, column: int, indent: int, out: list[str]) -> None:
    if not text:
        raise _Fallback
    if _text_style(text, flow=False) == "":
        _write_plain(text, column, indent, out)
    else:
        _write_single_quoted(text, column, indent, out)


def _scalar(value: Any) -> str:
    """The plain text of a non-text scalar, as `_Dumper` represents it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    if type(value) is float and value == value and value not in (float("inf"), float("-inf")):
        text = repr(value).lower()
        return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
    raise _Fallback


_KEYS_OK: set[str] = set()


def _course_text(raw: Mapping[str, Any]) -> str:
    """One record as `yaml.dump` writes it as an item of ``courses:`` (or `_Fallback`)."""
    out: list[str] = []
    prefix = "  - "
    for key, value in _course(raw).items():
        if key not in _KEYS_OK:
            if not (isinstance(key, str) and _KEY.fullmatch(key) and _resolves_to_str(key)):
                raise _Fallback
            _KEYS_OK.add(key)
        out.append(prefix)
        out.append(key)
        out.append(":")
        prefix = "\n    "
        column = 5 + len(key)
        if type(value) is str:
            _write_text(value, column, 6, out)
        elif isinstance(value, _Flow):
            if not value:
                out.append(" []")
                continue
            if not all(type(v) is str and v and _text_style(v, flow=True) == "" for v in value):
                raise _Fallback
            line = " [" + ", ".join(value) + "]"
            if column + len(line) > WIDTH:
                raise _Fallback
            out.append(line)
        elif isinstance(value, list):
            if not value:
                out.append(" []")
                continue
            for item in value:
                if type(item) is not str:
                    raise _Fallback
                out.append("\n      -")
                _write_text(item, 7, 8, out)
        elif isinstance(value, (dict, list, tuple)):
            raise _Fallback
        else:
            out.append(" ")
            out.append(_scalar(value))
    out.append("\n")
    return "".join(out)


def _yaml_text(data: Mapping[str, Any]) -> str:
    """`data` in the knowledge files' layout, written by PyYAML (block style, keys in order)."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        indent=2,
        default_flow_style=False,
    )


def _pyyaml_course_text(raw: Mapping[str, Any]) -> str:
    text = _yaml_text({"courses": [_course(raw)]})
    return text.split("\n", 1)[1]


def course_text(raw: Mapping[str, Any]) -> str:
    """The canonical text of one course record as an item of a catalogue file ("  - id: …")."""
    try:
        return _course_text(raw)
    except _Fallback:
        return _pyyaml_course_text(raw)


def _dump_courses(objects: Any, header: str, path: str, comments: Mapping[str, str]) -> str:
    out = [schema_comment(path, "courses") + "\n"]
    if header:
        out.append(header if header.endswith("\n") else header + "\n")
        out.append("\n")
    out.append("courses:\n")
    for count, raw in enumerate(objects):
        if count:
            out.append("\n")
        oid = raw.get("id")
        note = comments.get(oid) if isinstance(oid, str) else None
        if note:
            out.extend("  " + c.strip() + "\n" for c in note.splitlines() if c.strip())
        out.append(course_text(raw))
    return "".join(out)


def dump_knowledge(kb: KnowledgeBase) -> dict[str, str]:
    """Every file of the knowledge base as {path relative to the root: canonical text}, in file order."""
    out: dict[str, str] = {}
    for source in kb.files:
        data = kb.data.get(source.kind, {})
        if source.kind == "vocabulary":
            objects: Any = data.get(source.path, {})
        elif source.kind == "strings":
            objects = {key: data[key] for key in source.ids if key in data}
        else:
            objects = [data[oid] for oid in source.ids if oid in data]
        out[source.path] = dump_file(source.kind, objects, source.header, source.path, source.comments)
    return out


def write_knowledge(kb: KnowledgeBase, out_root: Path) -> list[Path]:
    """Write every file of `kb` under `out_root` (creating `knowledge/...`); the paths written."""
    out_root = Path(out_root).resolve()
    return [_write_file(out_root, rel, text) for rel, text in dump_knowledge(kb).items()]


def _write_file(out_root: Path, rel: str, text: str) -> Path:
    target = (out_root / rel).resolve()
    if not target.is_relative_to(out_root):
        raise ValueError(f"refusing to write outside {out_root}: {rel}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    return target


def dump_stored(db: Any) -> Iterator[tuple[str, str]]:
    """Every file of the knowledge base stored in `db` as (path, canonical text), one at a time in file
    order: the same texts as `dump_knowledge(read_knowledge(db))`, in memory one file at a time."""
    from bot.engine.store import stored_files

    for source, objects in stored_files(db):
        yield source.path, dump_file(source.kind, objects, source.header, source.path, source.comments)


def export_knowledge(db: Any, out_root: Path) -> list[Path]:
    """Write the knowledge base stored in `db` as YAML files under `out_root` (same paths, same order)."""
    out_root = Path(out_root).resolve()
    written = []
    for rel, text in dump_stored(db):
        written.append(_write_file(out_root, rel, text))
    return written
