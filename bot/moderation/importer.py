"""Import course lists (MOOChub JSON:API, CSV) and knowledge YAML into the knowledge base.

An import is all or nothing:
1. the whole input is read within the caps (`MAX_BYTES`, `MAX_ROWS`, and for a URL `MAX_PAGES`
   pages, `MAX_TOTAL_BYTES` and one overall `DEADLINE`) and parsed safely (json, csv, the loader's
   safe YAML). A URL is fetched by `bot.moderation.fetch` (https to public addresses only, every
   hop checked) BEFORE any database access: `fetch_url` then `import_fetched`;
2. every row is mapped to a catalogue record and checked against the catalogue schema; a row that
   fails is *rejected* with its row number and the reason;
3. if any row was rejected, nothing is written (unless `skip_invalid=True`, the moderator's explicit
   choice to apply the valid rows); otherwise the rows are compared with the stored records
   (added / updated / unchanged) and applied in ONE transaction, after the whole knowledge base with
   them passes the loader's checks. A dry run reports the same without writing.

CSV header (UTF-8, comma-separated, first line; column order free; unknown columns are refused):
``id,title,platform,institution,type,languages,subjects,workload,hours,credits,ects,level,
eqf_level,assessment,price,course_url,source_urls,source_date,listed_year,description``. Required columns:
`title`, `source_urls`, and `platform` unless given with `platform=`. List cells (`languages`,
`subjects`, `source_urls`) separate values with ``;``. An empty cell means null (not stated); a
column left out of the header leaves that field of an existing record as it is. An empty `id` is
made from the platform and the title (``imx-bayesian-probability``); a record with the same
`course_url` on the same platform is the same course (URLs compared normalised, see `normalise_url`:
``http://www.x.org/c/`` = ``https://x.org/c``). This holds for YAML imports too: a new id whose
course page is already stored under another id is rejected as a duplicate. `type` defaults to MOOC.

MOOChub (https://github.com/MOOChub/schema, v3): `data[].attributes` map to records as
name→title, url→course_url, inLanguage→languages (primary subtag), publisher (else creators)→
institution, keywords + teaches→subjects, workload {timeValue, timeUnit}→workload text (and
hours = timeValue × the `duration` when both are in the same unit, e.g. 3 h/week × P6W = 18),
numberOfCredits→ects (and credits text), educationalLevel→level text (eqf_level when its
framework is EQF), offer/access→price, description (HTML stripped, first 1000 characters)→
description; course_url = the record's own course page, source_urls = the API page it came from;
the id is `moochub_id` (prefix, slug, hash of the full courseCode: never collides); the date is the
record's own (dateModified, else dateCreated, else the latest startDate) → source_date
"MOOChub API record, dateModified 2014-03-01" and listed_year 2014, never the import date (an
undated record has listed_year null); platform from `platform=` or the endpoint host (imoox.at →
iMooX), type MOOC unless
`course_type=` says otherwise. Providers do not all follow the schema to the letter, so rows are
checked for what the bot uses (a name and an http(s) url), not against the full MOOChub schema.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bot.engine.model import IMPORT_FORMATS
from bot.moderation.fetch import FetchError, FetchPolicy, fetch, policy_from_env
from bot.moderation.service import Edit, ServiceError, slug

if TYPE_CHECKING:
    from bot.moderation.service import KnowledgeService

MAX_BYTES = 5_000_000
"""Largest file (or page of a URL) accepted, in bytes."""
MAX_ROWS = 100_000
"""Most rows (records, objects) in one import: the catalogue size measured in `bench/catalogue.py`
(it was 2,000 while every change re-validated the whole knowledge base as YAML). A file is also held
to `MAX_BYTES`, a URL to `MAX_PAGES` and `MAX_TOTAL_BYTES`; `kb sync` has caps of its own."""
MAX_PAGES = 50
"""Most pages followed through `links.next`."""
DEADLINE = 120.0
"""Seconds for a whole URL import (every page, every redirect); each socket wait is at most 20 s."""
MAX_TOTAL_BYTES = 20_000_000
"""Most bytes over all pages of a URL import."""

FORMATS = IMPORT_FORMATS
CSV_COLUMNS: tuple[str, ...] = (
    "id", "title", "platform", "institution", "type", "languages", "subjects", "workload", "hours", "credits",
    "ects", "level", "eqf_level", "assessment", "price", "course_url", "source_urls", "source_date",
    "listed_year", "description",
)  # fmt: skip
CSV_LISTS = ("languages", "subjects", "source_urls")
CSV_NUMBERS = ("hours", "ects")
CSV_INTEGERS = ("eqf_level", "listed_year")

PLATFORM_PREFIX = {
    "FutureLearn": "fl",
    "FUN": "fun",
    "MiríadaX": "mx",
    "EduOpen": "eo",
    "iMooX": "imx",
    "OpenupEd": "oup",
}
"""Id prefix of generated course ids, by partner (as in knowledge/catalogue/); the partners themselves
are the catalogue schema's (`bot.engine.loader.platforms`), a test keeps the two in step."""
HOST_PLATFORM = {"imoox.at": "iMooX"}
"""Endpoint host → platform, when `platform=` is not given."""
_IGNORED_ON_COMPARE = ("source_date", "listed_year")
"""A record that differs only in these is `unchanged` (re-importing the same list changes nothing)."""
DESCRIPTION_CHARS = 1000
"""Longest description kept (plain text, cut at a word end)."""


