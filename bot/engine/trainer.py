"""The dense matcher's training, vectorised with numpy (issues 10 and 8: a phrasing live in seconds);
the sparse matcher's is `bot.engine.sparse_trainer`.

Imported only while a matcher is built (`IntentMatcher.build`), never
on the question path: a cached matcher is read back and served in pure Python, so `cmf-bot ask`
does not load numpy.

- `tfidf`: the vocabulary, idf and TF-IDF rows of the training texts with the same formula as
  `matcher.Vectorizer` (sublinear tf, smoothed idf, L2 norm), computed on flat integer arrays;
- `train_dense`: multinomial logistic regression on those rows by mini-batch SGD in float32 (the
  gradient of a batch is the sum of its examples', so the learning rate means what it meant for the
  per-example SGD it replaces), learning rate decaying as 1/epoch, examples already given probability
  ≥ `CONFIDENT` skipped, weights averaged over the end of each epoch;
- `pack_lanes`: those weights in the serving format (one Python int of 64-bit lanes per feature);
- `fit_dense`: all three for `IntentMatcher.build`, for one seed or a bag of several.

Deterministic for a given seed (the SGD order comes from the rows' own keys, `epoch_order`; the warm
update's from numpy's PCG64 generator; one BLAS thread, sums in a fixed order).
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Callable, Iterable, Sequence

# One BLAS thread: the batches are small (threads cost more than they give on a shared 2-core
# machine, measured 10x slower) and a single thread sums in a fixed order (deterministic results).
# Effective because numpy is first imported here, in a process that trains.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

CONFIDENT = 0.99
"""Examples already given this probability add no gradient (as in the pure-Python trainer)."""
BATCH = 4
"""Examples per SGD step. On the quality set's tune split and dev half a, 4 scored like the per-example
SGD it replaces; 16 and 32 lost 2–10 points (docs/matching.md)."""
SMALL = 1_000
"""Fewer rows than `BATCH` × this: smaller batches (one example a step under 2,000 rows, where steps
are cheap and a few dozen phrasings need every update)."""


class Rows:
    """Sparse rows as flat arrays: row k has `indices[indptr[k]:indptr[k + 1]]`, `values[…]`."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, values: np.ndarray) -> None:
        self.indptr = indptr
        self.indices = indices
        self.values = values

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1


