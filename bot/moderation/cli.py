"""`cmf-bot kb show | edit | add | delete | phrase | history | revert | gaps | import | sync | stats`.

The command-line face of `bot.moderation.service.KnowledgeService` (the Discord cog is the other).
Every command takes `--db PATH` and `--as NAME` (the author recorded in revisions, default
``cli:$USER``). A refused action prints ``error: <why>`` on stderr and exits with status 1; nothing
is changed. Registering is cheap: handlers import the service only when they run.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from bot.engine.model import IMPORT_FORMATS, LANGS

_DB_HELP = "SQLite database (default: $CMF_BOT_DB, else cmf-bot.sqlite3 in the user's data directory)"
_TYPES = ("entry", "intent", "course")


def _default_author() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no login name (some containers)
        user = os.environ.get("USER") or "unknown"
    return f"cli:{user}"


def register(commands: argparse._SubParsersAction) -> None:
    """Add the moderation commands to the `cmf-bot kb` parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help=_DB_HELP)
    common.add_argument(
        "--as", dest="author", metavar="NAME", help="author recorded in the revisions (default: cli:$USER)"
    )

    def add(name: str, help: str, handler: Any, description: str | None = None) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help, description=description or help, parents=[common])
        parser.set_defaults(handler=lambda args: _run(handler, args))
        return parser

    show = add("show", "print an entry, intent or course as its YAML source", _show)
    show.add_argument("id")
    show.add_argument("--type", choices=_TYPES, help="when an entry and an intent share the id")

    edit = add(
        "edit",
        "change an entry's title/answer in one language, or fields of a course",
        _edit,
        "Change an entry's title and/or answer in one language (--lang), or set fields of a catalogue "
        "record (--set FIELD=VALUE). --version refuses the save if someone changed it since.",
    )
    edit.add_argument("id")
    edit.add_argument("--lang", help=f"language of the text to change: {', '.join(LANGS)}")
    edit.add_argument("--title", help="the new title")
    answer = edit.add_mutually_exclusive_group()
    answer.add_argument("--answer", help="the new answer (Markdown)")
    answer.add_argument("--answer-file", metavar="FILE", help="read the new answer from FILE ('-' = stdin)")
    edit.add_argument(
        "--set", dest="fields", action="append", default=[], metavar="FIELD=VALUE",
        help="course field to set (VALUE is YAML: null, 6, [en, fr], text); repeatable",
    )  # fmt: skip
    edit.add_argument("--version", type=int, help="the version you started from (conflict check)")

    add_cmd = add("add", "add the entries, courses or intents of a YAML file (knowledge format)", _add)
    add_cmd.add_argument("file", metavar="FILE.yaml")

    delete = add("delete", "delete an entry, intent or course (needs --yes)", _delete)
    delete.add_argument("id")
    delete.add_argument("--type", choices=_TYPES)
    delete.add_argument("--yes", action="store_true", help="really delete")

    phrase = add("phrase", "teach an intent a new way of asking, or forget one", _phrase)
    phrase.add_argument("action", choices=("add", "remove"))
    phrase.add_argument("intent")
    phrase.add_argument("text")
    phrase.add_argument("--lang", help="language of the phrasing (default: detected)")

    history = add("history", "list the revisions of an object (newest first)", _history)
    history.add_argument("id")
    history.add_argument("--limit", type=int, default=20)

    revert = add("revert", "undo a revision (the revert is itself a revision)", _revert)
    revert.add_argument("id")
    revert.add_argument("revision", type=int)
    revert.add_argument(
        "--to", choices=("before", "after"), default="before",
        help="restore the state before (default) or right after the revision",
    )  # fmt: skip

    gaps = add("gaps", "questions the bot could not answer (or got 👎), grouped by similarity", _gaps)
    gaps.add_argument("--days", type=int, help="only questions from the last DAYS days")
    gaps.add_argument("--limit", type=int, default=20)
    gaps.add_argument("--dismiss", metavar="N", help="hide group N (number in the list, or its id)")
    gaps.add_argument(
        "--to-intent", nargs=2, metavar=("N", "INTENT"), help="add group N's question as a phrasing of INTENT"
    )
    gaps.add_argument("--lang", help="language of the phrasing for --to-intent (default: the group's)")

    imp = add(
        "import",
        "import a MOOChub endpoint or file, a CSV or a YAML course list (all or nothing)",
        _import,
        "Validate the whole input, then apply it in one transaction. Any rejected row means nothing is "
        "applied (unless --skip-invalid). See the moderator guide for the CSV header and the caps.",
    )
    imp.add_argument("source", metavar="PATH|URL")
    imp.add_argument("--format", choices=IMPORT_FORMATS, help="default: from the extension")
    imp.add_argument("--platform", help="platform of the records (default: from the URL host, e.g. iMooX)")
    imp.add_argument(
        "--type", dest="course_type", help="course type when the source does not say (default MOOC)"
    )
    imp.add_argument("--source-url", help="URL to cite as source for a MOOChub file without links.self")
    imp.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    imp.add_argument(
        "--skip-invalid", action="store_true", help="apply the valid rows even if some are rejected"
    )

    sync = add(
        "sync",
        "pull the configured MOOChub sources into the catalogue (all or nothing per source)",
        _sync,
        "Conditional GET (ETag / Last-Modified), links.next paging, caps and a deadline; a source that "
        "fails changes nothing; courses a source no longer lists are marked withdrawn, not deleted.",
    )
    sync.add_argument("--sources", metavar="FILE", help="sources file (default: CMF_BOT_SYNC_SOURCES or "
                      "deploy/sync-sources.yaml)")  # fmt: skip
    sync.add_argument("--only", action="append", metavar="NAME", help="sync only this source (repeatable)")

    stats = add("stats", "questions per intent, unanswered rate and feedback ratio", _stats)
    stats.add_argument("--days", type=int, default=7, help="period in days (default 7; e.g. 30)")


