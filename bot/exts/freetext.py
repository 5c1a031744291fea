"""Free-text questions: in help channels (and forum help channels), in direct messages, and when mentioned.

- It never answers bots (itself included) or webhooks.
- Confident answer → a reply under the question, with the answer buttons.
- Unsure, in a DM or when mentioned → the close intents in a select menu (the asker picks one);
  no match there → the fallback, which says how to reach a moderator.
- Unsure in a help channel → silence (answer mode `confident`, the default), or the menu (mode
  `suggest`); in mode `mentions` help channels get answers only when the bot is mentioned. When the
  silent reply has closest topics, the bot adds one ❔ under the question; if the asker (only them)
  adds ❔ too, the bot replies once with the topics as a pick menu, a hint to rephrase and the
  moderator route. Nobody else sees anything more than the one reaction.
- A reply to one of the bot's own answers ("thanks!") is not a question to the bot unless it
  mentions the bot in its text: Discord adds the bot to a reply's mentions by itself.
- Forum posts in a help forum: the post's title is the question (with the first message when the
  title alone is not enough), and the bot answers a post at most once (remembered in the database).
- Over-long messages in a help channel are ignored (in a DM or a mention they get a short
  explanation). Cooldown: when a user asks too fast, the bot reacts ⏳ instead of answering, and
  records nothing; at most twice the cooldown's rate of one user's free-text questions per window
  reach the question log (and so gaps and stats), answered or not.
- Follow-ups: a short question that nothing answers alone ("and in French?", "y cuánto cuesta
  eso?") is read with the asker's last question answered in the same channel within
  `FOLLOW_UP_TTL` (never someone else's; not in forum posts, each a question of its own).
- Permissions: see `bot.ui.reply_to_message` (plain text without Embed Links, nothing without Send
  Messages; each logged once per channel, never a traceback).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import OrderedDict

import discord
from discord.ext import commands

from bot.client import CMFBot, ServerConfig
from bot.engine.model import Reply
from bot.i18n import locale_lang
from bot.ui import NONE, reply_to_message

log = logging.getLogger(__name__)

COOLDOWN_REACTION = "⏳"
HELP_REACTION = "❔"
"""Put under a help-channel question the bot could not answer but has closest topics for; when the
asker adds it too, the bot replies once with those topics (a pick menu), a hint and the moderator route."""
OFFER_TTL = 24 * 3600.0
"""Seconds the asker's ❔ still brings the closest topics."""
OFFERS_MAX = 2000
"""Open offers kept at most (the oldest are forgotten first)."""


@dataclasses.dataclass
class HelpOffer:
    """The fallback kept for a help-channel question, until its asker asks for it with ❔."""

    message: discord.Message
    reply: Reply
    qid: int | None
    expires: float


