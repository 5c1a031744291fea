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
MANAGE_THREADS = 1 << 34
SEND_MESSAGES_IN_THREADS = 1 << 38
ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 53) - 1

EVERYONE_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | SEND_MESSAGES_IN_THREADS
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
)

# Channel types.
TEXT_CHANNEL = 0
PUBLIC_THREAD = 11
FORUM_CHANNEL = 15

# Gateway intent bits the fake models.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
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


def make_forum_channel(guild_id: str, name: str, *, position: int, tags: tuple[str, ...] = ()) -> Json:
    """A forum channel (type 15) with ``tags`` as its available tags."""
    return {
        **make_text_channel(guild_id, name, position=position),
        "type": FORUM_CHANNEL,
        "available_tags": [
            {"id": snowflake(), "name": tag, "moderated": False, "emoji_id": None, "emoji_name": None}
            for tag in tags
        ],
        "default_reaction_emoji": None,
        "default_thread_rate_limit_per_user": 0,
        "default_sort_order": None,
        "default_forum_layout": 0,
    }


def make_thread(parent: Json, name: str, owner_id: str, *, applied_tags: list[str] | None = None) -> Json:
    """A public thread (type 11) in ``parent``; in a forum, a post titled ``name``."""
    return {
        "id": snowflake(),
        "type": PUBLIC_THREAD,
        "guild_id": parent["guild_id"],
        "parent_id": parent["id"],
        "owner_id": owner_id,
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "applied_tags": list(applied_tags or []),
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 4320,
            "archive_timestamp": now_iso(),
            "locked": False,
            "create_timestamp": now_iso(),
        },
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
    threads: dict[str, Json] = field(default_factory=dict)  # thread id -> thread (forum posts too)

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

    def channel(self, which: str | int | Json) -> Json:
        """A guild channel, thread or DM channel by name or id."""
        if isinstance(which, dict):
            return which
        if isinstance(which, str) and which in self.channels:
            return self.channels[which]
        for ch in [*self.channels.values(), *self.threads.values(), *self.dm_channels.values()]:
            if ch["id"] == str(which):
                return ch
        raise KeyError(f"fake discord: unknown channel {which!r} (names: {sorted(self.channels)})")

    def add_forum(self, name: str, *, tags: tuple[str, ...] = ()) -> Json:
        """Add a forum channel (before the client starts; or dispatch CHANNEL_CREATE yourself)."""
        forum = make_forum_channel(self.guild_id, name, position=len(self.channels), tags=tags)
        self.channels[name] = forum
        return forum

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
        """Guild-level permissions of a member (roles only; see :meth:`channel_permissions`)."""
        member = self.members.get(user_id)
        if member is None:
            return 0
        if self.guild["owner_id"] == user_id:
            return ALL_PERMISSIONS
        perms = int(self.roles["@everyone"]["permissions"])
        for role_id in member["roles"]:
            perms |= int(self.role(role_id)["permissions"])
        if perms & ADMINISTRATOR:
            return ALL_PERMISSIONS
        return perms

    def channel_permissions(self, user_id: str, channel: str | int | Json) -> int:
        """A member's permissions in a channel: roles, then the channel's overwrites for @everyone,
        the member's roles and the member (Discord's order). Threads use their parent's overwrites."""
        perms = self.permissions(user_id)
        if perms == ALL_PERMISSIONS:
            return perms
        ch = self.channel(channel)
        if ch.get("type") == PUBLIC_THREAD:
            ch = self.channel(ch["parent_id"])
        overwrites = {o["id"]: o for o in ch.get("permission_overwrites") or []}
        everyone = overwrites.get(self.guild_id)
        if everyone:
            perms = (perms & ~int(everyone["deny"])) | int(everyone["allow"])
        member = self.members.get(user_id) or {"roles": []}
        allow = deny = 0
        for role_id in member["roles"]:
            if role_id in overwrites:
                allow |= int(overwrites[role_id]["allow"])
                deny |= int(overwrites[role_id]["deny"])
        perms = (perms & ~deny) | allow
        own = overwrites.get(user_id)
        if own:
            perms = (perms & ~int(own["deny"])) | int(own["allow"])
        if not perms & VIEW_CHANNEL:
            return 0
        return perms

    def set_overwrite(self, channel: str | int | Json, target: str, *, allow: int = 0, deny: int = 0) -> Json:
        """Set the permission overwrite of ``target`` (a user alias or id, or a role name) on a
        channel; returns the channel."""
        ch = self.channel(channel)
        try:
            target_id, kind = self.role(target)["id"], 0
        except KeyError:
            target_id, kind = self.user(target)["id"], 1
        kept = [o for o in ch.get("permission_overwrites") or [] if o["id"] != target_id]
        kept.append({"id": target_id, "type": kind, "allow": str(allow), "deny": str(deny)})
        ch["permission_overwrites"] = kept
        return ch

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
            "threads": list(self.threads.values()),
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
