"""Nearest training phrasings as evidence beside the linear matcher (issue 8, eighth pass, part B).

A linear model and a nearest-neighbour model make different errors. `NeighbourIndex` keeps the
training rows' TF-IDF vectors (the matcher's own `Vectorizer`, so the same n-grams, idf and concept
features), quantised, as an inverted index by intent: for each intent and feature ONE Python integer
packs that feature's weight in every row of the intent (a 32-bit lane a row), so the cosine of a
question with every row of an intent costs one big-integer multiply-add per question feature, in C,
as the matcher's packed scoring does (no numpy when answering).

`NeighbourMixMatcher` re-weighs the matcher's top intents by that evidence: for the `TOP` most likely
classes, score = log p + weight · sim (sim = the intent's best cosine, or the mean of its `k` best),
and their probability mass is shared again by the softmax of those scores; the other classes keep
theirs. Weight 0 is the matcher unchanged. Measured in `bench.ensemble` (config names "+knn…") and
`bench.clinc150`; docs/matching.md and docs/quality.md, "Eighth pass, part B".
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

from bot.engine.matcher import _X_SCALE, OUT_OF_SCOPE, IntentMatcher, _quantize
from bot.engine.normalize import normalize

ROW_SCALE = 1 << 10
"""Fixed-point scale of a row's TF-IDF weights in the index (a question's are at the matcher's
`_X_SCALE`): a lane holds at most about ROW_SCALE · _X_SCALE = 2^22, well inside 32 bits."""
_LANE = 4
"""Bytes of a lane (one row)."""
TOP = 5
"""The classes re-weighed: the matcher's five most likely."""


