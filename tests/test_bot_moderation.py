"""The moderators' `/kb` commands end to end: the real discord.py client against the fake Discord.

Each test starts the bot over a private copy of the knowledge database (see conftest.py) and asserts
the payloads the bot sends and what the database holds afterwards.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import zipfile
from typing import Any

import pytest
from fakediscord import walk_components, would_ping
from test_bot_e2e import EPHEMERAL, NO_PINGS, answer_of, answerable, message_response, quiet, started

pytestmark = pytest.mark.usefixtures("loopback_imports")  # URL imports from 127.0.0.1

MODERATOR = "moderator"  # has the Moderator role (no Manage Server)
ADMIN = "admin"  # has Manage Server (no Moderator role)


KB_CHANGE_WAIT = 180.0
"""Seconds a test waits for the answer to a knowledge change after "thinking…": a change that trains
the matcher from scratch took 35 s on a 2-CPU machine (2026-12-04). Discord accepts the answer for 15
minutes after the bot deferred, so this is still stricter than Discord; the 3 s acknowledgement is
checked by the fake apart."""


async def reply_of(handle: Any) -> dict[str, Any]:
    """The bot's answer to an interaction: the message it sent, or, after "thinking…", the edit that
    turned "thinking…" into the answer (or a first follow-up)."""
    return await answer_of(handle, timeout=KB_CHANGE_WAIT)


def ephemeral(data: dict[str, Any]) -> bool:
    return bool(int(data.get("flags") or 0) & EPHEMERAL)


def text_of(data: dict[str, Any]) -> str:
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(parts)


def revisions(engine: Any) -> int:
    return engine.db.execute("SELECT count(*) FROM revisions").fetchone()[0]


def entry_data(engine: Any, entry_id: str) -> dict[str, Any]:
    row = engine.db.execute("SELECT data FROM entries WHERE id = ?", [entry_id]).fetchone()
    return json.loads(row[0])


async def edited(fake: Any, handle: Any) -> dict[str, Any]:
    """The message an interaction's (deferred) response edited, once the edit arrived."""
    await handle.response()
    # a change retrains the matcher: seconds, more on a loaded machine (as `answer_of` above)
    await fake.wait_for("PATCH", rf"/webhooks/\d+/{handle.token}/messages/@original", timeout=KB_CHANGE_WAIT)
    return await handle.message()


def kb_id(message: dict[str, Any], suffix: str) -> str:
    """The custom id of a moderator button on a message: `cmf:kb:<its view's token>:<suffix>`."""
    ids = [c["custom_id"] for c in walk_components(message.get("components", [])) if c.get("custom_id")]
    found = [i for i in ids if re.fullmatch(rf"cmf:kb:[0-9a-f]{{10}}:{re.escape(suffix)}", i)]
    assert len(found) == 1, (suffix, ids)
    return found[0]


def inputs_of(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["custom_id"]: c for c in walk_components(modal["components"]) if c.get("type") == 4}


# -- who may use /kb ----------------------------------------------------------------------------