# ---------------------------------------------------------------------------------------------


def _run(handler: Any, args: argparse.Namespace) -> int:
    from bot.engine.engine import database_file
    from bot.engine.loader import KnowledgeError
    from bot.engine.snapshot import preparing
    from bot.engine.store import generation
    from bot.moderation.service import KnowledgeService, ServiceError

    try:
        service = KnowledgeService.open(args.db, args.author or _default_author())
        before = generation(service.db)
        with preparing(database_file(service.db)):  # engines rebuilding meanwhile wait for our matcher
            status = int(handler(service, args) or 0)
            if status == 0 and generation(service.db) != before:
                _prepare_readers(service.db)
        return status
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KnowledgeError as exc:
        print(f"error: the database is empty and the bundled knowledge is invalid:\n{exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(f"error: database {args.db or 'default'}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except (OSError, ValueError, RecursionError) as exc:
        print(f"error: {' '.join(str(exc).split())[:300]}", file=sys.stderr)
        return 2


def _prepare_readers(db: Any) -> None:
    """After a successful change: train the new intent matcher into the cache beside the database, so
    the engines reading it (the bot) find it trained and rarely train themselves. The change is made
    whatever happens here."""
    from bot.engine.engine import database_file
    from bot.engine.snapshot import prepare_matcher_cache
    from bot.engine.store import read_knowledge

    path = database_file(db)
    if path is None:
        return
    try:
        prepare_matcher_cache(read_knowledge(db, courses=False), path)
    except Exception as exc:  # the engines train it themselves
        print(f"warning: the intent matcher was not prepared: {exc}", file=sys.stderr)


def _one(service: Any, oid: str, type: str | None) -> Any:
    return service.get(oid, type)


def _show(service: Any, args: argparse.Namespace) -> int:
    print(service.show(args.id, args.type), end="")
    return 0


def _edit(service: Any, args: argparse.Namespace) -> int:
    if args.version is None:
        current = service.find(args.id, "course" if args.fields else "entry")
        now = f"; it is now {current[0].version}" if current else ""
        print(
            f"error: give --version N, the version you started from (`kb show {args.id}`{now}), so that "
            "a change someone saved meanwhile is not overwritten",
            file=sys.stderr,
        )
        return 2
    if args.fields:
        changes = dict(_field(f) for f in args.fields)
        change = service.edit_course(args.id, changes, expected_version=args.version)
    else:
        if not args.lang:
            print(
                f"error: give --lang ({', '.join(LANGS)}) with --title/--answer, or --set for a course",
                file=sys.stderr,
            )
            return 2
        answer = args.answer
        if args.answer_file:
            answer = read_capped(args.answer_file, MAX_ANSWER_FILE).decode("utf-8")
        change = service.edit_entry(
            args.id, args.lang, title=args.title, answer=answer, expected_version=args.version
        )
    _done(change)
    return 0


MAX_ANSWER_FILE = 64_000
"""Most bytes read for --answer-file (an answer is capped far lower by the schema)."""
MAX_INPUT_FILE = 5_000_000
"""Most bytes read for `kb add` (the loader's own cap is lower)."""


def read_capped(path: str, limit: int) -> bytes:
    """At most `limit` bytes of a file (``-`` = stdin); ValueError beyond, so that a character
    device (/dev/zero) or a huge file is refused without being read whole."""
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path} is larger than {limit:,} bytes")
    return data


