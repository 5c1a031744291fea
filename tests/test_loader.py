"""The knowledge loader: the shipped files are valid, and every kind of error is reported exactly."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bot.engine.loader import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    KnowledgeError,
    check_texts,
    load_knowledge,
    object_errors,
    validate,
)
from bot.engine.model import LANGS
from bot.engine.paths import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
KB_MIN = FIXTURES / "kb_min"
BROKEN = FIXTURES / "broken"

HEAD = "# yaml-language-server: $schema=schemas/knowledge.schema.json\n"
LOCAL = "{en: Title, fr: Titre, es: Título, it: Titolo, de: Titel}"


def entry_yaml(entry_id: str = "extra", extra: str = "") -> str:
    """A valid one-entry knowledge file (plus `extra` lines inside the entry)."""
    return (
        f"{HEAD}entries:\n  - id: {entry_id}\n    kind: answer\n    audiences: [learner]\n"
        f"    title: {LOCAL}\n    answer: {LOCAL}\n{extra}"
        "    sources: [https://emc.eadtu.eu/cmf]\n    checked: 2026-11-28\n"
    )


def messages(root: Path) -> list[str]:
    return [str(e) for e in validate(root)]


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    """A writable copy of the minimal valid knowledge root."""
    root = tmp_path / "kb"
    shutil.copytree(KB_MIN, root)
    return root


# ---------------------------------------------------------------------------------------------
# The shipped knowledge base (guards every future edit)


def test_shipped_knowledge_is_valid() -> None:
    assert (PROJECT_ROOT / "intents.yaml").is_file(), "intents.yaml is missing from the repository root"
    assert messages(PROJECT_ROOT) == []


def test_shipped_intents_meet_the_content_rules() -> None:
    kb = load_knowledge(PROJECT_ROOT)
    assert len(kb.intents) >= 60
    short = {
        (intent.id, lang): len(intent.phrasings[lang])
        for intent in kb.intents.values()
        for lang in LANGS
        if len(intent.phrasings[lang]) < (10 if lang == "en" else 4)
    }
    assert short == {}, "intents with too few phrasings (at least 10 en, 4 in each other language)"
    assert all(entry.sources for entry in kb.entries.values())


# ---------------------------------------------------------------------------------------------
# The minimal fixture


def test_minimal_fixture_is_valid_and_complete() -> None:
    assert messages(KB_MIN) == []
    kb = load_knowledge(KB_MIN)
    assert sorted(kb.entries) == ["cmf-requirements", "cmf-study-hours", "cmf-what-is"]
    assert sorted(kb.intents) == ["cmf-requirements", "cmf-study-hours", "find-courses"]
    assert sorted(kb.courses) == ["fl-ou-online-teaching-adult-learners", "mx-upm-html5-webapps"]
    assert sorted(kb.strings) == ["courses.found", "fallback.no_match"]
    assert {i.leads_to["type"] for i in kb.intents.values()} == {"entry", "checklist", "course_search"}


def test_objects_become_typed_model_objects() -> None:
    kb = load_knowledge(KB_MIN)
    checklist = kb.entries["cmf-requirements"]
    assert checklist.kind == "checklist"
    assert checklist.file == "knowledge/cmf.yaml"
    assert [item.id for item in checklist.checklist] == ["study-hours", "eqf-level", "id-verification"]
    assert checklist.checklist[0].rule == {"fact": "study_hours", "min": 100, "max": 150}
    assert checklist.checked == "2026-11-28"  # dates stay text, exactly as written
    assert kb.entries["cmf-what-is"].links[0].url.startswith("https://www.futurelearn.com/")
    course = kb.courses["mx-upm-html5-webapps"]
    assert (course.platform, course.type, course.languages, course.listed_year) == (
        "MiríadaX",
        "MOOC",
        ["es"],
        2015,
    )
    assert course.file == "knowledge/catalogue/miriadax.yaml"
    assert kb.strings["courses.found"]["de"] == "{count} Kurse gefunden"
    assert kb.vocabulary["platforms"]["MiríadaX"] == ["miriadax", "miríada x", "miriada"]
    # the raw YAML objects are kept for the store, in file order
    assert kb.data["entries"]["cmf-what-is"]["checked"] == "2026-11-28"
    assert [f.path for f in kb.files] == [
        "knowledge/catalogue/futurelearn.yaml",
        "knowledge/catalogue/miriadax.yaml",
        "knowledge/cmf.yaml",
        "knowledge/ui/messages.yaml",
        "knowledge/vocabulary.yaml",
        "intents.yaml",
    ]


def test_vocabulary_files_are_merged(kb_root: Path) -> None:
    (kb_root / "knowledge" / "more-words.yaml").write_text(
        "# yaml-language-server: $schema=schemas/vocabulary.schema.json\n"
        "vocabulary:\n  course_words:\n    en: [mooc, module]\n"
        "  topics:\n    statistics: [statistics, statistik]\n",
        encoding="utf-8",
    )
    kb = load_knowledge(kb_root)
    assert kb.vocabulary["course_words"]["en"] == ["mooc", "module", "course", "courses"]
    assert kb.vocabulary["topics"]["statistics"] == ["statistics", "statistik"]


# ---------------------------------------------------------------------------------------------
# One broken fixture per kind of error (tests/fixtures/broken/<case>/ is laid over kb_min)

BROKEN_CASES = {
    "syntax": ["knowledge/extra.yaml:5: (yaml): mapping values are not allowed here"],
    "schema_type": [
        'knowledge/extra.yaml:4: entries[0].kind: "faq" is not one of: answer, checklist',
        "knowledge/extra.yaml:5: entries[0].audiences: expected a list, got text",
        'knowledge/extra.yaml:8: entries[0].colour: unknown field "colour"',
    ],
    "missing_language": ['knowledge/extra.yaml:6: entries[0].title.fr: missing language "fr"'],
    "bad_url": [
        'knowledge/extra.yaml:10: entries[0].links[0].url: malformed URL "emc.eadtu.eu/cmf"',
        'knowledge/extra.yaml:12: entries[0].sources[0]: malformed URL "htps://emc.eadtu.eu/cmf"',
    ],
    "duplicate_id": [
        'knowledge/extra.yaml:3: entries[0].id: duplicate id "cmf-what-is" (first at knowledge/cmf.yaml:5)'
    ],
    "unknown_entry": ['intents.yaml:7: intents[0].leads_to.entry: unknown entry "cmf-study-hour"'],
    "not_a_checklist": [
        'intents.yaml:30: intents[1].leads_to.entry: entry "cmf-what-is" has kind answer; '
        "a checklist intent needs a checklist entry"
    ],
    "duplicate_phrasing": [
        'intents.yaml:47: intents[1].phrasings.de[1]: duplicate phrasing "cmf kriterien" '
        '(also in intent "cmf-study-hours", intents.yaml:24)'
    ],
    "empty_answer": ["knowledge/extra.yaml:12: entries[0].answer.de: empty answer"],
}


def test_every_broken_fixture_has_a_case() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(BROKEN_CASES)


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_broken_fixture_reports_the_exact_error(case: str, kb_root: Path) -> None:
    shutil.copytree(BROKEN / case, kb_root, dirs_exist_ok=True)
    assert messages(kb_root) == BROKEN_CASES[case]
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_root)
    assert [str(e) for e in caught.value.errors] == BROKEN_CASES[case]


def test_every_error_is_reported_at_once(kb_root: Path) -> None:
    for case in ("missing_language", "unknown_entry"):
        shutil.copytree(BROKEN / case, kb_root, dirs_exist_ok=True)
    (kb_root / "knowledge" / "second.yaml").write_text(entry_yaml("second", "    colour: red\n"), "utf-8")
    assert messages(kb_root) == [
        'knowledge/extra.yaml:6: entries[0].title.fr: missing language "fr"',
        'knowledge/second.yaml:8: entries[0].colour: unknown field "colour"',
        'intents.yaml:7: intents[0].leads_to.entry: unknown entry "cmf-study-hour"',
    ]


def test_oversized_file_is_refused_unread(kb_root: Path) -> None:
    big = kb_root / "knowledge" / "big.yaml"
    big.write_text(entry_yaml() + "# " + "x" * MAX_FILE_BYTES + "\n", "utf-8")
    size = big.stat().st_size
    assert messages(kb_root) == [
        f"knowledge/big.yaml:1: (file): file is {size:,} bytes, over the 2,000,000-byte limit"
    ]


# ---------------------------------------------------------------------------------------------
# Smaller error kinds, written inline


def write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


SCHEMA_LINE = "# yaml-language-server: $schema=schemas/knowledge.schema.json"
INLINE_CASES = [
    pytest.param(
        entry_yaml("a", "    links: &l []\n"),
        "knowledge/extra.yaml:8: (yaml): anchors (&l) are not allowed",
        id="anchor",
    ),
    pytest.param(
        entry_yaml("a", "    links: [*l]\n"),
        "knowledge/extra.yaml:8: (yaml): aliases (*l) are not allowed",
        id="alias-in-flow",
    ),
    pytest.param(
        entry_yaml("a", "    links: {x: &k 1}\n"),
        "knowledge/extra.yaml:8: (yaml): anchors (&k) are not allowed",
        id="anchor-in-flow",
    ),
    pytest.param(
        entry_yaml("a", "    links: " + "[" * 40 + "]" * 40 + "\n"),
        "knowledge/extra.yaml:8: (yaml): nested deeper than 32 levels",
        id="too-deep-without-anchors",
    ),
    pytest.param(
        entry_yaml("a", "    links: !!python/object:os.system []\n"),
        "knowledge/extra.yaml:8: entries[0].links: "
        'tag "tag:yaml.org,2002:python/object:os.system" is not allowed',
        id="python-tag",
    ),
    pytest.param(
        entry_yaml("a", "    kind: answer\n"),
        'knowledge/extra.yaml:8: entries[0].kind: duplicate key "kind"',
        id="duplicate-key",
    ),
    pytest.param(
        entry_yaml("a", "    checked: 2026-13-01\n").replace("    checked: 2026-11-28\n", ""),
        'knowledge/extra.yaml:8: entries[0].checked: invalid date "2026-13-01": use YYYY-MM-DD',
        id="bad-date",
    ),
    pytest.param(
        entry_yaml("Bad_Id"),
        'knowledge/extra.yaml:3: entries[0].id: invalid id "Bad_Id": '
        'use lower-case a-z, 0-9 and "-", starting with a letter or digit',
        id="bad-id",
    ),
    pytest.param(
        entry_yaml().replace("title: {en: Title,", "title: {pt: Título, en: Title,"),
        'knowledge/extra.yaml:6: entries[0].title.pt: unknown language "pt" (expected en, fr, es, it, de)',
        id="unknown-language",
    ),
    pytest.param(
        entry_yaml().replace("kind: answer", "kind: checklist"),
        "knowledge/extra.yaml:3: entries[0].checklist: required field is missing when kind is checklist",
        id="checklist-missing",
    ),
    pytest.param(
        entry_yaml().replace("    sources: [https://emc.eadtu.eu/cmf]\n", ""),
        "knowledge/extra.yaml:3: entries[0].sources: required field is missing",
        id="sources-missing",
    ),
    pytest.param(
        entry_yaml().replace(HEAD, ""),
        f'knowledge/extra.yaml:1: (file): first line must be "{SCHEMA_LINE}"',
        id="schema-line",
    ),
    pytest.param(
        HEAD + "entries:\n- id: a\n  - b\n",
        "knowledge/extra.yaml:4: (yaml): expected <block end>, but found '-'",
        id="syntax-2",
    ),
    pytest.param(
        HEAD + "courses: []\nentries: []\n",
        "knowledge/extra.yaml:1: (file): expected exactly one top-level key, "
        "one of entries, courses, strings, vocabulary, intents",
        id="two-top-level-keys",
    ),
    pytest.param(b"# x\n\xff\n", "knowledge/extra.yaml:2: (file): not valid UTF-8 (byte 4)", id="not-utf8"),
    pytest.param(
        HEAD + "entries:\n" + "  " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
        f"knowledge/extra.yaml:3: (yaml): nested deeper than {MAX_DEPTH} levels",
        id="too-deep",
    ),
]


@pytest.mark.parametrize(("text", "expected"), INLINE_CASES)
def test_inline_error(text: str | bytes, expected: str, kb_root: Path) -> None:
    write(kb_root, "knowledge/extra.yaml", text)
    assert messages(kb_root) == [expected]


def test_duplicate_checklist_item_ids(kb_root: Path) -> None:
    item = "      - id: same\n        text: " + LOCAL + "\n"
    write(kb_root, "knowledge/extra.yaml", entry_yaml("list", "    checklist:\n" + item + item))
    assert messages(kb_root) == [
        'knowledge/extra.yaml:11: entries[0].checklist[1].id: duplicate checklist item id "same" '
        "(first at knowledge/extra.yaml:9)"
    ]


def test_duplicate_string_keys_and_placeholders(kb_root: Path) -> None:
    write(
        kb_root,
        "knowledge/ui/more.yaml",
        "# yaml-language-server: $schema=../schemas/strings.schema.json\nstrings:\n"
        "  fallback.no_match: " + LOCAL + "\n"
        "  courses.more: {en: '{count} more', fr: '{n} de plus', es: '{count} más', it: '{count} altri', "
        "de: '{count} weitere'}\n",
    )
    assert messages(kb_root) == [
        'knowledge/ui/more.yaml:3: strings["fallback.no_match"]: duplicate string key "fallback.no_match" '
        "(first at knowledge/ui/messages.yaml:4)",
        'knowledge/ui/more.yaml:4: strings["courses.more"].fr: '
        "placeholders differ from en (expected {count})",
    ]


def test_phrasing_may_not_copy_an_entry_title(kb_root: Path) -> None:
    text = (kb_root / "intents.yaml").read_text("utf-8")
    write(kb_root, "intents.yaml", text.replace("- trovare un corso", "- I requisiti del CMF"))
    assert messages(kb_root) == [
        'intents.yaml:66: intents[2].phrasings.it[0]: copies the title of entry "cmf-requirements"'
    ]


def test_missing_intents_file_and_intents_in_the_wrong_place(kb_root: Path) -> None:
    (kb_root / "intents.yaml").rename(kb_root / "knowledge" / "intents.yaml")
    assert messages(kb_root) == [
        "intents.yaml:1: (file): file not found",
        "knowledge/intents.yaml:1: (file): intents belong in intents.yaml",
    ]


def test_check_texts_validates_in_memory_files() -> None:
    texts = {p.relative_to(KB_MIN).as_posix(): p.read_bytes() for p in sorted(KB_MIN.rglob("*.yaml"))}
    kb, errors = check_texts(dict(sorted(texts.items(), key=lambda kv: kv[0] == "intents.yaml")))
    assert errors == [] and kb is not None and len(kb.intents) == 3
    texts["knowledge/cmf.yaml"] = texts["knowledge/cmf.yaml"].replace(b"kind: checklist", b"kind: answer")
    kb, errors = check_texts(texts)
    assert kb is None
    assert [str(e) for e in errors] == [
        'intents.yaml:30: intents[1].leads_to.entry: entry "cmf-requirements" has kind answer; '
        "a checklist intent needs a checklist entry"
    ]


# ---------------------------------------------------------------------------------------------
# libyaml: C scanning/parsing gives exactly what the pure-Python loader gives


def test_libyaml_is_used_when_pyyaml_has_it() -> None:
    import yaml

    from bot.engine import loader

    assert (loader._CLoader is not None) == yaml.__with_libyaml__


def test_libyaml_and_pure_python_load_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.engine import loader

    with_c = load_knowledge(PROJECT_ROOT)
    monkeypatch.setattr(loader, "_CLoader", None)
    assert load_knowledge(PROJECT_ROOT) == with_c


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_libyaml_and_pure_python_report_the_same(
    case: str, kb_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.engine import loader

    shutil.copytree(BROKEN / case, kb_root, dirs_exist_ok=True)
    with_c = messages(kb_root)
    monkeypatch.setattr(loader, "_CLoader", None)
    assert messages(kb_root) == with_c == BROKEN_CASES[case]


# -- the compiled schema check agrees with jsonschema ----------------------------------------------


def _mutations(obj: dict) -> list[dict]:
    """Objects one change away from `obj`: each field (and each field of a mapping field) deleted,
    nulled, or given a number, an empty text, an empty list, a bad word; plus an unknown field."""
    import copy

    bad_values = (None, 12345, -1, "", [], "Not An Id!", "2026-13-45", {"x": 1})
    out = [{**obj, "unknown_field": 1}]
    for key, value in obj.items():
        out.append({k: v for k, v in obj.items() if k != key})
        out += [{**obj, key: bad} for bad in bad_values]
        if isinstance(value, dict):
            for inner in value:
                changed = copy.deepcopy(obj)
                del changed[key][inner]
                out.append(changed)
                for bad in bad_values:
                    changed = copy.deepcopy(obj)
                    changed[key][inner] = bad
                    out.append(changed)
    return out


@cache
def _shipped() -> Any:
    from bot.engine.loader import load_knowledge

    return load_knowledge(PROJECT_ROOT)


@pytest.mark.parametrize("kind", ["entries", "courses", "intents"])
def test_object_errors_finds_exactly_what_jsonschema_finds(kind: str) -> None:
    """`object_errors` decides validity with a compiled check (jsonschema-rs) before asking
    jsonschema why: on hundreds of near-valid objects it must refuse exactly what jsonschema refuses."""
    from bot.engine.loader import _fast_validator, _validator

    assert _fast_validator(kind) is not None  # else every check silently takes the slow path
    reference = _validator(kind)  # jsonschema, with the shared definitions resolved
    objects = list(_shipped().data[kind].values())
    sample = objects[:: max(1, len(objects) // 6)][:6]
    checked = refused = 0
    for obj in sample:
        assert object_errors(kind, obj) == []
        for changed in _mutations(obj):
            expected = not reference.is_valid({kind: [changed]})
            assert bool(object_errors(kind, changed)) == expected, (kind, changed)
            checked += 1
            refused += expected
    assert checked > 200 and refused > checked // 2


def _shipped_texts() -> dict[str, bytes]:
    """The shipped knowledge files and intents.yaml, by path, as `check_texts` reads them."""
    texts = {
        p.relative_to(PROJECT_ROOT).as_posix(): p.read_bytes()
        for p in sorted((PROJECT_ROOT / "knowledge").rglob("*.yaml"))
    }
    texts["intents.yaml"] = (PROJECT_ROOT / "intents.yaml").read_bytes()
    return texts


def _check_shipped_with(path: str, shipped: bytes, changed: bytes) -> tuple[Any, list[Any]]:
    """`check_texts` over the shipped files with `shipped` (which must be in `path`) replaced by
    `changed`: the knowledge base built (None when refused) and the errors."""
    texts = _shipped_texts()
    assert shipped in texts[path]
    texts[path] = texts[path].replace(shipped, changed)
    return check_texts(texts)


def test_steering_rules_name_existing_intents_and_concepts() -> None:
    """A typo in a steering rule (`steer_*` in the vocabulary) would silently switch it off: the load
    names the file, line and field instead, and loads nothing."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"]
    concepts = concepts.replace(b"level-admitted: [cmf-level]", b"level-admitted: [cmf-levels]")
    concepts = concepts.replace(
        b"hours-of-credits: [cmf, microcredential]", b"hours-of-credits: [cmf, microcred]"
    )
    concepts = concepts.replace(b"recognised-abroad: [abroad]", b"recognised-abroad: [abraod]")
    two = b"  steer_when_two:\n    platforms-compared-credit: [partner-futurelearn,"
    assert two in concepts
    concepts = concepts.replace(two, two.replace(b"futurelearn", b"futurlearn"))
    polar = b"  steer_polar:\n    - mc-degree-level\n"
    assert polar in concepts
    concepts = concepts.replace(polar, polar.replace(b"mc-degree-level", b"mc-degree-levels"))
    texts["knowledge/concepts.yaml"] = concepts
    # a steering rule's lead (knowledge/ui/steer.yaml) names its rule
    texts["knowledge/ui/steer.yaml"] = texts["knowledge/ui/steer.yaml"].replace(
        b"steer.who-issues:", b"steer.who-issue:"
    )
    kb, errors = check_texts(texts)
    assert kb is None
    lines = {n + 1: line for n, line in enumerate(concepts.decode().splitlines())}
    leads = [e for e in errors if e.file == "knowledge/ui/steer.yaml"]
    assert [(e.field, e.reason) for e in leads] == [
        ('strings["steer.who-issue"]', 'unknown steering rule "who-issue"')
    ]
    errors = [e for e in errors if e not in leads]
    found = {(e.file, e.field, e.reason) for e in errors}
    assert found == {
        ("knowledge/concepts.yaml", "vocabulary.steer_to.level-admitted[0]", 'unknown intent "cmf-levels"'),
        (
            "knowledge/concepts.yaml",
            "vocabulary.steer_unless.hours-of-credits[1]",
            'unknown concept "microcred"',
        ),
        ("knowledge/concepts.yaml", "vocabulary.steer_when.recognised-abroad[0]", 'unknown concept "abraod"'),
        (
            "knowledge/concepts.yaml",
            "vocabulary.steer_when_two.platforms-compared-credit[0]",
            'unknown concept "partner-futurlearn"',
        ),
        ("knowledge/concepts.yaml", "vocabulary.steer_polar[0]", 'unknown steering rule "mc-degree-levels"'),
    }
    words = ("cmf-levels", "microcred", "abraod", "partner-futurlearn", "mc-degree-levels")
    assert all(any(w in lines[e.line] for w in words) for e in errors)


