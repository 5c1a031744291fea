"""Nearest training phrasings (`bench.neighbours`): the packed index's cosines, the re-weighing of
the matcher's top intents, and the abstention variants measured in the benches."""

from __future__ import annotations

import marshal
import math
import sys
from pathlib import Path

import pytest

from bot.engine.matcher import OUT_OF_SCOPE, IntentMatcher, _quantize

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.neighbours import NeighbourIndex, NeighbourMixMatcher  # noqa: E402

TOPICS = {
    "hours": ["how many hours does it take", "what is the workload", "wie viele Stunden", "cuántas horas"],
    "credits": ["how many ECTS credits", "can I transfer the credits", "combien de crédits ECTS"],
    "exam": ["is there an exam", "how is the assessment done", "c'è un esame finale"],
    "price": ["how much does it cost", "is it free", "combien ça coûte"],
}
OFF = ["tell me a joke", "what's the weather", "who won the match"]
QUESTIONS = ["how many hours", "ECTS credits?", "is the exam online", "cost", "tell me a joke", "zzz"]


def _rows() -> list[tuple[str, str, str]]:
    rows = [(intent, "en", text) for intent, texts in TOPICS.items() for text in texts]
    return rows + [(OUT_OF_SCOPE, "en", t) for t in OFF]


@pytest.fixture(scope="module")
def built() -> tuple[IntentMatcher, NeighbourIndex]:
    matcher = IntentMatcher.build(_rows(), seed=0)
    return matcher, NeighbourIndex.build(matcher, _rows())


def _exact(matcher: IntentMatcher, question: str, text: str) -> float:
    """The float cosine of two texts' TF-IDF vectors (both L2-normalised by the vectorizer)."""
    a, b = matcher._vectorizer.transform(question), matcher._vectorizer.transform(text)
    return sum(v * b.get(i, 0.0) for i, v in a.items())


def test_cosines_are_the_vectorizers_cosines_with_every_row_of_an_intent(built: tuple) -> None:
    matcher, index = built
    for question in QUESTIONS:
        vec = _quantize(matcher._vectorizer.transform(question))
        for intent, texts in [*TOPICS.items(), (OUT_OF_SCOPE, OFF)]:
            c = matcher._intents.index(intent)
            got = index.cosines(vec, c)
            want = [_exact(matcher, question, t) for t in sorted(texts)]  # rows are indexed sorted
            assert got == pytest.approx(want, abs=0.01)
            assert index.score(vec, c) == pytest.approx(max(want), abs=0.01)
            best3 = sorted(want, reverse=True)[:3]
            assert index.score(vec, c, k=3) == pytest.approx(sum(best3) / 3, abs=0.01)


def test_a_training_phrasing_is_its_own_nearest_row(built: tuple) -> None:
    matcher, index = built
    vec = _quantize(matcher._vectorizer.transform("can I transfer the credits"))
    sims = index.cosines(vec, matcher._intents.index("credits"))
    assert max(sims) == pytest.approx(1.0, abs=0.01)
    assert index.best(vec) == pytest.approx(1.0, abs=0.01)
    assert index.best(_quantize(matcher._vectorizer.transform("qqqq"))) < 0.2


def test_weight_zero_is_the_matcher_unchanged(built: tuple) -> None:
    matcher, index = built
    mixed = NeighbourMixMatcher(matcher, index, 0.0)
    for question in QUESTIONS:
        assert mixed.probabilities(question) == pytest.approx(matcher.probabilities(question))
        got, want = mixed.rank(question, 3, out_of_scope=True), matcher.rank(question, 3, out_of_scope=True)
        assert [i for i, _ in got] == [i for i, _ in want]
        assert [p for _, p in got] == pytest.approx([p for _, p in want])


def test_reweighing_keeps_the_top_classes_mass_and_follows_the_nearest_row(built: tuple) -> None:
    matcher, index = built
    question = "how many credits is the workload"  # near rows of two intents
    base = matcher.probabilities(question)
    top = sorted(range(len(base)), key=lambda c: -base[c])[:5]
    vec = _quantize(matcher._vectorizer.transform(question))
    sims = {c: index.score(vec, c) for c in top}
    for weight in (1.0, 5.0, 50.0):
        mixed = NeighbourMixMatcher(matcher, index, weight).probabilities(question)
        assert sum(mixed) == pytest.approx(1.0)
        assert sum(mixed[c] for c in top) == pytest.approx(sum(base[c] for c in top))
        for c in top:  # log p + weight · sim, renormalised over the top classes
            for d in top:
                want = math.log(base[c] / base[d]) + weight * (sims[c] - sims[d])
                assert math.log(mixed[c] / mixed[d]) == pytest.approx(want, abs=1e-6)
    strong = NeighbourMixMatcher(matcher, index, 200.0).probabilities(question)
    assert max(top, key=lambda c: strong[c]) == max(top, key=lambda c: sims[c])


def test_out_of_scope_class_kept_when_not_reweighed(built: tuple) -> None:
    matcher, index = built
    oos = matcher._intents.index(OUT_OF_SCOPE)
    for question in QUESTIONS:
        mixed = NeighbourMixMatcher(matcher, index, 10.0, with_oos=False).probabilities(question)
        assert mixed[oos] == pytest.approx(matcher.probabilities(question)[oos])
        assert sum(mixed) == pytest.approx(1.0)


def test_boost_and_gate_move_the_off_topic_mass(built: tuple) -> None:
    matcher, index = built
    oos = matcher._intents.index(OUT_OF_SCOPE)
    near, far = "how many hours does it take", "qqqq zzzz"
    boosted = NeighbourMixMatcher(matcher, index, 0.0, boost=0.9)
    assert boosted.probabilities(near)[oos] == 0.0
    assert boosted.last_best == pytest.approx(1.0, abs=0.01)
    assert boosted.probabilities(far) == pytest.approx(matcher.probabilities(far))
    gated = NeighbourMixMatcher(matcher, index, 0.0, gate=(0.5, 0.25))
    base, got = matcher.probabilities(far), gated.probabilities(far)
    assert sum(got) == pytest.approx(1.0)
    for c, p in enumerate(base):
        if c != oos:
            assert got[c] == pytest.approx(0.25 * p)
    assert gated.probabilities(near) == pytest.approx(matcher.probabilities(near))


def test_state_round_trip(built: tuple) -> None:
    matcher, index = built
    again = NeighbourIndex.from_state(marshal.loads(marshal.dumps(index.state())))
    vec = _quantize(matcher._vectorizer.transform("is the exam online"))
    for c in range(len(matcher._intents)):
        assert again.cosines(vec, c) == index.cosines(vec, c)
    ints, data = index.size()
    assert ints > 0 and data > 0


def test_rows_of_unknown_intents_and_empty_texts_are_left_out() -> None:
    matcher = IntentMatcher.build(_rows(), seed=0)
    index = NeighbourIndex.build(matcher, [*_rows(), ("nope", "en", "how many hours"), ("hours", "en", "  ")])
    vec = _quantize(matcher._vectorizer.transform("how many hours"))
    assert len(index.cosines(vec, matcher._intents.index("hours"))) == len(TOPICS["hours"])
