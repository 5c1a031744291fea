"""Views and forms of the moderators' `/kb` commands (see `bot.exts.moderation`).

They hold the state of one moderator's task in memory — an edit form keeps the version it was opened
on, a new-entry draft its five languages, the gaps list the groups it shows — as live objects (see
`bot.ui`): each has a token of its own in its custom ids, so two moderators with the same form open
never get each other's submission, and each lives `FORM_TTL` on the bot's clock (a moderator may take
far longer than Discord's 15-minute token to write an answer: every submission and click is a new
interaction). After that, or after a restart, a submission gets "this form has expired" with the text
that was typed, so nothing is lost. Every button and form checks the user again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import discord

from bot import render
from bot.engine.languages import languages
from bot.engine.model import AUDIENCES, LANGS
from bot.ui import LIVE_TTL, SafeModal, SafeView

if TYPE_CHECKING:
    from bot.exts.moderation import Moderation

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
FORM_TTL = LIVE_TTL
TITLE_INPUT_MAX = 256
ANSWER_INPUT_MAX = 4000
PHRASINGS_INPUT_MAX = 1000
SOURCES_INPUT_MAX = 1000
LANG_NAMES: dict[str, str] = {lang.code: lang.name for lang in languages()}
"""Each language's own name (knowledge/languages.json), for form titles and pickers."""


def _label(text: str) -> str:
    return render.truncate(text, 45)


# -- edit one language of an entry ---------------------------------------------------------------


class EditModal(SafeModal):
    """The entry's title and answer in one language, pre-filled; saved with the version it was opened on."""

    def __init__(
        self,
        cog: Moderation,
        lang: str,
        entry_id: str,
        text_lang: str,
        version: int,
        title: str,
        answer: str,
        opener: int,
    ) -> None:
        super().__init__(
            cog.bot,
            title=cog.t("mod.discord.edit.form_title", lang, id=entry_id, language=text_lang),
            opener=opener,
            name="edit",
            ttl=FORM_TTL,
        )
        self.cog, self.lang, self.entry_id, self.text_lang, self.version = (
            cog,
            lang,
            entry_id,
            text_lang,
            version,
        )
        self.title_input: discord.ui.TextInput[EditModal] = discord.ui.TextInput(
            label=_label(cog.t("mod.discord.form.title", lang)),
            default=title,
            max_length=TITLE_INPUT_MAX,
            custom_id="title",
        )
        self.answer_input: discord.ui.TextInput[EditModal] = discord.ui.TextInput(
            label=_label(cog.t("mod.discord.form.answer", lang)),
            default=answer,
            style=discord.TextStyle.paragraph,
            max_length=ANSWER_INPUT_MAX,
            custom_id="answer",
        )
        self.add_item(self.title_input)
        self.add_item(self.answer_input)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.cog.save_edit(
            interaction,
            self.entry_id,
            self.text_lang,
            self.version,
            self.title_input.value,
            self.answer_input.value,
        )


# -- a new entry, one language at a time ---------------------------------------------------------


@dataclass
class Draft:
    """A new entry being written: its id, sources and, per language, title, answer and phrasings."""

    owner: int
    first: str
    """The language of the first form (it also carries the id and the sources)."""
    entry_id: str = ""
    sources: list[str] = field(default_factory=list)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    """lang -> {"title", "answer", "phrasings"} (phrasings: one per line)."""
    started: bool = False
    """True once the draft message exists (later forms update it instead of sending a new one)."""
    view: Any = None
    """The draft message's current buttons (stopped when a newer view replaces them)."""

    def missing(self) -> list[str]:
        return [
            lang
            for lang in LANGS
            if not all(
                (self.texts.get(lang) or {}).get(k, "").strip() for k in ("title", "answer", "phrasings")
            )
        ]

    def entry(self) -> dict[str, Any]:
        """The entry in the knowledge format (all three audiences; checked today)."""
        return {
            "id": self.entry_id,
            "kind": "answer",
            "audiences": list(AUDIENCES),
            "title": {lang: self.texts[lang]["title"].strip() for lang in LANGS},
            "answer": {lang: self.texts[lang]["answer"].strip() for lang in LANGS},
            "sources": list(self.sources),
            "checked": datetime.now(UTC).date().isoformat(),
        }

    def intent(self) -> dict[str, Any]:
        """The intent that makes the entry answerable: same id, the typed phrasings."""
        return {
            "id": self.entry_id,
            "audiences": list(AUDIENCES),
            "leads_to": {"type": "entry", "entry": self.entry_id},
            "phrasings": {lang: phrasing_lines(self.texts[lang]["phrasings"]) for lang in LANGS},
        }


