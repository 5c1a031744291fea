"""Test harness around the fake: run a discord.py client against it and turn swallowed errors into
test failures (pitfalls 7 and 8 of the testing notes)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

import discord

from .server import FakeDiscord

ClientT = TypeVar("ClientT", bound=discord.Client)


class LogWatcher(logging.Handler):
    """Collects ERROR (and worse) records of the ``discord`` and ``asyncio`` loggers, plus any logger
    added with :meth:`watch`. discord.py only logs exceptions raised in event handlers, views and
    commands, so without this a test can pass while the handler crashed after its first request.

    ``allow(regex)`` accepts records whose message (with traceback) matches, for tests that provoke
    an error on purpose; call it before provoking it. ``on_error`` callbacks run for every other record.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self.on_error: list = []
        self._allowed: list[re.Pattern[str]] = []
        self._loggers: list[logging.Logger] = []

    def watch(self, name: str) -> None:
        logger = logging.getLogger(name)
        logger.addHandler(self)
        self._loggers.append(logger)

    def detach(self) -> None:
        for logger in self._loggers:
            logger.removeHandler(self)
        self._loggers.clear()

    def allow(self, pattern: str) -> None:
        self._allowed.append(re.compile(pattern, re.S))

    @staticmethod
    def text(record: logging.LogRecord) -> str:
        text = f"{record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        return text

    def _is_allowed(self, record: logging.LogRecord) -> bool:
        text = self.text(record)
        return any(p.search(text) for p in self._allowed)

    def emit(self, record: logging.LogRecord) -> None:
        if self._is_allowed(record):
            return
        self.records.append(record)
        for callback in self.on_error:
            callback(record)

    def unexpected(self) -> list[str]:
        """Messages (with tracebacks) of the error records not allowed."""
        return [self.text(r) for r in self.records if not self._is_allowed(r)]


class ClientDied(AssertionError):
    """The client's ``start()`` task ended while the test was still using it."""


@asynccontextmanager
async def running_client(
    fake: FakeDiscord, client: ClientT, *, token: str | None = None, timeout: float = 10.0
) -> AsyncIterator[ClientT]:
    """Run ``client.start(token)`` (default ``fake.token``) as a task until the client is ready
    (``on_ready``), yield it, then close it and await the task.

    The client must already point at the fake (see :func:`~.server.pointed_at`) and should be built
    with ``guild_ready_timeout=0.05`` (pitfall 5). If the task ends before READY, its exception is
    raised here (e.g. ``discord.LoginFailure``). If it ends while the test runs, every wait on ``fake``
    raises :class:`~.server.FakeDiscordAbort` at once and the exception is raised again on exit.
    """
    task = asyncio.create_task(client.start(token or fake.token), name="fakediscord-client")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not client.is_ready():
        if task.done():
            await client.close()
            exc = None if task.cancelled() else task.exception()
            if exc is not None:
                raise exc
            raise ClientDied("client.start() ended before the client was ready")
        if loop.time() > deadline:
            await client.close()
            task.cancel()
            raise TimeoutError(f"the client was not ready after {timeout}s")
        await asyncio.sleep(0.002)

    closing = False

    def on_done(t: asyncio.Task[None]) -> None:
        if closing:
            return
        exc = None if t.cancelled() else t.exception()
        fake.abort(ClientDied(f"client.start() ended during the test: {exc!r}"))

    task.add_done_callback(on_done)
    try:
        yield client
    finally:
        closing = True
        if not client.is_closed():
            await client.close()
        try:
            await asyncio.wait_for(task, 5.0)
        except asyncio.CancelledError:
            pass
        except Exception as exc:
            raise ClientDied(f"client.start() failed: {exc!r}") from exc
