"""One error handler for slash commands and prefix commands: a short message, details in the log."""

from __future__ import annotations

import logging
import math

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import CMFBot
from bot.i18n import locale_lang
from bot.ui import notice

log = logging.getLogger(__name__)


def user_message_key(error: Exception) -> tuple[str, dict[str, object]]:
    """The UI string (and its values) explaining an error to the user."""
    original = getattr(error, "original", error)
    if isinstance(
        error, app_commands.MissingPermissions | app_commands.MissingRole | app_commands.MissingAnyRole
    ):
        return "ui.error.forbidden", {}
    if isinstance(error, app_commands.CheckFailure):
        return "ui.error.forbidden", {}
    if isinstance(error, app_commands.TransformerError):
        return "ui.error.bad_input", {}
    if isinstance(original, discord.HTTPException):
        return "ui.error.discord", {}
    return "ui.error.generic", {}


class Errors(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot
        self._previous = bot.tree.on_error
        bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        key, values = user_message_key(error)
        command = interaction.command.qualified_name if interaction.command else "?"
        if key == "ui.error.generic" or key == "ui.error.discord":
            log.error("error in /%s", command, exc_info=getattr(error, "original", error))
        else:
            log.info("/%s refused: %s", command, type(error).__name__)
        try:
            await notice(interaction, self.bot.text(key, locale_lang(interaction.locale), **values))
        except discord.HTTPException:
            log.warning("could not tell the user about the error in /%s", command)

    @commands.Cog.listener()
    async def on_command_error(self, ctx: commands.Context[CMFBot], error: commands.CommandError) -> None:
        if isinstance(error, commands.CommandNotFound):
            return  # a mention that is a question, handled by the free-text cog
        if isinstance(error, commands.CheckFailure | commands.UserInputError | commands.CommandOnCooldown):
            key = "ui.error.forbidden" if isinstance(error, commands.CheckFailure) else "ui.error.bad_input"
            if isinstance(error, commands.CommandOnCooldown):
                key = "ui.cooldown"
            log.info("prefix command %s refused: %s", ctx.command, type(error).__name__)
        else:
            key = "ui.error.generic"
            log.error("error in prefix command %s", ctx.command, exc_info=getattr(error, "original", error))
        seconds = math.ceil(getattr(error, "retry_after", 0))
        await ctx.send(
            self.bot.text(key, "en", seconds=seconds), allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Errors(bot))
