"""The layout of a message asking for courses, and the word lists that tell its filler from its topic.

A long chatty message ("Buongiorno, sono HR manager in un'azienda di Milano. Vorremmo formare il
personale su project management con corsi che diano crediti.") is read for its topic, not its
filler. This module finds the filler, the course-query reader (`course_query.CourseQueryReader`)
reads the rest:

- the sentences ("." "!" "?" ";", "¿") and clauses (also "," ":") of the message (`lay_out`);
- the self-introductions: from a phrase such as "sono", "I'm", "ich bin" at the start of a clause
  (after greetings) up to the clause's end, a join word, a request word or a course word ("sono HR
  manager …", "I'm from Spain and I'd like …"; `self_introductions`); an institution named in one
  is who asks, not a filter;
- the words describing credit next to a credit word ("che diano crediti": `describes_credit`,
  `credit_description`) and the short follow-up sentences ("… Which platform?"), which do not make
  the message a question about microcredentials in general (`asks_in_general`);
- the words asking for a list of courses ("list", "gibt es": `has_request_cue`).

Every word list is language data: the `course_request` lists of `knowledge/languages.json` (all
languages together, as `normalize` leaves them: no accents, no apostrophes). Greetings, the people
to train, the words describing a course ("short", "european") and the other lists of `NEVER_TOPICS`
are never topics.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from bot.engine.languages import union
from bot.engine.normalize import normalize


def _words(name: str) -> frozenset[str]:
    """List `name` of the languages' `course_request` word lists, all languages together."""
    return frozenset(union("course_request", name))


STOPWORDS = _words("stopwords")
"""Function words of every language (articles, prepositions, pronouns)."""

QUESTION_WORDS = _words("question_words")
"""Question words: without an explicit course word, a question containing one is not a course request."""

GENERAL_WORDS = _words("general_words")
"""Words of questions about microcredentials in general ("hours", "ECTS"): never topics of a course search."""

GREETINGS = _words("greetings")
"""Greeting and sign-off words: never topics."""

AUDIENCE_WORDS = _words("audience_words")
"""Who is to be trained ("team", "dipendenti") and training them ("upskill"): never topics."""

COMPOUND_COURSE_ENDINGS = _words("compound_course_endings")
"""Endings of a compound whose head is a course word ("kurs" in "Programmierkurs")."""

DESCRIPTIVE_WORDS = _words("descriptive_words")
"""Words that describe any course ("short", "european", "thema"): never topics nor an institution name."""

CREDIT_WORDS = _words("credit_words")
"""Words for academic credit; the `CREDIT_CONTEXT` words near one describe the credit."""

CREDIT_CONTEXT = _words("credit_context")
"""Words describing credit ("gives", "bearing", "diano"): not topics within `_CREDIT_REACH` words of a
credit word."""

_CREDIT_REACH = 3

TOPIC_MARKERS = _words("topic_markers")
"""Words after which a message names its topic ("on", "sur", "sobre", "su", "uber")."""

CONNECTORS = _words("connectors")
"""Words between an institution word and its name, or inside a name ("Universidad de Málaga")."""

QUESTION_OPENERS = _words("question_openers")
"""The words and phrases that open a question ("which", "welche", "quels", "can i")."""

REQUEST_CUES = _words("request_cues")
"""Words that ask for a list of courses ("list", "gibt es"): never a topic."""

LANGUAGE_SUBJECT_MARKERS = _words("language_subject_markers")
"""Words before a language's name that make it the subject learnt ("corso di inglese", "improve my
English"), not the language of the course ("corso in inglese")."""
LANGUAGE_SUBJECT_FOLLOWERS = _words("language_subject_followers")
"""Words right after a language's name that make it the subject learnt ("wo man Italienisch lernt"):
German puts its verb last."""

LANGUAGE_SUBJECT_FILLERS = _words("language_subject_fillers")
"""Words that may stand between a marker and a language's name ("learn some Italian")."""

FIRST_PERSON_WORDS = _words("first_person_words")
"""Words of someone speaking for themselves ("I", "my", "je", "ich")."""

SPEAKER_WORDS = _words("speaker_words")
"""Words saying whose language a language is ("German speakers", "deutschsprachige"): beside them,
a language named right before a course word is the subject learnt ("Italian courses for German
speakers")."""

PLATFORM_WORDS = _words("platform_words")
"""Words for a platform or site: "which platform has courses in Portuguese?" asks about platforms."""

