"""Message context menus (application commands of type 3) for the fake Discord.

Kept apart from server.py: the fake's helpers build slash commands (type 1) only. Usage::

    from fakediscord.menus import message_command

    msg = await fake.send_message("", channel="general", attachments=[fake.attachment("a.json", b"{}")])
    handle = await message_command(fake, "Check this credential", msg)

The command must have been synced (a LookupError names the menus that were). Like Discord, the
interaction carries ``target_id`` and the target message in ``resolved.messages``.
"""

from __future__ import annotations

from typing import Any

from .server import FakeDiscord, InteractionHandle

MESSAGE_COMMAND = 3


def _find_menu(fake: FakeDiscord, name: str) -> tuple[dict[str, Any], str | None]:
    for scope in (str(fake.world.guild_id), None):
        for cmd in fake.commands.get(scope, []):
            names = {cmd["name"], *(cmd.get("name_localizations") or {}).values()}
            if cmd.get("type") == MESSAGE_COMMAND and name in names:
                return cmd, scope
    synced = sorted(
        c["name"] for cmds in fake.commands.values() for c in cmds if c.get("type") == MESSAGE_COMMAND
    )
    raise LookupError(f"fake discord: no message menu {name!r} was synced (synced: {synced})")


async def message_command(
    fake: FakeDiscord,
    name: str,
    message: dict[str, Any] | str | int,
    *,
    user: str | dict[str, Any] = "member",
    locale: str = "en-US",
) -> InteractionHandle:
    """A user picks the message menu ``name`` on a stored message (dict or id)."""
    cmd, scope = _find_menu(fake, name)
    mid = message["id"] if isinstance(message, dict) else str(message)
    if mid not in fake.messages:
        raise LookupError(f"fake discord: message {mid} does not exist")
    target = fake.messages[mid]
    data: dict[str, Any] = {
        "id": cmd["id"],
        "name": cmd["name"],
        "type": MESSAGE_COMMAND,
        "target_id": mid,
        "resolved": {"messages": {mid: target}},
    }
    if scope is not None:
        data["guild_id"] = scope
    return await fake.interaction(2, data, user=user, channel=target["channel_id"], locale=locale)
