"""`/ask question [private]`, with autocomplete from the intents, and the message command
"Ask the CMF bot" (right-click a message → Apps), which answers the question in that message.

The message command gets the message's text from Discord with the interaction itself, so it works
without the Message Content intent, in any channel the member can use apps in.
"""

from __future__ import annotations

import math
import re

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot import render
from bot.client import CMFBot
from bot.i18n import locale_lang
from bot.ui import ack_soon, notice, send_reply, sources_key_for, within

AUTOCOMPLETE_MAX = 25
CHOICE_MAX = 100
AUTOCOMPLETE_BUDGET = 2.0
"""Seconds autocomplete may wait for the engine (it cannot be deferred); then it offers nothing."""
MENU_NAME = "Ask the CMF bot"
"""The message command's name (Discord allows 32 characters, so not "… about this message")."""


class Ask(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot
        self._offered: dict[tuple[str, str], str] = {}
        """(lang, title) → intent of each autocomplete choice offered, so picking one answers that intent."""
        self.menu = app_commands.ContextMenu(
            name=locale_str(MENU_NAME, key="cmd.menu_ask.name"), callback=self.ask_about_message
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    def _checked(self, interaction: discord.Interaction, question: str, lang: str) -> tuple[str, str | None]:
        """The question made tidy, and the notice to give instead of an answer (empty, too long, cooldown)."""
        bot = self.bot
        text = " ".join(question.split())
        limit = bot.settings.max_question_chars
        if not text:
            return text, bot.text("ui.ask.empty", lang)
        if len(text) > limit:
            return text, bot.text("ui.ask.too_long", lang, limit=limit, length=len(text))
        retry = bot.ask_cooldown.hit(interaction.user.id)
        if retry is not None:
            return text, bot.text("ui.cooldown", lang, seconds=math.ceil(retry))
        return text, None

    @app_commands.command(name="ask", description="Ask a question about the Common Microcredential Framework")
    @app_commands.describe(
        question="Your question, in English, French, Spanish, Italian or German",
        private="Show the answer only to you",
    )
    async def ask(self, interaction: discord.Interaction, question: str, private: bool = False) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        text, refusal = self._checked(interaction, question, lang)
        if refusal:
            await notice(interaction, refusal)
            return
        intent = self._offered.get((lang, text))
        channel_id, user_id, now = interaction.channel_id or 0, interaction.user.id, bot.clock.now()
        if intent:
            work = bot.run_engine(bot.answer_logged, intent, lang, text, user_id)
        else:
            previous = bot.recent_questions.previous(channel_id, user_id, now)
            work = bot.run_engine(bot.ask_logged, text, lang, user_id, previous)
        reply, qid = await ack_soon(interaction, work, ephemeral=private)
        if reply.status == "answer":  # "/ask and in French?" next is read with it
            bot.recent_questions.remember(channel_id, user_id, reply.read_as or text, now)
        await send_reply(
            interaction, reply, lang, qid=qid, sources_key=sources_key_for(reply), ephemeral=private
        )

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Served from the snapshot's in-memory index on an engine worker; nothing if none answers in
        time."""
        lang = locale_lang(interaction.locale)
        work = self.bot.run_engine(
            self.bot.engine.suggest_intents, current[:CHOICE_MAX], lang, limit=AUTOCOMPLETE_MAX
        )
        suggestions = await within(work, AUTOCOMPLETE_BUDGET, self.bot.clock, [])
        choices: list[app_commands.Choice[str]] = []
        seen: set[str] = set()
        for suggestion in suggestions:
            title = render.truncate(" ".join(suggestion.title.split()), CHOICE_MAX)
            if not title or title in seen:
                continue
            seen.add(title)
            if len(self._offered) > 5000:
                self._offered.clear()
            self._offered[(lang, title)] = suggestion.intent
            choices.append(app_commands.Choice(name=title, value=title))
            if len(choices) == AUTOCOMPLETE_MAX:
                break
        return choices

    async def ask_about_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """The message command: answer the question in someone's message. A confident answer is posted
        for everyone (it helps the person who asked); anything less is shown only to you."""
        bot = self.bot
        lang = locale_lang(interaction.locale)
        content = re.sub(r"<@[!&]?\d+>", " ", message.content or "")
        if not content.strip():
            await notice(interaction, bot.text("ui.menu.no_text", lang))
            return
        text, refusal = self._checked(interaction, content, lang)
        if refusal:
            await notice(interaction, refusal)
            return
        work = bot.run_engine(bot.ask_logged, text, lang, interaction.user.id)
        reply, qid = await ack_soon(interaction, work, ephemeral=True)
        # after a (private) "thinking…" the answer stays private: a message cannot change that
        public = reply.status == "answer" and not interaction.response.is_done()
        footer = bot.text("ui.menu.about", lang, name=render.truncate(message.author.display_name, 80))
        await send_reply(
            interaction,
            reply,
            lang,
            qid=qid,
            sources_key=sources_key_for(reply),
            ephemeral=not public,
            footer=footer,
        )


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Ask(bot))
