"""What Discord refuses, as the fake enforces it: message, embed and component limits, autocomplete
choices, modals and command trees (each a 400 ``HttpError`` shaped like Discord's), plus helpers for
components and for checking which mentions would ping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .factories import Json

COMPONENTS_V2 = 1 << 15
COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


class HttpError(Exception):
    """An error response the fake sends the way Discord does: ``{"code", "message"[, "errors"]}``."""

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> Json:
        body: Json = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def walk_components(components: list[Json]) -> Iterator[Json]:
    """Every component in a (possibly nested) component list: rows, labels, containers, sections."""
    for comp in components:
        yield comp
        yield from walk_components(comp.get("components", []))
        if isinstance(comp.get("component"), dict):
            yield from walk_components([comp["component"]])
        if isinstance(comp.get("accessory"), dict):
            yield from walk_components([comp["accessory"]])


def find_component(components: list[Json], custom_id: str) -> Json | None:
    return next((c for c in walk_components(components) if c.get("custom_id") == custom_id), None)


def error_body(path: tuple[str | int, ...], code: str, message: str) -> Json:
    node: Json = {"_errors": [{"code": code, "message": message}]}
    for key in reversed(path):
        node = {str(key): node}
    return node


def _invalid(path: tuple[str | int, ...], message: str, code: str = "BASE_TYPE_MAX_LENGTH") -> HttpError:
    return HttpError(400, 50035, "Invalid Form Body", error_body(path, code, message))


def _check_len(value: Any, limit: int, path: tuple[str | int, ...], *, required: bool = False) -> None:
    text = value or ""
    if required and not text:
        raise _invalid(path, "This field is required", "BASE_TYPE_REQUIRED")
    if len(text) > limit:
        raise _invalid(path, f"Must be {limit} or fewer in length.")


def validate_message(payload: Json, *, files: int = 0, creating: bool) -> None:
    """Reject (HttpError 400) what Discord rejects: empty messages, content over 2000 characters,
    more than 10 embeds or an embed over its limits, bad component layouts."""
    content = payload.get("content")
    _check_len(content, 2000, ("content",))
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        raise _invalid(("embeds",), "Must be 10 or fewer in length.")
    total = 0
    for i, e in enumerate(embeds):
        _check_len(e.get("title"), 256, ("embeds", i, "title"))
        _check_len(e.get("description"), 4096, ("embeds", i, "description"))
        fields = e.get("fields") or []
        if len(fields) > 25:
            raise _invalid(("embeds", i, "fields"), "Must be 25 or fewer in length.")
        for j, f in enumerate(fields):
            _check_len(f.get("name"), 256, ("embeds", i, "fields", j, "name"), required=True)
            _check_len(f.get("value"), 1024, ("embeds", i, "fields", j, "value"), required=True)
        footer = (e.get("footer") or {}).get("text")
        author = (e.get("author") or {}).get("name")
        _check_len(footer, 2048, ("embeds", i, "footer", "text"))
        _check_len(author, 256, ("embeds", i, "author", "name"))
        total += sum(len(x or "") for x in (e.get("title"), e.get("description"), footer, author))
        total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
    if total > 6000:
        raise _invalid(("embeds",), "Embed size exceeds maximum size of 6000", "MAX_EMBED_SIZE_EXCEEDED")
    components = payload.get("components") or []
    if not int(payload.get("flags") or 0) & COMPONENTS_V2:
        validate_components(components)
    if creating and not (
        content
        or embeds
        or components
        or files
        or payload.get("sticker_ids")
        or payload.get("poll")
        or payload.get("attachments")
    ):
        raise HttpError(400, 50006, "Cannot send an empty message")


def validate_components(components: list[Json]) -> None:
    if len(components) > 5:
        raise _invalid(("components",), "Must be 5 or fewer in length.")
    seen: set[str] = set()
    for i, row in enumerate(components):
        if row.get("type") != 1:
            raise _invalid(
                ("components", i, "type"), "Top-level components must be action rows", "COMPONENT_TYPE"
            )
        children = row.get("components") or []
        if not 1 <= len(children) <= 5:
            raise _invalid(("components", i, "components"), "Must be between 1 and 5 in length.")
        if any(c.get("type") != 2 for c in children) and len(children) > 1:
            raise _invalid(
                ("components", i, "components"),
                "A select menu must be alone in its row",
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
            )
        for j, c in enumerate(children):
            path = ("components", i, "components", j)
            if c.get("type") == 2:
                _check_len(c.get("label"), 80, (*path, "label"))
                if c.get("style") in (5, 6):
                    continue
            cid = c.get("custom_id")
            _check_len(cid, 100, (*path, "custom_id"), required=True)
            if cid in seen:
                raise _invalid(
                    (*path, "custom_id"),
                    "Component custom id cannot be duplicated",
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                )
            seen.add(cid)
            if c.get("type") == 3:
                options = c.get("options") or []
                if not 1 <= len(options) <= 25:
                    raise _invalid((*path, "options"), "Must be between 1 and 25 in length.")
                for k, o in enumerate(options):
                    _check_len(o.get("label"), 100, (*path, "options", k, "label"), required=True)
                    _check_len(o.get("value"), 100, (*path, "options", k, "value"), required=True)
                    _check_len(o.get("description"), 100, (*path, "options", k, "description"))
                _check_len(c.get("placeholder"), 150, (*path, "placeholder"))


def validate_choices(choices: Any) -> None:
    if not isinstance(choices, list):
        raise _invalid(("data", "choices"), "This field is required", "BASE_TYPE_REQUIRED")
    if len(choices) > 25:
        raise _invalid(("data", "choices"), "Must be 25 or fewer in length.")
    for i, c in enumerate(choices):
        _check_len(c.get("name"), 100, ("data", "choices", i, "name"), required=True)
        if isinstance(c.get("value"), str):
            _check_len(c["value"], 100, ("data", "choices", i, "value"))


def validate_modal(data: Json) -> None:
    _check_len(data.get("custom_id"), 100, ("data", "custom_id"), required=True)
    _check_len(data.get("title"), 45, ("data", "title"), required=True)
    comps = data.get("components") or []
    if not 1 <= len(comps) <= 5:
        raise _invalid(("data", "components"), "Must be between 1 and 5 in length.")
    for c in walk_components(comps):
        if c.get("type") == 4:
            _check_len(c.get("custom_id"), 100, ("data", "components", "custom_id"), required=True)
            _check_len(c.get("label"), 45, ("data", "components", "label"))


def validate_commands(commands: list[Json]) -> None:
    """Reject command trees Discord refuses: bad names (1-32 lowercase word characters), descriptions
    outside 1-100 characters, over 25 options or choices, required options after optional ones,
    duplicate names."""
    if len(commands) > 100:
        raise _invalid((), "Must be 100 or fewer in length.")
    names = [c.get("name") for c in commands if c.get("type", 1) == 1]
    if len(names) != len(set(names)):
        raise _invalid((), "Application command names must be unique", "APPLICATION_COMMANDS_DUPLICATE_NAME")
    for i, cmd in enumerate(commands):
        _validate_named(cmd, (i,), slash=cmd.get("type", 1) == 1)
        _validate_options(cmd.get("options") or [], (i, "options"))


def _validate_named(obj: Json, path: tuple[str | int, ...], *, slash: bool = True) -> None:
    names = [obj.get("name") or "", *(obj.get("name_localizations") or {}).values()]
    for name in names:
        if slash and (not COMMAND_NAME.match(name) or name != name.lower()):
            raise _invalid(
                (*path, "name"), f"Command name {name!r} is invalid", "APPLICATION_COMMAND_INVALID_NAME"
            )
    if slash:
        for desc in [obj.get("description") or "", *(obj.get("description_localizations") or {}).values()]:
            if not 1 <= len(desc) <= 100:
                raise _invalid((*path, "description"), "Must be between 1 and 100 in length.")


def _validate_options(options: list[Json], path: tuple[str | int, ...]) -> None:
    if len(options) > 25:
        raise _invalid(path, "Must be 25 or fewer in length.")
    seen_optional = False
    for i, opt in enumerate(options):
        _validate_named(opt, (*path, i))
        if opt.get("type") in (1, 2):
            _validate_options(opt.get("options") or [], (*path, i, "options"))
            continue
        if opt.get("required"):
            if seen_optional:
                raise _invalid(
                    (*path, i, "required"),
                    "Required options must be placed before non-required options",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                )
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        if len(choices) > 25:
            raise _invalid((*path, i, "choices"), "Must be 25 or fewer in length.")
        if choices and opt.get("autocomplete"):
            raise _invalid(
                (*path, i, "autocomplete"),
                "Autocomplete cannot be used with choices",
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
            )


def would_ping(payload: Json) -> list[str]:
    """Which mentions in a message payload would notify someone under Discord's ``allowed_mentions``
    rules (no ``allowed_mentions`` means every mention in the content pings; embeds never ping).
    Returns e.g. ``["@everyone", "<@123>"]``; an empty list means nobody is pinged."""
    content = payload.get("content") or ""
    am = payload.get("allowed_mentions")
    parse = {"users", "roles", "everyone"} if am is None else set(am.get("parse") or [])
    users = set() if am is None else {str(u) for u in am.get("users") or []}
    roles = set() if am is None else {str(r) for r in am.get("roles") or []}
    out = [tag for tag in ("@everyone", "@here") if tag in content and "everyone" in parse]
    out += [
        f"<@{u}>" for u in dict.fromkeys(re.findall(r"<@!?(\d+)>", content)) if "users" in parse or u in users
    ]
    out += [
        f"<@&{r}>" for r in dict.fromkeys(re.findall(r"<@&(\d+)>", content)) if "roles" in parse or r in roles
    ]
    if payload.get("message_reference") and (am is None or am.get("replied_user")):
        out.append("replied_user")
    return out
