"""What only the real Discord would show, proven against the strict fake (issue 11): forms per user,
answers acknowledged within 3 s while the engine or the database is busy, the 15-minute token, and
command sync on demand. Time passes on the fake's clock (``fake.advance``), never in real sleeps."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fakediscord import FakeDiscord, would_ping
from test_bot_e2e import (
    EPHEMERAL,
    NO_PINGS,
    answer_of,
    answerable,
    custom_ids,
    message_response,
    quiet,
    started,
)
from test_bot_moderation import KB_CHANGE_WAIT, entry_data, reply_of

from bot.exts.ask import AUTOCOMPLETE_BUDGET
from bot.exts.moderation import FORM_FETCH_BUDGET, TOKEN_BUDGET
from bot.ui import ACK_GRACE

MODERATOR = "moderator"
ADMIN = "admin"


def db_file(engine: Any) -> str:
    return str(engine.db.conn.execute("PRAGMA database_list").fetchone()[2])


async def let_time_pass(
    fake: FakeDiscord, seconds: float, *, timer: float | tuple[float, float], since: int
) -> None:
    """Advance the fake clock once the bot's own timer of `timer` seconds (a range for one that counts
    down what is left of a budget) has begun since `since` (`fake.clock.mark()`), so that the advance
    is not spent before it starts (see FakeClock.until_started: counting sleepers raced with the
    settings loop, which wakes and sleeps again when the test lets a minute pass)."""
    await fake.clock.until_started(*(timer if isinstance(timer, tuple) else (timer,)), since=since)
    fake.advance(seconds)


@contextmanager
def engine_busy(bot: Any) -> Iterator[threading.Event]:
    """Every engine worker thread held by a long job (a knowledge-base rebuild no longer holds one; a
    locked database, or moderators waiting for their changes, may) until the returned event is set
    (at the latest when the block ends)."""
    from bot.client import ENGINE_WORKERS

    gate = threading.Event()
    jobs = [asyncio.ensure_future(bot.run_engine(gate.wait)) for _ in range(ENGINE_WORKERS)]
    try:
        yield gate
    finally:
        gate.set()
        for job in jobs:
            job.add_done_callback(lambda f: f.cancelled() or f.exception())


@contextmanager
def database_locked(engine: Any) -> Iterator[sqlite3.Connection]:
    """Another process holds the database's write lock (a CLI import, a second bot) until the block ends."""
    conn = sqlite3.connect(db_file(engine), timeout=1, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
        conn.close()


# -- forms belong to the user who opened them ---------------------------------------------------


async def test_two_users_submitting_the_check_form_at_once_each_get_their_own_answer(
    fake_discord, bot_engine
) -> None:
    fake_discord.world.add_member("marie")
    fake_discord.world.add_member("jonas")
    facts = {"marie": ("fr", "120", "6"), "jonas": ("de", "40", "3")}
    async with started(fake_discord, bot_engine):
        forms = {}
        for user, (locale, _, _) in facts.items():
            body = await (await fake_discord.slash("check", user=user, locale=locale)).response()
            forms[user] = body["data"]
        assert forms["marie"]["custom_id"] != forms["jonas"]["custom_id"]
        handles = {}
        for user, (locale, hours, eqf) in facts.items():  # both submitted before either is answered
            inputs = [c["custom_id"] for row in forms[user]["components"] for c in row["components"]]
            handles[user] = await fake_discord.submit_modal(
                forms[user]["custom_id"], {inputs[0]: hours, inputs[1]: eqf}, user=user, locale=locale
            )
        answers = {user: await message_response(handle) for user, handle in handles.items()}
    for user, (locale, hours, eqf) in facts.items():
        with quiet(bot_engine):
            expected = bot_engine.check_compliance(
                {"study_hours": float(hours), "eqf_level": int(eqf)}, locale
            )
        assert answers[user]["embeds"][0]["title"] == expected.title[:256], user
        assert answers[user]["allowed_mentions"] == NO_PINGS


async def test_two_moderators_editing_one_entry_the_second_gets_the_conflict_with_their_text(
    fake_discord, bot_engine
) -> None:
    entry_id = "cmf-study-hours"
    title = entry_data(bot_engine, entry_id)["title"]["en"]
    async with started(fake_discord, bot_engine):
        forms = {}
        for user in (MODERATOR, ADMIN):
            handle = await fake_discord.slash(
                "kb", {"id": entry_id, "lang": "en"}, subcommand="edit", user=user
            )
            forms[user] = (await handle.response())["data"]
        assert forms[MODERATOR]["custom_id"] != forms[ADMIN]["custom_id"]
        texts = {MODERATOR: "The moderator's answer.", ADMIN: "The admin's answer."}
        handles = {  # both submitted before either is answered
            user: await fake_discord.submit_modal(
                forms[user]["custom_id"], {"title": title, "answer": texts[user]}, user=user
            )
            for user in (MODERATOR, ADMIN)
        }
        replies = {user: await reply_of(handle) for user, handle in handles.items()}
        (winner,) = [u for u, r in replies.items() if r["content"].startswith("Saved")]
        (loser,) = [u for u in replies if u != winner]
        both_texts = await handles[loser].followup(0, timeout=KB_CHANGE_WAIT)
    assert "Not saved" in replies[loser]["content"] and replies[loser]["allowed_mentions"] == NO_PINGS
    shown = str(both_texts["embeds"])
    assert texts[winner] in shown and texts[loser] in shown  # nothing typed is lost
    assert entry_data(bot_engine, entry_id)["answer"]["en"] == texts[winner]


# -- acknowledged within 3 s whatever the engine or the database is doing -------------------------


async def test_ask_is_acknowledged_in_time_while_the_knowledge_base_is_rebuilt(
    fake_discord, bot_engine
) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine) as bot:
        with engine_busy(bot) as rebuild_done:
            mark = fake_discord.clock.mark()
            handle = await fake_discord.slash("ask", {"question": question})
            await let_time_pass(fake_discord, ACK_GRACE + 0.01, timer=ACK_GRACE, since=mark)
            body = await handle.response()
            assert body["type"] == 5 and not int(body.get("data", {}).get("flags") or 0) & EPHEMERAL
            fake_discord.advance(60)  # the rebuild takes a minute: the token still has 14
            rebuild_done.set()
            answer = await answer_of(handle)
        with engine_busy(bot):
            mark = fake_discord.clock.mark()
            typed = await fake_discord.autocomplete("ask", {"question": "hou"}, "question")
            await let_time_pass(
                fake_discord, AUTOCOMPLETE_BUDGET + 0.01, timer=AUTOCOMPLETE_BUDGET, since=mark
            )
            choices = await typed.choices()  # autocomplete cannot wait: it offers nothing this time
    assert handle.late is None and answer["embeds"][0]["title"] == expected.title
    assert answer["allowed_mentions"] == NO_PINGS and any(
        i.startswith("cmf:fb:up:") for i in custom_ids(answer)
    )
    assert choices == [] and typed.late is None


