"""Partner course feeds → catalogue rows: reading MOOChub v3 pages and mapping their records.

One job: turn what a partner publishes into catalogue records (`Row`), the same way for `kb import`
(`bot.moderation.importer`) and `kb sync` (`bot.moderation.sync`, which also maps Richie with the
field cleaners here). Nothing here touches the database.

Fetched pages are kept compressed (`Pages`) and read again one at a time, so a 100,000-record feed is
never held as parsed JSON all at once.

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
iMooX), type MOOC unless `course_type=` says otherwise. Providers do not all follow the schema to the
letter, so rows are checked for what the bot uses (a name and an http(s) url), not against the full
MOOChub schema.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.moderation.service import ServiceError, slug

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
IGNORED_ON_COMPARE = ("source_date", "listed_year")
"""A record that differs only in these is `unchanged` (re-importing the same list changes nothing)."""
DESCRIPTION_CHARS = 1000
"""Longest description kept (plain text, cut at a word end)."""


@lru_cache(maxsize=64)
def partner(platform: str) -> str:
    """The partner a platform name starts with ("FUN MOOC" -> "FUN"), "" if none."""
    from bot.engine.loader import platforms

    return next((p for p in platforms() if re.match(re.escape(p) + r"\b", platform)), "")


@dataclass
class Row:
    row: int
    type: str
    data: dict[str, Any] | None
    reason: str | None = None
    keys: Collection[str] | None = None
    """Fields the input sets (the others of an existing record are kept); None = the whole object."""
    derived_id: bool = False
    """The id was made from platform and title: a stored record with the same course_url is this one."""


class Pages:
    """Fetched JSON pages, kept zlib-compressed until read: iterating gives (page URL, parsed page) again
    each time, one page in memory at a time (a 100,000-record feed holds ~10 MB, not ~1 GB of objects)."""

    def __init__(self, pages: Iterable[tuple[str, dict[str, Any]]] = ()) -> None:
        self._kept: list[tuple[str, bytes]] = []
        self.records = 0
        """Records (`data` items, or Richie `objects`) over all pages, counted as they were added."""
        for url, page in pages:
            self.add(url, json.dumps(page).encode(), len(page_items(page)))

    def add(self, url: str, body: bytes, records: int = 0) -> None:
        """Keep one page's body (valid JSON, already parsed once by the caller)."""
        self._kept.append((url, zlib.compress(body, 1)))
        self.records += records

    def __len__(self) -> int:
        return len(self._kept)

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for url, packed in self._kept:
            yield url, json.loads(zlib.decompress(packed))


ACCEPT = "application/vnd.api+json; moochub-version=3.0, application/json;q=0.8"
BAD_LINK = object()


def next_link(page: dict[str, Any]) -> Any:
    """`links.next` of a JSON:API page: a URL, ``{"href": URL}``, null/absent (None) or `BAD_LINK`."""
    links = page.get("links")
    if links is None:
        return None
    if not isinstance(links, dict):
        return BAD_LINK
    following = links.get("next")
    if isinstance(following, dict):
        following = following.get("href")
    if following is None or isinstance(following, str):
        return following or None
    return BAD_LINK


def comparable(type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A record as compared with the stored one: a course without `IGNORED_ON_COMPARE`."""
    if type != "course":
        return data
    return {k: v for k, v in data.items() if k not in IGNORED_ON_COMPARE}


# ---------------------------------------------------------------------------------------------
# MOOChub


def parse_page(data: bytes, source: str) -> dict[str, Any]:
    """A MOOChub JSON:API page (an object with `data`), else ServiceError("import_format")."""
    try:
        page = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ServiceError("import_format", reason=f"{source}: not valid JSON ({exc})") from exc
    except RecursionError:
        raise ServiceError("import_format", reason=f"{source}: JSON nested too deeply") from None
    if not isinstance(page, dict) or "data" not in page:
        raise ServiceError("import_format", reason=f"{source}: not a MOOChub course list (no data)")
    return page


def page_items(page: dict[str, Any]) -> list[Any]:
    """The records of a page (`data`: a list, or one object)."""
    data = page.get("data")
    if isinstance(data, dict):
        return [data]
    return data if isinstance(data, list) else []


def platform_from_host(url: str) -> str | None:
    """The platform an endpoint's host names (`HOST_PLATFORM`), None if none."""
    host = (urlsplit(url).hostname or "").lower()
    for known, platform in HOST_PLATFORM.items():
        if host == known or host.endswith("." + known):
            return platform
    return None


def moochub_rows(
    pages: Iterable[tuple[str, dict[str, Any]]],
    platform: str | None,
    course_type: str | None,
    max_rows: int,
    *,
    several: bool = True,
) -> Iterator[Row]:
    """The catalogue rows of MOOChub pages, one at a time (a record that cannot be mapped is a rejected
    row: "page 2 item 7: missing url"; `several=False` leaves out the page and item). ServiceError
    when no platform is known or there are more than `max_rows` records."""
    if not platform:
        first = next(iter(pages), None)
        platform = platform_from_host(first[0]) if first else None
    if not platform:
        raise ServiceError("import_platform")
    return _moochub_rows(pages, platform, course_type or "MOOC", max_rows, several)


def _moochub_rows(
    pages: Iterable[tuple[str, dict[str, Any]]], platform: str, course_type: str, max_rows: int, several: bool
) -> Iterator[Row]:
    n = 0
    for page_number, (page_url, page) in enumerate(pages, start=1):
        for index, item in enumerate(page_items(page), start=1):
            n += 1
            if n > max_rows:
                raise ServiceError("import_too_many", rows=f"more than {max_rows:,}", limit=f"{max_rows:,}")
            where = f"page {page_number} item {index}: " if several else ""
            try:
                data = map_moochub(item, platform, course_type, page_url)
            except ValueError as exc:
                yield Row(n, "course", None, where + str(exc))
                continue
            yield Row(n, "course", data, keys=mapped_keys(data), derived_id=True)


def map_moochub(item: Any, platform: str, course_type: str, page_url: str) -> dict[str, Any]:
    """One MOOChub v3 resource as a catalogue record (see the module docstring); ValueError if unusable."""
    if not isinstance(item, dict) or not isinstance(item.get("attributes"), dict):
        raise ValueError("not a MOOChub course (no attributes)")
    if item.get("type") not in (None, "Course", "courses"):
        raise ValueError(f"type {item.get('type')!r} is not Course")
    a = item["attributes"]
    name = text_of(a.get("name"))
    if not name:
        raise ValueError("missing name")
    url = a.get("url")
    if not http_url(url):
        raise ValueError(f"missing or non-http url {str(url)[:80]!r}" if url else "missing url")
    workload, hours = _workload(a.get("workload"), a.get("duration"))
    level, eqf = _level(a.get("educationalLevel"))
    credits = a.get("numberOfCredits")
    if number_of(credits) is None and credits is not None and isinstance(credits, int | float):
        raise ValueError(f"numberOfCredits: {credits!r} is not a usable number")
    ects = number_of(credits)
    notes: list[str] = []
    awards = [str(x) for x in a.get("educationalCredentialsAwarded") or [] if isinstance(x, str)]
    if awards:
        notes.append("Awards: " + ", ".join(awards))
    code = text_of(a.get("courseCode"))
    languages = languages_of(a.get("inLanguage"))
    year, dated = record_date(a)
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
        "description": excerpt(a.get("description")),
        "notes": "; ".join(notes) or None,
    }


