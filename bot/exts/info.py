"""`/requirements`, `/credential`, `/check` (options or a form) and `/about`.

Every engine call goes through `ack_soon`, so a busy engine (a locked database, every engine worker
taken) makes the bot say "thinking…" in time instead of failing Discord's 3-second deadline.
`/about` also tells moderators which permissions the bot lacks in the channel and in the server's
help channels (and what that costs).
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot import render
from bot.client import CMFBot
from bot.engine.compliance import ASSESSMENTS, parse_facts
from bot.engine.compliance import TRANSCRIPT_ITEMS as TRANSCRIPT_PARTS
from bot.engine.model import Reply
from bot.i18n import locale_lang
from bot.ui import CheckModal, ack_soon, notice, respond, send_reply, within

AUTOCOMPLETE_BUDGET = 2.0

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


_CREDIT_FACTS = ("ects", "uk_credits", "us_credits")


def _credits(raw: str) -> dict[str, Any]:
    """The credits typed into the form's one credits field: a bare figure is ECTS; a figure with its
    unit is read as a question's would be ("5 ECTS", "30 UK credits", "4 crédits US"), and "30 UK"
    as "30 UK credits". One figure in one unit, or FactsError."""
    text = raw.strip()
    if not text:
        return {}
    if re.fullmatch(r"[\d.,]+", text):
        return {"ects": _number(text)}
    for candidate in (text, f"{text} credits"):
        stated = parse_facts(candidate)
        found = {name: float(stated[name]) for name in _CREDIT_FACTS if name in stated}
        if found:
            break
    if len(found) != 1 or not re.fullmatch(r"\D*\d[\d.,]*\D*", text):
        raise FactsError("ui.check.bad_credits", raw)
    return found


def facts_from_form(
    *, hours: str, eqf: str, credits: str, assessment: str, id_verification: str
) -> dict[str, Any]:
    """The compliance facts typed into the /check form; raises FactsError for a value it cannot read."""
    facts: dict[str, Any] = {}
    if (value := _number(hours)) is not None:
        facts["study_hours"] = value
    if (value := _number(eqf, integer=True)) is not None:
        facts["eqf_level"] = value
    facts |= _credits(credits)
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
    work = bot.run_engine(bot.compliance_logged, facts, lang, interaction.user.id)
    reply, qid = await ack_soon(interaction, work)
    await send_reply(interaction, reply, lang, qid=qid, sources_key="c")


PERMISSION_NAMES: tuple[str, ...] = (
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "embed_links",
    "read_message_history",
    "add_reactions",
)
"""What the bot needs where it answers free text (see `bot.client.PERMISSIONS`), in the order shown."""


def missing_permissions(perms: discord.Permissions, *, forum_tag: bool = False) -> list[str]:
    """The names (`PERMISSION_NAMES`, plus manage_threads for a solved tag) the bot lacks."""
    wanted = [*PERMISSION_NAMES, *(["manage_threads"] if forum_tag else [])]
    return [name for name in wanted if not getattr(perms, name)]


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
        work = bot.run_engine(bot.checklist_logged, value, lang, interaction.user.id)
        reply, qid = await ack_soon(interaction, work)
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

        def profile(course_id: str) -> tuple[str, tuple[Reply, int | None]] | None:
            if not bot.has_course(course_id):  # typed without picking: the best title match, if any
                matches = bot.engine.course_choices(course_id, limit=1)
                if not matches:
                    return None
                course_id = matches[0][0]
            return course_id, bot.credential_logged(course_id, lang, interaction.user.id)

        found = await ack_soon(interaction, bot.run_engine(profile, course_id))
        if found is None:
            await notice(interaction, bot.text("ui.credential.unknown", lang))
            return
        course_id, (reply, qid) = found
        await send_reply(interaction, reply, lang, qid=qid, sources_key=f"p.{course_id}")

    @credential.autocomplete("name")
    async def credential_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        work = self.bot.run_engine(self.bot.engine.course_choices, current[:100], limit=25)
        choices = await within(work, AUTOCOMPLETE_BUDGET, self.bot.clock, [])
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
        uk_credits="UK credits (set beside FutureLearn's 10-15, never read as hours)",
        us_credits="US credits (set beside FutureLearn's 2-3, never read as hours)",
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
        uk_credits: app_commands.Range[float, 0, 1000] | None = None,
        us_credits: app_commands.Range[float, 0, 1000] | None = None,
    ) -> None:
        bot = self.bot
        lang = locale_lang(interaction.locale)
        given = (hours, eqf, ects, assessment, id_verification, transcript, uk_credits, us_credits)
        if all(value is None for value in given):
            await interaction.response.send_modal(CheckModal(bot, lang, interaction.user.id))
            return
        facts: dict[str, Any] = {}
        if hours is not None:
            facts["study_hours"] = hours
        if eqf is not None:
            facts["eqf_level"] = eqf
        if ects is not None:
            facts["ects"] = ects
        if uk_credits is not None:
            facts["uk_credits"] = uk_credits
        if us_credits is not None:
            facts["us_credits"] = us_credits
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
        counts = await ack_soon(interaction, bot.run_engine(bot.kb_counts))
        role = bot.moderator_role_name(interaction.guild)
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
        if bot.is_moderator(interaction):
            self.add_permission_field(embed, interaction, lang)
        await respond(interaction, embeds=[embed], ephemeral=False)

    def add_permission_field(self, embed: discord.Embed, interaction: discord.Interaction, lang: str) -> None:
        """For moderators: what the bot lacks here and in the help channels, and what that costs."""
        bot = self.bot
        guild = interaction.guild
        config = bot.server_config(guild.id if guild else None)
        names = {name: bot.text(f"perm.{name}", lang) for name in (*PERMISSION_NAMES, "manage_threads")}
        lines = []
        here = missing_permissions(interaction.app_permissions)
        if here:
            lines.append(bot.text("ui.about.perms_here", lang, perms=", ".join(names[n] for n in here)))
        for channel_id in config.help_channel_ids:
            channel = guild.get_channel(channel_id) if guild else None
            perms = bot.permissions_in(channel) if channel is not None else None
            if channel is None or perms is None:
                continue
            forum = channel.type == discord.ChannelType.forum
            lacking = missing_permissions(perms, forum_tag=bool(config.solved_tag) and forum)
            if lacking:
                lines.append(
                    bot.text(
                        "ui.about.perms_channel",
                        lang,
                        channel=f"<#{channel_id}>",
                        perms=", ".join(names[n] for n in lacking),
                    )
                )
        if lines:
            lines.append(bot.text("ui.about.perms_effect", lang))
        text = "\n".join(lines) if lines else bot.text("ui.about.perms_ok", lang)
        embed.add_field(
            name=render.truncate(bot.text("ui.about.perms_title", lang), render.FIELD_NAME_MAX),
            value=render.truncate(render.neutralise(text), render.FIELD_VALUE_MAX),
            inline=False,
        )


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Info(bot))
