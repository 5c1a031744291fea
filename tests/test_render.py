"""bot.render: every reply fits Discord's embed limits, whatever its size; mentions never survive."""

from __future__ import annotations

import random

import pytest

from bot import render
from bot.engine.model import Item, Reply, Suggestion


def assert_within_limits(messages: list[list]) -> None:
    for embeds in messages:
        assert 1 <= len(embeds) <= render.EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in embeds) <= render.MESSAGE_TOTAL_MAX
        for e in embeds:
            assert len(e.title or "") <= render.TITLE_MAX
            assert len(e.description or "") <= render.DESCRIPTION_MAX
            assert len(e.fields) <= render.FIELDS_MAX
            for f in e.fields:
                assert 1 <= len(f.name) <= render.FIELD_NAME_MAX
                assert 1 <= len(f.value) <= render.FIELD_VALUE_MAX
            assert len(e.footer.text or "") <= render.FOOTER_MAX
            assert e.title or e.description or e.fields or e.footer.text


def words(rng: random.Random, n: int) -> str:
    pool = ["cmf", "microcredential", "ECTS", "level", "\n", "\n\n", "a" * 50, "x" * 1500, "é", "@everyone"]
    return " ".join(rng.choice(pool) for _ in range(n))


@pytest.mark.parametrize("seed", range(40))
def test_random_replies_always_fit(seed: int) -> None:
    rng = random.Random(seed)
    reply = Reply(
        question=words(rng, rng.randint(0, 50)),
        lang="en",
        status=rng.choice(["answer", "suggestions", "no_match"]),
        title=words(rng, rng.randint(0, 80)),
        answer=words(rng, rng.randint(0, 3000)),
        items=[
            Item(
                label=words(rng, rng.randint(1, 60)),
                text=words(rng, rng.randint(0, 400)),
                url="https://e.org/x",
            )
            for _ in range(rng.randint(0, 80))
        ],
        suggestions=[Suggestion(f"i{n}", words(rng, 5)) for n in range(rng.randint(0, 3))],
    )
    messages = render.reply_messages(reply, footer=words(rng, rng.randint(0, 500)))
    assert_within_limits(messages)
    text = "".join(e.description or "" for embeds in messages for e in embeds)
    assert "@everyone" not in text


def test_long_answer_is_split_without_losing_text() -> None:
    answer = "\n\n".join(f"Part {n}. " + "lorem ipsum " * 300 for n in range(30))
    messages = render.reply_messages(
        Reply(question="q", lang="en", status="answer", title="T", answer=answer)
    )
    assert len(messages) > 1
    joined = " ".join(e.description or "" for m in messages for e in m)
    assert joined.split() == answer.split()
    assert messages[0][0].title == "T" and all(e.title is None for m in messages for e in m[1:])


def test_one_unbroken_word_longer_than_a_description_is_cut_hard() -> None:
    pieces = render.split_text("x" * 10_000, render.DESCRIPTION_MAX)
    assert [len(p) for p in pieces] == [4096, 4096, 1808]


def test_long_item_text_continues_in_further_fields() -> None:
    item = Item(label="Label", text="word " * 600)
    embeds = render.build_embeds("t", "", [item], continued="(continued)")
    names = [f.name for e in embeds for f in e.fields]
    assert names[0] == "Label" and all(n == "Label (continued)" for n in names[1:]) and len(names) == 3


def test_statuses_get_icons_and_urls_are_kept() -> None:
    items = [Item("A", "x", status="met"), Item("B", "y", status="not_met", url="https://e.org/b")]
    embed = render.build_embeds("t", "d", items)[0]
    assert [f.name for f in embed.fields] == ["✅ A", "❌ B"]
    assert embed.fields[1].value == "y\n<https://e.org/b>"


@pytest.mark.parametrize(
    "text", ["@everyone", "@here", "<@123456789>", "<@!123456789>", "<@&987654321>", "hi @everyone and <@&5>"]
)
def test_mentions_are_neutralised(text: str) -> None:
    out = render.neutralise(text)
    assert "@everyone" not in out and "@here" not in out
    assert "<@1" not in out and "<@!" not in out and "<@&" not in out
    assert out.replace(render.ZWSP, "") == text


def test_quoted_user_text_is_escaped_and_shortened() -> None:
    out = render.quote_user("**bold** @everyone " + "z" * 500, 100)
    assert out.startswith("\\*\\*bold\\*\\*") and "@everyone" not in out
    assert len(out) == 100 and out.endswith(render.ELLIPSIS)


def test_unsure_reply_lists_suggestions_and_quotes_the_question_as_title() -> None:
    reply = Reply(
        question="@here what about _this_?",
        lang="en",
        status="suggestions",
        answer="Did you mean:",
        suggestions=[Suggestion("a", "First"), Suggestion("b", "Second")],
    )
    embed = render.reply_messages(reply)[0][0]
    assert "• First" in embed.description and "• Second" in embed.description
    assert "@here" not in embed.title and "\\_this\\_" in embed.title


def test_links_text_dedupes_and_fits_a_message() -> None:
    from bot.engine.model import Link

    links = [Link(f"Page {n} " + "t" * 80, f"https://e.org/{n}") for n in range(100)] + [Link("Page 0", "x")]
    text = render.links_text(Reply(question="", lang="en", status="answer", links=links), "none")
    assert len(text) <= render.CONTENT_MAX and text.startswith("• [Page 0")
    assert render.links_text(Reply(question="", lang="en", status="answer"), "none") == "none"


def test_a_did_you_mean_lists_each_suggestion_once_and_the_heading_once() -> None:
    """The engine's "did you mean" already lists its suggestions under the heading that is also its
    title: the embed showed the heading twice and the list twice."""
    suggestions = [Suggestion("a", "First"), Suggestion("b", "Second")]
    reply = Reply(
        question="what about this?",
        lang="en",
        status="suggestions",
        title="Did you mean:",
        answer="Did you mean:\n- First\n- Second\n\nIf none fits, ask a moderator.",
        suggestions=suggestions,
    )
    embed = render.reply_messages(reply)[0][0]
    assert embed.title == "Did you mean:"
    assert embed.description.count("First") == 1 and "Did you mean" not in embed.description
    text = render.reply_text(reply)[0]
    assert text.count("First") == 1 and text.count("Did you mean:") == 1


def test_an_answer_shows_its_title_once() -> None:
    reply = Reply(
        question="q", lang="en", status="answer", title="Hours", answer="**Hours**\n\n100 to 150 hours."
    )
    embed = render.reply_messages(reply)[0][0]
    assert (embed.title, embed.description) == ("Hours", "100 to 150 hours.")
    assert render.reply_text(reply)[0].count("Hours") == 1


def test_a_replys_further_answers_come_in_the_order_they_are_shown() -> None:
    """`Reply.further()` walks the chain of `also` answers every renderer shows after the first."""
    second = Reply(question="q2", lang="en", status="answer", title="Second", answer="b")
    third = Reply(question="q3", lang="en", status="answer", title="Third", answer="c")
    second.also = third
    first = Reply(question="q", lang="en", status="answer", title="First", answer="a", also=second)
    assert first.further() == [second, third]
    assert third.further() == []
