"""A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests of discord.py clients.

See README.md in this directory. Import as ``from fakediscord import FakeDiscord, pointed_at, ...``
(pytest puts ``tests/`` on ``sys.path`` through ``tests/conftest.py``).
"""

from .clock import FakeClock
from .factories import World, make_member, make_message, make_user, snowflake
from .harness import ClientDied, LogWatcher, running_client
from .server import (
    FakeDiscord,
    FakeDiscordAbort,
    InteractionHandle,
    NotAcknowledged,
    RecordedFile,
    RecordedRequest,
    pointed_at,
)
from .validation import find_component, walk_components, would_ping

__all__ = [
    "ClientDied",
    "FakeClock",
    "FakeDiscord",
    "FakeDiscordAbort",
    "InteractionHandle",
    "LogWatcher",
    "NotAcknowledged",
    "RecordedFile",
    "RecordedRequest",
    "World",
    "find_component",
    "make_member",
    "make_message",
    "make_user",
    "pointed_at",
    "running_client",
    "snowflake",
    "walk_components",
    "would_ping",
]