class NeighbourIndex:
    """Cosine of a question's quantised TF-IDF vector with every training row, by intent."""

    def __init__(self, intents: Sequence[str], packed: list[dict[int, int]], sizes: list[int]) -> None:
        """`packed[c][f]`: feature f's weights in intent c's rows, one lane a row; `sizes[c]` rows."""
        self._intents = list(intents)
        self._packed = packed
        self._sizes = sizes
        self._scale = 1.0 / (ROW_SCALE * _X_SCALE)

    @classmethod
    def build(cls, matcher: IntentMatcher, rows: Iterable[tuple[str, str, str]]) -> NeighbourIndex:
        """Index `(intent, lang, text)` rows (the matcher's training rows) with `matcher`'s vectorizer;
        rows of an intent the matcher does not know are left out."""
        class_of = {intent: c for c, intent in enumerate(matcher._intents)}
        vectorizer = matcher._vectorizer
        packed: list[dict[int, int]] = [{} for _ in class_of]
        sizes = [0] * len(class_of)
        for intent, _, text in sorted(set(rows)):
            c = class_of.get(intent)
            if c is None or not normalize(text):
                continue
            shift = 32 * sizes[c]
            sizes[c] += 1
            lanes = packed[c]
            for f, w in vectorizer.transform(text).items():
                q = round(w * ROW_SCALE)
                if q > 0:
                    lanes[f] = lanes.get(f, 0) + (q << shift)
        return cls(matcher._intents, packed, sizes)

    def cosines(self, vec: Sequence[tuple[int, int]], c: int) -> list[float]:
        """The cosine of the quantised question vector `vec` (the matcher's `_quantize`) with every row
        of class `c` (empty when it has none)."""
        n = self._sizes[c]
        if not n:
            return []
        lanes = self._packed[c]
        acc = 0
        for f, x in vec:
            p = lanes.get(f)
            if p is not None:
                acc += p * x
        out = array("I")
        out.frombytes(acc.to_bytes(n * _LANE, "little"))
        scale = self._scale
        return [v * scale for v in out]

    def score(self, vec: Sequence[tuple[int, int]], c: int, k: int = 1) -> float:
        """Class `c`'s nearest-row evidence: its best cosine (k = 1) or the mean of its `k` best."""
        sims = self.cosines(vec, c)
        if not sims:
            return 0.0
        if k == 1:
            return max(sims)
        best = sorted(sims, reverse=True)[:k]
        return sum(best) / k

    def best(self, vec: Sequence[tuple[int, int]], classes: Iterable[int] | None = None) -> float:
        """The best cosine of `vec` with any row of `classes` (default: every class but out-of-scope)."""
        if classes is None:
            classes = (c for c, i in enumerate(self._intents) if i != OUT_OF_SCOPE)
        return max((self.score(vec, c) for c in classes), default=0.0)

    def size(self) -> tuple[int, int]:
        """(packed integers, bytes of their lanes): the index's footprint."""
        ints = sum(len(p) for p in self._packed)
        data = sum((v.bit_length() + 7) // 8 for p in self._packed for v in p.values())
        return ints, data

    def state(self) -> dict[str, Any]:
        """Plain values (safe for `marshal`)."""
        return {"intents": self._intents, "packed": self._packed, "sizes": self._sizes}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> NeighbourIndex:
        """The index `state()` was taken from."""
        return cls(state["intents"], state["packed"], state["sizes"])


class NeighbourMixMatcher(IntentMatcher):
    """`base`'s probabilities, its `TOP` classes re-weighed by the nearest rows (see the module)."""

    def __init__(
        self,
        base: IntentMatcher,
        index: NeighbourIndex,
        weight: float,
        *,
        k: int = 1,
        top: int = TOP,
        with_oos: bool = True,
        boost: float | None = None,
        gate: tuple[float, float] | None = None,
    ) -> None:
        """`weight` ≥ 0 multiplies the similarity in the score; `with_oos`: the out-of-scope class is
        re-weighed too when it is among the top classes (else it keeps its probability and is skipped).
        Abstention (bench variants): `boost` s — when the best cosine with the top intents' rows
        reaches s, the out-of-scope class's probability is shared among the intents; `gate` (s, f) —
        below s, the intents' probabilities are multiplied by f and the rest goes to out-of-scope."""
        super().__init__(base._vectorizer, base._intents, base._weights, base._bias)
        self._score_scale = base._score_scale
        self.index = index
        self.weight = float(weight)
        self.k = k
        self.top = top
        self._oos = base._intents.index(OUT_OF_SCOPE) if OUT_OF_SCOPE in base._intents else -1
        self.with_oos = with_oos
        self.boost = boost
        self.gate = gate
        self.last_best = 0.0
        """The best cosine with the rows of the top intents (out-of-scope left out), last question."""

    def probabilities(self, question: str) -> list[float]:
        """The base matcher's probabilities with its top classes re-weighed."""
        vec = _quantize(self._vectorizer.transform(question))
        logits = self.scores_of(vec)
        top = max(logits)
        exps = [math.exp(s - top) for s in logits]
        total = sum(exps)
        probs = [e / total for e in exps]
        order = sorted(range(len(probs)), key=lambda c: -probs[c])
        chosen = [c for c in order if self.with_oos or c != self._oos][: self.top]
        sims = {c: self.index.score(vec, c, self.k) for c in chosen}
        intents = [c for c in order if c != self._oos][: self.top]
        best = max((sims[c] if c in sims else self.index.score(vec, c, 1) for c in intents), default=0.0)
        self.last_best = best
        if self.weight and chosen:
            mass = sum(probs[c] for c in chosen)
            scores = {c: math.log(max(probs[c], 1e-300)) + self.weight * sims[c] for c in chosen}
            peak = max(scores.values())
            ex = {c: math.exp(s - peak) for c, s in scores.items()}
            norm = sum(ex.values())
            for c in chosen:
                probs[c] = mass * ex[c] / norm
        if self._oos >= 0 and self.boost is not None and best >= self.boost and probs[self._oos] < 1.0:
            keep = 1.0 / (1.0 - probs[self._oos])
            probs = [0.0 if c == self._oos else p * keep for c, p in enumerate(probs)]
        if self._oos >= 0 and self.gate is not None and best < self.gate[0]:
            f = self.gate[1]
            moved = sum(p for c, p in enumerate(probs) if c != self._oos) * (1.0 - f)
            probs = [p + moved if c == self._oos else p * f for c, p in enumerate(probs)]
        return probs

    def logits(self, question: str) -> list[float]:
        """Log-probabilities (their softmax is `probabilities`)."""
        return [math.log(p) if p > 0 else -1e9 for p in self.probabilities(question)]


__all__ = ["ROW_SCALE", "TOP", "NeighbourIndex", "NeighbourMixMatcher"]
