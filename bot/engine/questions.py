"""The questions a message asks: its question sentences, and two questions joined in one sentence.

Pure functions of the text (no knowledge base): the router asks each part alone to find a second
question a message asks ("Quanti ECTS vale di solito e quanto tempo devo dedicarci?") and to rescue a
long message's question sentence.

- A **question sentence** ends with "?" (a Spanish one starts at its "¿"); a message without any
  "?" is read as asking its last sentence, and a last sentence that opens with a clause join after
  a question ("… ? et l'exam c surveillé comment") asks too. A last sentence without "?" that opens
  with a question word ("… ? che tipo di certificati rilasciano") is a question part too.
- Within a question sentence, one of a language's `clause_joins` followed by one of its
  `question_openers` (both lists of `course_request` in knowledge/languages.json, words as
  `normalize` leaves them) starts a second question: "… e quanto tempo …", "… and how do I …",
  "… et combien …", "… y cuántas …", "… und kann ich …", or an indirect one: "… et si …",
  "… und ob …". The join and the opener must be of the same language ("and was" is no German
  question).
- In a list of three questions or more, a comma also starts one when the words before it ask
  something (a question word or an opener) and those after it open with an opener of any language:
  "Do they give ECTS a Dutch uni would accept, how long do they take, and can we pay in
  instalments?" asks three things; "how does FutureLearn want it designed, how many short courses?"
  asks one.
- A part needs `MIN_WORDS` words; a shorter one stays with its neighbour.
"""

from __future__ import annotations

import re
from functools import cache

from bot.engine.languages import languages, union
from bot.engine.normalize import normalize
from bot.engine.request_layout import has_request_cue, opens_with_introduction

MIN_WORDS = 3
"""A question part has at least this many words (white-space separated, as written, with a letter or
a digit: the "?" of "c'est gratuit ?" is no word)."""

MIN_LIST_WORDS = 2
"""A question of a list of three or more, after a comma, has at least this many words ("quel niveau")."""

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_SPANISH_OPEN = "¿"


@cache
def _joins() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each clause join (normalised) → the question openers (as word tuples) of its languages, with
    those that open a question only after a join (`joined_openers`: "… and is ID verification one of
    them?")."""
    openers: dict[str, set[tuple[str, ...]]] = {}
    for lang in languages():
        phrases = [
            *(lang.course_request.get("question_openers") or ()),
            *(lang.course_request.get("joined_openers") or ()),
        ]
        words = [tuple(o.split()) for o in phrases]
        for join in lang.course_request.get("clause_joins") or ():
            openers.setdefault(join, set()).update(words)
    return {join: tuple(sorted(found, key=len, reverse=True)) for join, found in openers.items()}


def sentences(text: str) -> list[str]:
    """The sentences of `text` (white space collapsed): cut after ".", "!" or "?" followed by white
    space, and before a Spanish "¿" that follows other words."""
    text = " ".join(text.split())
    out: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text):
        while _SPANISH_OPEN in sentence[1:]:
            cut = sentence.index(_SPANISH_OPEN, 1)
            head, sentence = sentence[:cut].strip(), sentence[cut:]
            if head:
                out.append(head)
        if sentence:
            out.append(sentence)
    return out


def _asks(sentence: str) -> bool:
    return sentence.endswith("?") or sentence.startswith(_SPANISH_OPEN)


def question_sentences(text: str) -> list[str]:
    """The sentences of `text` that ask something (end with "?", or open with "¿"); a message
    without a "?" asks its last sentence."""
    found = sentences(text)
    if not found:
        return []
    if "?" not in text and _SPANISH_OPEN not in text:
        return found[-1:]
    asking = [s for s in found if _asks(s)]
    if len(found) > 1 and not _asks(found[-1]) and (_opens_with_join(found[-1]) or clarifies(found[-1])):
        # "… combien ? et l'exam c surveillé comment", "What are microcredentials? i mean the
        # microcredentials.at ones …, how many hours …": a question without "?"
        asking.append(found[-1])
    return asking


