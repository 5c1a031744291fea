"""The console commands (`cmf-bot ask`, `chat`, `check`) through `bot.cli.main`."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]
KB_MIN = ROOT / "tests" / "fixtures" / "kb_min"
CONTRACT_KEYS = {"question", "lang", "status", "intent", "confidence", "answer", "suggestions", "links"}


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A knowledge root (kb_min with its checklist as the universities' one) and a temp database."""
    root = tmp_path / "kb"
    shutil.copytree(KB_MIN, root)
    for rel in ("knowledge/cmf.yaml", "intents.yaml"):
        path = root / rel
        path.write_text(
            path.read_text(encoding="utf-8").replace("cmf-requirements", "cmf-requirements-universities"),
            encoding="utf-8",
        )
    monkeypatch.setenv("CMF_BOT_DB", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("CMF_BOT_KNOWLEDGE", str(root))
    return root


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_ask_prints_the_answer_then_sources(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "how many hours is a cmf microcredential?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("**How many study hours does a CMF microcredential take?**")
    assert "\nSources:\n- futurelearn.com: https://www.futurelearn.com/" in out


def test_ask_json_is_the_documented_contract(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "wie viele stunden hat ein microcredential", "--json"]) == 0
    (row,) = _json_lines(capsys.readouterr().out)
    assert set(row) == CONTRACT_KEYS
    assert (row["lang"], row["status"], row["intent"]) == ("de", "answer", "cmf-study-hours")
    assert isinstance(row["confidence"], float)
    assert row["links"][0].keys() == {"title", "url"}


def test_ask_lang_flag(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "how many hours is a microcredential", "--lang", "es", "--json"]) == 0
    (row,) = _json_lines(capsys.readouterr().out)
    assert row["lang"] == "es" and "horas" in row["answer"]