def test_guard_advice_names_existing_guards_and_has_its_string() -> None:
    """A typo in `guard_advice` would silently drop the scam warning: the load names the file, line
    and field of an unknown guard rule, a rule given twice and an advice without its string."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"]
    assert b"  guard_advice:\n    scam: [buy-shortcut-credential," in concepts
    concepts = concepts.replace(
        b"  guard_advice:\n    scam: [buy-shortcut-credential,",
        b"  guard_advice:\n    fraud: [prize-fee]\n    scam: [buy-shortcut-credentail,",
    )
    texts["knowledge/concepts.yaml"] = concepts
    kb, errors = check_texts(texts)
    assert kb is None
    found = {(e.file, e.field, e.reason) for e in errors}
    assert found == {
        (
            "knowledge/concepts.yaml",
            "vocabulary.guard_advice.fraud",
            'no string "fallback.declined.fraud" in knowledge/ui',
        ),
        (
            "knowledge/concepts.yaml",
            "vocabulary.guard_advice.scam[0]",
            'unknown guard rule "buy-shortcut-credentail"',
        ),
        (
            "knowledge/concepts.yaml",
            "vocabulary.guard_advice.scam[10]",
            'guard rule "prize-fee" already has an advice',
        ),
    }


def test_evidence_names_existing_concepts() -> None:
    """A typo in an `evidence` list (here `request_filters`) would silently leave the concept out: the
    load names the file, line and field instead, and loads nothing."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"].replace(
        b"request_filters: [ects, credit-unit, credit]", b"request_filters: [ects, credit-unit, credits]"
    )
    texts["knowledge/concepts.yaml"] = concepts
    kb, errors = check_texts(texts)
    assert kb is None
    assert [(e.file, e.field, e.reason) for e in errors] == [
        ("knowledge/concepts.yaml", "vocabulary.evidence.request_filters[2]", 'unknown concept "credits"')
    ]
    assert "credits" in concepts.decode().splitlines()[errors[0].line - 1]


