"""Payload factories for the fake Discord: snowflakes, users, roles, channels, members, messages.

Everything here returns plain JSON-ready dicts shaped like Discord API v10 objects (ids as strings),
with the fields discord.py 2.7.1 requires (see /work/shared/discord-testing-notes.md, section 4).
:class:`World` bundles the default test guild used by :class:`tests.fakediscord.server.FakeDiscord`.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Json = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000
_counter = itertools.count(1)

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADD_REACTIONS = 1 << 6
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_APPLICATION_COMMANDS = 1 << 31
ADMINISTRATOR = 1 << 3

EVERYONE_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
)

# Gateway intent bits the fake models.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15


def snowflake() -> str:
    """A new unique snowflake (string) whose timestamp is now, as Discord makes them (pitfall 10)."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return str((ms << 22) | (next(_counter) & 0x3FFFFF))


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def make_user(
    username: str, *, bot: bool = False, id: str | None = None, global_name: str | None = None
) -> Json:
    """A Discord user object."""
    return {
        "id": id or snowflake(),
        "username": username,
        "global_name": global_name if global_name is not None else (None if bot else username.title()),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
    }


def make_role(name: str, permissions: int, *, id: str | None = None, position: int = 1) -> Json:
    return {
        "id": id or snowflake(),
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": True,
        "flags": 0,
    }


def make_text_channel(guild_id: str, name: str, *, position: int, id: str | None = None) -> Json:
    return {
        "id": id or snowflake(),
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "topic": None,
        "nsfw": False,
        "parent_id": None,
        "permission_overwrites": [],
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }


def make_dm_channel(recipient: Json, *, id: str | None = None) -> Json:
    return {
        "id": id or snowflake(),
        "type": 1,
        "recipients": [recipient],
        "last_message_id": None,
        "flags": 0,
    }