def _partner(platform: str) -> str:
    """The partner a platform name starts with ("FUN MOOC" -> "FUN"), "" if none."""
    from bot.engine.loader import platforms

    return next((p for p in platforms() if re.match(re.escape(p) + r"\b", platform)), "")


@dataclass
class Rejection:
    row: int
    """CSV: the line number; MOOChub: the record's position over all pages; YAML: the object's position."""
    id: str | None
    reason: str

    def __str__(self) -> str:
        ident = f" ({self.id})" if self.id else ""
        return f"row {self.row}{ident}: {self.reason}"


@dataclass
class ImportReport:
    format: str
    source: str
    dry_run: bool
    rows: int = 0
    pages: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    applied: bool = False
    """True when the changes were written (never for a dry run or a refused import)."""
    generation: int | None = None
    skip_invalid: bool = False
    """The moderator asked to apply the valid rows even if some are rejected."""

    def summary(self) -> str:
        counts = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.rejected)} rejected"
        )
        if self.applied:
            changed = len(self.added) + len(self.updated)
            return f"imported {self.source}: {changed} of {self.rows} rows written ({counts})"
        if self.dry_run:
            return f"dry run, nothing written: {counts}"
        if not self.rejected:
            return f"nothing to import: every row of {self.source} is already stored as given ({counts})"
        rejected = len(self.rejected)
        if self.skip_invalid:
            return f"nothing imported: {rejected} rows rejected, the rest stored already as given ({counts})"
        return f"nothing imported ({rejected} rows rejected; fix them or pass --skip-invalid): {counts}"


@dataclass
class _Row:
    row: int
    type: str
    data: dict[str, Any] | None
    reason: str | None = None
    keys: set[str] | None = None
    """Fields the input sets (the others of an existing record are kept); None = the whole object."""
    derived_id: bool = False
    """The id was made from platform and title: a stored record with the same course_url is this one."""


# ---------------------------------------------------------------------------------------------
# Entry points


def detect_format(data: bytes, filename: str | None = None) -> str:
    """moochub / csv / yaml from the file name's extension, else from the first characters."""
    name = (filename or "").lower()
    if name.endswith(".json"):
        return "moochub"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    head = data[:2000].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "moochub"
    if re.search(rb"^(entries|courses|intents):", head, re.M):
        return "yaml"
    return "csv"


