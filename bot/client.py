"""The Discord client: a `commands.Bot` that loads the cogs in `bot/exts/` and owns the engine.

Engine calls run on a small pool of worker threads (`run_engine`), so a slow database call never
blocks the event loop; the engine is thread-safe (it serialises its own SQLite connection) and answers
from its current knowledge snapshot while a change is being built, so one moderator waiting for their
change (`Engine.refresh`) holds one worker, never the others' questions.

Slash commands are synced on demand, not blindly at every start (see `sync_all`): at start only when
the command tree changed since the last sync (`CMF_BOT_SYNC_COMMANDS`), when the bot joins a
configured server, and when the owner sends `@bot sync`. A failed sync is one log line, never a
traceback, and the bot keeps running with the commands Discord already has.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import functools
import hashlib
import importlib
import json
import logging
import math
import pkgutil
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock, SystemClock
from bot.config import AUTO_SHARDS, DEFAULT_API_BASE, DEFAULT_GATEWAY_URL, Cooldown, Settings
from bot.engine.model import Reply
from bot.guild_settings import DEFAULT_ANSWER_MODE, GuildSettings, GuildSettingsStore, any_help_channels
from bot.i18n import CMFTranslator, Strings
from bot.ui import Live

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
message (needs the history), and react with ⏳ when someone asks too fast. (Marking forum posts
solved also needs Manage Threads, granted separately where wanted.)"""
MAX_RATELIMIT_WAIT = 60.0
"""A 429 asking to wait longer than this raises `discord.RateLimited` instead of blocking (e.g. the
daily limit on command creation)."""
ENGINE_WORKERS = 4
"""Worker threads for engine calls: a moderator's `refresh()` waiting for the next knowledge snapshot
occupies one of them while the others keep answering."""
SETTINGS_REFRESH = 60.0
"""Seconds between two reloads of the per-server settings (other bot processes may change them)."""


def build_intents(settings: Settings, *, server_help_channels: bool = False) -> discord.Intents:
    """Only what the bot uses; the privileged Message Content intent only for help channels (set in
    the settings, or by a server with `/kb settings`)."""
    intents = discord.Intents.none()
    intents.guilds = True  # channels, threads and roles, needed for slash commands in guilds
    intents.guild_messages = True  # mentions of the bot and help channels
    intents.dm_messages = True  # direct messages
    intents.guild_reactions = True  # the asker's ❔ under an unanswered help-channel question
    intents.message_content = settings.needs_message_content or server_help_channels
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


def database_file(engine: Any, settings: Settings) -> str:
    """The SQLite file the engine uses (else the configured or default path)."""
    found = getattr(engine, "database_file", None)
    if found:
        return str(found)
    from bot.engine import paths

    return str(paths.database_path(settings.db_path))


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

    def waiting(self, user_id: int, now: float | None = None) -> bool:
        """Whether the user's next use would be refused (counts nothing)."""
        if self.rate <= 0:
            return False
        now = time.monotonic() if now is None else now
        return sum(1 for t in self._uses.get(user_id, []) if now - t < self.per) >= self.rate


class RecentQuestions:
    """Each asker's last answered question in each channel, for `ttl` seconds: a short follow-up
    ("and in French?") is read with it (`Engine.ask(previous=…)`). At most `most` are kept, the
    oldest forgotten first; shared by free text and `/ask`, never across askers or channels."""

    def __init__(self, ttl: float = 10 * 60.0, most: int = 2000) -> None:
        self.ttl = ttl
        self.most = most
        self._kept: collections.OrderedDict[tuple[int, int], tuple[str, float]] = collections.OrderedDict()

    def previous(self, channel_id: int, user_id: int, now: float) -> str | None:
        """The asker's last answered question in this channel, if asked within `ttl`."""
        kept = self._kept.get((channel_id, user_id))
        return kept[0] if kept is not None and now - kept[1] <= self.ttl else None

    def remember(self, channel_id: int, user_id: int, question: str, now: float) -> None:
        key = (channel_id, user_id)
        self._kept.pop(key, None)
        self._kept[key] = (question, now)
        while len(self._kept) > self.most:
            self._kept.popitem(last=False)


