"""Per-server settings of the Discord bot, kept in the bot's SQLite database (set with `/kb settings`).

A server's row overrides the process-wide settings (`CMF_BOT_HELP_CHANNEL_IDS`,
`CMF_BOT_MODERATOR_ROLE`) for that server only, and takes effect at once, with no restart.

Tables (created by this module with sqlite-utils, in the same database file as the knowledge base;
the engine never reads them):

- `discord_guild_settings` — one row per server: `guild_id` (primary key), `help_channel_ids` (JSON
  list, or NULL for "use the default"), `moderator_role_id` (NULL: the default role), `answer_mode`
  (NULL: `confident`), `solved_tag` (the forum tag a post gets when its author marks the answer 👍;
  NULL: none), `updated_by` (`discord:<user id>`), `updated_at` (UTC, ISO 8601).
- `discord_answered_posts` — forum posts the bot has answered (`thread_id` primary key, `guild_id`,
  `answered_at`), so it answers a post once, also across restarts.
- `discord_state` — small key/value facts of the bot (`key` primary key, `value`), e.g. the hash of
  the command tree last synced to each scope.

Every method blocks (SQLite): call them from a worker thread (`asyncio.to_thread`). One connection,
used by one thread at a time (a lock), like the engine's.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

ANSWER_MODES: tuple[str, ...] = ("confident", "suggest", "mentions")
"""How the bot answers free text in help channels: `confident` — only confident answers, silence
otherwise (the default); `suggest` — also the "Did you mean…?" menu when unsure; `mentions` — only
when mentioned (help channels get no unasked answers). DMs and mentions always get an answer."""
DEFAULT_ANSWER_MODE = "confident"
SETTINGS_TABLE = "discord_guild_settings"
POSTS_TABLE = "discord_answered_posts"
STATE_TABLE = "discord_state"
TAG_MAX = 20
"""Discord's limit for a forum tag name."""


@dataclass(frozen=True)
class GuildSettings:
    """One server's own settings; None means "use the process-wide default"."""

    guild_id: int
    help_channel_ids: tuple[int, ...] | None = None
    moderator_role_id: int | None = None
    answer_mode: str | None = None
    solved_tag: str | None = None
    updated_by: str | None = None
    updated_at: str | None = None

    @property
    def mode(self) -> str:
        return self.answer_mode or DEFAULT_ANSWER_MODE

    def changed(self, **changes: Any) -> GuildSettings:
        return replace(self, **changes)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class GuildSettingsStore:
    """The three tables above, over one connection to the database file at `path`."""

    def __init__(self, path: str | Path) -> None:
        conn = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.Lock()
        with self._lock:
            self._create()

    def _create(self) -> None:
        self.db[SETTINGS_TABLE].create(  # type: ignore[union-attr]
            {
                "guild_id": int,
                "help_channel_ids": str,
                "moderator_role_id": int,
                "answer_mode": str,
                "solved_tag": str,
                "updated_by": str,
                "updated_at": str,
            },
            pk="guild_id",
            if_not_exists=True,
        )
        self.db[POSTS_TABLE].create(  # type: ignore[union-attr]
            {"thread_id": int, "guild_id": int, "answered_at": str}, pk="thread_id", if_not_exists=True
        )
        self.db[STATE_TABLE].create({"key": str, "value": str}, pk="key", if_not_exists=True)  # type: ignore[union-attr]

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()

    # -- settings ---------------------------------------------------------------------------------

    def load_all(self) -> dict[int, GuildSettings]:
        with self._lock:
            rows = list(self.db[SETTINGS_TABLE].rows)
        return {int(row["guild_id"]): _from_row(row) for row in rows}

    def save(self, settings: GuildSettings, author: str) -> GuildSettings:
        """Store one server's settings (replacing its row); returns them with author and time."""
        saved = settings.changed(updated_by=author, updated_at=_now())
        row = {
            "guild_id": saved.guild_id,
            "help_channel_ids": None
            if saved.help_channel_ids is None
            else json.dumps(saved.help_channel_ids),
            "moderator_role_id": saved.moderator_role_id,
            "answer_mode": saved.answer_mode,
            "solved_tag": saved.solved_tag,
            "updated_by": saved.updated_by,
            "updated_at": saved.updated_at,
        }
        with self._lock:
            self.db[SETTINGS_TABLE].upsert(row, pk="guild_id")  # type: ignore[union-attr]
        return saved

    def reset(self, guild_id: int) -> None:
        with self._lock:
            self.db.conn.execute(f"DELETE FROM {SETTINGS_TABLE} WHERE guild_id = ?", [guild_id])

    # -- forum posts ------------------------------------------------------------------------------

    def mark_answered(self, thread_id: int, guild_id: int) -> bool:
        """Record that the bot answered a forum post; False if it had already."""
        with self._lock:
            cursor = self.db.conn.execute(
                f"INSERT OR IGNORE INTO {POSTS_TABLE} (thread_id, guild_id, answered_at) VALUES (?, ?, ?)",
                [thread_id, guild_id, _now()],
            )
            return cursor.rowcount == 1

    def was_answered(self, thread_id: int) -> bool:
        with self._lock:
            row = self.db.conn.execute(
                f"SELECT 1 FROM {POSTS_TABLE} WHERE thread_id = ?", [thread_id]
            ).fetchone()
        return row is not None

    # -- small facts ------------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        with self._lock:
            row = self.db.conn.execute(f"SELECT value FROM {STATE_TABLE} WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str) -> None:
        with self._lock:
            self.db[STATE_TABLE].upsert({"key": key, "value": value}, pk="key")  # type: ignore[union-attr]


def _from_row(row: dict[str, Any]) -> GuildSettings:
    channels = row.get("help_channel_ids")
    return GuildSettings(
        guild_id=int(row["guild_id"]),
        help_channel_ids=None if channels is None else tuple(int(c) for c in json.loads(channels)),
        moderator_role_id=row.get("moderator_role_id"),
        answer_mode=row.get("answer_mode"),
        solved_tag=row.get("solved_tag"),
        updated_by=row.get("updated_by"),
        updated_at=row.get("updated_at"),
    )


def any_help_channels(path: str | Path) -> bool:
    """Whether any server has help channels of its own (decides the Message Content intent at start);
    False when the database or the table does not exist yet."""
    file = Path(path)
    if not file.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return False
    try:
        row = conn.execute(
            f"SELECT 1 FROM {SETTINGS_TABLE} WHERE help_channel_ids IS NOT NULL "
            "AND help_channel_ids != '[]' LIMIT 1"
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None
