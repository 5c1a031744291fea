"""The matcher ensemble (`bot.engine.ensemble`): averaging members, its state, and its errors."""

from __future__ import annotations

import marshal
import math
from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.engine.ensemble import BAG_SEEDS, BaggedIntentMatcher, EnsembleMatcher, average_dense, factory
from bot.engine.matcher import OUT_OF_SCOPE, IntentMatcher
from bot.engine.sparse_matcher import SparseIntentMatcher

TOPICS = {
    "hours": ["how many hours does it take", "what is the workload", "wie viele Stunden", "cuántas horas"],
    "credits": ["how many ECTS credits", "can I transfer the credits", "combien de crédits ECTS"],
    "exam": ["is there an exam", "how is the assessment done", "c'è un esame finale"],
    "price": ["how much does it cost", "is it free", "combien ça coûte"],
}
QUESTIONS = ["how many hours", "ECTS credits?", "is the exam online", "cost", "tell me a joke", "zzz"]


def annotate(text: str) -> list[str]:
    folded = text.casefold()
    return [f"concept:{w}" for w in ("hours", "stunden", "horas", "ects") if w in folded]


def _rows() -> list[tuple[str, str, str]]:
    rows = [(intent, "en", text) for intent, texts in TOPICS.items() for text in texts]
    rows += [(OUT_OF_SCOPE, "en", t) for t in ("tell me a joke", "what's the weather", "who won the match")]
    return rows


@pytest.fixture(scope="module")
def members() -> tuple[IntentMatcher, IntentMatcher, SparseIntentMatcher]:
    rows = _rows()
    return (
        IntentMatcher.build(rows, seed=0, annotate=annotate),
        IntentMatcher.build(rows, seed=1, annotate=annotate),
        SparseIntentMatcher.build(rows, seed=0, annotate=annotate),
    )


def test_probability_averaging_is_the_weighted_mean_of_the_members(members: tuple) -> None:
    dense, _, sparse = members
    both = EnsembleMatcher([dense, sparse], ["dense", "sparse"], weights=[3, 1])
    for q in QUESTIONS:
        expected = [
            0.75 * a + 0.25 * b for a, b in zip(dense.probabilities(q), sparse.probabilities(q), strict=True)
        ]
        assert both.probabilities(q) == pytest.approx(expected)
        assert sum(both.probabilities(q)) == pytest.approx(1.0)
    best = both.rank("how many hours", 1)[0]
    assert best[0] == "hours"
    ids = sorted([OUT_OF_SCOPE, *both.intents])
    probs = dict(zip(ids, both.probabilities("how many hours"), strict=True))
    assert best[1] == pytest.approx(probs["hours"])


def test_logit_averaging_is_the_softmax_of_the_mean_logits(members: tuple) -> None:
    dense, dense1, _ = members
    bag = EnsembleMatcher([dense, dense1], ["dense", "dense"], combine="logit")
    for q in QUESTIONS:
        mean = [(a + b) / 2 for a, b in zip(dense.logits(q), dense1.logits(q), strict=True)]
        top = max(mean)
        exps = [math.exp(s - top) for s in mean]
        assert bag.probabilities(q) == pytest.approx([e / sum(exps) for e in exps])
        assert bag.logits(q) == pytest.approx(mean)


def test_one_member_ranks_like_that_member(members: tuple) -> None:
    dense, _, sparse = members
    for member, kind in ((dense, "dense"), (sparse, "sparse")):
        alone = EnsembleMatcher([member], [kind])
        for q in QUESTIONS:
            got, want = alone.rank(q, 4, out_of_scope=True), member.rank(q, 4, out_of_scope=True)
            assert [i for i, _ in got] == [i for i, _ in want]
            assert [p for _, p in got] == pytest.approx([p for _, p in want])


def test_rank_leaves_out_the_off_topic_class_unless_asked(members: tuple) -> None:
    ensemble = EnsembleMatcher(list(members), ["dense", "dense", "sparse"])
    assert ensemble.intents == ["credits", "exam", "hours", "price"]
    assert all(i != OUT_OF_SCOPE for i, _ in ensemble.rank("tell me a joke", 10))
    assert ensemble.rank("tell me a joke", 1, out_of_scope=True)[0][0] == OUT_OF_SCOPE
    assert ensemble.rank("  ?! ", 3) == []
    assert ensemble.rank("hours", 0) == []


def test_state_round_trip_through_marshal_gives_the_same_ranking(members: tuple) -> None:
    for combine in ("probability", "logit"):
        ensemble = EnsembleMatcher(list(members), ["dense", "dense", "sparse"], combine=combine)
        state = marshal.loads(marshal.dumps(ensemble.state()))
        # flat: each member's own keys under "n:", so the cache can write its large lists in chunks
        assert {k.partition(":")[0] for k in state if ":" in k} == {"0", "1", "2"}
        assert isinstance(state["0:index"], dict) and isinstance(state["2:weights"], bytes)
        back = EnsembleMatcher.from_state(state)
        back.set_annotate(annotate)
        for q in QUESTIONS:
            assert back.rank(q, 3, out_of_scope=True) == ensemble.rank(q, 3, out_of_scope=True)
        without = EnsembleMatcher.from_state(state)  # no annotator: the concept features are missing
        assert without.probabilities("wie viele Stunden") != ensemble.probabilities("wie viele Stunden")


