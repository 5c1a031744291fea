"""`/ask question [private]`: any question about the CMF, with autocomplete from the intents."""

from __future__ import annotations

import math

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.client import CMFBot
from bot.i18n import locale_lang
from bot.ui import notice, send_reply, sources_key_for

AUTOCOMPLETE_MAX = 25
CHOICE_MAX = 100


class Ask(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot
        self._offered: dict[tuple[str, str], str] = {}
        """(lang, title) → intent of each autocomplete choice offered, so picking one answers that intent."""

    @app_commands.command(name="ask", description="Ask a question about the Common Microcredential Framework")
    @app_commands.describe(
        question="Your question, in English, French, Spanish, Italian or German",
        private="Show the answer only to you",
    )
    async def ask(self, interaction: discord.Interaction, question: str, private: bool = False) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        text = " ".join(question.split())
        limit = bot.settings.max_question_chars
        if not text:
            await notice(interaction, bot.text("ui.ask.empty", lang))
            return
        if len(text) > limit:
            await notice(interaction, bot.text("ui.ask.too_long", lang, limit=limit, length=len(text)))
            return
        retry = bot.ask_cooldown.hit(interaction.user.id)
        if retry is not None:
            await notice(interaction, bot.text("ui.cooldown", lang, seconds=math.ceil(retry)))
            return
        intent = self._offered.get((lang, text))
        if intent:
            reply, qid = await bot.run_engine(bot.answer_logged, intent, lang, text, interaction.user.id)
        else:
            reply, qid = await bot.run_engine(bot.ask_logged, text, lang, interaction.user.id)
        await send_reply(
            interaction, reply, lang, qid=qid, sources_key=sources_key_for(reply), ephemeral=private
        )

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Served from the engine's in-memory index (on the engine thread, so the loop never waits)."""
        lang = locale_lang(interaction.locale)
        suggestions = await self.bot.run_engine(
            self.bot.engine.suggest_intents, current[:CHOICE_MAX], lang, limit=AUTOCOMPLETE_MAX
        )
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


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Ask(bot))