@dataclasses.dataclass(frozen=True)
class SyncResult:
    """What one command sync did: `kind` names its UI string (`ui.sync.<kind>`), `values` fill it."""

    kind: str
    guild_id: int | None
    values: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.kind in ("synced", "unchanged", "not_joined", "stale_removed", "cleared")


@dataclasses.dataclass(frozen=True)
class ServerConfig:
    """What applies in one server: its own `/kb settings`, else the process-wide settings."""

    help_channel_ids: tuple[int, ...]
    moderator_role: str
    """A role id (digits) or name."""
    answer_mode: str
    solved_tag: str | None


class CMFBot(commands.Bot):
    """The cmf-bot client. `engine` may be given (tests); otherwise it is opened in `setup_hook`.
    `clock` is the bot's time for its own deadlines (tests pass the fake Discord's)."""

    def __init__(
        self, settings: Settings, *, engine: Any = None, clock: Clock | None = None, **options: Any
    ) -> None:
        strings = Strings(engine)
        server_help = options.pop("server_help_channels", False)
        options.setdefault("intents", build_intents(settings, server_help_channels=server_help))
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        options.setdefault("help_command", None)
        options.setdefault("max_ratelimit_timeout", MAX_RATELIMIT_WAIT)
        options.setdefault("activity", discord.CustomActivity(name=strings.get("ui.presence", "en")))
        super().__init__(command_prefix=commands.when_mentioned, **options)
        self.settings = settings
        self.engine = engine
        self._owns_engine = engine is None
        self.clock: Clock = clock or SystemClock()
        self.strings = strings
        self.live = Live(self.clock)
        self.ask_cooldown = UserCooldown(settings.ask_cooldown)
        self.freetext_cooldown = UserCooldown(settings.freetext_cooldown)
        self.recent_questions = RecentQuestions()
        self.freetext_log_budget = UserCooldown(
            Cooldown(2 * settings.freetext_cooldown.rate, settings.freetext_cooldown.per)
        )
        """Free-text questions logged per user and cooldown window (answered or not): one user's flood
        of messages does not fill the question log, gaps and stats."""
        self.server_settings: dict[int, GuildSettings] = {}
        self.settings_store: GuildSettingsStore | None = None
        self.command_ids: dict[int | None, dict[str, int]] = {}
        """Command ids by scope (a guild id, or None for global), for clickable `</name:id>` mentions."""
        self._executor = ThreadPoolExecutor(max_workers=ENGINE_WORKERS, thread_name_prefix="cmf-engine")
        self._invite_logged = False
        self._warned: set[str] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._sync_lock = asyncio.Lock()
        self.startup_done = asyncio.Event()
        """Set once the start-up command sync (or id fetch) after READY has finished."""
        self.started_at = time.monotonic()

    # -- the engine, off the event loop -----------------------------------------------------------

    async def run_engine(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a (possibly blocking) engine call on one of the engine's worker threads."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(func, *args, **kwargs))

    async def run_settings(self, func: Callable[..., T], *args: Any) -> T:
        """Run a call of the per-server settings store on a worker thread."""
        return await asyncio.to_thread(func, *args)

    # -- engine calls that also log the question (run them through `run_engine`) ----------------
    # `Engine.ask` logs by itself (log_source="discord"); the other calls are logged here so that
    # every answer has a question id for its 👍 / 👎 and "Not what I asked" buttons.

    def _log(self, reply: Reply, user_id: int, question: str | None = None) -> int | None:
        """Log `reply` as a question (`question` replaces its text in the log when given)."""
        qid: int | None = self.engine.log_question(reply, user_id, source="discord", question=question)
        return qid

    def ask_logged(
        self, question: str, lang: str | None, user_id: int, previous: str | None = None
    ) -> tuple[Reply, int | None]:
        """`question` answered and logged; `previous`: the asker's previous question in the same
        conversation, answered a moment ago (a short follow-up may be read with it)."""
        reply: Reply = self.engine.ask(question, lang, user=str(user_id), previous=previous)
        qid = reply.question_id
        if qid is None and getattr(self.engine, "log_source", None) is None:
            qid = self._log(reply, user_id)
        return reply, qid

    def ask_first_confident(
        self, questions: list[str], lang: str | None, user_id: int
    ) -> tuple[Reply, int | None]:
        """Ask each question in turn and keep the first confident answer (else the first reply), logging
        only the reply kept."""
        chosen = self.ask_unlogged(questions, lang)
        return chosen, self._log(chosen, user_id)

    def ask_unlogged(self, questions: list[str], lang: str | None, previous: str | None = None) -> Reply:
        """The first confident answer among `questions` (else the first reply), logging nothing."""
        replies: list[Reply] = []
        for question in questions:
            replies.append(self.engine.ask(question, lang, log=False, previous=previous))
            if replies[-1].status == "answer":
                break
        return replies[-1] if replies[-1].status == "answer" else replies[0]

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
        return bool(self.engine.has_course(course_id))

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
            "courses": self.engine.course_count(),
            "sources": len(sources),
            "checked": checked,
        }

    def text(self, key: str, lang: str, **values: Any) -> str:
        """A UI string in `lang` (see `bot.i18n.Strings`)."""
        return self.strings.get(key, lang, **values)

    def with_local_commands(self, reply: Reply, lang: str) -> Reply:
        """The reply with the slash commands it names (`/about` in the engine's "I don't know", shared
        with the console) spelt as users of `lang` see them in Discord (`/à-propos`)."""
        if lang == "en" or "/" not in reply.answer:
            return reply

        def local(match: re.Match[str]) -> str:
            return "/" + (self.strings.find(f"cmd.{match[1]}.name", lang) or match[1])

        names = "|".join(
            re.escape(c.name) for c in self.tree.get_commands() if isinstance(c, app_commands.Command)
        )
        if not names:
            return reply
        answer = re.sub(rf"(?<![\w/<])/({names})(?![\w-])", local, reply.answer)
        return dataclasses.replace(reply, answer=answer) if answer != reply.answer else reply

    # -- servers: settings, moderators, permissions ---------------------------------------------

    def server_config(self, guild_id: int | None) -> ServerConfig:
        own = self.server_settings.get(guild_id) if guild_id is not None else None
        channels = self.settings.help_channel_ids
        if own is not None and own.help_channel_ids is not None:
            channels = own.help_channel_ids
        role = self.settings.moderator_role
        if own is not None and own.moderator_role_id:
            role = str(own.moderator_role_id)
        return ServerConfig(
            help_channel_ids=channels,
            moderator_role=role,
            answer_mode=own.mode if own is not None else DEFAULT_ANSWER_MODE,
            solved_tag=own.solved_tag if own is not None else None,
        )

    def moderator_role_name(self, guild: discord.Guild | None) -> str:
        """The moderator role as people see it (its name, when the setting is an id)."""
        role = self.server_config(guild.id if guild else None).moderator_role
        if role.isdigit() and guild is not None:
            found = guild.get_role(int(role))
            return found.name if found else role
        return role

    def is_moderator(self, interaction: discord.Interaction) -> bool:
        """Manage Server, or the server's moderator role (by id or name)."""
        user = interaction.user
        if interaction.guild is None or not isinstance(user, discord.Member):
            return False
        if interaction.permissions.manage_guild or user.guild_permissions.manage_guild:
            return True
        wanted = self.server_config(interaction.guild.id).moderator_role.strip()
        for role in user.roles:
            if (wanted.isdigit() and role.id == int(wanted)) or role.name.casefold() == wanted.casefold():
                return True
        return False

    def permissions_in(self, channel: Any) -> discord.Permissions | None:
        """The bot's permissions in a guild channel or thread; None in a DM."""
        guild = getattr(channel, "guild", None)
        if guild is None or guild.me is None or not hasattr(channel, "permissions_for"):
            return None
        return channel.permissions_for(guild.me)

    def warn_once(self, key: str, message: str, *args: Any) -> None:
        """Log a warning the first time only (e.g. a missing permission in one channel)."""
        if key in self._warned:
            return
        self._warned.add(key)
        log.warning(message, *args)

    async def mark_solved(self, interaction: discord.Interaction) -> None:
        """After 👍 from a forum post's author: apply the server's "solved" tag to the post, if set."""
        post = interaction.channel
        if not isinstance(post, discord.Thread) or not isinstance(post.parent, discord.ForumChannel):
            return
        if interaction.user.id != post.owner_id or interaction.guild is None:
            return
        wanted = self.server_config(interaction.guild.id).solved_tag
        if not wanted:
            return
        tag = next((t for t in post.parent.available_tags if t.name.casefold() == wanted.casefold()), None)
        if tag is None:
            self.warn_once(f"tag:{post.parent.id}", "forum #%s has no tag named %r", post.parent.name, wanted)
            return
        if tag in post.applied_tags:
            return
        try:
            await post.add_tags(tag, reason="the author marked the bot's answer 👍")
        except discord.HTTPException as exc:
            self.warn_once(
                f"tag-perm:{post.parent.id}",
                "could not tag posts in forum #%s as %r (the bot needs Manage Threads there): %s",
                post.parent.name,
                wanted,
                exc.text or exc,
            )

    async def reload_server_settings(self) -> None:
        if self.settings_store is not None:
            self.server_settings = await self.run_settings(self.settings_store.load_all)

    # -- start-up ---------------------------------------------------------------------------------

    async def login(self, token: str) -> None:
        apply_endpoints(self.settings)
        await super().login(token)

    async def setup_hook(self) -> None:
        if self.engine is None:
            from bot.engine.engine import Engine

            self.engine = await self.run_engine(Engine.open, self.settings.db_path, log_source="discord")
        self.strings = Strings(self.engine)
        self.settings_store = await self.run_settings(
            GuildSettingsStore, database_file(self.engine, self.settings)
        )
        await self.reload_server_settings()
        await self.tree.set_translator(CMFTranslator(self.strings))
        for name in extension_names():
            await self.load_extension(name)
        from bot import ui

        self.add_dynamic_items(*ui.DYNAMIC_ITEMS)
        for guild_id in self.settings.guild_ids:
            self.tree.copy_global_to(guild=discord.Object(id=guild_id))
        self.spawn(self._after_ready())

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        """A background task the bot keeps a reference to and cancels on close."""
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    async def _after_ready(self) -> None:
        await self.wait_until_ready()
        mode = self.settings.sync_commands
        try:
            if mode == "never":
                await self.fetch_command_ids()
            else:
                for result in await self.sync_all(force=mode == "always"):
                    self.log_sync(result)
        finally:
            self.startup_done.set()
        self.spawn(self._settings_loop())
        if self.settings.health_interval > 0:
            self.spawn(self._health_loop())

    # -- command sync, on demand ------------------------------------------------------------------

    async def _payload_digest(self, guild_id: int | None) -> tuple[int, str]:
        """How many commands a scope has and a hash of exactly what a sync would send."""
        guild = discord.Object(id=guild_id) if guild_id else None
        commands_ = self.tree.get_commands(guild=guild)
        translator = self.tree.translator
        payload = [
            await c.get_translated_payload(self.tree, translator) if translator else c.to_dict(self.tree)
            for c in commands_
        ]
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return len(payload), hashlib.sha256(text.encode("utf-8")).hexdigest()

    async def sync_scope(self, guild_id: int | None, *, force: bool = False) -> SyncResult:
        """Sync the commands of one scope (a server, or global) when they changed since the last sync
        (or always with `force`). Never raises: the result says what happened."""
        guild = discord.Object(id=guild_id) if guild_id else None
        key = f"synced:{guild_id or 'global'}"
        try:
            count, digest = await self._payload_digest(guild_id)
            store = self.settings_store
            if not force and store is not None and await self.run_settings(store.get_state, key) == digest:
                await self.fetch_command_ids(guild_id)
                return SyncResult("unchanged", guild_id, {"count": count})
            synced = await self.tree.sync(guild=guild)
            self.command_ids[guild_id] = {c.name: c.id for c in synced}
            if store is not None:
                await self.run_settings(store.set_state, key, digest)
            return SyncResult("synced", guild_id, {"count": len(synced)})
        except discord.RateLimited as exc:
            return SyncResult("rate_limited", guild_id, {"seconds": round(exc.retry_after)})
        except discord.Forbidden as exc:
            return SyncResult("forbidden", guild_id, {"error": f"{exc.status} {exc.code}: {exc.text}"})
        except discord.HTTPException as exc:
            return SyncResult("refused", guild_id, {"error": f"{exc.status} {exc.code}: {exc.text}"})
        except Exception as exc:  # a sync must never take the bot down
            return SyncResult("failed", guild_id, {"error": f"{type(exc).__name__}: {exc}"})

    async def clear_stale_global(self) -> SyncResult | None:
        """In server mode: remove global commands left by an earlier global sync (users would see every
        command twice). None when there are none."""
        try:
            stale = await self.http.get_global_commands(self.application_id)  # type: ignore[arg-type]
            if not stale:
                return None
            await self.http.bulk_upsert_global_commands(self.application_id, payload=[])  # type: ignore[arg-type]
            if self.settings_store is not None:
                await self.run_settings(self.settings_store.set_state, "synced:global", "")
            return SyncResult("stale_removed", None, {"count": len(stale)})
        except discord.RateLimited as exc:
            return SyncResult("rate_limited", None, {"seconds": round(exc.retry_after)})
        except discord.DiscordException as exc:
            return SyncResult("failed", None, {"error": f"{type(exc).__name__}: {exc}"})

    async def clear_server_commands(self, guild_id: int) -> SyncResult:
        """Remove a server's own commands (the owner's `sync clear`)."""
        try:
            await self.http.bulk_upsert_guild_commands(self.application_id, guild_id, payload=[])  # type: ignore[arg-type]
        except discord.RateLimited as exc:
            return SyncResult("rate_limited", guild_id, {"seconds": round(exc.retry_after)})
        except discord.DiscordException as exc:
            return SyncResult("failed", guild_id, {"error": f"{type(exc).__name__}: {exc}"})
        if self.settings_store is not None:
            await self.run_settings(self.settings_store.set_state, f"synced:{guild_id}", "")
        self.command_ids.pop(guild_id, None)
        return SyncResult("cleared", guild_id, {})

    async def sync_all(self, *, force: bool = False) -> list[SyncResult]:
        """Sync where the settings say: every configured server the bot is in (then remove stale global
        commands), or global. One result per scope; never raises."""
        async with self._sync_lock:
            if not self.settings.guild_ids:
                return [await self.sync_scope(None, force=force)]
            results = []
            for guild_id in self.settings.guild_ids:
                if self.get_guild(guild_id) is None:
                    results.append(SyncResult("not_joined", guild_id, {}))
                    continue
                results.append(await self.sync_scope(guild_id, force=force))
            stale = await self.clear_stale_global()
            if stale is not None:
                results.append(stale)
            return results

    def sync_text(self, result: SyncResult, lang: str = "en") -> str:
        """One result as a sentence (English for the log)."""
        if result.guild_id is None:
            where = self.text("ui.sync.global", lang)
        else:
            guild = self.get_guild(result.guild_id)
            name = guild.name if guild is not None else str(result.guild_id)
            where = self.text("ui.sync.server", lang, name=name, id=result.guild_id)
        return self.text(f"ui.sync.{result.kind}", lang, where=where, **result.values)

    def log_sync(self, result: SyncResult) -> None:
        line = self.sync_text(result)
        if result.ok:
            log.info("command sync: %s", line)
        else:
            log.error("command sync: %s", line)  # one line, no traceback

    async def fetch_command_ids(self, guild_id: int | None = None) -> None:
        """Learn the ids of the commands Discord has (for `</name:id>` mentions) without syncing."""
        scopes: list[int | None] = (
            [guild_id] if guild_id is not None else (list(self.settings.guild_ids) or [None])
        )
        for scope in scopes:
            try:
                fetched = await self.tree.fetch_commands(guild=discord.Object(id=scope) if scope else None)
            except discord.DiscordException as exc:
                log.info("could not fetch the command ids of %s: %s", scope or "global", exc)
                continue
            self.command_ids[scope] = {c.name: c.id for c in fetched}

    def command_mention(self, name: str, guild_id: int | None, shown: str | None = None) -> str:
        """`</name:id>` (clickable in Discord) when the command's id is known, else `/shown`."""
        base = name.split()[0]
        for scope in (guild_id, None):
            ids = self.command_ids.get(scope)
            if ids and base in ids:
                return f"</{name}:{ids[base]}>"
        return f"/{shown or name}"

    async def on_guild_join(self, guild: discord.Guild) -> None:
        log.info("joined server %s (%s)", guild.name, guild.id)
        if guild.id in self.settings.guild_ids:
            async with self._sync_lock:
                self.log_sync(await self.sync_scope(guild.id, force=True))

    # -- health ---------------------------------------------------------------------------------

    def _latency(self) -> str:
        latency = self.latency  # nan or inf until the first heartbeat is acknowledged
        return f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "?"

    async def on_ready(self) -> None:
        shards = f", {self.shard_count} shard(s)" if self.shard_count else ""
        log.info(
            "ready: %s in %d server(s)%s, latency %s", self.user, len(self.guilds), shards, self._latency()
        )
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

    async def on_resumed(self) -> None:
        log.info("gateway session resumed")

    async def on_disconnect(self) -> None:
        if not self.is_closed():
            log.info("gateway disconnected; discord.py reconnects by itself")

    def health_line(self) -> str:
        return (
            f"health: {'connected' if self.is_ready() and not self.is_closed() else 'not connected'}, "
            f"latency {self._latency()}, {len(self.guilds)} server(s), {len(self.live)} open forms/views, "
            f"knowledge generation {getattr(self.engine, 'generation', '?')}, "
            f"up {int(time.monotonic() - self.started_at)} s"
        )

    async def _health_loop(self) -> None:
        while not self.is_closed():
            await self.clock.sleep(self.settings.health_interval)
            log.info(self.health_line())

    async def _settings_loop(self) -> None:
        while not self.is_closed():
            await self.clock.sleep(SETTINGS_REFRESH)
            try:
                await self.reload_server_settings()
            except Exception as exc:  # a locked database: keep the settings in memory
                log.warning("could not reload the server settings: %s", exc)

    # -- shutdown -------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the gateway and HTTP session, then the worker threads, the settings store and (when the
        bot opened it) the engine; waits for a running engine call at most a few seconds."""
        for task in list(self._background):
            task.cancel()
        await super().close()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self.settings_store is not None:
            store, self.settings_store = self.settings_store, None
            with contextlib.suppress(Exception):  # waits for a call in flight, then closes
                await asyncio.wait_for(asyncio.to_thread(store.close), 3.0)
        if self._owns_engine and self.engine is not None:
            engine, self.engine = self.engine, None
            try:
                await asyncio.wait_for(asyncio.to_thread(engine.close), 3.0)
            except (TimeoutError, Exception) as exc:
                log.warning("the engine did not close cleanly: %s", exc or type(exc).__name__)


class ShardedCMFBot(CMFBot, commands.AutoShardedBot):
    """The same bot over several gateway connections (shards) in one process: `CMF_BOT_SHARD_COUNT`."""


def create_bot(
    settings: Settings, *, engine: Any = None, clock: Clock | None = None, **client_options: Any
) -> CMFBot:
    """The bot, ready for `start(token)`; `client_options` go to discord.py (e.g. guild_ready_timeout).
    With `shard_count` set it is an `AutoShardedBot`."""
    if not settings.needs_message_content:
        client_options.setdefault("server_help_channels", any_help_channels(database_file(engine, settings)))
    if settings.shard_count is None:
        return CMFBot(settings, engine=engine, clock=clock, **client_options)
    if settings.shard_count != AUTO_SHARDS:
        client_options.setdefault("shard_count", settings.shard_count)
    if settings.shard_ids:
        client_options.setdefault("shard_ids", list(settings.shard_ids))
    return ShardedCMFBot(settings, engine=engine, clock=clock, **client_options)
