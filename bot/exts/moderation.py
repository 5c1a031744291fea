"""`/kb …`: the moderators' commands, a thin Discord layer over `bot.moderation.service`.

Who may use them: members with the configured moderator role (`Settings.moderator_role`, a name or
an id) or the Manage Server permission. The group is registered with
`default_permissions(manage_guild=True)`, so Discord hides it from everyone else until a server admin
grants it to the moderator role (Server Settings → Integrations); the bot checks again on every
command, button and form, answers anyone else with a short ephemeral refusal and logs the attempt.

Every reply is ephemeral (moderation stays out of the help channels) and never pings. Service calls
run on a worker thread (`asyncio.to_thread`) over the bot's own database connection, one at a time;
after a change the engine reloads on its thread, so the next question already uses it. Every command
that reads or writes the database acknowledges first ("thinking…"), so a busy or locked database
never makes Discord say "The application did not respond"; `/kb edit`, which must answer with its
form, gives up after `FORM_FETCH_BUDGET` seconds with a short "busy, try again".

`/kb settings` shows and changes this server's settings (help channels, moderator role, answer mode,
forum "solved" tag), stored in the database by `bot.guild_settings`.

`/kb add` and the five languages: the knowledge base requires every entry in en, fr, es, it and de.
The add form takes the id, the sources and one language (title, answer, how people ask); the reply
has a button per language opening the same form for it, and "Create", enabled once all five are
written. Create adds the entry and an intent with the same id (its phrasings are the lines typed
under "how people ask"), in one transaction, only if the service accepts both; otherwise it says
why and the draft stays open to fix.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot import render
from bot.client import CMFBot
from bot.engine.model import LANGS
from bot.engine.paths import PROJECT_ROOT
from bot.exts._moderation_ui import (
    NONE,
    ConfirmDelete,
    Draft,
    DraftModal,
    DraftView,
    EditModal,
    GapsView,
    IntentPicker,
)
from bot.guild_settings import ANSWER_MODES, TAG_MAX, GuildSettings
from bot.i18n import Strings, bundled_strings, locale_lang
from bot.id_lookup import ID_MAX, IdLookup
from bot.moderation.service import (
    Change,
    ConflictError,
    InvalidError,
    KnowledgeService,
    ServiceError,
    StoredObject,
)
from bot.ui import ack_soon, defer, respond, within

log = logging.getLogger(__name__)

T = TypeVar("T")

UI_FILE = PROJECT_ROOT / "knowledge" / "ui" / "moderation.yaml"
EPHEMERAL_CONTENT_MAX = render.CONTENT_MAX
CODE_MAX = render.DESCRIPTION_MAX - 20
"""The longest YAML shown in an embed's code block; longer sources are attached as a file."""
GAPS_SHOWN = 5
HISTORY_SHOWN = 20
AUTOCOMPLETE_MAX = 25
AUTOCOMPLETE_BUDGET = 2.0
"""Seconds an id autocomplete may wait for the database (it cannot be deferred); then it offers nothing."""
IMPORT_FORMATS = ("moochub", "csv", "yaml")
COLOUR = 0x2F855A
CONFLICT_COLOUR = 0xC53030
FORM_FETCH_BUDGET = 2.0
"""Seconds `/kb edit` waits for the entry before answering "busy" (a form cannot follow a defer)."""
TOKEN_BUDGET = 13 * 60.0
"""Seconds after which a long import says it will report by direct message (tokens live 15 minutes)."""
HELP_CHANNEL_TYPES = discord.TextChannel | discord.ForumChannel
ANSWER_MODE_CHOICES = [
    app_commands.Choice(name=locale_str(mode, key=f"choice.answer_mode.{mode}"), value=mode)
    for mode in ANSWER_MODES
]

LANG_CHOICES = [app_commands.Choice(name=code, value=code) for code in LANGS]
FORMAT_CHOICES = [app_commands.Choice(name=name, value=name) for name in IMPORT_FORMATS]
PLATFORMS = ("FutureLearn", "FUN", "MiríadaX", "EduOpen", "iMooX", "OpenupEd")
PLATFORM_CHOICES = [app_commands.Choice(name=name, value=name) for name in PLATFORMS]


def who(author: str | None) -> str:
    """`discord:<id>` as a mention (shown as the member's name, never pinging); else the author as is."""
    if author and re.fullmatch(r"discord:\d{1,20}", author):
        return f"<@{author.split(':', 1)[1]}>"
    return render.neutralise(discord.utils.escape_markdown(author or "?"))


