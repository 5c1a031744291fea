"""The languages the bot speaks, read once from `knowledge/languages.json` (the single source).

Each language carries its code, its name and its word lists: the detection profile (function words,
letters, word endings), the words that read a course request, and the words and patterns that read
the facts of a compliance question. `LANGS` (re-exported by `bot.engine.model`) is derived here; no
other module spells the language codes out. Adding a language is adding its object to the file and
regenerating the shared localized-text schema (`python -m bot.engine.languages --schema`, see
knowledge/README.md).

The file is JSON, not YAML, because every YAML file under `knowledge/` is a knowledge-base file
for the loader; it is validated against `knowledge/schemas/languages.schema.json` by the tests.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.engine.paths import PROJECT_ROOT

LANGUAGES_FILE = PROJECT_ROOT / "knowledge" / "languages.json"
LOCALIZED_SCHEMA_FILE = PROJECT_ROOT / "knowledge" / "schemas" / "localized-text.schema.json"


@dataclass(frozen=True)
class Language:
    """One language and its word lists (see knowledge/schemas/languages.schema.json)."""

    code: str
    name: str
    detection: dict[str, Any]
    """`stopwords`, `letters`, `patterns` (regular expressions on normalised words)."""
    course_request: dict[str, list[str]]
    """`stopwords`, `question_words`, `general_words`, `connectors`, `request_cues`."""
    compliance: dict[str, Any]
    """Words (regular-expression fragments) and phrases that state a course's facts."""


@cache
def languages() -> tuple[Language, ...]:
    """Every language, in file order (the first is the fallback language)."""
    data = json.loads(LANGUAGES_FILE.read_text(encoding="utf-8"))
    return tuple(
        Language(
            code=item["code"],
            name=item["name"],
            detection=item["detection"],
            course_request=item["course_request"],
            compliance=item["compliance"],
        )
        for item in data["languages"]
    )


def codes() -> tuple[str, ...]:
    """The language codes, in file order."""
    return tuple(lang.code for lang in languages())


def union(section: str, name: str) -> list[str]:
    """List `name` of `section` ("course_request", "compliance", …) over every language, in
    language order, without repeats."""
    words: dict[str, None] = {}
    for lang in languages():
        for word in getattr(lang, section).get(name) or ():
            words.setdefault(word, None)
    return list(words)


def localized_schema() -> dict[str, Any]:
    """The shared localized-text schema, generated from the languages (the file must equal it)."""
    langs = list(codes())
    listed = ", ".join(langs)

    def each(value_ref: str) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {code: {"$ref": value_ref} for code in langs},
            "required": langs,
            "additionalProperties": False,
        }

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "localized-text.schema.json",
        "title": "cmf-bot localized text",
        "description": (
            "Generated from knowledge/languages.json by `python -m bot.engine.languages --schema`: "
            "the one place the schemas list the languages."
        ),
        "$defs": {
            "lang": {"description": "A language code.", "enum": langs},
            "text": {"type": "string", "minLength": 1, "pattern": "\\S", "description": "Non-empty text."},
            "localized": {
                **each("#/$defs/text"),
                "description": f"A user-facing text in each of the languages {listed} (none empty).",
            },
            "phrases": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/text"},
                "description": "Example phrasings, typed the way people chat.",
            },
            "localized-phrases": {
                **each("#/$defs/phrases"),
                "description": f"Example phrasings in each of the languages {listed}.",
            },
        },
    }


def main(argv: list[str] | None = None) -> int:
    """`--schema`: write the localized-text schema generated from knowledge/languages.json."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["--schema"]:
        print("usage: python -m bot.engine.languages --schema", file=sys.stderr)
        return 2
    text = json.dumps(localized_schema(), ensure_ascii=False, indent=2) + "\n"
    LOCALIZED_SCHEMA_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {LOCALIZED_SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