async def test_the_harness_advances_after_the_bots_timer_not_after_the_settings_loop(
    fake_discord, bot_engine, monkeypatch
) -> None:
    """The interleaving that made the test above fail under load: its minute wakes the settings loop,
    whose reload ends only as the autocomplete arrives, and the autocomplete reaches its timer a
    little later. Counting sleepers then advanced the clock before the bot's timer began, and the
    autocomplete missed its deadline although the bot was in time; `let_time_pass` waits for the
    timer itself."""
    import bot.ui
    from bot.client import CMFBot

    reload, within = CMFBot.reload_server_settings, bot.ui.within
    sent = asyncio.Event()

    async def slow_reload(self: CMFBot) -> None:
        await reload(self)
        if self.startup_done.is_set():
            await asyncio.wait_for(sent.wait(), 5)

    async def late_within(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.3)
        return await within(*args, **kwargs)

    async def autocomplete(*args: Any, **kwargs: Any) -> Any:
        handle = await send_autocomplete(*args, **kwargs)
        sent.set()
        return handle

    send_autocomplete = fake_discord.autocomplete
    monkeypatch.setattr(CMFBot, "reload_server_settings", slow_reload)
    monkeypatch.setattr(bot.ui, "within", late_within)  # before the extensions import it
    monkeypatch.setattr(fake_discord, "autocomplete", autocomplete)
    await test_ask_is_acknowledged_in_time_while_the_knowledge_base_is_rebuilt(fake_discord, bot_engine)