def test_bad_ensembles_and_states_are_refused(members: tuple) -> None:
    dense, _, sparse = members
    other = IntentMatcher.build([r for r in _rows() if r[0] != "price"])
    with pytest.raises(ValueError, match="different intents"):
        EnsembleMatcher([dense, other], ["dense", "dense"])
    with pytest.raises(ValueError):
        EnsembleMatcher([], [])
    with pytest.raises(ValueError):
        EnsembleMatcher([dense, sparse], ["dense"])
    with pytest.raises(ValueError):
        EnsembleMatcher([dense, sparse], ["dense", "sparse"], weights=[1, 0])
    with pytest.raises(ValueError):
        EnsembleMatcher([dense], ["dense"], combine="median")
    with pytest.raises(ValueError):
        EnsembleMatcher.build(_rows(), spec=[("forest", 0)])
    with pytest.raises(ValueError):
        EnsembleMatcher.from_state(dense.state())
    state = EnsembleMatcher([dense], ["dense"]).state()
    with pytest.raises(ValueError):
        EnsembleMatcher.from_state(state | {"version": 99})


def test_build_trains_each_member_of_the_spec_with_its_seed() -> None:
    rows = _rows()
    ensemble = EnsembleMatcher.build(rows, spec=[("dense", 3), ("sparse", 1)], annotate=annotate)
    dense, sparse = ensemble.members
    assert isinstance(dense, IntentMatcher) and isinstance(sparse, SparseIntentMatcher)
    assert dense.state() == IntentMatcher.build(rows, seed=3, annotate=annotate).state()
    assert ensemble.rank("wie viele Stunden", 1)[0][0] == "hours"


def test_the_engine_answers_through_an_ensemble_factory(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    engine = Engine.open(tmp_path / "e.sqlite3", root, matcher_factory=factory([("dense", 0), ("dense", 1)]))
    try:
        assert isinstance(engine.snapshot.matcher, EnsembleMatcher)
        reply = engine.ask("how many hours is a CMF microcredential?")
        assert reply.status == "answer"
        assert reply.intent == "cmf-study-hours"
    finally:
        engine.close()


def test_averaged_dense_weights_rank_like_the_logit_average(members: tuple) -> None:
    dense, dense1, _sparse = members
    bag = EnsembleMatcher([dense, dense1], ["dense", "dense"], combine="logit")
    merged = average_dense([dense, dense1])
    assert isinstance(merged, IntentMatcher)
    for q in QUESTIONS:
        assert merged.logits(q) == pytest.approx(bag.logits(q), abs=1e-9)
        assert [i for i, _ in merged.rank(q, 5, out_of_scope=True)] == [
            i for i, _ in bag.rank(q, 5, out_of_scope=True)
        ]
    # it is a plain dense matcher: its state reads back as one
    back = IntentMatcher.from_state(marshal.loads(marshal.dumps(merged.state())))
    back.set_annotate(annotate)
    assert back.rank("wie viele Stunden", 3) == merged.rank("wie viele Stunden", 3)
    with pytest.raises(ValueError):
        average_dense([])
    other = IntentMatcher.build([*_rows(), ("hours", "en", "a brand new phrasing")], annotate=annotate)
    with pytest.raises(ValueError, match="vocabularies"):
        average_dense([dense, other])


def test_the_bagged_matcher_trains_its_seeds_and_serves_as_a_dense_matcher() -> None:
    rows = _rows()
    bagged = BaggedIntentMatcher.build(rows, seeds=[0, 1], annotate=annotate)
    expected = average_dense([IntentMatcher.build(rows, seed=s, annotate=annotate) for s in (0, 1)])
    assert bagged.state() == expected.state()
    back = BaggedIntentMatcher.from_state(bagged.state())
    assert isinstance(back, BaggedIntentMatcher)
    back.set_annotate(annotate)
    assert back.rank("how many hours", 1)[0][0] == "hours"
    assert len(BAG_SEEDS) > 1


def test_the_bagged_matcher_goes_through_the_engine_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wiring proposed for `snapshot.py` (matcher_class → BaggedIntentMatcher, its sources in
    the cache key): trained once, read back from the cache file the second time."""
    from bot.engine import snapshot

    monkeypatch.setattr(snapshot, "matcher_class", lambda n_rows: BaggedIntentMatcher)
    sources = {"BaggedIntentMatcher": ("ensemble.py", "matcher.py", "trainer.py")}
    monkeypatch.setattr(snapshot, "_MATCHER_SOURCES", snapshot._MATCHER_SOURCES | sources)
    trained: list[int] = []
    real_build = BaggedIntentMatcher.build.__func__  # type: ignore[attr-defined]

    def counting_build(cls: type, *args: object, **kwargs: object) -> BaggedIntentMatcher:
        trained.append(1)
        return real_build(cls, *args, **kwargs)

    monkeypatch.setattr(BaggedIntentMatcher, "build", classmethod(counting_build))
    path = tmp_path / "db.sqlite3.matcher"
    first = snapshot.cached_matcher(_rows(), annotate, "salt", path)
    second = snapshot.cached_matcher(_rows(), annotate, "salt", path)
    assert trained == [1]
    assert isinstance(first, BaggedIntentMatcher) and isinstance(second, BaggedIntentMatcher)
    for q in QUESTIONS:
        assert second.rank(q, 3, out_of_scope=True) == first.rank(q, 3, out_of_scope=True)
