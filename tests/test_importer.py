"""Imports (bot/moderation/importer.py): MOOChub over HTTP with several pages, CSV, YAML, caps, dry run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from kb_state import knowledge_state
from local_http import LocalServer

from bot.engine.dump import dump_file
from bot.engine.engine import Engine
from bot.engine.store import connect, generation
from bot.moderation.fetch import FetchPolicy
from bot.moderation.importer import detect_format
from bot.moderation.service import KnowledgeService, ServiceError

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = ROOT / "tests" / "fixtures" / "imports"
LOCAL = FetchPolicy(allow_http=True, address_allowed=lambda ip: ip.is_loopback)
"""Test-only: lets the importer reach the endpoint on 127.0.0.1 (refused by the default policy)."""


@pytest.fixture
def service(db_path: Path) -> KnowledgeService:
    return KnowledgeService(connect(db_path), "cli:importer")


def state(service: KnowledgeService) -> str:
    return knowledge_state(service.db)


def by_page(service: KnowledgeService, page: str) -> Any:
    """The stored course whose course_url is https://example.org/courses/<page>."""
    row = service.db.conn.execute(
        "SELECT id FROM courses WHERE json_extract(data, '$.course_url') = ?",
        (f"https://example.org/courses/{page}",),
    ).fetchone()
    assert row, page
    return service.get(row[0])


# -- a MOOChub endpoint on 127.0.0.1 ----------------------------------------------------------


class Endpoint(LocalServer):
    """Serves /courses?page=1..3 (2 + 2 + 1 records); page 1 links page 2 absolutely, page 2 page 3
    relatively; counts the requests."""

    content_type = "application/vnd.api+json"

    def __init__(self) -> None:
        items = json.loads((IMPORTS / "moochub_courses.json").read_text("utf-8"))["data"]
        self.chunks = [items[0:2], items[2:4], items[4:5]]
        self.requests: list[str] = []
        self.accept: list[str] = []
        super().__init__()

    def respond(self, path: str, headers: Message) -> tuple[int, bytes, dict[str, str]]:
        self.requests.append(path)
        self.accept.append(headers.get("Accept", ""))
        body = self.page(path)
        return (404, b"", {}) if body is None else (200, body, {})

    def page(self, path: str) -> bytes | None:
        if not path.startswith("/courses"):
            return None
        n = int(path.split("page=")[1]) if "page=" in path else 1
        if not 1 <= n <= len(self.chunks):
            return None
        links = {"self": f"{self.base}/courses?page={n}", "first": f"{self.base}/courses?page=1"}
        links["last"] = f"{self.base}/courses?page={len(self.chunks)}"
        if n == 1:
            links["next"] = f"{self.base}/courses?page=2"
        elif n == 2:
            links["next"] = "/courses?page=3"
        return json.dumps({"links": links, "data": self.chunks[n - 1]}).encode()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    yield server
    server.close()


def test_moochub_endpoint_with_three_pages_is_imported(service: KnowledgeService, endpoint: Endpoint) -> None:
    report = service.import_url(f"{endpoint.base}/courses", policy=LOCAL, platform="iMooX")
    assert endpoint.requests == ["/courses", "/courses?page=2", "/courses?page=3"]
    assert "moochub-version=3.0" in endpoint.accept[0]
    assert report.pages == 3 and report.rows == 5 and report.applied
    assert len(report.added) == 5 and not report.updated and not report.rejected

    one = by_page(service, "fixture-one").data
    assert by_page(service, "fixture-one").id.startswith("imx-fixture-one-")
    assert one["title"] == "Fixture course one" and one["platform"] == "iMooX" and one["type"] == "MOOC"
    assert one["course_url"] == "https://example.org/courses/fixture-one"
    assert one["source_urls"] == [f"{endpoint.base}/courses"]
    assert one["languages"] == ["de", "en"] and one["institution"] == "Fixture University"
    assert one["workload"] == "3 h/week for 6 weeks (P6W)" and one["hours"] == 18
    assert one["ects"] == 4 and one["eqf_level"] == 6 and one["level"] == "EQF 6 (Bachelor)"
    # the fixture's records carry no date of their own: no year is claimed (never the import date)
    assert one["listed_year"] is None and one["source_date"] == "MOOChub API record, undated"
    assert one["description"].startswith("First fixture description & more. Second paragraph.")
    assert by_page(service, "fixture-two").data["hours"] is None  # h/month without a duration in months
    assert by_page(service, "fixture-three").data["price"] == "0 EUR (course); 49 EUR (certificate)"
    assert by_page(service, "fixture-five").data["source_urls"] == [f"{endpoint.base}/courses?page=3"]
    assert by_page(service, "fixture-one").file == "knowledge/catalogue/imoox/001.yaml"

    # the engine's course search finds the imported course at once
    engine = Engine(service.db)
    reply = engine.search_courses("Fixture course three", "en")
    assert reply.items and "Fixture course three" in reply.items[0].label + reply.items[0].text

    # importing the same list again (another day) changes nothing
    again = service.import_url(f"{endpoint.base}/courses", policy=LOCAL, platform="iMooX")
    assert len(again.unchanged) == 5 and not again.added and not again.updated and not again.applied


