"""Usage numbers for moderators: questions per intent, unanswered rate, feedback ratio.

Over the last `days` days of the question log (`questions`) and feedback (`feedback`):
- `per_intent`: answered questions (status `answer`) per intent, most asked first;
- `unanswered_rate`: questions with status `no_match` / all questions (None when none were asked);
- `suggestions_rate`: questions answered only with "did you mean" suggestions / all questions;
- `feedback_ratio`: 👍 / (👍 + 👎) (None without any 👍 or 👎); `not_what_i_asked` is counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlite_utils


@dataclass
class Stats:
    days: int
    since: str
    questions: int = 0
    answered: int = 0
    suggestions: int = 0
    unanswered: int = 0
    per_intent: list[tuple[str, int]] = field(default_factory=list)
    up: int = 0
    down: int = 0
    not_what_i_asked: int = 0

    @property
    def unanswered_rate(self) -> float | None:
        return self.unanswered / self.questions if self.questions else None

    @property
    def suggestions_rate(self) -> float | None:
        return self.suggestions / self.questions if self.questions else None

    @property
    def feedback_ratio(self) -> float | None:
        rated = self.up + self.down
        return self.up / rated if rated else None


def compute_stats(db: sqlite_utils.Database, days: int = 7) -> Stats:
    """The numbers over the last `days` days (1-366)."""
    if not 1 <= int(days) <= 366:
        raise ValueError("days must be between 1 and 366")
    since = (datetime.now(UTC) - timedelta(days=int(days))).isoformat(timespec="seconds")
    stats = Stats(days=int(days), since=since)
    conn = db.conn
    for status, count in conn.execute(
        "SELECT status, COUNT(*) FROM questions WHERE at >= ? GROUP BY status", (since,)
    ):
        stats.questions += count
        if status == "answer":
            stats.answered = count
        elif status == "suggestions":
            stats.suggestions = count
        elif status == "no_match":
            stats.unanswered = count
    stats.per_intent = [
        (intent, count)
        for intent, count in conn.execute(
            "SELECT intent, COUNT(*) AS n FROM questions WHERE at >= ? AND status = 'answer' "
            "AND intent IS NOT NULL GROUP BY intent ORDER BY n DESC, intent",
            (since,),
        )
    ]
    for kind, count in conn.execute(
        "SELECT kind, COUNT(*) FROM feedback WHERE at >= ? GROUP BY kind", (since,)
    ):
        if kind in ("up", "down", "not_what_i_asked"):
            setattr(stats, kind, count)
    return stats
