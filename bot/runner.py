"""`cmf-bot run [--config FILE]`: start the Discord bot.

Imports of discord.py happen inside the handler, so registering the sub-command stays cheap for the
console. A missing or rejected token, or a bad setting, gives one line on stderr and exit code 2.
SIGTERM (systemd, Docker) and SIGINT (Ctrl-C) close the bot cleanly — the gateway, the HTTP session,
the worker thread and the database — and exit 0; a close that hangs is cut short after
`CLOSE_TIMEOUT` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import re
import signal
import sys
from typing import Any

EXIT_CONFIG = 2
CLOSE_TIMEOUT = 4.0
"""Seconds `close()` may take after SIGTERM before the process stops anyway (systemd and Docker wait
10 s before SIGKILL; the bot's own target is 5 s)."""

log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction) -> None:
    """Add `run` to the `cmf-bot` parser."""
    parser = commands.add_parser(
        "run",
        help="run the Discord bot (token from DISCORD_TOKEN or .env)",
        description="Run the Discord bot. Settings: environment, .env, optional YAML file.",
    )
    parser.add_argument("--config", metavar="FILE", help="YAML settings file (else $CMF_BOT_CONFIG)")
    parser.add_argument("--env-file", metavar="FILE", default=".env", help="dotenv file (default: .env)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.set_defaults(handler=run)


_INTERACTION_TOKENS = re.compile(
    r"(/(?:interactions|webhooks)/\d+/)[^/\s?'\"]+"  # REST routes (discord.http logs them at DEBUG)
    r"|((?:'token'|\"token\")\s*:\s*['\"])[^'\"]+"  # a payload printed as a dict or JSON
)


class _RedactToken(logging.Filter):
    """Last line of defence: replace the bot token and any interaction token (15-minute webhook
    credentials in discord.py's DEBUG request lines and in printed payloads) in every log record."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _INTERACTION_TOKENS.sub(lambda m: (m.group(1) or m.group(2)) + "***", message)
        if self.token:
            redacted = redacted.replace(self.token, "***")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str, token: str | None) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(_RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("discord.gateway").setLevel(max(logging.getLevelName(level), logging.INFO))


def _fail(message: str) -> int:
    print(f"cmf-bot run: {message}", file=sys.stderr)
    return EXIT_CONFIG


async def serve(bot: Any, token: str) -> None:
    """Run the bot until it stops, or until SIGTERM / SIGINT ask it to close."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGTERM, signal.SIGINT)

    def on_signal(sig: signal.Signals) -> None:
        log.info("%s received: closing", sig.name)
        stop.set()

    for sig in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
            loop.add_signal_handler(sig, on_signal, sig)
    try:
        async with bot:
            running = asyncio.create_task(bot.start(token), name="cmf-bot")
            stopping = asyncio.create_task(stop.wait(), name="cmf-bot-stop")
            await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if running.done():
                stopping.cancel()
                running.result()  # LoginFailure, PrivilegedIntentsRequired, … for run() to report
                return
            try:
                await asyncio.wait_for(bot.close(), CLOSE_TIMEOUT)
            except TimeoutError:
                log.warning("closing took longer than %.0f s; stopping anyway", CLOSE_TIMEOUT)
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await running
            log.info("closed cleanly")
    finally:
        for sig in signals:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


def run(args: argparse.Namespace, **client_options: Any) -> int:
    """Load settings, start the bot and block until it stops; 2 on a configuration or login error."""
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings(config_file=args.config, dotenv=args.env_file)
        token = settings.require_token()
    except ConfigError as exc:
        return _fail(str(exc))
    configure_logging(args.log_level, token)

    import discord

    from bot.client import create_bot

    bot = create_bot(settings, **client_options)
    try:
        asyncio.run(serve(bot, token))
    except discord.LoginFailure:
        return _fail("Discord rejected the token (check DISCORD_TOKEN; reset it in the Developer Portal)")
    except discord.PrivilegedIntentsRequired:
        return _fail(
            "the Message Content intent is not enabled for this application; enable it in the "
            "Developer Portal (Bot → Privileged Gateway Intents) or remove CMF_BOT_HELP_CHANNEL_IDS"
        )
    except (OSError, discord.GatewayNotFound) as exc:
        return _fail(f"cannot reach Discord ({type(exc).__name__})")
    except ConfigError as exc:
        return _fail(str(exc))
    return 0
