"""The quality set: labelled questions (tests/data/questions.yaml) through the whole engine.

Each row is `{q, intent, lang, split}`; `intent: null` marks an out-of-scope question. A question is
*right* when the engine answers it (status "answer") with the labelled intent; an out-of-scope
question is *declined* when the engine does not answer it: status "no_match" or "suggestions"
(a "did you mean" offer is not an answer, and in help channels the bot stays silent on it).
The engine runs with its documented default thresholds (tuned on the `tune` split only, `python -m bench
tune`), never with values chosen here or from the environment; the `holdout` split is reported separately
to show how well that choice carries over.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"
TARGET_IN_SCOPE = 0.91
"""The old quality set must stay at or above this share of in-scope questions answered right (issue 8)."""
TARGET_DECLINED = 0.98
"""... and this share of out-of-scope questions declined."""


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = data.get("questions", data) if isinstance(data, dict) else data
    return [dict(r) for r in rows]


def evaluate(engine: Any, rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Scores per split ("tune", "holdout") and for "all": in-scope accuracy, out-of-scope declined.

    `misses` (under "all") lists only questions of the tune split, so that a failing run never
    shows the holdout questions' text to whoever tunes the knowledge base.
    """
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        reply = engine.ask(str(row["q"]))
        expected = row.get("intent")
        for split in ("all", str(row.get("split") or "unsplit")):
            s = out.setdefault(
                split, {"in": 0, "right": 0, "oos": 0, "declined": 0, "lang_ok": 0, "n": 0, "misses": []}
            )
            s["n"] += 1
            s["lang_ok"] += reply.lang == row.get("lang")
            if expected is None:
                s["oos"] += 1
                if reply.status != "answer":
                    s["declined"] += 1
                elif split == "all" and row.get("split") == "tune":
                    s["misses"].append((row["q"], None, reply.intent, reply.confidence))
            else:
                s["in"] += 1
                if reply.status == "answer" and reply.intent == expected:
                    s["right"] += 1
                elif split == "all" and row.get("split") == "tune":
                    got = reply.intent if reply.status == "answer" else reply.status
                    s["misses"].append((row["q"], expected, got, reply.confidence))
    for s in out.values():
        s["accuracy"] = s["right"] / s["in"] if s["in"] else 1.0
        s["oos_declined"] = s["declined"] / s["oos"] if s["oos"] else 1.0
    return out


def report(scores: Mapping[str, Mapping[str, Any]]) -> str:
    lines = ["split     in-scope right      out-of-scope declined   language"]
    for split in sorted(scores, key=lambda k: (k == "all", k)):
        s = scores[split]
        lines.append(
            f"{split:<9} {s['right']:>4}/{s['in']:<4} {s['accuracy']:6.1%}   "
            f"{s['declined']:>4}/{s['oos']:<4} {s['oos_declined']:6.1%}   {s['lang_ok'] / s['n']:6.1%}"
        )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from bot.engine.engine import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD, Engine
    from bot.engine.loader import KnowledgeError

    try:
        eng = Engine.open(
            tmp_path_factory.mktemp("quality") / "db.sqlite3",
            ROOT,
            answer_threshold=DEFAULT_ANSWER_THRESHOLD,
            suggest_threshold=DEFAULT_SUGGEST_THRESHOLD,
        )
    except KnowledgeError as exc:
        pytest.fail(f"the shipped knowledge base does not load:\n{exc}", pytrace=False)
    yield eng
    eng.close()


