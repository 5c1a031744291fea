"""What users of the best bots expect (issue 11): the message command, forum help channels, /help with
clickable commands, the localised /kb tree, a presence line, per-server settings, sharding, and a
clean SIGTERM — each through the real discord.py client against the fake Discord."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from db_copies import copy_database
from fakediscord import FakeDiscord
from test_bot_e2e import (
    EPHEMERAL,
    NO_PINGS,
    answer_of,
    answerable,
    custom_ids,
    message_response,
    quiet,
    started,
    unsure,
)
from test_bot_moderation import reply_of

from bot.client import ShardedCMFBot
from bot.config import AUTO_SHARDS

MODERATOR = "moderator"
ADMIN = "admin"


def synced(fake: FakeDiscord) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in fake.synced_commands(fake.guild_id)}


# -- the message command ---------------------------------------------------------------------------


async def test_ask_the_bot_about_a_message_works_without_the_message_content_intent(
    fake_discord, bot_engine
) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine, help_channel_ids=()) as bot:
        assert not bot.intents.message_content
        menu = next(c for c in fake_discord.synced_commands(fake_discord.guild_id) if c["type"] == 3)
        sent = await fake_discord.send_message(question, channel="general", author="member")
        handle = await fake_discord.context_menu(menu["name"], sent, user=MODERATOR, locale="fr")
        data = await message_response(handle)
        unsure_question = unsure(bot_engine)
        vague = await fake_discord.send_message(unsure_question, channel="general")
        private = await message_response(await fake_discord.context_menu(menu["name"], vague))
    assert menu["name"] == "Ask the CMF bot" and menu["name_localizations"]["fr"] == "Demander au bot CMF"
    with_french = bot_engine.answer_intent(expected.intent, "fr")
    assert not int(data.get("flags") or 0) & EPHEMERAL  # a confident answer helps the asker: public
    assert data["embeds"][0]["title"] == with_french.title
    assert data["embeds"][-1]["footer"]["text"] == "À propos d'un message de Learner"
    assert int(private["flags"]) & EPHEMERAL  # unsure: only the member who asked sees it
    assert data["allowed_mentions"] == NO_PINGS


async def test_the_message_command_on_a_message_without_text_explains(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        sent = await fake_discord.send_message(f"<@{fake_discord.user_id('admin')}>", channel="general")
        data = await message_response(await fake_discord.context_menu("Ask the CMF bot", sent))
    assert int(data["flags"]) & EPHEMERAL and "no text" in data["content"]


# -- forum help channels ---------------------------------------------------------------------------


async def test_a_forum_post_is_answered_once_from_its_title(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine)
    forum = fake_discord.world.add_forum("questions")
    async with started(fake_discord, bot_engine, help_channel_ids=(int(forum["id"]),)):
        thread, first = await fake_discord.forum_post(
            "questions", question, "Hello everyone, I am new here and could not find it anywhere."
        )
        answer = await fake_discord.wait_for_message(thread["id"], after=first)
        mark = fake_discord.mark()
        await fake_discord.send_message(question, channel=thread["id"])  # asked again in the same post
        await fake_discord.settle()
    assert answer["embeds"][0]["title"] == expected.title
    assert answer["message_reference"]["message_id"] == first["id"]
    assert fake_discord.find("POST", r"/channels/\d+/messages", since=mark) == []
    assert bot_engine.db.execute(
        "SELECT count(*) FROM discord_answered_posts WHERE thread_id = ?", [int(thread["id"])]
    ).fetchone() == (1,)


async def test_the_posts_author_marks_it_solved_with_a_thumbs_up(fake_discord, bot_engine) -> None:
    from fakediscord.factories import MANAGE_THREADS

    question, _ = answerable(bot_engine)
    forum = fake_discord.world.add_forum("questions", tags=("solved", "bug"))
    fake_discord.world.set_overwrite("questions", "bot", allow=MANAGE_THREADS)
    async with started(fake_discord, bot_engine, help_channel_ids=(int(forum["id"]),)):
        settings = await fake_discord.slash("kb", {"solved_tag": "Solved"}, subcommand="settings", user=ADMIN)
        await reply_of(settings)
        thread, first = await fake_discord.forum_post("questions", question, "", author="member")
        answer = await fake_discord.wait_for_message(thread["id"], after=first)
        up = next(i for i in custom_ids(answer) if i.startswith("cmf:fb:up:"))
        await answer_of(await fake_discord.click(answer, up, user=MODERATOR))  # not the author: no tag
        await fake_discord.settle()
        assert fake_discord.world.threads[thread["id"]]["applied_tags"] == []
        await answer_of(await fake_discord.click(answer, up, user="member"))
        edit = await fake_discord.wait_for("PATCH", rf"/channels/{thread['id']}")
    solved = next(t["id"] for t in forum["available_tags"] if t["name"] == "solved")
    assert edit.json["applied_tags"] == [solved]
    assert fake_discord.world.threads[thread["id"]]["applied_tags"] == [solved]


# -- /help, the localised tree, the presence line -------------------------------------------------


async def test_help_lists_clickable_commands_in_the_users_language(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        member = await message_response(await fake_discord.slash("help", locale="fr"))
        moderator = await message_response(await fake_discord.slash("help", user=MODERATOR, locale="de"))
    tree = synced(fake_discord)
    member_text = str(member["embeds"])
    assert int(member["flags"]) & EPHEMERAL
    assert (
        f"</ask:{tree['ask']['id']}>" in member_text and f"</courses:{tree['courses']['id']}>" in member_text
    )
    assert "Posez une question" in member_text  # the descriptions in the member's language
    assert "/kb" not in member_text and "</kb " not in member_text
    moderator_text = str(moderator["embeds"])
    assert f"</kb settings:{tree['kb']['id']}>" in moderator_text
    assert f"<#{fake_discord.channel_id('help')}>" in moderator_text  # where it answers unasked


async def test_the_kb_tree_and_strings_name_the_commands_users_see(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        refused = await message_response(
            await fake_discord.slash("kb", {"id": "x"}, subcommand="show", user="member", locale="fr")
        )
    kb = synced(fake_discord)["kb"]
    subs = {o["name"]: o for o in kb["options"]}
    assert (
        kb["name_localizations"]["fr"] == "connaissances" and kb["name_localizations"]["de"] == "wissensbasis"
    )
    assert subs["show"]["name_localizations"]["es-ES"] == "mostrar"
    assert subs["settings"]["name_localizations"]["it"] == "impostazioni"
    lang = next(o for o in subs["edit"]["options"] if o["name"] == "lang")
    assert lang["name_localizations"]["fr"] == "langue"
    assert "/connaissances" in refused["content"] and "/kb" not in refused["content"]


async def test_the_fallback_names_the_about_command_as_french_users_see_it(fake_discord, bot_engine) -> None:
    question = unsure(bot_engine, status="no_match")
    with quiet(bot_engine):
        with_english = bot_engine.ask(question, "fr").answer
    async with started(fake_discord, bot_engine):
        data = await message_response(await fake_discord.slash("ask", {"question": question}, locale="fr"))
    shown = data["embeds"][0]["description"]
    assert "/about" in with_english  # the engine's text, shared with the console
    assert "/à-propos" in shown and "/about" not in shown


async def test_health_is_visible_in_the_log(fake_discord, bot_engine, caplog) -> None:
    caplog.set_level(logging.INFO, "bot.client")
    async with started(fake_discord, bot_engine, health_interval=60.0):
        fake_discord.advance(61)
        for _ in range(100):  # the health loop wakes up on the fake clock and logs
            if "health:" in caplog.text:
                break
            await asyncio.sleep(0.02)
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.client"]
    assert any(line.startswith("ready: cmf-test-bot") and "1 server(s)" in line for line in lines)
    assert any(
        line.startswith("health: connected, latency") and "knowledge generation" in line for line in lines
    )


async def test_the_bot_shows_a_presence_line(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        identify = await fake_discord.wait_for_gateway(2)
    presence = identify["d"]["presence"]
    (activity,) = presence.get("activities") or [presence["game"]]  # discord.py 2.7 sends "game"
    assert activity["type"] == 4 and "/ask" in activity["state"] and "/help" in activity["state"]


# -- per-server settings ---------------------------------------------------------------------------


async def test_kb_settings_change_help_channels_answer_mode_and_moderator_role_at_once(
    fake_discord, bot_engine
) -> None:
    helper = fake_discord.world.add_member("helper", roles=("Bot",))  # a role that is not "Moderator"
    question = unsure(bot_engine)
    async with started(fake_discord, bot_engine) as bot:
        denied = await message_response(
            await fake_discord.slash("kb", {"answer_mode": "suggest"}, subcommand="settings", user=MODERATOR)
        )
        changed = await reply_of(
            await fake_discord.slash(
                "kb",
                {"add_help_channel": "general", "answer_mode": "suggest", "moderator_role": "Bot"},
                subcommand="settings",
                user=ADMIN,
            )
        )
        asked = await fake_discord.send_message(question, channel="general")  # now a help channel
        offered = await fake_discord.wait_for_message("general", after=asked)
        shown = await reply_of(await fake_discord.slash("kb", {}, subcommand="settings", user=helper))
    assert "Manage Server" in denied["content"]
    assert "Saved" in changed["content"]
    fields = {f["name"]: f["value"] for f in changed["embeds"][0]["fields"]}
    help_field = next(v for k, v in fields.items() if k.startswith("Help channels"))
    assert f"<#{fake_discord.channel_id('general')}>" in help_field
    assert any(c["type"] == 3 for row in offered["components"] for c in row["components"])  # "Did you mean"
    assert "Settings of" in shown["embeds"][0]["title"]  # the new moderator role may use /kb
    row = bot_engine.db.execute(
        "SELECT help_channel_ids, answer_mode, moderator_role_id, updated_by FROM discord_guild_settings"
    ).fetchone()
    assert row[1] == "suggest" and row[2] == int(fake_discord.world.role("Bot")["id"])
    assert (
        str(fake_discord.channel_id("general")) in row[0]
        and row[3] == f"discord:{fake_discord.user_id(ADMIN)}"
    )
    assert bot.server_config(fake_discord.guild_id).answer_mode == "suggest"


async def test_server_settings_survive_a_restart_and_reset_restores_the_configuration(
    fake_discord, bot_engine
) -> None:
    async with started(fake_discord, bot_engine, help_channel_ids=()):
        await reply_of(
            await fake_discord.slash("kb", {"add_help_channel": "help"}, subcommand="settings", user=ADMIN)
        )
    async with started(fake_discord, bot_engine, help_channel_ids=()) as bot:
        assert bot.intents.message_content  # a server has help channels: the intent is asked for
        assert bot.server_config(fake_discord.guild_id).help_channel_ids == (fake_discord.channel_id("help"),)
        reset = await reply_of(
            await fake_discord.slash("kb", {"reset": True}, subcommand="settings", user=ADMIN)
        )
        assert bot.server_config(fake_discord.guild_id).help_channel_ids == ()
    assert "reset" in reset["content"]


# -- sharding --------------------------------------------------------------------------------------


async def test_an_auto_sharded_bot_answers(fake_discord, bot_engine) -> None:
    question, expected = answerable(bot_engine)
    async with started(fake_discord, bot_engine, shard_count=AUTO_SHARDS) as bot:
        assert isinstance(bot, ShardedCMFBot) and bot.shard_count == 1
        data = await message_response(await fake_discord.slash("ask", {"question": question}))
    identify = next(p for p in fake_discord.gateway_received if p["op"] == 2)
    assert identify["d"]["shard"] == [0, 1]
    assert data["embeds"][0]["title"] == expected.title


# -- the process: SIGTERM, a refused sync, a missing intent ---------------------------------------


def _bot_env(fake: FakeDiscord, db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CMF_BOT_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN=fake.token,
        DISCORD_API_BASE=fake.api_base,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        CMF_BOT_DB=str(db),
        **extra,
    )
    return env


def _copy_db(engine: Any, target: Path) -> Path:
    source = Path(engine.db.conn.execute("PRAGMA database_list").fetchone()[2])
    engine.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return copy_database(source, target)  # the trained matcher linked


async def _start_cli(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--env-file", os.devnull,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _read_until(
    proc: asyncio.subprocess.Process, needle: str, lines: list[str], timeout: float
) -> None:
    assert proc.stderr is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = await asyncio.wait_for(proc.stderr.readline(), deadline - time.monotonic())
        if not line:
            break
        lines.append(line.decode())
        if needle in lines[-1]:
            return
    raise AssertionError(f"{needle!r} never logged:\n" + "".join(lines))


async def test_sigterm_closes_cleanly_within_5_s_after_a_refused_sync(
    fake_discord, bot_engine, tmp_path
) -> None:
    fake_discord.rate_limit("PUT", r"/applications/\d+/commands", retry_after=86_400)  # global sync refused
    env = _bot_env(fake_discord, _copy_db(bot_engine, tmp_path / "cli.sqlite3"), CMF_BOT_HEALTH_INTERVAL="0")
    proc = await _start_cli(env)
    lines: list[str] = []
    try:
        await _read_until(proc, "command sync:", lines, 60)  # ready, and the sync was tried
        proc.send_signal(signal.SIGTERM)
        started_at = time.monotonic()
        _, err = await asyncio.wait_for(proc.communicate(), 10)
        took = time.monotonic() - started_at
    finally:
        if proc.returncode is None:
            proc.kill()
    stderr = "".join(lines) + err.decode()
    assert proc.returncode == 0, stderr
    assert took < 5.0, f"closing took {took:.1f} s"
    assert "Traceback" not in stderr and fake_discord.token not in stderr
    assert "not synced, Discord's rate limit" in stderr and "SIGTERM received" in stderr
    assert "closed cleanly" in stderr
    assert len(fake_discord.client_close_codes) == 1  # the bot closed the gateway itself


async def test_run_without_the_message_content_intent_enabled_exits_2_with_one_line(
    fake_discord, bot_engine, tmp_path
) -> None:
    fake_discord.enabled_intents.discard("message_content")  # not enabled in the Developer Portal
    env = _bot_env(
        fake_discord,
        _copy_db(bot_engine, tmp_path / "cli.sqlite3"),
        CMF_BOT_HELP_CHANNEL_IDS=str(fake_discord.channel_id("help")),
    )
    proc = await _start_cli(env)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    text = err.decode()
    assert proc.returncode == 2, text
    assert "Message Content intent is not enabled" in text and "Traceback" not in text
