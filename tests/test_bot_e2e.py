"""The Discord bot end to end: the real discord.py client against the fake Discord on 127.0.0.1.

Each test starts the bot (login, READY, command sync) against a fresh fake and asserts the payloads
the bot sends. The engine reads a private copy of the test knowledge database (see conftest.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from fakediscord import FakeDiscord, running_client, would_ping

from bot.client import CMFBot, create_bot
from bot.config import Cooldown, Settings
from bot.engine.model import Item, Link, Reply

EPHEMERAL = 64
NO_PINGS = {"parse": []}


def make_settings(fake: FakeDiscord, engine: Any, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "api_base": fake.api_base,
        "gateway_url": fake.gateway_url,
        "guild_ids": (fake.guild_id,),
        "help_channel_ids": (fake.channel_id("help"),),
        "db_path": str(engine.db.conn.execute("PRAGMA database_list").fetchone()[2]),
        "ask_cooldown": Cooldown(100, 60),
        "freetext_cooldown": Cooldown(100, 60),
    }
    values.update(overrides)
    return Settings(token=fake.token, **values)


@asynccontextmanager
async def started(fake: FakeDiscord, engine: Any, **overrides: Any) -> AsyncIterator[CMFBot]:
    """The bot running against the fake, on the fake's clock, once its start-up command sync is done."""
    bot = create_bot(
        make_settings(fake, engine, **overrides), engine=engine, clock=fake.clock, guild_ready_timeout=0.05
    )
    async with running_client(fake, bot) as running:
        await asyncio.wait_for(running.startup_done.wait(), 10)
        yield running


def custom_ids(payload: dict[str, Any]) -> list[str]:
    return [
        c["custom_id"] for row in payload.get("components", []) for c in row["components"] if "custom_id" in c
    ]


def feedback_rows(engine: Any) -> list[tuple[int, str]]:
    return [
        tuple(r) for r in engine.db.execute("SELECT question_id, kind FROM feedback ORDER BY id").fetchall()
    ]


@contextmanager
def quiet(engine: Any) -> Iterator[None]:
    """Ask the engine directly (for expected values) without logging a question."""
    source, engine.log_source = engine.log_source, None
    try:
        yield
    finally:
        engine.log_source = source


def answerable(engine: Any, lang: str = "en") -> tuple[str, Reply]:
    """A phrasing the engine answers confidently with an entry that has links, and that reply."""
    with quiet(engine):
        for intent in engine.kb.intents.values():
            if intent.leads_to.get("type") != "entry":
                continue
            for phrasing in intent.phrasings.get(lang, []):
                reply = engine.ask(phrasing, lang)
                if reply.status == "answer" and reply.intent == intent.id and reply.links:
                    return phrasing, reply
    raise AssertionError("the test knowledge has no confidently answered entry with links")


def unsure(engine: Any, *, status: str = "suggestions") -> str:
    """Make the engine unsure (its answer threshold above any probability, and for `no_match` its
    suggest threshold too) and return a question that now gets `status`."""
    engine.answer_threshold = 1.01
    if status == "no_match":
        engine.suggest_threshold = 1.01
    question, _ = answerable_before(engine)
    with quiet(engine):
        assert engine.ask(question).status == status
    return question


def answerable_before(engine: Any) -> tuple[str, Reply]:
    """Like `answerable`, with the engine's thresholds set back to their values for the search."""
    saved = engine.answer_threshold, engine.suggest_threshold
    engine.answer_threshold, engine.suggest_threshold = 0.5, 0.2
    try:
        return answerable(engine)
    finally:
        engine.answer_threshold, engine.suggest_threshold = saved


async def message_response(handle: Any) -> dict[str, Any]:
    body = await handle.response()
    assert body["type"] == 4, body
    return body["data"]


