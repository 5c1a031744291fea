"""What the bot's log set-up (`cmf-bot run --log-level DEBUG`) writes while it answers: never the bot
token and never an interaction token (a 15-minute credential for the interaction's webhook), not even
in discord.py's own DEBUG lines for REST routes and gateway payloads."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from test_bot_e2e import answerable, message_response, started

from bot.runner import configure_logging


@pytest.fixture
def debug_log(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """The bot's own log set-up at DEBUG for one test (pytest's handlers are put back afterwards)."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.getLogger("discord.gateway").level
    configure_logging("DEBUG", "fake-token-for-tests")
    yield
    root.handlers[:], level, gateway = saved
    root.setLevel(level)
    logging.getLogger("discord.gateway").setLevel(gateway)


async def test_debug_logs_never_hold_the_bot_or_an_interaction_token(
    fake_discord, bot_engine, debug_log, capsys
) -> None:
    question, _ = answerable(bot_engine)
    logging.getLogger("discord.gateway").setLevel(logging.DEBUG)  # its payload dumps too
    async with started(fake_discord, bot_engine):
        handle = await fake_discord.slash("ask", {"question": question})
        await message_response(handle)
    err = capsys.readouterr().err
    assert "/interactions/" in err or "/webhooks/" in err  # discord.py did log its requests
    assert handle.token not in err
    assert "fake-token-for-tests" not in err


def test_the_filter_redacts_routes_and_payloads() -> None:
    from bot.runner import _RedactToken

    record = logging.LogRecord(
        "discord.http",
        logging.DEBUG,
        __file__,
        1,
        "POST %s with %s",
        ("https://x/api/v10/interactions/123/aW50ZXJh.b-c_d/callback", {"token": "s3cr3t"}),
        None,
    )
    _RedactToken("bot-token").filter(record)
    text = record.getMessage()
    assert "aW50ZXJh" not in text and "s3cr3t" not in text
    assert "/interactions/123/***/callback" in text
