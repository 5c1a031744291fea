"""A dict of at most a given number of entries, the oldest dropped first.

What a reader or a search learns about a word (its corrections, its close topic) comes back question
after question; these caches keep it without growing with every new word (`search.EXPANSIONS_KEPT`,
`course_query.CLOSE_TOPICS_KEPT`).
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most `size` entries (0 keeps none). When it is full, `put` of a new key drops the entry put
    first (in the order of insertion: reading an entry does not make it newer); `put` of a key it
    holds replaces its value and drops nothing."""

    __slots__ = ("_data", "size")

    def __init__(self, size: int) -> None:
        if size < 0:
            raise ValueError(f"size must be at least 0, got {size}")
        self.size = size
        self._data: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def get(self, key: K) -> V | None:
        """The value kept for `key`, or None (`in` tells a kept None from a missing key)."""
        return self._data.get(key)

    def put(self, key: K, value: V) -> None:
        """Keep `value` for `key`, dropping the oldest entry when full (nothing kept when `size` is 0)."""
        if not self.size:
            return
        data = self._data
        if key not in data and len(data) >= self.size:
            del data[next(iter(data))]  # the oldest
        data[key] = value


__all__ = ["BoundedCache"]
