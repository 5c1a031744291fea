"""Buttons, select menus, forms, and the one way every interaction is acknowledged and answered.

Answer buttons are `DynamicItem`s: their state lives in the `custom_id`, so 👍 / 👎, "Sources" and
"Not what I asked" keep working after a restart. Custom ids (all under 100 characters):

- `cmf:fb:<up|down>:<question id>:<lang>`   feedback, stored in SQLite
- `cmf:nw:<question id>:<lang>`             "Not what I asked", stored as feedback for moderators
- `cmf:src:<lang>:<reply key>`              the answer's links, rebuilt from the reply key
- `cmf:pick:<question id>:<lang>:<user id>` pick one of the close intents (only the asker)

A reply key says how to rebuild an answer: `i.<intent>`, `r.<audience|all>`, `p.<course id>`, `c`.

**Live forms and views** (the /check form, the course pager, the moderators' forms and drafts) hold
state in memory. Each instance gets a token of its own, registered in `Live`, and every custom id it
shows is `cmf:<kind>:<token>:…` (kind `check`, `pg` or `kb`): two people with the same form open
never share a custom id, so each submission reaches the form its author opened (discord.py keys open
forms by custom id). They live `LIVE_TTL` on the bot's clock — far past Discord's 15-minute token —
and a click or submission that reaches no live object (after a restart, or later than that) gets a
short "this has expired" answer from `bot.exts.expired` instead of Discord's "This interaction failed".

**Discord's 3-second deadline.** `ack_soon` runs any possibly slow work (an engine call waiting for a
locked database or a free engine worker) and acknowledges the interaction ("thinking…", or a
deferred update for a button) if the work is not done within `ACK_GRACE` seconds; `respond` then
sends the answer whatever state the interaction is in.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import re
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot import render
from bot.engine.model import Reply

if TYPE_CHECKING:
    from bot.client import CMFBot
    from bot.clock import Clock

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
CUSTOM_ID_MAX = 100
SELECT_OPTIONS_MAX = 25
ACK_GRACE = 1.5
"""Seconds of work after which the bot acknowledges an interaction before answering (Discord allows 3)."""
LIVE_TTL = 6 * 3600.0
"""How long forms, drafts, pagers and other in-memory views stay usable (bot clock)."""
LIVE_MAX = 2000
"""Live objects kept at most; the oldest are dropped first."""
LIVE_ID = re.compile(r"^cmf:(check|kb|pg):([0-9a-f]{10})(?::|$)")
CLAIMED = "cmf_claimed"
"""`interaction.extras` key set by a live view or form that handles the interaction."""
_LOADING = "cmf_loading"
"""`interaction.extras` key: "public" / "private" while a "thinking…" message awaits its answer."""

T = TypeVar("T")


def _bot(interaction: discord.Interaction) -> CMFBot:
    return interaction.client  # type: ignore[return-value]


# -- live forms and views -------------------------------------------------------------------------


class Live:
    """The forms and views that hold state in memory, by token, each until its time is up."""

    def __init__(self, clock: Clock, *, limit: int = LIVE_MAX) -> None:
        self.clock = clock
        self.limit = limit
        self._items: OrderedDict[str, tuple[Any, float]] = OrderedDict()

    def add(self, obj: Any, ttl: float = LIVE_TTL) -> str:
        """Register `obj` (a view or modal with `stop()`); returns its token (10 hex digits)."""
        self.prune()
        token = secrets.token_hex(5)
        while token in self._items:
            token = secrets.token_hex(5)
        self._items[token] = (obj, self.clock.now() + ttl)
        while len(self._items) > self.limit:
            _, (oldest, _) = self._items.popitem(last=False)
            oldest.stop()
        return token

    def get(self, token: str) -> Any | None:
        found = self._items.get(token)
        return None if found is None else found[0]

    def discard(self, token: str) -> None:
        self._items.pop(token, None)

    def prune(self) -> int:
        """Stop and forget the objects whose time is up; returns how many."""
        now = self.clock.now()
        expired = [token for token, (_, until) in self._items.items() if until <= now]
        for token in expired:
            obj, _ = self._items.pop(token)
            obj.stop()
        return len(expired)

    def __len__(self) -> int:
        return len(self._items)


def live_id(kind: str, token: str, *parts: object) -> str:
    """`cmf:<kind>:<token>:<parts…>` (at most 100 characters)."""
    text = ":".join(["cmf", kind, token, *(str(p) for p in parts)])
    if len(text) > CUSTOM_ID_MAX:
        raise ValueError(f"custom id too long: {text!r}")
    return text


def claim(interaction: discord.Interaction) -> None:
    """Mark the interaction as handled by a live view or form (see `bot.exts.expired`)."""
    interaction.extras[CLAIMED] = True


# -- errors in buttons, menus and forms -----------------------------------------------------------


async def report_error(interaction: discord.Interaction, error: Exception, where: str) -> None:
    """What the slash-command error handler does, for components and forms: log the details, tell
    the user in one short private line (discord.py would only log it, and the user would see
    "This interaction failed")."""
    from bot.i18n import locale_lang

    log.error("error in %s", where, exc_info=error)
    text = _bot(interaction).text("ui.error.generic", locale_lang(interaction.locale))
    try:
        await notice(interaction, text)
    except discord.HTTPException:
        log.warning("could not tell the user about the error in %s", where)


SelfT = TypeVar("SelfT")


def guarded(
    callback: Callable[[SelfT, discord.Interaction], Awaitable[None]],
) -> Callable[[SelfT, discord.Interaction], Coroutine[Any, Any, None]]:
    """For the callbacks of `DynamicItem`s, whose errors discord.py only logs: report them."""

    @functools.wraps(callback)
    async def wrapper(self: SelfT, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as error:
            await report_error(interaction, error, type(self).__name__)

    return wrapper


class SafeView(discord.ui.View):
    """A live view (see the module docstring): registered in `bot.live` under `self.token`, its
    failing buttons answer with the short error message. Subclasses check users in `allowed`."""

    kind = "kb"

    def __init__(self, bot: CMFBot, *, ttl: float = LIVE_TTL) -> None:
        super().__init__(timeout=None)
        self._live = bot.live
        self.token = bot.live.add(self, ttl)

    def cid(self, *parts: object) -> str:
        return live_id(self.kind, self.token, *parts)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        claim(interaction)
        return await self.allowed(interaction)

    async def allowed(self, interaction: discord.Interaction) -> bool:
        return True

    def stop(self) -> None:
        super().stop()
        self._live.discard(self.token)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: Any, /) -> None:
        await report_error(interaction, error, f"{type(self).__name__} ({type(item).__name__})")


class SafeModal(discord.ui.Modal):
    """A live form (see the module docstring): its custom id carries its own token and the id of the
    user it was opened for; a failing submission answers with the short error message."""

    kind = "kb"

    def __init__(self, bot: CMFBot, *, title: str, opener: int, name: str, ttl: float = LIVE_TTL) -> None:
        token = secrets.token_hex(5)  # replaced by the registry's token just below
        super().__init__(title=render.truncate(title, 45), custom_id=live_id(self.kind, token), timeout=None)
        self._live = bot.live
        self.token = bot.live.add(self, ttl)
        self.opener = opener
        self.custom_id = live_id(self.kind, self.token, name, opener)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        claim(interaction)
        return True

    def stop(self) -> None:
        super().stop()
        self._live.discard(self.token)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any] | None = None, /
    ) -> None:
        # discord.py calls a Modal's on_error without the `item` of BaseView.on_error (Modal's own
        # override drops it); accepting it optionally fits both signatures
        await report_error(interaction, error, type(self).__name__)


# -- acknowledging within Discord's 3 seconds -----------------------------------------------------


async def ack_soon(
    interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool = False, update: bool = False
) -> T:
    """Await `work`; if it takes longer than `ACK_GRACE` (on the bot's clock), acknowledge the
    interaction first — "thinking…" (`ephemeral` as the answer will be), or for a button that will
    edit its own message (`update`), a deferred update — so Discord's 3-second deadline is always met."""
    task = asyncio.ensure_future(work)
    if not task.done() and not interaction.response.is_done():
        bot = _bot(interaction)
        timer = asyncio.ensure_future(bot.clock.sleep(ACK_GRACE))
        try:
            await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        if not task.done() and not interaction.response.is_done():
            await defer(interaction, ephemeral=ephemeral, update=update)
    return await task


async def defer(interaction: discord.Interaction, *, ephemeral: bool = False, update: bool = False) -> None:
    """Acknowledge now; `respond` later turns the "thinking…" message into the answer."""
    if interaction.response.is_done():
        return
    if update and interaction.message is not None:
        await interaction.response.defer()
        return
    await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    interaction.extras[_LOADING] = "private" if ephemeral else "public"


async def within(work: Awaitable[T], seconds: float, clock: Clock, default: T) -> T:
    """`work`'s result if it comes within `seconds` (bot clock), else `default` (autocomplete, whose
    answer cannot be deferred; the work still finishes in the background)."""
    task = asyncio.ensure_future(work)
    timer = asyncio.ensure_future(clock.sleep(seconds))
    try:
        await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
    if task.done():
        return task.result()
    task.add_done_callback(lambda t: t.cancelled() or t.exception())  # never "exception was never retrieved"
    return default


async def respond(
    interaction: discord.Interaction,
    *,
    ephemeral: bool = False,
    content: str | None = None,
    embeds: list[discord.Embed] | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    suppress_embeds: bool = False,
) -> None:
    """Send one message in answer to an interaction, whatever state it is in: the response if none
    was sent yet; the "thinking…" message turned into it after a deferral (a private answer after a
    public "thinking…" replaces it with a private follow-up); else a follow-up. Never pings."""
    kwargs: dict[str, Any] = {"allowed_mentions": NONE}
    if content is not None:
        kwargs["content"] = content
    if embeds:
        kwargs["embeds"] = embeds
    if view is not None:
        kwargs["view"] = view
    if not interaction.response.is_done():
        if file is not None:
            kwargs["file"] = file
        await interaction.response.send_message(
            ephemeral=ephemeral, suppress_embeds=suppress_embeds, **kwargs
        )
        return
    loading = interaction.extras.pop(_LOADING, None)
    if loading == "public" and ephemeral:
        await interaction.delete_original_response()
    elif loading is not None:
        if file is not None:
            kwargs["attachments"] = [file]
        await interaction.edit_original_response(**kwargs)
        return
    if file is not None:
        kwargs["file"] = file
    await interaction.followup.send(ephemeral=ephemeral, suppress_embeds=suppress_embeds, **kwargs)


async def update_message(interaction: discord.Interaction, **kwargs: Any) -> None:
    """Edit the message a button or menu sits on (after a deferred update too)."""
    kwargs.setdefault("allowed_mentions", NONE)
    if interaction.response.is_done():
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.response.edit_message(**kwargs)


async def notice(interaction: discord.Interaction, text: str) -> None:
    """A short ephemeral message (errors, cooldowns, thanks)."""
    await respond(
        interaction, ephemeral=True, content=render.truncate(render.neutralise(text), render.CONTENT_MAX)
    )


# -- answer buttons ------------------------------------------------------------------------------


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"cmf:fb:(?P<kind>up|down):(?P<qid>\d+):(?P<lang>[a-z]{2})",
):
    def __init__(self, kind: str, qid: int, lang: str) -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji="👍" if kind == "up" else "👎",
                custom_id=f"cmf:fb:{kind}:{qid}:{lang}",
            )
        )
        self.kind, self.qid, self.lang = kind, qid, lang

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> FeedbackButton:
        return cls(match["kind"], int(match["qid"]), match["lang"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        work = bot.run_engine(bot.record_feedback, self.qid, self.kind, interaction.user.id)
        await ack_soon(interaction, work, ephemeral=True)
        key = "ui.feedback.thanks_up" if self.kind == "up" else "ui.feedback.thanks_down"
        await notice(interaction, bot.text(key, self.lang))
        if self.kind == "up":
            await bot.mark_solved(interaction)


class NotWhatButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"cmf:nw:(?P<qid>\d+):(?P<lang>[a-z]{2})",
):
    def __init__(self, qid: int, lang: str, label: str = "Not what I asked") -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary, label=label, custom_id=f"cmf:nw:{qid}:{lang}"
            )
        )
        self.qid, self.lang = qid, lang

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> NotWhatButton:
        return cls(int(match["qid"]), match["lang"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        work = bot.run_engine(bot.record_feedback, self.qid, "not_what_i_asked", interaction.user.id)
        await ack_soon(interaction, work, ephemeral=True)
        await notice(interaction, bot.text("ui.not_what.thanks", self.lang))


class SourcesButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"cmf:src:(?P<lang>[a-z]{2}):(?P<key>[a-z](?:\.[A-Za-z0-9_.-]+)?)",
):
    def __init__(self, lang: str, key: str, label: str = "Sources") -> None:
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                label=label,
                emoji="📚",
                custom_id=f"cmf:src:{lang}:{key}",
            )
        )
        self.lang, self.key = lang, key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SourcesButton:
        return cls(match["lang"], match["key"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        work = bot.run_engine(rebuild_reply, bot.engine, self.key, self.lang)
        reply = await ack_soon(interaction, work, ephemeral=True)
        empty = bot.text("ui.sources.none", self.lang)
        text = render.links_text(reply, empty) if reply is not None else empty
        await respond(interaction, ephemeral=True, content=text, suppress_embeds=True)


class PickSelect(
    discord.ui.DynamicItem[discord.ui.Select],
    template=r"cmf:pick:(?P<qid>\d+):(?P<lang>[a-z]{2}):(?P<uid>\d+)",
):
    """The close intents offered when the bot is unsure; picking one turns the message into its answer."""

    def __init__(self, qid: int, lang: str, user_id: int, options: list[discord.SelectOption] | None = None):
        super().__init__(
            discord.ui.Select(
                custom_id=f"cmf:pick:{qid}:{lang}:{user_id}",
                options=options or [discord.SelectOption(label="…", value="-")],
                min_values=1,
                max_values=1,
            )
        )
        self.qid, self.lang, self.user_id = qid, lang, user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PickSelect:
        return cls(int(match["qid"]), match["lang"], int(match["uid"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        if interaction.user.id != self.user_id:
            await notice(interaction, bot.text("ui.pick.not_yours", self.lang))
            return
        values = self.item.values
        intent = values[0] if values else ""
        work = bot.run_engine(bot.engine.answer_intent, intent, self.lang)
        reply = await ack_soon(interaction, work, update=True)
        messages = render.reply_messages(reply, lambda key: bot.text(key, self.lang))
        view = answer_view(bot, reply, self.lang, self.qid, f"i.{intent}", asker=self.user_id)
        await update_message(interaction, embeds=messages[0], view=view)
        for extra in messages[1:]:
            await interaction.followup.send(embeds=extra, allowed_mentions=NONE)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    FeedbackButton,
    NotWhatButton,
    SourcesButton,
    PickSelect,
)


def rebuild_reply(engine: Any, key: str, lang: str) -> Reply | None:
    """The reply a reply key stands for (see the module docstring); None for an unknown key."""
    kind, _, arg = key.partition(".")
    try:
        if kind == "i" and arg:
            return engine.answer_intent(arg, lang)
        if kind == "r":
            return engine.checklist(None if arg in ("", "all") else arg, lang)
        if kind == "p" and arg:
            return engine.credential_profile(arg, lang)
        if kind == "c":
            return engine.check_compliance({}, lang)
    except (KeyError, LookupError, ValueError):
        log.info("reply key %s no longer resolves", key)
    return None


def sources_key_for(reply: Reply) -> str | None:
    """The reply key of an answer to a question (an intent), if it has links to show."""
    return f"i.{reply.intent}" if reply.intent and reply.links else None


def answer_view(
    bot: CMFBot,
    reply: Reply,
    lang: str,
    qid: int | None,
    sources_key: str | None,
    *,
    asker: int | None = None,
) -> discord.ui.View:
    """The buttons under an answer (and the pick menu when the bot is unsure)."""
    view = discord.ui.View(timeout=None)
    if reply.status != "answer" and reply.suggestions and qid is not None and asker is not None:
        options = [
            discord.SelectOption(label=render.truncate(s.title, 100), value=s.intent[:100])
            for s in reply.suggestions[:SELECT_OPTIONS_MAX]
        ]
        select = PickSelect(qid, lang, asker, options)
        select.item.placeholder = render.truncate(bot.text("ui.pick.placeholder", lang), 150)
        view.add_item(select)
    if qid is not None:
        view.add_item(FeedbackButton("up", qid, lang))
        view.add_item(FeedbackButton("down", qid, lang))
    if sources_key and reply.links and len(f"cmf:src:{lang}:{sources_key}") <= CUSTOM_ID_MAX:
        view.add_item(
            SourcesButton(lang, sources_key, render.truncate(bot.text("ui.sources.label", lang), 80))
        )
    if qid is not None:
        view.add_item(NotWhatButton(qid, lang, render.truncate(bot.text("ui.not_what.label", lang), 80)))
    return view


# -- sending ------------------------------------------------------------------------------------


def _local_commands(bot: CMFBot, reply: Reply, lang: str) -> Reply:
    """The reply, and its further answers (`Reply.also`, chained), with the slash commands they name
    spelt as users of `lang` see them (`CMFBot.with_local_commands`)."""
    reply = bot.with_local_commands(reply, lang)
    if reply.also is not None:
        also = _local_commands(bot, reply.also, lang)
        if also is not reply.also:
            reply = dataclasses.replace(reply, also=also)
    return reply


async def send_reply(
    interaction: discord.Interaction,
    reply: Reply,
    lang: str,
    *,
    qid: int | None,
    sources_key: str | None,
    ephemeral: bool = False,
    footer: str | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Answer an interaction with a reply: the first message as the response (or in place of the
    "thinking…" message), any overflow as follow-ups, the buttons under the last one."""
    bot = _bot(interaction)
    reply = _local_commands(bot, reply, lang)
    messages = render.reply_messages(reply, lambda key: bot.text(key, lang), footer=footer)
    if view is None:
        view = answer_view(bot, reply, lang, qid, sources_key, asker=interaction.user.id)
    last = len(messages) - 1
    for index, embeds in enumerate(messages):
        extra = view if index == last and view.children else None
        await respond(interaction, ephemeral=ephemeral, embeds=embeds, view=extra)


async def reply_to_message(
    message: discord.Message, bot: CMFBot, reply: Reply, lang: str, *, qid: int | None
) -> bool:
    """Answer a free-text message in its channel (a reply to it, never pinging anyone), within the
    bot's permissions there: nothing without Send Messages, a plain message instead of a reply without
    Read Message History, plain text instead of embeds without Embed Links (each logged once per
    channel). True when the answer was sent."""
    channel = message.channel
    perms = bot.permissions_in(channel)
    where = f"#{getattr(channel, 'name', channel.id)} ({channel.id})"
    if perms is not None:
        in_thread = isinstance(channel, discord.Thread)
        can_send = perms.send_messages_in_threads if in_thread else perms.send_messages
        if not (perms.view_channel and can_send):
            missing = "Send Messages in Threads" if in_thread else "Send Messages"
            bot.warn_once(f"send:{channel.id}", "cannot answer in %s: the bot lacks %s there", where, missing)
            return False
    reference = perms is None or perms.read_message_history
    if not reference:
        bot.warn_once(
            f"history:{channel.id}", "answering in %s without replying: it lacks Read Message History", where
        )
    plain = perms is not None and not perms.embed_links
    if plain:
        bot.warn_once(
            f"embed:{channel.id}", "answering in %s as plain text: the bot lacks Embed Links there", where
        )
    view = answer_view(bot, reply, lang, qid, sources_key_for(reply), asker=message.author.id)
    reply = _local_commands(bot, reply, lang)
    parts: list[dict[str, Any]]
    if plain:
        parts = [{"content": text} for text in render.reply_text(reply, lambda key: bot.text(key, lang))]
    else:
        parts = [
            {"embeds": embeds} for embeds in render.reply_messages(reply, lambda key: bot.text(key, lang))
        ]
    last = len(parts) - 1
    try:
        for index, part in enumerate(parts):
            if index == last and view.children:
                part["view"] = view
            if index == 0 and reference:
                await message.reply(allowed_mentions=NONE, mention_author=False, **part)
            else:
                await channel.send(allowed_mentions=NONE, **part)
    except discord.Forbidden as exc:
        bot.warn_once(
            f"forbidden:{channel.id}", "Discord refused the answer in %s: %s", where, exc.text or exc
        )
        return False
    return True


# -- the compliance form ------------------------------------------------------------------------


class CheckModal(SafeModal):
    """/check with no options: the course facts as a form (Discord allows five fields, so one field
    takes ECTS, UK or US credits: `facts_from_form`). Its custom id is its own
    (`cmf:check:<token>:form:<user id>`), so two people filling it in at once each get the answer to
    their own form, in their own language."""

    kind = "check"

    def __init__(self, bot: CMFBot, lang: str, opener: int) -> None:
        super().__init__(bot, title=bot.text("ui.check.form_title", lang), opener=opener, name="form")
        self.lang = lang

        def field(key: str, placeholder_key: str, max_length: int) -> discord.ui.TextInput[CheckModal]:
            item: discord.ui.TextInput[CheckModal] = discord.ui.TextInput(
                label=render.truncate(bot.text(key, lang), 45),
                placeholder=render.truncate(bot.text(placeholder_key, lang), 100),
                required=False,
                max_length=max_length,
            )
            self.add_item(item)
            return item

        self.hours = field("ui.check.hours", "ui.check.hours_hint", 8)
        self.eqf = field("ui.check.eqf", "ui.check.eqf_hint", 2)
        self.credits = field("ui.check.credits", "ui.check.credits_hint", 30)
        self.assessment = field("ui.check.assessment", "ui.check.assessment_hint", 20)
        self.id_verification = field("ui.check.id_verification", "ui.check.yes_no_hint", 5)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        from bot.exts.info import FactsError, facts_from_form, send_compliance

        bot = _bot(interaction)
        try:
            facts = facts_from_form(
                hours=self.hours.value,
                eqf=self.eqf.value,
                credits=self.credits.value,
                assessment=self.assessment.value,
                id_verification=self.id_verification.value,
            )
        except FactsError as exc:
            await notice(interaction, bot.text(exc.key, self.lang, value=exc.value))
            return
        await send_compliance(interaction, facts, self.lang)
