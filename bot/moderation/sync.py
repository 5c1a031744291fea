"""`cmf-bot kb sync`: pull each configured MOOChub v3 source into the catalogue, all or nothing per source.

Sources are listed in a YAML file (``CMF_BOT_SYNC_SOURCES``, default `deploy/sync-sources.yaml`)::

    sources:
      - name: imoox                     # a-z 0-9 -, the key of the source's status
        url: https://imoox.at/mooc/local/moochubs/classes/webservice.php
        platform: iMooX                 # optional when the host says (imoox.at → iMooX)

For each source, `sync_source`:
1. fetches the first page through the guarded fetcher (`bot.moderation.fetch`) as a conditional GET
   (the ETag / Last-Modified of the last successful sync); a 304 means nothing changed: no page
   more is fetched and the knowledge base is not written;
2. otherwise follows `links.next` (a link back to a page already fetched is an error, not the end),
   within `SYNC_MAX_PAGES`, `SYNC_MAX_BYTES` a page, `SYNC_MAX_TOTAL_BYTES` and `SYNC_DEADLINE`;
3. maps every record as `kb import` does (`bot.moderation.importer`); any rejected row fails the
   source: nothing of it is written;
4. in ONE transaction, applies the records and marks the courses this source listed before but no
   longer lists as withdrawn (``withdrawn: <date>``; they are kept, never deleted; a course that comes
   back loses the mark; a source that suddenly lists no course at all fails instead), and records
   the source's status.
A failure (network, cap, bad page, rejected row) changes no record and is stored as the source's
`last_error`; `sync_status` gives each source's last success, counts and last error.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import yaml

from bot.moderation.fetch import FetchError, FetchPolicy, fetch_document, policy_from_env
from bot.moderation.service import ServiceError, _Edit

if TYPE_CHECKING:
    from bot.moderation.service import KnowledgeService

SYNC_MAX_PAGES = 2_000
SYNC_MAX_BYTES = 5_000_000
SYNC_MAX_TOTAL_BYTES = 500_000_000
SYNC_MAX_ROWS = 200_000
SYNC_DEADLINE = 600.0
DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "deploy" / "sync-sources.yaml"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_TABLES = """
CREATE TABLE IF NOT EXISTS sync_status (
    source TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT, last_modified TEXT, last_attempt TEXT,
    last_success TEXT, added INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE TABLE IF NOT EXISTS sync_records (source TEXT NOT NULL, course_id TEXT NOT NULL,
    PRIMARY KEY (source, course_id));
"""


class SyncError(Exception):
    """A source could not be synced; nothing of it was written."""


@dataclass
class Source:
    name: str
    url: str
    platform: str | None = None


@dataclass
class SyncResult:
    source: str
    ok: bool
    not_modified: bool = False
    pages: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0
    error: str | None = None

    def summary(self) -> str:
        if not self.ok:
            return f"{self.source}: FAILED, nothing changed: {self.error}"
        if self.not_modified:
            return f"{self.source}: not modified since the last sync (nothing written)"
        return (
            f"{self.source}: {self.pages} pages; {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.withdrawn)} withdrawn, {self.unchanged} unchanged"
        )


def load_sources(path: str | Path | None = None) -> list[Source]:
    """The configured sources (`path`, else ``CMF_BOT_SYNC_SOURCES``, else `DEFAULT_SOURCES`)."""
    path = Path(path or os.environ.get("CMF_BOT_SYNC_SOURCES") or DEFAULT_SOURCES)
    try:
        raw = path.read_bytes()[:100_000]
        doc = yaml.safe_load(raw)
    except OSError as exc:
        raise SyncError(f"cannot read the sources file {path}: {exc.strerror}") from None
    except yaml.YAMLError:
        raise SyncError(f"{path}: not valid YAML") from None
    body = doc.get("sources") if isinstance(doc, dict) and set(doc) == {"sources"} else None
    if not isinstance(body, list):
        raise SyncError(f"{path}: expected `sources:` with a list of {{name, url, platform}}")
    out: list[Source] = []
    for n, item in enumerate(body, start=1):
        if not isinstance(item, dict) or set(item) - {"name", "url", "platform"}:
            raise SyncError(f"{path}: source {n}: only name, url and platform are allowed")
        name, url, platform = item.get("name"), item.get("url"), item.get("platform")
        if not isinstance(name, str) or not _NAME.match(name) or name in {s.name for s in out}:
            raise SyncError(f"{path}: source {n}: name must be a unique a-z 0-9 - word")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise SyncError(f"{path}: source {n}: url must be an http(s) URL")
        if platform is not None and not isinstance(platform, str):
            raise SyncError(f"{path}: source {n}: platform must be text")
        out.append(Source(name, url, platform))
    return out


def _ensure_tables(service: KnowledgeService) -> None:
    service.db.conn.executescript(_TABLES)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sync_source(
    service: KnowledgeService,
    source: Source,
    *,
    policy: FetchPolicy | None = None,
    max_pages: int = SYNC_MAX_PAGES,
    max_bytes: int = SYNC_MAX_BYTES,
    max_total_bytes: int = SYNC_MAX_TOTAL_BYTES,
    max_rows: int = SYNC_MAX_ROWS,
    deadline: float = SYNC_DEADLINE,
    today: str | None = None,
) -> SyncResult:
    """Sync one source (see the module docstring); never raises for a source's own failure."""
    from bot.moderation.importer import _platform_from_host

    _ensure_tables(service)
    result = SyncResult(source.name, ok=False)
    conn = service.db.conn
    state = conn.execute(
        "SELECT url, etag, last_modified FROM sync_status WHERE source = ?", (source.name,)
    ).fetchone()
    etag, modified = (state[1], state[2]) if state and state[0] == source.url else (None, None)
    started = _now()
    try:
        platform = source.platform or _platform_from_host(source.url)
        if not platform:
            raise SyncError("which platform? give `platform:` in the sources file")
        pages, validators = _fetch_all(
            source.url, policy or policy_from_env(), etag, modified, max_pages, max_bytes, max_total_bytes,
            max_rows, deadline,
        )  # fmt: skip
        if pages is None:
            result.ok = result.not_modified = True
            _record(service, source, started, result, (etag, modified), commit=True)
            return result
        result.pages = len(pages)
        _apply(service, source, platform, pages, result, validators, started, today)
    except (SyncError, ServiceError) as exc:
        result.ok, result.error = False, str(exc)
        _record(service, source, started, result, (etag, modified), commit=True)
    return result


def _fetch_all(
    url: str,
    policy: FetchPolicy,
    etag: str | None,
    modified: str | None,
    max_pages: int,
    max_bytes: int,
    max_total_bytes: int,
    max_rows: int,
    deadline: float,
) -> tuple[list[tuple[str, dict[str, Any]]] | None, tuple[str | None, str | None]]:
    """Every page, or None when the first answers 304; and the first page's validators."""
    from bot.moderation.importer import _ACCEPT, _BAD, _items, _json_page, _next_link

    until = time.monotonic() + deadline
    pages: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    validators: tuple[str | None, str | None] = (None, None)
    total = rows = 0
    next_url: str | None = url
    while next_url:
        if len(pages) >= max_pages:
            raise SyncError(f"more than {max_pages:,} pages")
        seen.add(next_url)
        first = not pages
        try:
            got = fetch_document(
                next_url, policy, deadline=until, max_bytes=max_bytes, accept=_ACCEPT,
                etag=etag if first else None, last_modified=modified if first else None,
            )  # fmt: skip
        except FetchError as exc:
            what = "address not allowed" if exc.blocked else "page over the size cap" if exc.too_big else None
            raise SyncError(
                f"page {len(pages) + 1}: {what or 'could not be fetched (error, timeout or refused)'}"
            ) from None
        if got.status == 304:
            return None, (got.etag or etag, got.last_modified or modified)
        if first:
            validators = (got.etag, got.last_modified)
        total += len(got.body)
        if total > max_total_bytes:
            raise SyncError(f"more than {max_total_bytes:,} bytes over all pages")
        try:
            page = _json_page(got.body, next_url)
        except ServiceError:
            raise SyncError(f"page {len(pages) + 1} is not a MOOChub course list") from None
        pages.append((next_url, page))
        rows += len(_items(page))
        if rows > max_rows:
            raise SyncError(f"more than {max_rows:,} records")
        following = _next_link(page)
        if following is _BAD:
            raise SyncError(f"page {len(pages)}: links.next is not a URL")
        next_url = urljoin(got.url, following) if isinstance(following, str) and following else None
        if next_url in seen:
            raise SyncError(f"page {len(pages)}: links.next leads back to a page already read (a loop)")
    return pages, validators


def _apply(
    service: KnowledgeService,
    source: Source,
    platform: str,
    pages: list[tuple[str, dict[str, Any]]],
    result: SyncResult,
    validators: tuple[str | None, str | None],
    started: str,
    today: str | None,
) -> None:
    from bot.engine.store import generation
    from bot.moderation.importer import _moochub_rows

    rows = _moochub_rows(pages, platform, "MOOC", SYNC_MAX_ROWS)
    today = today or datetime.now(UTC).date().isoformat()
    before = generation(service.db)
    edits, withdrawn, listed = _plan(service, source, rows, today)
    service._prevalidate(edits + withdrawn)  # the slow check, before the write lock is taken
    with service._transaction():
        if generation(service.db) == before:
            changes = service._apply(edits + withdrawn, validated=True)
        else:  # someone changed the knowledge base meanwhile: plan and check again, under the lock
            edits, withdrawn, listed = _plan(service, source, rows, today)
            changes = service._apply(edits + withdrawn)
        for edit, change in zip(edits, changes, strict=False):
            if not change.changed:
                result.unchanged += 1
            elif edit.before is None:
                result.added.append(change.id)
            else:
                result.updated.append(change.id)
        result.withdrawn = [e.id for e in withdrawn]
        service.db.conn.executemany(
            "INSERT OR IGNORE INTO sync_records (source, course_id) VALUES (?, ?)",
            [(source.name, oid) for oid in sorted(listed)],
        )
        result.ok = True
        _record(service, source, started, result, validators, commit=False)


def _plan(
    service: KnowledgeService, source: Source, rows: list[Any], today: str
) -> tuple[list[_Edit], list[_Edit], set[str]]:
    """(edits of the listed records, withdrawal edits, ids listed); SyncError if a row is rejected."""
    from bot.moderation.importer import ImportReport, _plan_rows

    report = ImportReport("moochub", source.url, False)
    edits = _plan_rows(service, rows, report, skip_invalid=False)
    if edits is None:
        first = report.rejected[0]
        raise SyncError(f"{len(report.rejected)} records rejected (first: {first})")
    listed = {e.id for e in edits}
    for edit in edits:  # a course listed again is no longer withdrawn
        if edit.after is not None and edit.after.get("withdrawn"):
            edit.after = {**edit.after, "withdrawn": None}
    known = {
        r[0]
        for r in service.db.conn.execute(
            "SELECT course_id FROM sync_records WHERE source = ?", (source.name,)
        )
    }
    if known and not listed:
        raise SyncError(
            f"the source lists no course at all (it listed {len(known):,} before); nothing withdrawn"
        )
    withdrawn: list[_Edit] = []
    for oid in sorted(known - listed):
        current = service._get("course", oid)
        if current is None or current.data.get("withdrawn"):
            continue
        after = {**current.data, "withdrawn": today}
        note = f"withdrawn by {source.name}"
        withdrawn.append(_Edit("course", oid, current.data, after, current.file, "sync", note))
    return edits, withdrawn, listed


def _record(
    service: KnowledgeService,
    source: Source,
    started: str,
    result: SyncResult,
    validators: tuple[str | None, str | None],
    *,
    commit: bool,
) -> None:
    """Store the source's status (inside the sync's transaction, or in a short one of its own)."""
    counts = (len(result.added), len(result.updated), len(result.withdrawn), result.unchanged)
    sql = (
        "INSERT INTO sync_status (source, url, etag, last_modified, last_attempt, last_success, added,"
        " updated, withdrawn, unchanged, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(source) DO UPDATE SET url = excluded.url, last_attempt = excluded.last_attempt,"
        " last_error = excluded.last_error"
    )
    if result.ok:
        sql += (
            ", etag = excluded.etag, last_modified = excluded.last_modified,"
            " last_success = excluded.last_success, added = excluded.added, updated = excluded.updated,"
            " withdrawn = excluded.withdrawn, unchanged = excluded.unchanged"
        )
    params = (
        source.name, source.url, validators[0], validators[1], started, started if result.ok else None,
        *(counts if result.ok else (0, 0, 0, 0)), result.error,
    )  # fmt: skip
    if commit:
        with service.db.conn:
            service.db.conn.execute(sql, params)
    else:
        service.db.conn.execute(sql, params)


def sync_all(service: KnowledgeService, sources: list[Source], **options: Any) -> list[SyncResult]:
    """Sync every source in turn; one failing source does not stop the others."""
    return [sync_source(service, source, **options) for source in sources]


@dataclass
class SourceStatus:
    source: str
    url: str
    last_attempt: str | None
    last_success: str | None
    added: int
    updated: int
    withdrawn: int
    unchanged: int
    last_error: str | None


def sync_status(service: KnowledgeService) -> list[SourceStatus]:
    """Each synced source's status (for `kb stats`); empty before the first sync."""
    _ensure_tables(service)
    return [
        SourceStatus(*row)
        for row in service.db.conn.execute(
            "SELECT source, url, last_attempt, last_success, added, updated, withdrawn, unchanged, last_error"
            " FROM sync_status ORDER BY source"
        )
    ]
