"""A fingerprint of a stored knowledge base, for tests that check a refused change left it as it was."""

from __future__ import annotations

import hashlib
import json

import sqlite_utils

from bot.engine.dump import dump_knowledge
from bot.engine.store import generation, read_knowledge


def knowledge_state(db: sqlite_utils.Database) -> str:
    """A hash of every file the knowledge base exports, the number of revisions and the generation."""
    files = dump_knowledge(read_knowledge(db))
    revisions = db.conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
    payload = json.dumps([files, revisions, generation(db)], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
