"""The scheduled catalogue sync (bot/exts/catalogue_sync.py) and its status in `/kb stats`, end to end:
the real discord.py client against the fake Discord, the catalogue source a Richie API on 127.0.0.1
serving tests/fixtures/richie/courses.json (see test_sync_richie.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_bot_e2e import NO_PINGS, answer_of, started
from test_bot_moderation import ADMIN, ephemeral, text_of
from test_sync_richie import LOCAL, Richie

from bot.moderation import sync as sync_module


@pytest.fixture
def richie() -> Iterator[Richie]:
    server = Richie()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def loopback_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test-only: the scheduled sync may reach 127.0.0.1 (the default policy refuses it)."""
    monkeypatch.setattr(sync_module, "policy_from_env", lambda: LOCAL)


def sources_file(tmp_path: Path, richie: Richie) -> str:
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"sources:\n  - name: fun-fixture\n    url: {richie.url}\n    platform: FUN MOOC\n    kind: richie\n",
        "utf-8",
    )
    return str(path)


async def until(predicate: Any, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.mark.usefixtures("loopback_sync")
async def test_the_scheduled_sync_adds_the_sources_courses_and_stats_show_it(
    fake_discord: Any, bot_engine: Any, richie: Richie, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.exts.catalogue_sync")
    query = "histoire des jardins"
    assert not any("histoire des jardins" in c.title.lower() for c in bot_engine.kb.courses.values())
    settings = {"catalogue_sync_sources": sources_file(tmp_path, richie), "catalogue_sync_interval": 3600}
    async with started(fake_discord, bot_engine, **settings) as bot:
        cog = bot.get_cog("CatalogueSync")
        assert cog is not None and cog.scheduled.is_running()
        await until(lambda: cog.runs >= 1)  # the first run: once the bot is ready
        assert [r.ok for r in cog.last_results] == [True] and len(cog.last_results[0].added) == 5
        # the engine reloaded: /courses finds a course that only the source lists, with its own page
        data = await answer_of(await fake_discord.slash("courses", {"query": query}), timeout=20)
        shown = text_of(data)
        assert "Fixture : histoire des jardins" in shown
        assert f"{richie.site}/fr/cours/fixture-histoire-des-jardins/" in shown
        assert data.get("allowed_mentions") == NO_PINGS
        # /kb stats: the source, its last success and counts
        stats = await answer_of(
            await fake_discord.slash("kb", {}, subcommand="stats", user=ADMIN), timeout=30
        )
    assert ephemeral(stats)
    fields = {f["name"]: f["value"] for f in stats["embeds"][0]["fields"]}
    line = fields["Catalogue sources (sync)"]
    assert line.startswith("**fun-fixture**: last success 20") and "5 added, 0 updated, 0 withdrawn" in line
    assert "last error" not in line
    assert any("catalogue sync: fun-fixture: 3 pages; 5 added" in r.getMessage() for r in caplog.records)


@pytest.mark.usefixtures("loopback_sync")
async def test_a_failing_source_shows_its_error_in_stats_in_the_users_language(
    fake_discord: Any, bot_engine: Any, richie: Richie, tmp_path: Path
) -> None:
    richie.mode = "500"
    settings = {"catalogue_sync_sources": sources_file(tmp_path, richie), "catalogue_sync_interval": 3600}
    courses = len(bot_engine.kb.courses)
    async with started(fake_discord, bot_engine, **settings) as bot:
        cog = bot.get_cog("CatalogueSync")
        await until(lambda: cog.runs >= 1)
        assert not cog.last_results[0].ok
        handle = await fake_discord.slash("kb", {}, subcommand="stats", user=ADMIN, locale="fr")
        stats = await answer_of(handle, timeout=30)
    assert len(bot_engine.kb.courses) == courses  # nothing written
    fields = {f["name"]: f["value"] for f in stats["embeds"][0]["fields"]}
    line = fields["Sources du catalogue (synchronisation)"]
    assert "**fun-fixture** : dernier succès jamais" in line
    assert "dernière erreur" in line and "page 2: could not be fetched" in line


@pytest.mark.usefixtures("loopback_sync")
async def test_never_two_runs_at_once(
    fake_discord: Any, bot_engine: Any, richie: Richie, tmp_path: Path
) -> None:
    settings = {"catalogue_sync_sources": sources_file(tmp_path, richie), "catalogue_sync_interval": 3600}
    async with started(fake_discord, bot_engine, **settings) as bot:
        cog = bot.get_cog("CatalogueSync")
        await until(lambda: cog.runs >= 1)
        richie.requests.clear()
        richie.objects[0] = {**richie.objects[0], "title": "Fixture : a new title"}  # no 304 this time
        richie.mode = "slow"  # the second page takes 3 s (over the test's 1 s timeout: the run fails)
        first = asyncio.ensure_future(cog.run_once())
        await until(lambda: len(richie.requests) >= 1)
        assert await cog.run_once() is None  # skipped: the first is still going
        # the event loop stays free meanwhile: an interaction is answered at once
        handle = await fake_discord.slash("help", {})
        assert (await handle.response())["type"] in (4, 5)
        results = await first
    assert results is not None and not results[0].ok
    offsets = [p.split("offset=")[1] for p, _ in richie.requests]
    assert offsets == ["0", "2"]  # the first run's two pages; the skipped run sent nothing


async def test_off_unless_sources_are_configured(fake_discord: Any, bot_engine: Any, richie: Richie) -> None:
    async with started(fake_discord, bot_engine) as bot:
        cog = bot.get_cog("CatalogueSync")
        assert cog is not None and not cog.scheduled.is_running() and not cog.sources
        await fake_discord.settle()
    assert cog.runs == 0 and not richie.requests


@pytest.mark.usefixtures("loopback_sync")
async def test_the_task_runs_again_each_interval_with_a_conditional_get(
    fake_discord: Any, bot_engine: Any, richie: Richie, tmp_path: Path
) -> None:
    settings = {"catalogue_sync_sources": sources_file(tmp_path, richie), "catalogue_sync_interval": 0.3}
    async with started(fake_discord, bot_engine, **settings) as bot:
        cog = bot.get_cog("CatalogueSync")
        await until(lambda: cog.runs >= 2)
        assert cog.last_results[0].ok and cog.last_results[0].not_modified  # the second run: 304
    first_run = [p for p, etag in richie.requests if etag is None]
    assert len(first_run) == 3 and all(etag == richie.etag() for _, etag in richie.requests[3:])


def test_the_schedule_is_read_from_the_environment() -> None:
    from bot.config import ConfigError, load_settings

    default = load_settings({}, dotenv=None)
    assert default.catalogue_sync_sources is None and default.catalogue_sync_interval == 21_600
    env = {"CMF_BOT_SYNC_SOURCES": "deploy/sync-sources.yaml", "CMF_BOT_SYNC_INTERVAL": "3600"}
    settings = load_settings(env, dotenv=None)
    assert settings.catalogue_sync_sources == "deploy/sync-sources.yaml"
    assert settings.catalogue_sync_interval == 3600
    with pytest.raises(ConfigError, match="CMF_BOT_SYNC_INTERVAL"):
        load_settings({"CMF_BOT_SYNC_INTERVAL": "often"}, dotenv=None)
