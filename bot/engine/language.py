"""Language detection over `LANGS`.

- `detect_language`: the hand-written stopword and letter profiles in knowledge/languages.json
  (`detection` of each language). Each word that is a common function word of a language votes for
  it (a word shared by several languages splits its vote); letters and word endings that only some
  languages use add smaller votes. Too little evidence, or a tie, gives back the caller's default.
  No model, no download, ~20 µs a call.
- `LanguageProfile`: for the texts the stopwords leave undecided ("peut-on payer en plusieurs
  fois ?" has no French function word), a character-trigram naive Bayes model of texts whose
  language is known: the intents' own phrasings (`Snapshot.language_profile`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from bot.engine.languages import languages
from bot.engine.model import LANGS
from bot.engine.normalize import tokens

__all__ = ["LANGS", "LanguageProfile", "detect_language", "language_scores", "leaning_language"]


def _shared(lists: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Item -> the languages listing it (an item listed by several languages splits its vote)."""
    owners: dict[str, tuple[str, ...]] = {}
    for lang, items in lists.items():
        for item in items:
            if lang not in owners.get(item, ()):
                owners[item] = (*owners.get(item, ()), lang)
    return owners


# Function words and very common words, written as `normalize` leaves them (no accents).
_WORD_LANGS = _shared({lang.code: lang.detection["stopwords"] for lang in languages()})
# Letters (before accent stripping) and their languages.
_LETTERS = _shared({lang.code: lang.detection["letters"] for lang in languages()})
# Word endings and inner letter groups (on normalised words) typical of a language.
_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(pattern), (lang.code,)) for lang in languages() for pattern in lang.detection["patterns"]
]

_WORD_WEIGHT = 1.0
_LETTER_WEIGHT = 0.75
_PATTERN_WEIGHT = 0.4
_MIN_SCORE = 0.9
"""Below this much evidence for the best language, the text is too short to tell."""
_MIN_MARGIN = 0.35
"""The best language must lead the second by at least this much, else it is ambiguous."""


def language_scores(text: str) -> dict[str, float]:
    """Evidence for each language in `text` (higher is stronger; not normalised)."""
    scores = dict.fromkeys(LANGS, 0.0)
    for word in tokens(text):
        langs = _WORD_LANGS.get(word)
        if langs:
            share = _WORD_WEIGHT / len(langs)
            for lang in langs:
                scores[lang] += share
        if len(word) >= 4:
            for pattern, plangs in _PATTERNS:
                if pattern.search(word):
                    for lang in plangs:
                        scores[lang] += _PATTERN_WEIGHT / len(plangs)
    for ch in text.casefold():
        langs = _LETTERS.get(ch)
        if langs:
            for lang in langs:
                scores[lang] += _LETTER_WEIGHT / len(langs)
    return scores


_QUOTED = re.compile(r'"[^"]{3,}"|“[^”]{3,}”|«[^»]{3,}»|„[^“”]{3,}[“”]')
"""A stretch in double quotes: a title or a term quoted from elsewhere, often in another language."""

_JOINER = r"(?:\s+(?:of|and|for|the))?\s+"
_TITLED = re.compile(rf"\b[A-Z][a-z]+(?:{_JOINER}[A-Z][a-z]+)+")
"""Several capitalised words in a row, perhaps joined by "of": a named term ("Recognition of Prior
Learning"), often English inside another language's sentence."""


def detect_language(text: str, default: str | None = None) -> str | None:
    """The language of `text` among `LANGS`, or `default` when the text is too short or ambiguous.
    Quoted stretches are left out when the rest tells the language: "chi ha scritto l'articolo "The
    Common Microcredentials Framework for MOOCs …"?" asks in Italian (trial 252); so are named terms
    in capitals ("Was bedeutet Recognition of Prior Learning beim CMF?" asks in German)."""
    unquoted = _QUOTED.sub(" ", text)
    untitled = _TITLED.sub(_named_term, unquoted)
    for rest in dict.fromkeys((untitled, unquoted)):
        if rest != text:
            told = _decided(language_scores(rest))
            if told is not None:
                return told
    return _decided(language_scores(text)) or default