def import_bytes(
    service: KnowledgeService,
    data: bytes,
    fmt: str | None = None,
    *,
    filename: str | None = None,
    platform: str | None = None,
    course_type: str | None = None,
    source_url: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> ImportReport:
    """Import one file's bytes (see the module docstring). Raises ServiceError when the input as a
    whole is unusable (too big, too many rows, not parseable, bad header); rows that fail are
    reported in `ImportReport.rejected`."""
    if len(data) > max_bytes:
        raise ServiceError("import_too_big", size=f"{len(data):,}", limit=f"{max_bytes:,}")
    fmt = fmt or detect_format(data, filename)
    if fmt not in FORMATS:
        raise ServiceError("import_format", reason=f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    source = filename or "input"
    report = ImportReport(fmt, source, dry_run, pages=1)
    if fmt == "moochub":
        page = _json_page(data, source)
        links = page.get("links") if isinstance(page.get("links"), dict) else {}
        page_url = source_url or _http(links.get("self"))
        if not page_url:
            raise ServiceError("import_source", file=source)
        rows = _moochub_rows([(page_url, page)], platform, course_type, max_rows)
    elif fmt == "csv":
        rows = _csv_rows(data, platform, course_type, max_rows)
    else:
        rows = _yaml_rows(data, source, max_rows)
    return _apply(service, rows, report, skip_invalid)


@dataclass
class FetchedList:
    """The pages of a MOOChub endpoint, fetched (no database touched yet): `(page URL, JSON)` each."""

    url: str
    pages: list[tuple[str, dict[str, Any]]]


def fetch_url(
    url: str,
    *,
    policy: FetchPolicy | None = None,
    max_bytes: int = MAX_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_rows: int = MAX_ROWS,
    max_pages: int = MAX_PAGES,
    deadline: float = DEADLINE,
) -> FetchedList:
    """Fetch every page of a MOOChub endpoint, following `links.next`, through the guarded fetcher
    (`bot.moderation.fetch`), all within `deadline` seconds. Touches no database and holds no lock:
    callers fetch first, then apply with `import_fetched`."""
    if not _http(url):
        raise ServiceError("import_url", url=url)
    policy = policy or policy_from_env()
    pages = fetch_pages(
        url,
        policy=policy,
        max_pages=max_pages,
        max_bytes=max_bytes,
        max_total_bytes=max_total_bytes,
        deadline=deadline,
        max_rows=max_rows,
    )
    return FetchedList(url, pages)


def import_fetched(
    service: KnowledgeService,
    fetched: FetchedList,
    *,
    platform: str | None = None,
    course_type: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    max_rows: int = MAX_ROWS,
) -> ImportReport:
    """Validate and apply pages fetched by `fetch_url` (one short transaction)."""
    platform = platform or _platform_from_host(fetched.url)
    report = ImportReport("moochub", fetched.url, dry_run, pages=len(fetched.pages))
    rows = _moochub_rows(fetched.pages, platform, course_type, max_rows)
    return _apply(service, rows, report, skip_invalid)


def import_url(
    service: KnowledgeService,
    url: str,
    *,
    platform: str | None = None,
    course_type: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    policy: FetchPolicy | None = None,
    max_bytes: int = MAX_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    max_rows: int = MAX_ROWS,
    max_pages: int = MAX_PAGES,
    deadline: float = DEADLINE,
) -> ImportReport:
    """Import a MOOChub endpoint: `fetch_url` (network, no lock), then `import_fetched`."""
    if not (platform or _platform_from_host(url)):
        raise ServiceError("import_platform")
    fetched = fetch_url(
        url,
        policy=policy,
        max_bytes=max_bytes,
        max_total_bytes=max_total_bytes,
        max_rows=max_rows,
        max_pages=max_pages,
        deadline=deadline,
    )
    return import_fetched(
        service,
        fetched,
        platform=platform,
        course_type=course_type,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        max_rows=max_rows,
    )


def fetch_pages(
    url: str,
    *,
    policy: FetchPolicy,
    max_pages: int,
    max_bytes: int,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    deadline: float = DEADLINE,
    max_rows: int = MAX_ROWS,
) -> list[tuple[str, dict[str, Any]]]:
    """Every page of a MOOChub endpoint as (page URL, parsed JSON), following `links.next` (a string
    or ``{"href": ...}``); each hop is checked by the guarded fetcher. Errors never echo a body."""
    pages: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    rows = total = 0
    until = time.monotonic() + deadline
    next_url: str | None = url
    while next_url:
        if len(pages) >= max_pages:
            raise ServiceError("import_pages", limit=max_pages, url=url)
        seen.add(next_url)
        try:
            final, body = fetch(next_url, policy, deadline=until, max_bytes=max_bytes, accept=_ACCEPT)
        except FetchError as exc:
            if exc.blocked:
                raise ServiceError("import_blocked", url=_shown(exc.url)) from None
            if exc.too_big:
                raise ServiceError(
                    "import_too_big", size=f"more than {max_bytes:,}", limit=f"{max_bytes:,}"
                ) from None
            raise ServiceError("import_unreachable", url=_shown(exc.url), seconds=f"{deadline:g}") from None
        total += len(body)
        if total > max_total_bytes:
            raise ServiceError(
                "import_too_big", size=f"more than {max_total_bytes:,}", limit=f"{max_total_bytes:,}"
            )
        try:
            page = _json_page(body, next_url)
        except ServiceError:
            raise ServiceError("import_not_a_list", url=_shown(next_url)) from None
        pages.append((next_url, page))
        rows += len(_items(page))
        if rows > max_rows:
            raise ServiceError("import_too_many", rows=f"more than {max_rows:,}", limit=f"{max_rows:,}")
        following = _next_link(page)
        if following is _BAD:
            raise ServiceError("import_not_a_list", url=_shown(next_url))
        next_url = urljoin(final, following) if isinstance(following, str) and following else None
        if next_url in seen:
            next_url = None
    return pages


_ACCEPT = "application/vnd.api+json; moochub-version=3.0, application/json;q=0.8"
_BAD = object()


def _next_link(page: dict[str, Any]) -> Any:
    """`links.next` of a JSON:API page: a URL, ``{"href": URL}``, null/absent (None) or `_BAD`."""
    links = page.get("links")
    if links is None:
        return None
    if not isinstance(links, dict):
        return _BAD
    following = links.get("next")
    if isinstance(following, dict):
        following = following.get("href")
    if following is None or isinstance(following, str):
        return following or None
    return _BAD


def _shown(url: str) -> str:
    """A URL as quoted back in an error: without query and fragment, at most 150 characters."""
    parts = urlsplit(url)
    shown = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else url
    return shown[:150]


# ---------------------------------------------------------------------------------------------
# Applying


def _apply(
    service: KnowledgeService, rows: list[_Row], report: ImportReport, skip_invalid: bool
) -> ImportReport:
    """Check and plan every row and validate the result against the whole knowledge base WITHOUT the
    write lock, then write in one short ``BEGIN IMMEDIATE`` transaction. If someone changed the
    knowledge base in between (its generation moved), the rows are planned and validated again
    inside the transaction, so nothing is ever written unchecked."""
    from bot.engine.store import generation

    report.rows = len(rows)
    report.skip_invalid = skip_invalid
    before = generation(service.db)
    edits = _plan_rows(service, rows, report, skip_invalid)
    if edits is None:
        return report
    if report.dry_run:
        return _report(report, edits, service.apply(edits, dry_run=True))
    service.check(edits)
    with service.transaction():
        if generation(service.db) == before:
            changes = service.apply(edits, checked=True)
        else:
            report.rejected.clear()
            edits = _plan_rows(service, rows, report, skip_invalid)
            if edits is None:
                return report
            changes = service.apply(edits)
    return _report(report, edits, changes)


def _plan_rows(
    service: KnowledgeService, rows: list[_Row], report: ImportReport, skip_invalid: bool
) -> list[Edit] | None:
    """The edits of the valid rows; rejected rows go to `report.rejected`. None when the import is
    refused (a row was rejected and the moderator did not ask to skip invalid rows)."""
    from bot.engine.loader import object_errors

    by_url = _existing_by_url(service)
    valid: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    seen_urls: dict[tuple[str, str], tuple[str, int]] = {}
    for row in rows:
        if row.reason is None and row.data is not None:
            url_key = None
            if row.type == "course" and isinstance(row.data.get("course_url"), str):
                url_key = (str(row.data.get("platform")), normalise_url(row.data["course_url"]))
                known = by_url.get(url_key)
                if row.derived_id:
                    row.data["id"] = known or row.data["id"]
                elif known and known != row.data["id"] and not service.stored("course", str(row.data["id"])):
                    url = row.data["course_url"]
                    row.reason = f'same course page as the stored record "{known}" (course_url {url})'
            problems = object_errors(_KIND[row.type], row.data)
            oid = str(row.data.get("id"))
            if row.reason is not None:
                pass
            elif problems:
                row.reason = "; ".join(problems)
            elif (row.type, oid) in seen:
                row.reason = f'duplicate id "{oid}" (also row {seen[(row.type, oid)]})'
            elif url_key is not None and url_key in seen_urls and seen_urls[url_key][0] != oid:
                other = seen_urls[url_key]
                row.reason = f'same course page as row {other[1]} ("{other[0]}")'
            if row.reason is None and url_key is not None:
                seen_urls.setdefault(url_key, (oid, row.row))
        if row.reason is not None:
            oid = row.data.get("id") if row.data else None
            report.rejected.append(Rejection(row.row, oid if isinstance(oid, str) else None, row.reason))
            continue
        assert row.data is not None
        seen[(row.type, str(row.data["id"]))] = row.row
        valid.append(row)
    if report.rejected and not skip_invalid:
        return None
    edits = [_plan(service, row, report.source) for row in valid]
    _assign_files(service, edits)
    return edits


FILE_RECORDS = 500
"""Most records an import puts in one `catalogue/<platform>/NNN.yaml` (500 MOOChub records with
1,000-character descriptions: 0.89 MB, far below the loader's 2,000,000-byte file cap)."""
_NUMBERED = re.compile(r"^(knowledge/catalogue/[a-z0-9_-]+)/\d{3,}\.yaml$")


def _assign_files(service: KnowledgeService, edits: list[Edit]) -> None:
    """Put the courses an import adds in numbered files `knowledge/catalogue/<platform>/001.yaml`,
    `002.yaml`, … of at most `FILE_RECORDS` records each, filling the last one first; the
    hand-curated `catalogue/<platform>.yaml` is left to people. Updated records stay where they are."""
    counts: dict[str, dict[str, int]] = {}
    for edit in edits:
        if edit.type != "course" or edit.before is not None or edit.after is None:
            continue
        default = edit.file
        match = _NUMBERED.match(default)
        folder = match[1] if match else default.removesuffix(".yaml")
        if folder not in counts:
            rows = service.db.conn.execute(
                "SELECT file, COUNT(*) FROM courses WHERE file LIKE ? GROUP BY file", (folder + "/%",)
            )
            counts[folder] = {f: n for f, n in rows if _NUMBERED.match(f)}
        files = counts[folder]
        last = max(files, key=_file_number) if files else None
        if last is None or files[last] >= FILE_RECORDS:
            number = _file_number(last) + 1 if last else 1
            last = f"{folder}/{number:03d}.yaml"
            files[last] = 0
        files[last] += 1
        edit.file = last


def _file_number(path: str) -> int:
    return int(path.rsplit("/", 1)[1].removesuffix(".yaml"))


def _report(report: ImportReport, edits: list[Edit], changes: list[Any]) -> ImportReport:
    for edit, change in zip(edits, changes, strict=True):
        if not change.changed:
            report.unchanged.append(change.id)
        elif edit.before is None:
            report.added.append(change.id)
        else:
            report.updated.append(change.id)
        if change.generation is not None:
            report.generation = change.generation
    report.applied = not report.dry_run and any(c.changed for c in changes)
    return report


_KIND = {"course": "courses", "entry": "entries", "intent": "intents"}


def _plan(service: KnowledgeService, row: _Row, source: str) -> Edit:
    """The edit for one valid row: create, update (only the fields the row sets) or unchanged."""
    assert row.data is not None
    data = row.data
    current = service.stored(row.type, data["id"])  # type: ignore[arg-type]
    note = f"import from {source}"[:300]
    if current is None:
        edit = service.plan_add(row.type, data, owned=True)  # type: ignore[arg-type]
        edit.action, edit.note, edit.schema_checked = "import", note, True
        return edit
    if row.keys is None:
        after = dict(data)
    else:
        after = {**current.data, **{k: v for k, v in data.items() if k in row.keys}}
    if _comparable(row.type, after) == _comparable(row.type, current.data):
        after = current.data
    edit = Edit(row.type, data["id"], current.data, after, current.file, "import", note)  # type: ignore[arg-type]
    edit.schema_checked = row.keys is None
    return edit


def _comparable(type: str, data: dict[str, Any]) -> dict[str, Any]:
    if type != "course":
        return data
    return {k: v for k, v in data.items() if k not in _IGNORED_ON_COMPARE}


def _existing_by_url(service: KnowledgeService) -> dict[tuple[str, str], str]:
    rows = service.db.conn.execute(
        "SELECT id, platform, json_extract(data, '$.course_url') FROM courses "
        "WHERE json_extract(data, '$.course_url') IS NOT NULL ORDER BY id"
    )
    out: dict[tuple[str, str], str] = {}
    for oid, platform, url in rows:
        out.setdefault((platform, normalise_url(str(url))), oid)
    return out


# ---------------------------------------------------------------------------------------------
# MOOChub


def _json_page(data: bytes, source: str) -> dict[str, Any]:
    try:
        page = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ServiceError("import_format", reason=f"{source}: not valid JSON ({exc})") from exc
    except RecursionError:
        raise ServiceError("import_format", reason=f"{source}: JSON nested too deeply") from None
    if not isinstance(page, dict) or "data" not in page:
        raise ServiceError("import_format", reason=f"{source}: not a MOOChub course list (no data)")
    return page


def _items(page: dict[str, Any]) -> list[Any]:
    data = page.get("data")
    if isinstance(data, dict):
        return [data]
    return data if isinstance(data, list) else []


def _platform_from_host(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    for known, platform in HOST_PLATFORM.items():
        if host == known or host.endswith("." + known):
            return platform
    return None


def _moochub_rows(
    pages: list[tuple[str, dict[str, Any]]], platform: str | None, course_type: str | None, max_rows: int
) -> list[_Row]:
    if not platform:
        platform = _platform_from_host(pages[0][0]) if pages else None
    if not platform:
        raise ServiceError("import_platform")
    total = sum(len(_items(page)) for _, page in pages)
    if total > max_rows:
        raise ServiceError("import_too_many", rows=f"{total:,}", limit=f"{max_rows:,}")
    rows: list[_Row] = []
    n = 0
    for page_number, (page_url, page) in enumerate(pages, start=1):
        for index, item in enumerate(_items(page), start=1):
            n += 1
            where = f"page {page_number} item {index}: " if len(pages) > 1 else ""
            try:
                data = _map_moochub(item, platform, course_type or "MOOC", page_url)
            except ValueError as exc:
                rows.append(_Row(n, "course", None, where + str(exc)))
                continue
            rows.append(_Row(n, "course", data, keys=set(data), derived_id=True))
    return rows


def _map_moochub(item: Any, platform: str, course_type: str, page_url: str) -> dict[str, Any]:
    if not isinstance(item, dict) or not isinstance(item.get("attributes"), dict):
        raise ValueError("not a MOOChub course (no attributes)")
    if item.get("type") not in (None, "Course", "courses"):
        raise ValueError(f"type {item.get('type')!r} is not Course")
    a = item["attributes"]
    name = _text(a.get("name"))
    if not name:
        raise ValueError("missing name")
    url = a.get("url")
    if not _http(url):
        raise ValueError(f"missing or non-http url {str(url)[:80]!r}" if url else "missing url")
    workload, hours = _workload(a.get("workload"), a.get("duration"))
    level, eqf = _level(a.get("educationalLevel"))
    credits = a.get("numberOfCredits")
    if _number(credits) is None and credits is not None and isinstance(credits, int | float):
        raise ValueError(f"numberOfCredits: {credits!r} is not a usable number")
    ects = _number(credits)
    notes: list[str] = []
    awards = [str(x) for x in a.get("educationalCredentialsAwarded") or [] if isinstance(x, str)]
    if awards:
        notes.append("Awards: " + ", ".join(awards))
    code = _text(a.get("courseCode"))
    languages = _languages(a.get("inLanguage"))
    year, dated = _record_date(a)
    return {
        "id": moochub_id(platform, code, name, url),
        "title": name,
        "platform": platform,
        "institution": _institution(a.get("publisher"), a.get("creator")),
        "type": course_type,
        "languages": languages,
        "languages_inferred": False,
        "subjects": _subjects(a.get("keywords"), a.get("teaches")),
        "workload": workload,
        "hours": hours,
        "credits": f"{ects:g} ECTS" if ects else None,
        "ects": ects,
        "level": level,
        "eqf_level": eqf,
        "price": _price(a.get("offer"), a.get("access")),
        "course_url": url,
        "source_urls": [page_url],
        "source_date": f"MOOChub API record, {dated}" if dated else "MOOChub API record, undated",
        "listed_year": year,
        "page_seen": "MOOChub API record",
        "description": _excerpt(a.get("description")),
        "notes": "; ".join(notes) or None,
    }


_DATE_FIELDS = ("dateModified", "dateCreated", "startDate")
"""The record's own dates, in the order that dates the data best (MOOChub v3 schema)."""
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _record_date(attributes: dict[str, Any]) -> tuple[int | None, str | None]:
    """(year, "dateModified 2014-03-01") from the record's own dates, never the import date. A
    `startDate` may be a list (repeated runs): its latest date counts. (None, None) when undated."""
    for name in _DATE_FIELDS:
        values = attributes.get(name)
        values = values if isinstance(values, list) else [values]
        dates = sorted(m[0] for v in values if isinstance(v, str) and (m := _ISO_DATE.match(v.strip())))
        dates = [d for d in dates if 1990 <= int(d[:4]) <= 2100]
        if dates:
            return int(dates[-1][:4]), f"{name} {dates[-1]}"
    return None, None


def moochub_id(platform: str, code: str | None, name: str, url: str) -> str:
    """A course id that never collides: partner prefix, a readable slug (of the course code, else the
    title) and 8 hex digits of a SHA-256 of the full course code (else the normalised URL)."""
    prefix = PLATFORM_PREFIX.get(_partner(platform), "mooc")
    stem = slug(code or name)[:50].strip("-") or "course"
    digest = hashlib.sha256((code or normalise_url(url)).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{stem}-{digest}"


_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|_hsenc|_hsmi|ref|source)$", re.I)
_DEFAULT_PORT = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """The form two URLs of the same page share: scheme and host lower-case, http = https, no
    ``www.``, no default port, no trailing slash, no fragment, no tracking parameters, the other
    parameters sorted. Used to match duplicates only; records keep the URL as given."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port and port != _DEFAULT_PORT.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = sorted((k, v) for k, v in pairs if not _TRACKING.match(k))
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, urlencode(query), ""))


def _number(value: Any) -> float | None:
    """A finite number of sane size as float, else None (NaN, Infinity, 1e999, bools, text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) and abs(number) <= 1e9 else None


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _http(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.hostname else None


def _label(names: Any) -> str | None:
    """The English (else first) name of a MOOChub multilingual label list, or a plain string."""
    if isinstance(names, str):
        return _text(names)
    if isinstance(names, list):
        found = [n for n in names if isinstance(n, dict) and _text(n.get("name"))]
        for n in found:
            if str(n.get("inLanguage", "")).lower().startswith("en"):
                return _text(n["name"])
        return _text(found[0]["name"]) if found else None
    return None


def _institution(publisher: Any, creators: Any) -> str | None:
    if isinstance(publisher, dict) and _text(publisher.get("name")):
        return _text(publisher["name"])
    names = [_text(c.get("name")) for c in creators or [] if isinstance(c, dict)]
    return "; ".join(n for n in names if n) or None


def _languages(values: Any) -> list[str]:
    out: list[str] = []
    for value in values or []:
        if isinstance(value, str):
            code = value.strip().split("-")[0].split("_")[0].lower()
            if re.fullmatch(r"[a-z]{2,3}", code) and code not in out:
                out.append(code)
    return out


def _subjects(keywords: Any, teaches: Any) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    candidates = [k for k in keywords or [] if isinstance(k, str)]
    candidates += [_label(t.get("name")) or "" for t in teaches or [] if isinstance(t, dict)]
    for value in candidates:
        text = _text(value)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out[:15]


_DURATION = re.compile(r"^P(\d+)([WDM])$")
_UNIT_OF = {"h/week": "W", "h/day": "D", "h/month": "M"}
_UNIT_WORD = {"W": "weeks", "D": "days", "M": "months"}


def _workload(workload: Any, duration: Any) -> tuple[str | None, float | None]:
    if not isinstance(workload, dict):
        return None, None
    value, unit = _number(workload.get("timeValue")), workload.get("timeUnit")
    if value is None or unit not in _UNIT_OF:
        return None, None
    text = f"{value:g} {unit}"
    match = _DURATION.match(duration) if isinstance(duration, str) else None
    if match and match[2] == _UNIT_OF[unit]:
        total = float(value) * int(match[1])
        return f"{text} for {int(match[1])} {_UNIT_WORD[match[2]]} ({duration})", total if total > 0 else None
    return text, None


def _level(levels: Any) -> tuple[str | None, int | None]:
    texts: list[str] = []
    eqf: int | None = None
    for level in levels or []:
        if not isinstance(level, dict):
            continue
        framework = _text(level.get("educationalFramework")) or ""
        code = _text(str(level.get("shortCode") or "")) or ""
        name = _label(level.get("name")) or ""
        texts.append(" ".join(p for p in (framework, code, f"({name})" if name else "") if p))
        if framework.upper() == "EQF" and code.isdigit() and 1 <= int(code) <= 8:
            eqf = int(code)
    return ("; ".join(t for t in texts if t) or None), eqf


def _price(offers: Any, access: Any) -> str | None:
    parts = []
    for offer in offers or []:
        if isinstance(offer, dict) and _number(offer.get("price")) is not None:
            what = f" ({offer['category']})" if isinstance(offer.get("category"), str) else ""
            parts.append(f"{offer['price']:g} {offer.get('priceCurrency') or ''}".strip() + what)
    if parts:
        return "; ".join(parts)
    if isinstance(access, list) and "free" in access:
        return "free"
    return None


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("p", "br", "li", "div"):
            self.parts.append(" ")


def _excerpt(html: Any) -> str | None:
    """The description as plain text, cut after `DESCRIPTION_CHARS` characters at a word end."""
    if not isinstance(html, str) or not html.strip():
        return None
    stripper = _Stripper()
    stripper.feed(html)
    stripper.close()
    text = " ".join("".join(stripper.parts).split())
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    return text or None


# ---------------------------------------------------------------------------------------------
# CSV


def _csv_rows(data: bytes, platform: str | None, course_type: str | None, max_rows: int) -> list[_Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ServiceError("import_format", reason=f"the CSV is not UTF-8 (byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ServiceError("import_format", reason="the CSV is empty") from None
    except csv.Error as exc:
        raise ServiceError("import_format", reason=f"line 1: {exc}") from exc
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown or len(set(header)) != len(header):
        problem = f"unknown column(s) {', '.join(unknown)}" if unknown else "a column appears twice"
        raise ServiceError(
            "import_format", reason=f"line 1: {problem}; the header is {','.join(CSV_COLUMNS)}"
        )
    missing = [c for c in ("title", "source_urls") if c not in header]
    if "platform" not in header and not platform:
        missing.append("platform (or --platform)")
    if missing:
        raise ServiceError("import_format", reason=f"line 1: missing column(s) {', '.join(missing)}")
    rows: list[_Row] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= max_rows:
                raise ServiceError("import_too_many", rows=f"more than {max_rows:,}", limit=f"{max_rows:,}")
            if len(cells) != len(header):
                rows.append(_Row(line, "course", None, f"{len(cells)} cells, the header has {len(header)}"))
                continue
            rows.append(_csv_row(line, dict(zip(header, cells, strict=True)), platform, course_type))
    except csv.Error as exc:
        raise ServiceError("import_format", reason=f"line {reader.line_num}: {exc}") from exc
    return rows


def _csv_row(line: int, cells: dict[str, str], platform: str | None, course_type: str | None) -> _Row:
    data: dict[str, Any] = {}
    problems: list[str] = []
    for column, raw in cells.items():
        value = raw.strip()
        if column in CSV_LISTS:
            data[column] = [v.strip() for v in value.split(";") if v.strip()]
        elif not value:
            data[column] = None
        elif column in CSV_NUMBERS:
            try:
                data[column] = float(value.replace(",", "."))
            except ValueError:
                problems.append(f"{column}: not a number {value!r}")
        elif column in CSV_INTEGERS:
            if re.fullmatch(r"\d+", value):
                data[column] = int(value)
            else:
                problems.append(f"{column}: not a whole number {value!r}")
        else:
            data[column] = value
    if not data.get("platform"):
        data["platform"] = platform
    if not data.get("type"):
        data["type"] = course_type or "MOOC"
    if "languages" in data:
        data["languages"] = [v.lower() for v in data["languages"]]
    if problems:
        return _Row(line, "course", None, "; ".join(problems))
    keys = set(data)
    derived = not data.get("id")
    if derived:
        title, plat = data.get("title") or "", str(data.get("platform") or "")
        prefix = PLATFORM_PREFIX.get(_partner(plat), "course")
        data["id"] = f"{prefix}-{slug(title)[:60].strip('-')}" if slug(title) else None
        keys.add("id")
    if data.get("id") is None:
        return _Row(line, "course", None, "title: missing")
    return _Row(line, "course", data, keys=keys, derived_id=derived)


# ---------------------------------------------------------------------------------------------
# YAML (the knowledge format)


def _yaml_rows(data: bytes, source: str, max_rows: int) -> list[_Row]:
    from bot.engine.loader import parse_text

    kind, body, lines, errors = parse_text(source, data)
    if errors:
        raise ServiceError("import_format", reason="; ".join(str(e) for e in errors[:5]))
    types = {"entries": "entry", "courses": "course", "intents": "intent"}
    if kind not in types or not isinstance(body, list):
        raise ServiceError(
            "import_format", reason=f"{source}: expected entries:, courses: or intents: with a list"
        )
    if len(body) > max_rows:
        raise ServiceError("import_too_many", rows=f"{len(body):,}", limit=f"{max_rows:,}")
    rows = []
    for index, obj in enumerate(body):
        row = index + 1
        line = lines.get((kind, index), 0)
        if not isinstance(obj, dict):
            rows.append(_Row(row, types[kind], None, f"line {line}: not a mapping"))
        else:
            rows.append(_Row(row, types[kind], obj))
    return rows
