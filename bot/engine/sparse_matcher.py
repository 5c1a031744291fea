"""A sparse intent matcher over hashed word and character n-grams, served in pure Python (issue 8).

The engine's matcher from `snapshot.SPARSE_FROM_ROWS` training rows (docs/matching.md, "Scaling"):
it keeps `IntentMatcher`'s interface
and about its accuracy on the quality sets, takes a sixth of its memory, and trains ten times the
knowledge base in ~15 s. Each phrasing becomes a TF-IDF vector of word 1–2-grams and character
2–5-grams of its normalised text, hashed into a fixed number of buckets without building the n-gram
strings (`bot.engine.hashing`), so no vocabulary is kept. A multinomial logistic regression is trained
on them by SGD at build time; `rank` gives softmax probabilities, so one threshold carries over between
questions. Character n-grams make it tolerant of typos and do not depend on the language.

Scaling: the weights are sparse. A bucket carries weights only for the intents whose phrasings
contain it, at most `max_classes` of them (those where it is most frequent), the out-of-scope class,
and the confusers a first epoch finds, stored in flat `array`s (bucket offsets, intent numbers,
float32 weights). A question costs one short loop per bucket, memory and training grow with the
phrasings, not with intents × features.

`build()` trains with numpy (`bot.engine.sparse_trainer`, imported only then); `trainer="python"` is
the former pure-Python SGD, kept for comparison. `warm_update()` learns a few added phrasings from a
trained matcher (`sparse_trainer.warm_train`): the hashed feature space is fixed, so only slots and
the idf of buckets never seen are added.
"""

from __future__ import annotations

import math
import random
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any

from bot.engine.hashing import AnnotatorFactory, bucket_counts
from bot.engine.matcher import OUT_OF_SCOPE, Annotate, MatcherBase, training_rows
from bot.engine.normalize import normalize

STATE_VERSION = 4
_CONFIDENT = 0.99
"""Training skips the update of examples already given this probability (same accuracy, faster)."""
DIM_BITS = 20
"""Hashed feature space: 2**20 buckets (8 MB of idf and offsets in all)."""
CONFUSER_P = 0.05
"""A first pass finds the wrong intents given at least this probability on a training phrasing; they
get weights for that phrasing's buckets too (the negative evidence a dense model has everywhere)."""
MAX_CLASSES = 24
"""A bucket keeps weights for at most this many intents (where it is most frequent)."""
EPOCH_BUDGET = 25_000
"""Default training length: as many epochs as fit in this many example passes, between `MIN_EPOCHS` and
`MAX_EPOCHS`. The bot's knowledge base (~3,000 phrasings) gets 8 epochs, CLINC150 (15,100 phrasings)
gets 4, ten times the knowledge base (~42,000) gets 2. docs/matching.md has the measurements."""
MIN_EPOCHS, MAX_EPOCHS = 2, 8
SLOT_BUDGET = 240_000
"""The numpy trainer's default `max_classes`: this many over the number of phrasings, between
`MIN_CLASSES` and `MAX_CLASSES` — 24 for the bot's knowledge base (~8,300 phrasings), 9 at three times
that, 6 at ten times. A training step costs about as much as the intents its buckets weigh
(docs/matching.md)."""
MIN_CLASSES = 6
NUMPY_EPOCH_BUDGET = 70_000
"""The numpy trainer's epochs: this many over the number of phrasings, between `MIN_EPOCHS` and
`MAX_EPOCHS` — 8 for the bot's knowledge base (8 scored better than 2 and 4 on the quality set's tune
split + dev half a), 2 from three times that."""