MAPPED_KEYS = frozenset((
    "id", "title", "platform", "institution", "type", "languages", "languages_inferred", "subjects",
    "workload", "hours", "credits", "ects", "level", "eqf_level", "price", "course_url", "source_urls",
    "source_date", "listed_year", "page_seen", "description", "notes",
))  # fmt: skip
"""The fields a mapped feed record sets (`map_moochub`, `sync.map_richie`); a stored record keeps others."""


def mapped_keys(data: dict[str, Any]) -> Collection[str]:
    """The fields a mapped record sets: the shared `MAPPED_KEYS` (one set for 100,000 rows), else its own."""
    return MAPPED_KEYS if data.keys() == MAPPED_KEYS else set(data)


_DATE_FIELDS = ("dateModified", "dateCreated", "startDate")
"""The record's own dates, in the order that dates the data best (MOOChub v3 schema)."""
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def record_date(attributes: dict[str, Any]) -> tuple[int | None, str | None]:
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
    prefix = PLATFORM_PREFIX.get(partner(platform), "mooc")
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


def number_of(value: Any) -> float | None:
    """A finite number of sane size as float, else None (NaN, Infinity, 1e999, bools, text)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) and abs(number) <= 1e9 else None


def text_of(value: Any) -> str | None:
    """A non-empty string with its white space collapsed, else None."""
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def http_url(value: Any) -> str | None:
    """`value` (trimmed) if it is an http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.hostname else None


def _label(names: Any) -> str | None:
    """The English (else first) name of a MOOChub multilingual label list, or a plain string."""
    if isinstance(names, str):
        return text_of(names)
    if isinstance(names, list):
        found = [n for n in names if isinstance(n, dict) and text_of(n.get("name"))]
        for n in found:
            if str(n.get("inLanguage", "")).lower().startswith("en"):
                return text_of(n["name"])
        return text_of(found[0]["name"]) if found else None
    return None


def _institution(publisher: Any, creators: Any) -> str | None:
    if isinstance(publisher, dict) and text_of(publisher.get("name")):
        return text_of(publisher["name"])
    names = [text_of(c.get("name")) for c in creators or [] if isinstance(c, dict)]
    return "; ".join(n for n in names if n) or None


def languages_of(values: Any) -> list[str]:
    """Primary language subtags ("de-AT" -> "de"), each once, in order; other values are dropped."""
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
        text = text_of(value)
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
    value, unit = number_of(workload.get("timeValue")), workload.get("timeUnit")
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
        framework = text_of(level.get("educationalFramework")) or ""
        code = text_of(str(level.get("shortCode") or "")) or ""
        name = _label(level.get("name")) or ""
        texts.append(" ".join(p for p in (framework, code, f"({name})" if name else "") if p))
        if framework.upper() == "EQF" and code.isdigit() and 1 <= int(code) <= 8:
            eqf = int(code)
    return ("; ".join(t for t in texts if t) or None), eqf


def _price(offers: Any, access: Any) -> str | None:
    parts = []
    for offer in offers or []:
        if isinstance(offer, dict) and number_of(offer.get("price")) is not None:
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


def excerpt(html: Any) -> str | None:
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
