"""The languages are data (knowledge/languages.json): one source for the codes, the word lists and
the schemas' language list."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.engine import languages as languages_module
from bot.engine.language import detect_language
from bot.engine.languages import LANGUAGES_FILE, LOCALIZED_SCHEMA_FILE, languages, localized_schema
from bot.engine.model import DEFAULT_LANG, LANGS

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "knowledge" / "schemas"
DATA = json.loads(LANGUAGES_FILE.read_text(encoding="utf-8"))
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {
    # (file, name of the literal): why it is still there — none left
}


def test_languages_file_matches_its_schema() -> None:
    schema = json.loads((SCHEMAS / "languages.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(DATA)]
    assert errors == []


def test_langs_is_the_file_order_and_the_first_is_the_fallback() -> None:
    assert tuple(item["code"] for item in DATA["languages"]) == LANGS
    assert len(set(LANGS)) == len(LANGS)
    assert LANGS[0] == DEFAULT_LANG


@pytest.mark.parametrize("section", ["detection", "course_request", "compliance"])
def test_every_language_has_every_list(section: str) -> None:
    """Each language has the lists of every other (the schema requires them); the ones that read a
    language's own text are never empty."""
    never_empty = {
        "detection": {"stopwords"},
        "course_request": {"stopwords", "question_words", "general_words", "request_cues"},
        "compliance": {"hour_units", "week", "week_units", "level_words", "at_enrolment", "id_checked"},
    }[section]
    names = {name for lang in languages() for name in getattr(lang, section)}
    for lang in languages():
        lists = getattr(lang, section)
        assert set(lists) == names, lang.code
        for name in never_empty:
            assert lists[name], f"{lang.code}: {section}.{name} is empty"


def test_every_language_lists_phrases_for_every_assessment_and_transcript_item() -> None:
    kinds = {kind for lang in languages() for kind in lang.compliance["assessments"]}
    for lang in languages():
        missing = kinds - {k for k, v in lang.compliance["assessments"].items() if v}
        assert missing == set(), lang.code
        assert {k for k, v in lang.compliance["transcript_items"].items() if v} == {
            "learning-outcomes",
            "study-hours",
            "eqf-level",
            "credits",
        }, lang.code


def test_each_language_is_detected_from_its_own_stopwords() -> None:
    """The detection profile of every language in the file is live: its own words win."""
    for lang in languages():
        own = [w for w in lang.detection["stopwords"] if _only_in(w, lang.code)]
        assert len(own) >= 4, lang.code
        assert detect_language(" ".join(own[:6])) == lang.code


def _only_in(word: str, code: str) -> bool:
    return all(word not in other.detection["stopwords"] for other in languages() if other.code != code)


