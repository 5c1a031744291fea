"""`@bot sync` (the application's owner only, once a minute): sync the slash commands on demand.

`@bot sync` syncs where the settings say (the configured servers, else global) even if nothing
changed; `@bot sync clear` removes this server's own commands (e.g. after switching to a global
sync, when every command shows twice). It is a mention command, so it needs no slash command (and
works before the first sync) and no Message Content intent. The reply, like the log, has one line
per scope; a failure is one of those lines, never a traceback.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.client import CMFBot
from bot.i18n import locale_lang

log = logging.getLogger(__name__)

SYNC_COOLDOWN = 60.0
"""Seconds between two `sync` commands (Discord rate-limits command updates)."""


class Sync(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot

    @commands.command(name="sync")
    @commands.is_owner()
    @commands.cooldown(1, SYNC_COOLDOWN, commands.BucketType.default)
    async def sync(self, ctx: commands.Context[CMFBot], what: str = "") -> None:
        bot = self.bot
        lang = locale_lang(ctx.guild.preferred_locale if ctx.guild else None)
        if what.lower() == "clear":
            if ctx.guild is None:
                await ctx.reply(
                    bot.text("ui.sync.clear_where", lang), allowed_mentions=discord.AllowedMentions.none()
                )
                return
            results = [await bot.clear_server_commands(ctx.guild.id)]
        else:
            results = await bot.sync_all(force=True)
        log.info("command sync asked by %s", ctx.author.id)
        for result in results:
            bot.log_sync(result)
        lines = [bot.sync_text(result, lang) for result in results]
        text = bot.text("ui.sync.title", lang) + "\n" + "\n".join(f"• {line}" for line in lines)
        await ctx.reply(text[:2000], allowed_mentions=discord.AllowedMentions.none(), mention_author=False)


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Sync(bot))