def test_subjects_merge_keywords_and_skills(service: KnowledgeService, endpoint: Endpoint) -> None:
    service.import_url(f"{endpoint.base}/courses", policy=LOCAL, platform="iMooX")
    # "Statistics" (a skill) repeats the keyword "statistics" and is kept once
    assert by_page(service, "fixture-one").data["subjects"] == ["statistics", "data science"]


def test_moochub_dry_run_writes_nothing(service: KnowledgeService, endpoint: Endpoint) -> None:
    snapshot = state(service)
    report = service.import_url(f"{endpoint.base}/courses", policy=LOCAL, platform="iMooX", dry_run=True)
    assert len(report.added) == 5 and not report.applied and "dry run" in report.summary()
    assert state(service) == snapshot


def test_moochub_page_cap_refuses_the_whole_import(service: KnowledgeService, endpoint: Endpoint) -> None:
    snapshot = state(service)
    with pytest.raises(ServiceError, match="more than 2 pages"):
        service.import_url(f"{endpoint.base}/courses", policy=LOCAL, platform="iMooX", max_pages=2)
    with pytest.raises(ServiceError, match="rows"):
        service.import_url(f"{endpoint.base}/courses", policy=LOCAL, platform="iMooX", max_rows=3)
    with pytest.raises(ServiceError, match="could not get a complete course list"):
        service.import_url(f"{endpoint.base}/nothing", policy=LOCAL, platform="iMooX")
    with pytest.raises(ServiceError, match="which platform"):
        service.import_url(f"{endpoint.base}/courses", policy=LOCAL)
    with pytest.raises(ServiceError, match="not an http"):
        service.import_url("file:///etc/passwd", platform="iMooX")
    assert state(service) == snapshot


def test_moochub_file_with_a_bad_row_is_rejected_with_its_row_and_nothing_applied(
    service: KnowledgeService,
) -> None:
    items = json.loads((IMPORTS / "moochub_courses.json").read_text("utf-8"))["data"]
    items[1]["attributes"]["url"] = "ftp://example.org/x"
    del items[3]["attributes"]["name"]
    page = {"links": {"self": "https://example.org/moochub?page=1"}, "data": items}
    snapshot = state(service)
    report = service.import_file(json.dumps(page).encode(), "moochub", platform="iMooX")
    assert [(r.row, r.reason) for r in report.rejected] == [
        (2, "missing or non-http url 'ftp://example.org/x'"),
        (4, "missing name"),
    ]
    assert not report.applied and state(service) == snapshot
    applied = service.import_file(json.dumps(page).encode(), "moochub", platform="iMooX", skip_invalid=True)
    assert applied.applied and len(applied.added) == 3 and len(applied.rejected) == 2


# -- CSV --------------------------------------------------------------------------------------


