"""`cmf-bot kb validate | load | export`: output and exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine.paths import PROJECT_ROOT
from bot.engine.store import connect, read_knowledge

KB_MIN = Path(__file__).parent / "fixtures" / "kb_min"
BROKEN = Path(__file__).parent / "fixtures" / "broken"
OK_LINE = "ok: 3 entries, 3 intents, 33 phrasings, 2 courses, 2 strings\n"


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the user's real database or knowledge settings."""
    monkeypatch.delenv("CMF_BOT_DB", raising=False)
    monkeypatch.delenv("CMF_BOT_KNOWLEDGE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def broken_root(tmp_path: Path) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(KB_MIN, root)
    shutil.copytree(BROKEN / "missing_language", root, dirs_exist_ok=True)
    shutil.copytree(BROKEN / "unknown_entry", root, dirs_exist_ok=True)
    return root


BROKEN_OUTPUT = (
    'knowledge/extra.yaml:6: entries[0].title.fr: missing language "fr"\n'
    'intents.yaml:7: intents[0].leads_to.entry: unknown entry "cmf-study-hour"\n'
)


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate", "--knowledge", str(KB_MIN)]) == 0
    assert capsys.readouterr().out == OK_LINE


def test_validate_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CMF_BOT_KNOWLEDGE", str(KB_MIN))
    assert main(["kb", "validate"]) == 0
    assert capsys.readouterr().out == OK_LINE


def test_validate_prints_every_error_and_fails(broken_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate", "--knowledge", str(broken_root)]) == 1
    assert capsys.readouterr().out == BROKEN_OUTPUT + "2 errors\n"


def test_load_builds_the_database_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "data" / "kb.sqlite3"
    assert main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN)]) == 0
    out = capsys.readouterr().out
    assert out == (
        "loaded 3 entries, 3 intents, 33 phrasings, 2 courses, 2 strings from 6 files; "
        f"11 added, 0 updated, 0 removed (generation 1)\ndatabase: {db_path}\n"
    )
    assert main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN)]) == 0
    assert "already up to date (generation 1)" in capsys.readouterr().out
    assert sorted(read_knowledge(connect(db_path)).courses) == [
        "fl-ou-online-teaching-adult-learners",
        "mx-upm-html5-webapps",
    ]


def test_load_uses_cmf_bot_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db_path = tmp_path / "env.sqlite3"
    monkeypatch.setenv("CMF_BOT_DB", str(db_path))
    assert main(["kb", "load", "--knowledge", str(KB_MIN)]) == 0
    assert len(read_knowledge(connect(db_path)).entries) == 3


def test_load_defaults_to_the_user_data_directory(tmp_path: Path) -> None:
    assert main(["kb", "load", "--knowledge", str(KB_MIN)]) == 0
    assert (tmp_path / "xdg" / "cmf-bot" / "cmf-bot.sqlite3").is_file()


def test_a_bad_load_changes_nothing(
    tmp_path: Path, broken_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "kb.sqlite3"
    assert main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN)]) == 0
    before = read_knowledge(connect(db_path))
    capsys.readouterr()
    assert main(["kb", "load", "--db", str(db_path), "--knowledge", str(broken_root)]) == 1
    assert capsys.readouterr().out == BROKEN_OUTPUT + "2 errors; nothing was loaded\n"
    assert read_knowledge(connect(db_path)).data == before.data


def test_load_refuses_to_overwrite_unexported_moderator_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.moderation.service import KnowledgeService

    db_path = tmp_path / "kb.sqlite3"
    assert main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN)]) == 0
    service = KnowledgeService(connect(db_path), "cli:test")
    service.add_phrasing("cmf-study-hours", "en", "how long is the whole thing in hours")
    edited = read_knowledge(connect(db_path)).data
    capsys.readouterr()

    assert main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN)]) == 1
    assert "1 moderator change(s) made since the last export" in capsys.readouterr().err
    assert read_knowledge(connect(db_path)).data == edited

    assert main(["kb", "export", str(tmp_path / "out"), "--db", str(db_path)]) == 0
    assert main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN)]) == 0
    assert read_knowledge(connect(db_path)).data != edited
    assert main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN), "--force"]) == 0


def test_format_rewrites_files_in_the_canonical_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "kb"
    shutil.copytree(KB_MIN, root)
    cmf = root / "knowledge" / "cmf.yaml"
    canonical = cmf.read_bytes()
    cmf.write_bytes(
        canonical.replace(
            b"audiences: [learner, employer, university]",
            b"audiences:\n    - learner\n    - employer\n    - university",
            1,
        )
    )
    assert main(["kb", "format", "--check", "--knowledge", str(root)]) == 1
    assert "would reformat knowledge/cmf.yaml" in capsys.readouterr().out
    assert cmf.read_bytes() != canonical
    assert main(["kb", "format", "--knowledge", str(root)]) == 0
    assert cmf.read_bytes() == canonical
    assert main(["kb", "format", "--check", "--knowledge", str(root)]) == 0
    assert capsys.readouterr().out.endswith("all files are in the canonical layout\n")


def test_export_writes_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "kb.sqlite3"
    main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN)])
    out = tmp_path / "export"
    assert main(["kb", "export", str(out), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.endswith(f"wrote 6 files to {out}\n")
    exported = sorted(p.relative_to(out) for p in out.rglob("*.yaml"))
    assert exported == sorted(p.relative_to(KB_MIN) for p in KB_MIN.rglob("*.yaml"))
    assert all((out / p).read_bytes() == (KB_MIN / p).read_bytes() for p in exported)


def test_export_refuses_a_file_as_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "kb.sqlite3"
    main(["kb", "load", "--db", str(db_path), "--knowledge", str(KB_MIN)])
    target = tmp_path / "a-file"
    target.write_text("x")
    assert main(["kb", "export", str(target), "--db", str(db_path)]) == 2
    assert capsys.readouterr().err == f"error: {target} is not a directory\n"


def test_the_installed_entry_point_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "validate", "--knowledge", str(KB_MIN)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, OK_LINE)
