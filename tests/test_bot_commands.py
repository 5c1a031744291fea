"""/requirements, /courses, /credential, /check (options and form) through the fake Discord."""

from __future__ import annotations

import json
from typing import Any

from test_bot_e2e import EPHEMERAL, NO_PINGS, custom_ids, feedback_rows, message_response, quiet, started


def titles_of(data: dict[str, Any]) -> list[str]:
    return [f["name"] for e in data["embeds"] for f in e.get("fields", [])]


async def test_requirements_for_an_audience_is_the_engine_checklist(fake_discord, bot_engine) -> None:
    expected = bot_engine.checklist("employer", "de")
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("requirements", {"audience": "employer"}, locale="de")
        data = await message_response(handle)
        qid = bot_engine.db.execute("SELECT max(id) FROM questions").fetchone()[0]
    assert data["embeds"][0].get("title", "") == expected.title[:256]
    values = [f["value"] for e in data["embeds"] for f in e.get("fields", [])]
    assert len(values) >= len(expected.items)
    for item, value in zip(expected.items, values, strict=False):
        assert item.text.strip()[:60] in value
    assert data["allowed_mentions"] == NO_PINGS
    assert f"cmf:fb:up:{qid}:de" in custom_ids(data)


async def test_courses_pages_with_buttons_only_for_the_searcher(fake_discord, bot_engine) -> None:
    with quiet(bot_engine):
        everything = bot_engine.search_courses("", "en", limit=10)
    assert len(everything.items) >= 2, "the test catalogue needs two courses"
    async with started(fake_discord, bot_engine) as bot:
        bot.get_cog("Courses").page_size = 1
        handle = await fake_discord.slash("courses", {"query": ""})
        first = await message_response(handle)
        message = await handle.message()
        ids = custom_ids(first)
        buttons = [c for row in first["components"] for c in row["components"]]
        prev_button = next(b for b in buttons if b.get("label") == "Previous")
        next_button = next(b for b in buttons if b.get("label") == "Next")
        assert prev_button.get("disabled") is True and not next_button.get("disabled")
        assert first["embeds"][0]["footer"]["text"] == "Page 1"
        assert titles_of(first)[0] == everything.items[0].label

        stranger = await message_response(
            await fake_discord.click(message, next_button["custom_id"], user="moderator")
        )
        assert int(stranger["flags"]) & EPHEMERAL and "Only the person who searched" in stranger["content"]

        page2 = await fake_discord.click(message, next_button["custom_id"])
        body = await page2.response()
    assert body["type"] == 7  # the message is updated in place
    assert body["data"]["embeds"][0]["footer"]["text"] == "Page 2"
    assert titles_of(body["data"])[0] == everything.items[1].label
    assert any(i.startswith("cmf:fb:up:") for i in ids)


async def test_credential_autocomplete_and_profile(fake_discord, bot_engine) -> None:
    course_id, title = bot_engine.course_choices("", limit=1)[0]
    expected = bot_engine.credential_profile(course_id, "en")
    async with started(fake_discord, bot_engine):
        typed = title.split()[0]
        choices = await (await fake_discord.autocomplete("credential", {"name": typed}, "name")).choices()
        assert 1 <= len(choices) <= 25
        assert course_id in [c["value"] for c in choices]
        data = await message_response(await fake_discord.slash("credential", {"name": course_id}))
    assert data["embeds"][0]["title"] == expected.title[:256]
    assert f"cmf:src:en:p.{course_id}" in custom_ids(data)