@pytest.mark.parametrize(
    ("bad", "field", "reason"),
    [
        (b"            uk:\n              min: 10\n", "other_credits.uk.max", "required field is missing"),
        (
            b"            gb:\n              min: 10\n              max: 15\n",
            "other_credits.gb",
            'unknown field "gb"',
        ),
        (
            b"            uk:\n              min: 15\n              max: 10\n",
            "other_credits.uk.min",
            "min 15 is above max 10",
        ),
        (
            b"            ects:\n              min: 6\n              max: 4\n",
            "other_credits.ects.min",
            "min 6 is above max 4",
        ),
    ],
)
def test_the_credits_rules_other_credits_are_checked(bad: bytes, field: str, reason: str) -> None:
    """A UK, US or ECTS range missing an end or running downwards, or a credit system the check does
    not read, names the file, line and field, and loads nothing."""
    texts = _shipped_texts()
    shipped = (
        b"          other_credits:\n            ects:\n              min: 4\n              max: 6\n"
        b"            uk:\n              min: 10\n              max: 15\n"
    )
    assert shipped in texts["knowledge/cmf.yaml"]
    texts["knowledge/cmf.yaml"] = texts["knowledge/cmf.yaml"].replace(
        shipped, b"          other_credits:\n" + bad
    )
    kb, errors = check_texts(texts)
    assert kb is None
    assert [(e.file, e.field.split(".rule.")[-1], e.reason) for e in errors] == [
        ("knowledge/cmf.yaml", field, reason)
    ]


