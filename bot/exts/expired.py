"""The answer to a click or a form that no live view or form took: it expired, or the bot restarted.

Live views and forms (see `bot.ui`) mark the interactions they handle. A `cmf:check|kb|pg:<token>:…`
interaction nobody marked would otherwise go unanswered ("This interaction failed"): here it gets a
short private explanation; a button also loses its dead siblings (the message keeps its persistent
👍 / 👎 / Sources buttons), and a form's text comes back to its author, so nothing typed is lost.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from bot import render
from bot.client import CMFBot
from bot.i18n import locale_lang
from bot.ui import CLAIMED, LIVE_ID, NONE, notice

log = logging.getLogger(__name__)


def typed_values(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(input custom id, text) of every non-empty text input in a form submission."""
    out: list[tuple[str, str]] = []

    def walk(components: list[dict[str, Any]]) -> None:
        for comp in components:
            if isinstance(comp.get("component"), dict):
                walk([comp["component"]])
            walk(comp.get("components") or [])
            value = comp.get("value")
            if isinstance(value, str) and value.strip():
                out.append((str(comp.get("custom_id") or ""), value))

    walk(data.get("components") or [])
    return out


class Expired(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
            return
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        match = LIVE_ID.match(str(data.get("custom_id", "")))
        if match is None or interaction.extras.get(CLAIMED) or interaction.response.is_done():
            return
        kind = match[1]
        lang = locale_lang(interaction.locale)
        log.info("expired %s interaction %s from user %s", kind, data.get("custom_id"), interaction.user.id)
        try:
            if interaction.type is discord.InteractionType.modal_submit:
                await self.form_expired(interaction, data, lang)
            else:
                await self.view_expired(interaction, kind, lang)
        except discord.HTTPException as exc:
            log.warning("could not answer an expired interaction: %s", exc)

    async def form_expired(self, interaction: discord.Interaction, data: dict[str, Any], lang: str) -> None:
        """Say so, and give the typed text back (one embed per field)."""
        embeds = []
        for name, value in typed_values(data)[:9]:
            title = name if name.isalpha() else None
            body = (
                "```\n"
                + render.truncate(value.replace("```", "`\u200b``"), render.DESCRIPTION_MAX - 10)
                + "\n```"
            )
            embeds.append(discord.Embed(title=title, description=body, colour=0x718096))
        text = self.bot.text("ui.expired.form", lang)
        await interaction.response.send_message(
            render.truncate(text, render.CONTENT_MAX), embeds=embeds, ephemeral=True, allowed_mentions=NONE
        )

    async def view_expired(self, interaction: discord.Interaction, kind: str, lang: str) -> None:
        """Remove the dead buttons from the message (keeping persistent ones), then say why."""
        message = interaction.message
        if message is not None:
            old = discord.ui.View.from_message(message, timeout=None)
            kept = discord.ui.View(timeout=None)
            for item in old.children:
                if not LIVE_ID.match(str(getattr(item, "custom_id", "") or "")):
                    item.row = None
                    kept.add_item(item)
            await interaction.response.edit_message(view=kept, allowed_mentions=NONE)
        key = "ui.expired.list" if kind == "pg" else "ui.expired.view"
        await notice(interaction, self.bot.text(key, lang))


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Expired(bot))
