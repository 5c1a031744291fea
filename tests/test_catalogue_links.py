"""Item 4 of issue 13: every bundled catalogue record (knowledge/catalogue/*.yaml) either carries the
platform's own course page (`course_url`) or is marked as having none (`course_url: null`, its
`source_urls` then being what the record was read from). The course reply's wording for both cases
is checked in test_knowledge_facts.py (`test_course_lines_call_only_the_platform_page_the_course_page`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1] / "knowledge"
VOCABULARY = yaml.safe_load((ROOT / "vocabulary.yaml").read_text("utf-8"))["vocabulary"]
SITES: dict[str, list[str]] = VOCABULARY["sites"]
CATALOGUE_PAGES = {u.rstrip("/") for urls in VOCABULARY["catalogue_pages"].values() for u in urls}
RECORDS: list[dict[str, Any]] = [
    course
    for path in sorted((ROOT / "catalogue").glob("**/*.yaml"))
    for course in (yaml.safe_load(path.read_text("utf-8")) or {}).get("courses") or []
]


def own_site(course: dict[str, Any], url: str) -> bool:
    """Whether `url` is on one of the record's platform's own sites (vocabulary.yaml `sites`)."""
    hosts = next(hosts for name, hosts in SITES.items() if course["platform"].startswith(name))
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in hosts)


def test_the_bundled_catalogue_is_there() -> None:
    assert len(RECORDS) >= 60 and all("course_url" in c for c in RECORDS)  # the field is always stated


@pytest.mark.parametrize("course", RECORDS, ids=lambda c: c["id"])
def test_a_record_carries_its_platform_course_page_or_none(course: dict[str, Any]) -> None:
    url = course["course_url"]
    if url is None:  # marked as having no course page: no source may be a page of the platform's site
        own = [u for u in course["source_urls"] if own_site(course, u)]
        assert not own, f"{course['id']}: a source is on the platform's site; the course page? {own}"
        return
    assert own_site(course, url), f"{course['id']}: course_url {url} is not on {course['platform']}'s site"
    parts = urlsplit(url)
    assert parts.path.strip("/") or parts.query, f"{course['id']}: {url} is the site's home page"
    assert url.rstrip("/") not in CATALOGUE_PAGES, f"{course['id']}: {url} is the platform's catalogue"