async def test_kb_is_synced_hidden_from_members_without_manage_server(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        tree = {c["name"]: c for c in fake_discord.synced_commands(fake_discord.guild_id)}
    kb = tree["kb"]
    assert int(kb["default_member_permissions"]) == 1 << 5  # MANAGE_GUILD only
    assert kb.get("contexts") == [0] or kb.get("dm_permission") is False  # never in DMs
    subs = {o["name"]: o for o in kb["options"]}
    assert {
        "show",
        "edit",
        "add",
        "delete",
        "phrase",
        "history",
        "revert",
        "gaps",
        "import",
        "export",
        "stats",
    } <= set(subs)
    assert {o["name"] for o in subs["phrase"]["options"]} == {"add", "remove"}
    file_option = next(o for o in subs["import"]["options"] if o["name"] == "file")
    assert file_option["type"] == 11  # an attachment


async def test_a_member_is_refused_ephemerally_logged_and_nothing_changes(
    fake_discord, bot_engine, caplog
) -> None:
    caplog.set_level(logging.WARNING, "bot.exts.moderation")
    before = revisions(bot_engine)
    phrasings = bot_engine.db.execute("SELECT count(*) FROM phrasings").fetchone()[0]
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash(
            "kb", {"intent": "cmf-what-is", "text": "what even is this cmf"}, subcommand="phrase add"
        )
        data = await message_response(handle)
    assert ephemeral(data)
    assert "Moderator" in data["content"] and "Manage Server" in data["content"]
    assert data["allowed_mentions"] == NO_PINGS
    assert revisions(bot_engine) == before
    assert bot_engine.db.execute("SELECT count(*) FROM phrasings").fetchone()[0] == phrasings
    member_id = fake_discord.user_id("member")
    assert f"refused /kb phrase add for user {member_id}" in caplog.text


async def test_a_moderator_by_role_and_an_admin_by_manage_server_may_show(fake_discord, bot_engine) -> None:
    course = "fl-waikato-data-mining-weka"  # short enough for a code block in an embed
    async with started(fake_discord, bot_engine):
        short = await reply_of(
            await fake_discord.slash("kb", {"id": course}, subcommand="show", user=MODERATOR)
        )
        handle = await fake_discord.slash("kb", {"id": "cmf-study-hours"}, subcommand="show", user=ADMIN)
        long = await reply_of(handle)
    assert ephemeral(short) and short["allowed_mentions"] == NO_PINGS
    description = short["embeds"][0]["description"]
    assert description.startswith("```yaml\n") and description.endswith("\n```")
    assert f"id: {course}" in description and "platform: FutureLearn" in description
    # an entry in five languages is longer than an embed: its YAML comes as a file
    assert ephemeral(long) and "attached" in long["content"]
    (attached,) = [f for r in handle.requests for f in r.files]
    assert attached.filename == "cmf-study-hours.yaml"
    text = attached.data.decode("utf-8")
    assert "id: cmf-study-hours" in text and "answer:" in text and "phrasings:" in text  # entry and intent


async def test_the_moderator_role_may_be_given_by_id(fake_discord, bot_engine) -> None:
    role_id = fake_discord.world.role("Moderator")["id"]
    async with started(fake_discord, bot_engine, moderator_role=str(role_id)):
        data = await reply_of(
            await fake_discord.slash("kb", {"id": "fl-ou-global-ethics"}, subcommand="show", user=MODERATOR)
        )
    assert "id: fl-ou-global-ethics" in data["embeds"][0]["description"]


async def test_show_an_unknown_id_says_so(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        data = await reply_of(
            await fake_discord.slash("kb", {"id": "no-such-thing"}, subcommand="show", user=MODERATOR)
        )
    assert ephemeral(data) and "no-such-thing" in data["content"]


# -- edit ----------------------------------------------------------------------------------------


def entry_of(engine: Any, intent_id: str) -> str:
    return str(engine.kb.intents[intent_id].leads_to["entry"])


async def test_edit_opens_a_prefilled_form_and_its_answer_is_used_by_the_next_ask(
    fake_discord, bot_engine
) -> None:
    question, expected = answerable(bot_engine)
    entry_id = entry_of(bot_engine, expected.intent)
    current = entry_data(bot_engine, entry_id)
    new_answer = "A rewritten answer: the moderators changed this text from Discord."
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash(
            "kb", {"id": entry_id, "lang": "fr"}, subcommand="edit", user=MODERATOR
        )
        body = await handle.response()
        assert body["type"] == 9
        modal = body["data"]
        fields = inputs_of(modal)
        assert fields["title"]["value"] == current["title"]["fr"]
        assert fields["answer"]["value"] == current["answer"]["fr"]
        assert fields["answer"]["style"] == 2  # a paragraph
        saved = await reply_of(
            await fake_discord.submit_modal(
                modal["custom_id"], {"title": current["title"]["fr"], "answer": new_answer}
            )
        )
        assert ephemeral(saved) and "Saved" in saved["content"] and "revision #" in saved["content"]
        asked = await message_response(await fake_discord.slash("ask", {"question": question}, locale="fr"))
    assert new_answer in asked["embeds"][0]["description"]
    stored = entry_data(bot_engine, entry_id)
    assert stored["answer"]["fr"] == new_answer
    assert stored["answer"]["en"] == current["answer"]["en"]  # other languages untouched
    author = bot_engine.db.execute("SELECT author FROM revisions ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert author == f"discord:{fake_discord.user_id(MODERATOR)}"


async def test_a_second_save_from_an_older_form_is_a_conflict_and_overwrites_nothing(
    fake_discord, bot_engine
) -> None:
    from bot.moderation.service import KnowledgeService

    entry_id = "cmf-study-hours"
    before = entry_data(bot_engine, entry_id)
    admin_id = fake_discord.user_id(ADMIN)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash(
            "kb", {"id": entry_id, "lang": "en"}, subcommand="edit", user=MODERATOR
        )
        modal = (await handle.response())["data"]
        # meanwhile another moderator saves the same entry
        version = bot_engine.db.execute("SELECT version FROM entries WHERE id = ?", [entry_id]).fetchone()[0]
        KnowledgeService(bot_engine.db, f"discord:{admin_id}").edit_entry(
            entry_id, "en", answer="The other moderator's newer answer.", expected_version=version
        )
        submit = await fake_discord.submit_modal(
            modal["custom_id"], {"title": before["title"]["en"], "answer": "My older draft."}
        )
        head = await reply_of(submit)
        texts = await submit.followup(0, timeout=KB_CHANGE_WAIT)
    assert ephemeral(head) and "Not saved" in head["content"]
    assert f"<@{admin_id}>" in head["content"]  # who changed it (a mention that never pings)
    assert head["allowed_mentions"] == NO_PINGS and would_ping(head) == []
    shown = text_of(texts)
    assert "The other moderator's newer answer." in shown and "My older draft." in shown
    assert entry_data(bot_engine, entry_id)["answer"]["en"] == "The other moderator's newer answer."


# -- phrasings -----------------------------------------------------------------------------------


async def test_phrase_add_makes_a_question_answerable_at_once_and_remove_undoes_it(
    fake_discord, bot_engine
) -> None:
    question = "zorblax quux frobnicate plonk"
    with quiet(bot_engine):
        assert bot_engine.ask(question, "en").status != "answer"
    async with started(fake_discord, bot_engine):
        added = await reply_of(
            await fake_discord.slash(
                "kb",
                {"intent": "cmf-study-hours", "text": question, "lang": "en"},
                subcommand="phrase add",
                user=MODERATOR,
            )
        )
        assert ephemeral(added) and "cmf-study-hours" in added["content"]
        asked = await message_response(await fake_discord.slash("ask", {"question": question}))
        assert "cmf:src:en:i.cmf-study-hours" in json.dumps(asked["components"])
        removed = await reply_of(
            await fake_discord.slash(
                "kb",
                {"intent": "cmf-study-hours", "text": question},
                subcommand="phrase remove",
                user=MODERATOR,
            )
        )
    assert "Removed" in removed["content"]
    assert (
        question
        not in bot_engine.db.execute("SELECT data FROM intents WHERE id = 'cmf-study-hours'").fetchone()[0]
    )


async def test_phrase_add_to_an_unknown_intent_is_refused_clearly(fake_discord, bot_engine) -> None:
    before = revisions(bot_engine)
    async with started(fake_discord, bot_engine):
        data = await reply_of(
            await fake_discord.slash(
                "kb",
                {"intent": "no-such-intent", "text": "hello there"},
                subcommand="phrase add",
                user=MODERATOR,
            )
        )
    assert ephemeral(data) and "no-such-intent" in data["content"]
    assert revisions(bot_engine) == before


# -- history and revert --------------------------------------------------------------------------


async def test_history_lists_changes_and_revert_puts_the_text_back(fake_discord, bot_engine) -> None:
    from bot.moderation.service import KnowledgeService

    entry_id = "cmf-study-hours"
    original = entry_data(bot_engine, entry_id)["answer"]["de"]
    change = KnowledgeService(bot_engine.db, "cli:alice").edit_entry(
        entry_id, "de", answer="Eine falsche Antwort.", expected_version=None
    )
    async with started(fake_discord, bot_engine):
        history = await reply_of(
            await fake_discord.slash("kb", {"id": entry_id}, subcommand="history", user=MODERATOR)
        )
        assert ephemeral(history)
        listing = text_of(history)
        assert f"#{change.revision}" in listing and "update" in listing and "alice" in listing
        reverted = await reply_of(
            await fake_discord.slash(
                "kb", {"id": entry_id, "revision": change.revision}, subcommand="revert", user=MODERATOR
            )
        )
        assert ephemeral(reverted) and f"#{change.revision}" in reverted["content"]
        again = await reply_of(
            await fake_discord.slash("kb", {"id": entry_id}, subcommand="history", user=MODERATOR)
        )
    assert entry_data(bot_engine, entry_id)["answer"]["de"] == original
    assert "revert" in text_of(again)
    assert bot_engine.answer_intent("cmf-study-hours", "de").answer.find("Eine falsche Antwort.") == -1


# -- delete --------------------------------------------------------------------------------------


async def test_delete_asks_to_confirm_and_only_the_invoker_can(fake_discord, bot_engine) -> None:
    from bot.moderation.service import KnowledgeService

    # an entry no intent leads to (the service refuses to delete one that is in use)
    KnowledgeService(bot_engine.db, "cli:setup").add_yaml(
        "entries:\n  - " + json.dumps({**entry_data(bot_engine, "cmf-study-hours"), "id": "spare-entry",
                                       "title": {k: f"Spare {k}" for k in ("en", "fr", "es", "it", "de")}})
    )  # fmt: skip
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("kb", {"id": "spare-entry"}, subcommand="delete", user=MODERATOR)
        prompt = await reply_of(handle)
        assert ephemeral(prompt) and "spare-entry" in text_of(prompt)
        message = await handle.message()
        other = await reply_of(await fake_discord.click(message, kb_id(message, "delete:yes"), user=ADMIN))
        assert ephemeral(other) and "Only the moderator who started this" in other["content"]
        assert (
            bot_engine.db.execute("SELECT count(*) FROM entries WHERE id = 'spare-entry'").fetchone()[0] == 1
        )
        done = await edited(
            fake_discord, await fake_discord.click(message, kb_id(message, "delete:yes"), user=MODERATOR)
        )
    assert "Deleted" in done["content"] and "/kb revert" in done["content"] and not done.get("components")
    assert bot_engine.db.execute("SELECT count(*) FROM entries WHERE id = 'spare-entry'").fetchone()[0] == 0


async def test_deleting_an_entry_an_intent_leads_to_is_refused(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash(
            "kb", {"id": "cmf-study-hours"}, subcommand="delete", user=MODERATOR
        )
        await reply_of(handle)
        prompt = await handle.message()
        click = await fake_discord.click(prompt, kb_id(prompt, "delete:yes"), user=MODERATOR)
        await click.response()
        refusal = await click.followup(0, timeout=KB_CHANGE_WAIT)
    assert ephemeral(refusal) and "cmf-study-hours" in refusal["content"]
    assert (
        bot_engine.db.execute("SELECT count(*) FROM entries WHERE id = 'cmf-study-hours'").fetchone()[0] == 1
    )


# -- add -----------------------------------------------------------------------------------------

LANG_TEXTS = {
    "en": (
        "What is a spare test entry?",
        "A spare entry, written in English.",
        "tell me about spare test entries",
    ),
    "fr": (
        "Qu'est-ce qu'une entrée de test ?",
        "Une entrée de test, en français.",
        "parle moi des entrées de test",
    ),
    "es": (
        "¿Qué es una entrada de prueba?",
        "Una entrada de prueba, en español.",
        "háblame de entradas de prueba",
    ),
    "it": ("Cos'è una voce di prova?", "Una voce di prova, in italiano.", "parlami delle voci di prova"),
    "de": ("Was ist ein Testeintrag?", "Ein Testeintrag, auf Deutsch.", "erzähl mir von testeinträgen"),
}


async def test_add_collects_five_languages_then_creates_an_answerable_entry(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("kb", {}, subcommand="add", user=MODERATOR)
        modal = (await handle.response())["data"]
        assert set(inputs_of(modal)) == {"id", "title", "answer", "phrasings", "sources"}
        title, answer, phrasing = LANG_TEXTS["en"]
        first = await fake_discord.submit_modal(
            modal["custom_id"],
            {"id": "spare-test-entry", "title": title, "answer": answer, "phrasings": phrasing,
             "sources": "https://www.futurelearn.com/info/the-common-microcredential-framework"},
        )  # fmt: skip
        draft = await reply_of(first)
        assert ephemeral(draft) and "fr, es, it, de" in text_of(draft)
        message = await first.message()
        create = next(
            c
            for c in walk_components(message["components"])
            if c.get("custom_id") == kb_id(message, "draft:create")
        )
        assert create.get("disabled") is True  # not before all five languages are written
        for code in ("fr", "es", "it", "de"):
            click = await fake_discord.click(message, kb_id(message, f"draft:{code}"), user=MODERATOR)
            form = (await click.response())["data"]
            assert set(inputs_of(form)) == {"title", "answer", "phrasings"}
            title, answer, phrasing = LANG_TEXTS[code]
            updated = await fake_discord.submit_modal(
                form["custom_id"], {"title": title, "answer": answer, "phrasings": phrasing}
            )
            assert (await updated.response())["type"] == 7  # the draft message is updated in place
            message = fake_discord.messages[message["id"]]
        created = await edited(
            fake_discord, await fake_discord.click(message, kb_id(message, "draft:create"), user=MODERATOR)
        )
        assert "Created entry" in created["content"] and not created.get("components")
        asked = await message_response(
            await fake_discord.slash("ask", {"question": "tell me about spare test entries"})
        )
    assert asked["embeds"][0]["title"] == "What is a spare test entry?"
    assert entry_data(bot_engine, "spare-test-entry")["answer"]["it"] == "Una voce di prova, in italiano."


async def test_add_refuses_an_entry_the_knowledge_base_would_reject(fake_discord, bot_engine) -> None:
    before = revisions(bot_engine)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("kb", {}, subcommand="add", user=MODERATOR)
        modal = (await handle.response())["data"]
        fields = {"id": "Bad Id!", "title": "T", "answer": "A", "phrasings": "p", "sources": "not a url"}
        first = await fake_discord.submit_modal(modal["custom_id"], fields)
        await reply_of(first)
        message = await first.message()
        for code in ("fr", "es", "it", "de"):
            click = await fake_discord.click(message, kb_id(message, f"draft:{code}"), user=MODERATOR)
            form = (await click.response())["data"]
            fields = {"title": f"T {code}", "answer": "A", "phrasings": f"p {code}"}
            await (await fake_discord.submit_modal(form["custom_id"], fields)).response()
            message = fake_discord.messages[message["id"]]
        created = await fake_discord.click(message, kb_id(message, "draft:create"), user=MODERATOR)
        await created.response()
        refusal = await created.followup(0, timeout=KB_CHANGE_WAIT)
    assert ephemeral(refusal) and "Refused" in text_of(refusal) and "id" in text_of(refusal)
    assert revisions(bot_engine) == before


# -- gaps ----------------------------------------------------------------------------------------

GIBBERISH = "blorptastic wuggle snorf"


async def ask_unanswerable(fake: Any, times: int) -> None:
    for n in range(times):
        data = await message_response(await fake.slash("ask", {"question": GIBBERISH + "?" * n}))
        assert data["embeds"]


async def test_gaps_groups_unanswered_questions_and_dismiss_removes_the_group(
    fake_discord, bot_engine
) -> None:
    async with started(fake_discord, bot_engine):
        await ask_unanswerable(fake_discord, 2)
        handle = await fake_discord.slash("kb", {}, subcommand="gaps", user=MODERATOR)
        listing = await reply_of(handle)
        assert ephemeral(listing) and listing["allowed_mentions"] == NO_PINGS
        field = listing["embeds"][0]["fields"][0]
        assert GIBBERISH in field["name"] and "asked 2×" in field["value"]
        message = await handle.message()
        dismiss = next(
            c["custom_id"]
            for c in walk_components(message["components"])
            if re.fullmatch(r"cmf:kb:[0-9a-f]{10}:gap:dismiss:\w+", c.get("custom_id", ""))
        )
        updated = await edited(fake_discord, await fake_discord.click(message, dismiss, user=MODERATOR))
    assert "Dismissed" in updated["content"]
    assert GIBBERISH not in text_of({"embeds": updated["embeds"]})  # the list no longer shows it
    assert updated["embeds"][0]["title"] == "Unanswered questions: 0 groups"
    ((action, example),) = bot_engine.db.execute("SELECT action, example FROM gap_dismissals").fetchall()
    assert action == "dismiss" and example.startswith(GIBBERISH)


async def test_a_gap_becomes_a_phrasing_of_the_picked_intent(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        await ask_unanswerable(fake_discord, 1)
        handle = await fake_discord.slash("kb", {}, subcommand="gaps", user=MODERATOR)
        await reply_of(handle)
        message = await handle.message()
        phrase = next(
            c["custom_id"]
            for c in walk_components(message["components"])
            if re.fullmatch(r"cmf:kb:[0-9a-f]{10}:gap:phrase:\w+", c.get("custom_id", ""))
        )
        picker = await fake_discord.click(message, phrase, user=MODERATOR)
        offered = await reply_of(picker)
        select = next(c for c in walk_components(offered["components"]) if c["type"] == 3)
        assert 1 <= len(select["options"]) <= 25
        intents = bot_engine.kb.intents
        chosen = next(  # an intent answered by an entry, so its reply carries a Sources button
            o["value"] for o in select["options"] if intents[o["value"]].leads_to["type"] == "entry"
        )
        picked = await fake_discord.select(
            await picker.message(), select["custom_id"], [chosen], user=MODERATOR
        )
        done = await edited(fake_discord, picked)
        ask = await fake_discord.slash("ask", {"question": GIBBERISH})
        asked = await message_response(ask)
        await fake_discord.settle()
        if ask.followups:  # a long answer: its buttons come with the last part
            asked = ask.followups[-1].json
    assert chosen in done["content"]
    assert f"cmf:src:en:i.{chosen}" in json.dumps(asked["components"])


# -- import and export ---------------------------------------------------------------------------

CSV_HEADER = "title,platform,type,languages,course_url,source_urls\n"
GOOD_ROW = (
    "Test Course On Data,iMooX,MOOC,de,https://imoox.at/course/testdata,https://imoox.at/course/testdata\n"
)
BAD_ROW = ",iMooX,MOOC,de,https://imoox.at/course/x,https://imoox.at/course/x\n"


def course_count(engine: Any) -> int:
    return engine.db.execute("SELECT count(*) FROM courses").fetchone()[0]


async def test_import_an_attached_csv_reports_rejections_dry_runs_and_applies(
    fake_discord, bot_engine
) -> None:
    courses = course_count(bot_engine)
    async with started(fake_discord, bot_engine):
        bad = fake_discord.attachment("courses.csv", CSV_HEADER + GOOD_ROW + BAD_ROW, "text/csv")
        refused = await reply_of(
            await fake_discord.slash("kb", {"file": bad}, subcommand="import", user=MODERATOR)
        )
        assert ephemeral(refused)
        shown = text_of(refused)
        assert "Nothing imported" in shown and "row 3" in shown and "1 rejected" in shown
        assert course_count(bot_engine) == courses

        good = fake_discord.attachment("courses.csv", CSV_HEADER + GOOD_ROW, "text/csv")
        dry = await reply_of(
            await fake_discord.slash(
                "kb", {"file": good, "dry_run": True}, subcommand="import", user=MODERATOR
            )
        )
        assert "Dry run" in text_of(dry) and "1 added" in text_of(dry)
        assert course_count(bot_engine) == courses

        applied = await reply_of(
            await fake_discord.slash("kb", {"file": good}, subcommand="import", user=MODERATOR)
        )
    assert "Imported" in text_of(applied) and "1 added" in text_of(applied)
    assert course_count(bot_engine) == courses + 1


async def test_import_needs_exactly_one_source(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        data = await reply_of(await fake_discord.slash("kb", {}, subcommand="import", user=MODERATOR))
    assert ephemeral(data) and "either a file or a url" in data["content"]


async def test_export_attaches_a_zip_of_the_knowledge_base(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("kb", {}, subcommand="export", user=MODERATOR)
        data = await reply_of(handle)
    assert ephemeral(data) and data["allowed_mentions"] == NO_PINGS
    (upload,) = [f for r in handle.requests for f in r.files]
    assert upload.filename.startswith("cmf-knowledge-") and upload.filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(upload.data)) as archive:
        names = set(archive.namelist())
        assert {"knowledge/cmf.yaml", "intents.yaml"} <= names
        assert "id: cmf-study-hours" in archive.read("knowledge/cmf.yaml").decode("utf-8")


# -- stats ---------------------------------------------------------------------------------------


async def test_stats_shows_the_last_7_and_30_days(fake_discord, bot_engine) -> None:
    question, _ = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        await message_response(await fake_discord.slash("ask", {"question": question}))
        await ask_unanswerable(fake_discord, 1)
        data = await reply_of(await fake_discord.slash("kb", {}, subcommand="stats", user=ADMIN))
    assert ephemeral(data)
    fields = data["embeds"][0]["fields"]
    assert [f["name"] for f in fields] == ["Last 7 days", "Last 30 days"]
    for f in fields:
        assert f["value"].startswith("2 questions, 1 answered") and "unanswered 50%" in f["value"]


async def test_import_a_moochub_endpoint_follows_its_next_pages(fake_discord, bot_engine) -> None:
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "imports" / "moochub_courses.json"
    items = json.loads(fixture.read_text("utf-8"))["data"]
    courses = course_count(bot_engine)
    async with started(fake_discord, bot_engine):
        # two pages served by the fake on 127.0.0.1 (its attachment URLs); page 1 links page 2
        first, last = fake_discord.attachment("p1.json", b""), fake_discord.attachment("p2.json", b"")
        pages = [
            (first, {"self": first["url"], "next": last["url"]}, items[:3]),
            (last, {"self": last["url"]}, items[3:]),
        ]
        for page, links, records in pages:
            body = json.dumps({"links": links, "data": records}).encode()
            fake_discord.uploads[page["id"]] = ("application/vnd.api+json", body)
        data = await reply_of(
            await fake_discord.slash(
                "kb", {"url": first["url"], "platform": "iMooX"}, subcommand="import", user=MODERATOR
            )
        )
    shown = text_of(data)
    assert "Imported" in shown and f"{len(items)} rows" in shown, shown
    assert course_count(bot_engine) > courses


# -- id autocomplete (indexed queries on the cog's own connection) --------------------------------


async def test_kb_id_autocomplete_offers_ids_by_prefix_then_by_substring(fake_discord, bot_engine) -> None:
    ids = sorted(
        r[0]
        for r in bot_engine.db.execute(
            "SELECT id FROM entries UNION SELECT id FROM intents UNION SELECT id FROM courses"
        )
    )
    prefix = ids[len(ids) // 2][:3]
    starting = [i for i in ids if i.startswith(prefix)]
    middle = next(i for i in ids if len(i) > 12)[4:10]
    async with started(fake_discord, bot_engine):
        typed = await fake_discord.autocomplete("kb", {"id": prefix}, "id", subcommand="show", user=MODERATOR)
        by_prefix = [c["value"] for c in await typed.choices()]
        typed = await fake_discord.autocomplete("kb", {"id": middle}, "id", subcommand="show", user=MODERATOR)
        by_substring = [c["value"] for c in await typed.choices()]
        typed = await fake_discord.autocomplete(
            "kb", {"id": "zz-no-such-id-zz"}, "id", subcommand="show", user=MODERATOR
        )
        nothing = await typed.choices()
    assert by_prefix[: len(starting)] == starting[:25]  # every id starting with it first, in id order
    assert 1 <= len(by_substring) <= 25 and all(middle in i for i in by_substring)
    containing = [i for i in ids if middle in i]
    if len(containing) <= 25:
        assert sorted(by_substring) == containing
    assert nothing == []


# -- a slow URL import does not hold up other moderators ------------------------------------------


async def test_a_slow_url_import_does_not_hold_up_another_moderators_show(fake_discord, bot_engine) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "imports" / "moochub_courses.json"
    items = json.loads(fixture.read_text("utf-8"))["data"]
    release, requested = threading.Event(), threading.Event()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.set()
            release.wait(20)  # the page comes only when the test says so
            body = json.dumps({"links": {}, "data": items}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/vnd.api+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/courses"
    courses = course_count(bot_engine)
    try:
        async with started(fake_discord, bot_engine):
            importing = await fake_discord.slash(
                "kb", {"url": url, "platform": "iMooX"}, subcommand="import", user=MODERATOR
            )
            await asyncio.to_thread(requested.wait, 10)
            assert requested.is_set()
            shown = await answer_of(
                await fake_discord.slash("kb", {"id": "cmf-study-hours"}, subcommand="show", user=ADMIN),
                timeout=10,
            )
            assert "cmf-study-hours" in text_of(shown) and not release.is_set()
            release.set()
            data = await reply_of(importing)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
    assert "Imported" in text_of(data) and f"{len(items)} rows" in text_of(data), text_of(data)
    assert course_count(bot_engine) > courses
