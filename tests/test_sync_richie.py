"""`kb sync` of a Richie source (FUN's catalogue API) against recorded, real-shaped responses served on
127.0.0.1: the mapping, offset paging, 304, and sources that fail (5xx, slow, oversized, a paging loop,
a changing total) changing nothing. The records are tests/fixtures/richie/courses.json (written from
openfun/richie's source; see its `_fixture` note)."""

from __future__ import annotations

import copy
import hashlib
import json
import time
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from kb_state import knowledge_state
from local_http import LocalServer

from bot.engine.store import connect
from bot.moderation.fetch import FetchPolicy
from bot.moderation.service import KnowledgeService
from bot.moderation.sync import Source as SyncSource
from bot.moderation.sync import SyncError, load_sources, map_richie, richie_page_url, sync_source, sync_status

FIXTURE = Path(__file__).parent / "fixtures" / "richie" / "courses.json"
LOCAL = FetchPolicy(allow_http=True, address_allowed=lambda ip: ip.is_loopback, page_timeout=1.0)
"""Test-only: lets the fetcher reach the endpoint on 127.0.0.1 (refused by the default policy)."""
SERVER_PAGE = 2
"""The fixture server answers at most this many courses a page, whatever `limit` asks (the client must
follow `meta.count` / the objects it got, not assume its own limit)."""


class Richie(LocalServer):
    """`/api/v1.0/courses/?scope=objects&limit=L&offset=O` over `self.objects` with an ETag over the list;
    `mode`: "500" (the second page fails), "slow" (the second page takes 3 s), "big" (the second page
    is oversized), "loop" (offset ignored: page 1 again), "shrink" (the total changes while paging)."""

    def __init__(self) -> None:
        self.objects: list[dict[str, Any]] = json.loads(FIXTURE.read_text("utf-8"))["objects"]
        self.mode = "ok"
        self.requests: list[tuple[str, str | None]] = []
        super().__init__()
        self.site = self.base
        self.url = f"{self.site}/api/v1.0/courses/"

    def respond(self, path: str, headers: Message) -> tuple[int, bytes, dict[str, str]]:
        self.requests.append((path, headers.get("If-None-Match")))
        status, body, etag = self.answer(path, headers.get("If-None-Match"))
        return status, body, {"ETag": etag} if etag else {}

    def etag(self) -> str:
        return '"' + hashlib.sha256(json.dumps(self.objects).encode()).hexdigest()[:16] + '"'

    def answer(self, path: str, if_none_match: str | None) -> tuple[int, bytes, str | None]:
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        if query.get("scope") != "objects" or urlsplit(path).path != "/api/v1.0/courses/":
            return 400, b'{"errors": {}}', None
        offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 10)), SERVER_PAGE)
        etag = self.etag()
        if offset == 0 and if_none_match == etag:
            return 304, b"", etag
        second = offset == SERVER_PAGE
        if second and self.mode == "500":
            return 502, b"Bad Gateway", None
        if second and self.mode == "slow":
            time.sleep(3)
        total = len(self.objects) - (1 if second and self.mode == "shrink" else 0)
        start = 0 if second and self.mode == "loop" else offset
        objects = self.objects[start : start + limit]
        page: dict[str, Any] = {"meta": {"count": len(objects), "offset": offset, "total_count": total}}
        page["objects"] = objects
        if second and self.mode == "big":
            page["filters"] = {"padding": "x" * 300_000}
        return 200, json.dumps(page).encode(), etag if offset == 0 else None


@pytest.fixture
def richie() -> Iterator[Richie]:
    server = Richie()
    yield server
    server.close()


@pytest.fixture
def service(db_path: Path) -> KnowledgeService:
    return KnowledgeService(connect(db_path), "cli:sync")


def state(service: KnowledgeService) -> str:
    return knowledge_state(service.db)


def stored(service: KnowledgeService, richie: Richie) -> dict[str, dict[str, Any]]:
    """The synced records by course page path."""
    out = {}
    for (data,) in service.db.conn.execute("SELECT data FROM courses"):
        record = json.loads(data)
        if (record.get("course_url") or "").startswith(richie.site):
            out[record["course_url"].removeprefix(richie.site)] = record
    return out


def sync(service: KnowledgeService, richie: Richie, **options: Any) -> Any:
    source = SyncSource("fun", richie.url, "FUN MOOC", "richie")
    return sync_source(service, source, policy=LOCAL, max_bytes=200_000, **options)


def test_richie_pages_map_to_records_on_the_sites_own_course_pages(
    service: KnowledgeService, richie: Richie
) -> None:
    result = sync(service, richie)
    assert result.ok and result.pages == 3 and len(result.added) == 5, result.summary()
    pages = [urlsplit(path).query for path, _ in richie.requests]
    assert [parse_qs(q)["offset"] for q in pages] == [["0"], ["2"], ["4"]]
    records = stored(service, richie)
    assert len(records) == 5
    data = records["/fr/cours/fixture-introduction-aux-donnees/"]
    assert data["title"] == "Fixture : introduction aux données"
    assert data["platform"] == "FUN MOOC" and data["id"].startswith("fun-")
    assert data["institution"] == "Université Fixture"
    assert data["languages"] == ["fr", "en"] and data["languages_inferred"] is False  # from the runs
    assert data["listed_year"] == 2025  # the latest run's start, not today
    assert data["source_date"] == "Richie API record, latest run start 2025-01-13"
    assert data["source_urls"] == [f"{richie.url}101/"]  # the API's own record, not the course page
    assert data["workload"] == "3 heures/semaine; 8 semaines" and data["hours"] is None
    assert data["price"] == "free; certificate 49 EUR"
    assert data["description"] == "Un cours fictif sur les données, écrit pour les tests."
    assert data["subjects"] == [] and data["ects"] is None  # Richie gives category ids, no credits
    # no course run: the language is guessed from the page's /fr/ prefix and marked so; no date
    unscheduled = records["/fr/cours/fixture-histoire-des-jardins/"]
    assert unscheduled["languages"] == ["fr"] and unscheduled["languages_inferred"] is True
    assert unscheduled["listed_year"] is None
    assert unscheduled["source_date"] == "Richie API record, no dated run"
    assert records["/en/courses/fixture-marine-biology-basics/"]["price"] == "120 EUR; certificate free"


