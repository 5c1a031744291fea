"""/verify and the "Check this credential" message menu, end to end through the fake Discord."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from fakediscord import would_ping
from fakediscord.menus import message_command
from test_bot_e2e import EPHEMERAL, NO_PINGS, message_response, started

from bot.credentials.model import MAX_BYTES

SAMPLES = Path(__file__).parent / "fixtures" / "credentials"
EDC = "mynextid_edc-microcredential_JAdES-signed.jsonld"
LEARNER = "Joe Done"  # the learner named in the EDC sample


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def tampered_edc() -> bytes:
    data = json.loads(sample(EDC))
    data["payload"] = data["payload"].replace("NETIS d.o.o.", "NETIZ d.o.o.")
    return json.dumps(data).encode()


async def reply_of(handle: Any) -> list[dict[str, Any]]:
    """Every message the bot answered an interaction with (after its "thinking…" defer)."""
    body = await handle.response()
    if body["type"] == 4:
        return [body["data"]]
    assert body["type"] == 5, body
    first = await handle.followup(0, timeout=30)
    await handle.fake.settle()
    return [first, *[r.json for r in handle.followups[1:]]]


def fields(messages: list[dict[str, Any]]) -> dict[str, str]:
    return {f["name"]: f["value"] for m in messages for e in m["embeds"] for f in e.get("fields", [])}


def everything(messages: list[dict[str, Any]]) -> str:
    return json.dumps(messages, ensure_ascii=False)


def ephemeral(message: dict[str, Any]) -> bool:
    return bool(int(message.get("flags") or 0) & EPHEMERAL)


async def test_verify_and_the_menu_are_in_the_synced_tree_localised(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        tree = fake_discord.synced_commands(fake_discord.guild_id)
    verify = next(c for c in tree if c["name"] == "verify")
    options = {o["name"]: o for o in verify["options"]}
    assert options["file"]["type"] == 11 and options["file"]["required"] is True
    assert options["public"]["type"] == 5 and not options["public"].get("required")
    assert verify["name_localizations"]["fr"] == "vérifier"
    menus = {c["name"]: c for c in tree if c.get("type") == 3}
    assert "Check this credential" in menus, sorted(menus)
    menu = menus["Check this credential"]
    assert menu["name_localizations"]["de"] == "Diesen Nachweis prüfen"


async def test_a_sealed_edc_is_explained_privately_and_nothing_about_the_learner_is_logged(
    fake_discord, bot_engine, caplog
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    async with started(fake_discord, bot_engine):
        file = fake_discord.attachment(EDC, sample(EDC), "application/ld+json")
        handle = await fake_discord.slash("verify", {"file": file})
        messages = await reply_of(handle)
    body = await handle.response()
    assert body["type"] == 5 and int(body["data"]["flags"]) & EPHEMERAL  # deferred, privately
    assert all(ephemeral(m) and m["allowed_mentions"] == NO_PINGS for m in messages)
    embed = messages[0]["embeds"][0]
    assert "Europass Digital Credential" in embed["title"] and "JAdES" in embed["title"]
    assert "Valid signature" in embed["description"]
    assert "on behalf of the awarding body" in embed["description"]
    shown = fields(messages)
    workload = next(v for k, v in shown.items() if "Notional workload" in k)
    assert next(k for k in shown if "Notional workload" in k).startswith("⚠️")
    assert "45 h but 5 ECTS: inconsistent, 5 ECTS ≈ 125–150 h" in workload
    assert any(LEARNER in v for v in shown.values())  # the employer sees whom it is for …
    assert "12345" not in everything(messages)  # … but not the national ID number
    not_checked = next(v for k, v in shown.items() if k == "Not checked")
    assert "status list" in not_checked and "trust lists" in not_checked
    # nothing identifying in the logs or the question log, not even the file name
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert "credential checked: edc/jades, valid" in ours
    assert LEARNER not in ours and EDC not in ours and "12345" not in ours
    logged = [row[0] for row in bot_engine.db.execute("SELECT question FROM questions").fetchall()]
    assert logged[-1] == "/verify edc"
    assert not any(LEARNER in q or EDC in q for q in logged)


async def test_a_tampered_copy_fails_and_says_so(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        file = fake_discord.attachment("credential.jsonld", tampered_edc())
        messages = await reply_of(await fake_discord.slash("verify", {"file": file}))
    description = messages[0]["embeds"][0]["description"]
    assert description.startswith("❌") and "does not match" in description
    assert "Valid signature" not in everything(messages)


async def test_public_answers_in_the_channel_in_the_users_language(fake_discord, bot_engine) -> None:
    name = "w3c-vc-di-eddsa_eddsa-rdfc-2022_signed.json"
    async with started(fake_discord, bot_engine):
        file = fake_discord.attachment(name, sample(name))
        handle = await fake_discord.slash("verify", {"file": file, "public": True}, locale="fr")
        messages = await reply_of(handle)
    assert not ephemeral(messages[0])
    embed = messages[0]["embeds"][0]
    assert embed["title"].startswith("Vérification du certificat")
    assert "Signature valide" in embed["description"]


async def test_the_message_menu_checks_the_attached_file(fake_discord, bot_engine) -> None:
    name = "dcc_ob3_vc2_Ed25519Signature2020_didkey_TAMPERED.json"
    async with started(fake_discord, bot_engine):
        posted = await fake_discord.send_message(
            "my badge", channel="general", attachments=[fake_discord.attachment(name, sample(name))]
        )
        messages = await reply_of(await message_command(fake_discord, "Check this credential", posted))
        bare = await fake_discord.send_message("no file here", channel="general")
        refused = await reply_of(await message_command(fake_discord, "Check this credential", bare))
    assert ephemeral(messages[0]) and "Open Badge 3.0" in messages[0]["embeds"][0]["title"]
    assert "does not match" in messages[0]["embeds"][0]["description"]
    assert ephemeral(refused[0]) and refused[0]["content"] == "That message has no attached file to check."


async def test_a_file_over_the_limit_is_refused_before_download(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        mark = fake_discord.mark()
        big = fake_discord.attachment("big.json", b"{" + b" " * MAX_BYTES + b"}")
        messages = await reply_of(await fake_discord.slash("verify", {"file": big}))
        downloads = [r for r in fake_discord.requests[mark:] if r.path.startswith("/attachments/")]
    assert ephemeral(messages[0]) and "too large" in messages[0]["content"]
    assert downloads == []


async def test_unreadable_files_get_one_clear_sentence(fake_discord, bot_engine) -> None:
    cases = {
        "notes.txt": (b"hello, this is not a credential", "can't read this file as a credential"),
        "evil.xml": (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b"<europassCredential>&a;</europassCredential>",
            "declares a DTD or entities",
        ),
        "token.jwt": (sample("mynextid_ob3-microcredential_BROKEN-header-only.jwt"), "incomplete"),
    }
    async with started(fake_discord, bot_engine):
        for name, (content, expected) in cases.items():
            file = fake_discord.attachment(name, content)
            (message,) = await reply_of(await fake_discord.slash("verify", {"file": file}))
            assert ephemeral(message) and expected in message["content"], name
            assert "\n" not in message["content"] and not message.get("embeds")


async def test_text_from_the_file_cannot_ping_or_format_the_answer(fake_discord, bot_engine) -> None:
    data = json.loads(sample("mynextid_ob3-microcredential_unsigned.json"))
    data["credentialSubject"]["achievement"]["name"] = "@everyone [click me](https://evil.example) **Gold**"
    data["credentialSubject"]["achievement"]["description"] = "x" * 5000
    data["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": f"outcome {i} " + "y" * 280, "targetUrl": "https://a.example"}
        for i in range(40)
    ]
    async with started(fake_discord, bot_engine):
        file = fake_discord.attachment("badge.json", json.dumps(data))
        messages = await reply_of(await fake_discord.slash("verify", {"file": file, "public": True}))
    shown = everything(messages)
    assert all(would_ping(m) == [] for m in messages)  # the fake also rejected nothing over the limits
    assert "@everyone" not in shown.replace("@\u200beveryone", "")
    title = next(v for k, v in fields(messages).items() if "Title of the micro-credential" in k)
    assert "\\[click me](" in title and "[click me](" not in title.replace("\\[click me](", "")
    assert "\\*\\*Gold\\*\\*" in title  # shown as typed, not as bold


async def test_asking_whether_a_file_is_genuine_points_to_verify_as_the_asker_sees_it(
    fake_discord, bot_engine
) -> None:
    """Trial 186: "how do i check its genuine and not edited?" got a checklist naming only the
    Europass seal; the answer now opens with /verify, spelt as French users see the command."""
    question = "comment vérifier qu'un open badge est authentique et pas falsifié ?"
    async with started(fake_discord, bot_engine):
        tree = fake_discord.synced_commands(fake_discord.guild_id)
        data = await message_response(await fake_discord.slash("ask", {"question": question}, locale="fr"))
    local = next(c for c in tree if c["name"] == "verify")["name_localizations"]["fr"]
    shown = data["embeds"][0]["description"]
    assert shown.startswith("En bref") and f"/{local}" in shown and "/verify" not in shown
