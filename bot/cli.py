"""The `cmf-bot` command line: one parser, each area registers its own sub-commands.

Registering must stay cheap: modules imported here may not import discord.py (the console's cold
start is measured), so each handler imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from bot import __version__, console, runner
    from bot.credentials import cli as credentials_cli
    from bot.engine import kb_commands
    from bot.moderation import cli as moderation_cli

    parser = argparse.ArgumentParser(
        prog="cmf-bot",
        description="Answers questions about the Common Microcredential Framework (CMF).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    console.register(commands)  # ask, chat, check
    runner.register(commands)  # run (the Discord bot)
    credentials_cli.register(commands)  # credential FILE
    kb = commands.add_parser("kb", help="validate, load and edit the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")
    kb_commands.register(kb_sub)  # validate, load
    moderation_cli.register(kb_sub)  # show, edit, add, delete, phrase, history, revert, ...
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except (sqlite3.Error, OSError, ValueError, RecursionError, MemoryError) as exc:
        # a read-only, locked, corrupt or missing database, a directory given as a file, …: one line
        print(f"cmf-bot: error: {_one_line(exc)}", file=sys.stderr)
        return 2


def _one_line(exc: BaseException) -> str:
    """An exception as one short line (its class when it says nothing)."""
    if isinstance(exc, sqlite3.Error):
        return f"database: {' '.join(str(exc).split()) or type(exc).__name__}"[:300]
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"[:300]
    return (" ".join(str(exc).split()) or type(exc).__name__)[:300]