async def test_answers_and_buttons_are_acknowledged_in_time_while_the_database_is_locked(
    fake_discord, bot_engine
) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        first = await message_response(await fake_discord.slash("ask", {"question": question}))
        message = fake_discord.messages_in("general")[-1]
        qid = bot_engine.db.execute("SELECT max(id) FROM questions").fetchone()[0]
        with database_locked(bot_engine):
            mark = fake_discord.clock.mark()
            asked = await fake_discord.slash("ask", {"question": question})
            await let_time_pass(fake_discord, ACK_GRACE + 0.01, timer=ACK_GRACE, since=mark)
            # the answer itself never waits for the lock (its log row is queued), so it may come first
            assert (await asked.response())["type"] in (4, 5)
            mark = fake_discord.clock.mark()
            thumbs = await fake_discord.click(message, f"cmf:fb:up:{qid}:en")
            await let_time_pass(fake_discord, ACK_GRACE + 0.01, timer=ACK_GRACE, since=mark)
            assert (await thumbs.response())["type"] == 5  # "thinking…", privately
        answer = await answer_of(asked)
        thanks = await answer_of(thumbs)
    assert first["embeds"][0]["title"] == answer["embeds"][0]["title"] == expected.title
    assert thanks["content"].startswith("Thanks") and int(thanks["flags"]) & EPHEMERAL
    assert bot_engine.db.execute("SELECT kind FROM feedback").fetchall() == [("up",)]


async def test_kb_gaps_says_thinking_before_it_reads_the_question_log(
    fake_discord, bot_engine, monkeypatch
) -> None:
    from bot.moderation.service import KnowledgeService

    reading = threading.Event()
    original = KnowledgeService.gaps

    def slow_gaps(self: Any, *args: Any, **kwargs: Any) -> Any:
        reading.wait(10)  # thousands of questions to group
        return original(self, *args, **kwargs)

    monkeypatch.setattr(KnowledgeService, "gaps", slow_gaps)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("kb", {}, subcommand="gaps", user=MODERATOR)
        body = await handle.response()
        reading.set()
        listing = await reply_of(handle)
    assert body["type"] == 5 and int(body.get("data", {}).get("flags") or 0) & EPHEMERAL
    assert listing["embeds"][0]["title"].startswith("Unanswered questions")


async def test_kb_edit_on_a_busy_database_says_so_in_time(fake_discord, bot_engine, monkeypatch) -> None:
    from bot.moderation.service import KnowledgeService

    free = threading.Event()
    original = KnowledgeService.get

    def blocked_get(self: Any, *args: Any, **kwargs: Any) -> Any:
        free.wait(10)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(KnowledgeService, "get", blocked_get)
    async with started(fake_discord, bot_engine):
        try:
            mark = fake_discord.clock.mark()
            handle = await fake_discord.slash(
                "kb", {"id": "cmf-study-hours"}, subcommand="edit", user=MODERATOR
            )
            await let_time_pass(fake_discord, FORM_FETCH_BUDGET + 0.01, timer=FORM_FETCH_BUDGET, since=mark)
            data = await message_response(handle)  # a form cannot follow "thinking…": a short notice
        finally:
            free.set()
    assert int(data["flags"]) & EPHEMERAL and "busy" in data["content"]


# -- the 15-minute token, and what lives longer ---------------------------------------------------


async def test_the_course_pager_works_after_15_minutes_and_says_when_it_has_expired(
    fake_discord, bot_engine
) -> None:
    async with started(fake_discord, bot_engine) as bot:
        bot.get_cog("Courses").page_size = 1
        handle = await fake_discord.slash("courses", {"query": ""})
        first = await message_response(handle)
        message = await handle.message()
        next_id = next(i for i in custom_ids(first) if i.endswith(":next"))
        fake_discord.advance(16 * 60)  # the /courses token is dead; every click brings a fresh one
        page2 = await fake_discord.click(message, next_id)
        body = await page2.response()
        assert body["type"] == 7 and body["data"]["embeds"][0]["footer"]["text"] == "Page 2"
    async with started(fake_discord, bot_engine):  # a restart: the pager's state is gone
        late = await fake_discord.click(fake_discord.messages[message["id"]], next_id)
        body = await late.response()
        notice = await late.followup(0)
    assert body["type"] == 7  # the dead paging buttons are removed from the message …
    kept = custom_ids(body["data"])
    assert kept and all(i.startswith(("cmf:fb:", "cmf:nw:")) for i in kept)  # … 👍 / 👎 stay
    assert (
        int(notice["flags"]) & EPHEMERAL
        and "expired" in notice["content"]
        and "/courses" in notice["content"]
    )


