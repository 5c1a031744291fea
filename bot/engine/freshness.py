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

from bot.engine.store import get_meta, set_meta

SUFFIXES = (".yaml", ".yml", ".json")


def files_digest(root: str | Path) -> str:
    """SHA-256 over the names and bytes of `intents.yaml` and the files under `knowledge/`."""
    root = Path(root)
    base = root / "knowledge"
    files = [p for p in base.rglob("*") if p.suffix in SUFFIXES and p.is_file()] if base.is_dir() else []
    files = [p for p in files if not any(part.startswith(".") for part in p.relative_to(base).parts)]
    if (root / "intents.yaml").is_file():
        files.append(root / "intents.yaml")
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
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
