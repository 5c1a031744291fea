"""`cmf-bot credential FILE [--json] [--lang xx] [--pins FILE]`: output, exit codes, no heavy imports
for `cmf-bot ask`."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from credential_factory import SAMPLES

from bot.cli import main
from bot.credentials.model import MAX_BYTES
from bot.engine.paths import PROJECT_ROOT

HEAVY = ("pyld", "cryptography", "joserfc", "base58", "rfc8785", "defusedxml", "lxml", "aiohttp")


@pytest.fixture
def db(bot_knowledge_db: Path, tmp_path: Path) -> str:
    """A private copy of the database built from the shipped knowledge."""
    target = tmp_path / "db.sqlite3"
    shutil.copy(bot_knowledge_db, target)
    return str(target)


def run(db: str, *args: str, capsys: Any) -> tuple[int, str, str]:
    code = main(["credential", *args, "--db", db])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_valid_file_is_explained(db: str, capsys: Any) -> None:
    code, out, err = run(db, str(SAMPLES / "dcc_ob3_vc2_eddsa-rdfc-2022_didkey_basic.json"), capsys=capsys)
    assert (code, err) == (0, "")
    assert out.startswith("**Credential check: Open Badge 3.0")
    assert "✅ Valid signature (eddsa-rdfc-2022" in out and "**Not checked**" in out


def test_json_output_and_language(db: str, capsys: Any) -> None:
    path = SAMPLES / "mynextid_edc-microcredential_JAdES-signed.jsonld"
    code, out, _ = run(db, str(path), "--json", "--lang", "de", capsys=capsys)
    report = json.loads(out)
    assert code == 0 and report["lang"] == "de" and report["outcome"] == "valid"
    assert report["title"].startswith("Prüfung des Nachweises")
    assert set(report) >= {
        "signatures",
        "elements",
        "cmf_requirements",
        "not_checked",
        "not_covered_by_signature",
    }
    assert len(report["elements"]) == 11 and len(report["cmf_requirements"]) == 5
    workload = next(e for e in report["elements"] if e["id"] == "workload")
    assert workload["status"] == "inconsistent"
    assert any("45 h, aber 5 ECTS" in note for note in workload["notes"])


def test_an_invalid_signature_exits_1(db: str, capsys: Any) -> None:
    path = SAMPLES / "dcc_ob3_vc2_Ed25519Signature2020_didkey_TAMPERED.json"
    code, out, _ = run(db, str(path), "--json", capsys=capsys)
    assert code == 1 and json.loads(out)["outcome"] == "invalid"


def test_pins_from_a_flag_or_the_environment(db: str, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(SAMPLES / "w3c-vc-jose_credential-minimal_ES256.jwt")
    _, out, _ = run(db, path, "--json", capsys=capsys)
    assert json.loads(out)["outcome"] == "not_checked"
    _, out, _ = run(db, path, "--json", "--pins", str(SAMPLES / "pins.json"), capsys=capsys)
    assert json.loads(out)["outcome"] == "valid"
    monkeypatch.setenv("CMF_BOT_CREDENTIAL_PINS", str(SAMPLES / "pins.json"))
    _, out, _ = run(db, path, "--json", capsys=capsys)
    assert json.loads(out)["outcome"] == "valid"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a credential at all", "can't read this file as a credential"),
        (b'{"a": 1, "a": 2}', "repeats a field name"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><europassCredential>&a;</europassCredential>', "DTD or entities"),
    ],
)
def test_unreadable_files_exit_2_with_one_line(
    db: str, tmp_path: Path, capsys: Any, content: bytes, message: str
) -> None:
    path = tmp_path / "file"
    path.write_bytes(content)
    code, out, err = run(db, str(path), capsys=capsys)
    assert code == 2 and out == ""
    assert err.startswith("cmf-bot: ") and message in err and err.count("\n") == 1


def test_a_huge_file_is_refused_without_reading_it(db: str, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(50 * MAX_BYTES)  # sparse: 100 MiB that are never read
    code, _, err = run(db, str(path), capsys=capsys)
    assert code == 2 and f"{50 * MAX_BYTES:,} bytes" in err


def test_missing_file_bad_pins_and_stdin(
    db: str, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(db, str(tmp_path / "nope.json"), capsys=capsys)
    assert code == 2 and "cannot read" in err
    (tmp_path / "pins.json").write_text("[]")
    code, _, err = run(
        db, str(SAMPLES / "ob1_baked.svg"), "--pins", str(tmp_path / "pins.json"), capsys=capsys
    )
    assert code == 2 and "pin file" in err
    data = (SAMPLES / "ob1_baked.svg").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(db, "-", "--json", capsys=capsys)
    assert code == 0 and json.loads(out)["model"] == "ob-link"


def test_the_command_is_listed_and_ask_stays_light(db: str) -> None:
    code = (
        "import sys; from bot.cli import main; "
        "rc = main(['ask', 'cmf requirements?', '--json', '--no-log', '--db', sys.argv[1]]); "
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})); "
        "print('HEAVY', heavy, rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, db],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY [] 0"
    help_text = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60
    ).stdout
    assert "    credential  " in help_text or "    credential\n" in help_text
