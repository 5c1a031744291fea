"""`cmf-bot kb sync`: pull each configured catalogue source into the catalogue, all or nothing per source.

Sources are listed in a YAML file (``CMF_BOT_SYNC_SOURCES``, default `deploy/sync-sources.yaml`)::

    sources:
      - name: imoox                     # a-z 0-9 -, the key of the source's status
        url: https://imoox.at/mooc/local/moochubs/classes/webservice.php
        platform: iMooX                 # optional when the host says (imoox.at → iMooX)
        kind: moochub                   # moochub (default) | richie

Two kinds of source:
- ``moochub``: a MOOChub v3 JSON:API endpoint, paged by `links.next`;
- ``richie``: the course search API of a Richie site (the CMS FUN runs, github.com/openfun/richie),
  ``GET <url>?scope=objects&limit=N&offset=M`` answering ``{"meta": {"count", "offset",
  "total_count"}, "objects": [...]}`` (`src/richie/apps/search/viewsets/courses.py`); each object is
  mapped by `map_richie` (the course page is its `absolute_url` on the source's own site).

For each source, `sync_source`:
1. fetches the first page through the guarded fetcher (`bot.moderation.fetch`) as a conditional GET
   (the ETag / Last-Modified of the last successful sync); a 304 means nothing changed: no page
   more is fetched and the knowledge base is not written;
2. otherwise reads every page (MOOChub: `links.next`, a link back to a page already fetched is an
   error, not the end; Richie: offset paging to `meta.total_count`, where a course read twice, an
   ignored offset, a changing total or an early empty page is an error), within `SYNC_MAX_PAGES`,
   `SYNC_MAX_BYTES` a page, `SYNC_MAX_TOTAL_BYTES` and `SYNC_DEADLINE`, keeping each page compressed
   (`feeds.Pages`); pages byte for byte as at the last successful sync (SHA-256) end here too;
3. maps the records a page at a time (`bot.moderation.feeds`) and plans them as `kb import` does
   (`importer.plan_rows`: only changed records are checked, the plan is kept packed); any rejected
   row fails the source: nothing of it is written;
4. in ONE transaction, applies the records and marks the courses this source listed before but no
   longer lists as withdrawn (``withdrawn: <date>``; they are kept, never deleted; a course that comes
   back loses the mark; a source that suddenly lists no course at all fails instead), and records
   the source's status.
A failure (network, cap, bad page, rejected row) changes no record and is stored as the source's
`last_error`; `sync_status` gives each source's last success, counts and last error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import yaml

from bot.moderation.feeds import (
    ACCEPT,
    BAD_LINK,
    Pages,
    Row,
    excerpt,
    http_url,
    languages_of,
    mapped_keys,
    moochub_id,
    moochub_rows,
    next_link,
    number_of,
    page_items,
    parse_page,
    platform_from_host,
    text_of,
)
from bot.moderation.fetch import FetchError, FetchPolicy, fetch_document, policy_from_env
from bot.moderation.service import Edit, ServiceError

if TYPE_CHECKING:
    from bot.moderation.service import KnowledgeService

SYNC_MAX_PAGES = 2_000
SYNC_MAX_BYTES = 5_000_000
SYNC_MAX_TOTAL_BYTES = 500_000_000
SYNC_MAX_ROWS = 200_000
SYNC_DEADLINE = 600.0
MAPPING_VERSION = 1
"""Raise when a mapping of records changes: pages identical to the last sync are then applied again."""
RICHIE_PAGE = 100
"""Courses asked for per Richie page (`limit`; Richie's own default is 10)."""
KINDS = ("moochub", "richie")
DEFAULT_SOURCES = Path(__file__).resolve().parents[2] / "deploy" / "sync-sources.yaml"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class SyncError(Exception):
    """A source could not be synced; nothing of it was written."""


@dataclass
class Source:
    name: str
    url: str
    platform: str | None = None
    kind: str = "moochub"


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
        if self.not_modified and self.pages:
            return f"{self.source}: {self.pages} pages, the same as at the last sync (nothing written)"
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
        raise SyncError(f"{path}: expected `sources:` with a list of {{name, url, platform, kind}}")
    out: list[Source] = []
    for n, item in enumerate(body, start=1):
        if not isinstance(item, dict) or set(item) - {"name", "url", "platform", "kind"}:
            raise SyncError(f"{path}: source {n}: only name, url, platform and kind are allowed")
        name, url, platform = item.get("name"), item.get("url"), item.get("platform")
        kind = item.get("kind", "moochub")
        if not isinstance(name, str) or not _NAME.match(name) or name in {s.name for s in out}:
            raise SyncError(f"{path}: source {n}: name must be a unique a-z 0-9 - word")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise SyncError(f"{path}: source {n}: url must be an http(s) URL")
        if platform is not None and not isinstance(platform, str):
            raise SyncError(f"{path}: source {n}: platform must be text")
        if kind not in KINDS:
            raise SyncError(f"{path}: source {n}: kind must be one of {', '.join(KINDS)}")
        out.append(Source(name, url, platform, kind))
    return out


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
    result = SyncResult(source.name, ok=False)
    conn = service.db.conn
    state = conn.execute(
        "SELECT url, etag, last_modified, digest FROM sync_status WHERE source = ?", (source.name,)
    ).fetchone()
    same_url = bool(state) and state[0] == source.url
    etag, modified, digest = (state[1], state[2], state[3]) if same_url else (None, None, None)
    started = _now()
    try:
        platform = source.platform or platform_from_host(source.url)
        if not platform:
            raise SyncError("which platform? give `platform:` in the sources file")
        fetch_pages, accept = (
            (_fetch_richie, "application/json") if source.kind == "richie" else (_fetch_all, ACCEPT)
        )
        reader = _Reader(
            policy or policy_from_env(), time.monotonic() + deadline, max_pages, max_bytes, max_total_bytes,
            max_rows, accept,
        )  # fmt: skip
        pages, validators = fetch_pages(reader, source.url, etag, modified)
        if pages is not None:  # the digest also covers what maps the pages: another platform re-applies
            keyed = f"{MAPPING_VERSION} {source.kind} {platform} {validators[2]}"
            validators = (validators[0], validators[1], hashlib.sha256(keyed.encode()).hexdigest())
        if pages is None or (digest is not None and validators[2] == digest):
            # 304, or every page byte for byte as at the last successful sync: nothing to write
            result.ok = result.not_modified = True
            result.pages = len(pages or [])
            kept = (etag, modified, digest) if pages is None else validators
            _record(service, source, started, result, kept, commit=True)
            return result
        result.pages = len(pages)
        _apply(service, source, platform, pages, result, validators, started, today)
    except (SyncError, ServiceError) as exc:
        result.ok, result.error = False, str(exc)
        _record(service, source, started, result, (etag, modified, digest), commit=True)
    return result


Validators = tuple[str | None, str | None, str | None]
"""ETag and Last-Modified of the first page, and the SHA-256 of every page read (URL and body)."""


@dataclass
class _Reader:
    """One sync's page reads: the guarded conditional GET, the caps and the running totals."""

    policy: FetchPolicy
    until: float
    max_pages: int
    max_bytes: int
    max_total_bytes: int
    max_rows: int
    accept: str
    pages: Pages = field(default_factory=Pages)
    digest: Any = field(default_factory=hashlib.sha256)
    total: int = 0
    rows: int = 0

    def get(self, url: str, etag: str | None, modified: str | None) -> Any:
        """The page at `url` (a `Fetched`; conditional only for the first page); SyncError on failure."""
        if len(self.pages) >= self.max_pages:
            raise SyncError(f"more than {self.max_pages:,} pages")
        first = not self.pages
        try:
            got = fetch_document(
                url, self.policy, deadline=self.until, max_bytes=self.max_bytes, accept=self.accept,
                etag=etag if first else None, last_modified=modified if first else None,
            )  # fmt: skip
        except FetchError as exc:
            what = "address not allowed" if exc.blocked else "page over the size cap" if exc.too_big else None
            raise SyncError(
                f"page {len(self.pages) + 1}: {what or 'could not be fetched (error, timeout or refused)'}"
            ) from None
        if got.status != 304:
            self.digest.update(b"%d %s %d " % (len(url), url.encode(), len(got.body)) + got.body)
            self.total += len(got.body)
            if self.total > self.max_total_bytes:
                raise SyncError(f"more than {self.max_total_bytes:,} bytes over all pages")
        return got

    def add(self, url: str, body: bytes, rows: int) -> None:
        """Keep a page read and checked (compressed: it is parsed again when the records are mapped)."""
        self.pages.add(url, body, rows)
        self.rows += rows
        if self.rows > self.max_rows:
            raise SyncError(f"more than {self.max_rows:,} records")


def _fetch_all(
    reader: _Reader, url: str, etag: str | None, modified: str | None
) -> tuple[Pages | None, Validators]:
    """Every page of a MOOChub source, or None when the first answers 304; and the first page's validators."""
    seen: set[str] = set()
    first: tuple[str | None, str | None] = (None, None)
    next_url: str | None = url
    while next_url:
        seen.add(next_url)
        got = reader.get(next_url, etag, modified)
        if got.status == 304:
            return None, (got.etag or etag, got.last_modified or modified, None)
        if not reader.pages:
            first = (got.etag, got.last_modified)
        try:
            page = parse_page(got.body, next_url)
        except ServiceError:
            raise SyncError(f"page {len(reader.pages) + 1} is not a MOOChub course list") from None
        reader.add(next_url, got.body, len(page_items(page)))
        following = next_link(page)
        if following is BAD_LINK:
            raise SyncError(f"page {len(reader.pages)}: links.next is not a URL")
        next_url = urljoin(got.url, following) if isinstance(following, str) and following else None
        if next_url in seen:
            raise SyncError(
                f"page {len(reader.pages)}: links.next leads back to a page already read (a loop)"
            )
    return reader.pages, (*first, reader.digest.hexdigest())


def richie_page_url(url: str, offset: int, limit: int = RICHIE_PAGE) -> str:
    """`url` asking for courses only (``scope=objects``), `limit` of them from `offset` (its other
    query parameters, e.g. a filter the operator set, are kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("scope", "limit", "offset")]
    query += [("scope", "objects"), ("limit", str(limit)), ("offset", str(offset))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _fetch_richie(
    reader: _Reader, url: str, etag: str | None, modified: str | None
) -> tuple[Pages | None, Validators]:
    """Every page of a Richie course search API (offset paging up to `meta.total_count`), or None when
    the first answers 304; and the first page's validators. A paging that does not add up fails."""
    first: tuple[str | None, str | None] = (None, None)
    ids: set[str] = set()
    total: int | None = None
    offset = 0
    while total is None or offset < total:
        page_url = richie_page_url(url, offset)
        got = reader.get(page_url, etag, modified)
        if got.status == 304:
            return None, (got.etag or etag, got.last_modified or modified, None)
        n = len(reader.pages) + 1
        if n == 1:
            first = (got.etag, got.last_modified)
        page = _richie_page(got.body, n)
        meta, objects = page["meta"], page["objects"]
        if isinstance(meta.get("offset"), int) and meta["offset"] != offset:
            raise SyncError(f"page {n}: asked for offset {offset}, got {meta['offset']} (paging ignored)")
        if total is not None and meta["total_count"] != total:
            raise SyncError(
                f"page {n}: the course count changed while paging ({total:,} → {meta['total_count']:,})"
            )
        total = meta["total_count"]
        for obj in objects:
            oid = str(obj.get("id")) if isinstance(obj, dict) and obj.get("id") is not None else None
            if oid is not None and oid in ids:
                raise SyncError(
                    f"page {n}: course {oid[:40]} was already read on an earlier page (a paging loop)"
                )
            if oid is not None:
                ids.add(oid)
        reader.add(page_url, got.body, len(objects))
        if not objects and offset < total:
            raise SyncError(f"page {n} is empty at offset {offset:,} of {total:,} courses")
        offset += len(objects)
    return reader.pages, (*first, reader.digest.hexdigest())


def _richie_page(body: bytes, n: int) -> dict[str, Any]:
    """A Richie course list page (``meta.total_count`` an integer, ``objects`` a list), else SyncError."""
    try:
        page = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        page = None
    meta = page.get("meta") if isinstance(page, dict) else None
    total = meta.get("total_count") if isinstance(meta, dict) else None
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise SyncError(f"page {n} is not a Richie course list (no meta.total_count)")
    if not isinstance(page.get("objects"), list):  # type: ignore[union-attr]
        raise SyncError(f"page {n} is not a Richie course list (no objects)")
    return page  # type: ignore[return-value]


def _apply(
    service: KnowledgeService,
    source: Source,
    platform: str,
    pages: Pages,
    result: SyncResult,
    validators: Validators,
    started: str,
    today: str | None,
) -> None:
    """Map, check and plan the pages' records a page at a time without the write lock, then write
    them, the withdrawals and the source's status in one transaction (planned again under the lock if
    someone changed the knowledge base meanwhile)."""
    from bot.engine.store import generation
    from bot.moderation.importer import write_plan

    def rows() -> Iterator[Row]:
        if source.kind == "richie":
            return _richie_rows(pages, platform, source.url)
        return moochub_rows(pages, platform, "MOOC", SYNC_MAX_ROWS)

    today = today or datetime.now(UTC).date().isoformat()
    before = generation(service.db)
    plan, listed = _plan(service, source, rows(), today)
    with service.transaction():
        if generation(service.db) != before:
            plan, listed = _plan(service, source, rows(), today)
        write_plan(service, plan)
        result.added, result.updated = plan.added, plan.updated
        result.withdrawn = plan.withdrawn
        result.unchanged = len(plan.unchanged)
        service.db.conn.executemany(
            "INSERT OR IGNORE INTO sync_records (source, course_id) VALUES (?, ?)",
            ((source.name, oid) for oid in sorted(listed)),
        )
        result.ok = True
        _record(service, source, started, result, validators, commit=False)


def _richie_rows(pages: Pages, platform: str, api_url: str) -> Iterator[Row]:
    """The import rows of a Richie source's pages, one at a time (a course that cannot be mapped is a
    rejected row)."""
    n = 0
    for page_number, (page_url, page) in enumerate(pages, start=1):
        for index, item in enumerate(page["objects"], start=1):
            n += 1
            try:
                data = map_richie(item, platform, api_url, page_url)
            except ValueError as exc:
                yield Row(n, "course", None, f"page {page_number} item {index}: {exc}")
                continue
            yield Row(n, "course", data, keys=mapped_keys(data), derived_id=True)


_RICHIE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""A course id that may name its own API record (`<api>/<id>/`); any other id: the page read is the source."""
_PAGE_LANGUAGE = re.compile(r"^/([a-z]{2})(?:-[a-z]{2})?/", re.I)


def map_richie(item: Any, platform: str, api_url: str, page_url: str) -> dict[str, Any]:
    """A catalogue record from one object of Richie's course API (`CoursesIndexer.format_es_object_for_api`):
    title; the course page = `absolute_url` on the source's own site; institution =
    `organization_highlighted`; languages from the course runs (else guessed from the page's
    language prefix, marked ``languages_inferred``); the date = the latest run's start; workload from
    `effort` and `duration`; price from `offer`/`price`; description from `introduction`. Categories
    and organizations are ids only, so no subject is taken. ValueError when a course cannot be used."""
    if not isinstance(item, dict):
        raise ValueError("not a Richie course object")
    title = text_of(item.get("title"))
    if not title:
        raise ValueError("missing title")
    absolute = item.get("absolute_url")
    if not isinstance(absolute, str) or not absolute.strip():
        raise ValueError("missing absolute_url")
    course_url = urljoin(page_url, absolute.strip())
    site = (urlsplit(page_url).hostname or "").removeprefix("www.")
    if not http_url(course_url) or (urlsplit(course_url).hostname or "").removeprefix("www.") != site:
        raise ValueError(f"absolute_url {absolute[:80]!r} is not a page of the source's site")
    runs = [r for r in item.get("course_runs") or [] if isinstance(r, dict)]
    languages = languages_of(
        [code for r in runs for code in r.get("languages") or []] + list(item.get("languages") or [])
    )
    inferred = False
    if not languages and (guess := _PAGE_LANGUAGE.match(urlsplit(course_url).path)):
        languages, inferred = [guess[1].lower()], True
    starts = sorted(
        m[0]
        for v in [r.get("start") for r in runs] + [item.get("start")]
        if isinstance(v, str)
        and (m := re.match(r"^\d{4}-\d{2}-\d{2}", v.strip()))
        and 1990 <= int(m[0][:4]) <= 2100
    )
    effort, duration = text_of(item.get("effort")), text_of(item.get("duration"))
    prices: list[str] = []
    if item.get("offer") == "free":
        prices.append("free")
    elif (price := number_of(item.get("price"))) is not None:
        prices.append(f"{price:g} {text_of(item.get('price_currency')) or ''}".strip())
    if item.get("certificate_offer") == "free":
        prices.append("certificate free")
    elif (cert := number_of(item.get("certificate_price"))) is not None:
        prices.append(f"certificate {cert:g} {text_of(item.get('price_currency')) or ''}".strip())
    code = text_of(item.get("code"))
    oid = item.get("id")
    api = api_url.split("?")[0].rstrip("/") + "/"
    dated = f"latest run start {starts[-1]}" if starts else "no dated run"
    return {
        "id": moochub_id(platform, code, title, course_url),
        "title": title,
        "platform": platform,
        "institution": text_of(item.get("organization_highlighted")),
        "type": "MOOC",
        "languages": languages,
        "languages_inferred": inferred,
        "subjects": [],
        "workload": "; ".join(p for p in (effort, duration) if p) or None,
        "hours": None,
        "credits": None,
        "ects": None,
        "level": None,
        "eqf_level": None,
        "price": "; ".join(prices) or None,
        "course_url": course_url,
        "source_urls": [urljoin(api, f"{oid}/") if _RICHIE_ID.match(str(oid)) else page_url],
        "source_date": f"Richie API record, {dated}",
        "listed_year": int(starts[-1][:4]) if starts else None,
        "page_seen": "Richie API record",
        "description": excerpt(item.get("introduction")),
        "notes": None,
    }


def _plan(service: KnowledgeService, source: Source, rows: Iterator[Row], today: str) -> tuple[Any, set[str]]:
    """(the checked plan: the listed records' changes, then the withdrawals; the ids listed); SyncError
    if a row is rejected. A listed record marked withdrawn loses the mark."""
    from bot.moderation.importer import ImportReport, plan_rows

    report = ImportReport("moochub", source.url, False)
    plan = plan_rows(service, rows, report, skip_invalid=False, relist=True, close=False)
    if plan is None:
        first = report.rejected[0]
        raise SyncError(f"{len(report.rejected)} records rejected (first: {first})")
    listed = set(plan.added) | set(plan.updated) | set(plan.unchanged)
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
    for oid in sorted(known - listed):
        current = service.stored("course", oid)
        if current is None or current.data.get("withdrawn"):
            continue
        after = {**current.data, "withdrawn": today}
        note = f"withdrawn by {source.name}"
        plan.add(Edit("course", oid, current.data, after, current.file, "sync", note))
        plan.withdrawn.append(plan.updated.pop())
    plan.close()
    return plan, listed


def _record(
    service: KnowledgeService,
    source: Source,
    started: str,
    result: SyncResult,
    validators: Validators,
    *,
    commit: bool,
) -> None:
    """Store the source's status (inside the sync's transaction, or in a short one of its own)."""
    counts = (len(result.added), len(result.updated), len(result.withdrawn), result.unchanged)
    sql = (
        "INSERT INTO sync_status (source, url, etag, last_modified, last_attempt, last_success, added,"
        " updated, withdrawn, unchanged, last_error, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(source) DO UPDATE SET url = excluded.url, last_attempt = excluded.last_attempt,"
        " last_error = excluded.last_error"
    )
    if result.ok:
        sql += (
            ", etag = excluded.etag, last_modified = excluded.last_modified, digest = excluded.digest,"
            " last_success = excluded.last_success, added = excluded.added, updated = excluded.updated,"
            " withdrawn = excluded.withdrawn, unchanged = excluded.unchanged"
        )
    params = (
        source.name, source.url, validators[0], validators[1], started, started if result.ok else None,
        *(counts if result.ok else (0, 0, 0, 0)), result.error, validators[2],
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
    return [
        SourceStatus(*row)
        for row in service.db.conn.execute(
            "SELECT source, url, last_attempt, last_success, added, updated, withdrawn, unchanged, last_error"
            " FROM sync_status ORDER BY source"
        )
    ]