def phrasing_lines(text: str) -> list[str]:
    return list(dict.fromkeys(" ".join(line.split()) for line in text.splitlines() if line.strip()))


class DraftModal(SafeModal):
    """One language of a new entry; the first language's form also asks for the id and the sources."""

    def __init__(self, cog: Moderation, lang: str, draft: Draft, text_lang: str) -> None:
        super().__init__(
            cog.bot,
            title=cog.t("mod.discord.add.form_title", lang, language=LANG_NAMES[text_lang]),
            opener=draft.owner,
            name=f"add:{text_lang}",
            ttl=FORM_TTL,
        )
        self.cog, self.lang, self.draft, self.text_lang = cog, lang, draft, text_lang
        current = draft.texts.get(text_lang, {})
        self.id_input: discord.ui.TextInput[DraftModal] | None = None
        self.sources_input: discord.ui.TextInput[DraftModal] | None = None
        if text_lang == draft.first:
            self.id_input = discord.ui.TextInput(
                label=_label(cog.t("mod.discord.form.id", lang)),
                default=draft.entry_id or None,
                placeholder="cmf-example-question",
                max_length=100,
                custom_id="id",
            )
            self.add_item(self.id_input)
        self.title_input: discord.ui.TextInput[DraftModal] = discord.ui.TextInput(
            label=_label(cog.t("mod.discord.form.title", lang)),
            default=current.get("title") or None,
            max_length=TITLE_INPUT_MAX,
            custom_id="title",
        )
        self.answer_input: discord.ui.TextInput[DraftModal] = discord.ui.TextInput(
            label=_label(cog.t("mod.discord.form.answer", lang)),
            default=current.get("answer") or None,
            style=discord.TextStyle.paragraph,
            max_length=ANSWER_INPUT_MAX,
            custom_id="answer",
        )
        self.phrasings_input: discord.ui.TextInput[DraftModal] = discord.ui.TextInput(
            label=_label(cog.t("mod.discord.form.phrasings", lang)),
            default=current.get("phrasings") or None,
            placeholder=render.truncate(cog.t("mod.discord.form.phrasings_hint", lang), 100),
            style=discord.TextStyle.paragraph,
            max_length=PHRASINGS_INPUT_MAX,
            custom_id="phrasings",
        )
        for item in (self.title_input, self.answer_input, self.phrasings_input):
            self.add_item(item)
        if text_lang == draft.first:
            self.sources_input = discord.ui.TextInput(
                label=_label(cog.t("mod.discord.form.sources", lang)),
                default="\n".join(draft.sources) or None,
                placeholder="https://…",
                style=discord.TextStyle.paragraph,
                max_length=SOURCES_INPUT_MAX,
                custom_id="sources",
            )
            self.add_item(self.sources_input)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        draft = self.draft
        if self.id_input is not None:
            draft.entry_id = self.id_input.value.strip()
        if self.sources_input is not None:
            draft.sources = [s for s in (line.strip() for line in self.sources_input.value.splitlines()) if s]
        draft.texts[self.text_lang] = {
            "title": self.title_input.value,
            "answer": self.answer_input.value,
            "phrasings": self.phrasings_input.value,
        }
        await self.cog.show_draft(interaction, draft, self.lang)


