"""Buttons, select menus, the compliance form and the one way every answer is sent.

Answer buttons are `DynamicItem`s: their state lives in the `custom_id`, so 👍 / 👎, "Sources" and
"Not what I asked" keep working after a restart. Custom ids (all under 100 characters):

- `cmf:fb:<up|down>:<question id>:<lang>`   feedback, stored in SQLite
- `cmf:nw:<question id>:<lang>`             "Not what I asked", stored as feedback for moderators
- `cmf:src:<lang>:<reply key>`              the answer's links, rebuilt from the reply key
- `cmf:pick:<question id>:<lang>:<user id>` pick one of the close intents (only the asker)

A reply key says how to rebuild an answer: `i.<intent>`, `r.<audience|all>`, `p.<course id>`, `c`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot import render
from bot.engine.model import Reply

if TYPE_CHECKING:
    from bot.client import CMFBot

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
CUSTOM_ID_MAX = 100
SELECT_OPTIONS_MAX = 25


def _bot(interaction: discord.Interaction) -> CMFBot:
    return interaction.client  # type: ignore[return-value]


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
) -> Callable[[SelfT, discord.Interaction], Awaitable[None]]:
    """For the callbacks of `DynamicItem`s, whose errors discord.py only logs: report them."""

    @functools.wraps(callback)
    async def wrapper(self: SelfT, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception as error:
            await report_error(interaction, error, type(self).__name__)

    return wrapper


class SafeView(discord.ui.View):
    """A view whose failing buttons answer with the short error message."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: Any, /) -> None:
        await report_error(interaction, error, f"{type(self).__name__} ({type(item).__name__})")


class SafeModal(discord.ui.Modal):
    """A form whose failing submission answers with the short error message."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        await report_error(interaction, error, type(self).__name__)


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
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["kind"], int(match["qid"]), match["lang"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        await bot.run_engine(bot.record_feedback, self.qid, self.kind, interaction.user.id)
        key = "ui.feedback.thanks_up" if self.kind == "up" else "ui.feedback.thanks_down"
        await interaction.response.send_message(
            bot.text(key, self.lang), ephemeral=True, allowed_mentions=NONE
        )


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
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> NotWhatButton:
        return cls(int(match["qid"]), match["lang"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        await bot.run_engine(bot.record_feedback, self.qid, "not_what_i_asked", interaction.user.id)
        await interaction.response.send_message(
            bot.text("ui.not_what.thanks", self.lang), ephemeral=True, allowed_mentions=NONE
        )


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
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> SourcesButton:
        return cls(match["lang"], match["key"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        reply = await bot.run_engine(rebuild_reply, bot.engine, self.key, self.lang)
        empty = bot.text("ui.sources.none", self.lang)
        text = render.links_text(reply, empty) if reply is not None else empty
        await interaction.response.send_message(
            text, ephemeral=True, allowed_mentions=NONE, suppress_embeds=True
        )


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
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> PickSelect:
        return cls(int(match["qid"]), match["lang"], int(match["uid"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(
                bot.text("ui.pick.not_yours", self.lang), ephemeral=True, allowed_mentions=NONE
            )
            return
        values = self.item.values
        intent = values[0] if values else ""
        reply = await bot.run_engine(bot.engine.answer_intent, intent, self.lang)
        messages = render.reply_messages(reply, lambda key: bot.text(key, self.lang))
        view = answer_view(bot, reply, self.lang, self.qid, f"i.{intent}", asker=self.user_id)
        await interaction.response.edit_message(embeds=messages[0], view=view, allowed_mentions=NONE)
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
    if reply.status == "suggestions" and reply.suggestions and qid is not None and asker is not None:
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
    """Answer an interaction with a reply: first message as the response, any overflow as follow-ups."""
    bot = _bot(interaction)
    messages = render.reply_messages(reply, lambda key: bot.text(key, lang), footer=footer)
    if view is None:
        view = answer_view(bot, reply, lang, qid, sources_key, asker=interaction.user.id)
    last = len(messages) - 1
    for index, embeds in enumerate(messages):
        extra: dict[str, Any] = {"view": view} if index == last and view.children else {}
        if index == 0 and not interaction.response.is_done():
            await interaction.response.send_message(
                embeds=embeds, ephemeral=ephemeral, allowed_mentions=NONE, **extra
            )
        else:
            await interaction.followup.send(
                embeds=embeds, ephemeral=ephemeral, allowed_mentions=NONE, **extra
            )


async def reply_to_message(
    message: discord.Message, bot: CMFBot, reply: Reply, lang: str, *, qid: int | None
) -> None:
    """Answer a free-text message in its channel (a reply to it, never pinging anyone)."""
    messages = render.reply_messages(reply, lambda key: bot.text(key, lang))
    view = answer_view(bot, reply, lang, qid, sources_key_for(reply), asker=message.author.id)
    last = len(messages) - 1
    for index, embeds in enumerate(messages):
        extra: dict[str, Any] = {"view": view} if index == last and view.children else {}
        if index == 0:
            await message.reply(embeds=embeds, allowed_mentions=NONE, mention_author=False, **extra)
        else:
            await message.channel.send(embeds=embeds, allowed_mentions=NONE, **extra)


async def notice(interaction: discord.Interaction, text: str) -> None:
    """A short ephemeral message (errors, cooldowns, thanks)."""
    text = render.truncate(render.neutralise(text), render.CONTENT_MAX)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)


# -- the compliance form ------------------------------------------------------------------------


class CheckModal(SafeModal):
    """/check with no options: the course facts as a form (Discord allows five fields)."""

    def __init__(self, bot: CMFBot, lang: str) -> None:
        super().__init__(
            title=render.truncate(bot.text("ui.check.form_title", lang), 45), custom_id="cmf:check"
        )
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
        self.ects = field("ui.check.ects", "ui.check.ects_hint", 6)
        self.assessment = field("ui.check.assessment", "ui.check.assessment_hint", 20)
        self.id_verification = field("ui.check.id_verification", "ui.check.yes_no_hint", 5)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        from bot.exts.info import FactsError, facts_from_form, send_compliance

        bot = _bot(interaction)
        try:
            facts = facts_from_form(
                hours=self.hours.value,
                eqf=self.eqf.value,
                ects=self.ects.value,
                assessment=self.assessment.value,
                id_verification=self.id_verification.value,
            )
        except FactsError as exc:
            await notice(interaction, bot.text(exc.key, self.lang, value=exc.value))
            return
        await send_compliance(interaction, facts, self.lang)