async def answer_of(handle: Any, timeout: float = 5.0) -> dict[str, Any]:
    """The answer to an interaction: the message sent as its response, or after "thinking…" (type 5)
    the payload that replaced it (an edit of @original, or a first follow-up)."""
    body = await handle.response()
    if body["type"] != 5:
        assert body["type"] in (4, 7), body
        return body["data"]

    def replaced() -> Any:
        for request in handle.requests:
            if request.method == "PATCH" and request.path.endswith("/messages/@original"):
                return request
            if request.method == "POST" and request.path.startswith("/webhooks/"):
                return request
        return None

    found = await handle.fake._wait_until(replaced, timeout, f"the answer after thinking of {handle!r}")
    if found.method == "PATCH":  # an edit keeps the message's flags (ephemeral, from the defer)
        message = await handle.message()
        return {**found.json, "flags": message.get("flags", 0)}
    return found.json


# -- start-up and the command tree ---------------------------------------------------------------


async def test_syncs_the_localised_command_tree_to_the_configured_guild(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        tree = {c["name"]: c for c in fake_discord.synced_commands(fake_discord.guild_id)}
    assert {"ask", "requirements", "courses", "credential", "check", "about"} <= set(tree)
    assert fake_discord.synced_commands(None) == []  # guild sync only, nothing global
    ask = tree["ask"]
    assert ask["name_localizations"]["fr"] == "demander"
    assert ask["name_localizations"]["de"] == "fragen"
    assert ask["description_localizations"]["es-ES"].startswith("Haz una pregunta")
    question = next(o for o in ask["options"] if o["name"] == "question")
    assert question["autocomplete"] is True
    assert question["name_localizations"]["it"] == "domanda"
    audience = next(o for o in tree["requirements"]["options"] if o["name"] == "audience")
    learner = next(c for c in audience["choices"] if c["value"] == "learner")
    assert learner["name_localizations"]["fr"] == "apprenants"


async def test_global_sync_when_no_guild_is_configured(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine, guild_ids=()):
        names = {c["name"] for c in fake_discord.synced_commands(None)}
    assert "ask" in names


async def test_identifies_with_message_content_only_when_help_channels_are_set(
    fake_discord, bot_engine
) -> None:
    async with started(fake_discord, bot_engine, help_channel_ids=()):
        identify = await fake_discord.wait_for_gateway(2)
    intents = identify["d"]["intents"]
    assert not intents & (1 << 15)  # MESSAGE_CONTENT
    assert intents & (1 << 9) and intents & (1 << 12)  # GUILD_MESSAGES, DIRECT_MESSAGES
    assert not intents & (1 << 1)  # no GUILD_MEMBERS


async def test_logs_the_invite_url_and_never_the_token(fake_discord, bot_engine, caplog) -> None:
    caplog.set_level("INFO")
    async with started(fake_discord, bot_engine):
        pass
    text = caplog.text
    assert f"client_id={fake_discord.application_id}" in text
    assert "scope=bot+applications.commands" in text
    assert fake_discord.token not in text


# -- /ask ----------------------------------------------------------------------------------------


async def test_ask_answers_with_an_embed_and_the_answer_buttons(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question})
        data = await message_response(handle)
    assert not int(data.get("flags") or 0) & EPHEMERAL
    assert data["allowed_mentions"] == NO_PINGS
    embed = data["embeds"][0]
    assert embed["title"] == expected.title
    # the title is shown once, as the embed's title, not again as the description's first line
    assert embed["description"].startswith(expected.body().split()[0])
    assert f"**{expected.title}**" not in embed["description"]
    ids = custom_ids(data)
    qid = bot_engine.db.execute("SELECT max(id) FROM questions").fetchone()[0]
    assert f"cmf:fb:up:{qid}:en" in ids and f"cmf:fb:down:{qid}:en" in ids
    assert f"cmf:src:en:i.{expected.intent}" in ids
    assert f"cmf:nw:{qid}:en" in ids
    row = bot_engine.db.execute(
        "SELECT question, source, intent FROM questions WHERE id = ?", [qid]
    ).fetchone()
    assert tuple(row) == (question, "discord", expected.intent)


async def test_ask_private_answers_ephemerally(fake_discord, bot_engine) -> None:
    question, _ = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question, "private": True})
        data = await message_response(handle)
    assert int(data["flags"]) & EPHEMERAL