def make_member(user: Json, role_ids: list[str], *, nick: str | None = None) -> Json:
    """A guild member object (with ``user``)."""
    return {
        "user": user,
        "nick": nick,
        "avatar": None,
        "banner": None,
        "roles": list(role_ids),
        "joined_at": now_iso(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }


def make_message(
    channel_id: str,
    author: Json,
    content: str = "",
    *,
    guild_id: str | None = None,
    member: Json | None = None,
    mentions: list[Json] | None = None,
    mention_roles: list[str] | None = None,
    mention_everyone: bool = False,
    **extra: Any,
) -> Json:
    """A full message object as in MESSAGE_CREATE and REST responses. ``extra`` overrides any field."""
    msg: Json = {
        "id": snowflake(),
        "channel_id": channel_id,
        "type": 0,
        "content": content,
        "author": author,
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": mention_everyone,
        "mentions": mentions or [],
        "mention_roles": mention_roles or [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "pinned": False,
        "flags": 0,
    }
    if guild_id is not None:
        msg["guild_id"] = guild_id
        if member is not None:
            msg["member"] = {k: v for k, v in member.items() if k != "user"}
    msg.update(extra)
    return msg


@dataclass
class World:
    """The default test universe: one bot, one guild, its roles, channels and members.

    Users are addressed by alias: ``"bot"`` (the client itself), ``"member"`` (plain member),
    ``"moderator"`` (has the Moderator role), ``"admin"`` (Manage Guild, guild owner) and
    ``"other_bot"`` (another bot account). Channels by name: ``"help"`` and ``"general"``.
    """

    application_id: str
    bot: Json
    guild: Json
    roles: dict[str, Json]
    channels: dict[str, Json]
    users: dict[str, Json]
    members: dict[str, Json] = field(default_factory=dict)  # user id -> member (with user)
    dm_channels: dict[str, Json] = field(default_factory=dict)  # user id -> DM channel

    @property
    def guild_id(self) -> str:
        return self.guild["id"]

    @classmethod
    def default(cls) -> World:
        app_id = snowflake()
        bot = make_user("cmf-test-bot", bot=True, id=app_id)
        guild_id = snowflake()
        roles = {
            "@everyone": make_role("@everyone", EVERYONE_PERMISSIONS, id=guild_id, position=0),
            "Moderator": make_role("Moderator", EVERYONE_PERMISSIONS | MANAGE_MESSAGES, position=1),
            "Admin": make_role("Admin", EVERYONE_PERMISSIONS | MANAGE_GUILD | MENTION_EVERYONE, position=2),
            "Bot": make_role("Bot", EVERYONE_PERMISSIONS | MANAGE_MESSAGES, position=3),
        }
        channels = {
            "help": make_text_channel(guild_id, "help", position=0),
            "general": make_text_channel(guild_id, "general", position=1),
        }
        users = {
            "bot": bot,
            "member": make_user("learner"),
            "moderator": make_user("mod"),
            "admin": make_user("owner"),
            "other_bot": make_user("other-bot", bot=True),
        }
        guild: Json = {
            "id": guild_id,
            "name": "CMF Test Guild",
            "owner_id": users["admin"]["id"],
            "preferred_locale": "en-US",
        }
        world = cls(app_id, bot, guild, roles, channels, users)
        role_of = {"bot": ["Bot"], "moderator": ["Moderator"], "admin": ["Admin"]}
        for alias, user in users.items():
            world.members[user["id"]] = make_member(user, [roles[r]["id"] for r in role_of.get(alias, [])])
        return world

    def user(self, who: str | Json) -> Json:
        """A user by alias, id or user dict."""
        if isinstance(who, dict):
            return who
        if who in self.users:
            return self.users[who]
        for user in self.users.values():
            if user["id"] == str(who):
                return user
        raise KeyError(f"fake discord: unknown user {who!r} (aliases: {sorted(self.users)})")

    def channel(self, which: str | int) -> Json:
        """A guild or DM channel by name or id."""
        if isinstance(which, str) and which in self.channels:
            return self.channels[which]
        for ch in [*self.channels.values(), *self.dm_channels.values()]:
            if ch["id"] == str(which):
                return ch
        raise KeyError(f"fake discord: unknown channel {which!r} (names: {sorted(self.channels)})")

    def role(self, which: str) -> Json:
        if which in self.roles:
            return self.roles[which]
        for role in self.roles.values():
            if role["id"] == str(which):
                return role
        raise KeyError(f"fake discord: unknown role {which!r} (names: {sorted(self.roles)})")

    def add_member(self, alias: str, *, roles: tuple[str, ...] = (), bot: bool = False) -> Json:
        """Add a user (and guild member with the named roles) under ``alias``; returns the user."""
        user = make_user(alias, bot=bot)
        self.users[alias] = user
        self.members[user["id"]] = make_member(user, [self.role(r)["id"] for r in roles])
        return user

    def dm_channel(self, user: Json) -> Json:
        """The (lazily created) DM channel between the bot and ``user``."""
        if user["id"] not in self.dm_channels:
            self.dm_channels[user["id"]] = make_dm_channel(user)
        return self.dm_channels[user["id"]]

    def permissions(self, user_id: str) -> int:
        member = self.members.get(user_id)
        if member is None:
            return 0
        if self.guild["owner_id"] == user_id:
            return (1 << 53) - 1
        perms = int(self.roles["@everyone"]["permissions"])
        for role_id in member["roles"]:
            perms |= int(self.role(role_id)["permissions"])
        if perms & ADMINISTRATOR:
            return (1 << 53) - 1
        return perms

    def guild_create(self) -> Json:
        """The GUILD_CREATE payload (member_count == len(members), so no chunking: pitfall 6)."""
        members = list(self.members.values())
        return {
            **self.guild,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "features": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "afk_timeout": 300,
            "afk_channel_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "vanity_url_code": None,
            "application_id": None,
            "max_members": 500000,
            "roles": list(self.roles.values()),
            "emojis": [],
            "stickers": [],
            "channels": [{k: v for k, v in ch.items() if k != "guild_id"} for ch in self.channels.values()],
            "threads": [],
            "members": members,
            "member_count": len(members),
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "large": False,
            "unavailable": False,
            "joined_at": now_iso(),
        }

    def member_payload(self, user: Json, *, with_user: bool = True) -> Json:
        """The member object for ``user`` (an empty-role member if the user is not in the guild),
        with ``permissions`` as interactions carry it."""
        member = self.members.get(user["id"]) or make_member(user, [])
        out = {**member, "permissions": str(self.permissions(user["id"]))}
        if not with_user:
            out.pop("user")
        return out

    def mentions_in(self, content: str) -> tuple[list[Json], list[str], bool]:
        """Parse ``<@id>`` / ``<@&id>`` mentions in ``content`` into (user mentions with member,
        role ids, mention_everyone-text-present)."""
        users: list[Json] = []
        for uid in dict.fromkeys(re.findall(r"<@!?(\d+)>", content)):
            try:
                user = self.user(uid)
            except KeyError:
                continue
            mention = dict(user)
            if uid in self.members:
                mention["member"] = self.member_payload(user, with_user=False)
            users.append(mention)
        roles = list(dict.fromkeys(r for r in re.findall(r"<@&(\d+)>", content)))
        everyone = "@everyone" in content or "@here" in content
        return users, roles, everyone
