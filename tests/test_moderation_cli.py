"""`cmf-bot kb show | edit | add | delete | phrase | history | revert | gaps | import | stats` through
bot.cli.main, on a copy of the fixture database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.engine.logbook import log_question
from bot.engine.model import Reply
from bot.engine.store import connect

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = ROOT / "tests" / "fixtures" / "imports"


@pytest.fixture
def db(db_path: Path) -> str:
    """The path of a private copy of the kb_min database (conftest.py), as typed on the command line."""
    return str(db_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["kb", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_show_edit_history_revert(db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "show", "cmf-what-is", "--db", db)
    assert code == 0 and "  - id: cmf-what-is" in out and "version 1" in out

    answer = tmp_path / "answer.md"
    answer.write_text("Le CMF, en bref.\n\nDeux paragraphes.", encoding="utf-8")
    code, out, _ = run(
        capsys,
        "edit",
        "cmf-what-is",
        "--lang",
        "fr",
        "--answer-file",
        str(answer),
        "--version",
        "1",
        "--db",
        db,
        "--as",
        "cli:ana",
    )
    assert code == 0 and out.startswith("update: entry cmf-what-is version 2")
    code, out, _ = run(capsys, "show", "cmf-what-is", "--db", db)
    assert "Deux paragraphes." in out and "changed by cli:ana" in out

    code, out, err = run(
        capsys, "edit", "cmf-what-is", "--lang", "fr", "--title", "Vieux ?", "--version", "1", "--db", db
    )
    assert code == 1 and err.startswith("error: Conflict: cli:ana changed") and "Deux paragraphes." in err

    code, out, _ = run(capsys, "history", "cmf-what-is", "--db", db)
    revision = out.split()[0]
    assert code == 0 and "cli:ana" in out and "edit fr: answer" in out
    code, out, _ = run(capsys, "revert", "cmf-what-is", revision, "--db", db)
    assert code == 0 and out.startswith("revert: entry cmf-what-is version 3")
    code, out, _ = run(capsys, "show", "cmf-what-is", "--db", db)
    assert "Deux paragraphes." not in out


def test_refusals_exit_non_zero_with_one_clear_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "nope", "--db", db)
    assert code == 1 and err == 'error: There is no entry, intent or course with the id "nope".\n'
    code, _, err = run(capsys, "delete", "cmf-what-is", "--db", db)
    assert code == 1 and "--yes" in err
    code, _, err = run(capsys, "delete", "cmf-requirements", "--type", "entry", "--yes", "--db", db)
    assert code == 1 and "these intents lead to it: cmf-requirements" in err
    code, _, err = run(capsys, "edit", "cmf-what-is", "--lang", "en", "--answer", " ", "--db", db)
    assert code == 2 and "give --version N" in err and "it is now 1" in err  # never overwrites blindly
    code, _, err = run(
        capsys, "edit", "cmf-what-is", "--lang", "en", "--answer", " ", "--version", "1", "--db", db
    )
    assert code == 1 and "empty answer" in err


def test_add_delete_and_phrase(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add", str(IMPORTS / "courses.yaml"), "--db", db)
    assert code == 0 and out.startswith("create: course imx-fixture-yaml")
    code, out, _ = run(capsys, "delete", "imx-fixture-yaml", "--yes", "--db", db)
    assert code == 0 and out.startswith("delete: course imx-fixture-yaml")

    code, out, _ = run(
        capsys, "phrase", "add", "find-courses", "quokka wombat courses", "--lang", "en", "--db", db
    )
    assert code == 0 and "intent find-courses" in out
    code, out, _ = main(["ask", "--db", db, "--no-log", "--json", "quokka wombat courses"]), None, None
    assert code == 0 and '"intent": "find-courses"' in capsys.readouterr().out
    code, _, err = run(
        capsys, "phrase", "add", "cmf-requirements", "quokka wombat courses", "--lang", "en", "--db", db
    )
    assert code == 1 and "already belongs to the intent find-courses" in err
    code, out, _ = run(
        capsys, "phrase", "remove", "find-courses", "quokka wombat courses", "--lang", "en", "--db", db
    )
    assert code == 0


def test_gaps_list_dismiss_and_to_intent(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    conn = connect(db)
    for text in ("where is the quokka list", "where is the quokka list?", "numbat question"):
        log_question(conn, Reply(question=text, lang="en", status="no_match"), "console", None)
    code, out, _ = run(capsys, "gaps", "--db", db)
    assert code == 0
    lines = [line for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert "asked 2×" in lines[0] and "quokka" in lines[0] and "numbat question" in lines[1]
    code, out, _ = run(capsys, "gaps", "--to-intent", "1", "find-courses", "--db", db)
    assert code == 0 and "as a phrasing of find-courses" in out
    code, out, _ = run(capsys, "gaps", "--dismiss", "1", "--db", db)
    assert code == 0 and "numbat question" in out
    code, out, _ = run(capsys, "gaps", "--db", db)
    assert out.startswith("no gaps")


def test_import_dry_run_then_real_and_bad_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", str(IMPORTS / "courses.csv"), "--dry-run", "--db", db)
    assert code == 0 and "dry run, nothing written: 2 added" in out
    code, out, _ = run(capsys, "show", "imx-fixture-csv-b", "--db", db)
    assert code == 1
    code, out, _ = run(capsys, "import", str(IMPORTS / "courses.csv"), "--db", db)
    assert code == 0 and "2 added" in out
    code, out, _ = run(capsys, "import", str(IMPORTS / "courses_bad.csv"), "--db", db)
    assert code == 1 and "rejected row 3" in out and "rejected row 4" in out and "nothing imported" in out


def test_stats(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    conn = connect(db)
    log_question(
        conn, Reply(question="q", lang="en", status="answer", intent="cmf-requirements"), "console", None
    )
    log_question(conn, Reply(question="x", lang="en", status="no_match"), "console", None)
    code, out, _ = run(capsys, "stats", "--days", "30", "--db", db)
    assert code == 0 and "questions: 2" in out and "unanswered 1 (50%)" in out and "cmf-requirements" in out