POSSESSIVES = _words("possessives")
"""Possessive words ("my", "mi", "unsere"): never a subject ("unseren Azubis"), and an institution
after one is the asker's own."""

WHICH_WORDS = _words("which_words")
"""Question words asking which ones ("which", "quali"), not how many: "quali corsi di …" asks for courses."""

POINTING_POSSESSIVES = _words("pointing_possessives")
"""Possessives of the third person ("his", "sus", "seine"): a subject right after one belongs to
something the message named before it ("me encanta garcia marquez, hay algun curso sobre sus libros?")."""

COURSE_DATA_WORDS = _words("course_data_words")
"""Words for data about courses ("data", "feed", "datos"): one beside a course word, only function words
between ("course data", "datos de los cursos"), asks for the catalogue's data, not courses on data."""

START_VERBS = _words("start_verbs")
"""Verbs of starting ("inizio", "empezar", "starting"): a subject right after one is the programme the
asker starts ("prima di iniziare ingegneria"), when the request names another."""

ROLE_MARKERS = frozenset(tuple(p.split()) for p in _words("role_markers"))
"""Phrases before the asker's role ("como", "as", "en tant qu"), as word tuples: an audience word after
one ("como empresa", "as a company") is the asker, never a subject."""

NEVER_TOPICS = (
    STOPWORDS,
    POSSESSIVES,
    QUESTION_WORDS,
    REQUEST_CUES,
    GENERAL_WORDS,
    CONNECTORS,
    GREETINGS,
    AUDIENCE_WORDS,
    DESCRIPTIVE_WORDS,
    CREDIT_WORDS,
)
"""The word lists whose words are never topics of a course search."""

_CLAUSE_JOINS = _words("clause_joins")
"""Words joining two clauses: a self-introduction ends at one."""

_REQUEST_VERBS = _words("request_verbs")
"""Verbs of wanting or looking for ("vorremmo", "would like"): a self-introduction ends at one (the
router may pass the message without its punctuation)."""

TOPIC_ALTERNATIVES = _words("topic_alternatives")
"""Words between two subjects that ask for either ("and", "or", "y", "oder")."""
OR_WORDS = _words("or_words")
"""The words for "or" ("ou", "o", "oder"): a question offering alternatives is no plain yes/no one."""
DIFFERENCE_WORDS = _words("difference_words")
"""Words asking how things differ ("difference", "Unterschied")."""
BACK_REFERENCES = _words("back_references")
"""Words pointing back to what the message said before ("das", "ça", "eso", "it"): a question with one
asks about its context."""

_SELF_INTRODUCTIONS = frozenset(tuple(p.split()) for p in _words("self_introductions"))
"""Phrases opening a self-introduction ("i m", "sono", "ich bin"), as word tuples."""

_LONGEST_INTRODUCTION = max((len(p) for p in _SELF_INTRODUCTIONS), default=0)

_BREAK = re.compile(r"([.!?;:,]+(?=\s|$)|[¡¿])")
"""Punctuation between clauses (followed by a space or the end: "node.js", "1,5" stay words)."""

_SENTENCE_END = re.compile(r"[.!?;¡¿]")

_FOLLOW_UP_WORDS = 3
"""A sentence this short after another ("Which platform?", "Cosa c'è?") follows the request up."""


@dataclass(frozen=True)
class Layout:
    """The sentence and the clause of each word of a message (numbers, in order)."""

    sentence_of: list[int]
    clause_of: list[int]
    asking: frozenset[int] = frozenset()
    """The sentences that ask something: they end with "?" or open with "¿"."""


def lay_out(text: str, words: list[str]) -> Layout:
    """The sentences ("." "!" "?" ";", "¿") and clauses (also "," ":") of `text`'s `words`
    (`normalize(text).split()`); one of each when the pieces do not normalise to the same words."""
    sentence_of: list[int] = []
    clause_of: list[int] = []
    seen: list[str] = []
    asking: set[int] = set()
    sentence = clause = 0
    for piece in _BREAK.split(text):
        if _BREAK.fullmatch(piece):
            if "?" in piece and sentence_of and sentence_of[-1] == sentence:
                asking.add(sentence)
            sentence += 1 if _SENTENCE_END.search(piece) else 0
            if "¿" in piece:
                asking.add(sentence)
            clause += 1
            continue
        for word in normalize(piece).split():
            seen.append(word)
            sentence_of.append(sentence)
            clause_of.append(clause)
    if seen != words:
        return Layout([0] * len(words), [0] * len(words))
    return Layout(sentence_of, clause_of, frozenset(asking))