def test_ask_db_flag_builds_the_database_there(kb: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "other" / "cmf.sqlite3"
    assert main(["ask", "cmf requirements?", "--db", str(db), "--json"]) == 0
    assert db.exists()
    assert _json_lines(capsys.readouterr().out)[0]["status"] == "answer"


def test_batch_writes_one_row_per_line_in_order(kb: Path, tmp_path: Path, capsys) -> None:
    batch = tmp_path / "questions.txt"
    batch.write_bytes(
        b"hrs for a cmf course?\n\n"
        + ("y" * 600).encode()
        + b"\nbad \xff byte\nquelles sont les exigences du cmf\n"
    )
    assert main(["ask", "--batch", str(batch), "--json"]) == 0
    rows = _json_lines(capsys.readouterr().out)
    assert len(rows) == 5
    assert all(set(r) >= CONTRACT_KEYS for r in rows)
    assert rows[0]["intent"] == "cmf-study-hours"
    assert (rows[1]["status"], rows[1]["reason"]) == ("no_match", "empty")
    assert (rows[2]["status"], rows[2]["reason"]) == ("no_match", "too_long")
    assert rows[3]["question"] == "bad \ufffd byte"
    assert (rows[4]["lang"], rows[4]["intent"]) == ("fr", "cmf-requirements-universities")


def test_batch_does_not_log(kb: Path, tmp_path: Path, capsys) -> None:
    batch = tmp_path / "q.txt"
    batch.write_text("cmf requirements?\n", encoding="utf-8")
    assert main(["ask", "--batch", str(batch), "--json"]) == 0
    assert main(["ask", "cmf requirements?"]) == 0
    from bot.engine.store import connect

    db = connect(os.environ["CMF_BOT_DB"])
    assert db.execute("SELECT count(*), min(source) FROM questions").fetchone() == (1, "console")


def test_batch_missing_file_is_a_short_error(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--batch", "/nonexistent/q.txt", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cmf-bot: cannot read /nonexistent/q.txt") and "Traceback" not in err


def test_ask_without_question_is_an_error(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask"]) == 2
    assert "needs a question" in capsys.readouterr().err


def test_invalid_knowledge_is_a_one_line_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CMF_BOT_DB", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("CMF_BOT_KNOWLEDGE", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    assert main(["ask", "hello"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cmf-bot: the knowledge base is invalid") and len(err.splitlines()) == 1


def test_chat_with_piped_stdin_and_lang_switch(kb: Path, monkeypatch, capsys) -> None:
    script = "how many hours is a microcredential\n/lang fr\nhow many hours is a microcredential\n/lang xx\n"
    script += "/help\n/quit\nnever answered\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    assert main(["chat", "--no-log"]) == 0
    out = capsys.readouterr().out
    first, _, rest = out.partition("Réponses désormais en : fr.")
    assert "How many study hours" in first
    assert "Combien d'heures d'études" in rest
    assert "Langue inconnue « xx »" in rest
    assert "/quit" in rest  # the help text
    assert "never answered" not in out


@pytest.mark.parametrize("word", ["quit", "Exit"])
def test_chat_ends_on_a_bare_quit_or_exit(kb: Path, monkeypatch, capsys, word: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{word}\nhow many hours is a microcredential\n"))
    assert main(["chat", "--no-log"]) == 0
    assert capsys.readouterr().out == ""  # left at once: no "I don't know", no answer to the next line


def test_ask_notes_knowledge_files_changed_since_the_load_until_kb_load(kb: Path, capsys) -> None:
    assert main(["ask", "how many hours is a microcredential", "--no-log"]) == 0
    assert "knowledge files differ" not in capsys.readouterr().err  # built from these very files
    intents = kb / "intents.yaml"
    intents.write_text(intents.read_text("utf-8") + "\n# a comment from git\n", "utf-8")
    assert main(["ask", "how many hours is a microcredential", "--no-log"]) == 0
    assert "the knowledge files differ from those this database was loaded from" in capsys.readouterr().err
    assert main(["kb", "load"]) == 0
    capsys.readouterr()
    assert main(["ask", "how many hours is a microcredential", "--no-log"]) == 0
    assert "knowledge files differ" not in capsys.readouterr().err
    intents.write_text(intents.read_text("utf-8") + "\n# another comment\n", "utf-8")
    assert main(["kb", "export", str(kb)]) == 0  # the files are rewritten from the database
    capsys.readouterr()
    assert main(["ask", "how many hours is a microcredential", "--no-log"]) == 0
    assert "knowledge files differ" not in capsys.readouterr().err


def test_check_flags(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", "--hours", "80", "--eqf", "6", "--id-verification", "--transcript", "learning-outcomes"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "CMF compliance check" in out
    assert "❌" in out and "below the minimum of 100" in out
    assert "✅" in out


def test_check_json_and_language(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--eqf", "5", "--ects", "5", "--no-id-verification", "--lang", "it", "--json"]) == 0
    (row,) = _json_lines(capsys.readouterr().out)
    assert set(row) >= CONTRACT_KEYS and row["lang"] == "it" and row["intent"] is None
    assert "non soddisfatto" in row["answer"] and "FutureLearn" in row["answer"]


def test_check_sets_uk_and_us_credits_beside_futurelearns_equivalence(
    shipped_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shipped credits rule has the UK and US ranges (`other_credits`)."""
    assert main(["check", "--uk-credits", "20", "--us-credits", "2", "--eqf", "6", "--db", shipped_db]) == 0
    out = capsys.readouterr().out
    assert "UK credits: 20, outside the 10–15" in out and "US credits: 2, within the 2–3" in out
    assert "on that scale, about **4 ECTS**" in out  # the US credits, read on the 4–6 ECTS it gives
    assert "Study hours: not given" in out  # never read as hours


@pytest.mark.parametrize(
    "args",
    [
        ["--eqf", "9"],
        ["--hours", "-5"],
        ["--assessment", "vibes"],
        ["--transcript", "grades"],
        ["--uk-credits", "-1"],
    ],
)
def test_check_rejects_bad_flags(kb: Path, args: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", *args])
    assert exc.value.code == 2
    assert "error" in capsys.readouterr().err


def test_ask_does_not_import_discord(kb: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from bot.cli import main; "
        "rc = main(['ask', 'cmf requirements?', '--json', '--no-log']); "
        "bad = [m for m in sys.modules if m == 'discord' or m.startswith('discord.')]; "
        "print('DISCORD' if bad else 'CLEAN', rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "CLEAN 0"
