"""The Discord client: a `commands.Bot` that loads the cogs in `bot/exts/` and owns the engine.

The engine runs on one worker thread (`run_engine`), so a slow database call never blocks the
event loop and the engine's SQLite connection is only ever used by one thread at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import importlib
import logging
import pkgutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import discord
import yarl
from discord.ext import commands

from bot.config import DEFAULT_API_BASE, DEFAULT_GATEWAY_URL, Cooldown, Settings
from bot.engine.model import Reply
from bot.i18n import CMFTranslator, Strings

log = logging.getLogger(__name__)

T = TypeVar("T")

SCOPES: tuple[str, ...] = ("bot", "applications.commands")
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
    add_reactions=True,
)
"""What the bot needs in a channel: read it, answer (also in threads) with embeds, reply to a
message (needs the history), and react with ⏳ when someone asks too fast."""


def build_intents(settings: Settings) -> discord.Intents:
    """Only what the bot uses; the privileged Message Content intent only for help channels."""
    intents = discord.Intents.none()
    intents.guilds = True  # channels and roles, needed for slash commands in guilds
    intents.guild_messages = True  # mentions of the bot and help channels
    intents.dm_messages = True  # direct messages
    intents.message_content = settings.needs_message_content
    return intents


def apply_endpoints(settings: Settings) -> None:
    """Point discord.py at a REST or gateway proxy when DISCORD_API_BASE / DISCORD_GATEWAY_URL are set."""
    if settings.api_base != DEFAULT_API_BASE:
        discord.http.Route.BASE = settings.api_base
    if settings.gateway_url != DEFAULT_GATEWAY_URL:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


def invite_url(client_id: int) -> str:
    return discord.utils.oauth_url(client_id, permissions=PERMISSIONS, scopes=SCOPES)


def extension_names() -> list[str]:
    """Every public module of `bot.exts` (names starting with `_` are private helpers)."""
    package = importlib.import_module("bot.exts")
    return sorted(
        f"{package.__name__}.{module.name}"
        for module in pkgutil.iter_modules(package.__path__)
        if not module.name.startswith("_")
    )


class UserCooldown:
    """`rate` uses per `per` seconds for each user; rate 0 turns it off."""

    def __init__(self, cooldown: Cooldown) -> None:
        self.rate = cooldown.rate
        self.per = cooldown.per
        self._uses: dict[int, list[float]] = {}

    def hit(self, user_id: int, now: float | None = None) -> float | None:
        """Count one use; None if allowed, else the seconds until the next use is allowed."""
        if self.rate <= 0:
            return None
        now = time.monotonic() if now is None else now
        if len(self._uses) > 10_000:  # forget users whose window has passed
            self._uses = {u: t for u, t in self._uses.items() if t and now - t[-1] < self.per}
        uses = [t for t in self._uses.get(user_id, []) if now - t < self.per]
        if len(uses) >= self.rate:
            self._uses[user_id] = uses
            return max(0.1, self.per - (now - uses[0]))
        uses.append(now)
        self._uses[user_id] = uses
        return None


class CMFBot(commands.Bot):
    """The cmf-bot client. `engine` may be given (tests); otherwise it is opened in `setup_hook`."""

    def __init__(self, settings: Settings, *, engine: Any = None, **options: Any) -> None:
        options.setdefault("intents", build_intents(settings))
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        options.setdefault("help_command", None)
        super().__init__(command_prefix=commands.when_mentioned, **options)
        self.settings = settings
        self.engine = engine
        self.strings = Strings(engine)
        self.ask_cooldown = UserCooldown(settings.ask_cooldown)
        self.freetext_cooldown = UserCooldown(settings.freetext_cooldown)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmf-engine")
        self._invite_logged = False

    # -- the engine, off the event loop -----------------------------------------------------------

    async def run_engine(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a (possibly blocking) engine call on the engine's worker thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(func, *args, **kwargs))

    # -- engine calls that also log the question (run them through `run_engine`) ----------------
    # `Engine.ask` logs by itself (log_source="discord"); the other calls are logged here so that
    # every answer has a question id for its 👍 / 👎 and "Not what I asked" buttons.

    def _log(self, reply: Reply, user_id: int, question: str | None = None) -> int | None:
        """Log `reply` as a question (`question` replaces its text in the log when given)."""
        from bot.engine import logbook

        db = getattr(self.engine, "db", None)
        if db is None:
            return None
        logged = dataclasses.replace(reply, question=question) if question else reply
        with getattr(self.engine, "_lock", contextlib.nullcontext()):
            qid = logbook.log_question(db, logged, "discord", logbook.hash_user(db, user_id))
        reply.question_id = qid
        return qid

    def ask_logged(self, question: str, lang: str | None, user_id: int) -> tuple[Reply, int | None]:
        reply: Reply = self.engine.ask(question, lang, user=str(user_id))
        qid = reply.question_id
        if qid is None and getattr(self.engine, "log_source", None) is None:
            qid = self._log(reply, user_id)
        return reply, qid

    def answer_logged(self, intent: str, lang: str, question: str, user_id: int) -> tuple[Reply, int | None]:
        reply: Reply = self.engine.answer_intent(intent, lang, question)
        return reply, self._log(reply, user_id)

    def checklist_logged(self, audience: str | None, lang: str, user_id: int) -> tuple[Reply, int | None]:
        reply: Reply = self.engine.checklist(audience, lang)
        return reply, self._log(reply, user_id, f"/requirements {audience or ''}".strip())

    def credential_logged(self, course_id: str, lang: str, user_id: int) -> tuple[Reply, int | None]:
        reply: Reply = self.engine.credential_profile(course_id, lang)
        return reply, self._log(reply, user_id, f"/credential {course_id}")

    def compliance_logged(self, facts: dict[str, Any], lang: str, user_id: int) -> tuple[Reply, int | None]:
        reply: Reply = self.engine.check_compliance(facts, lang)
        question = "/check " + " ".join(f"{k}={v}" for k, v in sorted(facts.items()))
        return reply, self._log(reply, user_id, question)

    def log_search(self, query: str, lang: str, user_id: int) -> int | None:
        from bot.engine.model import Reply as _Reply

        return self._log(_Reply(question=f"/courses {query}", lang=lang, status="answer"), user_id)

    def record_feedback(self, qid: int, kind: str, user_id: int) -> bool:
        """Store 👍 / 👎 / "not what I asked"; False when already given or the question is unknown."""
        from bot.engine.logbook import FeedbackError

        try:
            return bool(self.engine.feedback(qid, kind, str(user_id)))
        except FeedbackError as exc:
            log.info("feedback not stored: %s", exc)
            return False

    def has_course(self, course_id: str) -> bool:
        return course_id in self.engine.kb.courses

    def detect_lang(self, text: str) -> str:
        return str(self.engine.detect_language(text))

    def kb_counts(self) -> dict[str, Any]:
        """Figures for /about: entries, intents, courses, distinct sources, last check date."""
        kb = self.engine.kb
        sources = {url for entry in kb.entries.values() for url in entry.sources}
        checked = max((str(entry.checked) for entry in kb.entries.values() if entry.checked), default="?")
        return {
            "entries": len(kb.entries),
            "intents": len(kb.intents),
            "courses": len(kb.courses),
            "sources": len(sources),
            "checked": checked,
        }

    def text(self, key: str, lang: str, **values: Any) -> str:
        """A UI string in `lang` (see `bot.i18n.Strings`)."""
        return self.strings.get(key, lang, **values)

    # -- start-up ---------------------------------------------------------------------------------

    async def login(self, token: str) -> None:
        apply_endpoints(self.settings)
        await super().login(token)

    async def setup_hook(self) -> None:
        if self.engine is None:
            from bot.engine.engine import Engine

            self.engine = await self.run_engine(Engine.open, self.settings.db_path, log_source="discord")
        self.strings = Strings(self.engine)
        await self.tree.set_translator(CMFTranslator(self.strings))
        for name in extension_names():
            await self.load_extension(name)
        from bot import ui

        self.add_dynamic_items(*ui.DYNAMIC_ITEMS)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync the slash commands to the configured guilds (instant), or globally."""
        if not self.settings.guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global commands (they may take up to an hour to appear)", len(synced))
            return
        for guild_id in self.settings.guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException as exc:
                log.error("could not sync commands to guild %s (is the bot in it?): %s", guild_id, exc)
            else:
                log.info("synced %d commands to guild %s", len(synced), guild_id)

    async def on_ready(self) -> None:
        if self._invite_logged or self.user is None:
            return
        self._invite_logged = True
        client_id = self.application_id or self.user.id
        log.info("logged in as %s (id %s)", self.user, self.user.id)
        log.info(
            "invite URL (scopes %s, permissions %d): %s",
            " + ".join(SCOPES),
            PERMISSIONS.value,
            invite_url(client_id),
        )

    async def close(self) -> None:
        await super().close()
        self._executor.shutdown(wait=False, cancel_futures=True)


def create_bot(settings: Settings, *, engine: Any = None, **client_options: Any) -> CMFBot:
    """The bot, ready for `start(token)`; `client_options` go to discord.py (e.g. guild_ready_timeout)."""
    return CMFBot(settings, engine=engine, **client_options)
