"""An ensemble of intent matchers: the average of their probabilities (or logits) (issue 8, sixth pass).

Members are any `MatcherBase` trained on the same rows (so they share the intent list): the dense
`IntentMatcher` (word + character n-gram vocabulary, numpy SGD), the sparse `SparseIntentMatcher`
(hashed n-grams, its own support and trainer), or the dense one trained with other seeds (bagging).
`combine="probability"` averages the members' softmax probabilities (each member's own calibration
is kept); `combine="logit"` averages their linear scores and takes one softmax.

A spec names the members: `(("dense", 0), ("sparse", 0))` trains the dense matcher with seed 0 and
the sparse one with seed 0. `state()` is flat (each member's keys prefixed "<n>:"), so the engine's
cache writes its large lists in chunks as for a single matcher; `from_state` reads it back.

Measured (`python -m bench.ensemble`, docs/quality.md "Sixth pass"): adding the sparse matcher to
the dense one lowers the right outcomes (its errors are not independent enough and it is the weaker
of the two); averaging dense matchers trained with other seeds (bagging) raises them on every seed
tried and on CLINC150. Averaging dense logits needs no ensemble at serving time: `average_dense`
sums the members' packed weights into one `IntentMatcher`, and `BaggedIntentMatcher` trains that
(the engine's matcher once `snapshot.matcher_class` names it). `factory` makes a
`snapshot.MatcherFactory` of any spec, for benchmarks and tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from bot.engine.matcher import OUT_OF_SCOPE, Annotate, IntentMatcher, MatcherBase
from bot.engine.normalize import normalize

STATE_VERSION = 1
COMBINES = ("probability", "logit")
Spec = Sequence[tuple[str, int]]
"""Members as (kind, training seed): kind "dense" (`IntentMatcher`) or "sparse" (`SparseIntentMatcher`)."""
DEFAULT_SPEC: tuple[tuple[str, int], ...] = (("dense", 0), ("sparse", 0))
BAG_SEEDS: tuple[int, ...] = (0, 10)
"""The training seeds `BaggedIntentMatcher` averages. Right outcomes on the old set's tune split + dev
halves A and B (`python -m bench.ensemble`), seeds 0-2 / 0-4: one dense matcher 2,216 / 3,686; two
averaged 2,228 / 3,710; three 2,225 / 3,710; five 2,222 / 3,704; one trained 16 epochs (the CPU of two)
2,218 / 3,697. Two: the gain of three at two thirds of the training (docs/quality.md, sixth pass)."""


def _member_class(kind: str) -> Any:
    """The matcher class of a member kind (the sparse one imported only when asked for)."""
    if kind == "dense":
        return IntentMatcher
    if kind == "sparse":
        from bot.engine.sparse_matcher import SparseIntentMatcher

        return SparseIntentMatcher
    raise ValueError(f"member kind must be 'dense' or 'sparse', got {kind!r}")


class EnsembleMatcher(MatcherBase):
    """Ranks intents by the (weighted) average of its members' probabilities or logits."""

    def __init__(
        self,
        members: Sequence[MatcherBase],
        kinds: Sequence[str],
        *,
        weights: Sequence[float] | None = None,
        combine: str = "probability",
    ) -> None:
        """`members` trained on the same rows (same intents, same order); `kinds` their kinds (for
        `state`); `weights` (default equal) must be positive."""
        if not members:
            raise ValueError("an ensemble needs at least one member")
        if len(kinds) != len(members):
            raise ValueError("one kind per member")
        if combine not in COMBINES:
            raise ValueError(f"combine must be one of {COMBINES}, got {combine!r}")
        intents = members[0]._intents
        if any(m._intents != intents for m in members):
            raise ValueError("the members were trained on different intents")
        weights = [1.0] * len(members) if weights is None else [float(w) for w in weights]
        if len(weights) != len(members) or min(weights) <= 0:
            raise ValueError("one positive weight per member")
        total = sum(weights)
        self._members = list(members)
        self._kinds = [str(k) for k in kinds]
        self._weights = [w / total for w in weights]
        self._combine = combine
        self._intents = list(intents)
        self._vectorizer = members[0]._vectorizer

    @classmethod
    def build(
        cls,
        phrasings: Iterable[tuple[str, str, str]],
        *,
        spec: Spec = DEFAULT_SPEC,
        weights: Sequence[float] | None = None,
        combine: str = "probability",
        annotate: Annotate | None = None,
    ) -> EnsembleMatcher:
        """Train each member of `spec` on `(intent_id, lang, text)` tuples (see `Spec`)."""
        rows = list(phrasings)
        members = [_member_class(kind).build(rows, seed=seed, annotate=annotate) for kind, seed in spec]
        return cls(members, [kind for kind, _ in spec], weights=weights, combine=combine)

    @property
    def members(self) -> list[MatcherBase]:
        """The member matchers, in order."""
        return list(self._members)

    def set_annotate(self, annotate: Annotate | None) -> None:
        """The extra features used when the members were built (not kept by `state()`)."""
        for member in self._members:
            member.set_annotate(annotate)

    def probabilities(self, question: str) -> list[float]:
        """The ensemble's probability of every intent (in `self._intents` order)."""
        if self._combine == "logit":
            return _softmax(self.logits(question))
        out = [0.0] * len(self._intents)
        for member, w in zip(self._members, self._weights, strict=True):
            for c, p in enumerate(member.probabilities(question)):
                out[c] += w * p
        return out

    def logits(self, question: str) -> list[float]:
        """Averaged member logits ("logit"), or the log of the averaged probabilities ("probability"):
        either way their softmax is `probabilities`."""
        if self._combine == "probability":
            return [math.log(p) if p > 0 else -1e9 for p in self.probabilities(question)]
        out = [0.0] * len(self._intents)
        for member, w in zip(self._members, self._weights, strict=True):
            for c, s in enumerate(member.logits(question)):
                out[c] += w * s
        return out

    def rank(self, question: str, limit: int = 3, *, out_of_scope: bool = False) -> list[tuple[str, float]]:
        """The `limit` most likely intents, best first, with probabilities in [0, 1] (`OUT_OF_SCOPE`
        only when `out_of_scope`; ties by intent id; empty text gives [])."""
        if not normalize(question) or limit <= 0:
            return []
        ranked = sorted(
            (
                (intent, p)
                for intent, p in zip(self._intents, self.probabilities(question), strict=True)
                if out_of_scope or intent != OUT_OF_SCOPE
            ),
            key=lambda ip: (-ip[1], ip[0]),
        )
        return ranked[:limit]

    def state(self) -> dict[str, Any]:
        """Plain values (safe for `marshal`), flat: member n's keys are prefixed "n:"."""
        out: dict[str, Any] = {
            "version": STATE_VERSION,
            "kind": "ensemble",
            "members": list(self._kinds),
            "weights": list(self._weights),
            "combine": self._combine,
        }
        for n, member in enumerate(self._members):
            for key, value in member.state().items():
                out[f"{n}:{key}"] = value
        return out

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> EnsembleMatcher:
        """The ensemble `state()` was taken from. Raises ValueError for another version's state."""
        if not isinstance(state, dict) or state.get("kind") != "ensemble":
            raise ValueError("not an ensemble state")
        if state.get("version") != STATE_VERSION:
            raise ValueError("not an ensemble state of this version")
        kinds = [str(k) for k in state["members"]]
        parts: list[dict[str, Any]] = [{} for _ in kinds]
        for key, value in state.items():
            head, sep, rest = key.partition(":")
            if sep and head.isdigit() and int(head) < len(kinds):
                parts[int(head)][rest] = value
        members = [_member_class(kind).from_state(part) for kind, part in zip(kinds, parts, strict=True)]
        return cls(members, kinds, weights=state["weights"], combine=state["combine"])


