"""Training of the sparse matcher with numpy, in flat memory (issue 8: ≤ 15 s and ≤ 150 MB at 10×).

Imported only while `SparseIntentMatcher.build` trains (never on the question path).

- **Features without strings**: the normalised texts of a chunk of rows become one array of code
  points; the keys of every character 2–5-gram come from a rolling polynomial (`h·P + c`, one vector
  operation per n), the keys of word 1–2-grams from differences of prefix keys; `mix` and the bucket
  are vector operations too. The result is bit for bit `hashing.bucket_counts` (tested).
- **Flat memory**: the features are recomputed for each pass, a chunk of rows at a time (a pass over
  ten times the knowledge base takes ~0.5 s), so nothing grows with the n-gram occurrences: what is
  kept is the normalised texts (one UTF-8 string), the idf (one float32 per bucket) and the support
  and weights. The largest temporary arrays live in memory maps of their own (`_mapped`), so that,
  once freed, they do not stay in malloc's heap; what the matcher keeps (idf, support, averaged
  weights) is made in Python `array`s it takes without a copy (`in_array`); malloc's free heap is
  given back between stages (`_trim`). Peak RSS at 10×: ~137 MB, of which ~80 MB is the process and
  numpy before training (docs/matching.md, "Scaling").
- **Support**: each bucket weighs the intents whose phrasings contain it most often (relatively), at
  most `max_classes`, and the out-of-scope class; found by a counting sort of 32-bit (share, intent)
  keys laid out by bucket, a range of buckets at a time (`idf_and_support`).
- **Compact confuser pass**: during the first epoch each row's most probable wrong intent is kept when
  it gets ≥ `CONFUSER_P` (one int per row); then that intent gets weights on the row's buckets too
  (the negative evidence a dense model has everywhere), the weights learnt so far carried over.
- **SGD**: mini-batches of `BATCH` rows (the gradient of a batch is the sum of its rows', as in
  `bot.engine.trainer`), learning rate decaying as 1/epoch, rows already given ≥ `CONFIDENT` skipped,
  weights averaged over the end of each epoch.

Deterministic for a given seed.
"""

from __future__ import annotations

import ctypes
import itertools
import mmap
import os
from array import array
from collections.abc import Callable, Iterable, Sequence

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from bot.engine import hashing  # noqa: E402

CONFIDENT = 0.99
CONFUSER_P = 0.05
"""A row's most probable wrong intent is its confuser when it gets at least this in the first epoch."""
CONFUSER_BUCKETS = 32
"""A confuser gets slots on this many of the row's buckets (its largest TF-IDF values)."""
BATCH = 4
"""Rows per SGD step (one under `SMALL` × 2 rows)."""
SMALL = 1_000
HASH_ROWS = 512
"""Rows hashed at once while choosing the support (a few MB of temporary arrays)."""
TRAIN_ROWS = 1_024
"""The confuser pass ranks the buckets of this many rows of an SGD epoch at once. Not only memory:
that sort is unstable, so another chunk size could break ties between equal values otherwise (the
trained weights would change a little)."""
EPOCH_ROWS = 256
"""Rows hashed at once in an SGD epoch (a divisor of `TRAIN_ROWS`, a multiple of `SLOT_ROWS`)."""
INSERT_BLOCK = 1 << 16
"""Slots moved at once when the confusers' slots are inserted."""
CONFUSER_RANGES = 16
"""The confusers found are merged into the support in this many bucket ranges, one at a time."""
SLOT_ROWS = 64
"""Rows whose support slots are laid out at once (a multiple of `BATCH`)."""
SUPPORT_KEYS = 1 << 22
"""The support's rank keys are written for at most about this many (bucket, intent) pairs at a time
(16 MB; each range of buckets more costs a pass over the texts: two at 10×, of ~13 MB each)."""
SUPPORT_SLICE = 1 << 17
"""The support's keys are sorted this many at a time (a range of whole buckets)."""
_MISS_BITS = 20
"""Bits of a (bucket, intent) pair's rank key given to `1 − share`."""

_U = np.uint64


def _mapped(n: int, dtype: npt.DTypeLike) -> np.ndarray:
    """A zeroed array of `n` items in an anonymous memory map of its own, given back to the system
    as soon as the array is freed. The trainer's largest arrays live there: malloc would keep them,
    once freed, in its heap (and raise the size from which it maps memory), ~15–25 MB of RSS at 10×."""
    mapped = mmap.mmap(-1, max(1, n * np.dtype(dtype).itemsize))
    if hasattr(mmap, "MADV_HUGEPAGE"):  # as numpy does for its large arrays: fewer TLB misses
        mapped.madvise(mmap.MADV_HUGEPAGE)
    return np.frombuffer(mapped, dtype=dtype, count=n)


_ARRAY_CODES = {"float32": "f", "int32": "I", "uint32": "I", "int16": "H", "uint16": "H"}
"""The `array` type code that stores each numpy dtype `in_array` takes (signed ints as unsigned:
offsets and class numbers are never negative, so both readings are the same)."""


def in_array(n: int, dtype: npt.DTypeLike) -> np.ndarray:
    """A zeroed numpy array of `n` items whose memory is a Python `array` (of `_ARRAY_CODES`), the
    serving matcher's storage: `owner` gives that `array` back, so a warm update's model needs no
    copy (~20 MB at 10×) to become the new matcher's."""
    code = _ARRAY_CODES[np.dtype(dtype).name]
    store = array(code, [0]) * n  # (no bytes of zeros to copy from)
    if store.itemsize != np.dtype(dtype).itemsize:
        raise ValueError(f"array {code!r} does not store {np.dtype(dtype).name} on this platform")
    return np.frombuffer(store, dtype=dtype)


