"""The bot's own words in five languages: UI strings and the localised slash-command tree.

Strings come from the engine (`engine.string`, which reads `knowledge/ui/*.yaml` through the
database, so moderators' edits apply); the bundled `knowledge/ui/discord.yaml` is read directly as
a fallback, so the bot still has labels if a key is missing from the database.

Command tree keys (what `CMFTranslator` looks up):
- `cmd.<command>.name`, `cmd.<command>.description` (sub-commands: `cmd.<group>.<sub>.…`)
- `cmd.<command>.opt.<option>.name`, `cmd.<command>.opt.<option>.description`
- choices: the `key` given in `locale_str(..., key=...)`, else `choice.<value>`
English comes from the code itself; a missing key leaves that string untranslated.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from bot.engine.model import DEFAULT_LANG, LANGS
from bot.engine.paths import PROJECT_ROOT
from bot.engine.strings import fill

log = logging.getLogger(__name__)

UI_FILE = PROJECT_ROOT / "knowledge" / "ui" / "discord.yaml"


def locale_lang(locale: discord.Locale | str | None) -> str:
    """`fr`, `es-ES`, `es-419`, `it`, `de` → their language; anything else → English."""
    value = str(getattr(locale, "value", locale) or "").lower()
    lang = value.split("-")[0]
    return lang if lang in LANGS else DEFAULT_LANG


@cache
def bundled_strings(path: Path = UI_FILE) -> dict[str, dict[str, str]]:
    """The `strings:` table of the bundled discord.yaml (empty if the file is missing)."""
    from bot.engine.yaml_fast import safe_load

    try:
        data = safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        log.warning("UI strings file %s not found; labels fall back to their keys", path)
        return {}
    table = data.get("strings") or {}
    return {str(k): {str(lang): str(text) for lang, text in v.items()} for k, v in table.items()}


class Strings:
    """UI string lookup: the engine first, then the bundled file; `{name}` placeholders filled."""

    def __init__(self, engine: Any = None, table: dict[str, dict[str, str]] | None = None) -> None:
        self.engine = engine
        self.table = bundled_strings() if table is None else table

    def find(self, key: str, lang: str, **values: Any) -> str | None:
        """The string, or None when no source has it."""
        text: str | None = None
        if self.engine is not None:
            try:
                found = self.engine.string(key, lang, **values)
            except (KeyError, LookupError, NotImplementedError):
                found = None
            if found and found != key:
                text = found
        if text is None:
            entry = self.table.get(key)
            if entry:
                raw = entry.get(lang) or entry.get(DEFAULT_LANG) or ""
                text = fill(raw, values)  # the strings service's one placeholder rule
        return text or None

    def get(self, key: str, lang: str, **values: Any) -> str:
        """The string, or the key itself (logged) when missing, so a gap shows rather than crashes."""
        text = self.find(key, lang, **values)
        if text is None:
            log.warning("missing UI string %s", key)
            return key
        return text


def _command_path(command: Any) -> str:
    return str(getattr(command, "qualified_name", getattr(command, "name", ""))).replace(" ", ".")


def translation_key(string: app_commands.locale_str, context: app_commands.TranslationContext) -> str | None:
    """The strings key for one piece of the command tree (see the module docstring)."""
    explicit = string.extras.get("key")
    if explicit:
        return str(explicit)
    where = context.location
    loc = app_commands.TranslationContextLocation
    data = context.data
    if where in (loc.command_name, loc.group_name):
        return f"cmd.{_command_path(data)}.name"
    if where in (loc.command_description, loc.group_description):
        return f"cmd.{_command_path(data)}.description"
    if where in (loc.parameter_name, loc.parameter_description):
        suffix = "name" if where is loc.parameter_name else "description"
        return f"cmd.{_command_path(data.command)}.opt.{data.name}.{suffix}"
    if where is loc.choice_name:
        return f"choice.{data.value}"
    return None


class CMFTranslator(app_commands.Translator):
    """Localises command names, descriptions, option names and choices into fr, es, it and de."""

    def __init__(self, strings: Strings) -> None:
        self.strings = strings

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContext,
    ) -> str | None:
        lang = locale_lang(locale)
        if lang == DEFAULT_LANG:
            return None
        key = translation_key(string, context)
        if key is None:
            return None
        return self.strings.find(key, lang)
