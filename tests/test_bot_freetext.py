"""Free text (help channel, DM, mention), the pick menu, the free-text cooldown, and `cmf-bot run` errors."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any
from urllib.parse import unquote

import pytest
from test_bot_e2e import NO_PINGS, answerable, custom_ids, quiet, started, unsure

from bot.config import Cooldown


async def test_help_channel_question_gets_a_reply_that_pings_nobody(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        asked = await fake_discord.send_message(question, channel="help")
        reply = await fake_discord.wait_for_message("help", after=asked)
        request = fake_discord.find("POST", rf"/channels/{fake_discord.channel_id('help')}/messages")[-1].json
    assert reply["embeds"][0]["title"] == expected.title
    assert str(request["message_reference"]["message_id"]) == asked["id"]
    assert request["allowed_mentions"] == {**NO_PINGS, "replied_user": False}
    assert any(i.startswith("cmf:fb:up:") for i in custom_ids(request))


@pytest.mark.parametrize("status", ["no_match", "suggestions"])
async def test_help_channel_stays_silent_when_unsure(fake_discord, bot_engine, status: str) -> None:
    """Neither "I don't know" nor "did you mean" is posted in a busy help channel."""
    question = unsure(bot_engine, status=status)
    async with started(fake_discord, bot_engine):
        since = fake_discord.mark()
        await fake_discord.send_message(question, channel="help")
        await fake_discord.settle()
    assert fake_discord.find("POST", r"/channels/\d+/messages", since=since) == []


async def test_other_channels_and_bots_are_ignored(fake_discord, bot_engine) -> None:
    question, _ = answerable(bot_engine)
    async with started(fake_discord, bot_engine):
        since = fake_discord.mark()
        await fake_discord.send_message(question, channel="general")  # not a help channel, no mention
        await fake_discord.send_message(question, channel="help", author="other_bot")
        await fake_discord.settle()
    assert fake_discord.find("POST", r"/channels/\d+/messages", since=since) == []


async def test_a_mention_gets_an_answer(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine, help_channel_ids=()):
        asked = await fake_discord.send_message(question, channel="general", mentions_bot=True)
        reply = await fake_discord.wait_for_message("general", after=asked)
    assert reply["embeds"][0]["title"] == expected.title


async def test_dm_in_french_answers_in_french(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine, "fr")
    async with started(fake_discord, bot_engine):
        asked = await fake_discord.send_message(question, dm=True)
        reply = await fake_discord.wait_for_message(asked["channel_id"], after=asked)
    assert expected.lang == "fr"
    assert reply["embeds"][0]["title"] == expected.title
    assert any(i.endswith(":fr") for i in custom_ids(reply))


async def test_unsure_in_a_dm_offers_a_menu_and_picking_answers(fake_discord, bot_engine) -> None:
    question = unsure(bot_engine)
    with quiet(bot_engine):
        offered = bot_engine.ask(question).suggestions
    async with started(fake_discord, bot_engine):
        asked = await fake_discord.send_message(question, dm=True)
        reply = await fake_discord.wait_for_message(asked["channel_id"], after=asked)
        select = next(c for row in reply["components"] for c in row["components"] if c["type"] == 3)
        assert [o["value"] for o in select["options"]] == [s.intent for s in offered]
        picked = await fake_discord.select(reply, select["custom_id"], [offered[0].intent])
        body = await picked.response()
    expected = bot_engine.answer_intent(offered[0].intent, "en")
    assert body["type"] == 7  # the menu message turns into the answer
    assert body["data"]["embeds"][0]["title"] == expected.title
    assert not any(c["type"] == 3 for row in body["data"]["components"] for c in row["components"])


async def test_free_text_cooldown_reacts_instead_of_answering(fake_discord, bot_engine) -> None:
    question, _ = answerable(bot_engine)
    async with started(fake_discord, bot_engine, freetext_cooldown=Cooldown(1, 60)):
        first = await fake_discord.send_message(question, channel="help")
        await fake_discord.wait_for_message("help", after=first)
        since = fake_discord.mark()
        second = await fake_discord.send_message(question, channel="help")
        reaction = await fake_discord.wait_for(
            "PUT", rf"/channels/\d+/messages/{second['id']}/reactions/.+/@me"
        )
        await fake_discord.settle()
    assert "%E2%8F%B3" in reaction.path or "⏳" in reaction.path
    assert fake_discord.find("POST", r"/channels/\d+/messages", since=since) == []


async def test_unsure_mention_with_no_match_gets_the_fallback(fake_discord, bot_engine) -> None:
    question = unsure(bot_engine, status="no_match")
    with quiet(bot_engine):
        fallback = bot_engine.ask(question)
    async with started(fake_discord, bot_engine):
        asked = await fake_discord.send_message(question, channel="general", mentions_bot=True)
        reply = await fake_discord.wait_for_message("general", after=asked)
    assert fallback.answer.split()[0] in reply["embeds"][0]["description"]


async def test_too_long_question_by_mention_gets_a_clear_reply(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine, max_question_chars=40):
        asked = await fake_discord.send_message("why " * 20, channel="general", mentions_bot=True)
        reply = await fake_discord.wait_for_message("general", after=asked)
    assert "too long" in reply["content"] and "40" in reply["content"]


async def _run_cli(env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--env-file",
        os.devnull,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_run_with_a_rejected_token_exits_2_with_one_line(fake_discord) -> None:
    secret = "definitely-not-the-right-token"
    code, out, err = await _run_cli(
        {
            "DISCORD_TOKEN": secret,
            "DISCORD_API_BASE": fake_discord.api_base,
            "DISCORD_GATEWAY_URL": fake_discord.gateway_url,
            "CMF_BOT_HELP_CHANNEL_IDS": "",
        }
    )
    assert code == 2
    assert "rejected the token" in err
    assert "Traceback" not in err and secret not in err + out
    assert fake_discord.find("GET", "/users/@me")  # it really tried to log in at the fake


async def test_run_without_a_token_exits_2_with_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--env-file",
        os.devnull,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    assert err.decode().strip().count("\n") == 0 and "DISCORD_TOKEN is not set" in err.decode()


def logged_questions(engine: Any) -> int:
    return engine.db.execute("SELECT count(*) FROM questions").fetchone()[0]


async def test_messages_on_cooldown_are_not_recorded(fake_discord, bot_engine) -> None:
    question, _ = answerable(bot_engine)
    before = logged_questions(bot_engine)
    async with started(fake_discord, bot_engine, freetext_cooldown=Cooldown(1, 60)):
        first = await fake_discord.send_message(question, channel="help")
        await fake_discord.wait_for_message("help", after=first)
        for _ in range(4):
            again = await fake_discord.send_message(question, channel="help")
            await fake_discord.wait_for("PUT", rf"/channels/\d+/messages/{again['id']}/reactions/.+/@me")
        await fake_discord.settle()
    assert logged_questions(bot_engine) == before + 1  # only the answered one


async def test_one_user_cannot_flood_the_question_log_with_silent_messages(fake_discord, bot_engine) -> None:
    question = unsure(bot_engine, status="no_match")
    before = logged_questions(bot_engine)
    async with started(fake_discord, bot_engine, freetext_cooldown=Cooldown(1, 60)):
        for n in range(8):
            await fake_discord.send_message(f"{question} {n}", channel="help")
        await fake_discord.settle()
        assert logged_questions(bot_engine) == before + 2  # twice the cooldown's rate per window
        fake_discord.advance(61)
        await fake_discord.send_message(f"{question} again", channel="help")
        await fake_discord.settle()
    assert logged_questions(bot_engine) == before + 3


# -- help-channel fallback without noise: ❔ under the question, the topics when the asker asks --------

HELP = "❔"


def sent_messages(fake: Any, since: int) -> list[Any]:
    return fake.find("POST", r"/channels/\d+/messages$", since=since)


@pytest.mark.parametrize("status", ["suggestions", "no_match"])
async def test_unsure_in_a_help_channel_reacts_once_and_answers_only_the_askers_reaction(
    fake_discord, bot_engine, status
) -> None:
    question = unsure(bot_engine, status=status)
    with quiet(bot_engine):
        expected = bot_engine.ask(question)
    titles = [s.title for s in expected.suggestions]
    assert titles
    async with started(fake_discord, bot_engine):
        since = fake_discord.mark()
        asked = await fake_discord.send_message(question, channel="help")
        reaction = await fake_discord.wait_for(
            "PUT", rf"/channels/\d+/messages/{asked['id']}/reactions/.+/@me"
        )
        await fake_discord.settle()
        assert sent_messages(fake_discord, since) == []  # silent in the channel: only the one reaction
        assert HELP in unquote(reaction.path)

        await fake_discord.react(asked, HELP, user="moderator")  # somebody else's ❔: ignored
        await fake_discord.settle()
        assert sent_messages(fake_discord, since) == []

        await fake_discord.react(asked, HELP)  # the asker's own ❔
        reply = await fake_discord.wait_for_message("help", after=asked)
        await fake_discord.wait_for("DELETE", rf"/channels/\d+/messages/{asked['id']}/reactions/.+/@me")
        await fake_discord.react(asked, HELP)  # once only
        await fake_discord.settle()
        (request,) = sent_messages(fake_discord, since)
        menus = [c for row in reply["components"] for c in row["components"] if c["type"] == 3]
        shown = "\n".join(e.get("description") or "" for e in reply["embeds"])
        assert len(menus) == 1 and [o["label"] for o in menus[0]["options"]] == [t[:100] for t in titles[:25]]
        assert all(t in shown for t in titles)
        menu = menus[0]
        picked = await fake_discord.select(reply, menu["custom_id"], [expected.suggestions[0].intent])
        body = await picked.response()
    chosen = bot_engine.answer_intent(expected.suggestions[0].intent, "en")
    assert body["type"] == 7 and body["data"]["embeds"][0]["title"] == chosen.title  # picking answers
    assert str(request.json["message_reference"]["message_id"]) == asked["id"]
    assert request.json["allowed_mentions"] == {**NO_PINGS, "replied_user": False}


async def test_no_match_without_closest_topics_stays_silent_without_a_reaction(
    fake_discord, bot_engine
) -> None:
    question = "what is the best pizza topping in naples"
    with quiet(bot_engine):
        reply = bot_engine.ask(question)
    assert reply.status != "answer" and not reply.suggestions
    async with started(fake_discord, bot_engine):
        since = fake_discord.mark()
        await fake_discord.send_message(question, channel="help")
        await fake_discord.settle()
        assert fake_discord.find("PUT", r"/reactions/", since=since) == []
        assert sent_messages(fake_discord, since) == []
