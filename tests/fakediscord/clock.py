"""Simulated time for the fake Discord (and, if a test passes it on, for the bot under test).

``FakeClock.now()`` is the real monotonic time plus every second :meth:`FakeClock.advance` added, so
real slowness counts (a handler that blocks for 3 s misses Discord's deadline) and a test can still
let 15 minutes pass at once without sleeping. ``await clock.sleep(s)`` returns when the simulated
time reaches its target, whichever of real time or ``advance()`` gets there first.
"""

from __future__ import annotations

import asyncio
import contextlib
import time


class FakeClock:
    """Monotonic seconds, advanceable. Same interface as ``bot.clock.SystemClock``."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.sleepers = 0
        """How many coroutines are in :meth:`sleep` right now."""
        self.started: list[float] = []
        """The length of every :meth:`sleep` begun on this clock, in order (see :meth:`until_started`)."""
        self._changed: asyncio.Event | None = None
        self._counted = asyncio.Event()

    def now(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass at once (wakes every ``sleep``)."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.offset += seconds
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    async def sleep(self, seconds: float) -> None:
        seconds = max(0.0, seconds)
        target = self.now() + seconds
        self.started.append(seconds)
        self.sleepers += 1
        self._counted.set()
        try:
            while (left := target - self.now()) > 0:
                if self._changed is None:
                    self._changed = asyncio.Event()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), left)
        finally:
            self.sleepers -= 1

    def mark(self) -> int:
        """How many sleeps have begun so far; pass it as ``since=`` to :meth:`until_started`."""
        return len(self.started)

    async def until_started(
        self, shortest: float, longest: float | None = None, *, since: int, timeout: float = 5.0
    ) -> None:
        """Wait (real time) until a sleep of ``shortest`` seconds (or between ``shortest`` and ``longest``)
        has begun since ``since`` (:meth:`mark`), e.g. until the code under test has started its timer,
        so that ``advance()`` is not spent before it starts.

        The timer is recognised by its length, not by a count of sleepers: the bot's background loops
        sleep on the same clock, and when time passes they wake, work and sleep again, so a count
        taken while one of them was awake would be reached by that loop and not by the timer."""
        longest = shortest if longest is None else longest
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not any(shortest <= s <= longest for s in self.started[since:]):
            if loop.time() > deadline:
                raise TimeoutError(
                    f"fake clock: no sleep of {shortest:g}-{longest:g} s began in {timeout}s; "
                    f"began since the mark: {self.started[since:]}"
                )
            self._counted.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._counted.wait(), 0.05)