async def test_a_moderators_form_submitted_after_20_minutes_is_saved(fake_discord, bot_engine) -> None:
    entry_id = "cmf-study-hours"
    title = entry_data(bot_engine, entry_id)["title"]["en"]
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash(
            "kb", {"id": entry_id, "lang": "en"}, subcommand="edit", user=MODERATOR
        )
        form = (await handle.response())["data"]
        fake_discord.advance(20 * 60)  # a careful moderator
        saved = await reply_of(
            await fake_discord.submit_modal(form["custom_id"], {"title": title, "answer": "Written slowly."})
        )
    assert "Saved" in saved["content"]
    assert entry_data(bot_engine, entry_id)["answer"]["en"] == "Written slowly."


async def test_a_form_that_outlived_the_bot_gives_the_typed_text_back(fake_discord, bot_engine) -> None:
    entry_id = "cmf-study-hours"
    before = entry_data(bot_engine, entry_id)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash(
            "kb", {"id": entry_id, "lang": "en"}, subcommand="edit", user=MODERATOR
        )
        form = (await handle.response())["data"]
    async with started(fake_discord, bot_engine):  # restarted while the form was open
        submitted = await fake_discord.submit_modal(
            form["custom_id"], {"title": before["title"]["en"], "answer": "Two hours of careful writing."}
        )
        data = await message_response(submitted)
    assert int(data["flags"]) & EPHEMERAL and "expired" in data["content"]
    assert "Two hours of careful writing." in str(data["embeds"])
    assert entry_data(bot_engine, entry_id) == before


async def test_forms_and_views_expire_after_their_time_on_the_bots_clock(fake_discord, bot_engine) -> None:
    from bot.ui import LIVE_TTL

    async with started(fake_discord, bot_engine) as bot:
        old = await fake_discord.slash("check")
        old_form = (await old.response())["data"]
        fake_discord.advance(LIVE_TTL + 1)
        new = await fake_discord.slash("check", user=ADMIN)  # a new form: expired ones are dropped
        await new.response()
        assert len(bot.live) == 1
        late = await fake_discord.submit_modal(old_form["custom_id"], {})
        data = await message_response(late)
    assert int(data["flags"]) & EPHEMERAL and "expired" in data["content"]


async def test_a_url_import_that_outlives_its_token_reports_by_direct_message(
    fake_discord, bot_engine, monkeypatch
) -> None:
    from bot.moderation.service import KnowledgeService

    done = threading.Event()
    original = KnowledgeService.fetch_url

    def slow_fetch(*args: Any, **kwargs: Any) -> Any:
        done.wait(10)  # a partner endpoint with many slow pages
        return original(*args, **kwargs)

    monkeypatch.setattr(KnowledgeService, "fetch_url", staticmethod(slow_fetch))
    courses = bot_engine.db.execute("SELECT count(*) FROM courses").fetchone()[0]
    page = fake_discord.attachment("page.json", b'{"links": {}, "data": []}', "application/vnd.api+json")
    async with started(fake_discord, bot_engine):
        try:
            mark = fake_discord.clock.mark()
            handle = await fake_discord.slash(
                "kb",
                {"url": page["url"], "dry_run": True, "platform": "iMooX"},
                subcommand="import",
                user=MODERATOR,
            )
            assert (await handle.response())["type"] == 5
            # the import's timer: what is left of the token budget once the import has started
            await let_time_pass(fake_discord, 14 * 60, timer=(TOKEN_BUDGET - 60, TOKEN_BUDGET), since=mark)
            still = await answer_of(handle)
            fake_discord.advance(2 * 60)  # now the token is dead
        finally:
            done.set()
        dm = await fake_discord.wait_for("POST", r"/channels/\d+/messages", timeout=10)
    assert "direct message" in still["content"] and int(still["flags"]) & EPHEMERAL
    assert str(fake_discord.find("POST", "/users/@me/channels")[0].json["recipient_id"]) == str(
        fake_discord.user_id(MODERATOR)
    )
    assert "page.json" in str(dm.json["embeds"]) and dm.json["allowed_mentions"] == NO_PINGS
    assert not [r for r in handle.requests if r.status == 401]  # nothing was sent on the dead token
    assert bot_engine.db.execute("SELECT count(*) FROM courses").fetchone()[0] == courses


