"""Hostile inputs replayed (issue 14): each is refused with a short error naming the record, nothing is
changed, and no traceback. URL-import attacks are in tests/test_url_import_security.py."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from kb_state import knowledge_state

from bot.cli import main
from bot.engine.loader import check_texts, parse_text
from bot.engine.store import connect
from bot.moderation.service import InvalidError, KnowledgeService, ServiceError

ROOT = Path(__file__).resolve().parents[1]

HEADER = "# yaml-language-server: $schema=../schemas/catalogue.schema.json\n"
CSV_HEADER = "id,title,platform,type,hours,ects,source_urls\n"
COURSE_ID = "mx-upm-html5-webapps"


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CMF_BOT_DB", raising=False)
    monkeypatch.delenv("CMF_BOT_KNOWLEDGE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def state(db_path: Path) -> str:
    db = connect(db_path)
    out = knowledge_state(db)
    db.conn.close()
    return out


def course_yaml(hours: str) -> str:
    return (
        HEADER
        + "courses:\n  - id: poison\n    title: Poison\n    platform: FUN\n    type: MOOC\n"
        + f"    hours: {hours}\n    source_urls: [https://example.org/poison]\n"
    )


# -- NaN / Infinity / absurd magnitudes (#2) ------------------------------------------------------


@pytest.mark.parametrize(
    "hours", [".inf", "-.inf", ".nan", ".NaN", "1.0e+999", "1.0e+300", "99999999999999999999"]
)
def test_the_loader_refuses_non_finite_and_absurd_numbers(hours: str) -> None:
    _, errors = check_texts({"knowledge/catalogue/poison.yaml": course_yaml(hours)})
    assert errors and any(e.field == "courses[0].hours" for e in errors), errors


def test_an_integer_too_long_to_convert_is_an_error_not_a_traceback() -> None:
    _, _, _, errors = parse_text("x.yaml", course_yaml("9" * 5000))
    assert errors and errors[0].field == "courses[0].hours"


@pytest.mark.parametrize("cell", ["inf", "nan", "1e999", "-inf", "NaN", "1e12"])
def test_csv_import_refuses_non_finite_numbers_naming_the_row(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str
) -> None:
    before = state(db_path)
    path = tmp_path / "poison.csv"
    path.write_text(CSV_HEADER + f"fun-poison,Poison,FUN,MOOC,{cell},,https://example.org/p\n", "utf-8")
    assert main(["kb", "import", str(path), "--db", str(db_path)]) == 1
    err = capsys.readouterr()
    assert "rejected row 2 (fun-poison): hours:" in err.out and "Traceback" not in err.err
    assert state(db_path) == before


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_moochub_non_finite_credits_are_rejected(db_path: Path, value: str) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    attributes = '{"name": "Poison", "url": "https://example.org/poison", "numberOfCredits": VALUE}'
    body = '{"links": {"self": "https://example.org/api"}, "data": [{"type": "Course", "attributes": ATTR}]}'
    raw = body.replace("ATTR", attributes.replace("VALUE", value)).encode()
    report = service.import_file(raw, "moochub", platform="iMooX")
    assert not report.applied and len(report.rejected) == 1
    assert "numberOfCredits" in str(report.rejected[0]) or "ects" in str(report.rejected[0])


@pytest.mark.parametrize("value", [".nan", ".inf", "1e999", "1e10"])
def test_kb_edit_set_refuses_non_finite_numbers(
    db_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    before = state(db_path)
    code = main(["kb", "edit", COURSE_ID, "--set", f"hours={value}", "--version", "1", "--db", str(db_path)])
    err = capsys.readouterr().err
    assert code == 1 and "hours" in err and "Traceback" not in err
    assert state(db_path) == before


def test_the_service_refuses_nan_directly(db_path: Path) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    with pytest.raises(InvalidError, match="hours"):
        service.edit_course(COURSE_ID, {"hours": float("nan")}, expected_version=None)
    with pytest.raises(InvalidError, match="ects"):
        service.edit_course(COURSE_ID, {"ects": 1e6}, expected_version=None)


# -- catalogue text is never live Markdown (#6) -----------------------------------------------------

PHISH = "[Free certificate - log in](https://evil.example)"
_LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")


def test_catalogue_text_is_escaped_in_every_course_reply(db_path: Path) -> None:
    from bot.engine.engine import Engine

    service = KnowledgeService(connect(db_path), "cli:test")
    service.add_course(
        {
            "id": "fun-phish",
            "title": PHISH,
            "platform": "FUN",
            "institution": "**Official** `University` <@123>",
            "type": "MOOC",
            "languages": ["fr"],
            "subjects": ["phishing"],
            "workload": "_2 h_ [click](https://evil.example)",
            "course_url": "https://www.fun-mooc.fr/fr/cours/phish/",
            "source_urls": ["https://www.fun-mooc.fr/fr/cours/phish/"],
        }
    )
    engine = Engine(service.db)
    listing = engine.search_courses("Free certificate", "en")
    profile = engine.credential_profile("fun-phish", "en")
    for reply in (listing, profile):
        texts = [
            reply.answer,
            *(i.label + " " + i.text for i in reply.items),
            *(k.title for k in reply.links),
        ]
        assert any("evil.example" in t for t in texts)  # the text is shown …
        for text in texts:
            assert not _LIVE_LINK.search(text), text  # … but never as a masked link
            assert "**Official**" not in text and "<@123>" not in text and "`University`" not in text
    # the bot's own formatting stays live: the heading is bold, the course page is a plain URL
    assert listing.answer.startswith("**") and "https://www.fun-mooc.fr/fr/cours/phish/" in listing.answer


# -- validation happens before the write lock (#5) ---------------------------------------------------


def _csv(n: int) -> bytes:
    rows = [f"fun-bulk-{i},Bulk course {i},FUN,MOOC,{i + 1},,https://example.org/bulk/{i}" for i in range(n)]
    return (CSV_HEADER + "\n".join(rows) + "\n").encode()


def test_an_import_is_validated_before_the_write_lock_is_taken(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    in_transaction: list[bool] = []
    real = service.validate

    def spy(edits: list[object]) -> None:
        in_transaction.append(service.db.conn.in_transaction)
        real(edits)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "validate", spy)
    report = service.import_file(_csv(50), "csv")
    assert report.applied and len(report.added) == 50
    assert in_transaction == [False]  # the whole-base check ran without holding BEGIN IMMEDIATE


def test_a_change_made_during_validation_is_seen_and_the_import_rechecked(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    other = KnowledgeService(connect(db_path), "cli:other")
    in_transaction: list[bool] = []
    real = service.validate

    def spy(edits: list[object]) -> None:
        in_transaction.append(service.db.conn.in_transaction)
        if len(in_transaction) == 1:  # another moderator saves while the import is being checked
            other.edit_course(COURSE_ID, {"hours": 7}, expected_version=None)
        real(edits)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "validate", spy)
    report = service.import_file(_csv(3), "csv")
    assert report.applied and len(report.added) == 3
    assert in_transaction == [False, True]  # checked again, under the lock, against the newer base
    assert service.get(COURSE_ID).data["hours"] == 7


# -- low items: one line and exit 2 (or 1 for a refused change), never a traceback -------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


@pytest.mark.parametrize("kind", ["directory", "corrupt", "under-a-file"])
@pytest.mark.parametrize(
    "command",
    [["kb", "show", COURSE_ID], ["kb", "stats"], ["kb", "gaps"], ["kb", "history", COURSE_ID],
     ["kb", "export", "OUT"], ["ask", "what is the CMF"], ["kb", "load"]],
)  # fmt: skip
def test_every_command_on_an_unusable_database_is_one_line(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    if kind == "directory":
        db = tmp_path / "dir.sqlite3"
        db.mkdir()
    elif kind == "corrupt":
        db = tmp_path / "corrupt.sqlite3"
        db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    else:
        (tmp_path / "file").write_text("x")
        db = tmp_path / "file" / "db.sqlite3"
    out = tmp_path / "out"
    args = [str(out) if a == "OUT" else a for a in command]
    result = _cli(*args, "--db", str(db))
    assert result.returncode in (1, 2), result
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_export_on_a_locked_database_writes_no_file(db_path: Path, tmp_path: Path) -> None:
    from bot.moderation.service import KnowledgeService

    service = KnowledgeService(connect(db_path), "cli:test")
    service.db.conn.execute("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError):
            service.export(tmp_path / "out")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not (tmp_path / "out").exists()


def test_control_characters_in_yaml_and_in_names_are_refused(tmp_path: Path) -> None:
    for raw in ("a\x00b", "a\x07b"):
        _, errors = check_texts({"knowledge/catalogue/p.yaml": course_yaml("10").replace("Poison", raw, 1)})
        assert errors and "control character" in errors[0].reason
    for title, reason in (("Poison\u202etxt.exe", "U+202E"), ("Two\\nlines", "one line")):
        text = course_yaml("10").replace("title: Poison", f'title: "{title}"')
        _, errors = check_texts({"knowledge/catalogue/p.yaml": text})
        assert any(e.field == "courses[0].title" and reason in e.reason for e in errors), errors


def test_kb_add_with_a_nul_byte_is_one_line(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(course_yaml("10").replace("Poison", "Poi\x00son", 1).encode())
    result = _cli("kb", "add", str(path), "--db", str(db_path))
    assert result.returncode == 1 and "control character U+0000" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "hours"),
    [("10120 hours", 10120), ("1,000 hours", 1000), ("1.000 Stunden", 1000), ("123456 hours", None)],
)
def test_compliance_numbers_have_a_left_boundary(text: str, hours: int | None) -> None:
    from bot.engine.compliance import parse_facts

    assert parse_facts(text).get("study_hours") == hours


def test_deeply_nested_json_is_refused(db_path: Path) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    deep = b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(ServiceError, match="nested too deeply"):
        service.import_file(deep, "moochub", platform="iMooX", source_url="https://example.org/a")


def test_an_over_long_answer_is_refused(db_path: Path, tmp_path: Path) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    entry = service.ids("entry")[0]
    with pytest.raises(InvalidError, match="over the limit of 4,000"):
        service.edit_entry(entry, "en", answer="word " * 20_000, expected_version=None)


@pytest.mark.parametrize(
    "command",
    [["kb", "add", "/dev/zero"], ["kb", "import", "/dev/zero", "--format", "csv", "--platform", "FUN"],
     ["kb", "edit", "cmf-what-is", "--lang", "en", "--answer-file", "/dev/zero", "--version", "1"],
     ["ask", "--batch", "/dev/zero"]],
)  # fmt: skip
def test_character_devices_are_not_read_whole(
    db_path: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMF_BOT_KNOWLEDGE", str(ROOT / "tests" / "fixtures" / "kb_min"))  # db_path's files
    result = _cli(*command, "--db", str(db_path))
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_ask_batch_answers_before_the_input_ends(db_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--batch", "-", "--no-log", "--json", "--db", str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"what is the CMF?\n")
    proc.stdin.flush()
    first = proc.stdout.readline()  # comes while stdin is still open
    proc.stdin.close()
    proc.wait(timeout=60)
    assert json.loads(first)["question"] == "what is the CMF?"


def test_an_import_of_unchanged_rows_says_so(db_path: Path) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    first = service.import_file(_csv(2), "csv")
    again = service.import_file(_csv(2), "csv")
    assert first.applied and not again.applied
    assert "nothing to import" in again.summary() and "rejected;" not in again.summary()


def test_kb_validate_output_is_capped(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kb_min", root)
    rows = "".join(f"  - id: bad-{i}\n" for i in range(600))
    (root / "knowledge" / "catalogue" / "bad.yaml").write_text(HEADER + "courses:\n" + rows, "utf-8")
    result = _cli("kb", "validate", "--knowledge", str(root))
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) <= 202 and "more" in lines[-2], lines[-3:]


def test_an_over_long_phrasing_is_refused(db_path: Path) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    intent = service.ids("intent")[0]
    with pytest.raises(InvalidError, match="over the limit of 500"):
        service.add_phrasing(intent, "en", "quokka " * 100)


def test_summaries_say_what_happened(db_path: Path) -> None:
    service = KnowledgeService(connect(db_path), "cli:test")
    service.import_file(_csv(2), "csv")
    bad = _csv(2).decode().replace(",1,,", ",nan,,").encode()  # row 2 rejected, row 3 stored already
    report = service.import_file(bad, "csv", skip_invalid=True)
    assert not report.applied and len(report.rejected) == 1
    assert "--skip-invalid" not in report.summary() and "stored already" in report.summary()
    mixed = service.import_file(_csv(4), "csv")
    assert mixed.applied and "2 of 4 rows written" in mixed.summary()