def owner(values: np.ndarray, code: str) -> array | None:
    """The `array` of type `code` that is all of `values`' memory (made by `in_array`), or None."""
    base: object = values
    while isinstance(base, np.ndarray):
        base = base.base
    store = base.obj if isinstance(base, memoryview) else None
    if (
        isinstance(store, array)
        and store.typecode == code
        and values.flags.c_contiguous
        and store.buffer_info() == (values.ctypes.data, values.nbytes // store.itemsize)
        and values.nbytes == len(store) * store.itemsize
    ):
        return store
    return None


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None (another C library)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_MALLOC_TRIM = _malloc_trim()


def _trim() -> None:
    """Give the free memory in malloc's heap back to the system (glibc's `malloc_trim`), before a
    stage that allocates much (a range of the support, an epoch, the confusers' slots). The numpy
    temporaries of the hashing passes go to the heap (this process's mmap threshold is raised by
    then), and once freed their pages stay resident between live blocks: 10–20 MB of RSS at 10× when
    the next stage's arrays are made. Only between stages: trimming every few pieces of a pass
    saved ~1 MB more for three times the page faults."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _mix(keys: np.ndarray, dim_bits: int) -> np.ndarray:
    """`hashing.mix` of uint64 keys, in place, as int64 buckets (a view of `keys`)."""
    keys ^= keys >> _U(30)
    keys *= _U(hashing.M1)
    keys ^= keys >> _U(27)
    keys *= _U(hashing.M2)
    keys ^= keys >> _U(31)
    keys >>= _U(64 - dim_bits)
    return keys.view(np.int64)


class Texts:
    """The normalised training texts and their extra features' buckets (computed once).

    `annotate` gives a text's extra features (the concept layer); `normalized_annotator_factory`, when
    given, makes an annotator giving the same features of a text already normalised
    (`ConceptLayer.features_normalized`): each text is then normalised once and that is annotated (one
    annotator for all the texts, made here and let go once they are annotated: it may keep caches)."""

    def __init__(
        self,
        texts: Sequence[str],
        char_range: tuple[int, int],
        word_ngrams: int,
        dim_bits: int,
        annotate: hashing.Annotate | None,
        normalized_annotator_factory: hashing.AnnotatorFactory | None = None,
    ) -> None:
        self.char_range = char_range
        self.word_ngrams = word_ngrams
        self.dim_bits = dim_bits
        self._cached_powers = np.ones(0, dtype=np.uint64), np.ones(0, dtype=np.uint64)
        n = len(texts)
        # the normalised texts, each padded with a space either side, as one UTF-8 string (83,000 str
        # objects would take twice the memory)
        pieces: list[bytes] = []
        self._start = np.zeros(n + 1, dtype=np.int64)
        self._chars = np.zeros(n, dtype=np.int32)
        for k in range(0, n, HASH_ROWS):
            norms = [hashing.normalize_fast(t) for t in texts[k : k + HASH_ROWS]]
            encoded = [f" {t} ".encode() for t in norms]  # (padded as hashed: one slice a text)
            self._chars[k : k + len(norms)] = np.fromiter(map(len, norms), dtype=np.int32, count=len(norms))
            self._start[k + 1 : k + 1 + len(norms)] = np.fromiter(
                map(len, encoded), dtype=np.int64, count=len(encoded)
            )
            pieces.append(b"".join(encoded))
        np.cumsum(self._start, out=self._start)
        self._utf8 = b"".join(pieces)
        del pieces
        counts = array("q", bytes(8 * n))
        flat = array("i")
        if annotate is not None:
            # the annotator of normalised texts is given each text normalised, read back from
            # `_utf8`: each text is normalised once (and the texts' pieces are freed before the
            # annotator's memory grows: ~3 MB less RSS at 10× than annotating chunk by chunk)
            of_norm = None if normalized_annotator_factory is None else normalized_annotator_factory()
            blob = self._utf8
            cache: dict[str, int] = {}
            for k, text in enumerate(texts):
                if of_norm is None:
                    feats = hashing.annotation_features(text, annotate)
                else:
                    if k % HASH_ROWS == 0:  # (a few bounds at a time: no 83,000 ints at 10×)
                        bounds = self._start[k : k + HASH_ROWS + 1].tolist()
                    a, e = bounds[k % HASH_ROWS] + 1, bounds[k % HASH_ROWS + 1] - 1
                    feats = hashing.annotation_features(blob[a:e].decode(), of_norm)
                for f in feats:
                    b = cache.get(f)
                    if b is None:
                        b = cache[f] = hashing.extra_bucket(f, dim_bits)
                    flat.append(b)
                counts[k] = len(feats)
        self.extra_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(counts, dtype=np.int64), out=self.extra_ptr[1:])
        self.extra = np.frombuffer(flat, dtype=np.int32) if flat else np.zeros(0, dtype=np.int32)

    def __len__(self) -> int:
        return len(self._chars)

    def features(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(local row, bucket, term count) of the texts `rows` (local row k = `rows[k]`), sorted by
        local row then bucket."""
        blob, start = self._utf8, self._start
        if len(rows) and int(rows[-1]) - int(rows[0]) == len(rows) - 1 and (np.diff(rows) == 1).all():
            text = blob[start[rows[0]] : start[rows[-1] + 1]]  # consecutive rows: one slice
        else:
            spans = zip(start[rows].tolist(), start[rows + 1].tolist(), strict=True)
            text = b"".join([blob[a:e] for a, e in spans])
        codes = np.frombuffer(text.decode().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        del text
        lens = self._chars[rows].astype(np.int64) + 2
        n = len(codes)
        row_of = np.repeat(np.arange(len(rows), dtype=np.int64), lens)
        room = np.repeat(np.cumsum(lens), lens)  # the end of each code point's row …
        room -= np.arange(n, dtype=np.int64)  # … as code points left in the row from it
        dim_bits = self.dim_bits
        pairs: list[np.ndarray] = []  # local row << dim_bits | bucket, of every n-gram
        lo, hi = self.char_range
        h = codes.copy()
        for size in range(2, hi + 1):
            h = h[:-1] * _U(hashing.P) + codes[size - 1 :]
            if size >= lo:
                ok = room[: len(h)] >= size
                bucket = _mix(h[ok], dim_bits)
                bucket |= row_of[: len(h)][ok] << dim_bits
                pairs.append(bucket)
        del h, room
        if self.word_ngrams:
            # prefix keys H[i] = key(codes[0..i]) = P^i · Σ_{j≤i} c_j · P^-j (mod 2^64)
            powers, inv_powers = self._powers(n + 1)
            prefix = np.zeros(n + 1, dtype=np.uint64)  # prefix[i + 1] = H[i]
            np.cumsum(codes * inv_powers[:n], out=prefix[1:])
            prefix[1:] *= powers[:n]
            space = codes == _U(32)
            starts = np.flatnonzero(~space[1:] & space[:-1]) + 1
            stops = np.flatnonzero(~space[:-1] & space[1:]) + 1  # exclusive
            word_row = row_of[starts]
            for size in range(1, self.word_ngrams + 1):
                a, b = starts[: len(starts) - size + 1], stops[size - 1 :]
                same = word_row[: len(a)] == word_row[size - 1 :]
                a, b = a[same], b[same]
                k = prefix[b] - prefix[a] * powers[b - a]
                k += _U(hashing.TAG_WORD)
                bucket = _mix(k, dim_bits)
                bucket |= word_row[: len(same)][same] << dim_bits
                pairs.append(bucket)
        extra_lens = self.extra_ptr[rows + 1] - self.extra_ptr[rows]
        if extra_lens.any():
            take = np.repeat(self.extra_ptr[rows] - np.cumsum(extra_lens) + extra_lens, extra_lens)
            take += np.arange(int(extra_lens.sum()))
            bucket = np.repeat(np.arange(len(rows), dtype=np.int64), extra_lens) << dim_bits
            bucket |= self.extra[take]
            pairs.append(bucket)
        # sorted as 32-bit keys when they fit (~40 % faster than 64-bit ones)
        packed = _consume(pairs, np.uint32 if len(rows) << dim_bits <= 1 << 32 else np.int64)
        packed.sort()
        if not len(packed):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy(), empty.copy()
        head = np.empty(len(packed), dtype=bool)
        head[0] = True
        np.not_equal(packed[1:], packed[:-1], out=head[1:])
        at = np.flatnonzero(head)
        del head
        tf = np.empty(len(at), dtype=np.int64)
        np.subtract(at[1:], at[:-1], out=tf[:-1])
        tf[-1] = len(packed) - at[-1]
        packed = packed[at]
        local = (packed >> dim_bits).astype(np.int64)
        packed &= (1 << dim_bits) - 1
        return local, packed.astype(np.int64), tf

    def _powers(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(P^i, P^-i mod 2^64) for i < n at least, computed once for the longest chunk yet."""
        if len(self._cached_powers[0]) < n:
            powers = np.full(n, hashing.P, dtype=np.uint64)
            powers[0] = 1
            np.cumprod(powers, out=powers)
            inv_powers = np.full(n, pow(hashing.P, -1, 1 << 64), dtype=np.uint64)
            inv_powers[0] = 1
            np.cumprod(inv_powers, out=inv_powers)
            self._cached_powers = powers, inv_powers
        return self._cached_powers

    def chunks(self, order: np.ndarray, size: int = TRAIN_ROWS) -> Iterable[tuple[np.ndarray, tuple]]:
        """(rows, `features(rows)`) for consecutive slices of `order`."""
        for k in range(0, len(order), size):
            rows = order[k : k + size]
            yield rows, self.features(rows)


def idf_and_support(
    texts: Texts, labels: np.ndarray, n_classes: int, max_classes: int, every: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(idf float32 by bucket, 0 where no text has it; support offsets; support classes).

    A bucket's intents are ranked by their share of phrasings with it (largest first, ties by intent
    number). A first pass over the texts counts each bucket's texts (the idf) and intents; then, for
    a range of buckets at a time (`SUPPORT_KEYS` keys), a pass writes each (bucket, intent) pair's
    rank key, `2^20 · (1 − share)` and the intent number packed in 32 bits (64 from 4,096 intents),
    into its bucket's place in one array (a counting sort: the bucket is where the key is, so it
    takes no bits); each bucket's keys are sorted, `SUPPORT_SLICE` at a time, and the first
    `max_classes` kept."""
    dim_bits = texts.dim_bits
    if n_classes >= 1 << 16 or dim_bits > 27:
        raise ValueError("the numpy trainer takes at most 65,535 intents and 2^27 buckets")
    dim = 1 << dim_bits
    n = len(texts)
    df = _mapped(dim, np.int32)  # the rows with a bucket
    width = _mapped(dim, np.int32)  # the intents with a bucket
    big: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for bucket, _, count in _pair_counts(texts, labels, None, big):  # sorted by bucket
        if len(bucket):
            head = np.flatnonzero(np.diff(bucket, prepend=-1))
            width[bucket[head]] += np.diff(head, append=len(bucket)).astype(np.int32)
            df[bucket[head]] += np.add.reduceat(count, head).astype(np.int32)
    idf = in_array(dim, np.float32)  # (the matcher's idf: `owner` gives it back)
    for b0 in range(0, dim, SUPPORT_SLICE):
        seen = np.flatnonzero(df[b0 : b0 + SUPPORT_SLICE]) + b0
        idf[seen] = np.log((1.0 + n) / (1.0 + df[seen])) + 1.0
    del df
    total = int(width.sum(dtype=np.int64))
    fill = _mapped(dim + 1, np.int32 if total < 1 << 31 else np.int64)
    np.cumsum(width, out=fill[1:], dtype=fill.dtype)  # fill[b]: where bucket b's next key goes
    width[:] = 0  # from here: each bucket's slots
    classes: list[np.ndarray] = []
    # as few ranges of whole buckets as `SUPPORT_KEYS` allows, with about as many keys each
    ranges = max(1, -(-total // SUPPORT_KEYS))
    bounds = [0]
    for k in range(1, ranges):
        at = int(np.searchsorted(fill, k * total // ranges, side="right")) - 1
        bounds.append(min(dim, max(bounds[-1] + 1, at)))
    for start, end in zip(bounds, [*bounds[1:], dim], strict=True):
        if end > start:
            _trim()
            _support_range(
                texts, labels, (start, end), fill, (n_classes, max_classes, every), width, classes, big
            )
    del fill
    offsets = _mapped(dim + 1, np.int32)
    np.cumsum(width, out=offsets[1:], dtype=np.int32)
    del width
    return idf, offsets, _consume(classes, mapped=True)


def _support_range(
    texts: Texts,
    labels: np.ndarray,
    buckets: tuple[int, int],
    fill: np.ndarray,
    sizes: tuple[int, int, int],
    width: np.ndarray,
    classes: list[np.ndarray],
    big: dict[int, tuple[np.ndarray, np.ndarray]],
) -> None:
    """`idf_and_support` for the buckets `start ≤ b < end`: their keys written by a pass over the
    texts (`fill[b]`: where bucket b's next key goes; it ends where b's keys end), then each
    bucket's best `max_classes` intents and `every` (when ≥ 0) appended to `classes` and their number
    set in `width` (`sizes`: (n_classes, max_classes, every); `big`: as `_pair_counts`)."""
    n_classes, max_classes, every = sizes
    start, end = buckets
    per_class = np.bincount(labels, minlength=n_classes)
    cls_bits = max(1, (n_classes - 1).bit_length())
    key_bits = _MISS_BITS + cls_bits
    key_type = np.uint32 if key_bits <= 32 else np.uint64
    base = int(fill[start])
    keys = _mapped(int(fill[end]) - base, key_type)
    miss_max = (1 << _MISS_BITS) - 1
    for bucket, cls, count in _pair_counts(texts, labels, buckets, big):  # sorted by bucket
        miss = np.rint((1.0 - count / per_class[cls]) * miss_max).astype(key_type)
        miss <<= key_type(cls_bits)
        miss |= cls.astype(key_type)
        head = np.flatnonzero(np.diff(bucket, prepend=-1))
        run = np.diff(head, append=len(bucket))
        at = fill[bucket] - base
        at += np.arange(len(bucket), dtype=at.dtype) - np.repeat(head, run).astype(at.dtype)
        keys[at] = miss
        fill[bucket[head]] += run.astype(fill.dtype)
    del per_class
    _trim()  # (the pass's temporaries)
    ends = fill[start:end] - base  # now bucket b's keys end at ends[b - start]
    b0 = start
    while b0 < end:
        lo = int(ends[b0 - start - 1]) if b0 > start else 0
        b1 = max(b0 + 1, start + int(np.searchsorted(ends, lo + SUPPORT_SLICE, side="right")))
        sorted_keys = keys[lo : int(ends[b1 - 1 - start])].astype(np.uint64)
        counts = np.diff(ends[b0 - start : b1 - start], prepend=lo)
        sorted_keys |= np.repeat(np.arange(b0, b1, dtype=np.uint64) << _U(key_bits), counts)
        sorted_keys.sort()
        sorted_keys = sorted_keys[_first_of_runs(sorted_keys, max_classes, key_bits)]
        bucket = (sorted_keys >> _U(key_bits)).astype(np.int64)
        cls = (sorted_keys & _U((1 << cls_bits) - 1)).astype(np.int64)
        del sorted_keys
        if every >= 0:
            bucket = np.concatenate([bucket, _unique(bucket)])
            cls = np.concatenate([cls, np.full(len(bucket) - len(cls), every)])
        slots = _unique(bucket * n_classes + cls)
        width[b0:b1] = np.bincount(slots // n_classes - b0, minlength=b1 - b0)
        classes.append((slots % n_classes).astype(np.int16 if n_classes < 1 << 15 else np.int32))
        b0 = b1


def _pair_counts(
    texts: Texts,
    labels: np.ndarray,
    buckets: tuple[int, int] | None,
    big: dict[int, tuple[np.ndarray, np.ndarray]],
) -> Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(bucket, intent, how many of the intent's rows have it), sorted by bucket then intent, for a
    group of whole intents at a time (the rows are sorted by intent), of the buckets `start ≤ b <
    end` only when `buckets` is (start, end). An intent with more than `HASH_ROWS` rows is counted
    on the first call and kept in `big` for the next ones."""
    n = len(labels)
    starts = [0, *(np.flatnonzero(np.diff(labels)) + 1).tolist(), n]
    k = 0
    while k < len(starts) - 1:
        end = k + 1
        while end < len(starts) - 1 and starts[end + 1] - starts[k] <= HASH_ROWS:
            end += 1
        lo, hi = starts[k], starts[end]
        k = end
        if hi - lo <= HASH_ROWS:
            local, bucket, _ = texts.features(np.arange(lo, hi))
            if buckets is not None:
                mine = (bucket >= buckets[0]) & (bucket < buckets[1])
                local, bucket = local[mine], bucket[mine]
            yield _counted(bucket, labels[lo:hi][local], texts.dim_bits)
            continue
        if lo not in big:  # one intent with many rows: counted once, kept as (buckets, rows)
            rows_with = _mapped(1 << texts.dim_bits, np.int32)
            for sub in range(lo, hi, HASH_ROWS):
                _, bucket, _ = texts.features(np.arange(sub, min(sub + HASH_ROWS, hi)))
                bucket, count = np.unique(bucket, return_counts=True)
                rows_with[bucket] += count.astype(np.int32)
            nonzero = np.flatnonzero(rows_with).astype(np.int32)
            big[lo] = nonzero, rows_with[nonzero]
            del rows_with
        nonzero, rows = big[lo]
        if buckets is not None:
            a, e = np.searchsorted(nonzero, buckets)
            nonzero, rows = nonzero[a:e], rows[a:e]
        yield nonzero.astype(np.int64), np.full(len(nonzero), labels[lo]), rows.astype(np.int64)


def _counted(
    bucket: np.ndarray, label: np.ndarray, dim_bits: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bucket, label, count) of the distinct (bucket, label) pairs given, sorted by bucket then
    label (`np.unique` of them, with 32-bit keys when the labels' range fits: ~40 % faster)."""
    if not len(bucket):
        return bucket, label.astype(np.int64), np.zeros(0, dtype=np.int64)
    first = int(label.min())
    bits = max(1, (int(label.max()) - first).bit_length())
    if dim_bits + bits > 32:
        keys, count = np.unique(bucket * (1 << bits) + (label - first), return_counts=True)
    else:
        keys = bucket.astype(np.uint32) << np.uint32(bits)
        keys |= (label - first).astype(np.uint32)
        keys.sort()
        head = np.empty(len(keys), dtype=bool)
        head[0] = True
        np.not_equal(keys[1:], keys[:-1], out=head[1:])
        at = np.flatnonzero(head)
        count = np.empty(len(at), dtype=np.int64)
        np.subtract(at[1:], at[:-1], out=count[:-1])
        count[-1] = len(keys) - at[-1]
        keys = keys[at]
    cls = (keys & ((1 << bits) - 1)).astype(np.int64)
    cls += first
    return (keys >> bits).astype(np.int64), cls, count


def _consume(parts: list[np.ndarray], dtype: npt.DTypeLike | None = None, mapped: bool = False) -> np.ndarray:
    """`np.concatenate(parts)`, emptying `parts` as it goes (peak: the result and one part), of
    `dtype` (cast; by default the parts'); in an array of its own (`_mapped`) when `mapped`."""
    size = sum(len(p) for p in parts)
    if dtype is None:
        dtype = parts[0].dtype if parts else np.int64
    out = _mapped(size, dtype) if mapped else np.empty(size, dtype=dtype)
    at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        out[at : at + len(part)] = part
        at += len(part)
    return out


def _first_of_runs(sorted_keys: np.ndarray, limit: int, shift: int = 0) -> np.ndarray:
    """Positions of the first `limit` items of each run of equal `sorted_keys >> shift` (in order),
    without temporaries of the input's size."""
    change: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
    block = 1 << 20
    for k in range(1, len(sorted_keys), block):
        end = min(k + block, len(sorted_keys))
        a = sorted_keys[k - 1 : end - 1] >> shift
        b = sorted_keys[k:end] >> shift
        change.append(np.flatnonzero(a != b) + k)
    starts = np.concatenate(change)
    take = np.minimum(np.diff(np.concatenate([starts, [len(sorted_keys)]])), limit)
    ends = np.cumsum(take)
    out = np.repeat(starts - ends + take, take)
    out += np.arange(len(out))
    return out


def _keys(offsets: np.ndarray, classes: np.ndarray, n_classes: int) -> np.ndarray:
    """The support's `bucket * n_classes + class` keys, slot by slot (one array of their size)."""
    keys = np.repeat(
        np.arange(0, (len(offsets) - 1) * n_classes, n_classes, dtype=np.int64), np.diff(offsets)
    )
    keys += classes
    return keys


def _values(
    local: np.ndarray, bucket: np.ndarray, tf: np.ndarray, idf: np.ndarray, n_rows: int
) -> np.ndarray:
    """TF-IDF values (sublinear tf, L2 norm per row) of the pairs of `Texts.features`."""
    values = np.log(tf)  # float64, computed in place from here
    values += 1.0
    values *= idf.take(bucket)
    norm = np.sqrt(np.bincount(local, weights=values * values, minlength=n_rows))
    values /= np.where(norm > 0, norm, 1.0).take(local)
    return values


def train(
    texts: Texts,
    labels: Sequence[int] | np.ndarray,
    n_classes: int,
    *,
    epochs: int,
    learning_rate: float,
    seed: int,
    max_classes: int,
    oos_class: int,
    oos_weight: float,
    confuser_pass: bool,
    max_confusers: int = 8,
    progress: Callable[[str], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Train: (idf float32 by bucket, offsets, classes, weights float32) in
    `SparseIntentMatcher`'s layout."""
    y_all = np.asarray(labels, dtype=np.int32)  # (the matcher's labels as they are: no copy)
    n = len(y_all)
    idf, offsets, classes = idf_and_support(texts, y_all, n_classes, max_classes, oos_class)
    weight_of = np.where(y_all == oos_class, oos_weight, 1.0)
    weights = _mapped(len(classes), np.float32)
    total: np.ndarray | None = None
    rng = np.random.default_rng(seed)
    batch = min(BATCH, max(1, n // (2 * SMALL)))
    slot_rows = max(batch, SLOT_ROWS // batch * batch)
    # hashed a piece of a chunk at a time (less memory; the same steps while pieces are whole slot
    # groups and divide the chunk)
    piece = EPOCH_ROWS if EPOCH_ROWS % slot_rows == 0 and TRAIN_ROWS % EPOCH_ROWS == 0 else TRAIN_ROWS
    for epoch in range(epochs):
        _trim()
        lr = learning_rate / (1 + epoch)
        order = rng.permutation(n)
        confusers = np.full(n, -1, dtype=np.int64) if confuser_pass and epoch == 0 else None
        confused: list[np.ndarray] = []  # views of `kept`, one a TRAIN_ROWS chunk
        if confusers is not None:  # at most CONFUSER_BUCKETS keys a row; pages touched as written
            wide = (len(offsets) - 1) * n_classes > 1 << 32  # (else `_confuser_pairs` gives uint32)
            kept, filled = _mapped(n * CONFUSER_BUCKETS, np.int64 if wide else np.uint32), 0
        pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # of this TRAIN_ROWS chunk
        for k, (rows, (local, bucket, tf)) in enumerate(texts.chunks(order, piece)):
            values = _values(local, bucket, tf, idf, len(rows)).astype(np.float32)
            _sgd_slots(
                rows,
                (local, bucket, values),
                (offsets, classes, weights),
                (y_all, weight_of),
                (n_classes, batch, slot_rows),
                np.float32(lr),
                confusers,
            )
            if confusers is not None:  # the confused rows' features, by TRAIN_ROWS chunk
                at = k * piece % TRAIN_ROWS  # where this piece starts in its chunk
                mine = confusers[rows][local] >= 0
                pending.append((local[mine] + at, bucket[mine], values[mine]))
                if at + piece >= TRAIN_ROWS or k * piece + len(rows) >= n:
                    chunk = confusers[order[k * piece - at : k * piece - at + TRAIN_ROWS]]
                    local, bucket, values = (np.concatenate(p) for p in zip(*pending, strict=True))
                    pending.clear()
                    pairs = _confuser_pairs(local, bucket, values, chunk, n_classes)
                    kept[filled : filled + len(pairs)] = pairs
                    confused.append(kept[filled : filled + len(pairs)])
                    filled += len(pairs)
                    del pairs
        if confusers is not None:
            model = [offsets, classes, weights]  # `_add_confusers` lets the old arrays go
            del offsets, classes, weights, kept  # (`kept` goes with the last view of `confused`)
            offsets, classes, weights = _add_confusers(confused, model, n_classes, max_confusers, in_array)
        if total is None:
            _trim()  # (the confusers' temporaries)
            total = in_array(len(weights), np.float32)  # (the matcher's weights: no copy at the end)
            total += weights
        else:
            total += weights
        if progress is not None:
            progress(f"epoch {epoch + 1}: {len(weights)} slots")
    assert total is not None  # epochs ≥ 1
    total /= np.float32(epochs)
    return idf, offsets, classes, total


def _sgd_slots(
    rows: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    model: tuple[np.ndarray, np.ndarray, np.ndarray],
    targets: tuple[np.ndarray, np.ndarray],
    sizes: tuple[int, int, int],
    lr: np.float32,
    confusers: np.ndarray | None,
) -> None:
    """`_sgd_rows` over `rows` (`pairs`: their (local row, bucket, value), sorted by local row),
    `slot_rows` rows at a time: their support slots are laid out for that many rows only (for 1,024
    rows at 10×, ~25 MB of int64 slot and key arrays). The same steps as one call, since a step
    reads the weights as the steps before left them (`sizes`: n_classes, batch, slot_rows)."""
    local, bucket, values = pairs
    y_all, weight_of = targets
    n_classes, batch, slot_rows = sizes
    row_ptr = np.searchsorted(local, np.arange(len(rows) + 1))
    for s0 in range(0, len(rows), slot_rows):
        s1 = min(s0 + slot_rows, len(rows))
        a, e = row_ptr[s0], row_ptr[s1]
        _sgd_rows(
            rows[s0:s1],
            local[a:e] - s0,
            bucket[a:e],
            values[a:e],
            model,
            y_all,
            weight_of,
            n_classes,
            batch,
            lr,
            confusers,
        )


def _sgd_rows(
    rows: np.ndarray,
    local: np.ndarray,
    bucket: np.ndarray,
    values: np.ndarray,
    model: tuple[np.ndarray, np.ndarray, np.ndarray],
    y_all: np.ndarray,
    weight_of: np.ndarray,
    n_classes: int,
    batch: int,
    lr: np.float32,
    confusers: np.ndarray | None,
) -> None:
    """SGD steps over `rows` (their feature pairs given), `batch` rows a step, updating the weights.

    A step's scores are one `bincount` of its slots' weighted values (float64, in slot order), its
    softmax dense over the intents, its gradient added slot by slot (`np.add.at`, in the same order)."""
    offsets, classes, weights = model
    lo = offsets.take(bucket)
    lens = offsets.take(bucket + 1) - lo
    ends = np.cumsum(lens)
    slot = np.repeat(lo - ends + lens, lens)
    slot += np.arange(len(slot))
    x = np.repeat(values, lens)
    key = np.repeat((local % batch) * n_classes, lens)
    key += classes.take(slot)
    pair_bounds = np.searchsorted(local, np.arange(0, len(rows) + batch, batch))
    bounds = np.concatenate([[0], ends])[pair_bounds].tolist()
    if not bounds[-1]:
        return
    y_rows = y_all[rows]
    label_at = np.arange(len(rows)) % batch * n_classes + y_rows  # the flat index of p[row, label]
    step_weight = (weight_of[rows] * -lr).astype(np.float32)
    buffer = np.empty(max(e - a for a, e in itertools.pairwise(bounds)), dtype=np.float32)
    take, add_at = weights.take, np.add.at
    for j in range(0, len(rows), batch):
        a, e = bounds[j // batch], bounds[j // batch + 1]
        if a == e:
            continue
        m = min(batch, len(rows) - j)
        sl, xs, ks, out = slot[a:e], x[a:e], key[a:e], buffer[: e - a]
        scores = np.bincount(ks, weights=np.multiply(take(sl), xs, out=out), minlength=m * n_classes)
        p: np.ndarray = scores.reshape(m, n_classes)  # float64 (weighted counts); `scores` flat
        p -= p.max(axis=1, keepdims=True)
        np.exp(p, out=p)
        p /= p.sum(axis=1, keepdims=True)
        at_y = label_at[j : j + m]
        p_y = scores[at_y]
        if confusers is not None:
            scores[at_y] = -1.0
            top = p.argmax(axis=1)
            found = p[np.arange(m), top] >= CONFUSER_P
            confusers[rows[j : j + m][found]] = top[found]
        probs = p_y.tolist()  # (Python floats: cheaper than array tests for 4 rows)
        if min(probs) >= CONFIDENT:  # no row learns
            continue
        scores[at_y] = p_y - 1.0
        if max(probs) < CONFIDENT:  # every row learns
            p *= step_weight[j : j + m, None]
        else:
            p *= (step_weight[j : j + m] * (p_y < CONFIDENT))[:, None]
        add_at(weights, sl, np.multiply(scores.take(ks), xs, out=out, casting="same_kind"))


def _confuser_pairs(
    local: np.ndarray, bucket: np.ndarray, values: np.ndarray, confuser: np.ndarray, n_classes: int
) -> np.ndarray:
    """For a chunk's rows (`confuser[k]` of local row k, −1 for none): the (bucket, confuser) keys
    `bucket * n_classes + confuser` of each confused row's `CONFUSER_BUCKETS` most weighted buckets,
    sorted, a key once for each row that gave it (32 bits while the keys fit)."""
    mine = confuser[local] >= 0
    local, bucket, values = local[mine], bucket[mine], values[mine]
    order = np.argsort(local * 2.0 - values)  # by row, then largest value first (values ≤ 1)
    local, bucket = local[order], bucket[order]
    top = _first_of_runs(local, CONFUSER_BUCKETS)
    keys = bucket[top] * n_classes + confuser[local[top]]
    keys = keys.astype(np.uint32 if int(bucket.max(initial=0) + 1) * n_classes <= 1 << 32 else np.int64)
    keys.sort()
    return keys


def _add_confusers(
    parts: list[np.ndarray],
    model: list[np.ndarray],
    n_classes: int,
    max_confusers: int,
    alloc: Callable[[int, npt.DTypeLike], np.ndarray] = _mapped,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The support grown by the confusers (`parts`: `_confuser_pairs` of each chunk, emptied): a bucket takes
    at most `max_confusers` new intents (those confused on it most often), after its old ones. The
    weights learnt so far are carried over. Merged a range of buckets at a time (`CONFUSER_RANGES`),
    so the temporaries are a fraction of `parts`. `model`: [offsets, classes, weights], emptied;
    the new one is made by `alloc` (`_insert_slots`)."""
    offsets, classes, weights = model
    dim = len(offsets) - 1
    added_buckets: list[np.ndarray] = []
    added_classes: list[np.ndarray] = []
    step = -(-dim // CONFUSER_RANGES)
    for b0 in range(0, dim, step):
        b1 = min(dim, b0 + step)
        lo, hi = b0 * n_classes, b1 * n_classes
        packed = np.concatenate(
            [
                p[np.searchsorted(p, lo) : len(p) if b1 == dim else np.searchsorted(p, hi)].astype(np.int64)
                for p in parts
            ]
            or [np.zeros(0, dtype=np.int64)]
        )
        if not len(packed):
            continue
        packed.sort()
        starts = np.flatnonzero(np.diff(packed, prepend=-1))
        n = np.diff(starts, append=len(packed))  # how many rows gave each key
        keys = packed[starts]
        del packed, starts
        a, e = int(offsets[b0]), int(offsets[b1])
        old = np.repeat(
            np.arange(b0 * n_classes, b1 * n_classes, n_classes, dtype=np.int64),
            np.diff(offsets[b0 : b1 + 1]),
        )
        old += classes[a:e]
        old.sort()
        fresh = ~_member(keys, old)
        del old
        keys, n = keys[fresh], np.minimum(n[fresh], (1 << 20) - 1)
        packed = (keys // n_classes) << 36 | ((1 << 20) - 1 - n) << 16 | keys % n_classes
        del keys, n
        packed.sort()
        packed = packed[_first_of_runs(packed, max_confusers, 36)]
        packed = (packed >> 36) << 16 | (packed & 0xFFFF)  # (bucket, class)
        packed.sort()
        added_buckets.append((packed >> 16).astype(np.int32))
        added_classes.append((packed & 0xFFFF).astype(classes.dtype))
        del packed
    parts.clear()
    del offsets, classes, weights
    _trim()
    return _insert_slots(_consume(added_buckets), _consume(added_classes), model, alloc)


def _insert_slots(
    bucket: np.ndarray,
    cls: np.ndarray,
    model: list[np.ndarray],
    alloc: Callable[[int, npt.DTypeLike], np.ndarray] = _mapped,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The support `model` ([offsets, classes, weights], emptied: an array no one else holds is
    freed as soon as it is copied) with new slots (`bucket`, `cls`: sorted by bucket then class,
    none already there) as zero weights, each after its bucket's old ones: the old weights keep their
    order. New arrays (`alloc`: `_mapped`, or `in_array` for a warm update), filled a block at a
    time (`np.insert` makes index temporaries several times the size of the slots added). `bucket`
    is used up (changed)."""
    offsets, classes, weights = model
    model.clear()
    size = len(weights) + len(bucket)
    index = np.int32 if size < 1 << 31 else np.int64
    bucket += 1
    at = offsets[bucket].astype(index)  # new slot k goes before old slot at[k]
    _trim()
    new_weights = _spread(weights, at, size, alloc)
    del weights
    _trim()
    new_classes = _spread(classes, at, size, alloc)
    del classes
    for k0 in range(0, len(at), INSERT_BLOCK):  # new slot k's place once the k before it are in
        at[k0 : k0 + INSERT_BLOCK] += np.arange(k0, min(len(at), k0 + INSERT_BLOCK), dtype=index)
    new_classes[at] = cls
    del at
    shift = alloc(len(offsets), np.int32)  # slots added before each bucket
    np.add.at(shift, bucket, 1)
    np.cumsum(shift, out=shift, dtype=np.int32)
    shift += offsets
    return shift, new_classes, new_weights


def _spread(
    values: np.ndarray, at: np.ndarray, size: int, alloc: Callable[[int, npt.DTypeLike], np.ndarray]
) -> np.ndarray:
    """`values` in a new zeroed array of `size` (from `alloc`), value j moved right by the number
    of `at` (sorted) ≤ j, a block at a time."""
    out = alloc(size, values.dtype)
    for j0 in range(0, len(values), INSERT_BLOCK):
        j1 = min(len(values), j0 + INSERT_BLOCK)
        old = np.arange(j0, j1, dtype=at.dtype)  # (of `at`'s type, or searchsorted converts `at`)
        to = np.searchsorted(at, old, side="right")
        to += old
        out[to] = values[j0:j1]
    return out


def _member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Which of `keys` are in the sorted array `sorted_keys`."""
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys if len(sorted_keys) else np.zeros(len(keys), dtype=bool)


def _unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort: faster than numpy's hash-based `unique` on large arrays)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


# -- warm start: a few rows more, from a trained model --------------------------------------------


def warm_train(
    texts: Texts,
    labels: Sequence[int],
    n_added: int,
    model: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    n_classes: int,
    *,
    extra_classes: Sequence[int],
    oos_class: int,
    oos_weight: float,
    learning_rate: float,
    added_weight: float,
    seed: int,
    target: float,
    min_passes: int,
    max_passes: int,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], int, float]:
    """Train a trained model (idf, offsets, classes, weights) further on `texts`: its first `n_added`
    rows are new, the rest replayed old rows. The new rows' buckets no training text had get the
    largest idf (a bucket seen once); each new row's buckets get slots for its intent, the
    out-of-scope class and `extra_classes` (the intents it could be confused with). Then SGD passes
    over all the rows (new ones weighing `added_weight`), at least `min_passes`, until every new row
    gets `target` for its intent or `max_passes`. Returns (the model, passes, the lowest new row's
    probability); the model given is not changed, the one returned is in `in_array`s."""
    idf, offsets, classes, weights = model
    y_all = np.asarray(labels, dtype=np.int64)
    new = np.arange(n_added)
    local, bucket, _ = texts.features(new)
    idf = _copied(idf)
    unseen = idf[bucket] == 0
    idf[bucket[unseen]] = idf.max()
    wanted = [y_all[local], np.full(len(bucket), oos_class)] if oos_class >= 0 else [y_all[local]]
    wanted += [np.full(len(bucket), c) for c in extra_classes]
    keys = _unique(np.concatenate([bucket * n_classes + w for w in wanted]))
    mine = _unique(bucket)  # the slots already there, of these buckets only
    lo = offsets[mine].astype(np.int64)
    lens = offsets[mine + 1] - lo
    slot = np.repeat(lo - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
    there = np.sort(np.repeat(mine * n_classes, lens) + classes[slot])
    added = keys[~_member(keys, there)]
    _trim()
    offsets, classes, weights = _insert_slots(
        added // n_classes,
        (added % n_classes).astype(classes.dtype),
        [offsets, classes, weights],
        in_array,
    )
    model_now = (offsets, classes, weights)  # new arrays: the model given is unchanged
    weight_of = np.where(y_all == oos_class, oos_weight, 1.0)
    weight_of[:n_added] *= added_weight
    rng = np.random.default_rng(seed)
    n = len(y_all)
    batch = 1
    worst, passes = 0.0, 0
    for passes in range(1, max_passes + 1):
        order = rng.permutation(n)
        for rows, (loc, bkt, tf) in texts.chunks(order, EPOCH_ROWS):  # (each row's values are its own)
            values = _values(loc, bkt, tf, idf, len(rows)).astype(np.float32)
            _sgd_slots(
                rows,
                (loc, bkt, values),
                model_now,
                (y_all, weight_of),
                (n_classes, batch, SLOT_ROWS),
                np.float32(learning_rate),
                None,
            )
        worst = float(row_probabilities(texts, new, y_all[:n_added], idf, model_now, n_classes).min())
        if passes >= min_passes and worst >= target:
            break
    offsets, classes, weights = model_now
    return (idf, offsets, classes, weights), passes, worst


def _copied(values: np.ndarray) -> np.ndarray:
    """A copy of `values` in an `in_array`."""
    out = in_array(len(values), values.dtype)
    out[:] = values
    return out


def row_probabilities(
    texts: Texts,
    rows: np.ndarray,
    labels: np.ndarray,
    idf: np.ndarray,
    model: tuple[np.ndarray, np.ndarray, np.ndarray],
    n_classes: int,
) -> np.ndarray:
    """The probability the model gives each of `rows` for its label (intents without a slot for any
    of a row's buckets score 0, as when serving)."""
    offsets, classes, weights = model
    local, bucket, tf = texts.features(rows)
    values = _values(local, bucket, tf, idf, len(rows))
    lo = offsets[bucket]
    lens = offsets[bucket + 1] - lo
    ends = np.cumsum(lens)
    slot = np.repeat(lo - ends + lens, lens)
    slot += np.arange(len(slot))
    key = np.repeat(local * n_classes, lens) + classes[slot]
    contributions = weights[slot] * np.repeat(values, lens)
    scores = np.bincount(key, weights=contributions, minlength=len(rows) * n_classes)
    p: np.ndarray = scores.reshape(len(rows), n_classes)  # float64 (weighted counts)
    p -= p.max(axis=1, keepdims=True)
    np.exp(p, out=p)
    p /= p.sum(axis=1, keepdims=True)
    return p[np.arange(len(rows)), labels]