async def test_ask_in_french_locale_answers_in_french(fake_discord, bot_engine) -> None:
    question, english = answerable(bot_engine)
    french = bot_engine.answer_intent(english.intent, "fr")
    assert french.title != english.title
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question}, locale="fr")
        data = await message_response(handle)
    assert data["embeds"][0]["title"] == french.title
    assert f"cmf:src:fr:i.{english.intent}" in custom_ids(data)


async def test_ask_autocomplete_offers_intent_titles_and_a_choice_answers_its_intent(
    fake_discord, bot_engine
) -> None:
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.autocomplete("ask", {"question": "hou"}, "question")
        choices = await handle.choices()
        assert 1 <= len(choices) <= 25
        title = bot_engine.intent_title("cmf-study-hours", "en")
        assert {"name": title, "value": title} in [{"name": c["name"], "value": c["value"]} for c in choices]
        picked = await fake_discord.slash("ask", {"question": title})
        data = await message_response(picked)
    assert "cmf:src:en:i.cmf-study-hours" in custom_ids(data)


async def test_ask_question_with_everyone_never_pings(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": "@everyone <@&123456> hello @here"})
        data = await message_response(handle)
    assert data["allowed_mentions"] == NO_PINGS
    assert would_ping(data) == []
    text = str(data["embeds"])
    assert "@everyone" not in text and "@here" not in text and "<@&123456>" not in text


async def test_ask_too_long_question_gets_a_clear_ephemeral_message(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine, max_question_chars=50):
        handle = await fake_discord.slash("ask", {"question": "why " * 30})
        data = await message_response(handle)
    assert int(data["flags"]) & EPHEMERAL
    assert "too long" in data["content"] and "50" in data["content"]
    assert bot_engine.db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0


async def test_ask_cooldown_gives_a_short_ephemeral_notice(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine, ask_cooldown=Cooldown(1, 60)):
        first = await message_response(
            await fake_discord.slash("ask", {"question": "what are the cmf requirements"})
        )
        second = await message_response(
            await fake_discord.slash("ask", {"question": "what are the cmf requirements"})
        )
        other_user = await message_response(
            await fake_discord.slash("ask", {"question": "what are the cmf requirements"}, user="moderator")
        )
    assert first.get("embeds")
    assert int(second["flags"]) & EPHEMERAL and "try again in" in second["content"]
    assert other_user.get("embeds")  # the cooldown is per user


async def test_answer_longer_than_one_embed_is_split_and_accepted(
    fake_discord, bot_engine, monkeypatch
) -> None:
    long_answer = "\n\n".join(f"Paragraph {n}: " + "word " * 180 for n in range(40))
    items = [Item(label=f"Item {n}", text="detail " * 150) for n in range(60)]
    reply = Reply(
        question="q",
        lang="en",
        status="answer",
        intent="cmf-study-hours",
        kind="text",
        title="T" * 400,
        answer=long_answer,
        items=items,
        links=[Link("page", "https://example.org/")],
        question_id=1,
    )
    monkeypatch.setattr(bot_engine, "ask", lambda *a, **k: reply)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": "anything"})
        first = await message_response(handle)
        await fake_discord.settle()
        payloads = [first] + [r.json for r in handle.followups]
    assert len(payloads) > 1  # more than one message: 40 x 900 characters cannot fit in 6,000
    text = "".join(e.get("description", "") for p in payloads for e in p["embeds"])
    assert text.replace("\n", "").replace(" ", "") == long_answer.replace("\n", "").replace(" ", "")
    fields = [f for p in payloads for e in p["embeds"] for f in e.get("fields", [])]
    assert [f["name"] for f in fields if "(continued)" not in f["name"]] == [f"Item {n}" for n in range(60)]
    assert sum(1 for f in fields if f["name"].endswith("(continued)")) == 60  # 1,050 > 1,024 characters
    assert all(p["allowed_mentions"] == NO_PINGS for p in payloads)
    assert custom_ids(payloads[-1])  # the buttons sit under the last part


async def test_an_engine_failure_gets_a_short_message_and_is_logged(
    fake_discord, bot_engine, monkeypatch, caplog
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Reply:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(bot_engine, "ask", broken)
    async with started(fake_discord, bot_engine):
        data = await message_response(await fake_discord.slash("ask", {"question": "hello"}))
    assert int(data["flags"]) & EPHEMERAL
    assert data["content"].startswith("Sorry, something went wrong")
    assert "engine exploded" in caplog.text  # the details go to the log, not to the user
    assert "engine exploded" not in data["content"]


# -- answer buttons ------------------------------------------------------------------------------


async def test_thumbs_up_is_stored_and_buttons_work_after_a_restart(fake_discord, bot_engine) -> None:
    question, _ = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question})
        message = await handle.message()
        qid = bot_engine.db.execute("SELECT max(id) FROM questions").fetchone()[0]
        up = await message_response(await fake_discord.click(message, f"cmf:fb:up:{qid}:en"))
    assert int(up["flags"]) & EPHEMERAL and up["content"].startswith("Thanks")
    assert feedback_rows(bot_engine) == [(qid, "up")]

    # a new bot process (new client, same database): the old message's buttons still work
    async with started(fake_discord, bot_engine):
        down = await message_response(await fake_discord.click(message, f"cmf:fb:down:{qid}:en"))
    assert int(down["flags"]) & EPHEMERAL
    assert feedback_rows(bot_engine) == [(qid, "down")]  # 👎 replaces the same user's 👍


