"""`cmf-bot credential FILE [--json] [--lang xx] [--pins FILE]`: check a credential file offline.

Reads the knowledge base from the local database (built from the bundled knowledge on first use)
without training the intent matcher, so the command stays quick. Never logs anything: not the
question log, not the file's content, not its name.

Exit codes: 0 when the file was read and explained (whatever its signature says), 1 when it was
read but a signature is invalid, 2 when it cannot be read (too big, malformed, unknown format), for
a bad pin file, or a knowledge base that cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EXIT_INVALID = 1
EXIT_ERROR = 2


def register(commands: argparse._SubParsersAction) -> None:
    """Add `credential` to the `cmf-bot` parser."""
    from bot.engine.model import LANGS

    parser = commands.add_parser(
        "credential",
        help="check a credential file offline and explain what it certifies",
        description="Read a credential file (Europass EDC, Open Badges 3.0 / 2.0, VC-JWT, EDCI XML), "
        "check its signature offline, and explain it against the 11 EU elements and the CMF "
        "requirements. Nothing is fetched from the network and nothing is logged.",
    )
    parser.add_argument("file", metavar="FILE", help="the credential file ('-' for stdin)")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of the report (default: en)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument(
        "--pins", metavar="FILE", help="public keys the operator pinned (default: $CMF_BOT_CREDENTIAL_PINS)"
    )
    parser.add_argument(
        "--db", metavar="PATH", help="SQLite database (default: $CMF_BOT_DB or the user data dir)"
    )
    parser.add_argument(
        "--knowledge", metavar="DIR", help="knowledge root used to build a new database (default: bundled)"
    )
    parser.set_defaults(handler=run)


def _error(message: str) -> int:
    print(f"cmf-bot: {message}", file=sys.stderr)
    return EXIT_ERROR


def open_knowledge(db_path: str | None, knowledge_root: str | None) -> Any:
    """The credential check's knowledge from the database (no matcher is trained)."""
    from bot.credentials.knowledge import CredentialKnowledge
    from bot.engine import paths
    from bot.engine.answers import UiStrings
    from bot.engine.engine import BUNDLED_UI_DIR
    from bot.engine.store import ensure_database, read_knowledge

    db = ensure_database(paths.database_path(db_path), paths.knowledge_root(knowledge_root))
    try:
        kb = read_knowledge(db, courses=False)
    finally:
        db.conn.close()
    strings = UiStrings(kb.strings, BUNDLED_UI_DIR)
    return CredentialKnowledge.from_kb(kb, strings.get, paths.knowledge_root(knowledge_root))


def run(args: argparse.Namespace) -> int:
    import sqlite3

    from bot.credentials.keys import PinError, Pins
    from bot.credentials.knowledge import KnowledgeMissing
    from bot.credentials.model import MAX_BYTES, CredentialError
    from bot.credentials.present import error_text, to_json, to_markdown
    from bot.credentials.report import check_file
    from bot.engine.loader import KnowledgeError

    try:
        pins = Pins.load(args.pins) if args.pins else Pins.from_env()
    except PinError as exc:
        return _error(str(exc))
    try:
        knowledge = open_knowledge(args.db, args.knowledge)
    except KnowledgeError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid knowledge base"
        return _error(f"the knowledge base is invalid: {first} (run `cmf-bot kb validate` for details)")
    except KnowledgeMissing as exc:
        return _error(f"the knowledge base lacks the entry {exc} (run `cmf-bot kb load`)")
    except (sqlite3.Error, OSError, ValueError) as exc:
        return _error(f"cannot open the database: {exc}")
    read = _read(args.file)
    if read is None:
        return EXIT_ERROR
    data, size = read
    if size > MAX_BYTES:  # refused before it is read in full
        too_big = CredentialError("cred.error.too_big", size=f"{size:,}", limit=f"{MAX_BYTES:,}")
        return _error(error_text(too_big.message, knowledge.strings, args.lang))
    try:
        report = check_file(data, knowledge, args.lang, pins=pins)
    except CredentialError as exc:
        return _error(error_text(exc.message, knowledge.strings, args.lang))
    if args.json:
        sys.stdout.write(json.dumps(to_json(report, knowledge.strings), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(to_markdown(report, knowledge.strings) + "\n")
    return EXIT_INVALID if report.outcome == "invalid" else 0


def _read(path: str) -> tuple[bytes, int] | None:
    """The file's bytes and size; a file over the limit is not read in full."""
    import os

    from bot.credentials.model import MAX_BYTES

    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
            return data, len(data)
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(MAX_BYTES + 1)
            return data, max(size, len(data))
    except OSError as exc:
        _error(f"cannot read {path}: {exc.strerror or exc}")
        return None
