"""A matcher whose ranking a test sets, for testing router rules on their own (whatever the trained
matcher of the day ranks), and an engine over the shipped knowledge that uses it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bot.engine.engine import Engine
from bot.engine.matcher import OUT_OF_SCOPE

ROOT = Path(__file__).resolve().parents[1]


class ScriptedMatcher:
    """Ranks every question the same way: `ranking` (intent, probability), off-topic class included;
    a text containing a key of `when` (lower case) gets that key's ranking instead."""

    def __init__(self) -> None:
        self.ranking: list[tuple[str, float]] = []
        self.when: dict[str, list[tuple[str, float]]] = {}

    def rank(self, text: str, limit: int = 3, out_of_scope: bool = False) -> list[tuple[str, float]]:
        ranking = next((r for key, r in self.when.items() if key in text.lower()), self.ranking)
        rows = [r for r in ranking if out_of_scope or r[0] != OUT_OF_SCOPE]
        return sorted(rows, key=lambda r: -r[1])[:limit]


def scripted_engine(tmp: Path) -> Iterator[tuple[Engine, ScriptedMatcher]]:
    """An engine on the shipped knowledge (database under `tmp`) ranking with a `ScriptedMatcher`;
    for a module fixture (`yield from`), closed afterwards."""
    matcher = ScriptedMatcher()
    engine = Engine.open(tmp / "db.sqlite3", ROOT, matcher_factory=lambda *_: matcher)
    try:
        yield engine, matcher
    finally:
        engine.close()
