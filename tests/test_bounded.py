"""The bounded cache of the search's word corrections and the course-query reader's close topics."""

from __future__ import annotations

import pytest

from bot.engine.bounded import BoundedCache


def test_a_full_cache_drops_the_entry_put_first() -> None:
    cache: BoundedCache[str, int] = BoundedCache(3)
    for k, word in enumerate(["a", "b", "c"]):
        cache.put(word, k)
    assert cache.get("a") == 0  # reading "a" does not make it newer
    cache.put("d", 3)
    assert len(cache) == 3
    assert "a" not in cache and cache.get("a") is None
    assert [cache.get(w) for w in "bcd"] == [1, 2, 3]
    cache.put("e", 4)
    cache.put("f", 5)
    assert [w for w in "abcdef" if w in cache] == ["d", "e", "f"]


def test_the_size_bounds_the_entries_whatever_is_put() -> None:
    cache: BoundedCache[int, int] = BoundedCache(5)
    for k in range(1000):
        cache.put(k % 37, k)
        assert len(cache) <= 5
    assert len(cache) == 5
    assert [k for k in range(37) if k in cache] == sorted({(999 - j) % 37 for j in range(5)})


def test_putting_a_kept_key_replaces_its_value_and_drops_nothing() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("b", 20)
    cache.put("a", 10)
    assert (cache["a"], cache["b"], len(cache)) == (10, 20, 2)
    cache.put("c", 3)  # "a" was put first (put again, it is not newer)
    assert "a" not in cache and (cache["b"], cache["c"]) == (20, 3)


def test_a_kept_none_is_told_from_a_missing_key() -> None:
    cache: BoundedCache[str, str | None] = BoundedCache(2)
    cache.put("zzz", None)
    assert "zzz" in cache and cache["zzz"] is None
    assert "yyy" not in cache
    with pytest.raises(KeyError):
        cache["yyy"]


def test_size_zero_keeps_nothing_and_a_negative_size_is_refused() -> None:
    cache: BoundedCache[str, int] = BoundedCache(0)
    cache.put("a", 1)
    assert len(cache) == 0 and "a" not in cache
    with pytest.raises(ValueError):
        BoundedCache(-1)