def test_csv_import_adds_records(service: KnowledgeService) -> None:
    report = service.import_file((IMPORTS / "courses.csv").read_bytes(), filename="courses.csv")
    assert report.format == "csv" and sorted(report.added) == [
        "imx-fixture-csv-b",
        "imx-fixture-csv-course-a",
    ]
    a = service.get("imx-fixture-csv-course-a").data
    assert (
        a["languages"] == ["de", "en"] and a["subjects"] == ["statistics", "open data"] and a["hours"] == 20
    )
    assert a["credits"] is None and a["listed_year"] == 2026
    b = service.get("imx-fixture-csv-b").data
    assert b["ects"] == 5 and b["eqf_level"] == 6 and b["type"] == "microcredential"


def test_csv_with_bad_rows_is_rejected_with_line_numbers_and_changes_nothing(
    service: KnowledgeService,
) -> None:
    snapshot = state(service)
    report = service.import_file((IMPORTS / "courses_bad.csv").read_bytes(), filename="bad.csv")
    assert [r.row for r in report.rejected] == [3, 4]
    assert "eqf_level" in report.rejected[0].reason and "at most 8" in report.rejected[0].reason
    assert "hours: not a number 'lots'" in report.rejected[1].reason
    assert not report.applied and not report.added and "nothing imported" in report.summary()
    assert state(service) == snapshot


def test_csv_reimport_updates_the_record_with_the_same_course_url(service: KnowledgeService) -> None:
    service.import_file((IMPORTS / "courses.csv").read_bytes(), filename="courses.csv")
    changed = (
        (IMPORTS / "courses.csv").read_text("utf-8").replace("Fixture University,MOOC", "Fixture Uni,MOOC")
    )
    report = service.import_file(changed.encode(), filename="courses.csv")
    assert report.updated == ["imx-fixture-csv-course-a"] and report.unchanged == ["imx-fixture-csv-b"]
    assert service.get("imx-fixture-csv-course-a").data["institution"] == "Fixture Uni"
    (rev, _) = service.history("imx-fixture-csv-course-a")
    assert rev.action == "import" and rev.before["institution"] == "Fixture University"


def test_csv_header_problems_refuse_the_file(service: KnowledgeService) -> None:
    with pytest.raises(ServiceError, match="unknown column"):
        service.import_file(b"id,title,colour\n", "csv")
    with pytest.raises(ServiceError, match="missing column"):
        service.import_file(b"id,title\nx,y\n", "csv")


def test_size_and_row_caps(service: KnowledgeService) -> None:
    data = (IMPORTS / "courses.csv").read_bytes()
    with pytest.raises(ServiceError, match="over the limit"):
        service.import_file(data, "csv", max_bytes=100)
    with pytest.raises(ServiceError, match="rows"):
        service.import_file(data, "csv", max_rows=1)


# -- YAML -------------------------------------------------------------------------------------


def test_yaml_import_adds_updates_and_keeps_unchanged(service: KnowledgeService) -> None:
    existing = dict(service.get("mx-upm-html5-webapps").data, notes="Changed by the YAML import test.")
    untouched = service.get("fl-ou-online-teaching-adult-learners").data
    new = (IMPORTS / "courses.yaml").read_text("utf-8")
    text = new + dump_file("courses", [existing, untouched]).split("courses:\n", 1)[1]
    report = service.import_file(text.encode(), filename="list.yaml")
    assert report.format == "yaml"
    assert report.added == ["imx-fixture-yaml"] and report.updated == ["mx-upm-html5-webapps"]
    assert report.unchanged == ["fl-ou-online-teaching-adult-learners"]
    assert service.get("mx-upm-html5-webapps").data["notes"] == "Changed by the YAML import test."


def test_yaml_import_is_parsed_safely(service: KnowledgeService) -> None:
    snapshot = state(service)
    evil = b"courses:\n  - !!python/object/apply:os.system ['echo hi']\n"
    with pytest.raises(ServiceError, match="not allowed"):
        service.import_file(evil, "yaml")
    aliases = b"courses:\n  - &a {id: x}\n  - *a\n"
    with pytest.raises(ServiceError, match="not allowed"):
        service.import_file(aliases, "yaml")
    assert state(service) == snapshot