def self_introductions(
    words: list[str], clause_of: list[int], asks_at: Callable[[int], bool]
) -> frozenset[int]:
    """The words of self-introductions: from a `self_introductions` phrase at the start of a
    clause (after greetings) up to the clause's end, a join word, a request word or a word where
    `asks_at` finds a phrase asking for courses (a course word, type, platform or request phrase:
    "Hey all, I'm from Spain and I'd like …"), except one in a job title after a connector ("soy
    responsable de formación en una consultora")."""
    intro: set[int] = set()
    for i in range(len(words)):
        length = _introduction_at(words, i)
        if not length or i in intro or not _opens_clause(words, clause_of, i):
            continue
        j = i + length
        while j < len(words) and clause_of[j] == clause_of[i]:
            # a job title goes on through a course word: "soy responsable de formación", "head of training"
            in_title = (
                j - 1 > i + length - 1 and words[j - 1] in CONNECTORS and words[j - 2] not in CONNECTORS
            )
            if _ends_introduction(words, j, asks_at) and not (in_title and asks_at(j)):
                break
            j += 1
        intro.update(range(i, j))
    return frozenset(intro)


def opens_with_introduction(words: list[str]) -> bool:
    """Whether the normalised `words` open with a `self_introductions` phrase ("trabajo en …")."""
    return _introduction_at(words, 0) > 0


def _introduction_at(words: list[str], i: int) -> int:
    """The length in words of the longest `self_introductions` phrase starting at `i`, or 0."""
    longest = range(_LONGEST_INTRODUCTION, 0, -1)
    return next((n for n in longest if tuple(words[i : i + n]) in _SELF_INTRODUCTIONS), 0)


def _opens_clause(words: list[str], clause_of: list[int], i: int) -> bool:
    """Whether the word at `i` starts its clause, after greetings or a join word ("ci sono corsi"
    does not: "sono" there is no self-introduction)."""
    k = i - 1
    while k >= 0 and clause_of[k] == clause_of[i] and words[k] in GREETINGS:
        k -= 1
    return not (k >= 0 and clause_of[k] == clause_of[i] and words[k] not in _CLAUSE_JOINS)


def _ends_introduction(words: list[str], j: int, asks_at: Callable[[int], bool]) -> bool:
    """Whether a self-introduction ends at the word at `j`: a join word, a request word or verb, or a
    phrase asking for courses."""
    word = words[j]
    return word in _CLAUSE_JOINS or word in REQUEST_CUES or word in _REQUEST_VERBS or asks_at(j)


def asks_in_general(words: list[str], marks: list[str], layout: Layout) -> bool:
    """Whether the message asks a question with a general word ("how many hours is a
    microcredential?"). A credit word describing the course wanted after it ("corsi che diano
    crediti", "formations qui donnent des crédits"; not "qui donne des ects pour un mooc ?") or a
    credit figure right before it ("5 ects courses") does not count, nor a general word in a short
    follow-up after another sentence ("… a course in Spanish on project management. Which
    platform?"; without punctuation, a message ending with a question word and a general word after
    a longer request). `marks` is each word's vocabulary phrase kind
    ("course", "types", …; "" outside the vocabulary). A general word naming where to search ("en las
    plataformas del cmf") asks nothing general."""
    follow_ups = _follow_ups(words, layout)
    courses = [k for k, mark in enumerate(marks) if mark in ("course", "types")]
    wanted = {k for k in range(len(words)) if courses and courses[0] < k and describes_credit(words, k)}
    # "where can i find 5 ects courses on …": the credit figure right before the course word
    wanted |= {
        k
        for k in range(1, len(words) - 1)
        if words[k] in CREDIT_WORDS and words[k - 1].isdigit() and k + 1 in courses
    }
    # "credit-bearing training in …": the credit word and its description right before a course word
    wanted |= {
        j
        for j, w in enumerate(words)
        if w in CREDIT_WORDS
        and any(m > j + 1 and all(x in CREDIT_CONTEXT for x in words[j + 1 : m]) for m in courses)
    }
    # a statement around a question asking for courses ("Ich habe etwa zwei Stunden pro Woche. Gibt es
    # einen Italienischkurs?") asks nothing general
    requests = request_sentences(words, marks, layout)
    told = {
        k for k, at in enumerate(layout.sentence_of) if requests & layout.asking and at not in layout.asking
    }
    scope = in_scope_phrases(words)
    return any(
        w in GENERAL_WORDS and k not in follow_ups and k not in wanted and k not in told and k not in scope
        for k, w in enumerate(words)
    )