def test_an_intents_platform_is_a_partner_platform() -> None:
    """`leads_to.platform` keeps an intent to its platform's questions: an unknown one would silently
    let it answer questions about every platform. The load names the file, line and field."""
    texts = _shipped_texts()
    shipped = b"      entry: partner-futurelearn-mc-refunds\n      platform: partner-futurelearn\n"
    assert shipped in texts["intents.yaml"]
    texts["intents.yaml"] = texts["intents.yaml"].replace(
        shipped, shipped.replace(b"platform: partner-", b"platform: ")
    )
    kb, errors = check_texts(texts)
    assert kb is None
    assert [(e.file, e.reason) for e in errors] == [
        ("intents.yaml", 'unknown partner platform "futurelearn"')
    ]
    assert errors[0].field.endswith(".leads_to.platform")
    assert "platform: futurelearn" in texts["intents.yaml"].decode().splitlines()[errors[0].line - 1]


def test_a_guard_names_existing_concepts() -> None:
    """A guard declines a message only when all its concepts occur: a typo in one would keep it from
    ever declining. The load names the file, line and field, and loads nothing."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"].replace(
        b"    jobs-and-employment: [jobs-and-employment]", b"    jobs-and-employment: [jobs-and-employmnt]"
    )
    assert concepts != texts["knowledge/concepts.yaml"]
    texts["knowledge/concepts.yaml"] = concepts
    kb, errors = check_texts(texts)
    assert kb is None
    assert [(e.file, e.field, e.reason) for e in errors] == [
        (
            "knowledge/concepts.yaml",
            "vocabulary.guards.jobs-and-employment[0]",
            'unknown concept "jobs-and-employmnt"',
        )
    ]
    assert "jobs-and-employmnt" in concepts.decode().splitlines()[errors[0].line - 1]


@pytest.mark.parametrize(
    ("shipped", "typos", "name", "errors"),
    [
        # a typo in `guard_unless` would let the everyday-life guard decline a learner's real question
        (
            b"  guard_unless:\n    everyday-life: [microcredential, cmf, eqf, ects, mooc, course-request]",
            b"  guard_unless:\n    everyday-lives: [microcredential, cmf, eqf, ects, moocs, course-request]",
            b"everyday-lives",
            {
                ("vocabulary.guard_unless.everyday-lives", 'unknown guard rule "everyday-lives"'),
                ("vocabulary.guard_unless.everyday-lives[4]", 'unknown concept "moocs"'),
            },
        ),
        # a typo in `polar_about` would put an entry's yes/no lead on every yes/no question, or on none
        (
            b"    cmf-id-verification: [identity]\n",
            b"    cmf-id-verifcation: [identty]\n",
            b"cmf-id-verifcation",
            {
                ("vocabulary.polar_about.cmf-id-verifcation", 'unknown entry "cmf-id-verifcation"'),
                ("vocabulary.polar_about.cmf-id-verifcation[0]", 'unknown concept "identty"'),
            },
        ),
    ],
)
def test_rules_keyed_by_a_rule_or_an_entry_name_ones_that_exist(
    shipped: bytes, typos: bytes, name: bytes, errors: set[tuple[str, str]]
) -> None:
    """`guard_unless` names guard rules and `polar_about` entries, each with concepts: the load names
    the file, line and field of an unknown one, and loads nothing."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"]
    assert shipped in concepts
    concepts = concepts.replace(shipped, typos)
    texts["knowledge/concepts.yaml"] = concepts
    kb, found = check_texts(texts)
    assert kb is None
    assert {(e.file, e.field, e.reason) for e in found} == {("knowledge/concepts.yaml", *e) for e in errors}
    assert all(name in concepts.splitlines()[e.line - 1] for e in found)


