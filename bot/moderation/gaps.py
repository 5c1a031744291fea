"""Gaps: the questions the bot could not answer, or whose answer got 👎 / "Not what I asked".

Questions logged with status `no_match` or `suggestions`, and questions with `down` or
`not_what_i_asked` feedback, are grouped by similarity: texts are normalised (case, accents,
punctuation), identical ones counted together, then clustered greedily, most frequent first, with
rapidfuzz's `token_sort_ratio` ≥ `SIMILARITY` against each group's representative (its most
frequent text): a text joins the first group it is that close to. A group's `id` is a short hash of
that representative, stable between listings.

Speed: tokens are sorted once per distinct text (so `token_sort_ratio` is a plain `ratio`), and each
text is compared with all representatives (and dismissals) in one rapidfuzz call, in C, with the
cut-off letting it skip hopeless pairs early — `python -m bench.gaps` measures it.

A dismissal (or a gap turned into a phrasing) stores the representative's normalised text and the
time: questions similar to it asked up to then are hidden; similar questions asked later show again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlite_utils

SIMILARITY = 80.0
"""token_sort_ratio (0-100) from which two questions belong to the same group."""
MAX_QUESTIONS = 20_000
"""Most recent questions considered (keeps `gaps` fast on a large log)."""
MAX_EXAMPLES = 5


@dataclass
class GapGroup:
    """Similar questions the bot did not answer well."""

    id: str
    """Stable id: 10 hex digits of SHA-256 of the representative's normalised text."""
    key: str
    """The representative's normalised text."""
    text: str
    """The representative question as asked (the most frequent text of the group)."""
    lang: str
    """The group's most frequent language."""
    count: int
    last_asked: str
    examples: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)
    """How many questions came in as no_match, suggestions, down, not_what_i_asked."""


def _group_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass
class _Asked:
    text: str
    key: str
    lang: str
    at: str
    reason: str


def _rows(db: sqlite_utils.Database, since: str | None) -> list[_Asked]:
    from bot.engine.normalize import normalize

    where = "AND q.at >= ?" if since else ""
    params = [since] if since else []
    sql = f"""
        SELECT q.question, q.lang, q.at, q.status FROM questions q
        WHERE q.status IN ('no_match', 'suggestions') {where}
        UNION ALL
        SELECT q.question, q.lang, f.at, f.kind FROM feedback f JOIN questions q ON q.id = f.question_id
        WHERE f.kind IN ('down', 'not_what_i_asked') {where.replace("q.at", "f.at")}
        ORDER BY 3 DESC LIMIT {MAX_QUESTIONS}
    """
    out = []
    for text, lang, at, reason in db.conn.execute(sql, params * 2):
        key = normalize(text or "")
        if key:
            out.append(_Asked(text, key, lang, at, reason))
    return out


def _dismissed(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    return [(k, at) for k, at in db.conn.execute("SELECT key, at FROM gap_dismissals")]


def _sorted_tokens(text: str) -> str:
    """`token_sort_ratio(a, b)` is `ratio(_sorted_tokens(a), _sorted_tokens(b))`."""
    return " ".join(sorted(text.split()))


def _hidden_until(keys: list[str], dismissed: list[tuple[str, str]]) -> dict[str, str]:
    """For each key close to a dismissal: the latest such dismissal's time (questions asked up to then
    are hidden)."""
    from rapidfuzz import fuzz, process

    if not dismissed:
        return {}
    choices = [_sorted_tokens(key) for key, _ in dismissed]
    out: dict[str, str] = {}
    for key in keys:
        hits = process.extract(
            _sorted_tokens(key), choices, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None
        )
        if hits:
            out[key] = max(dismissed[index][1] for _, _, index in hits)
    return out


def _cluster(order: list[str]) -> list[list[str]]:
    """Greedy clustering: each key joins the first group whose representative is `SIMILARITY` close."""
    from rapidfuzz import fuzz, process

    groups: list[list[str]] = []
    representatives: list[str] = []  # sorted tokens of each group's first key, in group order
    for key in order:
        tokens = _sorted_tokens(key)
        hits = process.extract(
            tokens, representatives, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None
        )
        if hits:
            groups[min(index for _, _, index in hits)].append(key)
        else:
            groups.append([key])
            representatives.append(tokens)
    return groups


def find_gaps(db: sqlite_utils.Database, *, days: int | None = None, limit: int = 50) -> list[GapGroup]:
    """The gap groups, largest first (then most recent); `days` limits to recent questions."""
    since = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds") if days else None
    rows = _rows(db, since)
    hidden = _hidden_until(list(dict.fromkeys(a.key for a in rows)), _dismissed(db))
    asked = [a for a in rows if not (a.key in hidden and a.at <= hidden[a.key])]
    by_key: dict[str, list[_Asked]] = {}
    for a in asked:
        by_key.setdefault(a.key, []).append(a)
    order = sorted(by_key, key=lambda k: (-len(by_key[k]), -_latest(by_key[k]), k))
    groups = _cluster(order)
    out = []
    for keys in groups:
        items = [a for k in keys for a in by_key[k]]
        texts = Counter(a.text for a in by_key[keys[0]])
        langs = Counter(a.lang for a in items)
        examples = list(dict.fromkeys(a.text for a in sorted(items, key=lambda a: a.at, reverse=True)))
        out.append(
            GapGroup(
                id=_group_id(keys[0]),
                key=keys[0],
                text=texts.most_common(1)[0][0].strip(),
                lang=langs.most_common(1)[0][0],
                count=len(items),
                last_asked=max(a.at for a in items),
                examples=examples[:MAX_EXAMPLES],
                reasons=dict(Counter(a.reason for a in items)),
            )
        )
    out.sort(key=lambda g: (-g.count, _neg(g.last_asked)))
    return out[:limit]


def _latest(items: list[_Asked]) -> float:
    return max(datetime.fromisoformat(a.at).timestamp() for a in items)


def _neg(at: str) -> float:
    return -datetime.fromisoformat(at).timestamp()


def find_group(db: sqlite_utils.Database, group_id: str) -> GapGroup:
    """The current group with this id, or (a number) at this 1-based position of the listing."""
    from bot.moderation.service import NotFoundError

    groups = find_gaps(db, limit=10_000)
    ref = str(group_id).strip()
    if ref.isdigit() and len(ref) < 6:
        n = int(ref)
        if 1 <= n <= len(groups):
            return groups[n - 1]
    for group in groups:
        if group.id == ref:
            return group
    raise NotFoundError("gap_missing", group=ref)


def record_dismissal(db: sqlite_utils.Database, group: GapGroup, author: str, action: str) -> None:
    """Hide `group` (its questions asked up to now) from the list."""
    from bot.engine.store import transaction

    now = datetime.now(UTC).isoformat(timespec="seconds")
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO gap_dismissals (key, at, author, action, example) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET at = excluded.at, author = excluded.author, "
            "action = excluded.action, example = excluded.example",
            (group.key, max(now, group.last_asked), author, action, group.text),
        )
