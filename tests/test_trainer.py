"""The numpy trainer's building blocks (`bot.engine.trainer`): the features it numbers, the TF-IDF it
computes (the same as the pure-Python `Vectorizer`'s) and the packed lanes a bag sums."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot.engine import trainer
from bot.engine.matcher import _HALF, Vectorizer, _grams

TEXTS = [
    "How many hours is a microcredential?",
    "combien d'heures pour une microcertification",
    "¿Cuántos ECTS tiene una microcredencial?",
    "Quante ore servono? quante ore!",
    "EQF 6 oder EQF 7?",
    "",
]


def test_gram_ids_number_the_sorted_distinct_grams_of_every_row() -> None:
    rows = [_grams(t, (2, 5), 2) for t in TEXTS]
    vocab, occ_row, occ_gram = trainer.gram_ids(iter(rows))
    assert vocab == sorted({g for grams in rows for g in grams})
    rebuilt: list[list[str]] = [[] for _ in rows]
    for r, g in zip(occ_row.tolist(), occ_gram.tolist(), strict=True):
        rebuilt[r].append(vocab[g])
    assert rebuilt == rows  # every occurrence, in order, in its row


def test_tfidf_rows_are_the_vectorizers() -> None:
    vocab, idf, rows = trainer.texts_to_rows(TEXTS, lambda t: _grams(t, (2, 5), 2))
    reference = Vectorizer(char_range=(2, 5), word_ngrams=2)
    vectors = reference.fit(TEXTS)
    assert vocab == sorted(reference.index, key=reference.index.__getitem__)
    assert idf == pytest.approx(reference.idf)
    for k, vector in enumerate(vectors):
        a, b = rows.indptr[k], rows.indptr[k + 1]
        got = dict(zip(rows.indices[a:b].tolist(), rows.values[a:b].tolist(), strict=True))
        assert got == pytest.approx(vector)


def test_packed_lanes_add_up_like_their_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trainer, "PACK_BLOCK", 3)  # several blocks, the last one short
    rng = random.Random(7)
    shape = (8, 5)
    a = np.array([[rng.randint(-(2**40), 2**40) for _ in range(shape[1])] for _ in range(shape[0])], np.int64)
    b = np.array([[rng.randint(-(2**40), 2**40) for _ in range(shape[1])] for _ in range(shape[0])], np.int64)
    packed_a, packed_b = trainer.pack_int_lanes(a, _HALF), trainer.pack_int_lanes(b, _HALF)
    assert [x + y for x, y in zip(packed_a, packed_b, strict=True)] == trainer.pack_int_lanes(a + b, _HALF)
    assert trainer.pack_int_lanes(np.zeros(shape, np.int64), _HALF) == [0] * shape[0]
    back = trainer.unpack_lanes(packed_a, shape[1], 1.0, _HALF)
    assert back.tolist() == a.astype(np.float32).tolist()


def test_a_bag_needs_a_seed() -> None:
    with pytest.raises(ValueError, match="seed"):
        trainer.fit_dense(
            TEXTS, [0] * len(TEXTS), 1, lambda t: _grams(t, (2, 5), 2), min_df=1, epochs=1,
            learning_rate=1.0, seeds=[], oos_class=-1, oos_weight=1.0, w_scale=1.0, half=_HALF,
        )  # fmt: skip