# -- command sync on demand ------------------------------------------------------------------------


async def test_a_restart_with_an_unchanged_command_tree_does_not_sync_again(fake_discord, bot_engine) -> None:
    path = rf"/applications/\d+/guilds/{fake_discord.guild_id}/commands"
    async with started(fake_discord, bot_engine):
        pass
    assert len(fake_discord.find("PUT", path)) == 1
    mark = fake_discord.mark()
    async with started(fake_discord, bot_engine) as bot:
        help_text = (await message_response(await fake_discord.slash("help")))["embeds"][0]["description"]
    assert fake_discord.find("PUT", path, since=mark) == []
    assert fake_discord.find("GET", path, since=mark)  # the ids are fetched instead, for /help
    ask_id = next(c["id"] for c in fake_discord.synced_commands(fake_discord.guild_id) if c["name"] == "ask")
    assert f"</ask:{ask_id}>" in help_text and bot.command_ids


async def test_a_rejected_sync_is_one_log_line_and_the_bot_keeps_answering(
    fake_discord, bot_engine, caplog
) -> None:
    caplog.set_level(logging.INFO, "bot.client")
    question, expected = answerable(bot_engine)
    fake_discord.rate_limit("PUT", r"/applications/\d+/commands", retry_after=86_400)  # the daily limit
    async with started(fake_discord, bot_engine, guild_ids=()) as bot:
        fake_discord.register_commands(
            [await c.get_translated_payload(bot.tree, bot.tree.translator) for c in bot.tree.get_commands()]
        )
        answer = await message_response(await fake_discord.slash("ask", {"question": question}))
    failures = [r for r in caplog.records if r.name == "bot.client" and r.levelno == logging.ERROR]
    assert len(failures) == 1 and failures[0].exc_info is None  # one line, no traceback
    assert "rate limit" in failures[0].getMessage() and "86400 s" in failures[0].getMessage()
    assert answer["embeds"][0]["title"] == expected.title


async def test_server_mode_syncs_when_invited_and_clears_stale_global_commands(
    fake_discord, bot_engine, caplog
) -> None:
    caplog.set_level(logging.INFO, "bot.client")
    stale = fake_discord.register_commands([{"name": "ask", "description": "left from a global sync"}])
    fake_discord.bot_in_guild = False  # configured for the server, not invited yet
    guild_path = rf"/applications/\d+/guilds/{fake_discord.guild_id}/commands"
    async with started(fake_discord, bot_engine):
        assert fake_discord.find("PUT", guild_path) == []
        assert fake_discord.synced_commands(None) == []  # the stale global /ask is gone
        await fake_discord.add_bot_to_guild()
        put = await fake_discord.wait_for("PUT", guild_path)
    assert stale and put.status == 200
    assert {"ask", "kb", "help"} <= {c["name"] for c in fake_discord.synced_commands(fake_discord.guild_id)}
    text = caplog.text
    assert "not in this server yet" in text and "removed 1 commands left from an earlier global sync" in text


async def test_the_owner_syncs_on_demand_once_a_minute(fake_discord, bot_engine) -> None:
    path = rf"/applications/\d+/guilds/{fake_discord.guild_id}/commands"
    async with started(fake_discord, bot_engine):
        mark = fake_discord.mark()
        asked = await fake_discord.send_message("sync", channel="general", author=ADMIN, mentions_bot=True)
        reply = await fake_discord.wait_for_message("general", after=asked)
        again = await fake_discord.send_message("sync", channel="general", author=ADMIN, mentions_bot=True)
        cooldown = await fake_discord.wait_for_message("general", after=again)
        other = await fake_discord.send_message(
            "sync", channel="general", author=MODERATOR, mentions_bot=True
        )
        refused = await fake_discord.wait_for_message("general", after=other)
    assert len(fake_discord.find("PUT", path, since=mark)) == 1  # forced, though nothing changed
    assert "commands synced" in reply["content"] and "try again in" in cooldown["content"]
    assert "can't use this command" in refused["content"]
    posted = fake_discord.find("POST", r"/channels/\d+/messages", since=mark)
    assert len(posted) == 3 and all(would_ping(r.json) == [] for r in posted)