def test_richie_resync_is_one_conditional_get_and_writes_nothing(
    service: KnowledgeService, richie: Richie
) -> None:
    assert sync(service, richie).ok
    snapshot = state(service)
    richie.requests.clear()
    again = sync(service, richie)
    assert again.ok and again.not_modified
    assert len(richie.requests) == 1 and richie.requests[0][1] == richie.etag()
    assert state(service) == snapshot
    # without validators (a server that sends none): every page read, the same bytes: nothing written
    service.db.conn.execute("UPDATE sync_status SET etag = NULL, last_modified = NULL")
    service.db.conn.commit()
    snapshot = state(service)
    same = sync(service, richie)
    assert same.ok and same.not_modified and same.pages == 3
    assert state(service) == snapshot
    # a page differs only in bytes (another order of keys): every record compared, none written
    richie.objects = [dict(reversed(list(o.items()))) for o in richie.objects]
    full = sync(service, richie)
    assert full.ok and full.unchanged == 5 and not (full.added or full.updated or full.withdrawn)
    assert state(service) == snapshot


def test_a_course_gone_from_richie_is_withdrawn_with_a_date(
    service: KnowledgeService, richie: Richie
) -> None:
    sync(service, richie, today="2026-12-01")
    richie.objects = [o for o in richie.objects if o["id"] != "103"]
    result = sync(service, richie, today="2026-12-02")
    assert result.ok and len(result.withdrawn) == 1 and not result.added
    records = stored(service, richie)
    assert records["/en/courses/fixture-marine-biology-basics/"]["withdrawn"] == "2026-12-02"
    assert not records["/fr/cours/fixture-astronomie-amateur/"].get("withdrawn")


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("500", "page 2: could not be fetched"),
        ("slow", "page 2: could not be fetched"),
        ("big", "page 2: page over the size cap"),
        ("loop", "was already read on an earlier page (a paging loop)"),
        ("shrink", "the course count changed while paging"),
    ],
)
def test_a_failing_richie_source_changes_nothing_and_keeps_its_error(
    service: KnowledgeService, richie: Richie, mode: str, reason: str
) -> None:
    assert sync(service, richie).ok
    richie.objects[0] = {**richie.objects[0], "title": "Fixture: a changed title"}  # a real change
    richie.mode = mode
    snapshot = state(service)
    result = sync(service, richie)
    assert not result.ok and reason in (result.error or ""), result.summary()
    assert state(service) == snapshot
    (status,) = sync_status(service)
    assert reason in (status.last_error or "") and status.added == 5
    richie.mode = "ok"
    fixed = sync(service, richie)
    assert fixed.ok and len(fixed.updated) == 1


def test_a_course_page_off_the_sources_site_fails_the_whole_source(
    service: KnowledgeService, richie: Richie
) -> None:
    richie.objects[3] = copy.deepcopy(richie.objects[3])
    richie.objects[3]["absolute_url"] = "https://elsewhere.example.org/cours/x/"
    snapshot = state(service)
    result = sync(service, richie)
    assert not result.ok and "1 records rejected" in (result.error or "")
    assert "is not a page of the source's site" in (result.error or "")
    assert state(service) == snapshot


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>maintenance</html>", "not a Richie course list (no meta.total_count)"),
        (b'{"meta": {"total_count": 3}}', "not a Richie course list (no objects)"),
        (b'{"meta": {"total_count": 3, "offset": 0}, "objects": []}', "page 1 is empty at offset 0 of 3"),
    ],
)
def test_a_page_that_is_not_a_richie_list_fails(
    service: KnowledgeService, richie: Richie, body: bytes, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(richie, "answer", lambda path, etag: (200, body, None))
    result = sync(service, richie)
    assert not result.ok and reason in (result.error or "")


def test_richie_page_url_keeps_the_operators_filters() -> None:
    url = richie_page_url("https://example.org/api/v1.0/courses/?languages=fr&offset=9", 200, 100)
    assert parse_qs(urlsplit(url).query) == {
        "languages": ["fr"], "scope": ["objects"], "limit": ["100"], "offset": ["200"],
    }  # fmt: skip


def test_sources_file_kind(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "sources:\n  - name: fun\n    url: https://example.org/api/v1.0/courses/\n"
        "    platform: FUN MOOC\n    kind: richie\n  - name: other\n    url: https://example.org/m\n"
        "    platform: iMooX\n",
        "utf-8",
    )
    assert [(s.name, s.kind) for s in load_sources(good)] == [("fun", "richie"), ("other", "moochub")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: fun\n    url: https://example.org/x\n    kind: edx\n", "utf-8")
    with pytest.raises(SyncError, match="kind must be one of moochub, richie"):
        load_sources(bad)


def test_an_odd_course_id_never_makes_a_source_url() -> None:
    item = {**json.loads(FIXTURE.read_text("utf-8"))["objects"][0], "id": "../../admin?x=1"}
    page = "https://www.example.org/api/v1.0/courses/?scope=objects&limit=100&offset=0"
    data = map_richie(item, "FUN MOOC", "https://www.example.org/api/v1.0/courses/", page)
    assert data["source_urls"] == [page]
    assert data["course_url"] == "https://www.example.org/fr/cours/fixture-introduction-aux-donnees/"
