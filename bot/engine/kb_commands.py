"""`cmf-bot kb validate | load | export`: check the YAML, load it into SQLite, write it back out.

Registering is cheap: each handler imports the loader, store and writer only when it runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.engine.model import KnowledgeBase


def register(commands: argparse._SubParsersAction) -> None:
    """Add `validate`, `load`, `format` and `export` to the `cmf-bot kb` parser."""
    knowledge_help = (
        "directory holding knowledge/ and intents.yaml (default: $CMF_BOT_KNOWLEDGE, else the bundled one)"
    )
    db_help = "SQLite database (default: $CMF_BOT_DB, else cmf-bot.sqlite3 in the user's data directory)"

    validate = commands.add_parser(
        "validate",
        help="check knowledge/ and intents.yaml; print every error as file:line: field: reason",
        description="Check every knowledge file against its schema and across files. Exit 1 on any error.",
    )
    validate.add_argument("--knowledge", metavar="DIR", help=knowledge_help)
    validate.set_defaults(handler=_validate)

    load = commands.add_parser(
        "load",
        help="validate, then load the knowledge base into SQLite in one transaction",
        description="Validate, then replace the stored knowledge base in one transaction. "
        "Nothing changes when there is an error; loading the same files again changes nothing.",
    )
    load.add_argument("--db", metavar="PATH", help=db_help)
    load.add_argument("--knowledge", metavar="DIR", help=knowledge_help)
    load.add_argument(
        "--force", action="store_true", help="load even if moderators' changes have not been exported yet"
    )
    load.set_defaults(handler=_load)

    fmt = commands.add_parser(
        "format",
        help="rewrite knowledge/ and intents.yaml in the canonical layout that export writes",
        description="Validate, then rewrite every knowledge file in the canonical layout (the one "
        "`kb export` writes), so that an export of the shipped knowledge equals the files byte for byte. "
        "With --check, change nothing and exit 1 if a file would change.",
    )
    fmt.add_argument("--knowledge", metavar="DIR", help=knowledge_help)
    fmt.add_argument("--check", action="store_true", help="only report the files that are not canonical")
    fmt.set_defaults(handler=_format)

    export = commands.add_parser(
        "export",
        help="write the stored knowledge base as YAML files (knowledge/… and intents.yaml) under DIR",
        description="Write the knowledge base from the database in exactly the format of knowledge/, "
        "so that edits made in the bot go back into git.",
    )
    export.add_argument("dir", metavar="DIR", help="output directory (the files keep their relative paths)")
    export.add_argument("--db", metavar="PATH", help=db_help)
    export.set_defaults(handler=_export)


MAX_SHOWN_ERRORS = 200
"""Errors printed one per line; the rest are counted (a broken file can yield hundreds of thousands)."""


def _print_errors(errors: list, out: TextIO, suffix: str = "") -> None:
    for error in errors[:MAX_SHOWN_ERRORS]:
        print(str(error)[:1000], file=out)
    if len(errors) > MAX_SHOWN_ERRORS:
        print(f"… and {len(errors) - MAX_SHOWN_ERRORS:,} more", file=out)
    noun = "error" if len(errors) == 1 else "errors"
    print(f"{len(errors):,} {noun}{suffix}", file=out)


def _counts(kb: object) -> str:
    entries = len(kb.entries)  # type: ignore[attr-defined]
    intents = kb.intents.values()  # type: ignore[attr-defined]
    phrasings = sum(len(texts) for intent in intents for texts in intent.phrasings.values())
    return (
        f"{entries:,} entries, {len(intents):,} intents, {phrasings:,} phrasings, "
        f"{len(kb.courses):,} courses, {len(kb.strings):,} strings"  # type: ignore[attr-defined]
    )


def _load_checked(root: Path, undone: str) -> KnowledgeBase | None:
    """The knowledge base under `root`; None after printing its errors and "nothing was `undone`"."""
    from bot.engine.loader import KnowledgeError, load_knowledge

    try:
        return load_knowledge(root)
    except KnowledgeError as exc:
        _print_errors(exc.errors, sys.stdout, f"; nothing was {undone}")
        return None


def _validate(args: argparse.Namespace) -> int:
    from bot.engine.loader import check_texts, read_texts, sorted_errors
    from bot.engine.paths import knowledge_root

    root = knowledge_root(args.knowledge)
    texts, errors = read_texts(root)
    kb, more = check_texts(texts)
    errors = sorted_errors(errors + more, texts)
    if errors or kb is None:
        _print_errors(errors, sys.stdout)
        return 1
    print(f"ok: {_counts(kb)}")
    return 0


def _load(args: argparse.Namespace) -> int:
    from bot.engine.freshness import record_loaded_files
    from bot.engine.paths import database_path, knowledge_root
    from bot.engine.snapshot import forget_matcher_cache
    from bot.engine.store import connect, mark_exported, pending_revisions, replace_knowledge

    kb = _load_checked(knowledge_root(args.knowledge), "loaded")
    if kb is None:
        return 1
    path = database_path(args.db)
    db = connect(path)
    pending = pending_revisions(db)
    if pending and not args.force:
        print(
            f"error: {path} holds {pending} moderator change(s) made since the last export; loading would "
            "replace them. Run `cmf-bot kb export DIR` and commit the files first, or pass --force.",
            file=sys.stderr,
        )
        return 1
    summary = replace_knowledge(db, kb)
    if summary.changed:  # a load is trained from scratch, never warm-updated (docs/matching.md)
        forget_matcher_cache(path)
    mark_exported(db)
    record_loaded_files(db, knowledge_root(args.knowledge))
    print(f"loaded {summary.describe()}")
    print(f"database: {path}")
    return 0


def _format(args: argparse.Namespace) -> int:
    from bot.engine.dump import dump_knowledge
    from bot.engine.paths import knowledge_root

    root = knowledge_root(args.knowledge)
    kb = _load_checked(root, "formatted")
    if kb is None:
        return 1
    changed = []
    for path, text in dump_knowledge(kb).items():
        target = root / path
        if target.read_bytes() != text.encode("utf-8"):
            changed.append(path)
            if not args.check:
                target.write_bytes(text.encode("utf-8"))
    verb = "would reformat" if args.check else "reformatted"
    for path in changed:
        print(f"{verb} {path}")
    print(f"{len(changed)} file(s) {verb}" if changed else "all files are in the canonical layout")
    return 1 if changed and args.check else 0


def _export(args: argparse.Namespace) -> int:
    from bot.engine.dump import export_knowledge
    from bot.engine.freshness import record_loaded_files
    from bot.engine.loader import KnowledgeError
    from bot.engine.paths import database_path, knowledge_root
    from bot.engine.store import ensure_database, mark_exported, transaction

    path = database_path(args.db)
    try:
        db = ensure_database(path)
    except KnowledgeError as exc:
        print(f"the database {path} is empty and the bundled knowledge is invalid:", file=sys.stderr)
        _print_errors(exc.errors, sys.stderr)
        return 1
    out = Path(args.dir)
    if out.exists() and not out.is_dir():
        print(f"error: {out} is not a directory", file=sys.stderr)
        return 2
    with transaction(db):  # a read-only or locked database fails here, before any file is written
        mark_exported(db)
        written = export_knowledge(db, out)
        if out.resolve() == knowledge_root(None).resolve():  # the files now hold what is stored
            record_loaded_files(db, out)
    print(f"wrote {len(written)} files to {out}")
    return 0
