"""Intent matching: a sparse linear classifier over word and character n-grams, in pure Python.

Design (chosen by measurement on CLINC150, see docs/matching.md): each phrasing becomes a TF-IDF
vector of word 1–2-grams and character 2–5-grams of its normalised text; a multinomial logistic
regression is trained on them by SGD at build time (4–8 epochs, see `EPOCH_BUDGET`); `rank` gives
softmax probabilities, so one threshold carries over between questions. Character n-grams make it
tolerant of typos and do not depend on the language.

Speed without numpy: the weights of one feature for all intents are packed into ONE Python integer,
each intent in its own 64-bit lane (a fixed-point number with a bias). Adding `x * packed` for the
question's features adds every intent's score at once in C, so a question costs one big-integer
multiply-add per feature (~0.2 ms in all for CLINC150's 151 intents), and a training step costs two.
"""

from __future__ import annotations

import math
import random
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.engine.normalize import normalize

OUT_OF_SCOPE = "_out_of_scope"
"""Reserved intent id for example off-topic questions: trained on, never returned by `rank`."""

_LANE_BITS = 64
_HALF = 1 << (_LANE_BITS - 1)
_X_SCALE = 1 << 12
"""Fixed-point scale of feature values (TF-IDF weights in [0, 1])."""
_CONFIDENT = 0.99
"""Training skips examples already given this probability (halves the build time, same accuracy)."""
_W_SCALE = 1 << 28
"""Fixed-point scale of weights; scores are integers at `_X_SCALE * _W_SCALE`."""
EPOCH_BUDGET = 25_000
"""Default training length: as many epochs as fit in this many example passes, between `MIN_EPOCHS` and
`MAX_EPOCHS`. The bot's knowledge base (~3,000 phrasings) gets 8 epochs, which scores about 1.5 points
better on the quality set's tune split than 4 (mean of 3 seeds) and varies less between seeds; CLINC150
(15,100 phrasings) gets 4, so its build stays ~25 s. docs/matching.md has the measurements."""
MIN_EPOCHS, MAX_EPOCHS = 4, 8
NUMPY_EPOCH_BUDGET, NUMPY_MAX_EPOCHS = 70_000, 16
"""The same rule for the numpy trainer (the default), up to 16 epochs: the bot's knowledge base
(~8,300 rows) gets 8, which scored better than 4 and 6 on the quality set's tune split and dev half
a; CLINC150 (15,100 phrasings) keeps 4; a few dozen phrasings (the tests' knowledge) get 16, which
made the typo tests pass for every seed tried instead of 5 of 6 (epochs cost little there)."""


ANNOTATION_REPEAT = 3
"""Each annotation (the concept layer's "concept:<id>") counts as this many occurrences, so its TF-IDF
weight is 1 + ln 3 ≈ 2.1 times that of a single n-gram: a concept named in any language weighs more
against the hundreds of character n-grams of a question. Measured on the quality set's tune split + dev
halves A and B, seeds 0-2 (right outcomes, of 2,412): 1× 2,203; 2× 2,211; 3× 2,212; 4× 2,209; 8× 2,207
(dev half B in-scope 395 → 399-400 of 516 for every factor above 1). Each pair of annotations is one
more feature: 2,212 → 2,217 (seeds 3-4: 1,467 → 1,471; dev half A −3, half B +3, old set +11)."""


