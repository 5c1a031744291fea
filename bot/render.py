"""Engine replies as Discord embeds that always fit Discord's limits.

Long answers are split across embeds, and embeds are packed into as many messages as needed, so
Discord never rejects a reply. All text is neutralised: `@everyone`, `@here` and user or role
mentions cannot ping even if `allowed_mentions` were ever lost, and text quoted from a user has its
Markdown escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import discord

from bot.engine.model import Item, Reply
from bot.engine.strings import fill

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
MESSAGE_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT_MAX = 2000
ALSO_MIN = 300
"""Fewest characters a second answer's embed needs in the message of the first (else it goes in a
message of its own)."""

ZWSP = "\u200b"
ELLIPSIS = "…"

_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)")
_STATUS_ICON = {"met": "✅", "not_met": "❌", "unknown": "❔", "info": "ℹ️"}
_COLOUR = {"answer": 0x2B6CB0, "suggestions": 0xD69E2E, "no_match": 0x718096}

Labels = Callable[[str], str]
"""Looks up a UI string key (e.g. ``"render.continued"``) in the reply's language."""


def neutralise(text: str) -> str:
    """Break every mention (`@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>`) with a zero-width space."""
    return _MENTION.sub("@" + ZWSP + r"\1", text)


def quote_user(text: str, limit: int = 200) -> str:
    """User text made safe to show: Markdown escaped, mentions broken, shortened to `limit`."""
    return truncate(neutralise(discord.utils.escape_markdown(" ".join(text.split()))), limit)


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, a line or a word when possible."""
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep)
            if cut > limit // 3:
                break
        if cut <= 0:
            cut = limit
        piece = rest[:cut].rstrip()
        if not piece:  # only white space before the cut
            piece, cut = rest[:limit], limit
        pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _field_lines(item: Item) -> tuple[str, str]:
    icon = _STATUS_ICON.get(item.status or "", "")
    name = f"{icon} {item.label}".strip() if icon else item.label
    value = item.text.strip()
    if item.url:
        value = f"{value}\n<{item.url}>" if value else f"<{item.url}>"
    return neutralise(name) or ZWSP, neutralise(value) or ZWSP


def _new_embed(colour: int, title: str | None = None, url: str | None = None) -> discord.Embed:
    return discord.Embed(title=title, url=url, colour=colour)


def build_embeds(
    title: str,
    description: str,
    items: list[Item] | None = None,
    *,
    colour: int = _COLOUR["answer"],
    footer: str | None = None,
    continued: str = "(…)",
) -> list[discord.Embed]:
    """Embeds holding a title, a Markdown description and item fields, each embed within its limits."""
    heading = truncate(neutralise(title.strip()), TITLE_MAX) if title.strip() else None
    embeds: list[discord.Embed] = []
    for index, chunk in enumerate(split_text(neutralise(description), DESCRIPTION_MAX) or [""]):
        embed = _new_embed(colour, heading if index == 0 else None)
        if chunk:
            embed.description = chunk
        embeds.append(embed)
    if not embeds[0].title and not embeds[0].description and not items:
        embeds[0].description = ZWSP

    current = embeds[-1]
    room = MESSAGE_TOTAL_MAX // 2  # keeps one embed well under the message total
    for item in items or []:
        name, value = _field_lines(item)
        name = truncate(name, FIELD_NAME_MAX)
        for part_index, part in enumerate(split_text(value, FIELD_VALUE_MAX) or [ZWSP]):
            field_name = name if part_index == 0 else truncate(f"{name} {continued}", FIELD_NAME_MAX)
            if len(current.fields) >= FIELDS_MAX or len(current) + len(field_name) + len(part) > room:
                current = _new_embed(colour)
                embeds.append(current)
            current.add_field(name=field_name, value=part, inline=False)
    if footer:
        text = truncate(neutralise(footer), FOOTER_MAX)
        # the footer goes on the last embed that still has room for it
        if len(embeds[-1]) + len(text) > room:
            embeds.append(_new_embed(colour, None))
            embeds[-1].description = ZWSP
        embeds[-1].set_footer(text=text)
    return embeds


def pack(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds into messages of at most 10 embeds and 6,000 characters each."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    total = 0
    for embed in embeds:
        size = len(embed)
        if size > MESSAGE_TOTAL_MAX:
            raise ValueError("an embed is larger than a whole message")  # build_embeds never makes one
        if current and (len(current) >= EMBEDS_PER_MESSAGE or total + size > MESSAGE_TOTAL_MAX):
            messages.append(current)
            current, total = [], 0
        current.append(embed)
        total += size
    if current:
        messages.append(current)
    return messages


def _described(reply: Reply) -> str:
    """The text under a reply's title: its answer without an opening line that repeats the title
    (`**title**`, or "Did you mean:"), and for "did you mean" the suggestions as a list unless the
    answer lists them already (the engine's does: they were shown twice)."""
    description = reply.body()
    head, _, rest = description.partition("\n")
    if reply.title and head.strip() == reply.title.strip() and rest.strip():
        description = rest.strip()
    listed = all(s.title in description for s in reply.suggestions)
    if reply.status == "suggestions" and reply.suggestions and not listed:
        lines = "\n".join(f"• {s.title}" for s in reply.suggestions)
        description = f"{description}\n\n{lines}".strip()
    return description


def reply_messages(
    reply: Reply, labels: Labels | None = None, *, footer: str | None = None
) -> list[list[discord.Embed]]:
    """A reply as one or more messages' worth of embeds (usually one message with one embed)."""
    label = labels or (lambda key: "")
    description = _described(reply)
    title = reply.title
    if not title and reply.status != "answer" and reply.question:
        title = quote_user(reply.question, TITLE_MAX)
    embeds = build_embeds(
        title,
        description,
        reply.items,
        colour=_COLOUR.get(reply.status, _COLOUR["answer"]),
        footer=footer,
        continued=label("render.continued") or "(…)",
    )
    messages = pack(embeds)
    for also in reply.further():  # a message asking two or three things
        _add_also(messages, also, label, _COLOUR.get(reply.status, _COLOUR["answer"]))
    return messages


def _also_heading(also: Reply, label: Labels) -> str:
    """The heading of a second answer ("You also asked: <title>", or the key the answer names in
    `Reply.heading_key`) in the labels' language."""
    return fill(label(also.heading_key) or "{title}", {"title": also.title or also.question}).strip()


def _add_also(messages: list[list[discord.Embed]], also: Reply, label: Labels, colour: int) -> None:
    """The second answer as one more embed in the last message of the first answer, under "You also
    asked: <title>", trimmed (at a paragraph when it can) to the room the message has left; in a
    message of its own when fewer than `ALSO_MIN` characters or no embed is left there. The first
    answer is never trimmed for it."""
    title = truncate(neutralise(_also_heading(also, label)), TITLE_MAX) or None
    last = messages[-1]
    room = MESSAGE_TOTAL_MAX - sum(len(embed) for embed in last) - len(title or "")
    if len(last) >= EMBEDS_PER_MESSAGE or room < ALSO_MIN:
        last = []
        messages.append(last)
        room = MESSAGE_TOTAL_MAX - len(title or "")
    embed = _new_embed(colour, title)
    embed.description = _trimmed(neutralise(also.body()), min(room, DESCRIPTION_MAX)) or ZWSP
    last.append(embed)


def _trimmed(text: str, limit: int) -> str:
    """`text` within `limit` characters: its first piece (cut at a paragraph, a line or a word) and
    an ellipsis when it is longer."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return split_text(text, max(1, limit - 1))[0].rstrip() + ELLIPSIS


def reply_text(reply: Reply, labels: Labels | None = None, *, footer: str | None = None) -> list[str]:
    """A reply as plain Markdown messages of at most 2,000 characters each, for channels where the
    bot may not embed (no Embed Links): the same title, text, items and footer as the embeds."""
    title = reply.title
    if not title and reply.status != "answer" and reply.question:
        title = quote_user(reply.question, TITLE_MAX)
    description = _described(reply)
    parts = [f"**{truncate(neutralise(title.strip()), TITLE_MAX)}**" if title.strip() else ""]
    parts.append(neutralise(description.strip()))
    for item in reply.items:
        name, value = _field_lines(item)
        parts.append(f"**{name}**\n{value}")
    if footer:
        parts.append("-# " + truncate(neutralise(footer), FOOTER_MAX))
    for also in reply.further():
        heading = truncate(neutralise(_also_heading(also, labels or (lambda key: ""))), TITLE_MAX)
        parts += [f"**{heading}**", neutralise(also.body())]
    text = "\n\n".join(part for part in parts if part.strip() and part != ZWSP)
    return split_text(text, CONTENT_MAX) or [ZWSP]


def links_text(reply: Reply, empty: str) -> str:
    """The reply's links as a bullet list for an ephemeral message (at most 2,000 characters)."""
    lines = [f"• [{neutralise(link.title)}](<{link.url}>)" for link in reply.links]
    seen: list[str] = []
    for line in lines:
        if line not in seen:
            seen.append(line)
    text = "\n".join(seen) or empty
    return truncate(text, CONTENT_MAX)