def _opens_with_question_word(sentence: str) -> bool:
    """Whether `sentence` has `MIN_WORDS` words and opens with a question word of any language or a
    question opener ("che tipo", "is there", "gibt es", "c est combien", "welche"; not "if" or "se"
    alone, `conditionals` in knowledge/languages.json, nor a question word further in: Spanish "es
    como un curso normal" is "like"), maybe after a condition ("falls nicht, was …")."""
    words = normalize(sentence).split()
    if len(words) < MIN_WORDS:
        return False
    words = _after_condition(words) or words  # "falls nicht, was waere … die alternative" (trial 187)
    return words[0] in _question_words() or any(
        (len(o) > 1 or o[0] not in _conditionals()) and tuple(words[: len(o)]) == o
        for o in _sentence_openers()
    )


@cache
def _clarifiers() -> tuple[tuple[str, ...], ...]:
    """Phrases opening a sentence that says what the question before meant ("i mean", "o sea",
    "cioè": `clarifiers` of every language)."""
    return tuple(tuple(normalize(p).split()) for p in union("course_request", "clarifiers"))


CLARIFIED_WORDS = 5
"""Words after a clarifier that restate a question without a question word ("o sea si hago un mooc
me lo convalidan en la uni automaticamente")."""


def clarifies(sentence: str) -> bool:
    """Whether `sentence` opens with a clarifier and asks again: a question word further in ("i mean
    the microcredentials.at ones in austria, how many hours …") or `CLARIFIED_WORDS` words at least
    ("o sea si hago un mooc me lo convalidan …"; not "i mean it, thanks")."""
    words = normalize(sentence).split()
    opener = next((c for c in _clarifiers() if tuple(words[: len(c)]) == c), None)
    if opener is None:
        return False
    rest = words[len(opener) :]
    return not _question_words().isdisjoint(rest) or len(rest) >= CLARIFIED_WORDS


@cache
def _conditionals() -> frozenset[str]:
    """One-word openers that, alone at the start of a sentence, open a condition ("se hai tempo …")
    as often as a question (`conditionals` of every language): no question part opens with one."""
    return frozenset(normalize(w) for w in union("course_request", "conditionals"))


def before_trailing_remark(text: str) -> str | None:
    """`text` up to its last question sentence when statements follow it ("hay cursos en
    portugues? mi novia es brasileña" → "hay cursos en portugues?"), else None."""
    found = sentences(text)
    asking = [i for i, s in enumerate(found) if _asks(s)]
    if not asking or asking[-1] == len(found) - 1:
        return None
    return " ".join(found[: asking[-1] + 1])


@cache
def _list_closers() -> tuple[tuple[str, ...], ...]:
    """Words closing a list of examples ("etc", "usw": `list_closers` of every language)."""
    return tuple(tuple(normalize(p).split()) for p in union("course_request", "list_closers"))


def without_examples(text: str) -> str | None:
    """`text` without its last sentence when that asks nothing and ends a list of examples of the
    question before it ("Quelles sont les exigences d'une microcertification CMF ? genre nombre
    d'heures etc" → the question alone: the examples narrowed it to the hours); else None."""
    found = sentences(text)
    if len(found) < 2 or _asks(found[-1]) or not _asks(found[-2]):
        return None
    words = normalize(found[-1]).split()
    if not any(len(words) > len(c) and tuple(words[-len(c) :]) == c for c in _list_closers()):
        return None
    return " ".join(found[:-1])


def _opens_with_join(sentence: str) -> bool:
    """Whether `sentence` opens with a clause join ("and", "et", "y", "e", "und"), has `MIN_WORDS`
    words after it and a question word among them, a question opener right after the join, or a
    one-word opener of the join's languages among them ("et l'exam c surveillé comment", "y se puede
    pagar a plazos", "et une licence c'est quel niveau"; not "and thanks a lot")."""
    words = sentence.split()
    first = normalize(words[0]).split() if words else []
    if len(first) != 1 or first[0] not in _joins() or _count(words[1:]) < MIN_WORDS:
        return False
    after = normalize(" ".join(words[1:])).split()
    return (
        not _question_words().isdisjoint(after)
        or _opens_question(first[0], after)
        or any(len(o) == 1 and o[0] in after and o[0] not in _conditionals() for o in _joins()[first[0]])
    )