def test_detect_format() -> None:
    assert detect_format(b"{}", None) == "moochub"
    assert detect_format(b"x", "a.csv") == "csv"
    assert detect_format(b"# c\ncourses:\n", None) == "yaml"
    assert detect_format(b"id,title\n", None) == "csv"


def test_generated_ids_have_a_prefix_for_every_partner_the_schema_allows() -> None:
    from bot.engine.loader import object_errors, platforms
    from bot.moderation.importer import PLATFORM_PREFIX

    assert set(PLATFORM_PREFIX) == set(platforms())
    record = {"id": "x-1", "title": "T", "type": "MOOC", "source_urls": ["https://example.org/c"]}
    for platform in platforms():
        assert object_errors("courses", {**record, "platform": f"{platform} something"}) == []
    assert object_errors("courses", {**record, "platform": "Coursera"}) == [
        'platform: unknown platform "Coursera": must start with '
        + ", ".join(platforms()[:-1])
        + f" or {platforms()[-1]}"
    ]


# -- imports larger than one batch (streamed planning, one transaction) -----------------------


def bulk_csv(count: int, bad: int | None = None) -> bytes:
    """`count` CSV rows of new iMooX courses; row `bad` (0-based) has an EQF level out of range."""
    head = "title,platform,eqf_level,course_url,source_urls\n"
    rows = [
        f"Bulk course {n},iMooX,{9 if n == bad else 4},https://example.org/bulk/{n},https://example.org/bulk"
        for n in range(count)
    ]
    return (head + "\n".join(rows) + "\n").encode()


def test_a_bad_row_in_a_late_batch_refuses_the_whole_import(
    service: KnowledgeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.moderation import importer

    monkeypatch.setattr(importer, "BATCH", 2)
    snapshot = state(service)
    report = service.import_file(bulk_csv(9, bad=8), "csv")
    assert [r.row for r in report.rejected] == [10] and "eqf_level" in report.rejected[0].reason
    assert not report.applied and state(service) == snapshot


def test_an_import_of_several_batches_is_one_write(
    service: KnowledgeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.moderation import importer

    monkeypatch.setattr(importer, "BATCH", 2)
    before = generation(service.db)
    report = service.import_file(bulk_csv(9), "csv")
    assert report.applied and len(report.added) == 9 and not report.rejected
    assert generation(service.db) == before + 1 == report.generation
    assert all(service.get(oid).data["eqf_level"] == 4 for oid in report.added)
    again = service.import_file(bulk_csv(9), "csv")
    assert not again.applied and len(again.unchanged) == 9 and generation(service.db) == before + 1


def test_a_write_between_planning_and_the_transaction_is_kept_and_the_import_planned_again(
    service: KnowledgeService, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.moderation import importer

    other = KnowledgeService(connect(db_path), "cli:other")
    real = importer.plan_rows
    calls: list[int] = []

    def plan_then_someone_writes(*args: Any, **kwargs: Any) -> Any:
        plan = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:  # between the unlocked planning and the import's transaction
            other.edit_course("mx-upm-html5-webapps", {"notes": "Edited meanwhile."}, expected_version=None)
        return plan

    monkeypatch.setattr(importer, "plan_rows", plan_then_someone_writes)
    report = service.import_file(bulk_csv(3), "csv")
    assert len(calls) == 2 and report.applied and len(report.added) == 3
    assert service.get("mx-upm-html5-webapps").data["notes"] == "Edited meanwhile."


def test_fetched_pages_are_kept_compressed_and_read_again_each_time() -> None:
    from bot.moderation.feeds import Pages

    pages = Pages([("https://x.org/p1", {"data": [{"a": 1}, {"a": 2}]}), ("https://x.org/p2", {"data": []})])
    assert len(pages) == 2 and pages.records == 2
    first, second = list(pages), list(pages)
    assert (
        first
        == second
        == [("https://x.org/p1", {"data": [{"a": 1}, {"a": 2}]}), ("https://x.org/p2", {"data": []})]
    )
    first[0][1]["data"].clear()  # what a reader changes is not what the next reader gets
    assert next(iter(pages))[1]["data"] == [{"a": 1}, {"a": 2}]