def default_epochs(n_phrasings: int) -> int:
    """The number of training epochs the python trainer uses for `n_phrasings` (see `EPOCH_BUDGET`)."""
    return max(MIN_EPOCHS, min(MAX_EPOCHS, EPOCH_BUDGET // max(1, n_phrasings)))


def numpy_epochs(n_phrasings: int) -> int:
    """The number of training epochs `IntentMatcher.build` uses for `n_phrasings` (numpy trainer)."""
    return max(MIN_EPOCHS, min(NUMPY_MAX_EPOCHS, NUMPY_EPOCH_BUDGET // max(1, n_phrasings)))


# ---------------------------------------------------------------------------------------------
# Features


Annotate = Callable[[str], Iterable[str]]
"""Extra features of a text (e.g. the concept layer's "concept:<id>"), added beside the n-grams."""


def _raw_features(
    text: str, char_range: tuple[int, int], word_ngrams: int, annotate: Annotate | None = None
) -> Counter[str]:
    """Word n-grams (prefixed "w "), character n-grams of the space-padded normalised text, and the
    `annotate` features (prefixed "x "; each counted `ANNOTATION_REPEAT` times) and their pairs, counted."""
    return Counter(_grams(text, char_range, word_ngrams, annotate))


def _grams(
    text: str, char_range: tuple[int, int], word_ngrams: int, annotate: Annotate | None = None
) -> list[str]:
    """The n-grams and features `_raw_features` counts, in order."""
    norm = normalize(text)
    words = norm.split()
    grams = [
        "w " + " ".join(words[i : i + n])
        for n in range(1, word_ngrams + 1)
        for i in range(len(words) - n + 1)
    ]
    padded = f" {norm} "
    lo, hi = char_range
    grams += [padded[i : i + n] for n in range(lo, hi + 1) for i in range(len(padded) - n + 1)]
    if annotate is not None:
        grams += ["x " + f for f in annotation_features(text, annotate)]
    return grams


def annotation_features(text: str, annotate: Annotate) -> list[str]:
    """The annotator's features of `text` as both matchers count them: each distinct one
    `ANNOTATION_REPEAT` times, then each pair ("a FUN certificate" = partner-fun & certificate: what two
    concepts mean together, whatever the language)."""
    found = sorted(set(annotate(text)))
    return found * ANNOTATION_REPEAT + [a + "&" + b for n, a in enumerate(found) for b in found[n + 1 :]]


class Vectorizer:
    """TF-IDF (sublinear tf, smoothed idf, L2-normalised) over a vocabulary fixed at build time."""

    def __init__(self, char_range: tuple[int, int] = (2, 5), word_ngrams: int = 2, min_df: int = 1) -> None:
        self.char_range = char_range
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.index: dict[str, int] = {}
        self.idf: list[float] = []
        self.annotate: Annotate | None = None
        """Extra features (not part of the state: the owner sets it again after `from_state`)."""

    def fit(self, texts: Sequence[str]) -> list[dict[int, float]]:
        """Learn the vocabulary and idf from `texts`; return their vectors."""
        raw = [_raw_features(t, self.char_range, self.word_ngrams, self.annotate) for t in texts]
        df: Counter[str] = Counter()
        for counts in raw:
            df.update(counts.keys())
        kept = sorted(f for f, n in df.items() if n >= self.min_df)
        self.index = {f: i for i, f in enumerate(kept)}
        n_docs = len(texts)
        self.idf = [math.log((1 + n_docs) / (1 + df[f])) + 1.0 for f in kept]
        return [self._weigh(counts) for counts in raw]

    def transform(self, text: str) -> dict[int, float]:
        return self._weigh(_raw_features(text, self.char_range, self.word_ngrams, self.annotate))

    def quantized(self, text: str) -> list[tuple[int, int]]:
        """`_quantize(self.transform(text))` in one pass over the features (the matcher's hot path)."""
        index_get, idf, log = self.index.get, self.idf, math.log
        found: list[tuple[int, float]] = []
        for feature, tf in _raw_features(text, self.char_range, self.word_ngrams, self.annotate).items():
            i = index_get(feature)
            if i is not None:
                found.append((i, idf[i] if tf == 1 else (1.0 + log(tf)) * idf[i]))
        norm = math.sqrt(sum(v * v for _, v in found))
        if not norm:
            return []
        out = []
        for i, v in found:
            x = v / norm * _X_SCALE
            if x >= 0.5:
                out.append((i, round(x)))
        return out

    def _weigh(self, counts: Counter[str]) -> dict[int, float]:
        index, idf = self.index, self.idf
        vec: dict[int, float] = {}
        for feature, tf in counts.items():
            i = index.get(feature)
            if i is not None:
                vec[i] = (1.0 + math.log(tf)) * idf[i]
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if norm:
            for i in vec:
                vec[i] /= norm
        return vec


# ---------------------------------------------------------------------------------------------
# Packed lanes


class _Lanes:
    """Packs a list of `n` signed integers into one Python int (64-bit lanes) and back."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.bias = int.from_bytes(array("Q", [_HALF] * n).tobytes(), "little")

    def pack(self, values: Sequence[int]) -> int:
        return int.from_bytes(array("Q", [v + _HALF for v in values]).tobytes(), "little") - self.bias

    def unpack(self, packed: int) -> list[int]:
        lanes = array("Q")
        lanes.frombytes((packed + self.bias).to_bytes(self.n * 8, "little"))
        return [v - _HALF for v in lanes]


def _quantize(vec: dict[int, float]) -> list[tuple[int, int]]:
    return [(i, round(v * _X_SCALE)) for i, v in vec.items() if v * _X_SCALE >= 0.5]


def _softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


# ---------------------------------------------------------------------------------------------
# Matcher


@dataclass(frozen=True)
class Thresholds:
    """Answer when the best probability reaches `answer`; suggest when it reaches `suggest`."""

    answer: float
    suggest: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.suggest <= self.answer <= 1.0:
            raise ValueError(f"need 0 <= suggest <= answer <= 1, got {self.suggest} and {self.answer}")


DEFAULT_THRESHOLDS = Thresholds(answer=0.5, suggest=0.2)
"""Placeholder until tuned on `tests/data/questions.yaml` with `tune_thresholds` (docs/matching.md).

A first tuning on all 378 questions of that set gave answer 0.258, suggest 0.176; CLINC150 (151 intents)
gave 0.350. The engine's configured thresholds take precedence."""


def tune_thresholds(
    matcher: IntentMatcher,
    labelled: Iterable[tuple[str, str | None]],
    *,
    oos_weight: float = 1.0,
    limit: int = 3,
) -> Thresholds:
    """Pick thresholds on labelled questions: `(question, intent)` pairs, intent None = out of scope.

    For `tests/data/questions.yaml` pass `[(row["q"], row["intent"]) for row in rows]`. See
    `choose_thresholds` for the rule.
    """
    return choose_thresholds(
        [(matcher.rank(q, limit), intent) for q, intent in labelled], oos_weight=oos_weight
    )


def choose_thresholds(
    results: Iterable[tuple[Sequence[tuple[str, float]], str | None]],
    *,
    oos_weight: float = 1.0,
) -> Thresholds:
    """Pick thresholds from ranked results: `(ranked, expected intent or None for out of scope)`.

    `answer` maximises the right outcomes: an in-scope question answered with its intent, an
    out-of-scope one not answered (each out-of-scope question counts `oos_weight` times). `suggest`
    (≤ answer) then maximises the in-scope questions left below `answer` whose intent is among the
    suggestions, plus the out-of-scope ones that fall below it (a plain "I don't know"). Ties go to
    the lowest threshold.
    """
    rows = [(list(ranked), intent) for ranked, intent in results]
    if not rows:
        raise ValueError("no labelled questions to tune thresholds on")

    def top(ranked: list[tuple[str, float]]) -> float:
        return ranked[0][1] if ranked else 0.0

    cuts = sorted({0.0, 1.0} | {top(ranked) for ranked, _ in rows})
    right = sorted(top(r) for r, intent in rows if intent is not None and r and r[0][0] == intent)
    oos = sorted(top(r) for r, intent in rows if intent is None)

    def answer_gain(th: float) -> float:
        return len(right) - bisect_left(right, th) + oos_weight * bisect_left(oos, th)

    answer = max(cuts, key=lambda th: (answer_gain(th), -th))
    below = [(r, intent) for r, intent in rows if top(r) < answer]
    listed = sorted(top(r) for r, intent in below if intent is not None and intent in (i for i, _ in r))
    oos_below = sorted(top(r) for r, intent in below if intent is None)

    def suggest_gain(th: float) -> float:
        return len(listed) - bisect_left(listed, th) + oos_weight * bisect_left(oos_below, th)

    suggest = max((c for c in cuts if c <= answer), key=lambda th: (suggest_gain(th), -th))
    return Thresholds(answer=answer, suggest=suggest)


def training_rows(
    phrasings: Iterable[tuple[str, str, str]], epochs: int | None, epochs_for: Callable[[int], int]
) -> tuple[list[tuple[str, str, str]], list[str], int]:
    """The distinct non-empty `(intent, lang, text)` rows sorted (so the input order does not matter),
    the sorted intent ids and the epochs (`epochs_for(len(rows))` when None). Raises ValueError for
    no rows, only out-of-scope rows, or fewer than one epoch. The caller's tuples of three strings are
    kept, not copied, and texts are checked with `hashing.normalize_fast` (at ten times the knowledge
    base: 6 MB and ~0.8 s less)."""
    from bot.engine.hashing import normalize_fast

    def row(r: Any) -> tuple[str, str, str]:
        if type(r) is tuple and len(r) == 3 and all(type(f) is str for f in r):
            return r
        i, lang, text = r
        return str(i), str(lang), str(text)

    rows = sorted({r for r in map(row, phrasings) if normalize_fast(r[2])})
    if not rows:
        raise ValueError("no phrasings to build a matcher from")
    if epochs is None:
        epochs = epochs_for(len(rows))
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    intents = sorted({r[0] for r in rows})
    if intents == [OUT_OF_SCOPE]:
        raise ValueError("only out-of-scope phrasings; need at least one intent")
    return rows, intents, epochs


WARM_TARGET = 0.95
"""A warm update (`MatcherBase.warm_update`) trains until each added phrasing gets at least this
probability for its intent from the updated matcher (the router answers a question naming none of
our concepts from 0.9), within `WARM_MAX_PASSES` passes."""
WARM_MIN_PASSES, WARM_MAX_PASSES = 3, 12
WARM_LEARNING_RATE = 1.0
"""Learning rate of a warm update's passes (a full training starts at 5 and decays as 1/epoch)."""
WARM_ADDED_WEIGHT = 4.0
"""An added row's gradient counts this many times a replayed row's."""
WARM_REPLAY = 400
"""Old rows replayed beside the added ones in a warm update (a seeded sample, the off-topic class
included), so the weights the added rows move keep serving the rest."""
WARM_NEIGHBOURS = 60
"""At most this many old rows of each intent the added rows train or were confused with, replayed
too (the intents a new phrasing can damage most)."""


def replay_rows(
    added: Sequence[tuple[str, str, str]],
    old: Sequence[tuple[str, str, str]],
    neighbours: Iterable[str],
    seed: int,
) -> list[tuple[str, str, str]]:
    """The old rows a warm update replays: up to `WARM_NEIGHBOURS` rows of each intent of `added` and
    of `neighbours` (the intents the old matcher gave the added phrasings), and a seeded sample of
    `WARM_REPLAY` rows of the rest (sorted first, so the choice depends only on the rows)."""
    rng = random.Random(seed)
    ordered = sorted(set(old) - set(added))
    near = {r[0] for r in added} | set(neighbours)
    by_intent: dict[str, list[tuple[str, str, str]]] = {}
    rest: list[tuple[str, str, str]] = []
    for row in ordered:
        if row[0] in near:
            by_intent.setdefault(row[0], []).append(row)
        else:
            rest.append(row)
    out: list[tuple[str, str, str]] = []
    for intent in sorted(by_intent):
        rows = by_intent[intent]
        out += rows if len(rows) <= WARM_NEIGHBOURS else rng.sample(rows, WARM_NEIGHBOURS)
    out += rest if len(rest) <= WARM_REPLAY else rng.sample(rest, WARM_REPLAY)
    return sorted(out)


class MatcherBase:
    """What the engine's two intent matchers share (`IntentMatcher` here, dense;
    `bot.engine.sparse_matcher.SparseIntentMatcher`): each gives `logits` and `rank` of its own."""

    _vectorizer: Any
    _intents: list[str]
    warm_passes: int = 0
    """Passes of the last warm update that made this matcher (0: trained from scratch or read back)."""
    warm_worst: float = 1.0
    """The lowest probability an added row got from that warm update."""

    @property
    def intents(self) -> list[str]:
        """The intents this matcher can return (without `OUT_OF_SCOPE`)."""
        return [i for i in self._intents if i != OUT_OF_SCOPE]

    def set_annotate(self, annotate: Annotate | None) -> None:
        """The extra features used when the matcher was built (not kept by `state()`)."""
        self._vectorizer.annotate = annotate

    def logits(self, question: str) -> list[float]:
        """The linear score of every intent (in `self._intents` order) for `question`."""
        raise NotImplementedError

    def probabilities(self, question: str) -> list[float]:
        """Softmax probability of every intent (in `self._intents` order) for `question`."""
        return _softmax(self.logits(question))

    def rank(self, question: str, limit: int = 3, *, out_of_scope: bool = False) -> list[tuple[str, float]]:
        """The `limit` most likely intents, best first, with probabilities in [0, 1]."""
        raise NotImplementedError

    def state(self) -> dict[str, Any]:
        """The trained matcher as plain values (safe for `marshal`)."""
        raise NotImplementedError

    def warm_update(
        self,
        added: Sequence[tuple[str, str, str]],
        old: Sequence[tuple[str, str, str]],
        *,
        seed: int = 0,
        recent: Sequence[tuple[str, str, str]] = (),
    ) -> MatcherBase:
        """A new matcher: this one's weights trained a few passes more on the `added` rows (intents
        this matcher knows) mixed with a replay of the `old` rows it was trained on (`replay_rows`),
        until each added row gets `WARM_TARGET`. `recent`: old rows added by earlier warm updates,
        trained like the added ones (so a later update does not wear them down). This matcher is not
        changed. Raises ValueError when it cannot be updated that way (an unknown intent, no added
        rows): then train from scratch."""
        raise NotImplementedError

    @staticmethod
    def _taught(
        rows: list[tuple[str, str, str]],
        recent: Sequence[tuple[str, str, str]],
        old: Sequence[tuple[str, str, str]],
    ) -> list[tuple[str, str, str]]:
        """The rows a warm update trains to `WARM_TARGET`: the added ones, then the `recent` ones
        still among the `old` rows."""
        return rows + sorted(set(recent).intersection(old).difference(rows))

    def _warm_check(self, added: Sequence[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """The distinct non-empty added rows, sorted; ValueError for none or an intent not known."""
        rows = sorted({(str(i), str(lang), str(t)) for i, lang, t in added if normalize(str(t))})
        if not rows:
            raise ValueError("no phrasings to add")
        unknown = sorted({r[0] for r in rows} - set(self._intents))
        if unknown:
            raise ValueError(f"intents the matcher was not trained on: {', '.join(unknown[:5])}")
        return rows

    def _neighbours(self, added: Sequence[tuple[str, str, str]]) -> set[str]:
        """The intents (the out-of-scope class too) this matcher gives ≥ 5 % on an added row."""
        return {
            intent
            for row in added
            for intent, p in self.rank(row[2], 4, out_of_scope=True)
            if p >= 0.05 and intent != row[0]
        }


class IntentMatcher(MatcherBase):
    """Ranks intents for a question. Build with `IntentMatcher.build(phrasings)`."""

    def __init__(
        self,
        vectorizer: Vectorizer,
        intents: list[str],
        weights: list[int],
        bias: int,
        weight_divisor: int = 1,
    ) -> None:
        self._vectorizer = vectorizer
        self._intents = intents
        self._weights = weights
        self._bias = bias
        self._lanes = _Lanes(len(intents))
        self._score_scale = 1.0 / (_X_SCALE * _W_SCALE * weight_divisor)

    @classmethod
    def build(
        cls,
        phrasings: Iterable[tuple[str, str, str]],
        *,
        epochs: int | None = None,
        learning_rate: float = 5.0,
        smoothing: float = 0.0,
        oos_weight: float = 1.0,
        seed: int = 0,
        seeds: Sequence[int] | None = None,
        annotate: Annotate | None = None,
        trainer: str = "numpy",
        **vectorizer_options: Any,
    ) -> IntentMatcher:
        """Train on `(intent_id, lang, text)` tuples. The same tuples, in any order, give the same matcher.

        `seeds` (numpy trainer): train once per seed on the same features and serve the mean of
        those models (a bag, `ensemble.BaggedIntentMatcher`) at the cost of one; default `(seed,)`.

        `epochs` defaults to `numpy_epochs` (`default_epochs` for the python trainer) of the number
        of distinct phrasings. `annotate` gives extra
        features of a text (the concept layer); pass the same to `set_annotate` after `from_state`.
        `trainer`: "numpy" (`bot.engine.trainer`, mini-batch SGD, the default) or "python" (the
        per-example SGD on packed lanes it replaced, kept for comparison and label `smoothing`).
        """
        if trainer not in ("numpy", "python"):
            raise ValueError(f"trainer must be 'numpy' or 'python', got {trainer!r}")
        if smoothing and trainer == "numpy":
            raise ValueError("label smoothing needs trainer='python'")
        seeds = (seed,) if seeds is None else tuple(seeds)
        if not seeds or (trainer == "python" and len(seeds) > 1):
            raise ValueError("seeds: one or more with trainer='numpy', one with trainer='python'")
        epochs_for = numpy_epochs if trainer == "numpy" else default_epochs
        rows, intents, epochs = training_rows(phrasings, epochs, epochs_for)
        class_of = {intent: c for c, intent in enumerate(intents)}
        vectorizer = Vectorizer(**vectorizer_options)
        vectorizer.annotate = annotate
        oos_class = class_of.get(OUT_OF_SCOPE, -1)
        if trainer == "numpy":
            # numpy is imported here, while training, and never on the question path
            from bot.engine.trainer import fit_dense

            char_range, word_ngrams = vectorizer.char_range, vectorizer.word_ngrams
            vocab, idf, packed, packed_bias = fit_dense(
                [r[2] for r in rows],
                [class_of[r[0]] for r in rows],
                intents,
                lambda text: _grams(text, char_range, word_ngrams, annotate),
                min_df=vectorizer.min_df,
                epochs=epochs,
                learning_rate=learning_rate,
                seeds=seeds,
                oos_class=oos_class,
                oos_weight=oos_weight,
                w_scale=_W_SCALE,
                half=_HALF,
            )
            vectorizer.index = {f: i for i, f in enumerate(vocab)}
            vectorizer.idf = idf
            return cls(vectorizer, intents, packed, packed_bias, weight_divisor=len(seeds))
        vectors = vectorizer.fit([r[2] for r in rows])
        data = [(_quantize(v), class_of[r[0]]) for v, r in zip(vectors, rows, strict=True)]
        weights, bias = _train_logreg(
            data,
            len(intents),
            len(vectorizer.idf),
            epochs,
            learning_rate,
            seeds[0],
            smoothing,
            oos_class,
            oos_weight,
        )
        return cls(vectorizer, intents, weights, bias, weight_divisor=epochs)

    def warm_update(
        self,
        added: Sequence[tuple[str, str, str]],
        old: Sequence[tuple[str, str, str]],
        *,
        seed: int = 0,
        recent: Sequence[tuple[str, str, str]] = (),
    ) -> IntentMatcher:
        """`MatcherBase.warm_update` (numpy, `trainer.warm_dense`). The vocabulary grows by the added
        rows' new n-grams (idf of an n-gram seen once; the other idfs are kept: one row more changes
        them by < 0.1 %), with weights learnt from zero; only the weights of the features of the rows
        trained move. Needs `min_df` 1 and packed weights at a whole divisor of the weight scale: 1
        for the numpy trainer, the members of a bag (`ensemble.BaggedIntentMatcher`, whose lanes are
        their sum) or the epochs of the python trainer (averaged weights); the lanes are read and
        written at that divisor, so the update trains the mean."""
        from bot.engine.trainer import warm_dense

        rows = self._warm_check(added)
        v = self._vectorizer
        divisor = round(1.0 / (self._score_scale * _X_SCALE * _W_SCALE))
        if (
            v.min_df != 1
            or divisor < 1
            or not math.isclose(self._score_scale, 1.0 / (_X_SCALE * _W_SCALE * divisor))
        ):
            raise ValueError("only a matcher with min_df 1 and a whole weight divisor is updated warm")
        neighbours = self._neighbours(rows)
        taught = self._taught(rows, recent, old)
        replay = replay_rows(taught, old, neighbours, seed)
        vectorizer = Vectorizer(v.char_range, v.word_ngrams, v.min_df)
        vectorizer.annotate = v.annotate
        index, idf = dict(v.index), list(v.idf)
        seen_once = math.log((1 + len(set(old))) / 2) + 1.0
        for row in rows:
            for gram in _grams(row[2], v.char_range, v.word_ngrams, v.annotate):
                if gram not in index:
                    index[gram] = len(idf)
                    idf.append(seen_once)
        vectorizer.index, vectorizer.idf = index, idf
        class_of = {intent: c for c, intent in enumerate(self._intents)}
        train = taught + replay
        feats, packed, bias, passes, worst = warm_dense(
            [vectorizer.transform(r[2]) for r in train],
            [class_of[r[0]] for r in train],
            len(taught),
            (self._weights, self._bias),
            len(self._intents),
            example_weight=[WARM_ADDED_WEIGHT] * len(taught) + [1.0] * len(replay),
            learning_rate=WARM_LEARNING_RATE,
            seed=seed,
            target=WARM_TARGET,
            min_passes=WARM_MIN_PASSES,
            max_passes=WARM_MAX_PASSES,
            w_scale=_W_SCALE * divisor,
            half=_HALF,
        )
        weights = list(self._weights)
        weights.extend([0] * (len(idf) - len(weights)))
        for f, w in zip(feats, packed, strict=True):
            weights[f] = w
        updated = type(self)(vectorizer, list(self._intents), weights, bias, weight_divisor=divisor)
        updated.warm_passes, updated.warm_worst = passes, worst
        return updated

    def state(self) -> dict[str, Any]:
        """The trained matcher as plain ints, floats, strings, lists and dicts (safe for `marshal`)."""
        v = self._vectorizer
        return {
            "version": 2,
            "char_range": list(v.char_range),
            "word_ngrams": v.word_ngrams,
            "min_df": v.min_df,
            "index": v.index,
            "idf": v.idf,
            "intents": self._intents,
            "weights": self._weights,
            "bias": self._bias,
            "score_scale": self._score_scale,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> IntentMatcher:
        """The matcher `state()` was taken from. Raises ValueError for another version's state."""
        if not isinstance(state, dict) or state.get("version") != 2:
            raise ValueError("not a matcher state of this version")
        lo, hi = state["char_range"]
        vectorizer = Vectorizer(char_range=(lo, hi), word_ngrams=state["word_ngrams"], min_df=state["min_df"])
        vectorizer.index, vectorizer.idf = state["index"], state["idf"]
        matcher = cls(vectorizer, state["intents"], state["weights"], state["bias"])
        matcher._score_scale = state["score_scale"]
        return matcher

    def logits(self, question: str) -> list[float]:
        """The linear score of every intent (in `self._intents` order) for `question`."""
        return self.scores_of(self._vectorizer.quantized(question))

    def scores_of(self, vec: Sequence[tuple[int, int]]) -> list[float]:
        """The linear score of every intent for a quantised feature vector (`_quantize`)."""
        weights = self._weights
        acc = self._bias * _X_SCALE
        for i, x in vec:
            acc += weights[i] * x
        scale = self._score_scale
        return [s * scale for s in self._lanes.unpack(acc)]

    def rank(self, question: str, limit: int = 3, *, out_of_scope: bool = False) -> list[tuple[str, float]]:
        """The `limit` most likely intents, best first, with probabilities in [0, 1].

        `OUT_OF_SCOPE` is left out unless `out_of_scope` is true (then it is ranked like an intent, so
        a caller can see that an off-topic example matched best). Ties are broken by intent id, so the
        order is deterministic. Empty text gives [].
        """
        if not normalize(question):
            return []
        probs = self.probabilities(question)
        ranked = sorted(
            (
                (intent, p)
                for intent, p in zip(self._intents, probs, strict=True)
                if out_of_scope or intent != OUT_OF_SCOPE
            ),
            key=lambda ip: (-ip[1], ip[0]),
        )
        return ranked[: max(0, limit)]


def _train_logreg(
    data: list[tuple[list[tuple[int, int]], int]],
    n_classes: int,
    n_features: int,
    epochs: int,
    learning_rate: float,
    seed: int,
    smoothing: float = 0.0,
    oos_class: int = -1,
    oos_weight: float = 1.0,
) -> tuple[list[int], int]:
    """Multinomial logistic regression by SGD on packed lanes.

    Returns the sum of the weights (and bias) over the end of each epoch, i.e. `epochs` times the
    epoch-averaged model, which generalises better than the last one.
    """
    lanes = _Lanes(n_classes)
    weights = [0] * n_features
    bias = 0
    sum_weights = [0] * n_features
    sum_bias = 0
    order = list(range(len(data)))
    rng = random.Random(seed)
    score_scale = 1.0 / (_X_SCALE * _W_SCALE)
    for epoch in range(epochs):
        rng.shuffle(order)
        lr = learning_rate / (1 + epoch)
        for k in order:
            vec, y = data[k]
            acc = bias * _X_SCALE
            for i, x in vec:
                acc += weights[i] * x
            probs = _softmax([s * score_scale for s in lanes.unpack(acc)])
            if probs[y] >= _CONFIDENT and not smoothing:
                continue  # the gradient would be below 1 % on every lane: skip the costly update
            # Gradient of the cross-entropy against the (smoothed) one-hot target.
            if smoothing:
                spread = smoothing / n_classes
                probs = [p - spread for p in probs]
            probs[y] -= 1.0 - smoothing
            # w_c -= lr * (p_c - y_c) * x  ->  weight ints change by (-lr * g_c * W/X) * x_int
            gscale = -lr * _W_SCALE / _X_SCALE * (oos_weight if y == oos_class else 1.0)
            grad = lanes.pack([round(g * gscale) for g in probs])
            for i, x in vec:
                weights[i] += grad * x
            bias += grad * _X_SCALE
        for i, w in enumerate(weights):
            if w:
                sum_weights[i] += w
        sum_bias += bias
    # The sums are `epochs` times the average: the caller divides the scores instead of the lanes.
    return sum_weights, sum_bias