def gram_ids(grams_of: Iterable[list[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(sorted distinct grams, row of each occurrence, gram number of each occurrence).

    Each row's grams are numbered as they come (a gram string is kept once, in the dict; the
    occurrences are machine integers), then renumbered in sorted order: holding every occurrence as a
    string first took ~190 MB at 1× for 2.5 M short strings."""
    number: dict[str, int] = {}
    occurrences = array("q")
    lengths = array("q")
    for grams in grams_of:
        new = [g for g in dict.fromkeys(grams) if g not in number]
        if new:
            number.update(zip(new, range(len(number), len(number) + len(new)), strict=True))
        occurrences.extend(map(number.__getitem__, grams))
        lengths.append(len(grams))
    vocab = sorted(number)
    first_seen = np.fromiter(map(number.__getitem__, vocab), dtype=np.int64, count=len(vocab))
    rank = np.empty(len(vocab), dtype=np.int64)
    rank[first_seen] = np.arange(len(vocab))
    del number
    occ_gram = rank[np.frombuffer(occurrences, dtype=np.int64)] if len(occurrences) else np.zeros(0, np.int64)
    occ_row = np.repeat(np.arange(len(lengths), dtype=np.int64), np.frombuffer(lengths, dtype=np.int64))
    return vocab, occ_row, occ_gram


def tfidf(
    n_rows: int, n_grams: int, occ_row: np.ndarray, occ_gram: np.ndarray, min_df: int = 1
) -> tuple[np.ndarray, np.ndarray, Rows]:
    """From gram occurrences: (kept gram numbers, their idf, the TF-IDF rows over the kept grams
    renumbered 0…). idf = ln((1 + n) / (1 + df)) + 1; tf weight 1 + ln(tf); rows L2-normalised."""
    key = np.unique(occ_row * n_grams + occ_gram, return_counts=True)
    pairs, tf = key
    row, gram = pairs // n_grams, pairs % n_grams
    df = np.bincount(gram, minlength=n_grams)
    kept = np.flatnonzero(df >= min_df)
    new_id = np.full(n_grams, -1, dtype=np.int64)
    new_id[kept] = np.arange(len(kept))
    idf = np.log((1.0 + n_rows) / (1.0 + df[kept])) + 1.0
    keep = new_id[gram] >= 0
    row, gram, tf = row[keep], new_id[gram[keep]], tf[keep]
    values = (1.0 + np.log(tf)) * idf[gram]
    norm = np.sqrt(np.bincount(row, weights=values * values, minlength=n_rows))
    values = values / np.where(norm > 0, norm, 1.0)[row]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=indptr[1:])
    return kept, idf, Rows(indptr, gram, values)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a bijection of uint64 that scatters nearby inputs."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def row_keys_of(texts: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """One uint64 a training row, from its text and its label's name only (blake2b), so a row keeps
    its key, and its place in each epoch's order relative to the others, when other rows or other
    intents come or go (a class number shifts when an intent is added before it)."""
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(f"{label}\0{text}".encode(), digest_size=8).digest(), "little")
            for text, label in zip(texts, labels, strict=True)
        ),
        dtype=np.uint64,
        count=len(texts),
    )


def epoch_order(keep: np.ndarray, keys: np.ndarray, seed: int, epoch: int) -> np.ndarray:
    """The rows `keep` in the order SGD visits them in `epoch`: sorted by their keys mixed with the
    seed and the epoch. Adding or removing a training row inserts or drops it in each epoch's sequence
    and leaves the others' order as it was; a shuffle by position (numpy's permutation) re-dealt every
    row, so one new phrasing changed ~3 % of the answers to unrelated questions (docs/matching.md)."""
    with np.errstate(over="ignore"):
        salt = (np.uint64(seed) * _GOLDEN + np.uint64(epoch + 1)) * _GOLDEN
        mixed = _mix64(keys[keep] ^ salt)
    return keep[np.argsort(mixed, kind="stable")]


def _epoch_layout(rows: Rows, order: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows in `order`: (indptr, positions into the original flat arrays, row number in the new
    order of each position)."""
    lens = np.diff(rows.indptr)[order]
    indptr = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(lens, out=indptr[1:])
    starts = rows.indptr[:-1][order]
    positions = np.arange(indptr[-1], dtype=np.int64) - np.repeat(indptr[:-1] - starts, lens)
    return indptr, positions, np.repeat(np.arange(len(order), dtype=np.int64), lens)


def _batches(rows: Rows, order: np.ndarray, batch: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The rows in `order`, cut into batches of `batch`: for each, (its distinct features, the batch
    as a dense float32 matrix examples × those features)."""
    n_features = int(rows.indices.max()) + 1 if len(rows.indices) else 1
    indptr, positions, row_of = _epoch_layout(rows, order)
    batch_of = row_of // batch
    keys, inverse = np.unique(batch_of * n_features + rows.indices[positions], return_inverse=True)
    n_batches = (len(order) + batch - 1) // batch
    bounds = np.searchsorted(keys // n_features, np.arange(n_batches + 1))
    features = keys % n_features
    column = inverse.reshape(-1) - bounds[batch_of]
    values = rows.values[positions].astype(np.float32)
    out = []
    for j in range(n_batches):
        k0, k1 = j * batch, min((j + 1) * batch, len(order))
        a, e = indptr[k0], indptr[k1]
        x = np.zeros((k1 - k0, bounds[j + 1] - bounds[j]), dtype=np.float32)
        x[row_of[a:e] - k0, column[a:e]] = values[a:e]
        out.append((features[bounds[j] : bounds[j + 1]], x))
    return out


def train_dense(
    rows: Rows,
    labels: np.ndarray,
    n_classes: int,
    n_features: int,
    *,
    epochs: int,
    learning_rate: float,
    seed: int,
    example_weight: np.ndarray,
    batch: int | None = None,
    row_keys: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression: (weights `n_features × n_classes`, bias), float32, averaged
    over the end of each epoch. Rows without a feature are left out (they would train the bias only).

    Each epoch visits the examples in the order of `epoch_order` (by `row_keys`, one uint64 a row,
    e.g. `row_keys_of` the texts; default: the row numbers), cut into batches of `batch`, each a small
    dense matrix over its own features, so a step is two matrix products.
    """
    keep = np.flatnonzero(np.diff(rows.indptr) > 0)
    batch = batch or min(BATCH, max(1, len(keep) // SMALL))
    keys = np.arange(rows.n_rows, dtype=np.uint64) if row_keys is None else row_keys
    w = np.zeros((n_features, n_classes), dtype=np.float32)
    b = np.zeros(n_classes, dtype=np.float32)
    w_sum = np.zeros_like(w)
    b_sum = np.zeros_like(b)
    for epoch in range(epochs):
        lr = np.float32(learning_rate / (1 + epoch))
        order = epoch_order(keep, keys, seed, epoch)
        batches = zip(range(0, len(order), batch), _batches(rows, order, batch), strict=True)
        for k, (feats, x) in batches:
            y = labels[order[k : k + batch]]
            weight = example_weight[order[k : k + batch]].astype(np.float32)
            at = np.arange(len(x))
            w_batch = w[feats]
            p = x @ w_batch
            p += b
            p -= p.max(axis=1, keepdims=True)
            np.exp(p, out=p)
            p /= p.sum(axis=1, keepdims=True)
            active = p[at, y] < CONFIDENT  # the others would add less than 1 % to every weight
            if not active.any():
                continue
            p[at, y] -= 1.0
            p *= ((-lr) * weight * active)[:, None]
            b += p.sum(axis=0)
            w_batch += x.T @ p
            w[feats] = w_batch
        w_sum += w
        b_sum += b
    return w_sum / np.float32(epochs), b_sum / np.float32(epochs)


PACK_BLOCK = 4096
"""Features packed per step (`pack_int_lanes`): the bytes of one block at a time, not of all."""


def scaled_lanes(weights: np.ndarray, scale: float) -> np.ndarray:
    """round(`weights` × `scale`) as int64: the lanes' values before packing."""
    scaled = weights * weights.dtype.type(scale)  # exact for float32 and a power-of-two scale
    np.rint(scaled, out=scaled)
    return scaled.astype(np.int64)


def pack_int_lanes(lanes: np.ndarray, half: int) -> list[int]:
    """Each row of int64 `lanes` as one Python int: lane c holds the value in 64 bits with `half`
    added (the packing of `matcher._Lanes`, minus its bias), so all-zero rows give 0. The sum of two
    packed rows is the packing of their lanes' sum (the ints are exact), which a bag relies on."""
    n_rows, n_lanes = lanes.shape
    bias = int.from_bytes(np.full(n_lanes, half, dtype="<u8").tobytes(), "little")
    width = 8 * n_lanes
    from_bytes = int.from_bytes
    out: list[int] = []
    for start in range(0, n_rows, PACK_BLOCK):
        block = lanes[start : start + PACK_BLOCK].view(np.uint64) + np.uint64(half)  # two's complement
        raw = block.astype("<u8", copy=False).tobytes()
        out.extend(from_bytes(raw[i * width : (i + 1) * width], "little") - bias for i in range(len(block)))
    return out


def pack_lanes(weights: np.ndarray, scale: float, half: int) -> list[int]:
    """Each row of `weights` (float) as one Python int of lanes round(w[c] × scale)
    (`scaled_lanes`, `pack_int_lanes`)."""
    return pack_int_lanes(scaled_lanes(weights, scale), half)


def texts_to_rows(
    texts: Sequence[str], grams: Callable[[str], list[str]], min_df: int = 1
) -> tuple[list[str], list[float], Rows]:
    """(vocabulary in feature order, idf, TF-IDF rows) of `texts`, with `grams(text)` their n-grams."""
    vocab, occ_row, occ_gram = gram_ids(grams(t) for t in texts)
    kept, idf, rows = tfidf(len(texts), len(vocab), occ_row, occ_gram, min_df)
    return [vocab[i] for i in kept.tolist()], idf.tolist(), rows


def fit_dense(
    texts: Sequence[str],
    labels: Sequence[int],
    class_names: Sequence[str],
    grams: Callable[[str], list[str]],
    *,
    min_df: int,
    epochs: int,
    learning_rate: float,
    seeds: Sequence[int],
    oos_class: int,
    oos_weight: float,
    w_scale: float,
    half: int,
) -> tuple[list[str], list[float], list[int], int]:
    """Train the dense matcher once for each of `seeds` on the same TF-IDF rows and sum their lanes:
    (vocabulary in feature order, idf, packed weights of each feature, packed bias), the serving
    format of `matcher.IntentMatcher` at weight divisor `len(seeds)`. One seed is one matcher; more
    are a bag (`ensemble.BaggedIntentMatcher`): the rows are built once, and each member's weights
    are added as int64 lanes and packed once, the same ints as packing each member and adding them."""
    if not seeds:
        raise ValueError("need at least one seed")
    vocab, idf, rows = texts_to_rows(texts, grams, min_df)
    y = np.asarray(labels, dtype=np.int64)
    weight = np.where(y == oos_class, oos_weight, 1.0)
    keys = row_keys_of(texts, [class_names[label] for label in labels])
    n_classes = len(class_names)
    total_w: np.ndarray | None = None
    total_b: np.ndarray | None = None
    for seed in seeds:
        w, b = train_dense(
            rows,
            y,
            n_classes,
            len(vocab),
            epochs=epochs,
            learning_rate=learning_rate,
            seed=seed,
            example_weight=weight,
            row_keys=keys,
        )
        lanes_w, lanes_b = scaled_lanes(w, w_scale), scaled_lanes(b[None, :], w_scale)
        del w, b
        if total_w is None or total_b is None:
            total_w, total_b = lanes_w, lanes_b
        else:
            total_w += lanes_w
            total_b += lanes_b
        del lanes_w, lanes_b
    assert total_w is not None and total_b is not None
    del rows
    return vocab, idf, pack_int_lanes(total_w, half), pack_int_lanes(total_b, half)[0]


# -- warm start: a few rows more, from a trained matcher ------------------------------------------


def unpack_lanes(packed: Sequence[int], n_lanes: int, scale: float, half: int) -> np.ndarray:
    """The inverse of `pack_lanes`: float32 rows (`len(packed)` × `n_lanes`) of packed ints."""
    bias = int.from_bytes(np.full(n_lanes, half, dtype="<u8").tobytes(), "little")
    width = 8 * n_lanes
    raw = b"".join((p + bias).to_bytes(width, "little") for p in packed)
    lanes = np.frombuffer(raw, dtype="<u8").reshape(len(packed), n_lanes) - np.uint64(half)
    return lanes.view(np.int64).astype(np.float32) / np.float32(scale)


def warm_dense(
    vectors: Sequence[dict[int, float]],
    labels: Sequence[int],
    n_added: int,
    packed: tuple[Sequence[int], int],
    n_classes: int,
    *,
    example_weight: Sequence[float],
    learning_rate: float,
    seed: int,
    target: float,
    min_passes: int,
    max_passes: int,
    w_scale: float,
    half: int,
) -> tuple[list[int], list[int], int, int, float]:
    """Train a trained dense matcher further on the TF-IDF `vectors` (the first `n_added` new, the
    rest replayed), one example a step, at least `min_passes` passes and until every new row gets
    `target` for its label (or `max_passes`). Only the weights of the features these rows have move:
    they are unpacked from `packed` (packed weights by feature, packed bias; a feature past the end
    has none yet) and packed back. Returns (those features, their packed weights, the packed bias,
    passes, the lowest new row's probability)."""
    weights, bias = packed
    feats = sorted(set().union(*vectors))
    column = {f: i for i, f in enumerate(feats)}
    w = unpack_lanes([weights[f] if f < len(weights) else 0 for f in feats], n_classes, w_scale, half)
    b = unpack_lanes([bias], n_classes, w_scale, half)[0]
    rows = [
        (np.fromiter(map(column.__getitem__, v), np.int64, len(v)), np.fromiter(v.values(), np.float32))
        for v in vectors
    ]
    y = np.asarray(labels, dtype=np.int64)
    step = np.asarray(example_weight, dtype=np.float32) * np.float32(-learning_rate)
    rng = np.random.default_rng(seed)

    def probabilities(k: int) -> np.ndarray:
        idx, x = rows[k]
        p = x @ w[idx] + b
        p -= p.max()
        np.exp(p, out=p)
        return p / p.sum()

    worst, passes = 0.0, 0
    for passes in range(1, max_passes + 1):
        for k in rng.permutation(len(rows)).tolist():
            p = probabilities(k)
            if p[y[k]] >= CONFIDENT:
                continue
            p[y[k]] -= 1.0
            p *= step[k]
            idx, x = rows[k]
            w[idx] += np.outer(x, p)
            b += p
        worst = min(float(probabilities(k)[y[k]]) for k in range(n_added))
        if passes >= min_passes and worst >= target:
            break
    return feats, pack_lanes(w, w_scale, half), pack_lanes(b[None, :], w_scale, half)[0], passes, worst
