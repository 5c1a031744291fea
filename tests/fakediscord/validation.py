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
    """A modal Discord shows: custom id, title up to 45, 1-5 rows; text inputs with a label up to 45,
    a placeholder up to 100, lengths within 0-4000 / 1-4000, and a pre-filled ``value`` that is not
    longer than the input's own ``max_length`` (Discord refuses such a form)."""
    _check_len(data.get("custom_id"), 100, ("data", "custom_id"), required=True)
    _check_len(data.get("title"), 45, ("data", "title"), required=True)
    comps = data.get("components") or []
    if not 1 <= len(comps) <= 5:
        raise _invalid(("data", "components"), "Must be between 1 and 5 in length.")
    for c in walk_components(comps):
        if c.get("type") != 4:
            continue
        cid = c.get("custom_id")
        path = ("data", "components", str(cid), "value")
        _check_len(cid, 100, ("data", "components", "custom_id"), required=True)
        _check_len(c.get("label"), 45, ("data", "components", str(cid), "label"))
        _check_len(c.get("placeholder"), 100, ("data", "components", str(cid), "placeholder"))
        low, high = c.get("min_length"), c.get("max_length")
        if low is not None and not 0 <= low <= 4000:
            raise _invalid(("data", "components", str(cid), "min_length"), "Must be between 0 and 4000.")
        if high is not None and not 1 <= high <= 4000:
            raise _invalid(("data", "components", str(cid), "max_length"), "Must be between 1 and 4000.")
        value = c.get("value") or ""
        if len(value) > (high if high is not None else 4000):
            raise _invalid(path, f"Must be {high if high is not None else 4000} or fewer in length.")


# https://discord.com/developers/docs/reference#locales
LOCALES = frozenset(
    ["id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
     "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja",
     "zh-TW", "ko"]
)  # fmt: skip
COMMAND_SIZE_MAX = 8000
"""Name, description and choice name/value characters of one command (the longest localisation of
each field counts)."""


def validate_commands(commands: list[Json]) -> None:
    """Reject command trees Discord refuses: bad names (1-32 lowercase word characters for slash
    commands, 1-32 characters for context menus), descriptions outside 1-100 characters, localisation
    keys that are not Discord locales, over 25 options or choices, choice names over 100 characters,
    required options after optional ones, duplicate command or option names (per locale too),
    sub-command groups inside groups, and commands over 8,000 characters in all."""
    if len(commands) > 100:
        raise _invalid((), "Must be 100 or fewer in length.")
    for kind in (1, 2, 3):
        names = [c.get("name") for c in commands if c.get("type", 1) == kind]
        if len(names) != len(set(names)):
            raise _invalid(
                (), "Application command names must be unique", "APPLICATION_COMMANDS_DUPLICATE_NAME"
            )
    for i, cmd in enumerate(commands):
        slash = cmd.get("type", 1) == 1
        _validate_named(cmd, (i,), slash=slash)
        if slash:
            _validate_options(cmd.get("options") or [], (i, "options"), depth=0)
        elif cmd.get("options"):
            raise _invalid((i, "options"), "Context menu commands cannot have options")
        size = command_size(cmd)
        if size > COMMAND_SIZE_MAX:
            raise _invalid(
                (i,),
                f"Command exceeds maximum size ({COMMAND_SIZE_MAX}): {size}",
                "APPLICATION_COMMAND_TOO_LARGE",
            )


def command_size(cmd: Json) -> int:
    """The characters Discord counts toward a command's 8,000 limit."""

    def longest(obj: Json, key: str) -> int:
        localised = (obj.get(f"{key}_localizations") or {}).values()
        values = [str(obj.get(key) or ""), *(str(v) for v in localised)]
        return max(len(v) for v in values)

    def walk(obj: Json) -> int:
        total = longest(obj, "name") + longest(obj, "description")
        for choice in obj.get("choices") or []:
            total += longest(choice, "name") + len(str(choice.get("value", "")))
        return total + sum(walk(opt) for opt in obj.get("options") or [])

    return walk(cmd)


def _check_locales(obj: Json, path: tuple[str | int, ...]) -> None:
    for key in ("name_localizations", "description_localizations"):
        bad = sorted(set(obj.get(key) or {}) - LOCALES)
        if bad:
            raise _invalid((*path, key, bad[0]), f"Invalid locale {bad[0]!r}", "LOCALE_INVALID")


