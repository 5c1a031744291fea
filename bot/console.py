"""The offline console: `cmf-bot ask`, `cmf-bot chat` and `cmf-bot check`.

No Discord token and no network: the engine reads the local SQLite database, built from the
bundled knowledge on first use. Nothing here imports discord.py (the cold start is measured).

Question logging (for the moderators' `gaps` and `stats`): `ask` and `chat` log what they are asked
with source "console" (user ids are never stored); `--no-log` turns it off, and `ask --batch`
never logs, so evaluation runs do not skew the statistics.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, TextIO

from bot.engine.compliance import ASSESSMENTS, TRANSCRIPT_ITEMS
from bot.engine.model import DEFAULT_LANG, LANGS, Reply

EXIT_ERROR = 2


def register(commands: argparse._SubParsersAction) -> None:
    """Add `ask`, `chat` and `check` to the `cmf-bot` parser."""
    ask = commands.add_parser(
        "ask",
        help="answer one question, or a file of questions with --batch",
        description="Answer a question about the CMF from the local knowledge base.",
    )
    ask.add_argument("question", nargs="?", help="the question (quote it)")
    ask.add_argument("--batch", metavar="FILE", help="answer every line of FILE (UTF-8; '-' for stdin)")
    _lang_arg(ask)
    ask.add_argument("--json", action="store_true", help="print the JSON contract (one object a line)")
    _common(ask)
    ask.set_defaults(handler=_run_ask)

    chat = commands.add_parser(
        "chat",
        help="interactive questions and answers (/lang xx, /help, /quit)",
        description="Ask one question after another; /lang xx switches the answer language.",
    )
    _lang_arg(chat)
    _common(chat)
    chat.set_defaults(handler=_run_chat)

    check = commands.add_parser(
        "check",
        help="check a course's facts against the CMF requirements",
        description="Report each CMF requirement as met, not met or unknown for the given facts. "
        "A fact you leave out is unknown, never met.",
    )
    check.add_argument("--hours", type=_non_negative, metavar="N", help="total study hours")
    check.add_argument("--eqf", type=_eqf_level, metavar="LEVEL", help="EQF level (1-8)")
    check.add_argument("--ects", type=_non_negative, metavar="N", help="ECTS credits")
    check.add_argument(
        "--uk-credits", type=_non_negative, metavar="N", help="UK credits (never read as hours)"
    )
    check.add_argument(
        "--us-credits", type=_non_negative, metavar="N", help="US credits (never read as hours)"
    )
    check.add_argument("--assessment", choices=ASSESSMENTS, help="kind of summative assessment")
    check.add_argument(
        "--awards-credit",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the assessment awards credit (directly or through recognition of prior learning)",
    )
    check.add_argument(
        "--id-verification",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the learner's identity is verified at the assessment",
    )
    check.add_argument(
        "--transcript",
        type=_transcript,
        metavar="ITEMS",
        help=f"what the transcript lists, comma-separated: {','.join(TRANSCRIPT_ITEMS)} (or 'none')",
    )
    _lang_arg(check)
    check.add_argument("--json", action="store_true", help="print the JSON contract")
    _common(check, log=False)
    check.set_defaults(handler=_run_check)


# ---------------------------------------------------------------------------------------------
# Arguments


def _lang_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", choices=LANGS, help="answer in this language (default: the question's language)"
    )


def _common(parser: argparse.ArgumentParser, log: bool = True) -> None:
    parser.add_argument(
        "--db", metavar="PATH", help="SQLite database (default: $CMF_BOT_DB or the user data dir)"
    )
    parser.add_argument(
        "--knowledge", metavar="DIR", help="knowledge root used to build a new database (default: bundled)"
    )
    if log:
        parser.add_argument("--no-log", action="store_true", help="do not record the questions asked")


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number ≥ 0: {text!r}")
    return int(value) if value.is_integer() else value


def _eqf_level(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 8:
        raise argparse.ArgumentTypeError(f"EQF levels go from 1 to 8, got {value}")
    return value


def _transcript(text: str) -> list[str]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    if items == ["none"]:
        return []
    unknown = [t for t in items if t not in TRANSCRIPT_ITEMS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown transcript item(s) {', '.join(unknown)}; use {', '.join(TRANSCRIPT_ITEMS)} or none"
        )
    return items


# ---------------------------------------------------------------------------------------------
# Opening the engine


def _open(args: argparse.Namespace, log: bool) -> Any:
    """The engine, or None after printing a one-line error (bad knowledge, unusable database)."""
    import sqlite3

    from bot.engine.engine import Engine
    from bot.engine.loader import KnowledgeError

    try:
        engine = Engine.open(args.db, args.knowledge, log_source="console" if log else None)
        _note_changed_files(args)
        return engine
    except KnowledgeError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid knowledge base"
        _error(f"the knowledge base is invalid: {first} (run `cmf-bot kb validate` for details)")
    except (sqlite3.Error, OSError, ValueError) as exc:
        _error(f"cannot open the database: {exc}")
    return None


def _note_changed_files(args: argparse.Namespace) -> None:
    """One line on stderr when the knowledge files differ from what the database was loaded from
    (after a `git pull`, or an edit of the YAML): the console answers from the database."""
    import sqlite3

    import sqlite_utils

    from bot.engine.freshness import files_changed_since_load
    from bot.engine.paths import database_path, knowledge_root

    conn = sqlite3.connect(database_path(args.db).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        changed = files_changed_since_load(sqlite_utils.Database(conn), knowledge_root(args.knowledge))
    finally:
        conn.close()
    if changed:
        _error(
            "note: the knowledge files differ from those this database was loaded from (changed since?); "
            "answers come from the database until `cmf-bot kb load` loads them"
        )


def _error(message: str) -> None:
    print(f"cmf-bot: {message}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Output


def render(reply: Reply, engine: Any) -> str:
    """A reply as console text: the answer, then its sources; then each further answer (a message that
    asked two or three things) under "You also asked: <title>", with its own sources."""
    text = _render_one(reply, reply.answer.strip(), engine)
    for also in reply.further():
        heading = engine.string(also.heading_key, reply.lang, title=also.title or also.question)
        text = f"{text}\n\n{heading}\n\n{_render_one(also, also.body(), engine)}"
    return text


def _render_one(reply: Reply, answer: str, engine: Any) -> str:
    parts = [answer]
    if reply.links:
        heading = engine.string("console.sources", reply.lang)
        lines = "\n".join(f"- {link.title}: {link.url}" for link in reply.links)
        parts.append(f"{heading}:\n{lines}")
    return "\n\n".join(p for p in parts if p)


def _print_json(reply: Reply, out: TextIO) -> None:
    out.write(json.dumps(reply.to_json(), ensure_ascii=False) + "\n")


# ---------------------------------------------------------------------------------------------
# Handlers


def _run_ask(args: argparse.Namespace) -> int:
    if args.batch is None and args.question is None:
        _error("ask needs a question, or --batch FILE")
        return EXIT_ERROR
    if args.batch is not None and args.question is not None:
        _error("give either a question or --batch FILE, not both")
        return EXIT_ERROR
    lines: Iterable[str] | None = None
    if args.batch is not None:
        lines = _read_batch(args.batch)
        if lines is None:
            return EXIT_ERROR
    engine = _open(args, log=not args.no_log and args.batch is None)
    if engine is None:
        return EXIT_ERROR
    out = sys.stdout
    if lines is None:
        reply = engine.ask(args.question, args.lang)
        if args.json:
            _print_json(reply, out)
        else:
            out.write(render(reply, engine) + "\n")
        return 0
    try:
        for n, line in enumerate(lines):
            reply = engine.ask(line, args.lang)
            if args.json:
                _print_json(reply, out)
            else:
                out.write(("\n" if n else "") + f"> {line}\n" + render(reply, engine) + "\n")
            out.flush()
    except (BatchError, OSError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    return 0


MAX_BATCH_LINE = 4096
"""Longest question line of `ask --batch`, in bytes (a longer one stops the batch with an error)."""


class BatchError(Exception):
    """A line of the batch file cannot be used (too long)."""


def _read_batch(path: str) -> Iterator[str] | None:
    """The lines of a UTF-8 file (undecodable bytes become U+FFFD), streamed one at a time so the
    first answer comes before the whole file is read; None after an error opening it."""
    try:
        handle = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    except (OSError, ValueError) as exc:
        _error(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")
        return None
    return _lines(handle, path)


def _lines(handle: BinaryIO, path: str) -> Iterator[str]:
    try:
        for n, raw in enumerate(iter(lambda: handle.readline(MAX_BATCH_LINE + 1), b""), start=1):
            if len(raw) > MAX_BATCH_LINE and not raw.endswith(b"\n"):
                raise BatchError(f"{path}: line {n} is longer than {MAX_BATCH_LINE:,} bytes")
            line = raw.decode("utf-8", errors="replace")
            if n == 1:
                line = line.removeprefix("\ufeff")
            yield line.rstrip("\n").rstrip("\r")
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def _run_check(args: argparse.Namespace) -> int:
    facts = {
        "study_hours": args.hours,
        "eqf_level": args.eqf,
        "ects": args.ects,
        "uk_credits": args.uk_credits,
        "us_credits": args.us_credits,
        "assessment": args.assessment,
        "awards_credit": args.awards_credit,
        "id_verification": args.id_verification,
        "transcript": args.transcript,
    }
    facts = {k: v for k, v in facts.items() if v is not None}
    engine = _open(args, log=False)
    if engine is None:
        return EXIT_ERROR
    try:
        reply = engine.check_compliance(facts, args.lang or DEFAULT_LANG)
    except ValueError as exc:
        _error(str(exc))
        return EXIT_ERROR
    if args.json:
        _print_json(reply, sys.stdout)
    else:
        sys.stdout.write(render(reply, engine) + "\n")
    return 0


def _run_chat(args: argparse.Namespace) -> int:
    engine = _open(args, log=not args.no_log)
    if engine is None:
        return EXIT_ERROR
    return chat(engine, args.lang, sys.stdin, sys.stdout)


def _line_writer(out: TextIO) -> Callable[[str], None]:
    """`say(text)`: one line to `out`, flushed (each reply shows as soon as it is ready)."""

    def say(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    return say


def _chat_command(
    engine: Any, command: str, rest: str, lang: str | None, ui: str, say: Callable[[str], None]
) -> tuple[str | None, str]:
    """A chat command other than quitting (`/help`, `/lang xx|auto`): said, and the (answer language,
    interface language) it leaves."""
    if command == "/help":
        say(engine.string("chat.help", ui))
    elif command == "/lang":
        choice = rest.strip().casefold()
        if choice in LANGS:
            lang = ui = choice
            say(engine.string("chat.lang_set", ui, language=choice))
        elif choice in ("auto", ""):
            lang = None
            say(engine.string("chat.lang_auto", ui))
        else:
            say(engine.string("chat.lang_unknown", ui, language=choice, langs=", ".join(LANGS)))
    else:
        say(engine.string("chat.unknown_command", ui, command=command))
    return lang, ui


def chat(engine: Any, lang: str | None, stdin: TextIO, out: TextIO) -> int:
    """The REPL: a prompt on a terminal, plain line-by-line reading when stdin is piped."""
    interactive = stdin.isatty() and out.isatty()
    say = _line_writer(out)
    ui = lang or DEFAULT_LANG
    previous: str | None = None  # the last question answered: a short follow-up may be read with it
    if interactive:
        say(engine.string("chat.welcome", ui))
    while True:
        if interactive:
            try:
                line = input("> ")
            except EOFError:
                say("")
                return 0
        else:
            raw = stdin.readline()
            if raw == "":
                return 0
            line = raw.rstrip("\r\n")
        text = line.strip()
        if not text:
            continue
        if text.casefold() in ("quit", "exit"):  # what people type to leave a prompt, not a question
            return 0
        if text.startswith("/"):
            command, _, rest = text.partition(" ")
            command = command.casefold()
            if command in ("/quit", "/exit", "/q"):
                return 0
            lang, ui = _chat_command(engine, command, rest, lang, ui, say)
            continue
        reply = engine.ask(line, lang, previous=previous)
        if reply.status == "answer":
            previous = reply.read_as or line
        if lang is None:
            ui = reply.lang
        say(render(reply, engine) + "\n")