@pytest.mark.parametrize(
    ("phrase", "names"),
    [(b"sur la plateforme", "none"), (b"sur fun ou eduopen", "partner-eduopen, partner-fun")],
)
def test_a_home_platform_phrase_must_name_one_partner_platform(phrase: bytes, names: str) -> None:
    """`home_partner` phrases are read through the concept layer: a phrase naming no platform (or
    two) would silently switch the reading off for its language, so the load refuses it."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"]
    assert b"fr: [sur fun]" in concepts
    concepts = concepts.replace(b"fr: [sur fun]", b"fr: [" + phrase + b"]")
    texts["knowledge/concepts.yaml"] = concepts
    kb, errors = check_texts(texts)
    assert kb is None
    lines = {n + 1: line for n, line in enumerate(concepts.decode().splitlines())}
    reason = f'"{phrase.decode()}" must name one partner platform, names {names}'
    assert {(e.file, e.field, e.reason) for e in errors} == {
        ("knowledge/concepts.yaml", "vocabulary.home_partner.fr", reason)
    }
    assert all(phrase.decode() in lines[e.line] for e in errors)


def test_each_unsourced_aspect_has_its_line_and_each_line_an_aspect() -> None:
    """A typo in an aspect id of `unsourced` or in its line's key would silently drop the "not in my
    sources" line: the load names the file, line and field of both (and of the lists naming the
    aspect), and loads nothing."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"]
    assert b"\n    linkedin: [on linkedin," in concepts
    texts["knowledge/concepts.yaml"] = concepts.replace(
        b"\n    linkedin: [on linkedin,", b"\n    linkdin: [on linkedin,"
    )
    kb, errors = check_texts(texts)
    assert kb is None
    lines = {n + 1: line for n, line in enumerate(texts["knowledge/concepts.yaml"].decode().splitlines())}
    found = {(e.file, e.field, e.reason) for e in errors}
    assert found == {
        (
            "knowledge/concepts.yaml",
            "vocabulary.unsourced.linkdin",
            'no string "unsourced.linkdin" in knowledge/ui',
        ),
        (
            "knowledge/ui/unsourced.yaml",
            'strings["unsourced.linkedin"]',
            'unknown aspect "linkedin" (vocabulary: unsourced)',
        ),
        # the concepts keeping the old aspect's line off name it no more
        ("knowledge/concepts.yaml", "vocabulary.unsourced_unless.linkedin", 'unknown aspect "linkedin"'),
    }
    assert "linkdin" in lines[next(e.line for e in errors if e.field == "vocabulary.unsourced.linkdin")]