def _validate_named(obj: Json, path: tuple[str | int, ...], *, slash: bool = True) -> None:
    _check_locales(obj, path)
    names = [obj.get("name") or "", *(obj.get("name_localizations") or {}).values()]
    for name in names:
        bad = (not COMMAND_NAME.match(name) or name != name.lower()) if slash else not 1 <= len(name) <= 32
        if bad:
            raise _invalid(
                (*path, "name"), f"Command name {name!r} is invalid", "APPLICATION_COMMAND_INVALID_NAME"
            )
    if slash:
        for desc in [obj.get("description") or "", *(obj.get("description_localizations") or {}).values()]:
            if not 1 <= len(desc) <= 100:
                raise _invalid((*path, "description"), "Must be between 1 and 100 in length.")


def _validate_options(options: list[Json], path: tuple[str | int, ...], *, depth: int) -> None:
    if len(options) > 25:
        raise _invalid(path, "Must be 25 or fewer in length.")
    _unique_option_names(options, path)
    kinds = {1 if o.get("type") in (1, 2) else 0 for o in options}
    if len(kinds) > 1:
        raise _invalid(
            path,
            "Sub-commands and sub-command groups cannot be mixed with other options",
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
        )
    seen_optional = False
    for i, opt in enumerate(options):
        _validate_named(opt, (*path, i))
        if opt.get("type") in (1, 2):
            _validate_subcommand(opt, (*path, i), depth=depth)
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
        _validate_choices(opt, (*path, i))


def _validate_subcommand(opt: Json, path: tuple[str | int, ...], *, depth: int) -> None:
    """A group (type 2) sits only at the top level and holds sub-commands only; a sub-command (type 1)
    holds neither sub-commands nor groups."""
    children = opt.get("options") or []
    if opt.get("type") == 2:
        if depth > 0 or any(c.get("type") != 1 for c in children):
            raise _invalid(
                (*path, "type"),
                "Sub-command groups can only hold sub-commands and cannot be nested",
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
            )
    elif depth > 1 or any(c.get("type") in (1, 2) for c in children):
        raise _invalid(
            (*path, "type"),
            "Sub-commands cannot hold sub-commands or groups",
            "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
        )
    _validate_options(children, (*path, "options"), depth=depth + 1)


def _validate_choices(opt: Json, path: tuple[str | int, ...]) -> None:
    """At most 25 choices, names and string values of 1-100 characters, never with autocomplete."""
    choices = opt.get("choices") or []
    if len(choices) > 25:
        raise _invalid((*path, "choices"), "Must be 25 or fewer in length.")
    for k, choice in enumerate(choices):
        _check_locales(choice, (*path, "choices", k))
        for name in [choice.get("name") or "", *(choice.get("name_localizations") or {}).values()]:
            if not 1 <= len(name) <= 100:
                raise _invalid((*path, "choices", k, "name"), "Must be between 1 and 100 in length.")
        if isinstance(choice.get("value"), str) and not 1 <= len(choice["value"]) <= 100:
            raise _invalid((*path, "choices", k, "value"), "Must be between 1 and 100 in length.")
    if choices and opt.get("autocomplete"):
        raise _invalid(
            (*path, "autocomplete"),
            "Autocomplete cannot be used with choices",
            "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
        )


def _unique_option_names(options: list[Json], path: tuple[str | int, ...]) -> None:
    """Option names are unique at their level, and so are the localised names in each locale (a
    localised name may not equal another option's default name either)."""
    defaults = [o.get("name") for o in options]
    if len(defaults) != len(set(defaults)):
        raise _invalid(path, "Option names must be unique", "APPLICATION_COMMAND_OPTION_NAME_DUPLICATE")
    locales = {loc for o in options for loc in (o.get("name_localizations") or {})}
    for loc in locales:
        shown = [(o.get("name_localizations") or {}).get(loc, o.get("name")) for o in options]
        clash = len(shown) != len(set(shown))
        for o in options:
            local = (o.get("name_localizations") or {}).get(loc)
            if local is not None and local != o.get("name") and local in defaults:
                clash = True
        if clash:
            raise _invalid(
                path,
                f"Option names must be unique in locale {loc}",
                "APPLICATION_COMMAND_OPTION_NAME_DUPLICATE",
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