REQUEST_KINDS = ("course", "cue", "types", "platforms")
"""Vocabulary phrase kinds that show a sentence asks for courses."""


def request_sentences(
    words: list[str], marks: list[str], layout: Layout, left_out: frozenset[int] = frozenset()
) -> frozenset[int]:
    """The sentences with a word asking for courses (a phrase of `REQUEST_KINDS`, or a request word
    outside the vocabulary), counting no word of `left_out` (a self-introduction)."""
    return frozenset(
        layout.sentence_of[k]
        for k, word in enumerate(words)
        if k not in left_out and (marks[k] in REQUEST_KINDS or (not marks[k] and word in REQUEST_CUES))
    )


def _follow_ups(words: list[str], layout: Layout) -> set[int]:
    """The words of the short sentences (at most `_FOLLOW_UP_WORDS`) of a message of several; a
    message of one sentence ending with a question word and a general word after a longer request
    ("… on project management that gives university credit which platform") is read as two."""
    sentences: dict[int, list[int]] = {}
    for k, sentence in enumerate(layout.sentence_of):
        sentences.setdefault(sentence, []).append(k)
    last = len(words) - 2
    if len(sentences) == 1 and last > _FOLLOW_UP_WORDS and words[last] in QUESTION_WORDS:
        sentences = {0: list(range(last)), 1: [last, last + 1]} if words[-1] in GENERAL_WORDS else sentences
    return {k for at in sentences.values() if len(sentences) > 1 and len(at) <= _FOLLOW_UP_WORDS for k in at}


def describes_credit(words: list[str], k: int) -> bool:
    """Whether the credit word at `k` has a word describing the credit near it ("che diano crediti")."""
    return words[k] in CREDIT_WORDS and any(w in CREDIT_CONTEXT for w in _near(words, k))


def credit_description(words: list[str], k: int) -> bool:
    """Whether the word at `k` describes credit ("diano") with a credit word near it ("crediti")."""
    return words[k] in CREDIT_CONTEXT and any(w in CREDIT_WORDS for w in _near(words, k))


def _near(words: list[str], k: int) -> list[str]:
    """The words within `_CREDIT_REACH` of the word at `k`, itself included."""
    return words[max(0, k - _CREDIT_REACH) : k + _CREDIT_REACH + 1]


_ONE_COURSE_DETERMINERS = _words("one_course_determiners")
_ONE_COURSE_NOUNS = _words("one_course_nouns")
_ONE_COURSE_WORDS = _ONE_COURSE_NOUNS | _words("one_course_pronouns")
"""The nouns and the pronouns ("the fintech one") that stand for one course after a determiner."""
_ONE_COURSE_REACH = 4
"""How many words before the course word the determiner may stand: "el curso", "the python course",
"that OU online teaching microcred"."""


def refers_to_one_course(words: list[str]) -> bool:
    """Whether `words` point at one course with a singular determiner a few words before a singular
    course word ("cuanto dura el curso de microeconomia de miriadax", "is the python course on
    futurelearn free", "quel corso di matematica"), not at courses in general ("un mooc", "courses")."""
    for k, word in enumerate(words):
        if word in _ONE_COURSE_WORDS and any(
            w in _ONE_COURSE_DETERMINERS for w in words[max(0, k - _ONE_COURSE_REACH) : k]
        ):
            return True
    return False


_FOLLOW_UP_OPENERS = tuple(opener.split() for opener in _words("follow_up_openers"))


def follows_up(words: list[str]) -> bool:
    """Whether `words` open like a reply to an earlier message ("y cuanto cuesta eso", "and for the
    italian ones?", "und was kostet das"): one of the `follow_up_openers` first."""
    return any(words[: len(opener)] == opener for opener in _FOLLOW_UP_OPENERS)


_OWN_COURSE_OPENERS = frozenset(tuple(p.split()) for p in _words("own_course_openers"))
"""Phrases presenting the asker's own course before a course noun ("abbiamo un", "we have a")."""
_LONGEST_OPENER = max((len(p) for p in _OWN_COURSE_OPENERS), default=0)