@pytest.mark.parametrize(
    ("shipped", "typo", "field", "reason"),
    [
        (
            b"\n    - course-dates\n",
            b"\n    - course-date\n",
            "unsourced_on_courses[0]",
            'unknown aspect "course-date"',
        ),
        (
            b"\n  unsourced_on_checks:\n    - cfu\n",
            b"\n  unsourced_on_checks:\n    - cfus\n",
            "unsourced_on_checks[0]",
            'unknown aspect "cfus"',
        ),
    ],
)
def test_an_unsourced_aspect_for_course_cards_or_checks_must_be_an_aspect(
    shipped: bytes, typo: bytes, field: str, reason: str
) -> None:
    """`unsourced_on_courses` (or `unsourced_on_checks`) naming no aspect of `unsourced` would silently
    leave a course's card (or a compliance check) without its line: the load names the file, line
    and field, and loads nothing."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"]
    assert shipped in concepts
    texts["knowledge/concepts.yaml"] = concepts.replace(shipped, typo)
    kb, errors = check_texts(texts)
    assert kb is None
    assert [(e.file, e.field, e.reason) for e in errors] == [
        ("knowledge/concepts.yaml", f"vocabulary.{field}", reason)
    ]
    lines = texts["knowledge/concepts.yaml"].decode().splitlines()
    assert typo.decode().split()[-1] in lines[errors[0].line - 1]


@pytest.mark.parametrize(
    ("shipped", "wrong", "field", "reason"),
    [
        (
            b"\n  unsourced_on_courses:\n    - course-dates\n",
            b"\n  unsourced_on_courses: course-dates\n",
            "unsourced_on_courses",
            "expected a list, got text",
        ),
        (
            b"\n  unsourced_on_checks:\n    - cfu\n",
            b"\n  unsourced_on_checks: cfu\n",
            "unsourced_on_checks",
            "expected a list, got text",
        ),
        (
            b"\n  unsourced_unless:\n    linkedin: [asks-as-employer]\n"
            b"    other-refunds: [partner-futurelearn, microcredential]\n",
            b"\n  unsourced_unless: linkedin\n",
            "unsourced_unless",
            "expected a mapping, got text",
        ),
        (
            b"\n    linkedin: [asks-as-employer]\n",
            b"\n    linkedin: asks-as-employer\n",
            "unsourced_unless.linkedin",
            "expected a list, got text",
        ),
    ],
)
def test_an_aspect_section_of_the_wrong_shape_is_one_clear_error(
    shipped: bytes, wrong: bytes, field: str, reason: str
) -> None:
    """A section written as text where a list or a mapping is expected is named with its file, line
    and field, once, and nothing loads (it had crashed the vocabulary merge, or been read letter by
    letter as names)."""
    texts = _shipped_texts()
    assert shipped in texts["knowledge/concepts.yaml"]
    texts["knowledge/concepts.yaml"] = texts["knowledge/concepts.yaml"].replace(shipped, wrong, 1)
    kb, errors = check_texts(texts)
    assert kb is None
    assert [(e.file, e.field, e.reason) for e in errors] == [
        ("knowledge/concepts.yaml", f"vocabulary.{field}", reason)
    ]


def test_an_aspect_kept_off_by_concepts_must_name_an_aspect_and_concepts() -> None:
    """`unsourced_unless` names an aspect and the concepts keeping its line off; a typo in either
    names file, line and field."""
    texts = _shipped_texts()
    concepts = texts["knowledge/concepts.yaml"]
    shipped = b"\n  unsourced_unless:\n    linkedin: [asks-as-employer]\n"
    assert shipped in concepts
    texts["knowledge/concepts.yaml"] = concepts.replace(
        shipped, b"\n  unsourced_unless:\n    linkdin: [asks-as-employr]\n"
    )
    kb, errors = check_texts(texts)
    assert kb is None
    assert [(e.file, e.field, e.reason) for e in errors] == [
        ("knowledge/concepts.yaml", "vocabulary.unsourced_unless.linkdin", 'unknown aspect "linkdin"'),
        (
            "knowledge/concepts.yaml",
            "vocabulary.unsourced_unless.linkdin[0]",
            'unknown concept "asks-as-employr"',
        ),
    ]


def test_each_price_norm_has_its_line_and_each_line_a_norm() -> None:
    """A typo in a price norm's key or in its line's key would silently show "not stated" for a free
    platform's course: the load names the file, line and field of both, and loads nothing. A norm
    naming no partner platform or without its source is the schema's to refuse."""
    texts = _shipped_texts()
    vocabulary = texts["knowledge/vocabulary.yaml"]
    assert b"\n    imoox:\n      platform: iMooX\n" in vocabulary
    texts["knowledge/vocabulary.yaml"] = vocabulary.replace(
        b"\n    imoox:\n      platform: iMooX\n", b"\n    imox:\n      platform: iMooX\n"
    )
    kb, errors = check_texts(texts)
    assert kb is None
    lines = {n + 1: line for n, line in enumerate(texts["knowledge/vocabulary.yaml"].decode().splitlines())}
    assert {(e.file, e.field, e.reason) for e in errors} == {
        (
            "knowledge/vocabulary.yaml",
            "vocabulary.price_norms.imox",
            'no string "price_norm.imox" in knowledge/ui',
        ),
        (
            "knowledge/ui/messages.yaml",
            'strings["price_norm.imoox"]',
            'unknown price norm "imoox" (vocabulary: price_norms)',
        ),
    }
    assert "imox" in lines[next(e.line for e in errors if e.field == "vocabulary.price_norms.imox")]
    texts = _shipped_texts()
    texts["knowledge/vocabulary.yaml"] = vocabulary.replace(
        b"      platform: iMooX\n      source: https://imoox.at",
        b"      platform: Coursera\n      source: http://imoox.at",
    )
    kb, errors = check_texts(texts)
    assert kb is None
    assert {e.field for e in errors} == {
        "vocabulary.price_norms.imoox.platform",
        "vocabulary.price_norms.imoox.source",
    }
