"""`/verify file [public]` and the message menu "Check this credential": a credential file, explained.

The file is read from Discord, then checked by the engine-side `bot.credentials` package on a worker
thread of its own (the event loop never waits, and a slow check never holds up /ask). The answer is
ephemeral unless the user asks for it to be public, fits Discord's limits, and never pings anyone.

Privacy: nothing from the file (names, dates of birth, identifiers) and not even its file name is
logged. The question log gets "/verify <model>" only, with the user id hashed as for every command.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot import render
from bot.client import CMFBot, UserCooldown
from bot.engine.model import Item, Reply
from bot.i18n import locale_lang
from bot.ui import NONE, notice

log = logging.getLogger(__name__)

COLOURS = {"valid": 0x2F855A, "invalid": 0xC53030, "not_checked": 0x718096, "unsigned": 0x718096}


def _escape(text: str) -> str:
    """Text from the file, made inert: Markdown escaped (no fake links or formatting), mentions broken."""
    return render.neutralise(discord.utils.escape_markdown(text))


class Verify(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot
        self.cooldown = UserCooldown(bot.settings.ask_cooldown)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmf-credential")
        self.pins = self._load_pins()
        self.menu = app_commands.ContextMenu(
            name=locale_str("Check this credential", key="cmd.check_credential.name"),
            callback=self.check_message,
        )
        bot.tree.add_command(self.menu)

    @staticmethod
    def _load_pins() -> Any:
        from bot.credentials.keys import PinError, Pins

        try:
            return Pins.from_env()
        except PinError as exc:  # the bot still runs; pinned-key files are then "not checked"
            log.error("credential pins not loaded: %s", exc)
            return Pins()

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        self._executor.shutdown(wait=False, cancel_futures=True)

    @app_commands.command(
        name="verify", description="Check a credential file offline and explain what it certifies"
    )
    @app_commands.describe(
        file="The credential file (Europass EDC, Open Badge PNG/SVG/JSON/JWT, EDCI XML; up to 2 MB)",
        public="Show the result to the whole channel (it may show the learner's name)",
    )
    async def verify(
        self, interaction: discord.Interaction, file: discord.Attachment, public: bool = False
    ) -> None:
        await self.check(interaction, file, ephemeral=not public)

    async def check_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """The message menu: check the first file attached to the message (the answer is ephemeral)."""
        lang = locale_lang(interaction.locale)
        if not message.attachments:
            await notice(interaction, self.bot.text("cred.error.no_attachment", lang))
            return
        await self.check(interaction, message.attachments[0], ephemeral=True)

    async def check(
        self, interaction: discord.Interaction, attachment: discord.Attachment, *, ephemeral: bool
    ) -> None:
        from bot.credentials.model import MAX_BYTES

        bot = self.bot
        lang = locale_lang(interaction.locale)
        if attachment.size > MAX_BYTES:  # refused before downloading it
            text = bot.text("cred.error.too_big", lang, size=f"{attachment.size:,}", limit=f"{MAX_BYTES:,}")
            await notice(interaction, text)
            return
        retry = self.cooldown.hit(interaction.user.id)
        if retry is not None:
            await notice(interaction, bot.text("ui.cooldown", lang, seconds=math.ceil(retry)))
            return
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        try:
            data = await attachment.read()
        except (discord.HTTPException, discord.NotFound):
            await notice(interaction, bot.text("cred.error.download", lang))
            return
        outcome = await self._report(data, lang)
        if isinstance(outcome, str):
            await notice(interaction, outcome)
            return
        report, messages = outcome
        reply = Reply(question=f"/verify {report.model}", lang=lang, status="answer")
        await bot.run_engine(bot._log, reply, interaction.user.id)
        log.info(
            "credential checked: %s/%s, %s, %d bytes",
            report.model,
            report.container,
            report.outcome,
            len(data),
        )
        for embeds in messages:
            await interaction.followup.send(embeds=embeds, ephemeral=ephemeral, allowed_mentions=NONE)

    async def _report(self, data: bytes, lang: str) -> tuple[Any, list[list[discord.Embed]]] | str:
        """The report and its messages, or the one sentence explaining why there is none."""
        from bot.credentials.knowledge import CredentialKnowledge, KnowledgeMissing
        from bot.credentials.model import CredentialError
        from bot.credentials.report import check_file

        bot = self.bot
        try:
            knowledge = await bot.run_engine(CredentialKnowledge.from_engine, bot.engine)
        except KnowledgeMissing as exc:
            log.error("credential check impossible: knowledge entry %s missing", exc)
            return bot.text("cred.error.knowledge", lang, entry=str(exc))
        loop = asyncio.get_running_loop()
        work = functools.partial(check_file, data, knowledge, lang, pins=self.pins)
        try:
            report = await loop.run_in_executor(self._executor, work)
        except CredentialError as exc:
            log.info("credential file refused: %s", exc.message.key)
            return render.truncate(
                render.neutralise(bot.text(exc.message.key, lang, **exc.message.values)), 2000
            )
        except Exception as exc:  # never log the exception text: it could quote the file
            log.error("credential check failed with %s", type(exc).__name__)
            return bot.text("cred.error.failed", lang)
        return report, report_messages(report, knowledge.strings)


def report_messages(report: Any, strings: Any) -> list[list[discord.Embed]]:
    """The report as embeds within Discord's limits, packed into messages."""
    from bot.credentials.model import Text
    from bot.credentials.present import Presenter

    p = Presenter(report, strings, escape=_escape)
    description = "\n".join(p.signature_lines() + p.warning_lines())
    items: list[Item] = []
    for heading, findings in (
        (report.elements_title, report.elements),
        (report.requirements_title, report.requirements),
    ):
        items.append(Item(label=f"__{heading}__", text=render.ZWSP))
        items += [Item(label=p.finding_label(f), text=p.finding_text(f)) for f in findings]
    items += [Item(label=s.title, text="\n".join(f"• {line}" for line in s.lines)) for s in p.sections()]
    if report.sources:
        sources = "\n".join(f"<{url}>" for url in report.sources)
        items.append(Item(label=p.say(Text("console.sources")), text=sources))
    embeds = render.build_embeds(
        p.title(),
        description,
        items,
        colour=COLOURS.get(report.outcome, COLOURS["not_checked"]),
        continued=p.say(Text("render.continued")) or "(…)",
    )
    return render.pack(embeds)


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Verify(bot))
