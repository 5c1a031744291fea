"""A fast reader for catalogue files in the layout `kb export` writes (`bot.engine.dump`).

A catalogue file is a flat list of flat records; in the canonical layout each record is a few lines
of ``key: value`` with plain or single-quoted text (folded at the width), flow word lists and block
URL lists. `read_catalogue` reads exactly that subset line by line and gives the same value as
PyYAML's safe loader (the loader's resolvers: dates stay text); for anything else -- a comment
inside a record, double quotes, a literal block, a nested mapping, a tab, a duplicate key, an
unusual character -- it returns None and the caller parses the file with libyaml/PyYAML, so every
message (file, line, field) stays the loader's own.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import ScalarNode

_TAG = "tag:yaml.org,2002:"
_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TAG + "timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALARS: dict[str, Any] = {}
"""Short plain values by their text: null, booleans, numbers and short texts, so that a catalogue's
repeated values (platform, type, language, subject words) are one object each, not one per record."""
_SCALARS_KEPT = 20_000
_SHARED_CHARS = 24

_UNSAFE = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
"""A character the fast reader leaves to PyYAML (tabs, CR, control and line-break characters, BOM)."""
_FIELD = re.compile(r"(  - |    )([a-z][a-z_]*):(?: (.*))?")
_ITEM = re.compile(r"      - (.*)")
_PLAIN_START = re.compile(r"(?![#,\[\]{}&*!|>'\"%@`?:\-. ])")
_FLOW_ITEM = re.compile(r"(?![#&*!|>'\"%@`?:\-. ])[^,\[\]{}:#'\"]+")


class _NotCanonical(Exception):
    """The text is not in the subset this reader handles."""


def _plain(text: str) -> Any:
    """The value of a plain scalar (already joined over its lines)."""
    if not _PLAIN_START.match(text) or ": " in text or " #" in text or text.endswith(":"):
        raise _NotCanonical
    found = _SCALARS.get(text)
    if found is not None or text in _SCALARS:
        return found  # one object for each repeated short value ("MOOC", "de", "null", 12.0 …)
    for tag, regexp in _RESOLVERS.get(text[0], []) + _RESOLVERS.get(None, []):
        if regexp.match(text):
            if tag not in (_TAG + "null", _TAG + "bool", _TAG + "int", _TAG + "float"):
                raise _NotCanonical
            try:  # PyYAML's own constructor for the tag (not `construct_object`: it keeps every node)
                value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, ScalarNode(tag, text))
            except (ValueError, OverflowError):  # e.g. an integer of 5,000 digits: the loader says so
                raise _NotCanonical from None
            if len(_SCALARS) > _SCALARS_KEPT:
                _SCALARS.clear()
            _SCALARS[text] = value
            return value
    if len(text) <= _SHARED_CHARS:
        if len(_SCALARS) > _SCALARS_KEPT:
            _SCALARS.clear()
        _SCALARS[text] = text
    return text


def _single_quoted(text: str) -> str:
    inner = text[1:-1]
    if len(text) < 2 or not text.endswith("'") or "'" in inner.replace("''", ""):
        raise _NotCanonical
    return inner.replace("''", "'")


def _scalar(lines: list[str]) -> Any:
    """One value from its first line and continuation lines (folded: one space between lines)."""
    text = " ".join(line.strip(" ") for line in lines) if len(lines) > 1 else lines[0]
    first = text[:1]
    if first == "'":
        return _single_quoted(text)
    if first == "[":
        if len(lines) > 1 or not text.endswith("]"):
            raise _NotCanonical
        inner = text[1:-1]
        if not inner:
            return []
        items = inner.split(", ")
        if not all(_FLOW_ITEM.fullmatch(item) and item[-1] != " " for item in items):
            raise _NotCanonical
        return [_plain(item) for item in items]
    if not text or text != text.strip(" "):
        raise _NotCanonical
    return _plain(text)


def read_catalogue(text: str) -> dict[str, list[dict[str, Any]]] | None:
    """``{"courses": [record, ...]}`` as PyYAML's safe loader reads `text`, or None when the text is
    not in the canonical catalogue layout (then parse it with the YAML loader)."""
    if _UNSAFE.search(text):
        return None
    try:
        return {"courses": _records(text.split("\n"))}
    except _NotCanonical:
        return None


_KEYS: dict[str, str] = {}


def _key(name: str) -> str:
    """A field name that PyYAML reads as text (not null, a boolean or a number), one object per name."""
    known = _KEYS.get(name)
    if known is None:
        for _tag, regexp in _RESOLVERS.get(name[0], []) + _RESOLVERS.get(None, []):
            if regexp.match(name):
                raise _NotCanonical
        if len(_KEYS) > 1_000:
            _KEYS.clear()
        known = _KEYS[name] = name
    return known


def _continue(line: str, value: list[str] | None, items: list[list[str]] | None) -> None:
    """Add a line indented 6 or more to the open value: its next line, a list item or an item's line."""
    rest = line.lstrip(" ")
    if not rest or rest.startswith("#"):
        raise _NotCanonical
    if value is not None:
        if rest.startswith("- "):
            raise _NotCanonical
        value.append(line)
        return
    if items is None:
        raise _NotCanonical
    item = _ITEM.fullmatch(line)
    if item:
        items.append([item[1]])
    elif line.startswith("        ") and items and not rest.startswith("- "):
        items[-1].append(line)
    else:
        raise _NotCanonical


def _body_start(lines: list[str]) -> int:
    """The index of the line after ``courses:`` (header comments and blank lines before it)."""
    number = 0
    while number < len(lines) and (lines[number].startswith("#") or not lines[number]):
        number += 1
    if number >= len(lines) or lines[number] != "courses:":
        raise _NotCanonical
    return number + 1


class _Record:
    """The record being read and its open field."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.key = ""
        self.value: list[str] | None = None  # the open scalar's lines
        self.items: list[list[str]] | None = None  # the open block list: each item's lines

    def open(self, name: str, first: str | None) -> None:
        self.finish()
        self.key = _key(name)
        if self.key in self.data:
            raise _NotCanonical
        if first is None:
            self.items = []
        else:
            self.value = [first]

    def finish(self) -> None:
        if self.value is not None:
            self.data[self.key] = _scalar(self.value)
        elif self.items is not None:
            self.data[self.key] = [_scalar(item) for item in self.items] if self.items else None
        self.value = self.items = None


def _records(lines: list[str]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    record: _Record | None = None
    closed = True  # a blank line ended the current record
    for line in lines[_body_start(lines) :]:
        if not line:
            closed = True
        elif line.startswith("      "):  # a continuation line or a list item
            if closed or record is None:
                raise _NotCanonical
            _continue(line, record.value, record.items)
        else:
            field = _FIELD.fullmatch(line)
            if field is None:
                if line.startswith("  # ") and closed:  # a comment above a record
                    continue
                raise _NotCanonical
            if field[1] == "  - ":
                if not closed:
                    raise _NotCanonical
                if record is not None:
                    record.finish()
                record = _Record()
                records.append(record.data)
            elif record is None or closed:
                raise _NotCanonical
            closed = False
            record.open(field[2], field[3])
    if record is None:
        raise _NotCanonical
    record.finish()
    return records
