"""`/courses query [language] [platform] [type]`: catalogue search, a page of results at a time.

Paging buttons belong to the person who searched (others get a short ephemeral notice). The pager
is a live view (see `bot.ui`): every click is a new interaction with a fresh token, so pages turn for
as long as the pager lives (`PAGER_TTL`, far past Discord's 15-minute token); after that, or after
a restart, a click gets "this list has expired" and the dead buttons are removed. 👍 / 👎 and "Not
what I asked" under the results are persistent like every answer's.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot import render
from bot.client import CMFBot
from bot.engine.model import LANGS, Reply
from bot.i18n import locale_lang
from bot.ui import FeedbackButton, NotWhatButton, SafeView, ack_soon, notice, respond, update_message

PAGE_SIZE = 5
PAGER_TTL = 3 * 3600.0
QUERY_MAX = 200
PLATFORMS: tuple[str, ...] = ("FutureLearn", "FUN MOOC", "MiríadaX", "EduOpen", "iMooX", "OpenupEd")
TYPES: tuple[str, ...] = ("MOOC", "microcredential", "short course", "ExpertTrack", "SLP")


class CoursePager(SafeView):
    """Previous / Next / Sources for one search; only `owner` may use them."""

    kind = "pg"

    def __init__(
        self,
        bot: CMFBot,
        owner: int,
        lang: str,
        search: dict[str, Any],
        qid: int | None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(bot, ttl=PAGER_TTL)
        self.bot, self.owner, self.lang, self.search, self.qid = bot, owner, lang, search, qid
        self.page_size = page_size
        self.offset = 0
        self.reply: Reply | None = None
        self.has_next = False
        self.previous.custom_id = self.cid("prev")
        self.next.custom_id = self.cid("next")
        self.sources.custom_id = self.cid("src")
        self.previous.label = render.truncate(bot.text("ui.courses.previous", lang), 80)
        self.next.label = render.truncate(bot.text("ui.courses.next", lang), 80)
        self.sources.label = render.truncate(bot.text("ui.sources.label", lang), 80)
        if qid is not None:
            self.add_item(FeedbackButton("up", qid, lang))
            self.add_item(FeedbackButton("down", qid, lang))
            self.add_item(NotWhatButton(qid, lang, render.truncate(bot.text("ui.not_what.label", lang), 80)))

    async def load(self, offset: int) -> None:
        """Fetch one page (one extra record tells whether there is a next page)."""
        reply = await self.bot.run_engine(
            self.bot.engine.search_courses,
            lang=self.lang,
            limit=self.page_size + 1,
            offset=offset,
            **self.search,
        )
        self.has_next = len(reply.items) > self.page_size
        reply.items = reply.items[: self.page_size]
        self.reply, self.offset = reply, offset
        self.previous.disabled = offset == 0
        self.next.disabled = not self.has_next
        self.sources.disabled = not reply.links

    def embeds(self) -> list[discord.Embed]:
        assert self.reply is not None
        page = self.offset // self.page_size + 1
        footer = self.bot.text("ui.courses.page", self.lang, page=page)
        messages = render.reply_messages(self.reply, lambda key: self.bot.text(key, self.lang), footer=footer)
        # a page of courses fits one message; keep the first message if a record were ever huge
        return messages[0]

    async def allowed(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner:
            return True
        await notice(interaction, self.bot.text("ui.courses.not_yours", self.lang))
        return False

    async def turn(self, interaction: discord.Interaction, offset: int) -> None:
        await ack_soon(interaction, self.load(offset), update=True)
        await update_message(interaction, embeds=self.embeds(), view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.primary, row=0)
    async def previous(
        self, interaction: discord.Interaction, button: discord.ui.Button[CoursePager]
    ) -> None:
        await self.turn(interaction, max(0, self.offset - self.page_size))

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.primary, row=0)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[CoursePager]) -> None:
        await self.turn(interaction, self.offset + self.page_size)

    @discord.ui.button(label="Sources", emoji="📚", style=discord.ButtonStyle.secondary, row=0)
    async def sources(self, interaction: discord.Interaction, button: discord.ui.Button[CoursePager]) -> None:
        assert self.reply is not None
        text = render.links_text(self.reply, self.bot.text("ui.sources.none", self.lang))
        await respond(interaction, ephemeral=True, content=text, suppress_embeds=True)


LANGUAGE_CHOICES = [
    app_commands.Choice(name=locale_str(code, key=f"choice.language.{code}"), value=code) for code in LANGS
]
TYPE_CHOICES = [
    app_commands.Choice(
        name=locale_str(kind, key=f"choice.type.{kind.replace(' ', '_').lower()}"), value=kind
    )
    for kind in TYPES
]
PLATFORM_CHOICES = [app_commands.Choice(name=p, value=p) for p in PLATFORMS]


class Courses(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot
        self.page_size = PAGE_SIZE

    @app_commands.command(name="courses", description="Search the catalogue of courses and microcredentials")
    @app_commands.describe(
        query="Topic or title, e.g. statistics, python",
        language="Language of the course",
        platform="Platform that offers it",
        type="Kind of course",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES, platform=PLATFORM_CHOICES, type=TYPE_CHOICES)
    async def courses(
        self,
        interaction: discord.Interaction,
        query: str,
        language: app_commands.Choice[str] | None = None,
        platform: app_commands.Choice[str] | None = None,
        type: app_commands.Choice[str] | None = None,
    ) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        text = " ".join(query.split())
        if len(text) > QUERY_MAX:
            await notice(interaction, bot.text("ui.ask.too_long", lang, limit=QUERY_MAX, length=len(text)))
            return
        search = {
            "query": text,
            "language": language.value if language else None,
            "platform": platform.value if platform else None,
            "type": type.value if type else None,
        }

        async def first_page() -> CoursePager:
            qid = await bot.run_engine(bot.log_search, text, lang, interaction.user.id)
            pager = CoursePager(bot, interaction.user.id, lang, search, qid, self.page_size)
            await pager.load(0)
            return pager

        pager = await ack_soon(interaction, first_page())
        await respond(interaction, embeds=pager.embeds(), view=pager)


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Courses(bot))
