"""The bot's sense of time for its own deadlines (when to acknowledge, when a token runs out).

`SystemClock` is real monotonic time. Tests pass the fake Discord's clock instead (same two methods),
so a test can let 15 minutes pass at once and the bot and the fake agree on what time it is.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Monotonic seconds."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Return once `seconds` have passed on this clock."""
        ...


class SystemClock:
    """Real time: `time.monotonic()` and `asyncio.sleep`."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