def test_quality_set(engine: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert QUESTIONS.exists(), f"the quality question set {QUESTIONS} is missing"
    rows = load_questions()
    assert sum(1 for r in rows if r.get("intent") is None) >= 40
    scores = evaluate(engine, rows)
    with capsys.disabled():
        print(f"\nquality set (answer ≥ {engine.answer_threshold}, suggest ≥ {engine.suggest_threshold}):")
        print(report(scores))
    total = scores["all"]
    misses = "\n".join(f"  {q!r}: expected {e}, got {g} ({c:.2f})" for q, e, g, c in total["misses"][:40])
    assert total["accuracy"] >= TARGET_IN_SCOPE, f"in-scope accuracy {total['accuracy']:.1%}\n{misses}"
    declined = total["oos_declined"]
    assert declined >= TARGET_DECLINED, f"out-of-scope declined {declined:.1%}\n{misses}"


# -- the blind TEST set (tests/data/blind.yaml): aggregates only -------------------------------------

BLIND_FLOOR = {"in": 0.77, "out": 0.86}
"""What the engine reached on the blind set when it was last measured (78.9 % / 88.6 % after the
eleventh pass, 79.4 % / 88.0 % after the tenth, with the label map, the phase-3 label refresh and the
merged intents, README "The blind and development sets"), less a margin of about two points: a change
that loses ground on questions it was never tuned on fails here. A retraining in another SGD order
alone moves single-seed figures by a point or two (tenth pass), hence the margin."""
DEV_C_FLOOR = {"in": 0.83, "out": 0.95}
"""The same for development set C (`tests/data/devc.yaml`; analysed since the ninth pass): 84.9 % /
97.9 % when it was last measured (85.3 % after the tenth pass)."""


DEV_D_FLOOR = {"in": 0.74, "out": 0.95}
"""The same for development set D (`tests/data/devd.yaml`, written blind on 2026-12-03 after the ninth
pass; confirmation only, never analysed row by row; its aggregates decided some tenth-pass changes):
75.6 % / 97.4 % when it was last measured, after the eleventh pass (76.6 % / 98.3 % after the tenth,
76.3 % / 97.4 % when first measured)."""


def _scores_of(engine: Any, name: str) -> dict[str, Any]:
    import sys

    if str(ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
        sys.path.insert(0, str(ROOT))
    from bench.quality import SETS, load_rows, score

    return score(engine, load_rows(SETS[name]))


def test_dev_set_c_does_not_regress(engine: Any) -> None:
    """Development set C (written blind; its misses read row by row since the ninth pass) stays at its
    last measured level."""
    scores = _scores_of(engine, "devc")  # puts the checkout's bench/ on the path
    from bench.quality import report, share

    table = report(scores, "dev set C (aggregates only)")
    for scope, floor in DEV_C_FLOOR.items():
        assert share(scores["all"].get(scope)) >= floor, f"dev C {scope} below {floor:.0%}\n{table}"


def test_dev_set_d_does_not_regress(engine: Any) -> None:
    """Development set D (written blind, never analysed row by row) stays at its first measured level."""
    scores = _scores_of(engine, "devd")  # puts the checkout's bench/ on the path
    from bench.quality import report, share

    table = report(scores, "dev set D (aggregates only)")
    for scope, floor in DEV_D_FLOOR.items():
        assert share(scores["all"].get(scope)) >= floor, f"dev D {scope} below {floor:.0%}\n{table}"


@pytest.fixture(scope="module")
def blind_scores(engine: Any) -> dict[str, Any]:
    return _scores_of(engine, "blind")


def test_blind_set_does_not_regress(blind_scores: dict[str, Any]) -> None:
    """The blind set (never read for tuning) stays at or above its last measured level."""
    from bench.quality import report, share

    table = report(blind_scores, "blind set (aggregates only)")
    for scope, floor in BLIND_FLOOR.items():
        assert share(blind_scores["all"].get(scope)) >= floor, f"blind {scope} below {floor:.0%}\n{table}"


@pytest.mark.xfail(strict=True, reason="issue 8 targets (92 % / 95 % / 88 % a language) not reached yet")
def test_blind_set_meets_the_issue_targets(blind_scores: dict[str, Any]) -> None:
    """Issue 8's targets on the blind set. Strict: the day they are met, this xfail turns red so the
    marker is removed. The message prints aggregates only, never a question."""
    from bench.quality import failures, report

    missed = failures(blind_scores)
    assert not missed, "; ".join(missed) + "\n" + report(blind_scores, "blind set (aggregates only)")


def test_off_topic_examples_are_declined_and_never_offered(engine: Any) -> None:
    """The shipped `off-topic` intent (leads_to decline) turns its matches into a plain no_match."""
    off_topic = [i for i, intent in engine.kb.intents.items() if intent.leads_to.get("type") == "decline"]
    assert off_topic == ["off-topic"]
    for text, reason in (
        ("hello there", "greeting"),  # small talk alone: what the bot answers, no topic
        ("what is the capital of australia", "no_match"),
        ("how to center a div in css", "no_match"),
        ("tell me a joke", "declined"),  # a chat task (guard `chat-task`), declined before matching
    ):
        reply = engine.ask(text)
        assert (reply.status, reply.intent, reply.reason) == ("no_match", None, reason), text
        assert "off-topic" not in [s.intent for s in reply.suggestions]
    assert "off-topic" not in [i for i, _ in engine.rank("tell me a joke", limit=100)]
    assert "off-topic" not in [s.intent for s in engine.suggest_intents("", "en", limit=25)]
    assert "off-topic" not in [s.intent for s in engine.suggest_intents("tell me a jo", "en")]
    assert engine.answer_intent("off-topic", "en").status == "no_match"
    # An in-scope question is still answered.
    assert engine.ask("how many hours is a cmf microcredential").intent == "cmf-study-hours"


@pytest.mark.parametrize(
    "text",
    [
        "can i get a loan with bad credit",  # "credit" is not ECTS credit
        "how do i order a marriage certificate",  # nor a course certificate
        "how many holes are there on a golf course",  # nor a course request for the search
        "how many hours of daylight in stockholm in december",  # nor study hours
        "comment recharger mon crédit téléphone orange",
    ],
)
def test_off_topic_examples_that_share_domain_words_are_declined(engine: Any, text: str) -> None:
    """Off-topic examples win over the intents (and the course search) that share one of their words."""
    reply = engine.ask(text)
    assert (reply.status, reply.intent) == ("no_match", None), text


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ces crédits sont acceptés par les universités ?", "cmf-credit-recognition"),
        ("how many study hours does a cmf course need", "cmf-study-hours"),
        ("which platform has microcredentials in german", "partner-platforms-by-language"),
        ("quale piattaforma ha corsi in francese", "partner-platforms-by-language"),
        ("who makes sure the person taking the exam is the real learner", "cmf-id-verification"),
    ],
)
def test_generic_in_scope_questions_are_not_taken_by_the_off_topic_examples(
    engine: Any, text: str, intent: str
) -> None:
    """Plain in-scope questions that share words with off-topic examples (hours, platform, credits,
    exam) are still answered with their intent."""
    reply = engine.ask(text)
    assert (reply.status, reply.intent) == ("answer", intent), (text, reply.status, reply.intent)
