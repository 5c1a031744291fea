"""The answer engine facade: one object that the console, the Discord bot, the benchmarks and the
tests all ask. CONTRACT ONLY — filled in by the engine issue (#3); signatures are fixed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.engine.model import Reply, Suggestion


class Engine:
    @classmethod
    def open(
        cls,
        db_path: str | Path | None = None,
        knowledge_root: str | Path | None = None,
        *,
        log_source: str | None = None,
    ) -> Engine:
        """Open the database (building it from the bundled knowledge on first use)."""
        raise NotImplementedError

    def ask(self, question: str, lang: str | None = None, *, user: str | None = None) -> Reply:
        """Answer a free-text question. `lang` forces the answer language (else detected)."""
        raise NotImplementedError

    def answer_intent(self, intent_id: str, lang: str, question: str = "") -> Reply:
        """The answer an intent leads to (for a picked suggestion or an autocomplete choice)."""
        raise NotImplementedError

    def suggest_intents(self, text: str, lang: str, limit: int = 25) -> list[Suggestion]:
        """Autocomplete: intents whose titles/phrasings best match what was typed so far."""
        raise NotImplementedError

    def checklist(self, audience: str | None, lang: str) -> Reply:
        """The CMF requirements as a checklist worded for learners, employers or universities."""
        raise NotImplementedError

    def search_courses(
        self,
        query: str,
        lang: str,
        *,
        language: str | None = None,
        platform: str | None = None,
        type: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> Reply:
        """Course search; `reply.items` are the courses, ranked by relevance."""
        raise NotImplementedError

    def course_choices(self, text: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete for credentials: (course id, title) pairs."""
        raise NotImplementedError

    def credential_profile(self, course_id: str, lang: str) -> Reply:
        """What a credential certifies, in terms of the EU standard elements."""
        raise NotImplementedError

    def check_compliance(self, facts: dict[str, Any], lang: str) -> Reply:
        """Each CMF requirement as met / not met / unknown for the given course facts."""
        raise NotImplementedError

    def string(self, key: str, lang: str, **values: Any) -> str:
        """A UI string from knowledge/ui/*.yaml in `lang`, with placeholders filled."""
        raise NotImplementedError
