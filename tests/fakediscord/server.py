"""A fake Discord (REST under ``/api/v10`` and a JSON websocket gateway) served on 127.0.0.1.

It runs inside the test process on aiohttp, so the real, unmodified discord.py 2.7.1 client logs in,
receives READY / GUILD_CREATE / MESSAGE_CREATE / INTERACTION_CREATE and answers through its own HTTP
and websocket code. Tests drive events with :meth:`FakeDiscord.send_message`, :meth:`~FakeDiscord.slash`,
:meth:`~FakeDiscord.autocomplete`, :meth:`~FakeDiscord.click`, :meth:`~FakeDiscord.select` and
:meth:`~FakeDiscord.submit_modal`, and assert on what the client sent: every request is recorded
in :attr:`FakeDiscord.requests` (see :class:`RecordedRequest`); messages are in
:meth:`~FakeDiscord.messages_in`.

Like real Discord, the fake rejects (HTTP 400) messages over Discord's limits (content 2000, 10 embeds,
embed title 256 / description 4096 / 25 fields / field 1024 / 6000 in all, 5 action rows of 5),
empty messages, more than 25 autocomplete choices, a second response to one interaction, and command
trees Discord would refuse. It is as strict as Discord where a bot would fail in production: on a
simulated clock (:class:`~.clock.FakeClock`) an interaction must be acknowledged within 3 s and its
token expires after 15 minutes; a form is submitted by the user who opened it; missing permissions
give 403 50013 (and embeds without Embed Links are dropped); rate limits answer 429 with
``retry_after`` and a ``Via`` header; a privileged intent the application lacks closes the gateway with
4014. Routes it does not know get a loud 404 naming the route (and are listed in
:attr:`FakeDiscord.unhandled`). See README.md next to this file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import discord
import yarl
from aiohttp import WSMsgType, web

from .clock import FakeClock
from .factories import (
    ADD_REACTIONS,
    EMBED_LINKS,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGE_REACTIONS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILD_PRESENCES,
    INTENT_MESSAGE_CONTENT,
    MANAGE_THREADS,
    MENTION_EVERYONE,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    Json,
    World,
    make_message,
    make_thread,
    now_iso,
    snowflake,
)
from .validation import (
    HttpError,
    error_body,
    find_component,
    validate_choices,
    validate_commands,
    validate_message,
    validate_modal,
    walk_components,
)

_log = logging.getLogger("fakediscord")

API_PREFIX = "/api/v10"
EPHEMERAL = 1 << 6
LOADING = 1 << 7
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
ACK_DEADLINE = 3.0
"""Seconds Discord waits for the first response to an interaction ("The application did not respond")."""
TOKEN_LIFETIME = 15 * 60.0
"""Seconds an interaction token stays valid for follow-ups and edits."""
PRIVILEGED_INTENTS = {
    "members": INTENT_GUILD_MEMBERS,
    "presences": INTENT_GUILD_PRESENCES,
    "message_content": INTENT_MESSAGE_CONTENT,
}
_WAKE = 0.05  # waits re-check deadlines at least this often (real seconds)


class FakeDiscordAbort(AssertionError):
    """Raised from every wait of the fake once the test harness reported a client failure."""


class NotAcknowledged(AssertionError):
    """An interaction was not acknowledged within 3 s: the user saw "The application did not respond"."""


@dataclass
class RecordedFile:
    """A file part of a multipart request (``files[n]``)."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request the client made.

    ``path`` is relative to ``/api/v10`` (e.g. ``/channels/123/messages``); ``json`` is the JSON body,
    or the ``payload_json`` part of a multipart body (whose ``files[n]`` parts are in ``files``);
    ``headers`` exclude Authorization. ``status`` and ``response`` are what the fake answered.
    """

    index: int
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    files: list[RecordedFile] = field(default_factory=list)
    status: int = 0
    response: Any = None
    route: str = ""

    def __repr__(self) -> str:
        body = json.dumps(self.json)[:300] if self.json is not None else ""
        return f"<{self.method} {self.path} -> {self.status} {body}>"


@dataclass
class _RateLimit:
    """Answer the next ``times`` requests matching ``method`` and ``path`` with 429."""

    method: str
    path: re.Pattern[str]
    retry_after: float
    times: int
    is_global: bool = False


@dataclass
class _Session:
    id: str
    intents: int
    seq: int = 0
    frames: list[Json] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class InteractionHandle:
    """An interaction the test dispatched. Await its outcome:

    - ``await handle.response()`` → the callback body ``{"type": n, "data": {...}}`` the client sent
      (4 message, 5 defer, 6 deferred update, 7 update message, 8 autocomplete, 9 modal);
    - ``await handle.choices()`` → the autocomplete choices (type 8);
    - ``await handle.followup(n=0)`` → the JSON payload of the n-th follow-up (``POST /webhooks/...``);
    - ``await handle.message()`` → the current stored message the response created or updated
      (use it for :meth:`FakeDiscord.click`); ``handle.messages()`` → all messages it created;
    - ``handle.requests`` → every recorded request for this interaction (callback, follow-ups, edits).
    """

    def __init__(self, fake: FakeDiscord, payload: Json) -> None:
        self.fake = fake
        self.payload = payload
        self.id: str = payload["id"]
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.user_id: str = (payload.get("member") or {}).get("user", payload.get("user") or {}).get("id", "")
        self.created: float = fake.clock.now()
        self.callback: RecordedRequest | None = None
        self.response_type: int | None = None
        self.original_id: str | None = None
        self.followup_ids: list[str] = []
        self.modal: Json | None = None
        self.modal_submitted = False
        self.late: RecordedRequest | None = None
        """A callback that came after the 3 s deadline (Discord refused it with 10062)."""
        self.no_response_expected = False

    def __repr__(self) -> str:
        return f"<InteractionHandle type={self.type} id={self.id} response_type={self.response_type}>"

    @property
    def data(self) -> Json:
        return self.payload["data"]

    @property
    def ack_deadline(self) -> float:
        """Clock time by which Discord needs the first response."""
        return self.created + ACK_DEADLINE

    @property
    def expires(self) -> float:
        """Clock time after which the token is refused (401 50027)."""
        return self.created + TOKEN_LIFETIME

    @property
    def acknowledged(self) -> bool:
        return self.callback is not None

    def expect_no_response(self) -> None:
        """Accept that this interaction is never answered (the teardown check would fail the test)."""
        self.no_response_expected = True

    @property
    def requests(self) -> list[RecordedRequest]:
        return [r for r in self.fake.requests if f"/{self.token}" in r.path]

    @property
    def followups(self) -> list[RecordedRequest]:
        """The follow-up requests (``POST /webhooks/{app}/{token}``), in order."""
        return [r for r in self.requests if r.method == "POST" and r.path.startswith("/webhooks/")]

    @property
    def edits(self) -> list[RecordedRequest]:
        """The ``PATCH /webhooks/{app}/{token}/messages/...`` requests, in order."""
        return [r for r in self.requests if r.method == "PATCH"]

    async def response(self, timeout: float = 5.0) -> Json:
        """The callback body the client sent (waits for it). Raises :class:`NotAcknowledged` as soon as
        the 3 s deadline has passed (on the fake's clock) without one."""

        def check() -> RecordedRequest | None:
            if self.callback is None and self.fake.clock.now() > self.ack_deadline:
                late = f" (a late callback was refused: {self.late!r})" if self.late else ""
                raise NotAcknowledged(
                    f"{self!r} was not acknowledged within {ACK_DEADLINE:g} s{late}: "
                    "the user sees 'The application did not respond'"
                )
            return self.callback

        req = await self.fake._wait_until(check, timeout, f"the callback of {self!r}")
        return req.json

    async def choices(self, timeout: float = 5.0) -> list[Json]:
        """The autocomplete choices (asserts the callback was type 8)."""
        body = await self.response(timeout)
        assert body["type"] == 8, f"expected an autocomplete result (type 8), got {body}"
        return body["data"]["choices"]

    async def followup(self, n: int = 0, timeout: float = 5.0) -> Json:
        """The JSON payload of the n-th follow-up (waits for it)."""

        def check() -> RecordedRequest | None:
            ups = self.followups
            return ups[n] if len(ups) > n else None

        return (await self.fake._wait_until(check, timeout, f"follow-up #{n} of {self!r}")).json

    async def message(self, timeout: float = 5.0) -> Json:
        """The stored message this interaction's response created (types 4/5) or updated (6/7)."""
        mid = await self.fake._wait_until(lambda: self.original_id, timeout, f"the message of {self!r}")
        return self.fake.messages[mid]

    def messages(self) -> list[Json]:
        """Messages created by this interaction (original response first, then follow-ups)."""
        ids = [self.original_id] if self.original_id and self.response_type in (4, 5) else []
        ids += [i for i in self.followup_ids if i not in ids]
        return [self.fake.messages[i] for i in ids if i in self.fake.messages]


class FakeDiscord:
    """A fake Discord on 127.0.0.1 for one client at a time.

    Use as ``async with FakeDiscord() as fake:`` (or ``await fake.start()`` / ``await fake.close()``),
    point the client at ``fake.api_base`` / ``fake.gateway_url`` (see :func:`pointed_at`) and start it
    with ``fake.token``. The default :class:`~.factories.World` has one guild with channels ``help`` and
    ``general`` and users ``member``, ``moderator``, ``admin``, ``other_bot`` (and ``bot``, the client).
    """

    def __init__(self, token: str = "fake-token", *, world: World | None = None, heartbeat_ms: int = 41250):
        self.token = token
        self.world = world or World.default()
        self.heartbeat_ms = heartbeat_ms
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.gateway_received: list[Json] = []  # client -> fake payloads (token redacted)
        self.gateway_connections: list[str] = []  # path?query of every gateway connection
        self.messages: dict[str, Json] = {}  # id -> message, in creation order (deleted ones removed)
        self.deleted: dict[str, Json] = {}
        self.commands: dict[str | None, list[Json]] = {}  # guild id (None = global) -> synced commands
        self.interactions: dict[str, InteractionHandle] = {}  # token -> handle
        self.uploads: dict[str, tuple[str, bytes]] = {}  # attachment id -> (content type, bytes)
        self.clock = FakeClock()
        self.enabled_intents = set(PRIVILEGED_INTENTS)
        """Privileged intents enabled for the application in the Developer Portal (all by default)."""
        self.client_close_codes: list[int | None] = []  # close codes of gateway connections the client closed
        self.bot_in_guild = True
        """False: the bot has not been invited yet (READY lists no guild; see :meth:`add_bot_to_guild`)."""
        self._rate_limits: list[_RateLimit] = []
        self.api_base = ""
        self.gateway_url = ""
        self._sessions: dict[str, _Session] = {}
        self._session: _Session | None = None
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._changed = asyncio.Event()
        self._failure: BaseException | None = None
        self._inflight = 0
        self._routes = self._route_table()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.api_base = f"http://127.0.0.1:{port}{API_PREFIX}"
        self.gateway_url = f"ws://127.0.0.1:{port}/"
        return self

    async def close(self) -> None:
        for ws in list(self._sockets):
            ws._fake_closed = True  # type: ignore[attr-defined]
            await ws.close(code=1001, message=b"fake discord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def abort(self, exc: BaseException) -> None:
        """Make every pending and future wait of the fake raise at once (used by the test harness when
        the client's task dies or discord.py logs an error)."""
        if self._failure is None:
            self._failure = exc
        self._notify()

    # ------------------------------------------------------------------ world shortcuts

    @property
    def guild_id(self) -> int:
        return int(self.world.guild_id)

    @property
    def application_id(self) -> int:
        return int(self.world.application_id)

    @property
    def bot_user(self) -> Json:
        return self.world.bot

    def user(self, who: str | Json) -> Json:
        """A user dict by alias (``member``, ``moderator``, ``admin``, ``other_bot``, ``bot``) or id."""
        return self.world.user(who)

    def channel(self, which: str | int) -> Json:
        """A channel dict by name (``help``, ``general``) or id (DM channels too)."""
        return self.world.channel(which)

    def channel_id(self, name: str) -> int:
        return int(self.world.channel(name)["id"])

    def user_id(self, alias: str) -> int:
        return int(self.world.user(alias)["id"])

    def attachment(self, filename: str, content: bytes | str, content_type: str | None = None) -> Json:
        """A file a user attached (for an attachment option, type 11): its attachment object, whose
        ``url`` the fake serves (``GET /attachments/<id>/<filename>``, outside ``/api/v10``)."""
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        aid = snowflake()
        kind = content_type or "application/octet-stream"
        self.uploads[aid] = (kind, data)
        base = self.api_base[: -len(API_PREFIX)]
        url = f"{base}/attachments/{aid}/{filename}"
        return {
            "id": aid,
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": kind,
        }

    # ------------------------------------------------------------------ waiting and inspection

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, check: Callable[[], Any], timeout: float, what: str) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._failure is not None:
                raise FakeDiscordAbort(
                    f"the client failed while waiting for {what}: {self._failure!r}"
                ) from (self._failure)
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = "\n  ".join(repr(r) for r in self.requests[-8:]) or "(none)"
                raise TimeoutError(
                    f"fake discord: timed out after {timeout}s waiting for {what}. Last requests:\n  {recent}"
                )
            with contextlib.suppress(TimeoutError):  # wake now and then: deadlines pass without events
                await asyncio.wait_for(self._changed.wait(), min(remaining, _WAKE))

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass on the fake's clock (deadlines and token expiry) without sleeping."""
        self.clock.advance(seconds)
        self._notify()

    def unacknowledged(self) -> list[InteractionHandle]:
        """Interactions that never got a first response (the fixture fails a test that leaves one,
        unless ``handle.expect_no_response()`` was called)."""
        return [h for h in self.interactions.values() if h.callback is None and not h.no_response_expected]

    def mark(self) -> int:
        """The current number of recorded requests; pass as ``since=`` to only see later ones."""
        return len(self.requests)

    def find(
        self,
        method: str,
        path_regex: str,
        *,
        since: int = 0,
        predicate: Callable[[RecordedRequest], bool] | None = None,
    ) -> list[RecordedRequest]:
        """Recorded requests (index >= ``since``) whose method matches and whose path fully matches
        ``path_regex`` (relative to /api/v10, e.g. ``r"/channels/\\d+/messages"``)."""
        rx = re.compile(path_regex)
        return [
            r
            for r in self.requests[since:]
            if r.method == method.upper() and rx.fullmatch(r.path) and (predicate is None or predicate(r))
        ]

    async def wait_for(
        self,
        method: str,
        path_regex: str,
        *,
        since: int = 0,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """The first recorded request matching as in :meth:`find` (already recorded or yet to come)."""

        def check() -> RecordedRequest | None:
            found = self.find(method, path_regex, since=since, predicate=predicate)
            return found[0] if found else None

        return await self._wait_until(check, timeout, f"{method} {path_regex} (since #{since})")

    def messages_in(self, channel: str | int) -> list[Json]:
        """The messages currently in a channel (name or id), oldest first, deleted ones excluded."""
        cid = self.world.channel(channel)["id"]
        return [m for m in self.messages.values() if m["channel_id"] == cid]

    async def wait_for_message(
        self,
        channel: str | int,
        *,
        author: str | Json = "bot",
        after: Json | None = None,
        timeout: float = 5.0,
    ) -> Json:
        """The first message by ``author`` in ``channel`` created after message ``after`` (or any)."""
        author_id = self.world.user(author)["id"]

        def check() -> Json | None:
            msgs = self.messages_in(channel)
            if after is not None:
                ids = [m["id"] for m in msgs]
                msgs = msgs[ids.index(after["id"]) + 1 :] if after["id"] in ids else msgs
            return next((m for m in msgs if m["author"]["id"] == author_id), None)

        return await self._wait_until(check, timeout, f"a message by {author!r} in {channel!r}")

    async def wait_for_gateway(self, op: int, *, since: int = 0, timeout: float = 5.0) -> Json:
        """The first payload with ``op`` the client sent over the gateway (index >= ``since`` in
        :attr:`gateway_received`), e.g. ``op=6`` for RESUME."""

        def check() -> Json | None:
            return next((p for p in self.gateway_received[since:] if p.get("op") == op), None)

        return await self._wait_until(check, timeout, f"gateway op {op}")

    async def settle(self, idle: float = 0.1, timeout: float = 5.0) -> None:
        """Wait until the client has read every gateway event sent so far (a heartbeat round-trip) and
        then made no request for ``idle`` seconds. Use before asserting that something did NOT happen."""
        loop = asyncio.get_running_loop()
        session = self._session
        if session is not None and session.ws is not None and not session.ws.closed:
            since = len(self.gateway_received)
            await session.ws.send_str(json.dumps({"op": 1, "d": None}))
            await self.wait_for_gateway(1, since=since, timeout=timeout)
        deadline = loop.time() + timeout
        count, quiet_since = len(self.requests), loop.time()
        while loop.time() < deadline:
            await asyncio.sleep(idle / 5)
            if self._failure is not None:
                raise FakeDiscordAbort(f"the client failed: {self._failure!r}") from self._failure
            if self._inflight or len(self.requests) != count:
                count, quiet_since = len(self.requests), loop.time()
            elif loop.time() - quiet_since >= idle:
                return
        raise TimeoutError("fake discord: the client never went quiet")

    def synced_commands(self, guild: int | str | None = None) -> list[Json]:
        """The command tree last synced globally (``guild=None``) or to a guild (as stored by the fake)."""
        return self.commands.get(None if guild is None else str(guild), [])

    # ------------------------------------------------------------------ gateway

    @property
    def connected(self) -> bool:
        s = self._session
        return s is not None and s.ws is not None and not s.ws.closed

    async def dispatch(self, event: str, data: Json) -> None:
        """Send a gateway DISPATCH (op 0) to the current session. Events filtered out by the client's
        intents (messages without GUILD_MESSAGES / DIRECT_MESSAGES, message content without
        MESSAGE_CONTENT) are dropped or stripped as Discord does. While the connection is down the
        event is kept and replayed on RESUME."""
        session = self._session
        if session is None:
            raise RuntimeError(f"fake discord: cannot dispatch {event}: no client has identified")
        data = self._visible(session, event, data)
        if data is None:
            return
        async with session.lock:
            session.seq += 1
            frame = {"op": 0, "t": event, "s": session.seq, "d": data}
            session.frames.append(frame)
            if session.ws is not None and not session.ws.closed:
                await session.ws.send_str(json.dumps(frame))

    def _visible(self, session: _Session, event: str, data: Json) -> Json | None:
        if event.startswith("MESSAGE_REACTION_") and "guild_id" in data:
            return data if session.intents & INTENT_GUILD_MESSAGE_REACTIONS else None
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"):
            return data
        in_guild = "guild_id" in data
        needed = INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES
        if not session.intents & needed:
            return None
        if event == "MESSAGE_DELETE" or not in_guild or session.intents & INTENT_MESSAGE_CONTENT:
            return data
        bot_id = self.world.bot["id"]
        if data.get("author", {}).get("id") == bot_id or any(
            u["id"] == bot_id for u in data.get("mentions", [])
        ):
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the gateway socket from the server side with a resumable ``code`` (discord.py reconnects
        to ``resume_gateway_url`` and sends RESUME, op 6). Returns once the socket is closed."""
        session = self._session
        if session is None or session.ws is None:
            raise RuntimeError("fake discord: no open gateway connection to drop")
        ws = session.ws
        ws._fake_closed = True  # type: ignore[attr-defined]
        await ws.close(code=code, message=b"fake discord dropped the connection")
        await self._wait_until(lambda: True if session.ws is not ws else None, 5.0, "the socket to close")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client closes the socket and resumes."""
        session = self._session
        if session is None or session.ws is None:
            raise RuntimeError("fake discord: no open gateway connection")
        await session.ws.send_str(json.dumps({"op": 7, "d": None}))

    async def invalidate_session(self, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION (``d=resumable``); with ``False`` the client identifies afresh."""
        session = self._session
        if session is None or session.ws is None:
            raise RuntimeError("fake discord: no open gateway connection")
        if not resumable:
            self._sessions.pop(session.id, None)
        await session.ws.send_str(json.dumps({"op": 9, "d": resumable}))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        self.gateway_connections.append(request.path_qs)
        session: _Session | None = None
        try:
            await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}}))
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                op, d = payload.get("op"), payload.get("d")
                redacted = dict(payload)
                if isinstance(d, dict) and "token" in d:
                    redacted["d"] = {**d, "token": "<redacted>" if d["token"] == self.token else "<wrong>"}
                self.gateway_received.append(redacted)
                self._notify()
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif op in (2, 6) and d.get("token") != self.token:
                    ws._fake_closed = True  # type: ignore[attr-defined]
                    await ws.close(code=4004, message=b"Authentication failed.")
                elif op == 2:
                    session = await self._identify(ws, d)
                elif op == 6:
                    session = await self._resume(ws, d)
                elif op == 8:
                    await self.dispatch(
                        "GUILD_MEMBERS_CHUNK",
                        {
                            "guild_id": self.world.guild_id,
                            "members": list(self.world.members.values()),
                            "chunk_index": 0,
                            "chunk_count": 1,
                            "nonce": d.get("nonce"),
                        },
                    )
        finally:
            self._sockets.discard(ws)
            if ws.close_code is not None and not getattr(ws, "_fake_closed", False):
                self.client_close_codes.append(ws.close_code)
            if session is not None and session.ws is ws:
                session.ws = None
            self._notify()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, d: Json) -> _Session | None:
        intents = int(d.get("intents", 0))
        enabled = self.enabled_intents
        disallowed = [n for n, bit in PRIVILEGED_INTENTS.items() if intents & bit and n not in enabled]
        if disallowed:
            ws._fake_closed = True  # type: ignore[attr-defined]
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        session = _Session(id=snowflake(), intents=intents, ws=ws)
        self._sessions[session.id] = session
        self._session = session
        base = yarl.URL(self.gateway_url)
        ready = {
            "v": 10,
            "user": {**self.world.bot, "verified": True, "mfa_enabled": False},
            "guilds": [{"id": self.world.guild_id, "unavailable": True}] if self.bot_in_guild else [],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": str(base.with_path("/resume")),
            "application": {"id": self.world.application_id, "flags": 0},
            **({"shard": d["shard"]} if d.get("shard") else {}),
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "_trace": ["fakediscord"],
        }
        await self.dispatch("READY", ready)
        if self.bot_in_guild:
            await self.dispatch("GUILD_CREATE", self.world.guild_create())
        return session

    async def add_bot_to_guild(self) -> None:
        """Someone invites the running bot to the guild: GUILD_CREATE (discord.py calls on_guild_join)."""
        self.bot_in_guild = True
        payload = self.world.guild_create()
        del payload["unavailable"]  # as Discord sends it for a join (not the end of an outage)
        await self.dispatch("GUILD_CREATE", payload)

    async def _resume(self, ws: web.WebSocketResponse, d: Json) -> _Session | None:
        session = self._sessions.get(d.get("session_id", ""))
        if session is None:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return None
        async with session.lock:
            session.ws = ws
            self._session = session
            for frame in session.frames:
                if frame["s"] > (d.get("seq") or 0):
                    await ws.send_str(json.dumps(frame))
        await self.dispatch("RESUMED", {"_trace": ["fakediscord"]})
        return session

    # ------------------------------------------------------------------ driving events

    async def send_message(
        self,
        content: str,
        *,
        channel: str | int = "help",
        author: str | Json = "member",
        mentions_bot: bool = False,
        dm: bool = False,
        reply_to: Json | None = None,
        ping: bool = True,
        **extra: Any,
    ) -> Json:
        """A user posts a message: stores it, dispatches MESSAGE_CREATE and returns the message dict.

        ``mentions_bot`` prefixes ``<@bot_id>`` to the content; ``<@id>``/``<@&id>`` in the content
        fill ``mentions``/``mention_roles``. ``dm=True`` sends it in the author's DM with the bot.
        ``reply_to`` makes it a reply to a stored message (type 19, ``message_reference``,
        ``referenced_message``); like Discord's client, a reply with ``ping`` (the default) mentions
        the replied-to author although the text does not. ``extra`` overrides message fields."""
        user = self.world.user(author)
        bot_id = self.world.bot["id"]
        if mentions_bot and f"<@{bot_id}>" not in content:
            content = f"<@{bot_id}> {content}"
        mentions, roles, everyone = self.world.mentions_in(content)
        if reply_to is not None:
            target = self._message_ref(reply_to)
            extra = {
                "type": 19,
                "message_reference": {
                    "message_id": target["id"],
                    "channel_id": target["channel_id"],
                    "type": 0,
                },
                "referenced_message": target,
                **extra,
            }
            if ping and all(m["id"] != target["author"]["id"] for m in mentions):
                mentions = [*mentions, *self.world.mentions_in(f"<@{target['author']['id']}>")[0]]
        if dm:
            ch = self.world.dm_channel(user)
            msg = make_message(ch["id"], user, content, mentions=mentions, **extra)
        else:
            ch = self.world.channel(channel)
            if ch["type"] == 1:
                msg = make_message(ch["id"], user, content, mentions=mentions, **extra)
            else:
                msg = make_message(
                    ch["id"],
                    user,
                    content,
                    guild_id=self.world.guild_id,
                    member=self.world.member_payload(user, with_user=False),
                    mentions=mentions,
                    mention_roles=roles,
                    mention_everyone=everyone and bool(self.world.permissions(user["id"]) & MENTION_EVERYONE),
                    **extra,
                )
        self._store(msg)
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def react(self, message: Json | str | int, emoji: str, *, user: str | Json = "member") -> None:
        """A user adds the unicode reaction ``emoji`` to a stored guild message (MESSAGE_REACTION_ADD,
        delivered only with the GUILD_MESSAGE_REACTIONS intent, as Discord does)."""
        msg = self._message_ref(message)
        who = self.world.user(user)
        data: Json = {
            "user_id": who["id"],
            "channel_id": msg["channel_id"],
            "message_id": msg["id"],
            "guild_id": self.world.guild_id,
            "member": self.world.member_payload(who),
            "emoji": {"id": None, "name": emoji},
            "message_author_id": msg["author"]["id"],
            "burst": False,
            "type": 0,
        }
        await self.dispatch("MESSAGE_REACTION_ADD", data)

    async def set_permissions(
        self, channel: str | int, target: str = "bot", *, allow: int = 0, deny: int = 0
    ) -> None:
        """Set a permission overwrite on a channel (``target``: a user alias or a role name; e.g.
        ``deny=EMBED_LINKS`` for the bot) and tell a connected client (CHANNEL_UPDATE)."""
        ch = self.world.set_overwrite(channel, target, allow=allow, deny=deny)
        if self._session is not None:
            await self.dispatch("CHANNEL_UPDATE", ch)

    async def forum_post(
        self,
        forum: str,
        title: str,
        content: str,
        *,
        author: str | Json = "member",
        tags: tuple[str, ...] = (),
    ) -> tuple[Json, Json]:
        """A user opens a post in a forum channel: THREAD_CREATE (the post, titled ``title``) then
        MESSAGE_CREATE of its first message (same id as the thread). Returns (thread, message)."""
        parent = self.world.channel(forum)
        user = self.world.user(author)
        tag_ids = [t["id"] for t in parent.get("available_tags", []) if t["name"] in tags]
        thread = make_thread(parent, title, user["id"], applied_tags=tag_ids)
        self.world.threads[thread["id"]] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        msg = make_message(
            thread["id"],
            user,
            content,
            guild_id=self.world.guild_id,
            member=self.world.member_payload(user, with_user=False),
            id=thread["id"],
        )
        self._store(msg)
        await self.dispatch("MESSAGE_CREATE", msg)
        return thread, msg

    async def context_menu(
        self,
        name: str,
        message: Json | str | int,
        *,
        user: str | Json = "member",
        locale: str = "en-US",
    ) -> InteractionHandle:
        """A user runs the message command ``name`` (right click → Apps) on a stored message. Like
        Discord, ``resolved.messages`` carries the whole message, content included, whatever the
        bot's intents."""
        target = self._message_ref(message)
        ch = self.world.channel(target["channel_id"])
        dm = ch["type"] == 1
        cmd, scope = self._find_command(name, dm, kind=3)
        data: Json = {
            "id": cmd["id"],
            "name": cmd["name"],
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: dict(target)}},
        }
        if scope is not None:
            data["guild_id"] = scope
        return await self.interaction(2, data, user=user, channel=ch["id"], dm=dm, locale=locale)

    async def interaction(
        self,
        type: int,
        data: Json,
        *,
        user: str | Json = "member",
        channel: str | int = "general",
        dm: bool = False,
        locale: str = "en-US",
        message: Json | None = None,
    ) -> InteractionHandle:
        """Dispatch a raw INTERACTION_CREATE of ``type`` with ``data`` (the helpers below build ``data``)."""
        usr = self.world.user(user)
        iid = snowflake()
        payload: Json = {
            "id": iid,
            "application_id": self.world.application_id,
            "type": type,
            "token": f"fake-interaction-token-{iid}",
            "version": 1,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "app_permissions": str(self.world.permissions(self.world.bot["id"])),
            "locale": locale,
            "entitlements": [],
            "data": data,
        }
        if not dm:
            ch = self.world.channel(channel)
            payload["app_permissions"] = str(self.world.channel_permissions(self.world.bot["id"], ch))
        if dm:
            ch = self.world.dm_channel(usr)
            payload.update(
                user=usr,
                channel=ch,
                channel_id=ch["id"],
                context=1,
                authorizing_integration_owners={"1": usr["id"]},
            )
        else:
            ch = self.world.channel(channel)
            gid = self.world.guild_id
            payload.update(
                guild_id=gid,
                guild={
                    "id": gid,
                    "locale": self.world.guild.get("preferred_locale", "en-US"),
                    "features": [],
                },
                guild_locale=self.world.guild.get("preferred_locale", "en-US"),
                member=self.world.member_payload(usr),
                channel={**ch, "permissions": str(self.world.channel_permissions(usr["id"], ch))},
                channel_id=ch["id"],
                context=0,
                authorizing_integration_owners={"0": gid},
            )
        if message is not None:
            payload["message"] = message
        handle = InteractionHandle(self, payload)
        self.interactions[handle.token] = handle
        await self.dispatch("INTERACTION_CREATE", payload)
        return handle

    def _find_command(self, name: str, dm: bool, kind: int = 1) -> tuple[Json, str | None]:
        scopes: list[str | None] = [None] if dm else [self.world.guild_id, None]
        for scope in scopes:
            for cmd in self.commands.get(scope, []):
                names = {cmd["name"], *(cmd.get("name_localizations") or {}).values()}
                if name in names and cmd.get("type", 1) == kind:
                    return cmd, scope
        known = sorted(c["name"] for scope in scopes for c in self.commands.get(scope, []))
        raise LookupError(
            f"fake discord: /{name} is not in the synced command tree (synced: {known}); "
            "call tree.sync() (or fake.register_commands) first"
        )

    def register_commands(self, commands: list[Json], guild: int | str | None = None) -> list[Json]:
        """Store a command tree as if the client had synced it (``PUT .../commands``) and return it
        with ids. For tests that do not want to sync over HTTP: pass
        ``[c.to_dict(bot.tree) for c in bot.tree.get_commands(guild=...)]``."""
        scope = None if guild is None else str(guild)
        stored = [self._stored_command(c, scope) for c in commands]
        self.commands[scope] = stored
        return stored

    def _stored_command(self, cmd: Json, scope: str | None) -> Json:
        out = {
            "type": 1,
            "description": "",  # like Discord: context menus (types 2, 3) come back with an empty one
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **cmd,
            "id": snowflake(),
            "application_id": self.world.application_id,
            "version": snowflake(),
        }
        if scope is not None:
            out["guild_id"] = scope
        return out

    def _build_options(
        self, defs: list[Json], values: dict[str, Any], resolved: Json, *, focused: str | None = None
    ) -> list[Json]:
        by_name: dict[str, Json] = {}
        for d in defs:
            by_name[d["name"]] = d
            for loc in (d.get("name_localizations") or {}).values():
                by_name.setdefault(loc, d)
        out = []
        for name, value in values.items():
            if name not in by_name:
                raise ValueError(f"fake discord: no option {name!r}; options are {[d['name'] for d in defs]}")
            d = by_name[name]
            if name == focused or d["name"] == focused:
                out.append({"name": d["name"], "type": d["type"], "value": str(value), "focused": True})
            else:
                out.append(
                    {"name": d["name"], "type": d["type"], "value": self._option_value(d, value, resolved)}
                )
        if focused is None:
            given = {o["name"] for o in out}
            missing = [d["name"] for d in defs if d.get("required") and d["name"] not in given]
            if missing:
                raise ValueError(f"fake discord: required options missing: {missing}")
        elif focused not in {o["name"] for o in out}:
            d = by_name[focused]
            out.append({"name": d["name"], "type": d["type"], "value": "", "focused": True})
        return out

    def _option_value(self, d: Json, value: Any, resolved: Json) -> Any:
        t = d["type"]
        if t in (3, 4, 5, 10):
            v: Any = {3: str, 4: int, 5: bool, 10: float}[t](value)
            choices = d.get("choices")
            if choices and v not in [c["value"] for c in choices]:
                raise ValueError(f"fake discord: {v!r} is not a choice of {d['name']!r}: {choices}")
            for key, ok in (("min_value", lambda lo: v >= lo), ("max_value", lambda hi: v <= hi)):
                if key in d and d[key] is not None and t != 3 and not ok(d[key]):
                    raise ValueError(f"fake discord: {v!r} breaks {key}={d[key]} of {d['name']!r}")
            if t == 3 and not (d.get("min_length") or 0) <= len(v) <= (d.get("max_length") or 6000):
                raise ValueError(f"fake discord: {v!r} breaks the length limits of {d['name']!r}")
            return v
        if t in (6, 9):
            try:
                user = self.world.user(value)
            except KeyError:
                if t == 6:
                    raise
            else:
                resolved.setdefault("users", {})[user["id"]] = user
                if user["id"] in self.world.members:
                    member = self.world.member_payload(user, with_user=False)
                    resolved.setdefault("members", {})[user["id"]] = member
                return user["id"]
        if t in (8, 9):
            role = self.world.role(value)
            resolved.setdefault("roles", {})[role["id"]] = role
            return role["id"]
        if t == 11:  # attachment: a dict from `attachment()`, or (filename, content)
            att = value if isinstance(value, dict) else self.attachment(*value)
            resolved.setdefault("attachments", {})[att["id"]] = att
            return att["id"]
        if t == 7:
            ch = self.world.channel(value)
            resolved.setdefault("channels", {})[ch["id"]] = {**ch, "permissions": str((1 << 53) - 1)}
            return ch["id"]
        raise NotImplementedError(f"fake discord: option type {t} is not supported")

    def _command_data(
        self, name: str, options: dict[str, Any] | None, subcommand: str | None, dm: bool, focused: str | None
    ) -> Json:
        cmd, scope = self._find_command(name, dm)
        defs: list[Json] = cmd.get("options") or []
        resolved: Json = {}
        path = subcommand.split() if subcommand else []
        built = self._build_options(self._leaf_defs(defs, path), options or {}, resolved, focused=focused)
        for part in reversed(path):
            level = self._leaf_defs(defs, path[: path.index(part)])
            d = next(o for o in level if o["name"] == part)
            built = [{"name": part, "type": d["type"], "options": built}]
        data: Json = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": built}
        if resolved:
            data["resolved"] = resolved
        if scope is not None:
            data["guild_id"] = scope
        return data

    @staticmethod
    def _leaf_defs(defs: list[Json], path: list[str]) -> list[Json]:
        for part in path:
            sub = next((o for o in defs if o["name"] == part and o["type"] in (1, 2)), None)
            if sub is None:
                raise ValueError(f"fake discord: no subcommand {part!r}; have {[o['name'] for o in defs]}")
            defs = sub.get("options") or []
        return defs

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: str | Json = "member",
        locale: str = "en-US",
        subcommand: str | None = None,
        channel: str | int = "general",
        dm: bool = False,
    ) -> InteractionHandle:
        """A user runs ``/name`` with ``options`` ({option name: value}). Option types, choices and
        required options come from the synced command tree (a LookupError if ``name`` was not synced).
        User/role/channel options take aliases, names or ids and get ``resolved`` data.
        ``subcommand`` is ``"sub"`` or ``"group sub"``."""
        data = self._command_data(name, options, subcommand, dm, focused=None)
        return await self.interaction(2, data, user=user, channel=channel, dm=dm, locale=locale)

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any] | None,
        focused: str,
        *,
        user: str | Json = "member",
        locale: str = "en-US",
        subcommand: str | None = None,
        channel: str | int = "general",
        dm: bool = False,
    ) -> InteractionHandle:
        """A user types into option ``focused`` of ``/name`` (type 4). ``options[focused]`` is the
        partial text (sent as a string); await ``handle.choices()``."""
        data = self._command_data(name, options, subcommand, dm, focused=focused)
        return await self.interaction(4, data, user=user, channel=channel, dm=dm, locale=locale)

    def _message_ref(self, message: Json | str | int) -> Json:
        mid = message["id"] if isinstance(message, dict) else str(message)
        if mid not in self.messages:
            raise LookupError(f"fake discord: message {mid} does not exist (deleted?)")
        return self.messages[mid]

    async def _component(
        self, message: Json | str | int, custom_id: str, user: str | Json, locale: str, extra: Json
    ) -> InteractionHandle:
        msg = self._message_ref(message)
        comp = find_component(msg.get("components", []), custom_id)
        if comp is None:
            ids = [
                c.get("custom_id") for c in walk_components(msg.get("components", [])) if c.get("custom_id")
            ]
            raise LookupError(f"fake discord: message {msg['id']} has no component {custom_id!r} (has {ids})")
        if comp.get("disabled"):
            raise ValueError(f"fake discord: component {custom_id!r} is disabled")
        data = {"custom_id": custom_id, "component_type": comp["type"], **extra}
        ch = self.world.channel(msg["channel_id"])
        dm = ch["type"] == 1
        if dm and user == "member":
            user = ch["recipients"][0]
        return await self.interaction(3, data, user=user, channel=ch["id"], dm=dm, locale=locale, message=msg)

    async def click(
        self, message: Json | str | int, custom_id: str, *, user: str | Json = "member", locale: str = "en-US"
    ) -> InteractionHandle:
        """A user clicks the button ``custom_id`` on a stored message (dict or id). Raises LookupError
        if the message has no such component, ValueError if it is disabled."""
        return await self._component(message, custom_id, user, locale, {})

    async def select(
        self,
        message: Json | str | int,
        custom_id: str,
        values: list[str],
        *,
        user: str | Json = "member",
        locale: str = "en-US",
    ) -> InteractionHandle:
        """A user picks ``values`` in the select menu ``custom_id`` on a stored message. String-select
        values must be among its options and within min/max_values; user, role, mentionable and
        channel selects take aliases, names or ids and get ``resolved`` data."""
        msg = self._message_ref(message)
        comp = find_component(msg.get("components", []), custom_id)
        extra: Json = {"values": list(values)}
        if comp is not None and comp["type"] == 3:
            allowed = [o["value"] for o in comp.get("options", [])]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise ValueError(f"fake discord: {bad} are not options of {custom_id!r} ({allowed})")
        if comp is not None and not comp.get("min_values", 1) <= len(values) <= comp.get("max_values", 1):
            raise ValueError(f"fake discord: {len(values)} values breaks min/max_values of {custom_id!r}")
        if comp is not None and comp["type"] in (5, 6, 7, 8):
            option_type = {5: 6, 6: 8, 7: 9, 8: 7}[comp["type"]]
            resolved: Json = {}
            extra["values"] = [self._option_value({"type": option_type}, v, resolved) for v in values]
            extra["resolved"] = resolved
        return await self._component(msg, custom_id, user, locale, extra)

    async def submit_modal(
        self,
        custom_id: str,
        fields: dict[str, str],
        *,
        user: str | Json | None = None,
        locale: str = "en-US",
        timeout: float = 5.0,
    ) -> InteractionHandle:
        """Submit the modal ``custom_id`` the client showed (type 9 callback) with ``fields``
        ({text input custom_id: value}). Like Discord, a form is submitted by the user it was shown to,
        once: ``user`` picks whose open form this is (needed when several users have a form with this
        custom_id open). Waits for the modal to have been shown. Raises ValueError for unknown or
        missing required fields, or for a form several users have open when ``user`` is not given."""
        wanted = None if user is None else self.world.user(user)["id"]

        def shown() -> InteractionHandle | None:
            open_forms = [
                h
                for h in self.interactions.values()
                if h.modal and h.modal["custom_id"] == custom_id and not h.modal_submitted
            ]
            if wanted is not None:
                open_forms = [h for h in open_forms if h.user_id == wanted]
            owners = {h.user_id for h in open_forms}
            if len(owners) > 1:
                raise ValueError(
                    f"fake discord: the form {custom_id!r} is open for several users ({sorted(owners)}); "
                    "pass user= to say who submits it"
                )
            return open_forms[-1] if open_forms else None

        whose = "" if user is None else f" shown to {user!r}"
        origin: InteractionHandle = await self._wait_until(shown, timeout, f"the modal {custom_id!r}{whose}")
        assert origin.modal is not None
        inputs = {
            c["custom_id"]: c for c in walk_components(origin.modal["components"]) if c.get("custom_id")
        }
        unknown = set(fields) - set(inputs)
        if unknown:
            raise ValueError(
                f"fake discord: modal {custom_id!r} has no inputs {sorted(unknown)} ({sorted(inputs)})"
            )
        for cid, comp in inputs.items():
            if comp["type"] == 4 and comp.get("required", True) and not fields.get(cid):
                raise ValueError(f"fake discord: required input {cid!r} of modal {custom_id!r} is empty")
            value = fields.get(cid, "")
            limits = (comp.get("min_length") or 0, comp.get("max_length") or 4000)
            checked = comp["type"] == 4 and (value or comp.get("required", True))
            if checked and not limits[0] <= len(value) <= limits[1]:
                raise ValueError(f"fake discord: {value!r} breaks the length limits of input {cid!r}")

        def submitted(comp: Json) -> Json:
            if comp["type"] == 1:
                return {"type": 1, "components": [submitted(c) for c in comp.get("components", [])]}
            if comp["type"] == 18:
                return {"type": 18, "id": comp.get("id", 0), "component": submitted(comp["component"])}
            if comp["type"] == 4:
                return {
                    "type": 4,
                    "id": comp.get("id", 0),
                    "custom_id": comp["custom_id"],
                    "value": fields.get(comp["custom_id"], ""),
                }
            if "custom_id" in comp:
                raw = fields.get(comp["custom_id"], [])
                return {
                    "type": comp["type"],
                    "id": comp.get("id", 0),
                    "custom_id": comp["custom_id"],
                    "values": [raw] if isinstance(raw, str) else list(raw),
                }
            return {"type": comp["type"], "id": comp.get("id", 0)}

        data = {"custom_id": custom_id, "components": [submitted(c) for c in origin.modal["components"]]}
        p = origin.payload
        dm = "guild_id" not in p
        origin.modal_submitted = True
        who = p.get("user") or p["member"]["user"]
        message = p.get("message")
        if message is not None and message["id"] in self.messages:
            message = self.messages[message["id"]]
        return await self.interaction(
            5, data, user=who, channel=p["channel_id"], dm=dm, locale=locale, message=message
        )

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._gateway(request)
        if request.method == "GET" and request.path.startswith("/attachments/"):
            upload = self.uploads.get(request.path.split("/")[2])
            if upload is None:
                return web.Response(status=404)
            return web.Response(status=200, body=upload[1], headers={"Content-Type": upload[0]})
        self._inflight += 1
        try:
            return await self._rest(request)
        finally:
            self._inflight -= 1
            self._notify()

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.path[len(API_PREFIX) :] if request.path.startswith(API_PREFIX + "/") else request.path
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        rec = RecordedRequest(len(self.requests), request.method, path, dict(request.query), headers)
        await self._read_body(request, rec)
        self.requests.append(rec)
        try:
            if not request.path.startswith(API_PREFIX + "/"):
                raise HttpError(404, 0, f"fake discord: {request.path} is not under {API_PREFIX}")
            handler, match, route = self._match(rec)
            rec.route = route
            if handler is None:
                self.unhandled.append(rec)
                _log.error("fake discord: no route for %s %s", rec.method, rec.path)
                raise HttpError(404, 0, f"fake discord: no route for {rec.method} {rec.path}")
            needs_auth = not (path.startswith("/webhooks/") or path.startswith("/interactions/"))
            if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
                raise HttpError(401, 0, "401: Unauthorized")
            limited = self._rate_limited(rec)
            if limited is not None:
                return limited
            status, body = await handler(rec, match)
        except HttpError as exc:
            status, body = exc.status, exc.body()
        rec.status, rec.response = status, body
        if body is None:
            return web.Response(status=204)
        return web.Response(
            status=status, body=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )

    def rate_limit(
        self,
        method: str,
        path_regex: str,
        *,
        retry_after: float = 0.05,
        times: int = 1,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``times`` requests matching ``method`` and ``path_regex`` (relative to
        /api/v10) with 429 as Discord does: JSON ``retry_after`` (seconds), ``Retry-After`` and
        ``X-RateLimit-*`` headers, and ``Via`` (without it discord.py takes a 429 for a Cloudflare ban)."""
        self._rate_limits.append(
            _RateLimit(method.upper(), re.compile(path_regex), retry_after, times, is_global)
        )

    def _rate_limited(self, rec: RecordedRequest) -> web.Response | None:
        for rule in self._rate_limits:
            if rule.times > 0 and rule.method == rec.method and rule.path.fullmatch(rec.path):
                rule.times -= 1
                body = {"message": "You are being rate limited.", "retry_after": rule.retry_after,
                        "global": rule.is_global, "code": 0}  # fmt: skip
                rec.status, rec.response = 429, body
                headers = {
                    "Content-Type": "application/json",
                    "Retry-After": str(max(1, round(rule.retry_after))),
                    "X-RateLimit-Limit": "1",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
                    "X-RateLimit-Bucket": "fakediscord",
                    "X-RateLimit-Scope": "global" if rule.is_global else "user",
                    "Via": "1.1 google",
                }
                if rule.is_global:
                    headers["X-RateLimit-Global"] = "true"
                return web.Response(status=429, body=json.dumps(body).encode(), headers=headers)
        return None

    @staticmethod
    async def _read_body(request: web.Request, rec: RecordedRequest) -> None:
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                data = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":  # type: ignore[union-attr]
                    rec.json = json.loads(data)
                else:
                    rec.files.append(
                        RecordedFile(
                            part.name or "", part.filename, part.headers.get("Content-Type"), bytes(data)
                        )  # type: ignore[union-attr]
                    )
        else:
            raw = await request.read()
            if raw:
                try:
                    rec.json = json.loads(raw)
                except ValueError:
                    rec.json = raw.decode(errors="replace")

    def _match(self, rec: RecordedRequest) -> tuple[Any, re.Match[str] | None, str]:
        for method, rx, handler, template in self._routes:
            m = rx.fullmatch(rec.path)
            if m and method == rec.method:
                return handler, m, template
        return None, None, ""

    def _route_table(self) -> list[tuple[str, re.Pattern[str], Callable[..., Awaitable[Any]], str]]:
        table = [
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_app),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", "/users/{id}", self._get_user),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/channels/{id}", self._get_channel),
            ("PATCH", "/channels/{id}", self._edit_channel),
            ("POST", "/channels/{id}/typing", self._no_content),
            ("POST", "/channels/{id}/messages", self._create_message),
            ("GET", "/channels/{id}/messages/{id}", self._get_message),
            ("PATCH", "/channels/{id}/messages/{id}", self._edit_message),
            ("DELETE", "/channels/{id}/messages/{id}", self._delete_message),
            ("PUT", "/channels/{id}/messages/{id}/reactions/{any}/@me", self._add_reaction),
            ("DELETE", "/channels/{id}/messages/{id}/reactions/{any}/@me", self._no_content),
            ("GET", "/guilds/{id}/members/{id}", self._get_member),
            ("POST", "/interactions/{id}/{any}/callback", self._callback),
            ("POST", "/webhooks/{id}/{any}", self._followup),
            ("GET", "/webhooks/{id}/{any}/messages/{mid}", self._webhook_get),
            ("PATCH", "/webhooks/{id}/{any}/messages/{mid}", self._webhook_edit),
            ("DELETE", "/webhooks/{id}/{any}/messages/{mid}", self._webhook_delete),
            ("GET", "/applications/{id}/commands", self._get_commands),
            ("PUT", "/applications/{id}/commands", self._put_commands),
            ("GET", "/applications/{id}/guilds/{id}/commands", self._get_commands),
            ("PUT", "/applications/{id}/guilds/{id}/commands", self._put_commands),
        ]
        out = []
        for method, template, handler in table:
            rx = re.escape(template)
            rx = rx.replace(re.escape("{id}"), r"(\d+)").replace(re.escape("{any}"), r"([^/]+)")
            rx = rx.replace(re.escape("{mid}"), r"(\d+|@original)")
            out.append((method, re.compile(rx), handler, f"{method} {template}"))
        return out

    # ------------------------------------------------------------------ REST handlers

    async def _get_me(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        return 200, {
            **self.world.bot,
            "verified": True,
            "mfa_enabled": False,
            "locale": "en-US",
            "email": None,
        }

    async def _get_app(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        return 200, {
            "id": self.world.application_id,
            "name": self.world.bot["username"],
            "description": "fake application",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.world.users["admin"],
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": self.world.bot,
            "summary": "",
        }

    async def _get_gateway(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        return 200, {
            "url": self.gateway_url.rstrip("/"),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        }

    async def _get_user(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        try:
            return 200, self.world.user(m.group(1))
        except KeyError:
            raise HttpError(404, 10013, "Unknown User") from None

    async def _create_dm(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        try:
            user = self.world.user(str((rec.json or {}).get("recipient_id")))
        except KeyError:
            raise HttpError(400, 50033, "Invalid Recipient(s)") from None
        return 200, self.world.dm_channel(user)

    def _channel_or_404(self, cid: str) -> Json:
        try:
            return self.world.channel(cid)
        except KeyError:
            raise HttpError(404, 10003, "Unknown Channel") from None

    async def _get_channel(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        return 200, self._channel_or_404(m.group(1))

    async def _no_content(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, None]:
        if rec.path.startswith("/channels/"):
            self._channel_or_404(m.group(1))
        return 204, None

    async def _get_member(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        member = self.world.members.get(m.group(2))
        if m.group(1) != self.world.guild_id or member is None:
            raise HttpError(404, 10007, "Unknown Member")
        return 200, member

    def _store(self, msg: Json) -> None:
        self.messages[msg["id"]] = msg
        ch_id = msg["channel_id"]
        with contextlib.suppress(KeyError):
            self.world.channel(ch_id)["last_message_id"] = msg["id"]
        self._notify()

    def _bot_message(self, channel: Json, payload: Json, files: list[RecordedFile], **extra: Any) -> Json:
        """A new message authored by the bot from a create-message payload."""
        content = payload.get("content") or ""
        mentions, roles, _ = self.world.mentions_in(content)
        guild_id = self.world.guild_id if channel["type"] != 1 else None
        bot = self.world.bot
        msg = make_message(
            channel["id"],
            bot,
            content,
            guild_id=guild_id,
            member=self.world.member_payload(bot, with_user=False) if guild_id else None,
            mentions=mentions,
            mention_roles=roles,
            **extra,
        )
        self._apply(msg, payload, files)
        ref = payload.get("message_reference")
        if ref and str(ref.get("message_id")) in self.messages:
            msg["type"] = 19
            msg["message_reference"] = {
                **ref,
                "message_id": str(ref["message_id"]),
                "channel_id": channel["id"],
            }
            msg["referenced_message"] = self.messages[str(ref["message_id"])]
        return msg

    @staticmethod
    def _apply(msg: Json, payload: Json, files: list[RecordedFile]) -> None:
        for key in ("content", "embeds", "components", "tts", "poll"):
            if key in payload and payload[key] is not None:
                msg[key] = payload[key]
        if "flags" in payload and payload["flags"] is not None:
            msg["flags"] = (msg.get("flags", 0) & (EPHEMERAL | LOADING)) | int(payload["flags"])
        if files or "attachments" in payload:
            kept = [
                a
                for a in msg.get("attachments", [])
                if any(str(p.get("id")) == a["id"] for p in payload.get("attachments") or [])
            ]
            for f in files:
                kept.append(
                    {
                        "id": snowflake(),
                        "filename": f.filename or "file",
                        "size": len(f.data),
                        "url": f"https://cdn.fake/{f.filename}",
                        "proxy_url": f"https://cdn.fake/{f.filename}",
                        "content_type": f.content_type,
                    }
                )
            msg["attachments"] = kept

    def _bot_permissions(self, channel: Json) -> int | None:
        """The bot's permissions in a guild channel (None in a DM)."""
        if channel["type"] == 1:
            return None
        return self.world.channel_permissions(self.world.bot["id"], channel)

    def _check_send(self, channel: Json, payload: Json, files: int, *, creating: bool) -> Json:
        """Discord's permission rules for the bot's own channel messages: View Channel (else 50001),
        Send Messages (Send Messages in Threads in a thread), Read Message History for a reply (else
        50013). Without Embed Links, embeds are dropped, and a message of embeds alone is refused
        (50013). Returns the payload as Discord keeps it."""
        perms = self._bot_permissions(channel)
        if perms is None:
            return payload
        if not perms & VIEW_CHANNEL:
            raise HttpError(403, 50001, "Missing Access")
        send = SEND_MESSAGES_IN_THREADS if channel["type"] == 11 else SEND_MESSAGES
        if creating and not perms & send:
            raise HttpError(403, 50013, "Missing Permissions")
        if creating and payload.get("message_reference") and not perms & READ_MESSAGE_HISTORY:
            raise HttpError(403, 50013, "Missing Permissions")
        if payload.get("embeds") and not perms & EMBED_LINKS:
            if not (payload.get("content") or payload.get("components") or files):
                raise HttpError(403, 50013, "Missing Permissions")
            payload = {**payload, "embeds": []}
        return payload

    async def _create_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        channel = self._channel_or_404(m.group(1))
        payload = rec.json or {}
        validate_message(payload, files=len(rec.files), creating=True)
        payload = self._check_send(channel, payload, len(rec.files), creating=True)
        msg = self._bot_message(channel, payload, rec.files)
        self._store(msg)
        await self._echo("MESSAGE_CREATE", msg)
        return 200, msg

    def _message_or_404(self, mid: str, channel_id: str | None = None) -> Json:
        msg = self.messages.get(mid)
        if msg is None or (channel_id is not None and msg["channel_id"] != channel_id):
            raise HttpError(404, 10008, "Unknown Message")
        return msg

    async def _get_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        return 200, self._message_or_404(m.group(2), m.group(1))

    async def _edit_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        msg = self._message_or_404(m.group(2), m.group(1))
        if msg["author"]["id"] != self.world.bot["id"]:
            raise HttpError(403, 50005, "Cannot edit a message authored by another user")
        payload = self._check_send(self.world.channel(msg["channel_id"]), rec.json or {}, 0, creating=False)
        if payload is not rec.json:
            rec = RecordedRequest(rec.index, rec.method, rec.path, rec.query, rec.headers, payload, rec.files)
        return 200, await self._edit(msg, rec)

    async def _add_reaction(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, None]:
        channel = self._channel_or_404(m.group(1))
        self._message_or_404(m.group(2), m.group(1))
        perms = self._bot_permissions(channel)
        if perms is not None and not (perms & READ_MESSAGE_HISTORY and perms & ADD_REACTIONS):
            raise HttpError(403, 50013, "Missing Permissions")
        return 204, None

    async def _edit_channel(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        """Edit a thread (name, archived, locked, applied_tags): the thread's owner, or Manage Threads."""
        thread = self.world.threads.get(m.group(1))
        if thread is None:
            self._channel_or_404(m.group(1))
            raise HttpError(403, 50013, "Missing Permissions")  # the fake edits threads only
        perms = self._bot_permissions(thread) or 0
        if thread["owner_id"] != self.world.bot["id"] and not perms & MANAGE_THREADS:
            raise HttpError(403, 50013, "Missing Permissions")
        changes = rec.json or {}
        for key in ("name", "applied_tags"):
            if key in changes:
                thread[key] = changes[key]
        for key in ("archived", "locked"):
            if key in changes:
                thread["thread_metadata"][key] = changes[key]
        self._notify()
        if self._session is not None:
            await self.dispatch("THREAD_UPDATE", thread)
        return 200, thread

    async def _edit(self, msg: Json, rec: RecordedRequest) -> Json:
        payload = rec.json or {}
        validate_message(payload, files=len(rec.files), creating=False)
        self._apply(msg, payload, rec.files)
        msg["flags"] = msg.get("flags", 0) & ~LOADING
        msg["edited_timestamp"] = now_iso()
        self._notify()
        await self._echo("MESSAGE_UPDATE", msg)
        return msg

    async def _delete_message(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, None]:
        msg = self._message_or_404(m.group(2), m.group(1))
        await self._delete(msg)
        return 204, None

    async def _delete(self, msg: Json) -> None:
        self.deleted[msg["id"]] = self.messages.pop(msg["id"])
        self._notify()
        event = {"id": msg["id"], "channel_id": msg["channel_id"]}
        if "guild_id" in msg:
            event["guild_id"] = msg["guild_id"]
        await self._echo("MESSAGE_DELETE", event, ephemeral=bool(msg.get("flags", 0) & EPHEMERAL))

    async def _echo(self, event: str, msg: Json, *, ephemeral: bool | None = None) -> None:
        """Dispatch what real Discord would broadcast (never for ephemeral messages)."""
        if ephemeral is None:
            ephemeral = bool(msg.get("flags", 0) & EPHEMERAL)
        if not ephemeral and self._session is not None:
            await self.dispatch(event, msg)

    # -- interactions

    def _interaction_by_token(self, token: str) -> InteractionHandle:
        handle = self.interactions.get(token)
        if handle is None:
            raise HttpError(404, 10015, "Unknown Webhook")
        if self.clock.now() > handle.expires:
            raise HttpError(401, 50027, "Invalid Webhook Token")  # tokens live 15 minutes
        return handle

    async def _callback(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        handle = self.interactions.get(m.group(2))
        if handle is None or handle.id != m.group(1):
            raise HttpError(404, 10062, "Unknown interaction")
        if handle.callback is not None:
            raise HttpError(400, 40060, "Interaction has already been acknowledged.")
        if handle.callback is None and self.clock.now() > handle.ack_deadline:
            handle.late = rec
            self._notify()
            raise HttpError(404, 10062, "Unknown interaction")  # Discord: the 3 s deadline has passed
        body = rec.json or {}
        rtype, data = body.get("type"), body.get("data") or {}
        allowed = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}[handle.type]
        if handle.type == 5 and "message" not in handle.payload:
            allowed = {4, 5}
        if rtype not in allowed:
            raise HttpError(
                400,
                50035,
                "Invalid Form Body",
                error_body(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", f"type {rtype} is not valid here"),
            )
        p = handle.payload
        channel = self.world.channel(p["channel_id"])
        resource: Json = {"type": rtype}
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        if rtype == 4:
            validate_message(data, files=len(rec.files), creating=True)
            msg = self._bot_message(
                channel,
                data,
                rec.files,
                type=20 if handle.type == 2 else 0,
                webhook_id=self.world.application_id,
                application_id=self.world.application_id,
            )
            handle.original_id = msg["id"]
            resource["message"] = msg
        elif rtype == 5:
            msg = self._bot_message(
                channel,
                {},
                [],
                type=20 if handle.type == 2 else 0,
                webhook_id=self.world.application_id,
                application_id=self.world.application_id,
            )
            msg["flags"] = LOADING | (EPHEMERAL if ephemeral else 0)
            handle.original_id = msg["id"]
            resource["message"] = msg
        elif rtype in (6, 7):
            target = self._message_or_404(p["message"]["id"])
            handle.original_id = target["id"]
            ephemeral = bool(target.get("flags", 0) & EPHEMERAL)
            if rtype == 7:
                validate_message(data, files=len(rec.files), creating=False)
                self._apply(target, data, rec.files)
                target["edited_timestamp"] = now_iso()
                resource["message"] = target
        elif rtype == 8:
            validate_choices(data.get("choices"))
        elif rtype == 9:
            validate_modal(data)
            handle.modal = data
        handle.callback, handle.response_type = rec, rtype
        interaction = {
            "id": handle.id,
            "type": handle.type,
            "response_message_id": handle.original_id,
            "response_message_loading": rtype == 5,
            "response_message_ephemeral": ephemeral,
        }
        if rtype in (4, 5):
            self._store(resource["message"])
            await self._echo("MESSAGE_CREATE", resource["message"])
        elif rtype == 7:
            await self._echo("MESSAGE_UPDATE", resource["message"])
        self._notify()
        if rtype in (6, 8, 9):
            return 200, {"interaction": interaction}
        return 200, {"interaction": interaction, "resource": resource}

    async def _followup(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json | None]:
        handle = self._interaction_by_token(m.group(2))
        if m.group(1) != self.world.application_id:
            raise HttpError(404, 10015, "Unknown Webhook")
        if handle.callback is None:
            raise HttpError(404, 10015, "Unknown Webhook")  # follow-ups need an acknowledged interaction
        payload = rec.json or {}
        original = self.messages.get(handle.original_id or "")
        if handle.response_type == 5 and original is not None and original.get("flags", 0) & LOADING:
            # Discord: the first follow-up after a thinking defer replaces the loading message.
            payload = {k: v for k, v in payload.items() if k != "flags"}
            msg = await self._edit(
                original, RecordedRequest(rec.index, "PATCH", rec.path, {}, {}, payload, rec.files)
            )
            handle.followup_ids.append(msg["id"])
        else:
            validate_message(payload, files=len(rec.files), creating=True)
            channel = self.world.channel(handle.payload["channel_id"])
            msg = self._bot_message(
                channel,
                payload,
                rec.files,
                webhook_id=self.world.application_id,
                application_id=self.world.application_id,
            )
            self._store(msg)
            handle.followup_ids.append(msg["id"])
            await self._echo("MESSAGE_CREATE", msg)
        self._notify()
        if rec.query.get("wait", "").lower() in ("1", "true"):
            return 200, msg
        return 204, None

    def _webhook_message(self, handle: InteractionHandle, mid: str) -> Json:
        if mid == "@original":
            if handle.original_id is None:
                raise HttpError(404, 10008, "Unknown Message")
            return self._message_or_404(handle.original_id)
        if mid != handle.original_id and mid not in handle.followup_ids:
            raise HttpError(404, 10008, "Unknown Message")
        return self._message_or_404(mid)

    async def _webhook_get(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        return 200, self._webhook_message(self._interaction_by_token(m.group(2)), m.group(3))

    async def _webhook_edit(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, Json]:
        msg = self._webhook_message(self._interaction_by_token(m.group(2)), m.group(3))
        return 200, await self._edit(msg, rec)

    async def _webhook_delete(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, None]:
        msg = self._webhook_message(self._interaction_by_token(m.group(2)), m.group(3))
        await self._delete(msg)
        return 204, None

    # -- commands

    def _command_scope(self, m: re.Match[str]) -> str | None:
        if m.group(1) != self.world.application_id:
            raise HttpError(403, 50001, "Missing Access")
        if m.lastindex and m.lastindex >= 2:
            if m.group(2) != self.world.guild_id or not self.bot_in_guild:
                raise HttpError(403, 50001, "Missing Access")
            return m.group(2)
        return None

    async def _get_commands(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, list[Json]]:
        return 200, self.commands.get(self._command_scope(m), [])

    async def _put_commands(self, rec: RecordedRequest, m: re.Match[str]) -> tuple[int, list[Json]]:
        scope = self._command_scope(m)
        payload = rec.json
        if not isinstance(payload, list):
            raise HttpError(
                400, 50035, "Invalid Form Body", error_body((), "LIST_TYPE_CONVERT", "Must be a list")
            )
        validate_commands(payload)
        return 200, self.register_commands(payload, scope)


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Point discord.py at the fake by swapping ``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``
    (approach (a) of the testing notes); restores both on exit. For plain clients; the bot does the
    same itself from its DISCORD_API_BASE / DISCORD_GATEWAY_URL settings."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
