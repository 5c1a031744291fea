"""Shared pytest fixtures. The fake Discord ones come first; see tests/fakediscord/README.md."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import discord
import pytest
from fakediscord import FakeDiscord, LogWatcher

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", None}


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never resolve a non-local host name (so a client not pointed at the fake fails fast
    instead of reaching discord.com)."""
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in _LOCAL_HOSTS:
            raise OSError(f"tests must not reach the network (tried to resolve {name!r})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture(autouse=True)
def _restore_discord_urls() -> Iterator[None]:
    """Undo any redirection of discord.py's REST base and gateway URL (class attributes) after a test."""
    base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE = base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@pytest.fixture
def discord_log() -> Iterator[LogWatcher]:
    """Fails the test if the ``discord`` or ``asyncio`` logger records an ERROR (discord.py swallows
    exceptions in handlers and only logs them). ``discord_log.allow(regex)`` accepts expected ones;
    ``discord_log.watch("name")`` watches another logger too."""
    watcher = LogWatcher()
    watcher.watch("discord")
    watcher.watch("asyncio")
    yield watcher
    watcher.detach()
    errors = watcher.unexpected()
    if errors:
        pytest.fail("errors were logged during the test:\n\n" + "\n\n".join(errors), pytrace=False)


@pytest.fixture
async def fake_discord(discord_log: LogWatcher) -> AsyncIterator[FakeDiscord]:
    """A started :class:`FakeDiscord` (token ``fake.token``). A logged discord error makes every wait
    on it fail at once; a request to a route the fake does not know, or an interaction the client
    never acknowledged, fails the test at teardown."""
    fake = FakeDiscord(token="fake-token-for-tests")
    discord_log.on_error.append(
        lambda record: fake.abort(AssertionError("discord.py logged an error: " + LogWatcher.text(record)))
    )
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
    if fake.unhandled:
        pytest.fail(f"the client called routes the fake does not implement: {fake.unhandled}", pytrace=False)
    silent = fake.unacknowledged()
    if silent:
        pytest.fail(
            "interactions were never acknowledged (Discord shows 'The application did not respond'): "
            + ", ".join(f"{h!r} {h.data.get('name') or h.data.get('custom_id')}" for h in silent),
            pytrace=False,
        )


# ---------------------------------------------------------------------------------------------
# cmf-bot fixtures (the Discord bot's end-to-end tests)

_PROJECT_ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def bot_knowledge_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A knowledge database built once per session from the shipped knowledge; tests get a copy through
    ``bot_engine``. A shipped knowledge base that does not load fails every test using it, loudly."""
    from bot.engine.engine import Engine
    from bot.engine.loader import KnowledgeError

    out = tmp_path_factory.mktemp("bot-kb") / "kb.sqlite3"
    try:
        engine = Engine.open(out, _PROJECT_ROOT)
    except KnowledgeError as exc:
        pytest.fail(f"the shipped knowledge base does not load:\n{exc}", pytrace=False)
    engine.close()
    return out


@pytest.fixture(scope="session")
def shipped_kb() -> Any:
    """The shipped knowledge base, loaded once per session (read-only: tests must not change it)."""
    from bot.engine.loader import load_knowledge

    return load_knowledge(_PROJECT_ROOT)


@pytest.fixture
def bot_engine(bot_knowledge_db: Any, tmp_path: Any) -> Iterator[Any]:
    """An engine over a private copy of the session's knowledge database, logging as "discord"."""
    from db_copies import copy_database

    from bot.engine.engine import Engine

    db = copy_database(bot_knowledge_db, tmp_path / "bot.sqlite3")  # the matcher cache linked
    engine = Engine.open(db, log_source="discord")
    yield engine
    engine.close()


@pytest.fixture
def shipped_db(bot_knowledge_db: Any, tmp_path: Any) -> str:
    """A private copy of the session's knowledge database, for `cmf-bot` console commands."""
    from db_copies import copy_database

    return str(copy_database(bot_knowledge_db, tmp_path / "console.sqlite3"))


# ---------------------------------------------------------------------------------------------
# the small fixture knowledge base in SQLite (moderation service, `cmf-bot kb` commands, imports)


@pytest.fixture(scope="session")
def kb_min_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A database built once per session from tests/fixtures/kb_min; tests get a copy through ``db_path``."""
    from bot.engine.store import ensure_database

    path = tmp_path_factory.mktemp("kb-min") / "kb.sqlite3"
    db = ensure_database(path, _PROJECT_ROOT / "tests" / "fixtures" / "kb_min")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file that is copied
    db.conn.close()
    return path


@pytest.fixture
def db_path(kb_min_db: Any, tmp_path: Any) -> Any:
    """A private copy of the kb_min database for one test."""
    import shutil

    target = tmp_path / "kb.sqlite3"
    shutil.copy(kb_min_db, target)
    return target


# ---------------------------------------------------------------------------------------------
# URL imports: the fake Discord (and test HTTP servers) serve on 127.0.0.1, which the import fetcher
# refuses by default. A test that needs it asks for ``loopback_imports`` (test_bot_moderation.py does
# for all its tests, through ``pytestmark``); every other test (tests/test_url_import_security.py above
# all) keeps the safe default.


@pytest.fixture
def loopback_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test-only fetch policy for URL imports: http allowed, loopback addresses only."""
    from bot.moderation import importer
    from bot.moderation.fetch import FetchPolicy

    monkeypatch.setattr(
        importer,
        "policy_from_env",
        lambda: FetchPolicy(allow_http=True, address_allowed=lambda ip: ip.is_loopback),
    )


# ---------------------------------------------------------------------------------------------
# Test tiers (tests/README.md): markers applied by file, so `pytest -m "not slow and not e2e"` is the
# fast tier. CI (.ci/run) runs everything.

_E2E_FILES = ("test_bot_", "test_fakediscord.py")
_SLOW_FILES = {  # each builds an engine over the shipped knowledge (about 10 s) or a wheel
    "test_quality.py",
    "test_credentials_samples.py",
    "test_import_kill.py",
    "test_packaging.py",
    "test_common_questions.py",
    "test_concepts.py",
    "test_suggested_examples.py",
    "test_catalogue_truth.py",
}
_SLOW_TESTS = {  # single tests over the shipped knowledge in otherwise fast files (`--durations=30`)
    "test_engine.py": {
        "test_a_course_list_names_the_topic_as_the_user_wrote_it",
        "test_a_course_request_with_no_exact_match_drops_the_narrowing_filter",
        "test_shipped_knowledge_answers_and_checks",
    },
    "test_compliance.py": {"test_discord_check_shows_the_ects_line_for_information_and_meets"},
    "test_credentials_cli.py": {"test_the_command_is_listed_and_ask_stays_light"},
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the Discord suites ``e2e`` and the long-running files ``slow``."""
    for item in items:
        name = item.path.name
        if name.startswith(_E2E_FILES):
            item.add_marker(pytest.mark.e2e)
        elif name in _SLOW_FILES or item.originalname in _SLOW_TESTS.get(name, ()):
            item.add_marker(pytest.mark.slow)
