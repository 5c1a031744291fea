"""The bot's own strings: one lookup by key and language, one rule for placeholders.

Strings are the `strings:` tables of `knowledge/ui/*.yaml` (as loaded into the knowledge base,
so moderators' edits apply), a key missing there falls back to the bundled files, then to the key
itself. A language missing from a string falls back to English (`pick`). `{name}` placeholders are
filled by `fill`: a placeholder given no value stays visible as `{name}`. The engine
(`Engine.string`), the reply builders (`bot.engine.answers`) and the moderation service's messages
(`bot.moderation.service.message`) all read strings through here.
"""

from __future__ import annotations

import string as _string
from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from bot.engine.model import Localized, pick
from bot.engine.paths import PROJECT_ROOT

BUNDLED_UI_DIR = PROJECT_ROOT / "knowledge" / "ui"
"""The bundled UI strings: the checkout's, else the copy inside the wheel."""


class _Keep(dict[str, Any]):
    """format_map helper: a placeholder with no value stays visible as `{name}`."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: Mapping[str, Any]) -> str:
    """`template` with its `{name}` placeholders filled from `values`.

    A placeholder with no value stays visible as written (`{name}`); a template that is not a valid
    format string (a stray brace) is returned as it is; with no values the template is returned as
    written.
    """
    if not values:
        return template
    try:
        return _string.Formatter().vformat(template, (), _Keep(values))
    except (ValueError, IndexError, AttributeError):
        return template


class UiStrings:
    """The bot's own strings (`strings:` files) with `{name}` placeholders.

    Strings come from the knowledge base; a key missing there falls back to the bundled
    `knowledge/ui/*.yaml` (read only when needed), then to the key itself, so an incomplete
    knowledge root never breaks a reply.
    """

    def __init__(self, strings: Mapping[str, Localized], bundled_dir: Path | None = None) -> None:
        self._strings = strings
        self._bundled_dir = bundled_dir

    @cached_property
    def _bundled(self) -> dict[str, Localized]:
        if self._bundled_dir is None or not self._bundled_dir.is_dir():
            return {}
        import yaml  # only when the knowledge base lacks a key

        from bot.engine.yaml_fast import safe_load

        merged: dict[str, Localized] = {}
        for path in sorted(self._bundled_dir.glob("*.yaml")):
            try:
                data = safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError):
                continue
            if isinstance(data, dict) and isinstance(data.get("strings"), dict):
                merged.update(data["strings"])
        return merged

    def has(self, key: str) -> bool:
        """Whether the knowledge base or the bundled files have `key`."""
        return key in self._strings or key in self._bundled

    def get(self, key: str, lang: str, /, **values: Any) -> str:
        """The string `key` in `lang` (else English), placeholders filled (`fill`); the key if unknown."""
        text = self._strings.get(key) or self._bundled.get(key)
        return fill(pick(text, lang) if text else key, values)

    __call__ = get


@cache
def bundled_strings() -> UiStrings:
    """The bundled strings alone (no knowledge base): for messages made outside an engine."""
    return UiStrings({}, BUNDLED_UI_DIR)