# -- free text within the bot's permissions -------------------------------------------------------


async def test_without_embed_links_the_answer_is_plain_text_and_logged_once(
    fake_discord, bot_engine, caplog
) -> None:
    from fakediscord.factories import EMBED_LINKS

    caplog.set_level(logging.WARNING, "bot")
    question, expected = answerable(bot_engine)
    fake_discord.world.set_overwrite("help", "bot", deny=EMBED_LINKS)
    async with started(fake_discord, bot_engine):
        replies = []
        for _ in range(2):
            asked = await fake_discord.send_message(question, channel="help")
            replies.append(await fake_discord.wait_for_message("help", after=asked))
    for reply in replies:
        assert reply["embeds"] == [] and expected.title in reply["content"]
        assert expected.answer.split()[0] in reply["content"]
        assert any(i.startswith("cmf:fb:up:") for i in custom_ids(reply))  # the buttons still work
    warnings = [r for r in caplog.records if "Embed Links" in r.getMessage()]
    assert len(warnings) == 1


async def test_without_send_messages_the_bot_stays_quiet_and_logs_once(
    fake_discord, bot_engine, caplog
) -> None:
    from fakediscord.factories import SEND_MESSAGES

    caplog.set_level(logging.WARNING, "bot")
    question, _ = answerable(bot_engine)
    fake_discord.world.set_overwrite("help", "bot", deny=SEND_MESSAGES)
    async with started(fake_discord, bot_engine):
        mark = fake_discord.mark()
        for _ in range(2):
            await fake_discord.send_message(question, channel="help")
        await fake_discord.settle()
    assert fake_discord.find("POST", r"/channels/\d+/messages", since=mark) == []
    assert len([r for r in caplog.records if "Send Messages" in r.getMessage()]) == 1
    assert not [r for r in caplog.records if r.exc_info]


async def test_about_tells_moderators_which_permissions_are_missing(fake_discord, bot_engine) -> None:
    from fakediscord.factories import EMBED_LINKS

    fake_discord.world.set_overwrite("help", "bot", deny=EMBED_LINKS)
    async with started(fake_discord, bot_engine):
        for_moderator = await message_response(await fake_discord.slash("about", user=MODERATOR))
        for_member = await message_response(await fake_discord.slash("about"))
    fields = {f["name"]: f["value"] for f in for_moderator["embeds"][0]["fields"]}
    permissions = fields["Permissions (shown to moderators)"]
    assert f"<#{fake_discord.channel_id('help')}>" in permissions and "Embed Links" in permissions
    assert "plain text" in permissions
    assert not any("Permissions" in f["name"] for f in for_member["embeds"][0]["fields"])


async def test_a_429_on_an_answer_is_waited_out(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        fake_discord.rate_limit("POST", r"/channels/\d+/messages", retry_after=0.05)
        asked = await fake_discord.send_message(question, channel="help")
        reply = await fake_discord.wait_for_message("help", after=asked)
    posts = fake_discord.find("POST", rf"/channels/{fake_discord.channel_id('help')}/messages")
    assert [r.status for r in posts] == [429, 200]
    assert reply["embeds"][0]["title"] == expected.title


@pytest.mark.parametrize("ping", [True, False])
async def test_a_thanks_under_the_bots_answer_gets_no_reply(fake_discord, bot_engine, ping: bool) -> None:
    question, _ = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        asked = await fake_discord.send_message(question, channel="help")
        answer = await fake_discord.wait_for_message("help", after=asked)
        mark = fake_discord.mark()
        thanks = await fake_discord.send_message("thanks!", channel="help", reply_to=answer, ping=ping)
        await fake_discord.settle()
    assert any(m["id"] == fake_discord.user("bot")["id"] for m in thanks["mentions"]) == ping
    assert fake_discord.find("POST", r"/channels/\d+/messages", since=mark) == []