def _field(text: str) -> tuple[str, Any]:
    from bot.engine.loader import parse_text

    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"--set needs FIELD=VALUE, got {text!r}")
    _, body, _, errors = parse_text("--set", f"courses: [{raw.strip() or 'null'}]\n")
    if errors or not isinstance(body, list) or len(body) != 1:
        return name.strip(), raw.strip()
    return name.strip(), body[0]


def _done(change: Any) -> None:
    if not change.changed:
        print(f"unchanged: {change.type} {change.id}")
        return
    where = f" version {change.version}" if change.version else ""
    print(
        f"{change.action}: {change.type} {change.id}{where} "
        f"(revision {change.revision}, generation {change.generation})"
    )


def _add(service: Any, args: argparse.Namespace) -> int:
    path = Path(args.file)
    for change in service.add_yaml(read_capped(args.file, MAX_INPUT_FILE), path.name):
        _done(change)
    return 0


def _delete(service: Any, args: argparse.Namespace) -> int:
    obj = _one(service, args.id, args.type)
    if not args.yes:
        print(f"error: this deletes {obj.type} {obj.id}; add --yes to confirm", file=sys.stderr)
        return 1
    delete = {"entry": service.delete_entry, "course": service.delete_course, "intent": service.delete_intent}
    _done(delete[obj.type](obj.id, obj.version))
    return 0


def _phrase(service: Any, args: argparse.Namespace) -> int:
    lang = args.lang
    if not lang:
        from bot.engine.language import detect_language

        lang = detect_language(args.text, default=None)
        if not lang:
            print("error: could not tell the language of the phrasing; give --lang", file=sys.stderr)
            return 2
    if args.action == "add":
        change = service.add_phrasing(args.intent, lang, args.text)
    else:
        change = service.remove_phrasing(args.intent, lang, args.text)
    _done(change)
    return 0


def _history(service: Any, args: argparse.Namespace) -> int:
    revisions = service.history(args.id, limit=args.limit)
    if not revisions:
        service.get(args.id)  # not found → error
        print(f"no revisions of {args.id} since the knowledge base was loaded")
        return 0
    for rev in revisions:
        note = f"  ({rev.note})" if rev.note else ""
        print(
            f"{rev.id:>6}  {rev.at}  {rev.author:<24} {rev.action:<7} {rev.object_type} {rev.object_id}{note}"
        )
    return 0


def _revert(service: Any, args: argparse.Namespace) -> int:
    _done(service.revert(args.id, args.revision, to=args.to))
    return 0


