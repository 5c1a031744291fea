"""Private copies of a test database for one test: the SQLite file copied, its matcher cache linked.

The matcher cache of the shipped knowledge base is ~80 MB, and dozens of tests each need an engine
over their own database: copying it into every test's directory wrote ~11 GB a run. The cache is
only ever replaced whole (`snapshot._write_cache` writes a temporary file and renames it), never
changed in place, so a hard link is a safe copy of it; where links are not possible it is copied."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def copy_database(source: Path, target: Path) -> Path:
    """`source` (a checkpointed SQLite file) copied to `target`, with the files beside it named
    `<source>.*` (the matcher cache) linked, or copied, beside `target`."""
    shutil.copy(source, target)
    for extra in source.parent.glob(source.name + ".*"):
        linked = target.with_name(target.name + extra.name[len(source.name) :])
        try:
            os.link(extra, linked)
        except OSError:  # another file system, or links not allowed
            shutil.copy(extra, linked)
    return target