@cache
def _question_words() -> frozenset[str]:
    """The question words of every language (`course_request.question_words`)."""
    return frozenset(w for lang in languages() for w in lang.course_request.get("question_words") or ())


def split_joined(sentence: str) -> list[str]:
    """A sentence cut before each clause join that opens another question ("… e quanto tempo …"),
    each part of at least `MIN_WORDS` words (else it stays with the part before)."""
    words = sentence.split()
    norms = [normalize(w).split() for w in words]
    cuts = [0]
    at_commas: list[int] = []
    for i in range(1, len(words) - 1):
        # a question between two commas of a list may be shorter ("combien d'heures, quel niveau, et …")
        least = MIN_LIST_WORDS if cuts[-1] in at_commas else MIN_WORDS
        if words[i - 1].endswith(",") and _after_a_comma(norms, cuts[-1], i):
            if _count(words[cuts[-1] : i]) >= least and _count(words[i:]) >= MIN_WORDS:
                cuts.append(i)
                at_commas.append(i)
            continue
        if len(norms[i]) != 1:
            continue
        if not _opens_question(norms[i][0], [w for n in norms[i + 1 : i + 6] for w in n]):
            continue
        # the question a join opens may be shorter ("… combien d'heures minimum et quel niveau ?"), so
        # may one before it that opens with its question word ("cuantas horas y que nivel …")
        head = norms[cuts[-1]][:1]
        head_least = MIN_LIST_WORDS if head and head[0] in _question_words() else least
        if (
            _head_count(words[cuts[-1] : i], norms[cuts[-1] : i]) >= head_least
            and _count(words[i + 1 :]) >= MIN_LIST_WORDS
        ):
            cuts.append(i)
    if len(cuts) < 3 and at_commas:
        # a comma cuts only a list of three questions or more ("A, B, and C?"): "how does FutureLearn
        # want a microcredential designed, how many short courses?" asks one thing twice
        cuts = [c for c in cuts if c not in at_commas]
    parts = [" ".join(words[a:b]) for a, b in zip(cuts, [*cuts[1:], len(words)], strict=True)]
    return [_without_leading_join(p) for p in parts]


def _after_a_comma(norms: list[list[str]], start: int, i: int) -> bool:
    """Whether a comma before word `i` may separate two questions: the words since `start` have a
    question word or open with an opener, and those from `i` open with an opener of any language
    ("Do they give ECTS a Dutch uni would accept, how long do they take, …")."""
    before = [w for n in norms[start:i] for w in n]
    after = [w for n in norms[i : i + 5] for w in n]
    asks = not _question_words().isdisjoint(before) or any(
        tuple(before[: len(o)]) == o for o in _all_openers()
    )
    return asks and any(tuple(after[: len(o)]) == o for o in _all_openers())


@cache
def _all_openers() -> tuple[tuple[str, ...], ...]:
    """The question openers of every language, with those that open one only after a join or a comma
    (`joined_openers`), as word tuples."""
    return tuple({o for found in _joins().values() for o in found})


@cache
def _sentence_openers() -> tuple[tuple[str, ...], ...]:
    """The openers that start a question sentence of their own: not those that open one only after a
    join (`joined_openers`: Spanish "es para mi trabajo" states, "… y es gratis?" asks)."""
    return tuple(
        {tuple(o.split()) for lang in languages() for o in lang.course_request.get("question_openers") or ()}
    )


def _head_count(words: list[str], norms: list[list[str]]) -> int:
    """The words of a question before a join: as `normalize` splits them when it has a question word
    ("cos'è openuped e come funziona …" asks "cos e openuped", three words; so does "iMooX cos'è?"),
    else as written."""
    flat = [w for n in norms for w in n]
    if not _question_words().isdisjoint(flat):  # "iMooX cos'è?" asks "imoox cos e" too
        return len(flat)
    return _count(words)


def _count(words: list[str]) -> int:
    """The words among `words` (tokens with a letter or a digit)."""
    return sum(1 for word in words if any(ch.isalnum() for ch in word))


