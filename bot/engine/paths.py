"""Where the bundled knowledge base and the SQLite database live."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

CHECKOUT_ROOT = Path(__file__).resolve().parents[2]
"""The source checkout this module sits in (`pip install -e .`), whether or not it holds the knowledge."""

BUNDLED_PACKAGE = "bot._bundled"
"""Where a built wheel carries `knowledge/` and `intents.yaml` (copied from the checkout by setup.py)."""


def _default_root() -> Path:
    """The checkout when it holds the knowledge (the source of truth), else the copy inside the package."""
    if (CHECKOUT_ROOT / "intents.yaml").is_file() and (CHECKOUT_ROOT / "knowledge").is_dir():
        return CHECKOUT_ROOT
    try:
        bundled = resources.files(BUNDLED_PACKAGE)
    except ModuleNotFoundError:  # neither a checkout nor a built package: errors name the checkout path
        return CHECKOUT_ROOT
    return Path(str(bundled))  # wheels install unzipped, so the resource is a real directory


PROJECT_ROOT = _default_root()
"""The default knowledge root: holds `knowledge/` and `intents.yaml`."""

DB_ENV = "CMF_BOT_DB"
KNOWLEDGE_ENV = "CMF_BOT_KNOWLEDGE"


def knowledge_root(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding `knowledge/` and `intents.yaml` (the checkout, else the packaged copy).

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