class FreeText(commands.Cog):
    def __init__(self, bot: CMFBot) -> None:
        self.bot = bot
        self._offers: OrderedDict[int, HelpOffer] = OrderedDict()

    def _in_help_channel(self, channel: discord.abc.Messageable, help_ids: tuple[int, ...]) -> bool:
        return getattr(channel, "id", None) in help_ids or getattr(channel, "parent_id", None) in help_ids

    def _strip_mentions(self, content: str) -> str:
        me = self.bot.user
        if me is not None:
            content = re.sub(rf"<@!?{me.id}>", " ", content)
        return " ".join(content.split())

    def _names_the_bot(self, message: discord.Message) -> bool:
        """Whether the text itself mentions the bot (not only Discord's automatic reply mention)."""
        me = self.bot.user
        return me is not None and re.search(rf"<@!?{me.id}>", message.content or "") is not None

    def _replies_to_the_bot(self, message: discord.Message) -> bool:
        ref = message.reference
        resolved = ref.resolved if ref is not None else None
        me = self.bot.user
        return isinstance(resolved, discord.Message) and me is not None and resolved.author.id == me.id

    @staticmethod
    def _forum_post(channel: object) -> discord.Thread | None:
        if isinstance(channel, discord.Thread) and isinstance(channel.parent, discord.ForumChannel):
            return channel
        return None

    async def _answered(self, post: discord.Thread) -> bool:
        store = self.bot.settings_store
        return store is not None and await self.bot.run_settings(store.was_answered, post.id)

    async def _react(self, message: discord.Message, emoji: str = COOLDOWN_REACTION) -> bool:
        perms = self.bot.permissions_in(message.channel)
        if perms is not None and not (perms.add_reactions and perms.read_message_history):
            self.bot.warn_once(
                f"react:{message.channel.id}",
                "cannot react %s in %s (needs Add Reactions and Read Message History)",
                emoji,
                message.channel.id,
            )
            return False
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException:
            log.info("could not react %s to a message", emoji)
            return False
        return True

    async def _offer_help(self, message: discord.Message, reply: Reply, qid: int | None) -> None:
        """Silent in the channel: one ❔ under the question, and the closest topics kept for its asker."""
        if not await self._react(message, HELP_REACTION):
            return
        self._offers[message.id] = HelpOffer(message, reply, qid, self.bot.clock.now() + OFFER_TTL)
        while len(self._offers) > OFFERS_MAX:
            self._offers.popitem(last=False)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        """The asker (only them) added ❔ under their unanswered question: reply once with the offer."""
        if str(payload.emoji) != HELP_REACTION or self.bot.user is None:
            return
        offer = self._offers.get(payload.message_id)
        if offer is None or payload.user_id != offer.message.author.id:
            return  # not an offer, or someone else's reaction: ignored
        del self._offers[payload.message_id]
        if self.bot.clock.now() > offer.expires:
            return
        reply = offer.reply
        await reply_to_message(offer.message, self.bot, reply, reply.lang or locale_lang(None), qid=offer.qid)
        try:
            await offer.message.remove_reaction(HELP_REACTION, self.bot.user)
        except discord.HTTPException:
            log.info("could not remove the bot's %s after answering it", HELP_REACTION)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        bot = self.bot
        if message.author.bot or message.webhook_id is not None or bot.user is None:
            return
        if message.author.id == bot.user.id:
            return
        config = bot.server_config(message.guild.id if message.guild else None)
        addressed, in_help = self._how_addressed(message, config)
        if not (addressed or in_help):
            return
        if (await bot.get_context(message)).valid:
            return  # a prefix command (handled by discord.ext.commands), not a question
        post = self._forum_post(message.channel) if in_help else None
        if post is not None and not addressed and await self._answered(post):
            return  # one answer per post
        questions = self._questions(message, post)
        if not await self._fits(message, questions, addressed):
            return
        await self._answer(message, questions, config, addressed=addressed, post=post)

    def _how_addressed(self, message: discord.Message, config: ServerConfig) -> tuple[bool, bool]:
        """(addressed: a DM or a real mention of the bot, in_help: a help channel the bot answers in)."""
        bot_user = self.bot.user
        assert bot_user is not None
        direct = message.guild is None
        named = self._names_the_bot(message)
        mentioned = not direct and bot_user.mentioned_in(message) and not message.mention_everyone
        if mentioned and not named and self._replies_to_the_bot(message):
            mentioned = False  # "thanks!" under an answer: Discord mentioned the bot, the member did not
        in_help = self._in_help_channel(message.channel, config.help_channel_ids)
        if in_help and config.answer_mode == "mentions" and not mentioned:
            in_help = False
        return direct or mentioned, in_help

    def _questions(self, message: discord.Message, post: discord.Thread | None) -> list[str]:
        """The text to answer; a forum post's first message is asked by its title (then title + text)."""
        text = self._strip_mentions(message.content)
        questions = [text] if text else []
        if post is not None and message.id == post.id:
            title = " ".join(post.name.split())
            limit = self.bot.settings.max_question_chars
            questions = [title] + ([f"{title} {text}"[:limit]] if text else [])
        return questions

    async def _fits(self, message: discord.Message, questions: list[str], addressed: bool) -> bool:
        """False for no text or too long a question (said only to someone who addressed the bot)."""
        bot = self.bot
        if not questions:
            if addressed:
                await message.reply(
                    bot.text("ui.freetext.hello", "en"), allowed_mentions=NONE, mention_author=False
                )
            return False
        limit = bot.settings.max_question_chars
        if len(questions[0]) > limit:
            if addressed:
                lang = await bot.run_engine(bot.detect_lang, questions[0])
                await message.reply(
                    bot.text("ui.ask.too_long", lang, limit=limit, length=len(questions[0])),
                    allowed_mentions=NONE,
                    mention_author=False,
                )
            return False
        return True

    async def _answer(
        self,
        message: discord.Message,
        questions: list[str],
        config: ServerConfig,
        *,
        addressed: bool,
        post: discord.Thread | None,
    ) -> None:
        bot = self.bot
        uid, now = message.author.id, bot.clock.now()
        recent = bot.recent_questions
        previous = recent.previous(message.channel.id, uid, now) if post is None else None
        if bot.freetext_cooldown.waiting(uid, now) or bot.freetext_log_budget.hit(uid, now) is not None:
            # on cooldown, or over the log budget: answered (or not) as usual, but not recorded
            reply, qid = await bot.run_engine(bot.ask_unlogged, questions, None, previous), None
        elif len(questions) == 1:
            reply, qid = await bot.run_engine(bot.ask_logged, questions[0], None, uid, previous)
        else:
            reply, qid = await bot.run_engine(bot.ask_first_confident, questions, None, message.author.id)
        offer = addressed or config.answer_mode == "suggest"
        if reply.status != "answer" and not (offer and (addressed or reply.status == "suggestions")):
            log.debug("unsure in a help channel; staying silent (%s)", reply.reason or reply.status)
            if reply.suggestions and not bot.freetext_cooldown.waiting(uid, now):
                await self._offer_help(message, reply, qid)
            return
        if bot.freetext_cooldown.hit(uid, now) is not None:
            await self._react(message)
            return
        sent = await reply_to_message(message, bot, reply, reply.lang or locale_lang(None), qid=qid)
        if sent and reply.status == "answer" and post is None:
            # a follow-up keeps its subject: "and in French?" is remembered as what it was read as
            recent.remember(message.channel.id, uid, reply.read_as or questions[0], now)
        if sent and post is not None and bot.settings_store is not None and message.guild is not None:
            await bot.run_settings(bot.settings_store.mark_answered, post.id, message.guild.id)


async def setup(bot: CMFBot) -> None:
    await bot.add_cog(FreeText(bot))