def _opens_question(join: str, after: list[str]) -> bool:
    """Whether the normalised words `after` a clause join start one of its languages' openers, maybe
    after a condition or a filler ("und wenn ja wieviel ects", "and roughly how much": `_conditions`)."""
    after = _after_condition(after)
    return any(tuple(after[: len(o)]) == o for o in _joins().get(join, ()))


def _after_condition(words: list[str]) -> list[str]:
    """`words` without the condition or filler they open with (`_conditions`: "wenn ja", "falls
    nicht", "roughly"), if any."""
    if words and words[0] in _condition_starts():
        condition = next((c for c in _conditions() if tuple(words[: len(c)]) == c), ())
        return words[len(condition) :]
    return words


@cache
def _condition_starts() -> frozenset[str]:
    """The first words of the conditions (`_conditions`): most words after a join start none."""
    return frozenset(condition[0] for condition in _conditions())


@cache
def _conditions() -> tuple[tuple[str, ...], ...]:
    """What may stand between a clause join and its question in every language, as word tuples, the
    longest first: the conditions (`if_so`: "wenn ja") and fillers (`join_fillers`: "roughly")."""
    found = {
        tuple(c.split())
        for lang in languages()
        for key in ("if_so", "join_fillers")
        for c in lang.course_request.get(key) or ()
    }
    return tuple(sorted(found, key=len, reverse=True))


def _without_leading_join(part: str) -> str:
    """The part without a join that opens it before an opener ("and how do I check it?" → "how do
    I check it?") and without a comma that ends it."""
    words = part.rstrip(",;:").split()
    first = normalize(words[0]).split() if words else []
    if len(first) == 1 and _count(words[1:]) >= MIN_WORDS:
        after = [w for word in words[1:6] for w in normalize(word).split()]
        if _opens_question(first[0], after):
            words = words[1:]
    return " ".join(words)


def question_parts(text: str) -> list[str]:
    """The questions a message asks, in order: its question sentences, each cut where a clause join
    opens another question; parts of fewer than `MIN_WORDS` words are left out."""
    parts: list[str] = []
    asking = question_sentences(text)
    found = sentences(text)
    if asking and len(found) > 1 and found[-1] not in asking and _opens_with_question_word(found[-1]):
        # "… gratis? che tipo di certificati rilasciano": a last question typed without its "?" is a
        # part of its own (not the message's question sentence: "l'examen était surveillé ou pas ?
        # comment je le sais" asks the first, and the second asks how to tell)
        asking = [*asking, found[-1]]
    for sentence in asking:
        joined = split_joined(sentence)
        for n, part in enumerate(joined):
            if n == 0 and len(joined) > 1 and _introduces(part):
                continue  # "trabajo en una universidad y me piden …": who asks, not a question
            words = part.split()
            least = MIN_LIST_WORDS if len(joined) > 1 else MIN_WORDS  # "cuantas horas y que nivel …"
            if _head_count(words, [normalize(w).split() for w in words]) >= least:
                parts.append(part)
    return parts


def _introduces(part: str) -> bool:
    """Whether `part` opens with a self-introduction of any language ("trabajo en", "we are") and
    has no question word nor a request for courses ("I'm a secondary school teacher - is there a
    microcredential about teaching online to adults": a request after who asks)."""
    words = normalize(part).split()
    return (
        _question_words().isdisjoint(words) and not has_request_cue(words) and opens_with_introduction(words)
    )


def question_sentence(text: str) -> str | None:
    """The last sentence of a message of several that asks something (ends with "?"; from its "¿"
    when it has one), else its last sentence; None for a message of one short sentence."""
    found = sentences(text)
    if len(found) < 2:
        return None
    asking = [s for s in found if s.endswith("?")]
    sentence = (asking or found)[-1]
    if len(sentence.split()) < MIN_WORDS:
        return None
    return sentence


__all__ = [
    "MIN_WORDS",
    "before_trailing_remark",
    "question_parts",
    "question_sentence",
    "question_sentences",
    "sentences",
    "split_joined",
]