async def test_a_failing_button_gets_the_short_message_and_is_logged(
    fake_discord, bot_engine, monkeypatch, caplog
) -> None:
    question, _ = answerable(bot_engine)

    def broken(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("feedback store exploded")

    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question})
        message = await handle.message()
        qid = bot_engine.db.execute("SELECT max(id) FROM questions").fetchone()[0]
        monkeypatch.setattr(bot_engine, "feedback", broken)
        data = await message_response(await fake_discord.click(message, f"cmf:fb:up:{qid}:en"))
    assert int(data["flags"]) & EPHEMERAL and data["allowed_mentions"] == NO_PINGS
    assert data["content"].startswith("Sorry, something went wrong")
    assert "feedback store exploded" in caplog.text and "feedback store exploded" not in data["content"]
    assert feedback_rows(bot_engine) == []


async def test_sources_button_lists_the_links_ephemerally(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine)
    links = expected.links
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question})
        data = await message_response(
            await fake_discord.click(await handle.message(), f"cmf:src:en:i.{expected.intent}")
        )
    assert int(data["flags"]) & EPHEMERAL
    assert links and all(link.url in data["content"] for link in links)
    assert data["allowed_mentions"] == NO_PINGS


async def test_not_what_i_asked_records_the_question_for_moderators(fake_discord, bot_engine) -> None:
    question, _ = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question})
        message = await handle.message()
        qid = bot_engine.db.execute("SELECT max(id) FROM questions").fetchone()[0]
        data = await message_response(await fake_discord.click(message, f"cmf:nw:{qid}:en"))
    assert int(data["flags"]) & EPHEMERAL and "moderators" in data["content"]
    assert feedback_rows(bot_engine) == [(qid, "not_what_i_asked")]
    stored = bot_engine.db.execute("SELECT question FROM questions WHERE id = ?", [qid]).fetchone()[0]
    assert stored == question


# -- /about --------------------------------------------------------------------------------------


async def test_about_says_what_the_bot_knows_and_how_to_reach_a_moderator(fake_discord, bot_engine) -> None:
    kb = bot_engine.kb
    async with started(fake_discord, bot_engine, moderator_role="Helpers"):
        data = await message_response(await fake_discord.slash("about"))
    embed = data["embeds"][0]
    assert f"{len(kb.entries)} answers" in embed["description"]
    assert f"{len(kb.courses)} courses" in embed["description"]
    assert any("Helpers" in f["value"] for f in embed["fields"])
    assert data["allowed_mentions"] == NO_PINGS


# -- the gateway ---------------------------------------------------------------------------------


async def test_resumes_after_a_dropped_connection_and_keeps_answering(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        since = len(fake_discord.gateway_received)
        await fake_discord.drop_connection()
        resume = await fake_discord.wait_for_gateway(6, since=since)
        assert resume["d"]["session_id"]
        handle = await fake_discord.slash("ask", {"question": question})
        data = await message_response(handle)
    assert data["embeds"][0]["title"] == expected.title
