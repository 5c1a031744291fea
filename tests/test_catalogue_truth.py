"""Truthful, collision-free catalogue imports: ids, the record's own date, description, URL duplicates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.engine.store import connect
from bot.moderation.importer import normalise_url
from bot.moderation.service import KnowledgeService

PAGE = "https://example.org/api/v3/courses?page[number]=1"


@pytest.fixture
def service(db_path: Path) -> KnowledgeService:
    return KnowledgeService(connect(db_path), "cli:truth")


def record(code: str | None, url: str, **attributes: Any) -> dict[str, Any]:
    """A course as a MOOChub v3 endpoint serves it (JSON:API resource, attributes per the schema)."""
    attrs: dict[str, Any] = {
        "name": f"Course {code or url}",
        "url": url,
        "inLanguage": ["de-AT"],
        "publisher": {"name": "Example University", "type": "Organization"},
        "description": "<p>What you <b>learn</b> here.</p>",
        **attributes,
    }
    if code is not None:
        attrs["courseCode"] = code
    return {"id": code or url, "type": "Course", "attributes": attrs}


def moochub(*items: dict[str, Any]) -> bytes:
    return json.dumps({"links": {"self": PAGE, "next": None}, "data": list(items)}).encode()


def test_long_course_codes_sharing_60_characters_get_distinct_ids(service: KnowledgeService) -> None:
    stem = "university-of-examples-introduction-to-the-history-of-european-mooc-platforms"
    page = moochub(
        record(f"{stem}-2023-spring", "https://example.org/courses/a"),
        record(f"{stem}-2023-autumn", "https://example.org/courses/b"),
    )
    report = service.import_file(page, "moochub", platform="iMooX")
    assert report.applied and not report.rejected and len(report.added) == 2
    assert len(set(report.added)) == 2 and all(
        i.startswith("imx-university-of-examples") for i in report.added
    )
    # stable: the same list again changes nothing
    again = service.import_file(page, "moochub", platform="iMooX")
    assert sorted(again.unchanged) == sorted(report.added) and not again.added


def test_the_records_own_date_drives_listed_year_never_the_import_date(service: KnowledgeService) -> None:
    page = moochub(
        record("modified", "https://example.org/courses/m", dateModified="2015-06-02T10:00:00+02:00",
               dateCreated="2014-01-01", startDate=["2014-03-01"]),
        record("created", "https://example.org/courses/c", dateCreated="2014-02-03", dateModified=None),
        record("runs", "https://example.org/courses/r", startDate=["2016-10-01", "2019-03-04T00:00:00Z"]),
        record("undated", "https://example.org/courses/u"),
    )  # fmt: skip
    service.import_file(page, "moochub", platform="iMooX")
    got = {
        r[0]: (r[1], r[2])
        for r in service.db.conn.execute(
            "SELECT json_extract(data,'$.course_url'), json_extract(data,'$.listed_year'),"
            " json_extract(data,'$.source_date') FROM courses WHERE platform = 'iMooX'"
        )
    }
    assert got["https://example.org/courses/m"] == (2015, "MOOChub API record, dateModified 2015-06-02")
    assert got["https://example.org/courses/c"] == (2014, "MOOChub API record, dateCreated 2014-02-03")
    assert got["https://example.org/courses/r"] == (2019, "MOOChub API record, startDate 2019-03-04")
    assert got["https://example.org/courses/u"] == (None, "MOOChub API record, undated")


def test_description_has_its_own_field_and_the_course_page_is_not_the_source(
    service: KnowledgeService,
) -> None:
    service.import_file(moochub(record("d1", "https://example.org/courses/d1")), "moochub", platform="iMooX")
    (data,) = [
        json.loads(r[0]) for r in service.db.conn.execute("SELECT data FROM courses WHERE platform='iMooX'")
    ]
    assert data["description"] == "What you learn here." and data["notes"] is None
    assert data["course_url"] == "https://example.org/courses/d1" and data["source_urls"] == [PAGE]
    assert data["languages"] == ["de"] and data["languages_inferred"] is False


def test_normalise_url() -> None:
    same = [
        "https://example.org/courses/x",
        "http://www.example.org/courses/x/",
        "HTTPS://Example.ORG:443/courses/x?utm_source=news&utm_medium=mail",
        "https://example.org/courses/x#about",
    ]
    assert {normalise_url(u) for u in same} == {"https://example.org/courses/x"}
    assert normalise_url("https://example.org/courses/X") != normalise_url("https://example.org/courses/x")
    assert normalise_url("https://example.org:8443/c?b=2&a=1") == "https://example.org:8443/c?a=1&b=2"
    assert normalise_url("https://example.org/c?id=1") != normalise_url("https://example.org/c?id=2")


def test_moochub_reimport_with_another_spelling_of_the_url_updates_the_same_record(
    service: KnowledgeService,
) -> None:
    first = service.import_file(
        moochub(record(None, "http://www.example.org/courses/y/")), "moochub", platform="iMooX"
    )
    again = service.import_file(
        moochub(record(None, "https://example.org/courses/y", name="Renamed")), "moochub", platform="iMooX"
    )
    assert again.updated == first.added and not again.added


def test_csv_matches_a_stored_course_by_normalised_url(service: KnowledgeService) -> None:
    head = "title,platform,course_url,source_urls,description\n"
    first = service.import_file(
        (
            head + "Data basics,iMooX,https://www.example.org/c/1/,https://example.org/list,About data\n"
        ).encode(),
        "csv",
    )
    again = service.import_file(
        (
            head
            + "Data basics,iMooX,http://example.org/c/1?utm_campaign=x,https://example.org/list,About data!\n"
        ).encode(),
        "csv",
    )
    assert again.updated == first.added and not again.added
    assert service.get(first.added[0]).data["description"] == "About data!"


def test_yaml_import_of_a_new_id_with_a_stored_course_page_is_refused(service: KnowledgeService) -> None:
    stored = service.import_file(
        moochub(record("z", "https://example.org/courses/z")), "moochub", platform="iMooX"
    )
    yaml_text = (
        "courses:\n"
        "  - id: imx-other-id\n"
        "    title: Same course, other id\n"
        "    platform: iMooX\n"
        "    type: MOOC\n"
        "    course_url: http://www.example.org/courses/z/\n"
        "    source_urls: [https://example.org/list]\n"
    )
    report = service.import_file(yaml_text.encode(), "yaml")
    assert not report.applied and len(report.rejected) == 1
    assert f'same course page as the stored record "{stored.added[0]}"' in report.rejected[0].reason


def test_two_rows_of_one_import_with_the_same_page_are_refused(service: KnowledgeService) -> None:
    head = "id,title,platform,course_url,source_urls\n"
    rows = (
        "imx-a,A,iMooX,https://example.org/c/q,https://example.org/list\n"
        "imx-b,B,iMooX,http://www.example.org/c/q/,https://example.org/list\n"
    )
    report = service.import_file((head + rows).encode(), "csv")
    assert not report.applied and [r.row for r in report.rejected] == [3]
    assert "same course page as row 2" in report.rejected[0].reason


# -- no per-file cap a real catalogue hits: imports fill numbered files ------------------------


def csv_rows(start: int, count: int) -> bytes:
    head = "title,platform,course_url,source_urls,description\n"
    body = "".join(
        f"Course number {n},iMooX,https://example.org/c/{n},https://example.org/list,{'About it. ' * 40}\n"
        for n in range(start, start + count)
    )
    return (head + body).encode()


def test_imports_fill_numbered_files_that_export_and_load_again(
    service: KnowledgeService, tmp_path: Path
) -> None:
    from bot.engine.dump import export_knowledge
    from bot.engine.loader import MAX_FILE_BYTES, validate
    from bot.moderation.importer import FILE_RECORDS

    curated = {r[0] for r in service.db.conn.execute("SELECT id FROM courses WHERE file LIKE '%/imoox.yaml'")}
    first = service.import_file(csv_rows(0, 1200), "csv")
    assert first.applied and len(first.added) == 1200
    second = service.import_file(csv_rows(1200, 700), "csv")
    assert second.applied and len(second.added) == 700
    counts = dict(
        service.db.conn.execute(
            "SELECT file, COUNT(*) FROM courses WHERE file LIKE 'knowledge/catalogue/imoox/%' GROUP BY file"
        ).fetchall()
    )
    assert counts == {
        "knowledge/catalogue/imoox/001.yaml": FILE_RECORDS,
        "knowledge/catalogue/imoox/002.yaml": FILE_RECORDS,
        "knowledge/catalogue/imoox/003.yaml": FILE_RECORDS,
        "knowledge/catalogue/imoox/004.yaml": 1900 - 3 * FILE_RECORDS,
    }
    # the hand-curated file keeps exactly its own records
    assert {
        r[0] for r in service.db.conn.execute("SELECT id FROM courses WHERE file LIKE '%/imoox.yaml'")
    } == curated

    export_knowledge(service.db, tmp_path)
    for n in range(1, 5):
        written = tmp_path / f"knowledge/catalogue/imoox/{n:03d}.yaml"
        assert written.stat().st_size < MAX_FILE_BYTES
        assert written.read_text("utf-8").startswith("# yaml-language-server: $schema=../../schemas/")
    assert validate(tmp_path) == []
