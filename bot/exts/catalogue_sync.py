"""The scheduled catalogue sync: every `catalogue_sync_interval` seconds, `kb sync` of the configured sources.

Off unless a sources file is configured (``CMF_BOT_SYNC_SOURCES`` / ``sync_sources:`` in bot.yaml) and
lists at least one source, and the interval (``CMF_BOT_SYNC_INTERVAL``, default 6 hours) is not 0. A
`discord.ext.tasks` loop starts with the cog: the first run once the bot is ready, then one per
interval. Each run works on a worker thread with its own database connection (`asyncio.to_thread`),
so no interaction waits for it; never two runs at once (a run still going when the next is due is
skipped, one log line). One log line per source; when a source changed the catalogue, the engine
reloads (`engine.refresh` on the engine's thread) so the next question sees the new courses. The
per-source status lands in the database (`bot.moderation.sync.sync_status`), shown by `/kb stats`
and `cmf-bot kb stats`.
"""

from __future__ import annotations

import asyncio
import logging

from discord.ext import commands, tasks

from bot.client import CMFBot
from bot.moderation.sync import Source, SyncError, SyncResult, load_sources, sync_all

log = logging.getLogger(__name__)


class CatalogueSync(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot
        self.sources: list[Source] = []
        self._running = asyncio.Lock()
        self.runs = 0
        """Runs finished since the cog loaded (tests and the health of the task)."""
        self.last_results: list[SyncResult] = []

    async def cog_load(self) -> None:
        settings = self.bot.settings
        if not settings.catalogue_sync_sources or settings.catalogue_sync_interval <= 0:
            log.info("catalogue sync: off (no CMF_BOT_SYNC_SOURCES, or CMF_BOT_SYNC_INTERVAL=0)")
            return
        try:
            self.sources = await asyncio.to_thread(load_sources, settings.catalogue_sync_sources)
        except SyncError as exc:
            log.error("catalogue sync: off: %s", exc)
            return
        if not self.sources:
            log.info("catalogue sync: off (%s lists no source)", settings.catalogue_sync_sources)
            return
        self.scheduled.change_interval(seconds=settings.catalogue_sync_interval)
        self.scheduled.start()
        names = ", ".join(s.name for s in self.sources)
        log.info("catalogue sync: %s every %gs", names, settings.catalogue_sync_interval)

    async def cog_unload(self) -> None:
        self.scheduled.cancel()

    @tasks.loop(hours=6)
    async def scheduled(self) -> None:
        try:
            await self.run_once()
        except Exception:  # an uncaught error would end the loop: log it, the next run is as scheduled
            log.exception("catalogue sync: the run failed; the next one runs as scheduled")

    @scheduled.before_loop
    async def _before(self) -> None:
        await self.bot.wait_until_ready()

    async def run_once(self) -> list[SyncResult] | None:
        """One sync of every source (None when a run is still going: this one is skipped)."""
        if self._running.locked():
            log.info("catalogue sync: the previous run is still going; this one is skipped")
            return None
        async with self._running:
            path = await self.bot.run_engine(self._database_path)
            results = await asyncio.to_thread(self._sync, path)
            for result in results:
                log.info("catalogue sync: %s", result.summary())
            if any(r.ok and (r.added or r.updated or r.withdrawn) for r in results):
                await self.bot.run_engine(self.bot.engine.refresh)
            self.last_results = results
            self.runs += 1
            return results

    def _database_path(self) -> str:
        row = self.bot.engine.db.conn.execute("PRAGMA database_list").fetchone()
        return str(row[2]) if row and row[2] else ""

    def _sync(self, path: str) -> list[SyncResult]:
        """The sync itself, on a worker thread, over a connection of its own (closed after)."""
        from bot.engine.store import connect
        from bot.moderation.service import KnowledgeService

        if not path:
            raise SyncError("the engine has no database file to sync into")
        db = connect(path)
        try:
            return sync_all(KnowledgeService(db, "sync:scheduled"), self.sources)
        finally:
            db.conn.close()


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(CatalogueSync(bot))