def code_block(text: str) -> str:
    return "```yaml\n" + text.replace("```", "`\u200b``") + "\n```"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class Moderation(commands.Cog):
    kb = app_commands.Group(
        name="kb",
        description="Moderators: keep the bot's knowledge base right",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )
    phrase = app_commands.Group(name="phrase", description="Teach or unteach a way of asking", parent=kb)

    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot
        self.strings = Strings(bot.engine, {**bundled_strings(), **bundled_strings(UI_FILE)})
        self._db: Any = None
        self._db_lock = threading.Lock()
        self._ids: IdLookup | None = None

    # -- plumbing -------------------------------------------------------------------------------

    def t(self, key: str, lang: str, **values: Any) -> str:
        return self.strings.get(key, lang, **values)

    def _database(self) -> Any:
        """The bot's own connection to the engine's database file (the engine keeps its own)."""
        if self._db is None:
            from bot.engine.store import connect

            # the engine's database file (an in-memory engine shares nothing: a database of its own)
            self._db = connect(self.bot.engine.database_file or ":memory:")
        return self._db

    def _run_sync(self, user_id: int, action: Callable[[KnowledgeService], T]) -> T:
        with self._db_lock:
            return action(KnowledgeService(self._database(), f"discord:{user_id}"))

    async def run(self, interaction: discord.Interaction, action: Callable[[KnowledgeService], T]) -> T:
        """Run a service action for the interaction's user on a worker thread."""
        return await asyncio.to_thread(self._run_sync, interaction.user.id, action)

    async def reload(self) -> None:
        """Make the engine load a change now (on its own thread), so the next question uses it."""
        await self.bot.run_engine(self.bot.engine.refresh)

    async def apply(
        self, interaction: discord.Interaction, action: Callable[[KnowledgeService], T], lang: str
    ) -> T | None:
        """Run a change and reload the engine; None if the service refused it (the moderator is told why)."""
        try:
            result = await self.run(interaction, action)
        except ServiceError as exc:
            await self.fail(interaction, exc, lang)
            return None
        await self.reload()
        return result

    async def cog_unload(self) -> None:
        """Close the cog's own connection once no service call uses it (a call still running on a
        worker thread keeps it open: closing it under that thread could crash the process)."""
        if self._ids is not None:
            ids, self._ids = self._ids, None
            await asyncio.to_thread(ids.close)
        if self._db is not None:
            await asyncio.to_thread(self._close_db)

    def _close_db(self) -> None:
        if not self._db_lock.acquire(timeout=3.0):
            log.warning("a knowledge-base change is still running; its connection is left open")
            return
        try:
            self._db.conn.close()
            self._db = None
        finally:
            self._db_lock.release()

    def is_moderator(self, interaction: discord.Interaction) -> bool:
        return self.bot.is_moderator(interaction)

    async def gate(self, interaction: discord.Interaction, what: str) -> bool:
        """True for a moderator; anyone else gets an ephemeral refusal, and the attempt is logged."""
        if self.is_moderator(interaction):
            return True
        log.warning("refused /kb %s for user %s: not a moderator", what, interaction.user.id)
        role = self.bot.moderator_role_name(interaction.guild)
        await self.say(interaction, self.t("mod.discord.refused", locale_lang(interaction.locale), role=role))
        return False

    async def refuse_not_yours(self, interaction: discord.Interaction, lang: str) -> None:
        await self.say(interaction, self.t("mod.discord.not_yours", lang))

    async def say(
        self,
        interaction: discord.Interaction,
        content: str | None = None,
        *,
        embeds: list[discord.Embed] | None = None,
        view: discord.ui.View | None = None,
        file: discord.File | None = None,
    ) -> None:
        """An ephemeral reply (in place of "thinking…", or a follow-up), never pinging."""
        text = None if content is None else render.truncate(content, EPHEMERAL_CONTENT_MAX)
        await respond(interaction, ephemeral=True, content=text, embeds=embeds, view=view, file=file)

    async def say_long(self, interaction: discord.Interaction, title: str, text: str, **kw: Any) -> None:
        """Text that may be longer than one embed: split across embeds and messages."""
        messages = render.pack(render.build_embeds(title, text, colour=kw.pop("colour", COLOUR)))
        for embeds in messages:
            await self.say(interaction, embeds=embeds)

    async def fail(self, interaction: discord.Interaction, exc: ServiceError, lang: str) -> None:
        """A refused action: the service's reason, in the moderator's language."""
        text = exc.localized(lang)
        if isinstance(exc, InvalidError):
            await self.say_long(interaction, self.t("mod.discord.invalid_title", lang), text)
            return
        await self.say(interaction, render.neutralise(text))

    async def think(self, interaction: discord.Interaction) -> None:
        """Acknowledge at once (an ephemeral "thinking…"), for actions that may take a few seconds."""
        await defer(interaction, ephemeral=True)

    # -- autocomplete (indexed queries on a connection of their own, off the event loop) --------

    async def _id_lookup(self) -> IdLookup | None:
        """The cog's id lookup over the engine's database file (None for an in-memory database)."""
        if self._ids is None:
            path = await self.bot.run_engine(self._database_path)
            if not path:
                return None
            if self._ids is None:  # another autocomplete may have made it meanwhile
                self._ids = IdLookup(path)
        return self._ids

    def _database_path(self) -> str:
        return str(self.bot.engine.database_file or "")

    async def _choices(self, types: tuple[str, ...], current: str) -> list[app_commands.Choice[str]]:
        """Up to 25 ids for what was typed; nothing if the database does not answer within the budget."""

        async def find() -> list[str]:
            lookup = await self._id_lookup()  # the first time, asks the engine's thread for the path
            if lookup is None:
                return []
            return await lookup.find(types, current[:ID_MAX], AUTOCOMPLETE_MAX)

        ids = await within(find(), AUTOCOMPLETE_BUDGET, self.bot.clock, [])
        return [app_commands.Choice(name=i, value=i) for i in ids]

    async def entry_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(("entry",), current)

    async def object_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(("entry", "intent", "course"), current)

    async def intent_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._choices(("intent",), current)

    # -- show -----------------------------------------------------------------------------------

    @kb.command(name="show", description="Show an entry, intent or course as its YAML source")
    @app_commands.rename(object_id="id")
    @app_commands.describe(object_id="The id of the entry, intent or course")
    async def show(self, interaction: discord.Interaction, object_id: str) -> None:
        if not await self.gate(interaction, "show"):
            return
        lang = locale_lang(interaction.locale)
        await self.think(interaction)
        try:
            text = await self.run(interaction, lambda s: s.show(object_id.strip()))
        except ServiceError as exc:
            await self.fail(interaction, exc, lang)
            return
        if len(text) <= CODE_MAX:
            embed = discord.Embed(description=code_block(text), colour=COLOUR)
            await self.say(interaction, embeds=[embed])
            return
        data = io.BytesIO(text.encode("utf-8"))
        note = self.t("mod.discord.show.attached", lang, id=object_id.strip())
        await self.say(interaction, note, file=discord.File(data, filename=f"{object_id.strip()[:90]}.yaml"))

    show.autocomplete("object_id")(object_ids)

    # -- edit -----------------------------------------------------------------------------------

    @kb.command(name="edit", description="Edit an entry's title and answer in one language (a form)")
    @app_commands.rename(entry_id="id")
    @app_commands.describe(entry_id="The entry to edit", lang="Which language (default: yours)")
    @app_commands.choices(lang=LANG_CHOICES)
    async def edit(
        self, interaction: discord.Interaction, entry_id: str, lang: app_commands.Choice[str] | None = None
    ) -> None:
        if not await self.gate(interaction, "edit"):
            return
        ui_lang = locale_lang(interaction.locale)
        text_lang = lang.value if lang else ui_lang
        try:
            work = self.run(interaction, lambda s: s.get(entry_id.strip(), "entry"))
            obj: StoredObject | None = await within(work, FORM_FETCH_BUDGET, self.bot.clock, None)
        except ServiceError as exc:
            await self.fail(interaction, exc, ui_lang)
            return
        if obj is None:  # too slow; the form must be the first response: no "thinking…" possible
            await self.say(interaction, self.t("mod.discord.busy", ui_lang))
            return
        title = (obj.data.get("title") or {}).get(text_lang, "")
        answer = (obj.data.get("answer") or {}).get(text_lang, "")
        if len(title) > 256 or len(answer) > 4000:
            await self.say(interaction, self.t("mod.discord.edit.too_long", ui_lang, id=obj.id))
            return
        modal = EditModal(self, ui_lang, obj.id, text_lang, obj.version, title, answer, interaction.user.id)
        await interaction.response.send_modal(modal)

    edit.autocomplete("entry_id")(entry_ids)

    async def save_edit(
        self,
        interaction: discord.Interaction,
        entry_id: str,
        text_lang: str,
        version: int,
        title: str,
        answer: str,
    ) -> None:
        """The edit form was submitted: save it if nobody changed the entry since the form opened."""
        if not await self.gate(interaction, "edit"):
            return
        lang = locale_lang(interaction.locale)
        await self.think(interaction)
        try:
            change = await self.run(
                interaction,
                lambda s: s.edit_entry(
                    entry_id, text_lang, title=title, answer=answer, expected_version=version
                ),
            )
        except ConflictError as exc:
            await self.conflict(interaction, exc, text_lang, title, answer, lang)
            return
        except ServiceError as exc:
            await self.fail(interaction, exc, lang)
            return
        if not change.changed:
            await self.say(interaction, self.t("mod.discord.unchanged", lang, id=entry_id))
            return
        await self.reload()
        await self.say(
            interaction,
            self.t(
                "mod.discord.edit.saved",
                lang,
                id=entry_id,
                language=text_lang,
                revision=change.revision,
                version=change.version,
            ),
        )

    async def conflict(
        self,
        interaction: discord.Interaction,
        exc: ConflictError,
        text_lang: str,
        title: str,
        answer: str,
        lang: str,
    ) -> None:
        """Someone saved first: show the newer text and who saved it, and give back what was typed."""
        current = exc.current
        head = self.t(
            "mod.discord.conflict",
            lang,
            id=current.id,
            who=who(current.updated_by),
            when=(current.updated_at or "?").replace("T", " "),
            version=current.version,
        )
        newer_title = (current.data.get("title") or {}).get(text_lang, "")
        newer_answer = (current.data.get("answer") or {}).get(text_lang, "")
        embeds = render.build_embeds(
            newer_title,
            newer_answer,
            colour=CONFLICT_COLOUR,
            footer=self.t("mod.discord.conflict.newer", lang),
        ) + render.build_embeds(
            title, answer, colour=0x718096, footer=self.t("mod.discord.conflict.yours", lang)
        )
        await self.say(interaction, head)
        for part in render.pack(embeds):
            await self.say(interaction, embeds=part)

    # -- add ------------------------------------------------------------------------------------

    @kb.command(name="add", description="Add a new entry through a form, one language at a time")
    @app_commands.describe(lang="The language you write first (default: yours)")
    @app_commands.choices(lang=LANG_CHOICES)
    async def add(
        self, interaction: discord.Interaction, lang: app_commands.Choice[str] | None = None
    ) -> None:
        if not await self.gate(interaction, "add"):
            return
        ui_lang = locale_lang(interaction.locale)
        await self.start_draft(interaction, ui_lang, first=lang.value if lang else ui_lang)

    async def start_draft(
        self, interaction: discord.Interaction, lang: str, *, first: str | None = None, group: Any = None
    ) -> None:
        """Open the first form of a new entry (from a gap: its question pre-filled as a phrasing)."""
        draft = Draft(owner=interaction.user.id, first=first or lang)
        if group is not None:
            from bot.moderation.service import slug as _slug

            draft.first = group.lang if group.lang in LANGS else lang
            draft.entry_id = _slug(group.text)[:60].strip("-")
            draft.texts[draft.first] = {"title": "", "answer": "", "phrasings": group.text}
        await interaction.response.send_modal(DraftModal(self, lang, draft, draft.first))

    def draft_embed(self, draft: Draft, lang: str) -> discord.Embed:
        missing = draft.missing()
        lines = [
            f"{'✏️' if code in missing else '✅'} **{code}** "
            + render.neutralise(discord.utils.escape_markdown((draft.texts.get(code) or {}).get("title", "")))
            for code in LANGS
        ]
        embed = discord.Embed(
            title=render.truncate(self.t("mod.discord.add.draft", lang, id=draft.entry_id or "?"), 256),
            description=render.truncate("\n".join(lines), render.DESCRIPTION_MAX),
            colour=COLOUR,
        )
        hint = "mod.discord.add.missing" if missing else "mod.discord.add.ready"
        embed.set_footer(text=render.truncate(self.t(hint, lang, langs=", ".join(missing)), 2048))
        return embed

    async def show_draft(self, interaction: discord.Interaction, draft: Draft, lang: str) -> None:
        """After a draft form: the draft message with its language buttons (new, or updated in place)."""
        if draft.view is not None:
            draft.view.stop()
        view = draft.view = DraftView(self, draft, lang)
        embed = self.draft_embed(draft, lang)
        if draft.started and interaction.message is not None:
            await interaction.response.edit_message(embed=embed, view=view, allowed_mentions=NONE)
        else:
            draft.started = True
            await self.say(interaction, embeds=[embed], view=view)

    async def create_entry(self, interaction: discord.Interaction, draft: Draft, lang: str) -> None:
        if not await self.gate(interaction, "add"):
            return
        missing = draft.missing()
        if missing:
            await self.say(interaction, self.t("mod.discord.add.missing", lang, langs=", ".join(missing)))
            return
        entry, intent = draft.entry(), draft.intent()

        def create(service: KnowledgeService) -> tuple[Any, Any]:
            from bot.engine.store import transaction

            with transaction(service.db):
                return service.add_entry(entry), service.add_intent(intent)

        await interaction.response.defer()
        made = await self.apply(interaction, create, lang)
        if made is None:
            return
        made_entry, made_intent = made
        await interaction.edit_original_response(
            content=self.t(
                "mod.discord.add.created",
                lang,
                id=draft.entry_id,
                revision=made_entry.revision,
                intent_revision=made_intent.revision,
            ),
            embed=None,
            view=None,
            allowed_mentions=NONE,
        )

    # -- delete ---------------------------------------------------------------------------------

    @kb.command(name="delete", description="Delete an entry (asks you to confirm)")
    @app_commands.rename(entry_id="id")
    @app_commands.describe(entry_id="The entry to delete")
    async def delete(self, interaction: discord.Interaction, entry_id: str) -> None:
        if not await self.gate(interaction, "delete"):
            return
        lang = locale_lang(interaction.locale)
        await self.think(interaction)
        try:
            obj = await self.run(interaction, lambda s: s.get(entry_id.strip(), "entry"))
        except ServiceError as exc:
            await self.fail(interaction, exc, lang)
            return
        title = (obj.data.get("title") or {}).get(lang) or (obj.data.get("title") or {}).get("en", "")
        embed = discord.Embed(
            title=render.truncate(render.neutralise(title), 256),
            description=self.t("mod.discord.delete.ask", lang, id=obj.id, version=obj.version),
            colour=CONFLICT_COLOUR,
        )
        await self.say(
            interaction,
            embeds=[embed],
            view=ConfirmDelete(self, interaction.user.id, lang, obj.id, obj.version),
        )

    delete.autocomplete("entry_id")(entry_ids)

    async def do_delete(
        self, interaction: discord.Interaction, entry_id: str, version: int, lang: str
    ) -> None:
        if not await self.gate(interaction, "delete"):
            return
        await interaction.response.defer()
        try:
            change = await self.run(interaction, lambda s: s.delete_entry(entry_id, expected_version=version))
        except ServiceError as exc:
            await interaction.edit_original_response(view=None)
            await self.fail(interaction, exc, lang)
            return
        await self.reload()
        await interaction.edit_original_response(
            content=self.t("mod.discord.delete.done", lang, id=entry_id, revision=change.revision),
            embed=None,
            view=None,
            allowed_mentions=NONE,
        )

    # -- phrasings ------------------------------------------------------------------------------

    @phrase.command(name="add", description="Teach the bot a new way of asking (effective at once)")
    @app_commands.rename(intent_id="intent")
    @app_commands.describe(
        intent_id="The intent (the question it answers)",
        text="How people ask it",
        lang="The language of the text (default: detected)",
    )
    @app_commands.choices(lang=LANG_CHOICES)
    async def phrase_add(
        self,
        interaction: discord.Interaction,
        intent_id: str,
        text: app_commands.Range[str, 1, 300],
        lang: app_commands.Choice[str] | None = None,
    ) -> None:
        if not await self.gate(interaction, "phrase add"):
            return
        ui_lang = locale_lang(interaction.locale)
        await self.think(interaction)
        text_lang = lang.value if lang else await self.bot.run_engine(self.bot.detect_lang, text)
        await self.change_phrasing(interaction, intent_id, text, text_lang, ui_lang)

    phrase_add.autocomplete("intent_id")(intent_ids)

    @phrase.command(name="remove", description="Remove a way of asking from an intent")
    @app_commands.rename(intent_id="intent")
    @app_commands.describe(
        intent_id="The intent", text="The phrasing to remove", lang="Its language (default: found)"
    )
    @app_commands.choices(lang=LANG_CHOICES)
    async def phrase_remove(
        self,
        interaction: discord.Interaction,
        intent_id: str,
        text: app_commands.Range[str, 1, 300],
        lang: app_commands.Choice[str] | None = None,
    ) -> None:
        if not await self.gate(interaction, "phrase remove"):
            return
        ui_lang = locale_lang(interaction.locale)
        await self.think(interaction)
        text_lang = lang.value if lang else self._phrasing_lang(intent_id.strip(), text)
        await self.change_phrasing(interaction, intent_id, text, text_lang, ui_lang, remove=True)

    phrase_remove.autocomplete("intent_id")(intent_ids)

    async def change_phrasing(
        self,
        interaction: discord.Interaction,
        intent_id: str,
        text: str,
        text_lang: str,
        lang: str,
        *,
        remove: bool = False,
    ) -> None:
        """Add (or remove) one phrasing of an intent, then say so, or why not."""

        def action(service: KnowledgeService) -> Change:
            change = service.remove_phrasing if remove else service.add_phrasing
            return change(intent_id.strip(), text_lang, text)

        change = await self.apply(interaction, action, lang)
        if change is None:
            return
        await self.say(
            interaction,
            self.t(
                "mod.discord.phrase.removed" if remove else "mod.discord.phrase.added",
                lang,
                text=render.quote_user(text, 300),
                intent=intent_id,
                language=text_lang,
                revision=change.revision,
            ),
        )

    def _phrasing_lang(self, intent_id: str, text: str) -> str:
        """The language an intent holds this phrasing in (else English, and the service says it's missing)."""
        from bot.engine.normalize import normalize

        intent = self.bot.engine.kb.intents.get(intent_id)
        key = normalize(text)
        for code, texts in (intent.phrasings if intent else {}).items():
            if any(normalize(t) == key for t in texts):
                return code
        return "en"

    # -- history and revert ---------------------------------------------------------------------

    @kb.command(name="history", description="Every change to an entry, intent or course, newest first")
    @app_commands.rename(object_id="id")
    @app_commands.describe(object_id="The id of the entry, intent or course")
    async def history(self, interaction: discord.Interaction, object_id: str) -> None:
        if not await self.gate(interaction, "history"):
            return
        lang = locale_lang(interaction.locale)
        await self.think(interaction)
        revisions = await self.run(interaction, lambda s: s.history(object_id.strip(), limit=HISTORY_SHOWN))
        if not revisions:
            await self.say(interaction, self.t("mod.discord.history.none", lang, id=object_id.strip()))
            return
        lines = []
        for rev in revisions:
            note = f" — {render.quote_user(rev.note, 120)}" if rev.note else ""
            when = rev.at.replace("T", " ")
            lines.append(f"**#{rev.id}** · {rev.action} {rev.object_type} · {who(rev.author)} · {when}{note}")
        embed = discord.Embed(
            title=render.truncate(self.t("mod.discord.history.title", lang, id=object_id.strip()), 256),
            description=render.truncate("\n".join(lines), render.DESCRIPTION_MAX),
            colour=COLOUR,
        )
        embed.set_footer(text=self.t("mod.discord.history.footer", lang, id=object_id.strip()))
        await self.say(interaction, embeds=[embed])

    history.autocomplete("object_id")(object_ids)

    @kb.command(name="revert", description="Put an object back as it was before a revision")
    @app_commands.rename(object_id="id")
    @app_commands.describe(object_id="The id of the entry, intent or course", revision="The revision number")
    async def revert(
        self, interaction: discord.Interaction, object_id: str, revision: app_commands.Range[int, 1]
    ) -> None:
        if not await self.gate(interaction, "revert"):
            return
        lang = locale_lang(interaction.locale)
        await self.think(interaction)
        change = await self.apply(interaction, lambda s: s.revert(object_id.strip(), revision), lang)
        if change is None:
            return
        await self.say(
            interaction,
            self.t(
                "mod.discord.revert.done", lang, id=object_id.strip(), revision=revision, new=change.revision
            ),
        )

    revert.autocomplete("object_id")(object_ids)

    # -- gaps -----------------------------------------------------------------------------------

    @kb.command(name="gaps", description="Questions the bot could not answer well, grouped")
    async def gaps(self, interaction: discord.Interaction) -> None:
        if not await self.gate(interaction, "gaps"):
            return
        lang = locale_lang(interaction.locale)
        await self.think(interaction)
        groups = await self.run(interaction, lambda s: s.gaps(limit=1000))
        embed, view = self.gaps_message(groups, lang)
        await self.say(interaction, embeds=[embed], view=view)

    def gaps_message(self, groups: list[Any], lang: str) -> tuple[discord.Embed, discord.ui.View]:
        shown = groups[:GAPS_SHOWN]
        embed = discord.Embed(
            title=render.truncate(self.t("mod.discord.gaps.title", lang, count=len(groups)), 256),
            colour=COLOUR,
        )
        if not groups:
            embed.description = self.t("mod.discord.gaps.none", lang)
        for n, group in enumerate(shown, 1):
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(group.reasons.items()))
            examples = "\n".join(f"• {render.quote_user(e, 150)}" for e in group.examples[:3])
            value = self.t(
                "mod.discord.gaps.group",
                lang,
                count=group.count,
                last=group.last_asked.replace("T", " ")[:16],
                language=group.lang,
                reasons=reasons,
            )
            embed.add_field(
                name=render.truncate(f"{n}. “{render.quote_user(group.text, 200)}”", render.FIELD_NAME_MAX),
                value=render.truncate(f"{value}\n{examples}".strip(), render.FIELD_VALUE_MAX),
                inline=False,
            )
        if len(groups) > GAPS_SHOWN:
            embed.set_footer(text=self.t("mod.discord.gaps.more", lang, shown=GAPS_SHOWN, count=len(groups)))
        return embed, GapsView(self, lang, shown)

    async def offer_intents(self, interaction: discord.Interaction, group: Any, lang: str) -> None:
        """The intents closest to the gap's question (best first), to pick the one it should lead to."""
        ranked = await ack_soon(
            interaction, self.bot.run_engine(self.bot.engine.rank, group.text, 25), ephemeral=True
        )
        kb = self.bot.engine.kb
        ids = [i for i, _ in ranked if i in kb.intents]
        ids += [i for i in kb.intents if i not in ids]
        options = [
            discord.SelectOption(
                label=render.truncate(self.bot.engine.intent_title(i, lang), 100),
                value=i,
                description=i[:100],
            )
            for i in ids[:25]
        ]
        text = self.t("mod.discord.gaps.pick_for", lang, text=render.quote_user(group.text, 300))
        await self.say(interaction, text, view=IntentPicker(self, lang, group, options))

    async def gap_to_phrasing(
        self, interaction: discord.Interaction, group: Any, intent_id: str, lang: str
    ) -> None:
        await interaction.response.defer()
        change = await self.apply(interaction, lambda s: s.gap_to_phrasing(group.id, intent_id), lang)
        if change is None:
            return
        await interaction.edit_original_response(
            content=self.t(
                "mod.discord.phrase.added",
                lang,
                text=render.quote_user(group.text, 300),
                intent=intent_id,
                language=group.lang,
                revision=change.revision,
            ),
            view=None,
            allowed_mentions=NONE,
        )

    async def dismiss_gap(self, interaction: discord.Interaction, group: Any, lang: str) -> None:
        """Hide the group, then show the list again in the same message."""
        await interaction.response.defer()
        try:
            await self.run(interaction, lambda s: s.dismiss_gap(group.id))
        except ServiceError as exc:
            await self.fail(interaction, exc, lang)
            return
        groups = await self.run(interaction, lambda s: s.gaps(limit=1000))
        embed, view = self.gaps_message(groups, lang)
        note = self.t("mod.discord.gaps.dismissed", lang, text=render.quote_user(group.text))
        await interaction.edit_original_response(content=note, embed=embed, view=view, allowed_mentions=NONE)

    # -- import and export ----------------------------------------------------------------------

    @kb.command(name="import", description="Import a course list: a file, or a MOOChub endpoint URL")
    @app_commands.describe(
        file="A MOOChub JSON, CSV or knowledge YAML file",
        url="The URL of a partner's MOOChub endpoint (its next pages are followed)",
        dry_run="Only report what would change",
        format="The file's format (default: from its name and content)",
        platform="The platform of the courses, when the file or the URL does not say",
    )
    @app_commands.choices(format=FORMAT_CHOICES, platform=PLATFORM_CHOICES)
    async def import_(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: str | None = None,
        dry_run: bool = False,
        format: app_commands.Choice[str] | None = None,
        platform: app_commands.Choice[str] | None = None,
    ) -> None:
        started = self.bot.clock.now()
        if not await self.gate(interaction, "import"):
            return
        lang = locale_lang(interaction.locale)
        if (file is None) == (not url):
            await self.say(interaction, self.t("mod.discord.import.one_source", lang))
            return
        from bot.moderation.importer import MAX_BYTES

        if file is not None and file.size > MAX_BYTES:
            await self.say(
                interaction,
                self.t("mod.discord.import.too_big", lang, size=f"{file.size:,}", limit=f"{MAX_BYTES:,}"),
            )
            return
        await self.think(interaction)
        fmt = format.value if format else None
        options: dict[str, Any] = {"dry_run": dry_run, "platform": platform.value if platform else None}

        async def run_import() -> Any:
            if file is not None:
                data = await file.read()
                name = file.filename
                return await self.run(
                    interaction, lambda s: s.import_file(data, fmt, filename=name, **options)
                )
            source = (url or "").strip()
            # the network part holds no lock and touches no database (one overall deadline in the
            # service); only applying the pages takes the cog's lock, in one short transaction
            fetched = await asyncio.to_thread(KnowledgeService.fetch_url, source)
            return await self.run(interaction, lambda s: s.import_fetched(fetched, **options))

        task = asyncio.ensure_future(run_import())
        by_dm = not await self._done_within(task, TOKEN_BUDGET - (self.bot.clock.now() - started))
        if by_dm:  # the follow-up token dies at 15 minutes: say so now, send the report privately later
            await self.say(interaction, self.t("mod.discord.import.still_running", lang))
        try:
            report = await task
        except ServiceError as exc:
            if by_dm:
                await self.send_dm(
                    interaction.user, self.t("mod.discord.invalid_title", lang), exc.localized(lang)
                )
            else:
                await self.fail(interaction, exc, lang)
            return
        except discord.HTTPException:
            await self.say(interaction, self.t("mod.discord.import.unreadable", lang))
            return
        if report.applied:
            await self.reload()
        title, text = self.import_title(report, lang), self.import_text(report, lang)
        if by_dm:
            await self.send_dm(interaction.user, title, text)
        else:
            await self.say_long(interaction, title, text)

    async def _done_within(self, task: asyncio.Future[Any], seconds: float) -> bool:
        """Whether `task` finishes within `seconds` on the bot's clock (it keeps running either way)."""
        timer = asyncio.ensure_future(self.bot.clock.sleep(max(0.0, seconds)))
        try:
            await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        return task.done()

    async def send_dm(self, user: discord.User | discord.Member, title: str, text: str) -> None:
        """A report by direct message (when the interaction's token has run out); logged if DMs are closed."""
        try:
            for embeds in render.pack(render.build_embeds(title, text, colour=COLOUR)):
                await user.send(embeds=embeds, allowed_mentions=NONE)
        except discord.HTTPException as exc:
            log.warning("could not send a report to user %s by direct message: %s", user.id, exc.text or exc)

    def import_title(self, report: Any, lang: str) -> str:
        key = "applied" if report.applied else "dry_run" if report.dry_run else "refused"
        return self.t(f"mod.discord.import.{key}", lang, source=render.quote_user(report.source, 150))

    def import_text(self, report: Any, lang: str) -> str:
        counts = self.t(
            "mod.discord.import.counts",
            lang,
            rows=report.rows,
            added=len(report.added),
            updated=len(report.updated),
            unchanged=len(report.unchanged),
            rejected=len(report.rejected),
        )
        lines = [counts]
        for label, ids in (("+", report.added), ("~", report.updated)):
            if ids:
                lines.append(
                    f"{label} " + ", ".join(f"`{i}`" for i in ids[:30]) + (" …" if len(ids) > 30 else "")
                )
        if report.rejected:
            lines.append("")
            lines.append(self.t("mod.discord.import.rejected", lang))
            lines += [f"• {render.quote_user(str(r), 300)}" for r in report.rejected[:50]]
            if len(report.rejected) > 50:
                lines.append("…")
        return "\n".join(lines)

    @kb.command(name="export", description="The knowledge base as YAML files in a zip, to commit to git")
    async def export(self, interaction: discord.Interaction) -> None:
        if not await self.gate(interaction, "export"):
            return
        lang = locale_lang(interaction.locale)
        await self.think(interaction)

        def export(service: KnowledgeService) -> tuple[int, bytes]:
            return service.pending_revisions(), service.export_zip()

        pending, data = await self.run(interaction, export)
        limit = getattr(interaction, "attachment_size_limit", 8 * 1024 * 1024) or 8 * 1024 * 1024
        if len(data) > limit:
            await self.say(interaction, self.t("mod.discord.export.too_big", lang, size=f"{len(data):,}"))
            return
        name = f"cmf-knowledge-{datetime.now(UTC):%Y%m%d-%H%M}.zip"
        await self.say(
            interaction,
            self.t("mod.discord.export.done", lang, changes=pending),
            file=discord.File(io.BytesIO(data), filename=name),
        )

    # -- stats ----------------------------------------------------------------------------------

    @kb.command(name="stats", description="Questions per intent, unanswered rate, feedback (7 and 30 days)")
    async def stats(self, interaction: discord.Interaction) -> None:
        if not await self.gate(interaction, "stats"):
            return
        lang = locale_lang(interaction.locale)
        await self.think(interaction)
        from bot.moderation.sync import sync_status

        week, month, sources = await self.run(
            interaction, lambda s: (s.stats(7), s.stats(30), sync_status(s))
        )
        embed = discord.Embed(title=self.t("mod.discord.stats.title", lang), colour=COLOUR)
        for period in (week, month):
            top = "\n".join(
                f"{count} · {render.truncate(self.bot.engine.intent_title(intent, lang), 60)}"
                for intent, count in period.per_intent[:5]
            )
            value = self.t(
                "mod.discord.stats.period",
                lang,
                questions=period.questions,
                answered=period.answered,
                unanswered=percent(period.unanswered_rate),
                suggestions=percent(period.suggestions_rate),
                feedback=percent(period.feedback_ratio),
                up=period.up,
                down=period.down,
                not_what=period.not_what_i_asked,
            )
            embed.add_field(
                name=self.t("mod.discord.stats.days", lang, days=period.days),
                value=render.truncate(f"{value}\n{top}".strip(), render.FIELD_VALUE_MAX),
                inline=True,
            )
        if sources:
            embed.add_field(
                name=self.t("mod.discord.stats.sources", lang),
                value=render.truncate(
                    "\n".join(self.source_line(s, lang) for s in sources), render.FIELD_VALUE_MAX
                ),
                inline=False,
            )
        await self.say(interaction, embeds=[embed])

    def source_line(self, source: Any, lang: str) -> str:
        """One catalogue source's status (`bot.moderation.sync.SourceStatus`): last success and the counts of
        that run, then its last error, if the last attempt failed."""
        line = self.t(
            "mod.discord.stats.source",
            lang,
            source=source.source,
            success=(source.last_success or "").replace("T", " ").replace("+00:00", " UTC")
            or self.t("mod.discord.stats.source_never", lang),
            added=source.added,
            updated=source.updated,
            withdrawn=source.withdrawn,
        )
        if source.last_error:
            when = (source.last_attempt or "").replace("T", " ").replace("+00:00", " UTC")
            error = discord.utils.escape_markdown(render.truncate(source.last_error, 200))
            line += "\n" + self.t("mod.discord.stats.source_error", lang, when=when, error=error)
        return line

    # -- this server's settings -------------------------------------------------------------------

    @kb.command(name="settings", description="This server's help channels, moderator role and answer mode")
    @app_commands.describe(
        add_help_channel="A channel or forum where the bot answers questions without being mentioned",
        remove_help_channel="A help channel where the bot should stop answering",
        moderator_role="The role that may edit the knowledge base (Manage Server always may)",
        answer_mode="In help channels: confident answers only, also suggestions, or only when mentioned",
        solved_tag="Forum tag added when a post's author gives the answer 👍 (- turns it off)",
        reset="Forget this server's settings and use the bot's configuration again",
    )
    @app_commands.choices(answer_mode=ANSWER_MODE_CHOICES)
    async def settings_(
        self,
        interaction: discord.Interaction,
        add_help_channel: HELP_CHANNEL_TYPES | None = None,  # type: ignore[valid-type]
        remove_help_channel: HELP_CHANNEL_TYPES | None = None,  # type: ignore[valid-type]
        moderator_role: discord.Role | None = None,
        answer_mode: app_commands.Choice[str] | None = None,
        solved_tag: app_commands.Range[str, 1, TAG_MAX] | None = None,
        reset: bool = False,
    ) -> None:
        if not await self.gate(interaction, "settings"):
            return
        lang = locale_lang(interaction.locale)
        guild = interaction.guild
        assert guild is not None  # the group is guild-only
        changing = reset or any(
            v is not None
            for v in (add_help_channel, remove_help_channel, moderator_role, answer_mode, solved_tag)
        )
        if changing and not interaction.permissions.manage_guild:
            log.warning("refused /kb settings changes for user %s: no Manage Server", interaction.user.id)
            await self.say(interaction, self.t("mod.discord.settings.manage_only", lang))
            return
        await self.think(interaction)
        store = self.bot.settings_store
        if changing and store is not None:
            author = f"discord:{interaction.user.id}"
            if reset:
                await self.bot.run_settings(store.reset, guild.id)
            else:
                current = self.bot.server_settings.get(guild.id) or GuildSettings(guild.id)
                config = self.bot.server_config(guild.id)
                channels = list(config.help_channel_ids)
                if add_help_channel is not None and add_help_channel.id not in channels:
                    channels.append(add_help_channel.id)
                if remove_help_channel is not None and remove_help_channel.id in channels:
                    channels.remove(remove_help_channel.id)
                changes: dict[str, Any] = {}
                if add_help_channel is not None or remove_help_channel is not None:
                    changes["help_channel_ids"] = tuple(channels)
                if moderator_role is not None:
                    changes["moderator_role_id"] = moderator_role.id
                if answer_mode is not None:
                    changes["answer_mode"] = answer_mode.value
                if solved_tag is not None:
                    tag = " ".join(solved_tag.split())
                    changes["solved_tag"] = None if tag in ("", "-") else tag
                await self.bot.run_settings(store.save, current.changed(**changes), author)
            await self.bot.reload_server_settings()
            log.info("server %s settings changed by %s", guild.id, author)
        embed = self.settings_embed(guild, lang)
        note = None
        if changing:
            note = self.t("mod.discord.settings.reset_done" if reset else "mod.discord.settings.saved", lang)
        await self.say(interaction, note, embeds=[embed])

    def settings_embed(self, guild: discord.Guild, lang: str) -> discord.Embed:
        """The settings that apply in this server, and where each comes from."""
        bot = self.bot
        own = bot.server_settings.get(guild.id)
        config = bot.server_config(guild.id)
        from_config = " " + self.t("mod.discord.settings.from_config", lang)
        channels = ", ".join(f"<#{c}>" for c in config.help_channel_ids) or self.t(
            "mod.discord.settings.none", lang
        )
        if own is None or own.help_channel_ids is None:
            channels += from_config
        role = config.moderator_role
        role_text = f"<@&{role}>" if role.isdigit() else render.neutralise(role)
        if own is None or not own.moderator_role_id:
            role_text += from_config
        embed = discord.Embed(
            title=render.truncate(self.t("mod.discord.settings.title", lang, server=guild.name), 256),
            colour=COLOUR,
        )
        fields = (
            ("mod.discord.settings.help_channels", channels),
            ("mod.discord.settings.moderator_role", role_text),
            (
                "mod.discord.settings.answer_mode",
                self.t(f"mod.discord.settings.mode.{config.answer_mode}", lang),
            ),
            (
                "mod.discord.settings.solved_tag",
                render.neutralise(config.solved_tag)
                if config.solved_tag
                else self.t("mod.discord.settings.off", lang),
            ),
        )
        for key, value in fields:
            embed.add_field(
                name=self.t(key, lang), value=render.truncate(value, render.FIELD_VALUE_MAX), inline=False
            )
        if config.help_channel_ids and not bot.intents.message_content:
            embed.description = self.t("mod.discord.settings.no_intent", lang)
        if own is not None and own.updated_at:
            when = own.updated_at.replace("T", " ")[:19]
            embed.set_footer(
                text=self.t("mod.discord.settings.updated", lang, who=who(own.updated_by), when=when)
            )
        return embed


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(Moderation(bot))
