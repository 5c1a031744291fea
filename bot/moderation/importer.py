"""Import course lists (MOOChub JSON:API, CSV) and knowledge YAML into the knowledge base.

An import is all or nothing:
1. the whole input is read within the caps (`MAX_BYTES`, `MAX_ROWS`, and for a URL `MAX_PAGES`
   pages, `MAX_TOTAL_BYTES` and one overall `DEADLINE`) and parsed safely (json, csv, the loader's
   safe YAML). A URL is fetched by `bot.moderation.fetch` (https to public addresses only, every
   hop checked) BEFORE any database access: `fetch_url` then `import_fetched`;
2. every row is mapped to a catalogue record and compared with the stored one (added / updated /
   unchanged); a changed record is checked against the catalogue schema and, a batch at a time,
   the loader's rules linking it to the rest (`KnowledgeService.check`); a row that fails is
   *rejected* with its row number and the reason;
3. if any row was rejected, nothing is written (unless `skip_invalid=True`, the moderator's explicit
   choice to apply the valid rows); otherwise the changes are applied in ONE transaction. A dry run
   reports the same without writing.

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

MOOChub v3 records are mapped by `bot.moderation.feeds` (the mapping is described there).

Scale: pages are kept compressed and mapped one at a time (`feeds.Pages`), every row is checked as it
is read, only a changed record is checked, and only what the write needs is kept (the changed records,
packed `BATCH` at a time); then everything is written in one transaction (`plan_rows`, `write_plan`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from bot.engine.model import IMPORT_FORMATS
from bot.moderation.feeds import (
    ACCEPT,
    BAD_LINK,
    PLATFORM_PREFIX,
    Pages,
    Row,
    comparable,
    http_url,
    moochub_rows,
    next_link,
    normalise_url,
    page_items,
    parse_page,
    partner,
    platform_from_host,
)
from bot.moderation.fetch import FetchError, FetchPolicy, fetch, policy_from_env
from bot.moderation.service import Edit, ServiceError, slug

if TYPE_CHECKING:
    from bot.moderation.service import KnowledgeService, ObjectType

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
        page = parse_page(data, source)
        links = page["links"] if isinstance(page.get("links"), dict) else {}
        page_url = source_url or http_url(links.get("self"))
        if not page_url:
            raise ServiceError("import_source", file=source)
        pages = [(page_url, page)]
        return _apply(
            service,
            lambda: moochub_rows(pages, platform, course_type, max_rows, several=False),
            report,
            skip_invalid,
        )
    rows = (
        _csv_rows(data, platform, course_type, max_rows)
        if fmt == "csv"
        else _yaml_rows(data, source, max_rows)
    )
    return _apply(service, lambda: rows, report, skip_invalid)


@dataclass
class FetchedList:
    """The pages of a MOOChub endpoint, fetched (no database touched yet): `(page URL, JSON)` each, kept
    compressed (`feeds.Pages`; any re-iterable of pairs does)."""

    url: str
    pages: Pages | list[tuple[str, dict[str, Any]]]


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
    if not http_url(url):
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
    platform = platform or platform_from_host(fetched.url)
    report = ImportReport("moochub", fetched.url, dry_run, pages=len(fetched.pages))
    pages, several = fetched.pages, len(fetched.pages) > 1
    return _apply(
        service,
        lambda: moochub_rows(pages, platform, course_type, max_rows, several=several),
        report,
        skip_invalid,
    )


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
    if not (platform or platform_from_host(url)):
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
) -> Pages:
    """Every page of a MOOChub endpoint as (page URL, parsed JSON), kept compressed, following
    `links.next` (a string or ``{"href": ...}``); each hop is checked by the guarded fetcher. Errors
    never echo a body."""
    pages = Pages()
    seen: set[str] = set()
    rows = total = 0
    until = time.monotonic() + deadline
    next_url: str | None = url
    while next_url:
        if len(pages) >= max_pages:
            raise ServiceError("import_pages", limit=max_pages, url=url)
        seen.add(next_url)
        try:
            final, body = fetch(next_url, policy, deadline=until, max_bytes=max_bytes, accept=ACCEPT)
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
            page = parse_page(body, next_url)
        except ServiceError:
            raise ServiceError("import_not_a_list", url=_shown(next_url)) from None
        pages.add(next_url, body, len(page_items(page)))
        rows = pages.records
        if rows > max_rows:
            raise ServiceError("import_too_many", rows=f"more than {max_rows:,}", limit=f"{max_rows:,}")
        following = next_link(page)
        if following is BAD_LINK:
            raise ServiceError("import_not_a_list", url=_shown(next_url))
        next_url = urljoin(final, following) if isinstance(following, str) and following else None
        if next_url in seen:
            next_url = None
    return pages


def _shown(url: str) -> str:
    """A URL as quoted back in an error: without query and fragment, at most 150 characters."""
    parts = urlsplit(url)
    shown = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else url
    return shown[:150]


# ---------------------------------------------------------------------------------------------
# Applying

BATCH = 1_000
"""Changed records checked, packed and written per step: memory stays flat however long the list."""


def _apply(
    service: KnowledgeService, rows_of: Callable[[], Iterable[Row]], report: ImportReport, skip_invalid: bool
) -> ImportReport:
    """Plan and check every row WITHOUT the write lock (`plan_rows`), then write in one short
    ``BEGIN IMMEDIATE`` transaction (`write_plan`). If someone changed the knowledge base in between
    (its generation moved), the rows are read, planned and checked again inside the transaction, so
    nothing is ever written unchecked. `rows_of` gives the rows afresh on each call."""
    from bot.engine.store import generation

    report.skip_invalid = skip_invalid
    before = generation(service.db)
    plan = plan_rows(service, rows_of(), report, skip_invalid)
    if plan is None or report.dry_run:
        return _report(report, plan, None)
    with service.transaction():
        if generation(service.db) != before:
            report.rejected.clear()
            plan = plan_rows(service, rows_of(), report, skip_invalid)
            if plan is None:
                return report
        written = write_plan(service, plan)
    return _report(report, plan, written)


class Plan:
    """What an import (or a sync) will write, planned and checked before the write lock is taken: the
    changed objects packed a `BATCH` at a time (zlib-compressed JSON, ~10 MB for 100,000 records), and
    the ids of every outcome."""

    def __init__(self, service: KnowledgeService) -> None:
        self.service = service
        self.added: list[str] = []
        self.updated: list[str] = []
        self.unchanged: list[str] = []
        self.withdrawn: list[str] = []
        """Courses a sync marks withdrawn (written as updates, counted apart)."""
        self._packed: list[bytes] = []
        self._courses: list[Edit] = []
        self._others: list[Edit] = []
        """Entries and intents: checked all together (their rules link them to each other)."""

    def add(self, edit: Edit) -> None:
        """A changed object (checked when its batch is full, or by `close`)."""
        (self.added if edit.before is None else self.updated).append(edit.id)
        if edit.type != "course":
            self._others.append(edit)
            return
        self._courses.append(edit)
        if len(self._courses) >= BATCH:
            self._pack(self._courses)
            self._courses = []

    def close(self) -> None:
        """Check and pack what is left; ServiceError/InvalidError if the knowledge base refuses it."""
        self._pack(self._courses)
        self._pack(self._others)
        self._courses, self._others = [], []

    def _pack(self, edits: list[Edit]) -> None:
        if not edits:
            return
        self.service.check(edits)
        rows = [(e.type, e.id, e.before, e.after, e.file, e.action, e.note, e.schema_checked) for e in edits]
        self._packed.append(zlib.compress(json.dumps(rows, ensure_ascii=False).encode(), 1))

    def batches(self) -> Iterator[list[Edit]]:
        """The planned edits again, a batch at a time (after `close`)."""
        for packed in self._packed:
            yield [
                Edit(kind, oid, before, after, file, action, note, schema_checked=checked)
                for kind, oid, before, after, file, action, note, checked in json.loads(
                    zlib.decompress(packed)
                )
            ]

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated)


def plan_rows(
    service: KnowledgeService,
    rows: Iterable[Row],
    report: ImportReport,
    skip_invalid: bool,
    *,
    relist: bool = False,
    close: bool = True,
) -> Plan | None:
    """Check and plan the rows one at a time (nothing is written). A rejected row goes to
    `report.rejected` (with its number and reason); a row whose record is stored as given is
    unchanged (and not checked again); a changed one is checked (its schema here, the knowledge
    base's rules by `service.check`, a batch at a time) and kept in the returned `Plan`. None when
    the import is refused: a row was rejected and the moderator did not ask to skip invalid rows.
    `relist`: a record marked withdrawn loses the mark (a sync lists it again). `close=False` leaves
    the plan open for more edits (the caller then calls `Plan.close`)."""
    by_url = _existing_by_url(service)
    plan = Plan(service)
    seen: dict[tuple[str, str], int] = {}
    seen_urls: dict[tuple[str, str], tuple[str, int]] = {}
    files = _Files(service)
    note = f"import from {report.source}"[:300]
    report.rows = 0
    for row in rows:
        report.rows += 1
        edit = _check_row(service, files, row, by_url, seen, seen_urls, note, relist)
        if edit is None:
            assert row.reason is not None
            oid = row.data.get("id") if row.data else None
            report.rejected.append(Rejection(row.row, oid if isinstance(oid, str) else None, row.reason))
            continue
        seen[(row.type, edit.id)] = row.row
        if report.rejected and not skip_invalid:
            continue  # refused already: only the other rejections are still looked for
        if edit.before == edit.after:
            plan.unchanged.append(edit.id)
            continue
        files.assign(edit)
        plan.add(edit)
    if report.rejected and not skip_invalid:
        return None
    if close:
        plan.close()
    return plan


def _check_row(
    service: KnowledgeService,
    files: _Files,
    row: Row,
    by_url: dict[tuple[str, str], str],
    seen: dict[tuple[str, str], int],
    seen_urls: dict[tuple[str, str], tuple[str, int]],
    note: str,
    relist: bool,
) -> Edit | None:
    """The edit of one row, or None with `row.reason` set when the row is rejected."""
    from bot.engine.loader import object_errors

    data = row.data
    if row.reason is not None or data is None:
        row.reason = row.reason or "no data"
        return None
    url_key = None
    if row.type == "course" and isinstance(data.get("course_url"), str):
        url_key = (str(data.get("platform")), normalise_url(data["course_url"]))
        known = by_url.get(url_key)
        if row.derived_id:
            data["id"] = known or data["id"]
        elif known and known != data["id"] and not service.stored("course", str(data["id"])):
            row.reason = f'same course page as the stored record "{known}" (course_url {data["course_url"]})'
            return None
    oid = data.get("id")
    if not isinstance(oid, str) or not oid:
        row.reason = "; ".join(object_errors(_KIND[row.type], data)) or "id: missing"
        return None
    edit = _plan(service, files, row, note, relist)
    if edit.before != edit.after:  # only a changed record is checked again
        problems = object_errors(_KIND[row.type], data)
        if problems:
            row.reason = "; ".join(problems)
            return None
    if (row.type, oid) in seen:
        row.reason = f'duplicate id "{oid}" (also row {seen[(row.type, oid)]})'
    elif url_key is not None and url_key in seen_urls and seen_urls[url_key][0] != oid:
        other = seen_urls[url_key]
        row.reason = f'same course page as row {other[1]} ("{other[0]}")'
    if row.reason is not None:
        return None
    if url_key is not None:
        seen_urls.setdefault(url_key, (oid, row.row))
    return edit


def write_plan(service: KnowledgeService, plan: Plan) -> int | None:
    """Write a checked `Plan` inside the caller's `service.transaction()`, a batch at a time; the new
    generation, None when nothing had to be written."""
    return service.apply_batches(plan.batches(), checked=True)


FILE_RECORDS = 500
"""Most records an import puts in one `catalogue/<platform>/NNN.yaml` (500 MOOChub records with
1,000-character descriptions: 0.89 MB, far below the loader's 2,000,000-byte file cap)."""
_NUMBERED = re.compile(r"^(knowledge/catalogue/[a-z0-9_-]+)/\d{3,}\.yaml$")


class _Files:
    """Puts the courses an import adds in numbered files `knowledge/catalogue/<platform>/001.yaml`,
    `002.yaml`, … of at most `FILE_RECORDS` records each, filling the last one first; the
    hand-curated `catalogue/<platform>.yaml` is left to people. Updated records stay where they are."""

    def __init__(self, service: KnowledgeService) -> None:
        self.service = service
        self.last: dict[str, tuple[str, int] | None] = {}
        """Per folder: its last numbered file and how many records it holds."""
        self.defaults: dict[tuple[str, str], str] = {}

    def default(self, type: ObjectType, data: dict[str, Any]) -> str:
        """The service's default file for a new object (asked once per type and platform)."""
        key = (type, str(data.get("platform")) if type == "course" else "")
        if key not in self.defaults:
            self.defaults[key] = self.service.default_file(type, data)
        return self.defaults[key]

    def assign(self, edit: Edit) -> None:
        if edit.type != "course" or edit.before is not None or edit.after is None:
            return
        match = _NUMBERED.match(edit.file)
        folder = match[1] if match else edit.file.removesuffix(".yaml")
        if folder not in self.last:
            rows = self.service.db.conn.execute(
                "SELECT file, COUNT(*) FROM courses WHERE file LIKE ? GROUP BY file", (folder + "/%",)
            )
            files = {f: n for f, n in rows if _NUMBERED.match(f)}
            last = max(files, key=_file_number) if files else None
            self.last[folder] = (last, files[last]) if last else None
        current = self.last[folder]
        if current is None or current[1] >= FILE_RECORDS:
            number = _file_number(current[0]) + 1 if current else 1
            current = (f"{folder}/{number:03d}.yaml", 0)
        self.last[folder] = (current[0], current[1] + 1)
        edit.file = current[0]


def _file_number(path: str) -> int:
    return int(path.rsplit("/", 1)[1].removesuffix(".yaml"))


def _report(report: ImportReport, plan: Plan | None, generation: int | None) -> ImportReport:
    if plan is not None:
        report.added, report.updated, report.unchanged = plan.added, plan.updated, plan.unchanged
    report.applied = not report.dry_run and generation is not None
    report.generation = generation
    return report


_KIND = {"course": "courses", "entry": "entries", "intent": "intents"}


def _plan(service: KnowledgeService, files: _Files, row: Row, note: str, relist: bool = False) -> Edit:
    """The edit for one row: create, update (only the fields the row sets) or unchanged (after = before)."""
    assert row.data is not None
    data = row.data
    current = service.stored(row.type, data["id"])  # type: ignore[arg-type]
    if current is None:
        file = files.default(row.type, data)  # type: ignore[arg-type]
        return Edit(row.type, data["id"], None, data, file, "import", note, schema_checked=True)  # type: ignore[arg-type]
    if row.keys is None:
        after = dict(data)
    else:
        after = {**current.data, **{k: v for k, v in data.items() if k in row.keys}}
    if relist and after.get("withdrawn"):
        after["withdrawn"] = None
    if comparable(row.type, after) == comparable(row.type, current.data):
        after = current.data
    edit = Edit(row.type, data["id"], current.data, after, current.file, "import", note)  # type: ignore[arg-type]
    edit.schema_checked = row.keys is None
    return edit


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
# CSV


def _csv_rows(data: bytes, platform: str | None, course_type: str | None, max_rows: int) -> list[Row]:
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
    rows: list[Row] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= max_rows:
                raise ServiceError("import_too_many", rows=f"more than {max_rows:,}", limit=f"{max_rows:,}")
            if len(cells) != len(header):
                rows.append(Row(line, "course", None, f"{len(cells)} cells, the header has {len(header)}"))
                continue
            rows.append(_csv_row(line, dict(zip(header, cells, strict=True)), platform, course_type))
    except csv.Error as exc:
        raise ServiceError("import_format", reason=f"line {reader.line_num}: {exc}") from exc
    return rows


def _csv_row(line: int, cells: dict[str, str], platform: str | None, course_type: str | None) -> Row:
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
        return Row(line, "course", None, "; ".join(problems))
    keys = set(data)
    derived = not data.get("id")
    if derived:
        title, plat = data.get("title") or "", str(data.get("platform") or "")
        prefix = PLATFORM_PREFIX.get(partner(plat), "course")
        data["id"] = f"{prefix}-{slug(title)[:60].strip('-')}" if slug(title) else None
        keys.add("id")
    if data.get("id") is None:
        return Row(line, "course", None, "title: missing")
    return Row(line, "course", data, keys=keys, derived_id=derived)


# ---------------------------------------------------------------------------------------------
# YAML (the knowledge format)


def _yaml_rows(data: bytes, source: str, max_rows: int) -> list[Row]:
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
            rows.append(Row(row, types[kind], None, f"line {line}: not a mapping"))
        else:
            rows.append(Row(row, types[kind], obj))
    return rows