def _softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _check_same_model(first: IntentMatcher, other: IntentMatcher) -> None:
    """Raise ValueError unless `other` has `first`'s intents, score scale and vocabulary."""
    v, w = first._vectorizer, other._vectorizer
    if other._intents != first._intents or other._score_scale != first._score_scale:
        raise ValueError("the members were trained on different intents or scales")
    if (w.index, w.idf, w.char_range, w.word_ngrams) != (v.index, v.idf, v.char_range, v.word_ngrams):
        raise ValueError("the members have different vocabularies")


def average_dense(members: Sequence[IntentMatcher]) -> IntentMatcher:
    """One `IntentMatcher` whose logits are the mean of the members' (the "logit" average of dense
    members trained on the same rows with other seeds): the same vocabulary, so the mean of linear
    models is the linear model of the mean weights. The packed lanes of the members are summed
    exactly (one Python int per feature) and the score scale divided by their number, so it serves
    at the cost of one dense matcher. Raises ValueError when the members differ in vocabulary."""
    if not members:
        raise ValueError("nothing to average")
    first = members[0]
    for m in members[1:]:
        _check_same_model(first, m)
    weights = [sum(ws) for ws in zip(*(m._weights for m in members), strict=True)]
    return _with_weights(first, weights, sum(m._bias for m in members), len(members))


def _with_weights(
    like: IntentMatcher, weights: list[int], bias: int, n: int, cls: Any = IntentMatcher
) -> Any:
    """A matcher of class `cls` with `like`'s vocabulary and the sum of `n` members' packed weights."""
    out = cls(like._vectorizer, list(like._intents), weights, bias)
    out._score_scale = like._score_scale / n
    return out


class BaggedIntentMatcher(IntentMatcher):
    """The dense matcher trained with `BAG_SEEDS` and averaged (`average_dense`): an `IntentMatcher`
    in state and serving cost, `len(BAG_SEEDS)` times its training."""

    @classmethod
    def build(  # type: ignore[override]
        cls,
        phrasings: Iterable[tuple[str, str, str]],
        *,
        seeds: Sequence[int] | None = None,
        annotate: Annotate | None = None,
        **options: Any,
    ) -> BaggedIntentMatcher:
        """`IntentMatcher.build(…, seed=s)` for each of `seeds` (default `BAG_SEEDS`), averaged: the
        members are trained on features built once and summed as they finish (`trainer.fit_dense`),
        the same matcher as `average_dense` of the members built apart."""
        seeds = BAG_SEEDS if seeds is None else list(seeds)
        if not seeds:
            raise ValueError("need at least one seed")
        built = super().build(phrasings, seeds=seeds, annotate=annotate, **options)
        assert isinstance(built, cls)
        return built


def factory(
    spec: Spec = DEFAULT_SPEC, *, weights: Sequence[float] | None = None, combine: str = "probability"
) -> Callable[[list[tuple[str, str, str]], Annotate | None, str, Path | None], EnsembleMatcher]:
    """A `snapshot.MatcherFactory` that trains this ensemble (no cache: for benchmarks and tests)."""

    def make(
        rows: list[tuple[str, str, str]], annotate: Annotate | None, salt: str, path: Path | None
    ) -> EnsembleMatcher:
        return EnsembleMatcher.build(rows, spec=spec, weights=weights, combine=combine, annotate=annotate)

    return make


__all__ = ["BAG_SEEDS", "DEFAULT_SPEC", "BaggedIntentMatcher", "EnsembleMatcher", "average_dense", "factory"]