def test_the_localized_text_schema_is_generated_from_the_languages() -> None:
    """Adding a language: add it to languages.json, run `python -m bot.engine.languages --schema`."""
    written = json.loads(LOCALIZED_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert written == localized_schema(), "run: python -m bot.engine.languages --schema"
    defs = written["$defs"]
    assert defs["lang"]["enum"] == list(LANGS)
    for name in ("localized", "localized-phrases"):
        assert defs[name]["required"] == list(LANGS)
        assert list(defs[name]["properties"]) == list(LANGS)


def _lang_lists(value: Any, where: str = "") -> list[str]:
    """Places in a JSON document that list three or more language codes."""
    found: list[str] = []
    if isinstance(value, dict):
        if len(set(value) & set(LANGS)) >= 3:
            found.append(f"{where} (keys)")
        for key, item in value.items():
            found += _lang_lists(item, f"{where}/{key}")
    elif isinstance(value, list):
        if len({v for v in value if isinstance(v, str)} & set(LANGS)) >= 3:
            found.append(where)
        for n, item in enumerate(value):
            found += _lang_lists(item, f"{where}/{n}")
    return found


def test_no_other_schema_lists_the_languages() -> None:
    """Every schema takes the language list from localized-text.schema.json by `$ref`."""
    shared = LOCALIZED_SCHEMA_FILE.name
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        if path.name == shared:
            continue
        text = path.read_text(encoding="utf-8")
        assert _lang_lists(json.loads(text)) == [], path.name
        if path.name != "languages.schema.json":
            assert f'"{shared}#/$defs/' in text, f"{path.name} does not use the shared definitions"


def _code_literals(path: Path) -> list[tuple[int, str]]:
    """Collection literals in a Python file holding three or more language codes (line, name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    for inner in ast.walk(node.value):
                        names.setdefault(id(inner), target.id)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        else:
            continue
        codes = {i.value for i in items if isinstance(i, ast.Constant) and i.value in LANGS}
        if len(codes) >= 3:
            found.append((node.lineno, names.get(id(node), "?")))
    return found


def test_no_python_module_spells_out_the_language_codes() -> None:
    """LANGS comes from languages.json through `bot.engine.languages`; no module writes the codes."""
    offenders = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for line, name in _code_literals(path):
            if (rel, name) not in KNOWN_EXCEPTIONS:
                offenders.append(f"{rel}:{line} {name}")
    assert offenders == []


def test_the_scan_finds_a_spelled_out_tuple(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('LANGS = ("en", "fr", "es", "it", "de")\nOTHER = ("en", "x")\n', encoding="utf-8")
    assert _code_literals(module) == [(1, "LANGS")]


def test_the_languages_are_read_once() -> None:
    assert languages() is languages()
    assert languages_module.codes() == LANGS


_ADD_LANGUAGE = """
import json, sys
from pathlib import Path
root = Path(sys.argv[1])
path = root / "knowledge" / "languages.json"
data = json.loads(path.read_text(encoding="utf-8"))
spanish = next(lang for lang in data["languages"] if lang["code"] == "es")
data["languages"].append({
    **spanish,
    "code": "pt",
    "name": "Português",
    "detection": {
        "stopwords": "o os as um uma do da dos das em no na para com sem nao sim voce onde estao".split(),
        "letters": ["ã", "õ"],
        "patterns": ["(cao|coes)$"],
    },
})
path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
"""

_CHECK_LANGUAGE = """
import sys
from pathlib import Path
from bot.engine.language import detect_language
from bot.engine.loader import validate
from bot.engine.model import LANGS
print(LANGS)
print(detect_language("Não sei onde estão os cursos da plataforma"))
errors = [str(e) for e in validate(Path(sys.argv[1]))]
print(sum('missing language "pt"' in e for e in errors), len(errors))
"""


def test_adding_a_language_is_data_and_the_generated_schema(tmp_path: Path) -> None:
    """A copy of the checkout with a language added to languages.json and the schema regenerated:
    no Python is touched, yet LANGS, detection and every schema's localized texts know it."""
    import shutil
    import subprocess
    import sys

    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_bundled")
    shutil.copytree(ROOT / "bot", tmp_path / "bot", ignore=ignore)
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge", ignore=ignore)
    shutil.copy(ROOT / "intents.yaml", tmp_path / "intents.yaml")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("CMF_BOT_KNOWLEDGE", None)

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("-c", _ADD_LANGUAGE, str(tmp_path))
    run("-m", "bot.engine.languages", "--schema")
    schema = json.loads((tmp_path / "knowledge/schemas/localized-text.schema.json").read_text("utf-8"))
    assert schema["$defs"]["lang"]["enum"] == [*LANGS, "pt"]
    langs, detected, counts = run("-c", _CHECK_LANGUAGE, str(tmp_path)).splitlines()
    assert langs == repr((*LANGS, "pt"))
    assert detected == "pt"
    missing, total = map(int, counts.split())
    # every localized text (entries, strings, checklist items, phrasings) now asks for Portuguese
    assert missing > 100
    assert missing == total