def default_epochs(n_phrasings: int) -> int:
    """The number of training epochs `IntentMatcher.build` uses for `n_phrasings` (see `EPOCH_BUDGET`)."""
    return max(MIN_EPOCHS, min(MAX_EPOCHS, EPOCH_BUDGET // max(1, n_phrasings)))


def numpy_epochs(n_phrasings: int) -> int:
    """The number of training epochs of the numpy trainer for `n_phrasings` (`NUMPY_EPOCH_BUDGET`)."""
    return max(MIN_EPOCHS, min(MAX_EPOCHS, NUMPY_EPOCH_BUDGET // max(1, n_phrasings)))


def default_max_classes(n_phrasings: int) -> int:
    """The `max_classes` the numpy trainer uses for `n_phrasings` (see `SLOT_BUDGET`)."""
    return max(MIN_CLASSES, min(MAX_CLASSES, SLOT_BUDGET // max(1, n_phrasings)))


# ---------------------------------------------------------------------------------------------
# Features


class Vectorizer:
    """TF-IDF (sublinear tf, smoothed idf, L2-normalised) over n-grams hashed into `2**dim_bits` buckets.

    A bucket no training text had gets idf 0: it is left out of a question's vector (and its norm).
    """

    def __init__(
        self,
        char_range: tuple[int, int] = (2, 5),
        word_ngrams: int = 2,
        dim_bits: int = DIM_BITS,
        *,
        idf: array | None = None,
    ) -> None:
        """`idf`: the idf of every bucket when known (a trained state's), zeros otherwise."""
        if not 8 <= dim_bits <= 26:
            raise ValueError(f"dim_bits must be between 8 and 26, got {dim_bits}")
        self.char_range = char_range
        self.word_ngrams = word_ngrams
        self.dim_bits = dim_bits
        self.idf = array("f", [0.0]) * (1 << dim_bits) if idf is None else idf
        self.annotate: Annotate | None = None
        """Extra features (not part of the state: the owner sets it again after `from_state`)."""

    def counts(self, text: str) -> dict[int, int]:
        """Term counts of `text` by bucket (`bot.engine.hashing`)."""
        return bucket_counts(text, self.char_range, self.word_ngrams, self.dim_bits, self.annotate)

    def fit(self, texts: Sequence[str]) -> tuple[array, array, array]:
        """Learn the idf from `texts`; their vectors as flat arrays `(offsets, buckets, values)`:
        text k has `buckets[offsets[k]:offsets[k + 1]]` (flat arrays keep 40,000 texts in a few MB)."""
        offsets, buckets, tfs = array("I", [0]), array("I"), array("I")
        for text in texts:
            counts = self.counts(text)
            buckets.extend(counts.keys())
            tfs.extend(counts.values())
            offsets.append(len(buckets))
        df = array("I", bytes(4 << self.dim_bits))
        for b in buckets:
            df[b] += 1
        n = len(texts)
        idf = self.idf
        for b in set(buckets):
            idf[b] = math.log((1 + n) / (1 + df[b])) + 1.0
        values = array("f")
        for k in range(n):
            lo, hi = offsets[k], offsets[k + 1]
            values.extend(self.weigh(dict(zip(buckets[lo:hi], tfs[lo:hi], strict=True)))[1])
        return offsets, buckets, values

    def weigh(self, counts: dict[int, int]) -> tuple[list[int], list[float]]:
        """(buckets, TF-IDF values) of term counts, L2-normalised; unknown buckets left out."""
        idf = self.idf
        buckets: list[int] = []
        values: list[float] = []
        for b, tf in counts.items():
            w = idf[b]
            if w:
                buckets.append(b)
                values.append((1.0 + math.log(tf)) * w)
        norm = math.sqrt(sum(v * v for v in values))
        if norm:
            values = [v / norm for v in values]
        return buckets, values

    def transform(self, text: str) -> tuple[list[int], list[float]]:
        """(buckets, TF-IDF values) of `text`."""
        return self.weigh(self.counts(text))


_NUMPY_CODE = {"H": "uint16", "I": "uint32"}
"""numpy's dtype of the `array` type codes of the classes."""


class SparseIntentMatcher(MatcherBase):
    """Ranks intents for a question, with `IntentMatcher`'s interface. Build with `.build(phrasings)`."""

    def __init__(
        self,
        vectorizer: Vectorizer,
        intents: list[str],
        offsets: array,
        classes: array,
        weights: array,
    ) -> None:
        """`offsets` (one more than the buckets): bucket b's weights are `weights[offsets[b]:offsets[b+1]]`,
        for the intents numbered `classes[offsets[b]:offsets[b+1]]` (indexes into `intents`)."""
        self._vectorizer = vectorizer
        self._intents = intents
        self._offsets = offsets
        self._classes = classes
        self._weights = weights

    @classmethod
    def build(
        cls,
        phrasings: Iterable[tuple[str, str, str]],
        *,
        epochs: int | None = None,
        learning_rate: float = 5.0,
        oos_weight: float = 1.0,
        seed: int = 0,
        max_classes: int | None = None,
        confuser_pass: bool = True,
        annotate: Annotate | None = None,
        normalized_annotator_factory: AnnotatorFactory | None = None,
        trainer: str = "numpy",
        max_confusers: int = 8,
        **vectorizer_options: Any,
    ) -> SparseIntentMatcher:
        """Train on `(intent_id, lang, text)` tuples. The same tuples, in any order, give the same matcher.

        `trainer`: "numpy" (`bot.engine.sparse_trainer`, the default) or "python" (the per-example
        SGD it replaced, kept for comparison). `epochs` defaults to `numpy_epochs` (`default_epochs`
        for the python trainer) of the number of distinct phrasings; `max_classes` caps the intents a
        bucket keeps weights for (default `default_max_classes`, 24 for the python trainer);
        `max_confusers` caps the intents the confuser pass adds to a bucket (numpy trainer).
        `annotate` gives extra features of a text (the concept layer); pass the same to
        `set_annotate` after `from_state`. `normalized_annotator_factory` makes an annotator giving the
        same features of a text already normalised (`ConceptLayer.features_normalized`), for the numpy
        trainer: it normalises each text once and annotates that (the annotator is let go once the
        texts are annotated; nothing of it is kept).
        """
        if max_classes is not None and max_classes < 1:
            raise ValueError(f"max_classes must be at least 1, got {max_classes}")
        if trainer not in ("numpy", "python"):
            raise ValueError(f"trainer must be 'numpy' or 'python', got {trainer!r}")
        epochs_for = numpy_epochs if trainer == "numpy" else default_epochs
        rows, intents, epochs = training_rows(phrasings, epochs, epochs_for)
        if max_classes is None:
            max_classes = MAX_CLASSES if trainer == "python" else default_max_classes(len(rows))
        class_of = {intent: c for c, intent in enumerate(intents)}
        # (the numpy trainer makes the idf: no 4 MB of zeros meanwhile)
        vectorizer = Vectorizer(**vectorizer_options, idf=array("f") if trainer == "numpy" else None)
        vectorizer.annotate = annotate
        if trainer == "numpy":
            options = {
                "epochs": epochs,
                "learning_rate": learning_rate,
                "seed": seed,
                "max_classes": max_classes,
                "oos_weight": oos_weight,
                "confuser_pass": confuser_pass,
                "max_confusers": max_confusers,
            }
            held = [rows]
            del rows  # `_build_numpy` lets the rows go once it has their texts and labels
            return cls._build_numpy(held, intents, vectorizer, options, normalized_annotator_factory)
        ex_offsets, ex_buckets, ex_values = vectorizer.fit([r[2] for r in rows])
        labels = array("I", [class_of[r[0]] for r in rows])
        oos_class = class_of.get(OUT_OF_SCOPE, -1)
        offsets, classes = _support(
            ex_offsets, ex_buckets, labels, len(intents), vectorizer.dim_bits, max_classes, oos_class
        )
        examples = (ex_offsets, ex_buckets, ex_values, labels)
        if confuser_pass:
            found: list[tuple[int, int]] = []
            _train_logreg(
                examples,
                (offsets, classes),
                len(intents),
                1,
                learning_rate,
                seed,
                oos_class,
                oos_weight,
                found,
            )
            extra: dict[int, set[int]] = {}
            for k, c in found:
                for b in ex_buckets[ex_offsets[k] : ex_offsets[k + 1]]:
                    extra.setdefault(b, set()).add(c)
            offsets, classes = _support(
                ex_offsets,
                ex_buckets,
                labels,
                len(intents),
                vectorizer.dim_bits,
                max_classes,
                oos_class,
                extra,
            )
        weights = _train_logreg(
            examples,
            (offsets, classes),
            len(intents),
            epochs,
            learning_rate,
            seed,
            oos_class,
            oos_weight,
        )
        return cls(vectorizer, intents, offsets, classes, weights)

    @classmethod
    def _build_numpy(
        cls,
        held: list[list[tuple[str, str, str]]],
        intents: list[str],
        vectorizer: Vectorizer,
        options: dict[str, Any],
        normalized_annotator_factory: AnnotatorFactory | None,
    ) -> SparseIntentMatcher:
        """`build` with `bot.engine.sparse_trainer` (numpy, imported only here). `held` holds the only
        reference to the rows: they are let go before training (83,000 tuples at 10× are 6 MB)."""
        import numpy as np

        from bot.engine import sparse_trainer

        rows = held.pop()
        class_of = {intent: c for c, intent in enumerate(intents)}
        v = vectorizer
        texts = sparse_trainer.Texts(
            [r[2] for r in rows],
            v.char_range,
            v.word_ngrams,
            v.dim_bits,
            v.annotate,
            normalized_annotator_factory,
        )
        labels = array("i", [class_of[r[0]] for r in rows])
        del rows
        idf, offsets, classes, weights = sparse_trainer.train(
            texts,
            np.frombuffer(labels, dtype=np.int32),
            len(intents),
            oos_class=class_of.get(OUT_OF_SCOPE, -1),
            **options,
        )
        del texts, labels
        # the idf, weights and (with the confuser pass) support are made in `array`s
        # (`sparse_trainer.in_array`): the matcher takes them as they are
        vectorizer.idf = _taken("f", idf)
        del idf
        code = "H" if len(intents) < 1 << 16 else "I"
        return cls(vectorizer, intents, _taken("I", offsets), _taken(code, classes), _taken("f", weights))

    def warm_update(
        self,
        added: Sequence[tuple[str, str, str]],
        old: Sequence[tuple[str, str, str]],
        *,
        seed: int = 0,
        recent: Sequence[tuple[str, str, str]] = (),
        normalized_annotator_factory: AnnotatorFactory | None = None,
    ) -> SparseIntentMatcher:
        """`MatcherBase.warm_update` (numpy, `sparse_trainer.warm_train`): the hashed feature space
        is fixed, so a new phrasing only needs slots for its buckets (its intent, the out-of-scope
        class and the intents it was confused with) and an idf for the buckets no training text had.
        `normalized_annotator_factory`: as in `build` (of the annotator `set_annotate` gave)."""
        import numpy as np

        from bot.engine import sparse_trainer
        from bot.engine.matcher import (
            WARM_ADDED_WEIGHT,
            WARM_LEARNING_RATE,
            WARM_MAX_PASSES,
            WARM_MIN_PASSES,
            WARM_TARGET,
            replay_rows,
        )

        rows = self._warm_check(added)
        neighbours = self._neighbours(rows)
        taught = self._taught(rows, recent, old)
        replay = replay_rows(taught, old, neighbours, seed)
        class_of = {intent: c for c, intent in enumerate(self._intents)}
        v = self._vectorizer
        texts = sparse_trainer.Texts(
            [r[2] for r in taught + replay],
            v.char_range,
            v.word_ngrams,
            v.dim_bits,
            v.annotate,
            normalized_annotator_factory,
        )
        small = len(self._intents) < 1 << 15
        stored = np.frombuffer(self._classes, dtype=_NUMPY_CODE[self._classes.typecode])
        wanted = np.dtype(np.int16 if small else np.int32)
        model = (  # the trainer's types: int32 offsets, int16 classes (int32 from 2^15 intents)
            np.frombuffer(v.idf, dtype=np.float32),
            np.frombuffer(self._offsets, dtype=np.uint32).view(np.int32),
            # class numbers are below 2^15 (2^31): the same bits read signed, no copy when as wide
            stored.view(wanted) if stored.itemsize == wanted.itemsize else stored.astype(wanted),
            np.frombuffer(self._weights, dtype=np.float32),
        )
        (idf, offsets, classes, weights), passes, worst = sparse_trainer.warm_train(
            texts,
            [class_of[r[0]] for r in taught + replay],
            len(taught),
            model,
            len(self._intents),
            extra_classes=sorted(class_of[i] for i in neighbours),
            oos_class=class_of.get(OUT_OF_SCOPE, -1),
            oos_weight=1.0,
            learning_rate=WARM_LEARNING_RATE,
            added_weight=WARM_ADDED_WEIGHT,
            seed=seed,
            target=WARM_TARGET,
            min_passes=WARM_MIN_PASSES,
            max_passes=WARM_MAX_PASSES,
        )
        # the model is made in `array`s (`sparse_trainer.in_array`): the matcher takes them as they
        # are (a copy only where a type differs: classes between 2^15 and 2^16 intents)
        vectorizer = Vectorizer(v.char_range, v.word_ngrams, v.dim_bits, idf=_taken("f", idf))
        vectorizer.annotate = v.annotate
        code = self._classes.typecode
        updated = type(self)(
            vectorizer,
            list(self._intents),
            _taken("I", offsets),
            _taken(code, classes),
            _taken("f", weights),
        )
        updated.warm_passes, updated.warm_worst = passes, worst
        return updated

    def state(self) -> dict[str, Any]:
        """The trained matcher as plain ints, strings, bytes, lists and dicts (safe for `marshal`)."""
        v = self._vectorizer
        return {
            "version": STATE_VERSION,
            "char_range": list(v.char_range),
            "word_ngrams": v.word_ngrams,
            "dim_bits": v.dim_bits,
            "idf": v.idf.tobytes(),
            "intents": self._intents,
            "offsets": self._offsets.tobytes(),
            "classes": self._classes.tobytes(),
            "class_code": self._classes.typecode,
            "weights": self._weights.tobytes(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SparseIntentMatcher:
        """The matcher `state()` was taken from. Raises ValueError for another version's state."""
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            raise ValueError("not a matcher state of this version")
        lo, hi = state["char_range"]
        vectorizer = Vectorizer(
            char_range=(lo, hi),
            word_ngrams=state["word_ngrams"],
            dim_bits=state["dim_bits"],
            idf=_array("f", state["idf"]),
        )
        offsets = _array("I", state["offsets"])
        classes = _array(state["class_code"], state["classes"])
        weights = _array("f", state["weights"])
        intents = list(state["intents"])
        if len(vectorizer.idf) != 1 << vectorizer.dim_bits or len(offsets) != len(vectorizer.idf) + 1:
            raise ValueError("matcher state: arrays of the wrong size")
        if len(classes) != len(weights) or offsets[-1] != len(weights):
            raise ValueError("matcher state: arrays of the wrong size")
        return cls(vectorizer, intents, offsets, classes, weights)

    def _sparse_logits(self, question: str) -> dict[int, float]:
        """The linear score of each intent number that has a weight for one of the question's buckets
        (every other intent scores 0)."""
        buckets, values = self._vectorizer.transform(question)
        return _scores(self._offsets, self._classes, self._weights, buckets, values, len(self._intents))

    def logits(self, question: str) -> list[float]:
        """The linear score of every intent (in `self._intents` order) for `question`."""
        out = [0.0] * len(self._intents)
        for c, s in self._sparse_logits(question).items():
            out[c] = s
        return out

    def rank(self, question: str, limit: int = 3, *, out_of_scope: bool = False) -> list[tuple[str, float]]:
        """The `limit` most likely intents, best first, with probabilities in [0, 1].

        `OUT_OF_SCOPE` is left out unless `out_of_scope` is true (then it is ranked like an intent, so
        a caller can see that an off-topic example matched best). Ties are broken by intent id, so the
        order is deterministic. Empty text gives [].
        """
        if not normalize(question) or limit <= 0:
            return []
        intents = self._intents
        scores = self._sparse_logits(question)
        n_rest = len(intents) - len(scores)  # intents without a weight here: logit 0
        top = max(scores.values(), default=0.0)
        if n_rest:
            top = max(top, 0.0)
        exps = {c: math.exp(s - top) for c, s in scores.items()}
        rest = math.exp(-top)
        total = sum(exps.values()) + n_rest * rest
        ranked = [
            (intents[c], e / total) for c, e in exps.items() if out_of_scope or intents[c] != OUT_OF_SCOPE
        ]
        ranked.sort(key=lambda ip: (-ip[1], ip[0]))
        if len(ranked) < limit and n_rest:  # fill with the intents at logit 0, by id
            seen = {i for i, _ in ranked}
            p = rest / total
            for intent in intents:  # sorted by id
                if len(ranked) >= limit:
                    break
                if intent not in seen and (out_of_scope or intent != OUT_OF_SCOPE):
                    ranked.append((intent, p))
            ranked.sort(key=lambda ip: (-ip[1], ip[0]))
        return ranked[:limit]


def _taken(code: str, values: Any) -> array:
    """The `array` of type `code` a trainer's numpy array is stored in (`sparse_trainer.owner`),
    or a copy of its values as that type."""
    import numpy as np

    from bot.engine import sparse_trainer

    store = sparse_trainer.owner(values, code)
    if store is not None:
        return store
    dtype = {"f": np.float32, "I": np.uint32, "H": np.uint16}[code]
    return _array(code, values.astype(dtype))


def _array(code: str, data: Any) -> array:
    """An `array` of `code` from bytes or anything with the buffer protocol (a numpy array)."""
    out = array(code)
    out.frombytes(memoryview(data).cast("B"))
    return out


def _scores(
    offsets: array, classes: array, weights: array, buckets: Sequence[int], values: Sequence[float], n: int
) -> dict[int, float]:
    """Sum of `value * weight` per intent number (of `n`) over the buckets' weights."""
    acc = [0.0] * n  # a list is twice as fast to add into as a dict
    touched: set[int] = set()
    for b, x in zip(buckets, values, strict=True):
        lo, hi = offsets[b], offsets[b + 1]
        if lo != hi:
            cs = classes[lo:hi]
            touched.update(cs)
            for c, w in zip(cs, weights[lo:hi], strict=True):
                acc[c] += w * x
    return {c: acc[c] for c in sorted(touched)}


def _support(
    ex_offsets: array,
    ex_buckets: array,
    labels: array,
    n_classes: int,
    dim_bits: int,
    max_classes: int,
    every: int = -1,
    extra: dict[int, set[int]] | None = None,
) -> tuple[array, array]:
    """Which intents each bucket may weigh: those with a phrasing containing it, at most `max_classes`
    (the intents whose phrasings contain it most often, relatively; ties by intent number), plus the
    intent number `every` (the out-of-scope class, which learns from every bucket) when it is ≥ 0,
    plus the intents `extra` gives for a bucket (the confusers found by a first training pass).

    Returns `(offsets, classes)`: bucket b's intents are `classes[offsets[b]:offsets[b + 1]]`, sorted.
    """
    n = len(labels)
    pair_bucket, pair_class, pair_share = array("I"), array("I"), array("f")
    start = 0
    while start < n:  # the rows are sorted by intent: one run of examples per class
        c = labels[start]
        end = start
        counts: Counter[int] = Counter()
        while end < n and labels[end] == c:
            counts.update(ex_buckets[ex_offsets[end] : ex_offsets[end + 1]])
            end += 1
        pair_bucket.extend(counts.keys())
        pair_class.extend([c] * len(counts))
        pair_share.extend(v / (end - start) for v in counts.values())
        start = end
    dim = 1 << dim_bits
    per_bucket = array("I", bytes(4 * dim))
    for b in pair_bucket:
        per_bucket[b] += 1
    # group the pairs by bucket (counting sort), then keep the best `max_classes` of each bucket
    first = array("I", accumulate(per_bucket, initial=0))
    fill = array("I", first)
    grouped = array("I", bytes(4 * len(pair_bucket)))
    for k, b in enumerate(pair_bucket):
        grouped[fill[b]] = k
        fill[b] += 1
    offsets = array("I", [0])
    classes = array("H" if n_classes < 1 << 16 else "I")
    always = {every} if every >= 0 else set()
    prev = 0
    extra = extra or {}
    for b in sorted(set(pair_bucket).union(extra)):
        offsets.extend([prev] * (b + 1 - len(offsets)))  # empty buckets before b
        ks: Sequence[int] = grouped[first[b] : first[b + 1]]
        if len(ks) > max_classes:
            ks = sorted(ks, key=lambda k: (-pair_share[k], pair_class[k]))[:max_classes]
        classes.extend(sorted({pair_class[k] for k in ks} | always | extra.get(b, always)))
        prev = len(classes)
        offsets.append(prev)
    offsets.extend([prev] * (dim + 1 - len(offsets)))
    return offsets, classes


def _train_logreg(  # noqa: C901
    examples: tuple[array, array, array, array],
    support: tuple[array, array],
    n_classes: int,
    epochs: int,
    learning_rate: float,
    seed: int,
    oos_class: int = -1,
    oos_weight: float = 1.0,
    confusers: list[tuple[int, int]] | None = None,
) -> array:
    """Multinomial logistic regression by SGD, with weights only on the `support` pairs.

    Intents without a weight for any of an example's buckets score 0 (they still count in the softmax).
    Returns the weights averaged over the end of each epoch (float32), which generalise better than
    the last ones. When `confusers` is a list, it gets `(example, intent)` for every wrong intent given
    at least `CONFUSER_P` in the last epoch.
    """
    ex_offsets, ex_buckets, ex_values, labels = examples
    offsets, classes = support
    weights = array("d", bytes(8 * len(classes)))
    total = array("d", weights)
    order = list(range(len(labels)))
    rng = random.Random(seed)
    exp = math.exp
    acc = [0.0] * n_classes  # the scores of one example (only its touched intents are non-zero)
    grad = [0.0] * n_classes
    for epoch in range(epochs):
        rng.shuffle(order)
        lr = learning_rate / (1 + epoch)
        for k in order:
            lo, hi = ex_offsets[k], ex_offsets[k + 1]
            y = labels[k]
            spans = []
            touched: set[int] = set()
            for b, x in zip(ex_buckets[lo:hi], ex_values[lo:hi], strict=True):
                a, e = offsets[b], offsets[b + 1]
                if a != e:
                    spans.append((a, e, x))
                    cs = classes[a:e]
                    touched.update(cs)
                    for c, w in zip(cs, weights[a:e], strict=True):
                        acc[c] += w * x
            n_rest = n_classes - len(touched)
            top = max([acc[c] for c in touched], default=0.0)
            if n_rest:
                top = max(top, 0.0)
            exps = [(c, exp(acc[c] - top)) for c in touched]
            for c in touched:
                acc[c] = 0.0
            z = sum(e for _, e in exps) + n_rest * exp(-top)
            step = -lr * (oos_weight if y == oos_class else 1.0) / z
            p_y = 0.0
            for c, e in exps:
                grad[c] = step * e
                if c == y:
                    p_y = e / z
                elif confusers is not None and epoch == epochs - 1 and e >= CONFUSER_P * z:
                    confusers.append((k, c))
            if p_y >= _CONFIDENT:
                continue  # the gradient would be below 1 % on every intent: skip the costly update
            if y in touched:
                grad[y] += lr * (oos_weight if y == oos_class else 1.0)
            for a, e, x in spans:
                for j in range(a, e):
                    weights[j] += grad[classes[j]] * x
        for j, w in enumerate(weights):
            total[j] += w
    return array("f", (w / epochs for w in total))