def _named_term(found: re.Match[str]) -> str:
    """A run of capitalised words, left out as a named term unless one of its words is a function
    word of a language other than English: German capitalises its nouns, and "Werden
    Microcredentials an Hochschulen angerechnet?" opens with one of its verbs."""
    words = tokens(found.group(0))
    if any(lang != "en" for word in words for lang in _WORD_LANGS.get(word, ())):
        return found.group(0)
    return " "


def _decided(scores: dict[str, float]) -> str | None:
    """The best-scoring language, unless too little evidence or too close a second."""
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], LANGS.index(kv[0])))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < _MIN_SCORE or top - second < _MIN_MARGIN:
        return None
    return best


def leaning_language(text: str) -> str | None:
    """The language `text` leans to on too little evidence for `detect_language`: at least one letter
    only some languages use ("¿ects?", "löse 3x + 7"), ahead of every other language; else None."""
    ranked = sorted(language_scores(text).items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top >= _LETTER_WEIGHT and top > second else None


PROFILE_TEXTS = 4_000
"""At most this many texts of each language build a `LanguageProfile` (~50 ms for today's ~1,700
phrasings a language; bounded at 10× the knowledge base, where more text adds nothing)."""


def _trigrams(text: str) -> Iterable[str]:
    padded = f" {text.casefold()} "
    return map("".join, zip(padded, padded[1:], padded[2:], strict=False))


PROFILE_MARGIN = 4.0
"""How much likelier (natural log) than the default language the profile's best must be to be taken.
Measured on the development sets' 1,651 questions and 12 short ones ("ects?", "eqf?",
"microcredential?"): told right 1,644 with no margin, 1,652 at 3, 1,654 at 4 to 6 (with
`leaning_language` after it), 1,653 at 8."""


class LanguageProfile:
    """Character-trigram naive Bayes language model (add-one smoothing) over texts of known language.

    Measured on questions it was not built from (the intents' phrasings as its texts), as the fallback
    of `detect_language`: the development set's questions in their own language 404 of 444 by the
    stopwords alone → 436, dev set C 319 of 343 → 340 (the matcher's language votes it replaces: 411
    and 326; README "How a question is answered")."""

    def __init__(self, texts_by_lang: Mapping[str, Iterable[str]]) -> None:
        self._logp: dict[str, dict[str, float]] = {}
        self._unseen: dict[str, float] = {}
        counts: dict[str, Counter[str]] = {}
        for lang, texts in texts_by_lang.items():
            grams: Counter[str] = Counter()
            for n, text in enumerate(texts):
                if n >= PROFILE_TEXTS:
                    break
                grams.update(_trigrams(text))
            if grams:
                counts[lang] = grams
        vocabulary = len(set().union(*counts.values())) if counts else 0
        for lang, grams in counts.items():
            denominator = math.log(sum(grams.values()) + vocabulary)
            self._logp[lang] = {g: math.log(c + 1) - denominator for g, c in grams.items()}
            self._unseen[lang] = -denominator

    def best(self, text: str, *, over: str | None = None, margin: float = 0.0) -> str | None:
        """The most likely language of `text`; None without a letter trigram or a profile.

        With `over`, a language other than `over` must be `margin` likelier than it (natural log):
        a few letters ("ects?", "mooc?") say little, and are better read in the default language."""
        grams = [g for g in _trigrams(text) if any(ch.isalpha() for ch in g)]
        if not grams or not self._logp:
            return None
        scores = {
            lang: sum(logp.get(g, self._unseen[lang]) for g in grams) for lang, logp in self._logp.items()
        }
        order = {lang: n for n, lang in enumerate(LANGS)}
        best = max(scores, key=lambda lang: (scores[lang], -order.get(lang, len(order))))
        if over in scores and best != over and scores[best] - scores[over] < margin:
            return None
        return best
