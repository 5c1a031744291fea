"""bot.i18n and knowledge/ui/discord.yaml: locales, string lookup, and a command tree Discord accepts."""

from __future__ import annotations

import re

import discord
import pytest

from bot.engine.model import LANGS
from bot.i18n import Strings, bundled_strings, locale_lang

NAME = re.compile(r"^[-_'\w]{1,32}$")


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("fr", "fr"),
        ("es-ES", "es"),
        ("es-419", "es"),
        ("it", "it"),
        ("de", "de"),
        ("en-GB", "en"),
        ("pt-BR", "en"),
        ("ja", "en"),
        (None, "en"),
    ],
)
def test_locale_to_language(locale: str | None, lang: str) -> None:
    value = discord.Locale(locale) if locale else None
    assert locale_lang(value) == lang


def test_every_string_has_five_languages_and_valid_command_names() -> None:
    table = bundled_strings()
    assert table, "knowledge/ui/discord.yaml is missing"
    for key, texts in table.items():
        assert set(texts) == set(LANGS), key
        if key.startswith("cmd.menu_") and key.endswith(".name"):  # a context menu: 1-32, any case
            assert all(1 <= len(name) <= 32 for name in texts.values()), key
        elif key.startswith("cmd.") and key.endswith(".name"):
            for lang, name in texts.items():
                assert NAME.match(name) and name == name.lower(), (key, lang, name)
        if key.startswith("cmd.") and key.endswith(".description"):
            assert all(1 <= len(t) <= 100 for t in texts.values()), key
        if key.startswith("choice."):
            assert all(1 <= len(t) <= 100 for t in texts.values()), key


def test_localised_option_names_are_unique_within_each_command() -> None:
    table = bundled_strings()
    commands = {k.split(".opt.")[0] for k in table if k.startswith("cmd.") and ".opt." in k}
    assert {"cmd.ask", "cmd.kb.show", "cmd.kb.phrase.add", "cmd.kb.settings"} <= commands
    for command in commands:
        keys = [k for k in table if k.startswith(f"{command}.opt.") and k.endswith(".name")]
        for lang in LANGS:
            names = [table[k][lang] for k in keys]
            assert len(names) == len(set(names)), (command, lang, names)


def test_sub_command_names_are_unique_per_level_in_every_language() -> None:
    table = bundled_strings()
    levels: dict[str, list[str]] = {}
    for key in table:
        parts = key.split(".")
        if key.startswith("cmd.") and key.endswith(".name") and ".opt." not in key and len(parts) > 3:
            levels.setdefault(".".join(parts[1:-2]), []).append(key)
    assert {"kb", "kb.phrase"} <= set(levels)
    for parent, keys in levels.items():
        for lang in LANGS:
            names = [table[k][lang] for k in keys]
            assert len(names) == len(set(names)), (parent, lang, names)


def test_strings_fill_placeholders_and_fall_back_to_the_bundled_file() -> None:
    class Engine:
        def string(self, key: str, lang: str, **values: object) -> str:
            return key  # the engine returns the key for a string it does not have

    strings = Strings(Engine())
    assert (
        strings.get("ui.cooldown", "de", seconds=7)
        == "Du fragst sehr schnell — versuch es in 7 s noch einmal."
    )
    assert strings.find("no.such.key", "en") is None
    assert strings.get("no.such.key", "en") == "no.such.key"


def test_discord_strings_name_the_commands_users_of_each_language_see() -> None:
    """A French string says /demander, not /ask: users see the localised names in Discord."""
    from bot.i18n import UI_FILE

    table = bundled_strings()
    discord_strings = {**bundled_strings(UI_FILE.with_name("moderation.yaml")), **table}
    commands = {
        k.split(".")[1] for k in table if k.startswith("cmd.") and k.count(".") == 2 and k.endswith(".name")
    }
    assert {"ask", "about", "courses", "kb", "help"} <= commands
    checked = 0
    for key, texts in discord_strings.items():
        if not key.startswith(("ui.", "mod.discord.")):
            continue
        for lang, text in texts.items():
            for command in commands:
                local = table[f"cmd.{command}.name"][lang]
                if local != command and re.search(rf"(?<![\w/.])/{command}(?![\w-])", text):
                    raise AssertionError(f"{key} ({lang}) says /{command}; users see /{local}")
                checked += 1
    assert checked > 1000
