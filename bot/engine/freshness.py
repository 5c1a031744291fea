"""Has the knowledge on disk changed since the database was loaded from it?

The database is the source of truth once built (moderators edit it; `kb export` writes it back to
files), so new files from git are only read by `cmf-bot kb load`. To keep that from going unnoticed,
the load records a digest of the files it read (`meta.files_digest`) and the console compares it with
the files as they are now: reading and hashing the shipped knowledge takes a few milliseconds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlite_utils

from bot.engine.loader import knowledge_files
from bot.engine.store import get_meta, set_meta


def files_digest(root: str | Path) -> str:
    """SHA-256 over the names and bytes of the files a load reads (`loader.knowledge_files`)."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in knowledge_files(root):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def record_loaded_files(db: sqlite_utils.Database, root: str | Path) -> None:
    """Remember that the stored knowledge is what the files under `root` hold now."""
    set_meta(db, "files_digest", files_digest(root))


def files_changed_since_load(db: sqlite_utils.Database, root: str | Path) -> bool:
    """True when the files under `root` differ from those last loaded (or exported there). A database
    loaded before digests were recorded says nothing (False)."""
    stored = get_meta(db, "files_digest")
    return stored is not None and stored != files_digest(root)