def speaks_of_own_course(words: list[str]) -> bool:
    """Whether `words` speak of the asker's own course: a possessive right before a singular course
    noun ("mi curso", "mein kurs", "my course"; not "my one question"), or a phrase presenting one
    ("abbiamo un mooc su eduopen …", "we have a module of …")."""
    if any(word in POSSESSIVES and after in _ONE_COURSE_NOUNS for word, after in pairwise(words)):
        return True
    return any(
        tuple(words[k - size : k]) in _OWN_COURSE_OPENERS
        for k, word in enumerate(words)
        if word in _ONE_COURSE_NOUNS
        for size in range(2, min(k, _LONGEST_OPENER) + 1)
    )


_REQUEST_CUE_PHRASES = tuple(f" {cue} " for cue in REQUEST_CUES if " " in cue)
"""Cues of several words ("il y a"): French "y" alone is Spanish "and"."""


_CUE_IDIOMS = tuple(idiom.split() for idiom in _words("cue_idioms"))
"""Phrases in which a cue asks for nothing ("is the fintech one from dcu any good"), at the end of a
message or before a question word (`_idiom_ends`); "any good courses on python?" asks for courses."""


_CUE_EXCEPTIONS = tuple(phrase.split() for phrase in _words("cue_exceptions"))
"""Phrases in which a cue asks for nothing wherever they stand: "hay que" ("one must": "y que datos
hay que meter en la propuesta" asks what a proposal must contain, not for courses on data)."""


_IDIOM_STARTS = frozenset(phrase[0] for phrase in (*_CUE_IDIOMS, *_CUE_EXCEPTIONS) if phrase)
"""The first words of the `_CUE_IDIOMS` and `_CUE_EXCEPTIONS`: a message without any is read without
looking for them."""


def _idiom_ends(words: list[str]) -> set[int]:
    """The positions of the words of `words` that are one of the `_CUE_IDIOMS` (at the end or before
    a question word) or one of the `_CUE_EXCEPTIONS` (anywhere) (`has_request_cue`)."""
    idle: set[int] = set()
    for phrase in _CUE_EXCEPTIONS:
        size = len(phrase)
        idle.update(
            k
            for i in range(len(words) - size + 1)
            if words[i : i + size] == phrase
            for k in range(i, i + size)
        )
    for idiom in _CUE_IDIOMS:
        size = len(idiom)
        for i in range(len(words) - size + 1):
            after = words[i + size] if i + size < len(words) else None
            if words[i : i + size] == idiom and (after is None or after in QUESTION_WORDS):
                idle.update(range(i, i + size))
    return idle


_SCOPE_WORDS = frozenset(tuple(normalize(p).split()) for p in union("course_request", "scope_phrases"))
_SCOPE_STARTS = frozenset(phrase[0] for phrase in _SCOPE_WORDS if phrase)


def in_scope_phrases(words: list[str]) -> frozenset[int]:
    """The positions of `words` inside a phrase naming where to search ("en las plataformas del cmf":
    `scope_phrases`): their general words ask nothing about the CMF."""
    if _SCOPE_STARTS.isdisjoint(words):
        return frozenset()
    found: set[int] = set()
    for phrase in _SCOPE_WORDS:
        size = len(phrase)
        for i in range(len(words) - size + 1):
            if tuple(words[i : i + size]) == phrase:
                found.update(range(i, i + size))
    return frozenset(found)


def without_scope_phrases(text: str) -> str:
    """`text` normalised, without the phrases that name where to search ("on the cmf platforms",
    "plataformas del cmf": `scope_phrases`), which are not what a request asks about."""
    words = normalize(text).split()
    scope = in_scope_phrases(words)
    return " ".join(w for k, w in enumerate(words) if k not in scope)


def has_request_cue(words: list[str]) -> bool:
    """Plural "list me the microcredentials"-style requests carry no topic: a cue word is enough (not
    inside one of the `_CUE_IDIOMS` or `_CUE_EXCEPTIONS`)."""
    idle = _idiom_ends(words) if _IDIOM_STARTS.intersection(words) else set()
    kept = [w for i, w in enumerate(words) if i not in idle] if idle else words
    if any(w in REQUEST_CUES for w in kept):
        return True
    padded = f" {' '.join(kept)} "
    return any(cue in padded for cue in _REQUEST_CUE_PHRASES)
