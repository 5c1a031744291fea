"""`/help`: what the bot can do, each command as a clickable mention (`</ask:id>`), in the user's language.

Mentions need the command ids Discord gave at the last sync (or fetched at start); until the bot
knows them a command is shown by its name in the user's language (`/demander`). Moderators also see
the `/kb` commands.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.client import CMFBot
from bot.i18n import locale_lang
from bot.ui import respond

PUBLIC_COMMANDS: tuple[str, ...] = ("ask", "requirements", "courses", "credential", "check", "about", "help")
KB_COMMANDS: tuple[str, ...] = (
    "kb show",
    "kb edit",
    "kb add",
    "kb delete",
    "kb phrase add",
    "kb phrase remove",
    "kb history",
    "kb revert",
    "kb gaps",
    "kb import",
    "kb export",
    "kb stats",
    "kb settings",
)
COLOUR = 0x2B6CB0


class Help(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot

    def local_name(self, name: str, lang: str) -> str:
        """A command's name as `lang` users see it (`kb phrase add` → `connaissances formulation ajouter`)."""
        parts = name.split()
        shown = []
        for index, part in enumerate(parts):
            key = "cmd." + ".".join(parts[: index + 1]) + ".name"
            found = self.bot.strings.find(key, lang)
            shown.append(found or part)
        return " ".join(shown)

    def line(self, name: str, lang: str, guild_id: int | None) -> str:
        mention = self.bot.command_mention(name, guild_id, shown=self.local_name(name, lang))
        description = self.bot.strings.find(f"cmd.{name.replace(' ', '.')}.description", lang) or ""
        return f"{mention} — {description}".rstrip(" —")

    @app_commands.command(name="help", description="What the bot can do, with commands you can click")
    async def help(self, interaction: discord.Interaction) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        guild_id = interaction.guild.id if interaction.guild else None
        lines = [self.line(name, lang, guild_id) for name in PUBLIC_COMMANDS]
        embed = discord.Embed(
            title=render.truncate(bot.text("ui.help.title", lang), render.TITLE_MAX),
            description=render.truncate(
                bot.text("ui.help.intro", lang) + "\n\n" + "\n".join(lines), render.DESCRIPTION_MAX
            ),
            colour=COLOUR,
        )
        config = bot.server_config(guild_id)
        menu = bot.strings.find("cmd.menu_ask.name", lang) or "Ask the CMF bot"
        other = [bot.text("ui.help.menu", lang, menu=menu), bot.text("ui.help.mention", lang)]
        if guild_id is not None and config.help_channel_ids:
            channels = ", ".join(f"<#{c}>" for c in config.help_channel_ids)
            other.insert(0, bot.text("ui.help.channels", lang, channels=channels))
        embed.add_field(
            name=render.truncate(bot.text("ui.help.other_title", lang), render.FIELD_NAME_MAX),
            value=render.truncate("\n".join(f"• {line}" for line in other), render.FIELD_VALUE_MAX),
            inline=False,
        )
        if bot.is_moderator(interaction):
            kb_lines = [self.line(name, lang, guild_id) for name in KB_COMMANDS]
            text = "\n".join(kb_lines)
            for index, part in enumerate(render.split_text(text, render.FIELD_VALUE_MAX)):
                title = bot.text("ui.help.kb_title", lang) if index == 0 else render.ZWSP
                embed.add_field(name=title, value=part, inline=False)
        await respond(interaction, ephemeral=True, embeds=[embed])


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Help(bot))
