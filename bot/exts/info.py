"""`/requirements`, `/credential`, `/check` (options or a form) and `/about`."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot import render
from bot.client import CMFBot
from bot.engine.compliance import ASSESSMENTS
from bot.engine.compliance import TRANSCRIPT_ITEMS as TRANSCRIPT_PARTS
from bot.i18n import locale_lang
from bot.ui import CheckModal, notice, send_reply

_YES = {"yes", "y", "true", "1", "oui", "o", "si", "sí", "sì", "ja", "j"}
_NO = {"no", "n", "false", "0", "non", "nein"}


class FactsError(ValueError):
    """A form value could not be read; `key` is the UI string explaining it."""

    def __init__(self, key: str, value: str) -> None:
        super().__init__(key)
        self.key, self.value = key, render.quote_user(value, 60)


def _number(raw: str, *, integer: bool = False) -> float | int | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    if not re.fullmatch(r"\d{1,5}(\.\d{1,2})?", text):
        raise FactsError("ui.check.bad_number", raw)
    value = float(text)
    if integer:
        if not value.is_integer() or not 1 <= value <= 8:
            raise FactsError("ui.check.bad_eqf", raw)
        return int(value)
    return value


def facts_from_form(
    *, hours: str, eqf: str, ects: str, assessment: str, id_verification: str
) -> dict[str, Any]:
    """The compliance facts typed into the /check form; raises FactsError for a value it cannot read."""
    facts: dict[str, Any] = {}
    if (value := _number(hours)) is not None:
        facts["study_hours"] = value
    if (value := _number(eqf, integer=True)) is not None:
        facts["eqf_level"] = value
    if (value := _number(ects)) is not None:
        facts["ects"] = value
    kind = assessment.strip().lower().replace(" ", "-")
    if kind:
        if kind not in ASSESSMENTS:
            raise FactsError("ui.check.bad_assessment", assessment)
        facts["assessment"] = kind
    answer = id_verification.strip().lower()
    if answer:
        if answer not in _YES | _NO:
            raise FactsError("ui.check.bad_yes_no", id_verification)
        facts["id_verification"] = answer in _YES
    return facts


def parse_transcript(raw: str) -> list[str]:
    parts = [p.strip().lower().replace(" ", "-") for p in re.split(r"[,;]", raw) if p.strip()]
    for part in parts:
        if part not in TRANSCRIPT_PARTS:
            raise FactsError("ui.check.bad_transcript", part)
    return list(dict.fromkeys(parts))


async def send_compliance(interaction: discord.Interaction, facts: dict[str, Any], lang: str) -> None:
    bot: CMFBot = interaction.client  # type: ignore[assignment]
    reply, qid = await bot.run_engine(bot.compliance_logged, facts, lang, interaction.user.id)
    await send_reply(interaction, reply, lang, qid=qid, sources_key="c")


AUDIENCE_CHOICES = [
    app_commands.Choice(name=locale_str("learners", key="choice.audience.learner"), value="learner"),
    app_commands.Choice(name=locale_str("employers", key="choice.audience.employer"), value="employer"),
    app_commands.Choice(
        name=locale_str("universities", key="choice.audience.university"), value="university"
    ),
]
ASSESSMENT_CHOICES = [
    app_commands.Choice(name=locale_str(value, key=f"choice.assessment.{value}"), value=value)
    for value in ASSESSMENTS
]


class Info(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot

    @app_commands.command(name="requirements", description="The CMF requirements as a checklist")
    @app_commands.describe(audience="Who the checklist is worded for")
    @app_commands.choices(audience=AUDIENCE_CHOICES)
    async def requirements(
        self, interaction: discord.Interaction, audience: app_commands.Choice[str] | None = None
    ) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        value = audience.value if audience else None
        reply, qid = await bot.run_engine(bot.checklist_logged, value, lang, interaction.user.id)
        await send_reply(interaction, reply, lang, qid=qid, sources_key=f"r.{value or 'all'}")

    @app_commands.command(name="credential", description="What a credential from the catalogue certifies")
    @app_commands.describe(name="The course or microcredential (start typing its title)")
    async def credential(self, interaction: discord.Interaction, name: str) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        course_id = name.strip()
        if not course_id or len(course_id) > 100:
            await notice(interaction, bot.text("ui.credential.unknown", lang))
            return
        if not await bot.run_engine(bot.has_course, course_id):
            # typed without picking: take the best title match, if any
            matches = await bot.run_engine(bot.engine.course_choices, course_id, limit=1)
            if not matches:
                await notice(interaction, bot.text("ui.credential.unknown", lang))
                return
            course_id = matches[0][0]
        reply, qid = await bot.run_engine(bot.credential_logged, course_id, lang, interaction.user.id)
        await send_reply(interaction, reply, lang, qid=qid, sources_key=f"p.{course_id}")

    @credential.autocomplete("name")
    async def credential_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        choices = await self.bot.run_engine(self.bot.engine.course_choices, current[:100], limit=25)
        return [
            app_commands.Choice(name=render.truncate(title, 100), value=course_id)
            for course_id, title in choices[:25]
            if len(course_id) <= 100
        ]

    @app_commands.command(
        name="check", description="Does a course meet the CMF? Give its facts, or none for a form"
    )
    @app_commands.describe(
        hours="Total study hours",
        eqf="EQF level (1-8)",
        ects="ECTS credits",
        assessment="How learners are assessed",
        id_verification="Is the learner's identity verified at assessment?",
        transcript="What the transcript states, e.g. learning-outcomes, study-hours, eqf-level, credits",
    )
    @app_commands.choices(assessment=ASSESSMENT_CHOICES)
    async def check(
        self,
        interaction: discord.Interaction,
        hours: app_commands.Range[float, 0, 10000] | None = None,
        eqf: app_commands.Range[int, 1, 8] | None = None,
        ects: app_commands.Range[float, 0, 1000] | None = None,
        assessment: app_commands.Choice[str] | None = None,
        id_verification: bool | None = None,
        transcript: str | None = None,
    ) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        given = (hours, eqf, ects, assessment, id_verification, transcript)
        if all(value is None for value in given):
            await interaction.response.send_modal(CheckModal(bot, lang))
            return
        facts: dict[str, Any] = {}
        if hours is not None:
            facts["study_hours"] = hours
        if eqf is not None:
            facts["eqf_level"] = eqf
        if ects is not None:
            facts["ects"] = ects
        if assessment is not None:
            facts["assessment"] = assessment.value
        if id_verification is not None:
            facts["id_verification"] = id_verification
        if transcript:
            try:
                facts["transcript"] = parse_transcript(transcript[:200])
            except FactsError as exc:
                await notice(interaction, bot.text(exc.key, lang, value=exc.value))
                return
        await send_compliance(interaction, facts, lang)

    @app_commands.command(
        name="about", description="What this bot knows, where its facts come from, who to ask"
    )
    async def about(self, interaction: discord.Interaction) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        counts = await bot.run_engine(bot.kb_counts)
        role = bot.settings.moderator_role
        if role.isdigit() and interaction.guild is not None:
            found = interaction.guild.get_role(int(role))
            role = found.name if found else role
        embed = discord.Embed(
            title=render.truncate(bot.text("ui.about.title", lang), render.TITLE_MAX),
            description=render.truncate(
                render.neutralise(bot.text("ui.about.body", lang, **counts)), render.DESCRIPTION_MAX
            ),
            colour=0x2B6CB0,
        )
        embed.add_field(
            name=render.truncate(bot.text("ui.about.sources_title", lang), render.FIELD_NAME_MAX),
            value=render.truncate(bot.text("ui.about.sources", lang), render.FIELD_VALUE_MAX),
            inline=False,
        )
        embed.add_field(
            name=render.truncate(bot.text("ui.about.moderator_title", lang), render.FIELD_NAME_MAX),
            value=render.truncate(
                render.neutralise(bot.text("ui.about.moderator", lang, role=role)), render.FIELD_VALUE_MAX
            ),
            inline=False,
        )
        await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Info(bot))