def _gaps(service: Any, args: argparse.Namespace) -> int:
    from bot.moderation.gaps import find_group

    if args.dismiss:
        group = find_group(service.db, args.dismiss)
        service.dismiss_gap(group.id)
        print(f"dismissed gap {group.id}: {group.text}")
        return 0
    if args.to_intent:
        ref, intent = args.to_intent
        group = find_group(service.db, ref)
        change = service.gap_to_phrasing(group.id, intent, args.lang)
        print(f'added "{group.text}" as a phrasing of {intent}')
        _done(change)
        return 0
    groups = service.gaps(days=args.days, limit=args.limit)
    if not groups:
        print("no gaps: every question got an answer and no answer got a 👎")
        return 0
    for n, group in enumerate(groups, start=1):
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(group.reasons.items()))
        print(
            f"{n:>3}. [{group.id}] {group.text!r} ({group.lang}) — asked {group.count}×, "
            f"last {group.last_asked}; {reasons}"
        )
        for example in group.examples[1:]:
            print(f"       also: {example!r}")
    return 0


def _import(service: Any, args: argparse.Namespace) -> int:
    options = {
        "platform": args.platform,
        "course_type": args.course_type,
        "dry_run": args.dry_run,
        "skip_invalid": args.skip_invalid,
    }
    if args.source.startswith(("http://", "https://")):
        report = service.import_url(args.source, **options)
    else:
        path = Path(args.source)
        from bot.moderation.importer import MAX_BYTES
        from bot.moderation.service import ServiceError

        if path.is_file() and path.stat().st_size > MAX_BYTES:
            size = path.stat().st_size
            raise ServiceError("import_too_big", size=f"{size:,}", limit=f"{MAX_BYTES:,}")
        try:
            data = read_capped(args.source, MAX_BYTES)
        except ValueError:
            raise ServiceError(
                "import_too_big", size=f"more than {MAX_BYTES:,}", limit=f"{MAX_BYTES:,}"
            ) from None
        report = service.import_file(
            data, args.format, filename=path.name, source_url=args.source_url, **options
        )
    for rejection in report.rejected:
        print(f"rejected {rejection}")
    for label, ids in (("added", report.added), ("updated", report.updated)):
        for oid in ids:
            print(f"{label} {oid}")
    print(report.summary())
    if report.rejected and not report.applied and not args.skip_invalid:
        return 1
    return 0


def _sync(service: Any, args: argparse.Namespace) -> int:
    from bot.moderation.sync import SyncError, load_sources, sync_all

    try:
        sources = load_sources(args.sources)
    except SyncError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.only:
        unknown = sorted(set(args.only) - {s.name for s in sources})
        if unknown:
            print(f"error: no source named {', '.join(unknown)}", file=sys.stderr)
            return 2
        sources = [s for s in sources if s.name in args.only]
    results = sync_all(service, sources)
    for result in results:
        print(result.summary())
    return 0 if all(r.ok for r in results) else 1


def _stats(service: Any, args: argparse.Namespace) -> int:
    stats = service.stats(args.days)
    rate = "n/a" if stats.unanswered_rate is None else f"{stats.unanswered_rate:.0%}"
    ratio = "n/a" if stats.feedback_ratio is None else f"{stats.feedback_ratio:.0%}"
    print(f"last {stats.days} days (since {stats.since})")
    print(
        f"questions: {stats.questions}; answered {stats.answered}, suggestions {stats.suggestions}, "
        f"unanswered {stats.unanswered} ({rate})"
    )
    print(
        f"feedback: {stats.up} up, {stats.down} down (ratio {ratio}), "
        f"{stats.not_what_i_asked} not what I asked"
    )
    if stats.per_intent:
        print("questions per intent:")
        for intent, count in stats.per_intent:
            print(f"  {count:>5}  {intent}")
    from bot.moderation.sync import sync_status

    sources = sync_status(service)
    if sources:
        print("catalogue sources (kb sync):")
    for src in sources:
        print(
            f"  {src.source}: last success {src.last_success or 'never'}; last run {src.added} added, "
            f"{src.updated} updated, {src.withdrawn} withdrawn, {src.unchanged} unchanged"
        )
        if src.last_error:
            print(f"    last error ({src.last_attempt}): {src.last_error}")
    return 0