class OwnedView(SafeView):
    """A view only the moderator who opened it may use; its Cancel closes the message."""

    def __init__(self, cog: Moderation, owner: int, lang: str) -> None:
        super().__init__(cog.bot, ttl=FORM_TTL)
        self.cog, self.owner, self.lang = cog, owner, lang

    async def allowed(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner:
            return True
        await self.cog.refuse_not_yours(interaction, self.lang)
        return False

    async def close_cancelled(self, interaction: discord.Interaction) -> None:
        """Stop listening and replace the message with "cancelled"."""
        self.stop()
        await interaction.response.edit_message(
            content=self.cog.t("mod.discord.cancelled", self.lang),
            embeds=[],
            view=None,
            allowed_mentions=NONE,
        )


class DraftView(OwnedView):
    """Under a draft: a button per language (✅ once written), Create and Cancel. Only its author."""

    def __init__(self, cog: Moderation, draft: Draft, lang: str) -> None:
        super().__init__(cog, draft.owner, lang)
        self.draft = draft
        missing = draft.missing()
        for code in LANGS:
            button: discord.ui.Button[DraftView] = discord.ui.Button(
                label=LANG_NAMES[code],
                emoji="✏️" if code in missing else "✅",
                style=discord.ButtonStyle.secondary,
                custom_id=self.cid("draft", code),
                row=0,
            )
            button.callback = self._language_callback(code)  # type: ignore[method-assign]
            self.add_item(button)
        create: discord.ui.Button[DraftView] = discord.ui.Button(
            label=render.truncate(cog.t("mod.discord.add.create", lang), 80),
            style=discord.ButtonStyle.success,
            custom_id=self.cid("draft", "create"),
            disabled=bool(missing),
            row=1,
        )
        create.callback = self._create  # type: ignore[method-assign]
        cancel: discord.ui.Button[DraftView] = discord.ui.Button(
            label=render.truncate(cog.t("mod.discord.cancel", lang), 80),
            style=discord.ButtonStyle.secondary,
            custom_id=self.cid("draft", "cancel"),
            row=1,
        )
        cancel.callback = self._cancel  # type: ignore[method-assign]
        self.add_item(create)
        self.add_item(cancel)

    def _language_callback(self, code: str) -> Any:
        async def callback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(DraftModal(self.cog, self.lang, self.draft, code))

        return callback

    async def _create(self, interaction: discord.Interaction) -> None:
        await self.cog.create_entry(interaction, self.draft, self.lang)

    async def _cancel(self, interaction: discord.Interaction) -> None:
        await self.close_cancelled(interaction)


# -- delete with a confirmation ------------------------------------------------------------------


class ConfirmDelete(OwnedView):
    """Delete / Cancel under a deletion prompt; only the moderator who asked may press them."""

    def __init__(self, cog: Moderation, owner: int, lang: str, entry_id: str, version: int) -> None:
        super().__init__(cog, owner, lang)
        self.entry_id, self.version = entry_id, version
        self.confirm.label = render.truncate(cog.t("mod.discord.delete.confirm", lang), 80)
        self.cancel.label = render.truncate(cog.t("mod.discord.cancel", lang), 80)
        self.confirm.custom_id = self.cid("delete", "yes")
        self.cancel.custom_id = self.cid("delete", "no")

    @discord.ui.button(label="Delete", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmDelete]
    ) -> None:
        self.stop()
        await self.cog.do_delete(interaction, self.entry_id, self.version, self.lang)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmDelete]
    ) -> None:
        await self.close_cancelled(interaction)


# -- gaps ----------------------------------------------------------------------------------------


class GapsView(SafeView):
    """One row per gap group: "Add as phrasing of…", "New entry", "Dismiss"."""

    def __init__(self, cog: Moderation, lang: str, groups: list[Any]) -> None:
        super().__init__(cog.bot, ttl=FORM_TTL)
        self.cog, self.lang = cog, lang
        for row, group in enumerate(groups[:5]):
            n = row + 1
            for action, style, key in (
                ("phrase", discord.ButtonStyle.primary, "mod.discord.gaps.phrase"),
                ("new", discord.ButtonStyle.secondary, "mod.discord.gaps.new"),
                ("dismiss", discord.ButtonStyle.danger, "mod.discord.gaps.dismiss"),
            ):
                button: discord.ui.Button[GapsView] = discord.ui.Button(
                    label=render.truncate(f"{n}. {cog.t(key, lang)}", 80),
                    style=style,
                    custom_id=self.cid("gap", action, group.id),
                    row=row,
                )
                button.callback = self._callback(action, group)  # type: ignore[method-assign]
                self.add_item(button)

    def _callback(self, action: str, group: Any) -> Any:
        async def callback(interaction: discord.Interaction) -> None:
            if not await self.cog.gate(interaction, f"gaps {action}"):
                return
            if action == "phrase":
                await self.cog.offer_intents(interaction, group, self.lang)
            elif action == "new":
                await self.cog.start_draft(interaction, self.lang, group=group)
            else:
                await self.cog.dismiss_gap(interaction, group, self.lang)

        return callback


class IntentPicker(SafeView):
    """The intents a gap question is closest to (best first); picking one adds it as a phrasing."""

    def __init__(self, cog: Moderation, lang: str, group: Any, options: list[discord.SelectOption]) -> None:
        super().__init__(cog.bot, ttl=FORM_TTL)
        self.cog, self.lang, self.group = cog, lang, group
        select: discord.ui.Select[IntentPicker] = discord.ui.Select(
            custom_id=self.cid("gapintent", group.id),
            options=options[:25],
            placeholder=render.truncate(cog.t("mod.discord.gaps.pick", lang), 150),
        )
        select.callback = self._picked  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    async def _picked(self, interaction: discord.Interaction) -> None:
        if not await self.cog.gate(interaction, "gaps phrase"):
            return
        await self.cog.gap_to_phrasing(interaction, self.group, self.select.values[0], self.lang)
