"""Free-text questions: in the configured help channels, in direct messages, and when mentioned.

- It never answers bots (itself included) or webhooks.
- Confident answer → a reply under the question, with the answer buttons.
- Unsure, in a DM or when mentioned → the close intents in a select menu (the asker picks one);
  no match there → the fallback, which says how to reach a moderator.
- Unsure in a help channel → silence, so the bot adds no noise; over-long messages there are
  ignored too (in a DM or a mention they get a short explanation).
- Cooldown: when a user asks too fast, the bot reacts ⏳ to the message instead of answering.
"""

from __future__ import annotations

import logging
import re

import discord
from discord.ext import commands

from bot.client import CMFBot
from bot.i18n import locale_lang
from bot.ui import NONE, reply_to_message

log = logging.getLogger(__name__)

COOLDOWN_REACTION = "⏳"


class FreeText(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot

    def _in_help_channel(self, channel: discord.abc.Messageable) -> bool:
        ids = self.bot.settings.help_channel_ids
        return getattr(channel, "id", None) in ids or getattr(channel, "parent_id", None) in ids

    def _strip_mentions(self, content: str) -> str:
        me = self.bot.user
        if me is not None:
            content = re.sub(rf"<@!?{me.id}>", " ", content)
        return " ".join(content.split())

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        bot = self.bot
        if message.author.bot or message.webhook_id is not None or bot.user is None:
            return
        if message.author.id == bot.user.id:
            return
        direct = message.guild is None
        mentioned = not direct and bot.user.mentioned_in(message) and not message.mention_everyone
        if not (direct or mentioned or self._in_help_channel(message.channel)):
            return
        addressed = direct or mentioned
        if (await bot.get_context(message)).valid:
            return  # a prefix command (handled by discord.ext.commands), not a question
        text = self._strip_mentions(message.content)
        if not text:
            if addressed:
                await message.reply(
                    bot.text("ui.freetext.hello", "en"), allowed_mentions=NONE, mention_author=False
                )
            return
        limit = bot.settings.max_question_chars
        if len(text) > limit:
            if addressed:
                lang = await bot.run_engine(bot.detect_lang, text)
                await message.reply(
                    bot.text("ui.ask.too_long", lang, limit=limit, length=len(text)),
                    allowed_mentions=NONE,
                    mention_author=False,
                )
            return

        reply, qid = await bot.run_engine(bot.ask_logged, text, None, message.author.id)
        if reply.status != "answer" and not addressed:
            log.debug("unsure in a help channel; staying silent (%s)", reply.reason or reply.status)
            return
        if bot.freetext_cooldown.hit(message.author.id) is not None:
            try:
                await message.add_reaction(COOLDOWN_REACTION)
            except discord.HTTPException:
                log.info("could not react to a message from a user on cooldown")
            return
        await reply_to_message(message, bot, reply, reply.lang or locale_lang(None), qid=qid)


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(FreeText(bot))
