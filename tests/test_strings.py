"""The strings service (bot/engine/strings.py): one lookup, one rule for placeholders, used by the
engine, the reply builders and the moderation service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.engine import answers
from bot.engine.strings import BUNDLED_UI_DIR, UiStrings, bundled_strings, fill
from bot.moderation.service import ServiceError, message

TABLE = {
    "greet": {
        "en": "Hello {name}",
        "fr": "Bonjour {name}",
        "es": "",
        "it": "Ciao {name}",
        "de": "Hallo {name}",
    },
    "plain": {"en": "Nothing to fill {here}", "fr": "Rien {ici}", "es": "x", "it": "x", "de": "x"},
}


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("{count} courses on {platform}", {"count": 3, "platform": "FUN"}, "3 courses on FUN"),
        ("{count} courses on {platform}", {"count": 3}, "3 courses on {platform}"),
        ("{count} courses", {}, "{count} courses"),
        ("a stray { brace {count}", {"count": 1}, "a stray { brace {count}"),
        ("{0} positional", {"count": 1}, "{0} positional"),
        ("{count:d} formatted", {"count": 7}, "7 formatted"),
    ],
)
def test_fill_keeps_a_missing_placeholder_visible(
    template: str, values: dict[str, Any], expected: str
) -> None:
    assert fill(template, values) == expected


def test_lookup_by_key_and_language_with_english_fallback() -> None:
    strings = UiStrings(TABLE, None)
    assert strings.get("greet", "it", name="Ada") == "Ciao Ada"
    assert strings.get("greet", "es", name="Ada") == "Hello Ada"  # empty Spanish text: English
    assert strings.get("greet", "fr") == "Bonjour {name}"
    assert strings("plain", "fr", other=1) == "Rien {ici}"
    assert strings.get("no.such.key", "de") == "no.such.key"
    assert strings.has("greet") and not strings.has("no.such.key")


def test_a_placeholder_named_lang_or_key_can_be_filled() -> None:
    strings = UiStrings({"k": {"en": "{key} in {lang}"}}, None)
    assert strings.get("k", "en", key="a", lang="fr") == "a in fr"


def test_the_knowledge_base_wins_over_the_bundled_files(tmp_path: Path) -> None:
    (tmp_path / "ui.yaml").write_text(
        "strings:\n  greet:\n    en: bundled {name}\n  only.bundled:\n    en: from the file {n}\n",
        encoding="utf-8",
    )
    strings = UiStrings(TABLE, tmp_path)
    assert strings.get("greet", "en", name="X") == "Hello X"
    assert strings.get("only.bundled", "fr") == "from the file {n}"


def test_answers_and_the_moderation_service_use_the_same_service() -> None:
    assert answers.UiStrings is UiStrings
    assert bundled_strings() is bundled_strings()
    assert bundled_strings().has("mod.error.bad_lang")
    assert BUNDLED_UI_DIR.is_dir()


def test_service_messages_follow_the_one_rule() -> None:
    filled = message("bad_lang", "fr", lang="xx", langs="en, fr")
    assert "xx" in filled and "{" not in filled
    kept = message("bad_lang", "de")
    assert "{lang}" in kept and "{langs}" in kept
    assert kept == bundled_strings().get("mod.error.bad_lang", "de")
    assert str(ServiceError("bad_lang", lang="pt", langs="en")) == message(
        "bad_lang", "en", lang="pt", langs="en"
    )


def test_the_engine_strings_follow_the_one_rule(db_path: Path) -> None:
    from bot.engine.engine import Engine

    engine = Engine.open(db_path)
    try:
        assert engine.string("courses.found", "fr", count=3) == "3 cours trouvés"
        assert engine.string("courses.found", "fr") == "{count} cours trouvés"
        # a key the fixture knowledge base lacks comes from the bundled files, same rule
        too_long = engine.string("fallback.too_long", "en", length=5000)
        assert "5000" in too_long and "{max}" in too_long
        assert too_long == bundled_strings().get("fallback.too_long", "en", length=5000)
    finally:
        engine.close()
