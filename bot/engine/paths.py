"""Where the bundled knowledge base and the SQLite database live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DB_ENV = "CMF_BOT_DB"
KNOWLEDGE_ENV = "CMF_BOT_KNOWLEDGE"


def knowledge_root(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding `knowledge/` and `intents.yaml` (the repository root by default).

    `override` (a CLI flag) wins over the `CMF_BOT_KNOWLEDGE` environment variable.
    """
    chosen = override or os.environ.get(KNOWLEDGE_ENV)
    return Path(chosen).expanduser().resolve() if chosen else PROJECT_ROOT


def user_data_dir() -> Path:
    """The per-user data directory of the platform (XDG on Linux)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "cmf-bot"


def database_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The SQLite file: the `--db` flag, else `CMF_BOT_DB`, else the user's data directory."""
    chosen = override or os.environ.get(DB_ENV)
    return Path(chosen).expanduser() if chosen else user_data_dir() / "cmf-bot.sqlite3"
