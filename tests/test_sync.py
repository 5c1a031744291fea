"""`kb sync` (bot/moderation/sync.py) against a MOOChub v3 endpoint on 127.0.0.1: paging, conditional
requests (304), withdrawal, and sources that fail (5xx, oversized, a links.next loop) changing nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from kb_state import knowledge_state
from local_http import LocalServer

from bot.cli import main
from bot.engine.store import connect
from bot.moderation.fetch import FetchPolicy
from bot.moderation.service import KnowledgeService
from bot.moderation.sync import Source, sync_source, sync_status

LOCAL = FetchPolicy(allow_http=True, address_allowed=lambda ip: ip.is_loopback)
"""Test-only: lets the fetcher reach the endpoint on 127.0.0.1 (refused by the default policy)."""


def course(n: int) -> dict[str, Any]:
    """Course n as a MOOChub v3 JSON:API resource (the shape iMooX and openHPI serve)."""
    return {
        "id": f"0c6f1e4a-0000-4000-8000-{n:012d}",
        "type": "Course",
        "attributes": {
            "name": f"Sync fixture course {n}",
            "courseCode": f"sync-fixture-{n}",
            "url": f"https://example.org/course/{n}",
            "inLanguage": ["de"],
            "publisher": {"name": "Example University", "type": "Organization"},
            "description": f"<p>Fixture course {n}.</p>",
            "startDate": ["2024-03-04T00:00:00+01:00"],
            "dateModified": "2024-02-01T12:00:00+01:00",
            "workload": {"timeValue": 2, "timeUnit": "h/week"},
            "duration": "P4W",
            "access": ["free"],
        },
    }


class Endpoint(LocalServer):
    """`/courses?page=N` over `self.courses`, 2 a page, with an ETag over the whole list; `mode` makes it
    misbehave: "500" (page 2 fails), "big" (page 2 is oversized), "loop" (page 2 links back to page 1)."""

    content_type = "application/vnd.api+json"

    def __init__(self) -> None:
        self.courses = [course(n) for n in range(1, 6)]
        self.mode = "ok"
        self.requests: list[tuple[str, str | None]] = []
        super().__init__()
        self.url = f"{self.base}/courses"

    def respond(self, path: str, headers: Message) -> tuple[int, bytes, dict[str, str]]:
        self.requests.append((path, headers.get("If-None-Match")))
        status, body, etag = self.answer(path, headers.get("If-None-Match"))
        return status, body, {"ETag": etag} if etag else {}

    def answer(self, path: str, if_none_match: str | None) -> tuple[int, bytes, str | None]:
        etag = '"' + hashlib.sha256(json.dumps(self.courses).encode()).hexdigest()[:16] + '"'
        n = int(path.split("page=")[1]) if "page=" in path else 1
        if n == 1 and if_none_match == etag:
            return 304, b"", etag
        if n == 2 and self.mode == "500":
            return 503, b"busy", None
        chunks = [self.courses[i : i + 2] for i in range(0, len(self.courses), 2)] or [[]]
        links: dict[str, Any] = {"self": f"{self.url}?page={n}"}
        if n < len(chunks):
            links["next"] = f"{self.url}?page={n + 1}"
        if n == 2 and self.mode == "loop":
            links["next"] = f"{self.url}?page=1"
        page = {"links": links, "data": chunks[n - 1]}
        if n == 2 and self.mode == "big":
            page["meta"] = {"padding": "x" * 300_000}
        return 200, json.dumps(page).encode(), etag if n == 1 else None


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    ep = Endpoint()
    yield ep
    ep.close()


@pytest.fixture
def service(db_path: Path) -> KnowledgeService:
    return KnowledgeService(connect(db_path), "cli:sync")


def state(service: KnowledgeService) -> str:
    return knowledge_state(service.db)


def stored(service: KnowledgeService) -> dict[str, dict[str, Any]]:
    return {
        json.loads(data)["course_url"]: json.loads(data)
        for (data,) in service.db.conn.execute("SELECT data FROM courses WHERE platform = 'iMooX'")
        if json.loads(data)["course_url"].startswith("https://example.org/course/")
    }


def sync(service: KnowledgeService, endpoint: Endpoint, **options: Any) -> Any:
    source = Source("fixture", endpoint.url, "iMooX")
    return sync_source(service, source, policy=LOCAL, max_bytes=200_000, **options)


def test_sync_pages_then_304_writes_nothing(service: KnowledgeService, endpoint: Endpoint) -> None:
    first = sync(service, endpoint)
    assert first.ok and first.pages == 3 and len(first.added) == 5, first.summary()
    records = stored(service)
    assert len(records) == 5
    one = records["https://example.org/course/1"]
    assert one["listed_year"] == 2024 and one["source_date"] == "MOOChub API record, dateModified 2024-02-01"
    assert not one.get("withdrawn")

    snapshot = state(service)
    endpoint.requests.clear()
    again = sync(service, endpoint)
    assert again.ok and again.not_modified and "not modified" in again.summary()
    assert endpoint.requests == [("/courses", endpoint.answer("/courses", None)[2])]  # one conditional GET
    assert state(service) == snapshot


def test_a_course_that_disappears_is_withdrawn_with_a_date_and_comes_back(
    service: KnowledgeService, endpoint: Endpoint
) -> None:
    sync(service, endpoint, today="2026-12-01")
    gone = endpoint.courses.pop(2)  # course 3
    result = sync(service, endpoint, today="2026-12-02")
    assert result.ok and len(result.withdrawn) == 1 and not result.added
    records = stored(service)
    assert len(records) == 5  # kept, not deleted
    assert records["https://example.org/course/3"]["withdrawn"] == "2026-12-02"
    assert not records["https://example.org/course/4"].get("withdrawn")
    # listed again: the mark goes
    endpoint.courses.append(gone)
    back = sync(service, endpoint, today="2026-12-03")
    assert back.ok and back.updated == result.withdrawn and not back.withdrawn
    assert stored(service)["https://example.org/course/3"]["withdrawn"] is None
    status = {s.source: s for s in sync_status(service)}["fixture"]
    assert (status.added, status.updated, status.withdrawn, status.last_error) == (0, 1, 0, None)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("500", "page 2: could not be fetched"),
        ("big", "page 2: page over the size cap"),
        ("loop", "links.next leads back to a page already read"),
    ],
)
def test_a_failing_source_changes_nothing_and_keeps_its_error(
    service: KnowledgeService, endpoint: Endpoint, mode: str, reason: str
) -> None:
    sync(service, endpoint)
    endpoint.courses = [endpoint.courses[0], course(9), *endpoint.courses[2:]]  # a real change
    endpoint.mode = mode
    snapshot = state(service)
    result = sync(service, endpoint)
    assert not result.ok and reason in (result.error or "") and "FAILED, nothing changed" in result.summary()
    assert state(service) == snapshot
    (status,) = sync_status(service)
    assert reason in (status.last_error or "") and status.last_success is not None
    assert status.added == 5  # the counts of the last successful run stay
    # the source recovers: the change arrives, and the course no longer listed is withdrawn
    endpoint.mode = "ok"
    fixed = sync(service, endpoint)
    assert fixed.ok and len(fixed.added) == 1 and len(fixed.withdrawn) == 1


def test_a_rejected_record_fails_the_whole_source(service: KnowledgeService, endpoint: Endpoint) -> None:
    endpoint.courses[3]["attributes"]["url"] = "ftp://example.org/x"
    snapshot = state(service)
    result = sync(service, endpoint)
    assert not result.ok and "1 records rejected" in (result.error or "") and "row 4" in (result.error or "")
    assert state(service) == snapshot


def test_cli_sync_refuses_loopback_and_stats_show_the_source(
    db_path: Path, endpoint: Endpoint, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: local\n    url: {endpoint.url}\n    platform: iMooX\n", "utf-8")
    assert main(["kb", "sync", "--db", str(db_path), "--sources", str(sources)]) == 1
    out = capsys.readouterr().out
    assert "local: FAILED, nothing changed" in out and not endpoint.requests  # never reached
    assert main(["kb", "stats", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "local: last success never" in out and "last error" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - name: Bad Name\n    url: https://example.org/x\n", "utf-8")
    assert main(["kb", "sync", "--db", str(db_path), "--sources", str(bad)]) == 2
    assert "name must be" in capsys.readouterr().err


def test_a_source_that_suddenly_lists_nothing_withdraws_nothing(
    service: KnowledgeService, endpoint: Endpoint
) -> None:
    sync(service, endpoint)
    endpoint.courses = []
    snapshot = state(service)
    result = sync(service, endpoint)
    assert not result.ok and "lists no course at all (it listed 5 before)" in (result.error or "")
    assert state(service) == snapshot


def test_an_unchanged_resync_still_refuses_a_source_listing_a_course_twice(
    service: KnowledgeService, endpoint: Endpoint
) -> None:
    assert sync(service, endpoint).ok
    service.db.conn.execute("UPDATE sync_status SET etag = NULL")  # every page read again
    service.db.conn.commit()
    endpoint.courses.append(course(1))  # listed twice, otherwise unchanged
    snapshot = state(service)
    result = sync(service, endpoint)
    assert not result.ok and "records rejected" in (result.error or "")
    assert state(service) == snapshot
    endpoint.courses.pop()
    again = sync(service, endpoint)  # the same pages as the last successful sync
    assert (
        again.ok
        and again.not_modified
        and again.pages == 3
        and "the same as at the last sync" in again.summary()
    )
    service.db.conn.execute("UPDATE sync_status SET etag = NULL, digest = NULL")
    service.db.conn.commit()
    compared = sync(service, endpoint)  # no validator, no digest: every record compared, none written
    assert (
        compared.ok
        and compared.unchanged == 5
        and not (compared.added or compared.updated or compared.withdrawn)
    )
    assert state(service) == snapshot