async def test_credential_unknown_name_gets_an_ephemeral_notice(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        data = await message_response(await fake_discord.slash("credential", {"name": "zzzz qqqq xxxx"}))
    assert int(data["flags"]) & EPHEMERAL
    assert "can't find" in data["content"]


async def test_check_with_options_reports_each_requirement(fake_discord, bot_engine) -> None:
    facts = {"study_hours": 80.0, "eqf_level": 6, "assessment": "proctored-exam", "id_verification": True}
    expected = bot_engine.check_compliance(facts, "en")
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash(
            "check", {"hours": 80, "eqf": 6, "assessment": "proctored-exam", "id_verification": True}
        )
        data = await message_response(handle)
    assert data["embeds"][0].get("title", "") == expected.title[:256]
    assert len(titles_of(data)) >= len(expected.items)
    assert "cmf:src:en:c" in custom_ids(data) or not expected.links


async def test_check_with_uk_credits_sets_them_beside_futurelearns_equivalence(
    fake_discord, bot_engine
) -> None:
    facts = {"uk_credits": 20.0, "eqf_level": 6}
    expected = bot_engine.check_compliance(facts, "en")
    info = next(item for item in expected.items if item.status == "info")
    assert "UK credits: 20, outside the 10–15" in info.text
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("check", {"uk_credits": 20, "eqf": 6})
        data = await message_response(handle)
    assert data["embeds"][0].get("title", "") == expected.title[:256]
    sent = json.dumps(data, ensure_ascii=False)
    assert "UK credits: 20, outside the 10–15" in sent


async def test_check_without_options_opens_a_form_and_answers_it(fake_discord, bot_engine) -> None:
    expected = bot_engine.check_compliance({"study_hours": 120.0, "eqf_level": 6}, "fr")
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("check", locale="fr")
        body = await handle.response()
        form_id = body["data"]["custom_id"]
        assert body["type"] == 9 and form_id.startswith("cmf:check:")
        assert form_id.endswith(f":{fake_discord.user_id('member')}")  # the form of this member only
        inputs = [c for row in body["data"]["components"] for c in row["components"]]
        assert len(inputs) == 5
        by_label = {c["label"]: c["custom_id"] for c in inputs}
        hours_id = by_label["Heures d'étude au total"]
        eqf_id = by_label["Niveau CEC (1-8)"]
        submitted = await fake_discord.submit_modal(form_id, {hours_id: "120", eqf_id: "6"}, locale="fr")
        data = await message_response(submitted)
    assert data["embeds"][0].get("title", "") == expected.title[:256]
    assert data["allowed_mentions"] == NO_PINGS


async def test_check_form_takes_uk_credits_in_its_credits_field(fake_discord, bot_engine) -> None:
    """Discord allows a form five fields, so its credits field also takes UK or US credits by name."""
    expected = bot_engine.check_compliance({"uk_credits": 30.0, "eqf_level": 6}, "en")
    info = next(item for item in expected.items if item.status == "info")
    assert "UK credits: 30, outside the 10–15" in info.text
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("check")
        body = await handle.response()
        by_label = {c["label"]: c for row in body["data"]["components"] for c in row["components"]}
        credits = by_label["Credits (ECTS, or UK/US credits)"]
        assert "30 UK credits" in credits["placeholder"]
        fields = {credits["custom_id"]: "30 UK", by_label["EQF level (1-8)"]["custom_id"]: "6"}
        submitted = await fake_discord.submit_modal(body["data"]["custom_id"], fields)
        data = await message_response(submitted)
    assert data["embeds"][0].get("title", "") == expected.title[:256]
    assert "UK credits: 30, outside the 10–15" in json.dumps(data, ensure_ascii=False)


async def test_check_form_refuses_two_credit_figures(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("check")
        body = await handle.response()
        (credits_id,) = (
            c["custom_id"]
            for row in body["data"]["components"]
            for c in row["components"]
            if c["label"].startswith("Credits")
        )
        form_id = body["data"]["custom_id"]
        submitted = await fake_discord.submit_modal(form_id, {credits_id: "5 ECTS or 30 UK"})
        data = await message_response(submitted)
    assert int(data["flags"]) & EPHEMERAL and "write one number of credits" in data["content"]
    assert bot_engine.db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0


async def test_check_form_with_a_bad_value_explains_and_checks_nothing(fake_discord, bot_engine) -> None:
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("check")
        body = await handle.response()
        eqf_id = next(
            c["custom_id"]
            for row in body["data"]["components"]
            for c in row["components"]
            if "EQF" in c["label"]
        )
        submitted = await fake_discord.submit_modal(body["data"]["custom_id"], {eqf_id: "9"})
        data = await message_response(submitted)
    assert int(data["flags"]) & EPHEMERAL and "not an EQF level" in data["content"]
    assert feedback_rows(bot_engine) == []
    assert bot_engine.db.execute("SELECT count(*) FROM questions").fetchone()[0] == 0
