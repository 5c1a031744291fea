"""Read a question that asks for courses, in any of the bot's languages, into search filters and topics.

"cursos de estadística", "Python in French", "is there a microcredential in cyber security?",
"des cours de data science en espagnol ?", "gibt es einen MOOC über Statistik auf iMooX".

The names of languages, platforms and course types, the words meaning "a course" and the topic
synonyms all come from the vocabulary (`knowledge/vocabulary.yaml`). The generic function words per
language (articles, prepositions, question words) and the words that show a question is about
microcredentials in general ("how many hours…") rather than a request for courses are each
language's `course_request` lists in `knowledge/languages.json`, loaded by `request_layout`.

`CourseQueryReader.read` works in three steps: it finds the vocabulary's phrases (filters, topics,
course words, an institution's name) in the question (`_scan`); it adds the other words that can be
topics (`_add_free_topics`); it decides whether the question asks for courses (`_asks_for_courses`).
A long chatty message is read for its topic, not its filler, through its layout
(`request_layout`: sentences, clauses, self-introductions): the sentences that ask for courses (a
course word, type, platform or request word) give the topics (the others only when those name none),
leaving out self-introductions; when the message names its topic after a topic marker ("corsi su X",
"a course on X", "Kurse über X"), the words after the markers are the search (those right after a
course word first).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from rapidfuzz import fuzz, process

from bot.engine.bounded import BoundedCache
from bot.engine.normalize import normalize
from bot.engine.request_layout import (
    AUDIENCE_WORDS,
    COMPOUND_COURSE_ENDINGS,
    CONNECTORS,
    COURSE_DATA_WORDS,
    CREDIT_CONTEXT,
    CREDIT_WORDS,
    DESCRIPTIVE_WORDS,
    GENERAL_WORDS,
    GREETINGS,
    LANGUAGE_SUBJECT_FILLERS,
    LANGUAGE_SUBJECT_FOLLOWERS,
    LANGUAGE_SUBJECT_MARKERS,
    NEVER_TOPICS,
    OR_WORDS,
    POSSESSIVES,
    QUESTION_OPENERS,
    QUESTION_WORDS,
    REQUEST_CUES,
    REQUEST_KINDS,
    ROLE_MARKERS,
    SPEAKER_WORDS,
    START_VERBS,
    STOPWORDS,
    TOPIC_ALTERNATIVES,
    TOPIC_MARKERS,
    WHICH_WORDS,
    Layout,
    asks_in_general,
    credit_description,
    has_request_cue,
    in_scope_phrases,
    lay_out,
    request_sentences,
    self_introductions,
)

_TOPIC_MIN_SIMILARITY = 85.0
"""A word not in the vocabulary is matched to a topic synonym this similar (rapidfuzz ratio)."""

_TOPIC_MIN_SIMILARITY_OTHER_INITIAL = 92.0
"""A synonym with another first letter must be more similar: a typo seldom changes the first letter,
and "tecnologia" is 89 % like "ecologia" (trial 196, as `search.TERM_MIN_SIMILARITY_OTHER_INITIAL`)."""

CLOSE_TOPICS_KEPT = 4096
"""Words matched to a close vocabulary topic (a fuzzy comparison with the forms of about their
length) kept by a reader (`bounded.BoundedCache`, sized when the reader is made); 0 keeps none
(`bench.tail --kept-off`)."""


_COMPOUND_SUBJECT_MIN = 5
"""The fewest letters of a compound's subject before its course word ("Programmier|kurs"; not
"Grund|kurs")."""

_WORD_TYPED = re.compile(r"[^\W_]+")
_LANGUAGE_ADJECTIVE = re.compile(r"\b([^\W\d_]+)-(?:language|speaking|taught)\b", re.IGNORECASE)
"""A language's name joined by a hyphen into an adjective ("english-language", "French-speaking")."""

_MAX_FREE_TOPIC_WORDS = 4
"""Without a course word, a request is short: "Python in French"."""


@dataclass(frozen=True)
class Institution:
    """An institution named in a question: `words`, the distinctive words the search matches
    (``"glasgow"``, normalised), and `shown`, the name as the user typed it (``"University of
    Glasgow"``), which a reply listing the filters shows."""

    words: str
    shown: str


def _as_typed(text: str, words: list[str], start: int, end: int) -> str:
    """The words `start:end` of `normalize(text).split()` as `text` writes them (case, accents), when
    each word of `text` normalises to one word; else the normalised words."""
    typed = re.findall(r"[^\W_]+", text)
    if len(typed) == len(words) and all(normalize(t) == w for t, w in zip(typed, words, strict=True)):
        return " ".join(typed[start:end])
    return " ".join(words[start:end])


@dataclass
class CourseQuery:
    """What a course request asks for."""

    topics: list[str] = field(default_factory=list)
    """Topic words or phrases as written (normalised), e.g. ``["estadistica"]``."""
    groups: list[list[str]] = field(default_factory=list)
    """For each topic, its alternatives across languages (vocabulary synonyms), for `any_of`."""
    language: str | None = None
    other_languages: list[str] = field(default_factory=list)
    """Languages named as alternatives to `language` ("in italiano o inglese", "deutsch oder
    englisch"): a course in any of them will do."""
    platform: str | None = None
    type: str | None = None
    institution: Institution | None = None
    """An institution named in the question: the search keeps the courses whose institution has all
    of its `words` ("university of glasgow" -> ``"glasgow"``); replies show it as typed."""
    written: dict[str, str] = field(default_factory=dict)
    """A topic read through its vocabulary key -> the words the message wrote for it ("italian
    language" -> "italien" in "cours d'italien"), for the reply's heading."""
    cued: bool = False
    """Asked only by a chat phrase ("anything about …", "hay algo de …", "c'è qualcosa su …",
    `request_phrases`): a request only for a subject the catalogue has (the router checks)."""
    leading: bool = False
    """The message opens with a course word and a vocabulary topic, in either order ("corso
    statistica", "mooc épidémiologie qui donne des ects ?", "statistik kurs mit ects?")."""
    bare: bool = False
    """The message is a course request and nothing else: it opens with a course word (after request
    words, "hay cursos de …"), then names its subject and filters, with function and request words
    between them ("cursos de contabilidad en miriadax?", "Kurse zu Lohnbuchhaltung"), no question
    word nor any other word (`_only_a_request`)."""

    @property
    def other_words(self) -> int:
        """How many topic words are outside the vocabulary ("editing" in "anything about editing
        wikipedia??", "covid deaths" in "do you have any statistics on covid deaths?")."""
        return sum(1 for group in self.groups if len(group) == 1)

    @property
    def text(self) -> str:
        return " ".join(self.topics)

    @property
    def shown(self) -> str:
        """The topics as the message wrote them (`written`), for a heading."""
        return " ".join(self.written.get(topic, topic) for topic in self.topics)

    def search_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `CourseSearch.search`."""
        return {
            "text": self.text,
            "any_of": self.groups,
            "language": (self.language, *self.other_languages) if self.other_languages else self.language,
            "platform": self.platform,
            "type": self.type,
            "institution": self.institution,
        }


class CourseQueryReader:
    """A vocabulary compiled once; `read(text)` is `parse_course_query(text, vocabulary)`."""

    def __init__(self, vocabulary: Mapping[str, Any]) -> None:
        vocab = vocabulary.get("vocabulary", vocabulary) if isinstance(vocabulary, Mapping) else {}
        self.phrases: dict[tuple[str, ...], tuple[str, str]] = {}
        """Normalised phrase (as a word tuple) -> (kind, value). First kind listed wins a clash."""
        self.synonyms: dict[str, list[str]] = {}
        """Topic key -> its normalised synonyms (the key first)."""
        for kind in ("types", "platforms", "languages", "topics"):
            self._add_named(vocab, kind)
        self.platform_names = frozenset(str(key) for key in (vocab.get("platforms") or {}))
        """The partner platforms' names as the catalogue writes them ("iMooX", "MiríadaX")."""
        for phrase in _phrases(vocab, "institution_words"):
            self.phrases.setdefault(phrase, ("institution", ""))
        self.course_forms: set[tuple[str, ...]] = set()
        """Words for "a course"; one that also names a type ("MOOC") sets the type and asks for courses."""
        for phrase in _phrases(vocab, "course_words"):
            self.course_forms.add(phrase)
            self.phrases.setdefault(phrase, ("course", ""))
        for phrase in _phrases(vocab, "request_phrases"):
            self.phrases.setdefault(phrase, ("cue", ""))
        self.longest = max((len(p) for p in self.phrases), default=1)
        self.longest_from = _longest_from(self.phrases)
        """First word of a phrase -> the most words of a phrase starting with it (`_phrase_at`)."""
        self.language_topic: dict[str, str] = {}
        """Language code -> the vocabulary topic of learning it: "<its English name> language"
        ("english language"), when the vocabulary has one."""
        for code, names in (vocab.get("languages") or {}).items():
            key = f"{normalize(str(names[0]))} language" if names else ""
            if key in self.synonyms:
                self.language_topic[str(code)] = key
        self.languages_learnt = frozenset(key for key in self.synonyms if key.endswith(" language"))
        """The vocabulary topics of learning a language, named "<its English name> language" ("dutch
        language"), whether or not that language is one courses are taught in."""
        self.topic_forms = sorted({form for forms in self.synonyms.values() for form in forms})
        self.topic_of = {form: key for key, forms in self.synonyms.items() for form in forms}
        self._forms_near: dict[int, list[str]] = {}
        """Word length -> the topic forms that can be `_TOPIC_MIN_SIMILARITY` similar to a word of
        that length, in `topic_forms` order (`_near`)."""
        self._close: BoundedCache[str, str | None] = BoundedCache(CLOSE_TOPICS_KEPT)
        """Word -> the topic `_close_topic` found for it (at most `CLOSE_TOPICS_KEPT`, oldest dropped
        first): the vocabulary is fixed for a reader, and the same words come back in many questions."""

    def _add_named(self, vocab: Mapping[str, Any], kind: str) -> None:
        """The phrases of a vocabulary section naming things ("types", "platforms", "languages",
        "topics"): each key with its synonyms; a topic's forms become its `synonyms` too."""
        for key, words in (vocab.get(kind) or {}).items():
            forms = [normalize(str(key))] + [normalize(str(w)) for w in words or []]
            forms = list(dict.fromkeys(f for f in forms if f))
            if kind == "topics":
                self.synonyms[str(key)] = forms
            elif kind == "languages":
                forms = forms[1:]  # "es" is a word of its own (Spanish, French); names only
            for form in forms:
                self.phrases.setdefault(tuple(form.split()), (kind, str(key)))

    def read(self, text: str, *, require_request: bool = True) -> CourseQuery | None:
        """The course request in `text`, or None when it does not ask for courses.

        `require_request=False` returns what a text names (topics, filters) even without evidence of a
        request, for a text already known to be a course search (the intent matcher said so). A text
        whose only evidence is a chat phrase (`request_phrases`) comes back marked `cued`: the caller
        decides (a subject the catalogue has); one opening with a course word and a topic, `leading`.
        """
        named, requested = self.read_both(text)
        return requested if require_request else named

    def read_both(self, text: str) -> tuple[CourseQuery, CourseQuery | None]:
        """`read(text, require_request=False)` and `read(text)` from one reading of the text (two
        objects: only the request may be marked `cued`)."""
        text = self._language_adjectives_shortened(self._compounds_split(text or ""))
        words = normalize(text).split()
        layout = lay_out(text or "", words)
        intro = self_introductions(words, layout.clause_of, lambda j: self._asks_at(words, j))
        reading = self._scan(text, words, intro)
        free = self._add_free_topics(reading, words, layout, intro)
        query = reading.query
        self._drop_owned_topics(query, words)
        _drop_role_topics(query, words)
        _drop_started_topics(query, words)
        _drop_course_data_topics(query, words, reading.marks)
        query.leading = reading.opening in (("course", "topic"), ("topic", "course"))
        query.bare = (
            reading.opening[:1] == ("course",)
            and bool(query.topics)
            and _opens_with_the_request(words, reading.marks)
            and _only_a_request(words, reading.marks, free)
        )
        _join_alternatives(query, words)
        named = dataclasses.replace(query)
        if query.leading or _asks_for_courses(reading, words, free, layout):
            return named, query
        if reading.cued and query.topics:  # "anything about poetry??": only for a subject we have
            query.cued = True
            return named, query
        return named, None

    def _compounds_split(self, text: str) -> str:
        """`text` with each compound ending in a course word (`compound_course_endings`) written as its
        subject and that word: "gibt es einen Programmierkurs?" asks for courses on "Programmier"
        (close to "programmieren"), "… auf das Informatikstudium vorbereitet" on "Informatik". A
        compound the vocabulary knows ("Italienischkurs", "Crashkurs") and one whose first part is
        short ("Grundkurs") stay whole."""

        def split(match: re.Match[str]) -> str:
            word = match.group(0)
            norm = normalize(word)
            if (norm,) in self.phrases:
                return word
            for ending in COMPOUND_COURSE_ENDINGS:
                if norm.endswith(ending) and len(norm) - len(ending) >= _COMPOUND_SUBJECT_MIN:
                    return f"{word[: -len(ending)]} {word[-len(ending) :]}"
            return word

        low = text.casefold()
        if not any(ending in low for ending in COMPOUND_COURSE_ENDINGS):
            return text  # (most messages)
        return _WORD_TYPED.sub(split, text)

    def _language_adjectives_shortened(self, text: str) -> str:
        """`text` with each hyphenated adjective of a language ("english-language", "French-speaking",
        "german-taught") written as the language's name alone: "any english-language courses on
        project management?" asks for courses in English, where "english language" is the subject
        of learning it."""

        def shorten(match: re.Match[str]) -> str:
            name = match.group(1)
            if self.phrases.get((normalize(name),), ("", ""))[0] == "languages":
                return name
            return match.group(0)

        if "-" not in text:
            return text  # (most messages)
        return _LANGUAGE_ADJECTIVE.sub(shorten, text)

    def _drop_owned_topics(self, query: CourseQuery, words: list[str]) -> None:
        """Drops from `query` a topic written right after a possessive and not before a course word,
        when it has another topic: "notre entreprise souhaite former des salariés en gestion de
        crise" asks about crisis management; the company is the asker's ("my python course" keeps
        its subject)."""
        if len(query.topics) < 2:
            return
        for k, topic in reversed(list(enumerate(query.topics))):
            at, size = topic_at(words, topic), len(topic.split())
            if at is None or at == 0 or words[at - 1] not in POSSESSIVES:
                continue
            if any(tuple(words[at + size : at + size + n]) in self.course_forms for n in (1, 2, 3)):
                continue
            if len(query.topics) > 1:
                _drop_topic(query, k)

    def _asks_at(self, words: list[str], j: int) -> bool:
        """Whether a phrase asking for courses (a course word, type, platform or request phrase)
        starts at word `j`."""
        hit = self._phrase_at(words, j)
        return hit is not None and hit[1][0] in REQUEST_KINDS

    def _scan(self, text: str, words: list[str], intro: frozenset[int] = frozenset()) -> _Reading:
        """Step 1: the vocabulary's phrases in `words` (longest first), read into the query and the
        evidence of a request; the runs of other words are kept in `leftover`, each word's phrase
        kind in `marks`. An institution named inside a self-introduction (`intro`) is no filter."""
        reading = _Reading(marks=[""] * len(words))
        i = 0
        while i < len(words):
            match = self._phrase_at(words, i)
            if match is None:
                _pass_word(reading, words, i)
                i += 1
                continue
            length, (kind, value) = match
            self._mark_phrase(reading, words, i, length, kind)
            i += length
            reading.leftover.append([])
            if kind == "institution":
                i = self._read_institution(text, words, i, length, reading, intro)
            else:
                self._take_phrase(reading, words, i - length, i, kind, value, intro)
        reading.asks_course = reading.asks_course or (reading.course_by_type and reading.types_named == 1)
        if reading.types_named == 1 and _type_or_course(reading.marks, words):
            reading.query.type = None  # "any courses or microcredentials on …": either kind
        spans = reading.platform_spans
        if any(a[2] != b[2] and _joined_as_alternative(words[a[1] : b[0]]) for a, b in pairwise(spans)):
            reading.query.platform = None  # "en futurelearn o miriadax": either platform, so any
        return reading

    def _mark_phrase(self, reading: _Reading, words: list[str], i: int, length: int, kind: str) -> None:
        """Marks the phrase of `kind` at `i:i + length`; a phrase the message opens with, or one
        right after that, joins `reading.opening`."""
        reading.marks[i : i + length] = [kind] * length
        reading.ends.add(i + length - 1)
        is_course = kind == "course" or tuple(words[i : i + length]) in self.course_forms
        if is_course and not reading.opening and i == reading.opening_end + 1 and _asks_which(words, i):
            reading.opening_end = i  # "quali corsi di …": the question word asks for the courses
        if i == reading.opening_end and len(reading.opening) < 2:
            reading.opening += ("course" if is_course else "topic" if kind == "topics" else kind,)
            reading.opening_end = i + length

    def _take_phrase(
        self,
        reading: _Reading,
        words: list[str],
        start: int,
        end: int,
        kind: str,
        value: str,
        intro: frozenset[int] = frozenset(),
    ) -> None:
        """Reads the phrase `start:end` of `kind` (not an institution) into the query (the first type,
        platform and language named are the filters; each topic once, where it is named outside a
        self-introduction if it is: `intro`) and the evidence of a request."""
        query = reading.query
        if kind == "course":
            reading.asks_course = True
        elif kind == "cue":
            reading.cued = True
        elif kind == "types":
            reading.names_type = True
            query.type = query.type or value
            reading.types_named += 1
            reading.course_by_type = reading.course_by_type or tuple(words[start:end]) in self.course_forms
        elif kind == "platforms":
            reading.names_platform = True
            query.platform = query.platform or value
            reading.platform_spans.append((start, end, str(value)))
        elif kind == "languages" and not (
            _language_learnt(words, start, end, reading.marks)
            or self._learnt_like_the_one_before(reading, words, start)
            or self._learnt_by_speakers(words, start, end)
        ):
            if query.language is None:
                query.language = value
            elif (
                value != query.language
                and value not in query.other_languages
                and _joined_as_alternative(words[reading.language_end : start])
            ):
                query.other_languages.append(value)  # "in italiano o in inglese"
            reading.language_end = end
        elif kind == "languages":  # "corso di inglese", "improve my English": the language is the subject
            topic = self.language_topic.get(value)
            if topic is not None and topic not in query.topics:
                reading.known_topic = True
                query.topics.append(topic)
                query.written[topic] = " ".join(words[start:end])
                query.groups.append(self.synonyms[topic])
                reading.topic_at.append(start)
        elif self.synonyms[value] not in query.groups:  # "réseaux … réseaux de données": one topic
            reading.known_topic = True
            query.topics.append(" ".join(words[start:end]))
            query.groups.append(self.synonyms[value])
            reading.topic_at.append(start)
        else:
            # "je suis dirigeant d'une pme dans le tourisme …, je cherche une formation … sur le
            # tourisme durable": the topic asked for, not the one of the self-introduction
            n = query.groups.index(self.synonyms[value])
            if reading.topic_at[n] in intro and start not in intro:
                query.topics[n] = " ".join(words[start:end])
                reading.topic_at[n] = start

    def _learnt_like_the_one_before(self, reading: _Reading, words: list[str], start: int) -> bool:
        """Whether the language at `start` is an alternative to a language learnt right before it:
        "courses for learning dutch or irish" asks to learn either, not Dutch courses taught in Irish."""
        query = reading.query
        if not query.topics or not reading.topic_at or query.groups[-1][0] not in self.languages_learnt:
            return False
        last = query.topics[-1]
        end = reading.topic_at[-1] + len(query.written.get(last, last).split())
        return _joined_as_alternative(words[end:start])

    def _learnt_by_speakers(self, words: list[str], start: int, end: int) -> bool:
        """Whether the language at `start:end`, right before a course word, is learnt by the speakers
        of another language the message names ("Italian courses for German speakers", "gibts
        italienisch kurse für deutschsprachige?", `SPEAKER_WORDS`): not Italian-taught courses."""
        if end >= len(words) or self.phrases.get((words[end],), ("", ""))[0] != "course":
            return False
        if words[end - 1] in SPEAKER_WORDS:
            return False  # "deutschsprachige kurse": courses in German
        return any(word in SPEAKER_WORDS and not start <= k < end for k, word in enumerate(words))

    def _read_institution(
        self, text: str, words: list[str], i: int, length: int, reading: _Reading, intro: frozenset[int]
    ) -> int:
        """An institution word of `length` words ends at `i`: its name (after it, or the word before)
        becomes the query's institution (the first one named, not in a self-introduction: "I am a
        student at the University of Vienna" says who asks, nor after a possessive: "mi universidad
        de Madrid" is the asker's own); without a name it is an ordinary word. Returns where reading
        goes on."""
        start = i - length
        name, after = self._institution_name(words, i, reading.leftover[-2])
        if name:
            start = start - 1 if after == i else start  # "open university": the word before
            reading.marks[start:after] = ["institution"] * (after - start)
            owned = start > 0 and words[start - 1] in POSSESSIVES
            if reading.query.institution is None and start not in intro and not owned:
                reading.query.institution = Institution(name, _as_typed(text, words, start, after))
        else:
            reading.leftover[-1].append(words[i - 1])  # "a university": no name, an ordinary word
            reading.marks[i - 1] = ""
        return after

    def _add_free_topics(
        self, reading: _Reading, words: list[str], layout: Layout, intro: frozenset[int]
    ) -> list[str]:
        """Step 2: the words outside the vocabulary that can be topics (not function, question,
        request, general, greeting, audience or descriptive words, connectors, numbers, nor words
        describing credit) become topics, through a close vocabulary topic when there is one (a
        typo); of a long message, only those of the sentences asking for courses, outside a
        self-introduction, and after a topic marker when the message has one (`_topic_words`).
        The vocabulary topics outside those places are dropped. Returns the words added."""
        candidate = [self._may_be_topic(words, k, reading.marks) for k in range(len(words))]
        every = frozenset(layout.sentence_of)
        asking = request_sentences(words, reading.marks, layout, intro)
        # the sentences asking for courses, else all; a self-introduction only when nothing else has a topic
        attempts = ([(asking, intro)] if asking else []) + [(every, intro), (every, frozenset())]
        kept: tuple[list[int], list[int]] = ([], [])
        query = reading.query
        for sentences, left_out in attempts:
            kept = self._topic_words(words, reading, layout, sentences, left_out, candidate)
            if intro and not left_out and not kept[0] and (query.language or query.platform or query.type):
                # "ich bin krankenpfleger und suche kostenlose onlinekurse auf deutsch": a request
                # naming what its courses should be, whose only other words say who asks (no subject
                # of the vocabulary), asks for those courses, not for "krankenpfleger"
                kept = ([], [])
            if kept[0] or kept[1]:
                break
        at_vocab, at_free = kept
        if at_vocab and len(at_free) > _MAX_FREE_TOPIC_WORDS:
            # "devo iscrivermi all'universita … la matematica del liceo me la sono dimenticata quasi
            # tutta, avete qualche corso …": the vocabulary's topic is the subject, the rest its story
            at_free = []
        _keep_vocabulary_topics(reading, at_vocab)
        free = [words[k] for k in at_free]
        for word in free:
            key = self._close_topic(word)
            if key is not None and self.synonyms[key] in reading.query.groups:
                continue  # the vocabulary topic is already read
            reading.known_topic = reading.known_topic or key is not None
            reading.query.topics.append(word)
            reading.query.groups.append(self.synonyms[key] if key else [word])
        return free

    def _may_be_topic(self, words: list[str], k: int, marks: list[str]) -> bool:
        """Whether the word at `k`, outside the vocabulary, can be a topic word."""
        word = words[k]
        if len(word) < 2:  # "data mining w weka": a single letter is shorthand, not a subject
            return False
        if marks[k] or word.isdigit() or any(word in s for s in NEVER_TOPICS):
            return False
        return not credit_description(words, k)

    def _topic_words(
        self,
        words: list[str],
        reading: _Reading,
        layout: Layout,
        sentences: frozenset[int],
        left_out: frozenset[int],
        candidate: list[bool],
    ) -> tuple[list[int], list[int]]:
        """Where the topics of `sentences` are, outside `left_out`: the vocabulary topics' and the
        other topic words'; the latter only after topic markers when some have one (only after
        those that follow a course word when some do: "un MOOC de estadística para mi equipo de
        investigación")."""
        vocab = [at for at in reading.topic_at if layout.sentence_of[at] in sentences and at not in left_out]
        kept_apart = [ok and k not in left_out for k, ok in enumerate(candidate)]
        spans = [
            (attached, content)
            for attached, content in self._topic_spans(words, reading, layout, sentences, kept_apart)
            if content
        ]
        pool: set[int] | None = None
        if spans:
            firsts = [content for attached, content in spans if attached]
            pool = {k for content in (firsts or [content for _, content in spans]) for k in content}
        free = [
            k
            for k in range(len(words))
            if candidate[k]
            and layout.sentence_of[k] in sentences
            and k not in left_out
            and (pool is None or k in pool)
        ]
        if pool is not None and (free or any(at in pool for at in vocab)):
            # "me encanta la literatura latinoamericana, existe algun mooc sobre garcia marquez": the
            # topic after the marker is the subject, not the one of a clause before it without one
            asked = {layout.clause_of[k] for k in pool}
            vocab = [at for at in vocab if at in pool or layout.clause_of[at] in asked]
        return vocab, free

    def _topic_spans(
        self,
        words: list[str],
        reading: _Reading,
        layout: Layout,
        sentences: frozenset[int],
        candidate: list[bool],
    ) -> list[tuple[bool, list[int]]]:
        """The topic words after each topic marker of `sentences` (`_words_after_marker`): (the marker
        follows a course word, the topic words' indices). A course word or request phrase ending with
        a marker ("any courses on", "anything about") is one. A word after a possessive is the asker's
        own, no topic: "financer une microcertification à un de mes techniciens, il existe une offre
        en sécurité informatique ?" (trial 187) asks for the subject of the next clause."""
        marks = reading.marks
        spans = []
        for i, word in enumerate(words):
            if layout.sentence_of[i] not in sentences:
                continue
            if marks[i] in ("course", "cue") and i in reading.ends and word in TOPIC_MARKERS:
                attached = True
            elif not marks[i] and word in TOPIC_MARKERS:
                attached = self._after_course_word(words, marks, layout, i)
            else:
                continue
            content = _words_after_marker(words, marks, layout, i, candidate)
            spans.append((attached, [k for k in content if words[k - 1] not in POSSESSIVES]))
        return spans

    def _after_course_word(self, words: list[str], marks: list[str], layout: Layout, i: int) -> bool:
        """Whether the marker at `i` follows a course word, type or request phrase, with only
        function words, filters and words describing the course between ("a course in Spanish on")."""
        k = i - 1
        while k >= 0 and layout.sentence_of[k] == layout.sentence_of[i]:
            if marks[k] in ("course", "types", "cue"):
                return True
            word = words[k]
            passed = (word in s for s in (STOPWORDS, TOPIC_MARKERS, GENERAL_WORDS, DESCRIPTIVE_WORDS))
            if not (marks[k] in ("languages", "platforms") or any(passed) or word in CREDIT_WORDS):
                return False
            k -= 1
        return False

    def _institution_name(self, words: list[str], i: int, before: list[str]) -> tuple[str, int]:
        """The name around the institution word ending at `i`: the words after it
        (`_name_after`), else the word before it ("open university", taken out of `before`) when it
        can be a name. Returns the name's words and the index after them."""
        name, j = self._name_after(words, i)
        if name:
            return " ".join(w for w in name if w not in CONNECTORS), j
        if before and not any(before[-1] in s for s in (*NEVER_TOPICS, CREDIT_CONTEXT)):
            return before.pop(), i
        return "", i

    def _name_after(self, words: list[str], i: int) -> tuple[list[str], int]:
        """The words of a name starting at `i` ("university of glasgow", "universidad nacional de
        educacion a distancia") up to a function word, a question, descriptive or general word, or a
        known phrase; connectors are passed before the name ("de la", "of the") and kept inside it
        ("nacional de educacion") but not at its end. Returns them and the index where reading goes on."""
        name: list[str] = []
        j = i
        while j < len(words):
            word = words[j]
            if word in CONNECTORS:
                if not name and j + 1 < len(words) and words[j + 1] in CONNECTORS:
                    j += 1  # "de la", "of the"
                    continue
                nxt = words[j + 1] if j + 1 < len(words) else ""
                if not nxt or nxt in STOPWORDS or self._phrase_at(words, j + 1) is not None:
                    break
                if name:
                    name.append(word)  # "nacional de educacion": kept inside the name
                j += 1
                continue
            if word in STOPWORDS or word in QUESTION_WORDS or self._phrase_at(words, j) is not None:
                break
            if word in DESCRIPTIVE_WORDS or word in GENERAL_WORDS or word in AUDIENCE_WORDS:
                break  # "universidades europeas", "university credit", "university lecturers": no name
            name.append(word)
            j += 1
        while name and name[-1] in CONNECTORS:
            name.pop()
        return name, j

    def _phrase_at(self, words: list[str], i: int) -> tuple[int, tuple[str, str]] | None:
        """The longest vocabulary phrase starting at word `i` (a plural "-s" of a one-word phrase
        too): (its length in words, (kind, value)), or None."""
        longest = self.longest_from.get(words[i], 0) if i < len(words) else 0  # phrases starting there
        for length in range(min(longest, len(words) - i), 0, -1):
            hit = self.phrases.get(tuple(words[i : i + length]))
            if hit:
                return length, hit
        plural = words[i] if i < len(words) else ""
        if len(plural) > 3 and plural.endswith("s") and (plural[:-1],) in self.phrases:
            return 1, self.phrases[(plural[:-1],)]
        return None

    def _close_topic(self, word: str) -> str | None:
        """The topic of the vocabulary form closest to `word` (rapidfuzz ratio, at least
        `_TOPIC_MIN_SIMILARITY`, `_TOPIC_MIN_SIMILARITY_OTHER_INITIAL` for a form with another first
        letter; the first form in `topic_forms` order wins a tie), or None."""
        if len(word) < 5 or not self.topic_forms:
            return None
        if word in self._close:
            return self._close[word]
        forms = self._near(len(word))
        close = (
            process.extract(word, forms, scorer=fuzz.ratio, score_cutoff=_TOPIC_MIN_SIMILARITY, limit=3)
            if forms
            else []
        )
        best = next(
            (
                form
                for form, score, _ in close
                if form[0] == word[0] or score >= _TOPIC_MIN_SIMILARITY_OTHER_INITIAL
            ),
            None,
        )
        key = self.topic_of[best] if best else None
        self._close.put(word, key)
        return key

    def _near(self, length: int) -> list[str]:
        """The topic forms that can be `_TOPIC_MIN_SIMILARITY` similar to a word of `length`
        characters: `ratio` is 100 * (1 - distance / (sum of lengths)) and the distance is at least
        the difference of the lengths, so a form much shorter or longer cannot reach it (a quarter of
        the forms are left for a 10-letter word: same result, about 4x faster). Computed once per
        length (bounded: a word is shorter than a question, at most 500 characters)."""
        forms = self._forms_near.get(length)
        if forms is None:
            slack = 100.0 - _TOPIC_MIN_SIMILARITY
            forms = [f for f in self.topic_forms if 100 * abs(len(f) - length) <= slack * (len(f) + length)]
            self._forms_near[length] = forms
        return forms


def _phrases(vocab: Mapping[str, Any], section: str) -> Iterator[tuple[str, ...]]:
    """The words of a vocabulary section listing words per language ("course_words"), normalised,
    as word tuples; the words that normalise to nothing left out."""
    for words in (vocab.get(section) or {}).values():
        for word in words or []:
            if normalize(str(word)):
                yield tuple(normalize(str(word)).split())


def _longest_from(phrases: Mapping[tuple[str, ...], Any]) -> dict[str, int]:
    """First word of a phrase -> the most words of a phrase starting with it."""
    longest: dict[str, int] = {}
    for phrase in phrases:
        if phrase:
            longest[phrase[0]] = max(len(phrase), longest.get(phrase[0], 0))
    return longest


@dataclass
class _Reading:
    """A question being read: the query so far and the evidence that it asks for courses."""

    query: CourseQuery = field(default_factory=CourseQuery)
    asks_course: bool = False
    """A word for "course" ("cours", "Kurs"), or "MOOC" used as one."""
    names_type: bool = False
    """A course type: "microcredential" alone may be a question about microcredentials."""
    names_platform: bool = False
    """A platform: "FutureLearn" alone may be a question about the platform."""
    platform_spans: list[tuple[int, int, str]] = field(default_factory=list)
    """Where each platform is named (start, end, name): two joined as alternatives ("en futurelearn o
    miriadax") filter none."""
    types_named: int = 0
    """Several types ("microcredential vs MOOC") compare them: no request."""
    course_by_type: bool = False
    """A type named by a course word: "MOOC sur l'intelligence artificielle" asks for courses as
    "cours d'…" (when it is the only type named)."""
    known_topic: bool = False
    """A vocabulary topic, or a word close to one."""
    leftover: list[list[str]] = field(default_factory=lambda: [[]])
    """Runs of words outside the vocabulary, split at the phrases found."""
    cued: bool = False
    """A chat request phrase ("anything about", "hay algo de", "gibt es was über")."""
    opening: tuple[str, ...] = ()
    """The kinds of the first two phrases when the message opens with one and the second follows it
    (function words between them allowed): "course", "topic", "types", …"""
    opening_end: int = 0
    """Where the opening phrases end (the next one must start there to be part of it)."""
    marks: list[str] = field(default_factory=list)
    """Each word's phrase kind ("course", "topics", "institution", …), "" outside the vocabulary."""
    ends: set[int] = field(default_factory=set)
    """Where each phrase found ends (its last word)."""
    topic_at: list[int] = field(default_factory=list)
    """Where each vocabulary topic of `query.topics` starts (in the same order)."""
    language_end: int = 0
    """Where the last language named as a filter ends."""


def _drop_role_topics(query: CourseQuery, words: list[str]) -> None:
    """Drops from `query` an audience word read as a topic right after a role marker (maybe after an
    article): "como empresa podemos estar seguros de que quien hizo el examen …" speaks as a company;
    it asks for no business course (`role_markers`, `audience_words`)."""
    for k, topic in reversed(list(enumerate(query.topics))):
        if topic not in AUDIENCE_WORDS:
            continue
        at = topic_at(words, topic)
        if at is None:
            continue
        ends = (at, at - 1) if at and words[at - 1] in STOPWORDS else (at,)  # "as a company"
        if any(tuple(words[end - n : end]) in ROLE_MARKERS for end in ends for n in (1, 2, 3) if end >= n):
            _drop_topic(query, k)


def _drop_started_topics(query: CourseQuery, words: list[str]) -> None:
    """Drops from `query` a topic written right after a verb of starting (maybe after function words),
    when it has another topic: "cerco un corso di matematica di base prima di iniziare ingegneria"
    asks for mathematics; engineering is the degree the asker starts."""
    for k, topic in reversed(list(enumerate(query.topics))):
        if not any(other not in START_VERBS for other in query.topics[:k] + query.topics[k + 1 :]):
            continue  # no other subject ("im starting a degree": "starting" is none)
        at = topic_at(words, topic)
        if at is None:
            continue
        before = at - 1  # back over function words ("iniziare l'università", "start my degree")
        while before >= 0 and at - before <= 3 and words[before] not in START_VERBS:
            if words[before] not in STOPWORDS and words[before] not in POSSESSIVES:
                break
            before -= 1
        if before >= 0 and words[before] in START_VERBS:
            _drop_topic(query, k)


def _drop_course_data_topics(query: CourseQuery, words: list[str], marks: list[str]) -> None:
    """Drops from `query` a one-word topic that names data about courses (`COURSE_DATA_WORDS`): right
    after a course word ("how can we harvest imoox course data, is there a feed") or before one across
    function words ("los datos de los cursos de MiríadaX"). It asks for the catalogue's data; "data
    courses", "courses on data" and "cursos de datos" ask for courses on data."""
    courses = [  # the course words themselves, not the "on" of "any courses on"
        k for k, mark in enumerate(marks) if mark == "course" and words[k] not in TOPIC_MARKERS
    ]
    if not courses:
        return
    for k, topic in reversed(list(enumerate(query.topics))):
        at = topic_at(words, topic) if topic in COURSE_DATA_WORDS else None
        if at is None:
            continue
        for c in courses:
            between = words[at + 1 : c]
            of_courses = 0 < len(between) <= 2 and all(w in STOPWORDS or w in CONNECTORS for w in between)
            if at == c + 1 or of_courses:
                _drop_topic(query, k)
                break


def topic_at(words: list[str], topic: str) -> int | None:
    """Where a topic (one or more normalised words) is first written in `words`, or None."""
    size = len(topic.split())
    return next((i for i in range(len(words)) if words[i : i + size] == topic.split()), None)


def _drop_topic(query: CourseQuery, k: int) -> None:
    """Drops the `k`-th topic of `query`, its group and how it was written."""
    topic = query.topics[k]
    del query.topics[k], query.groups[k]
    query.written.pop(topic, None)


def _pass_word(reading: _Reading, words: list[str], i: int) -> None:
    """Keeps the word at `i`, outside the vocabulary, in the current run of `leftover`. A function
    word right where the opening phrases end stretches the opening: "cours de statistique"; before
    the first phrase, the words asking for it ("hay cursos de…", "gibt es Kurse zu…", "y a-t-il des
    cours de…"), but not a question word."""
    if (
        i == reading.opening_end
        and words[i] in STOPWORDS
        and (reading.opening or words[i] not in QUESTION_WORDS)
    ):
        reading.opening_end += 1
    reading.leftover[-1].append(words[i])


LANGUAGES_APART = 3
"""At most this many words between two languages named as alternatives ("in italiano o in inglese")."""


def _joined_as_alternative(between: list[str]) -> bool:
    """Whether the words between two languages, or two subjects, join them as alternatives: an "or" /
    "and" (`TOPIC_ALTERNATIVES`) and otherwise only function words or words describing the first
    ("italiano o inglese", "in italiano o in inglese", "deutsch oder englisch", "la cryptographie ou
    les maths", "matematicas basicas o probabilidad"), not a sentence between them."""
    return (
        0 < len(between) <= LANGUAGES_APART
        and any(w in TOPIC_ALTERNATIVES for w in between)
        and all(
            w in TOPIC_ALTERNATIVES or w in STOPWORDS or w in CONNECTORS or w in DESCRIPTIVE_WORDS
            for w in between
        )
    )


def _type_or_course(marks: list[str], words: list[str]) -> bool:
    """Whether a course type and a word for "a course" are offered as alternatives ("courses or
    microcredentials", "microcredenciales o cursos"): either kind will do, so the type is no filter."""
    for k in range(1, len(words) - 1):
        if (
            words[k] in TOPIC_ALTERNATIVES
            and not marks[k]
            and {marks[k - 1], marks[k + 1]} == {"course", "types"}
        ):
            return True
    return False


def _language_learnt(words: list[str], start: int, end: int, marks: list[str]) -> bool:
    """Whether the language named at `start:end` is the subject learnt: a marker before it ("corso
    di inglese", `LANGUAGE_SUBJECT_MARKERS`) that ends no other phrase ("machine learning, english
    please" asks for courses in English), or a verb of learning after it ("wo man Italienisch
    lernt", `LANGUAGE_SUBJECT_FOLLOWERS`); up to two fillers may stand between the marker and the
    language ("learn some Italian", `LANGUAGE_SUBJECT_FILLERS`)."""
    k = start - 1
    while k >= start - 2 and k > 0 and words[k] in LANGUAGE_SUBJECT_FILLERS and not marks[k]:
        k -= 1
    # past a filler the marker may be a request cue too ("learn" in "I want to learn some Italian")
    before = (
        k >= 0
        and words[k] in LANGUAGE_SUBJECT_MARKERS
        and (not marks[k] or (k < start - 1 and marks[k] == "cue"))
    )
    return before or (end < len(words) and words[end] in LANGUAGE_SUBJECT_FOLLOWERS)


def _join_alternatives(query: CourseQuery, words: list[str]) -> None:
    """Two vocabulary subjects written one after the other with "and" / "or" between them ("cursos
    de matemáticas y estadística", "maths or statistics") ask for courses on either: their groups
    of alternatives become one group, so the search finds the courses on one or the other, not only
    those on both; function words may stand beside the "or" ("la cryptographie ou les maths"). Words
    outside the vocabulary stay apart: "física cuántica y arqueología" may name a subject in two
    words; but one beside a vocabulary subject across an "or" is the other alternative ("anything on
    audio or mixing?" found Data Mining for "mixing" beside "audio")."""
    n = 0
    while n + 1 < len(query.topics):
        first, second = query.topics[n], query.topics[n + 1]
        known = [len(query.groups[n]) > 1, len(query.groups[n + 1]) > 1]
        # "cryptographie ou les maths": an article may follow the "or"
        between = _words_between(words, first.split(), second.split()) if any(known) else None
        if (
            between is None
            or not _joined_as_alternative(between)
            or (not all(known) and not set(between) & OR_WORDS)
        ):
            n += 1
            continue
        joined = f"{first} {' '.join(between)} {second}"
        query.topics[n : n + 2] = [joined]
        query.groups[n : n + 2] = [list(dict.fromkeys(query.groups[n] + query.groups[n + 1]))]


def _words_between(words: list[str], first: list[str], second: list[str]) -> list[str] | None:
    """The words between the first place `first` is followed by `second` within `LANGUAGES_APART`
    words, or None."""
    size = len(first)
    for i in range(len(words) - size + 1):
        if words[i : i + size] != first:
            continue
        start = i + size
        for gap in range(1, LANGUAGES_APART + 1):
            if words[start + gap : start + gap + len(second)] == second:
                return words[start : start + gap]
    return None


def _keep_vocabulary_topics(reading: _Reading, at_vocab: list[int]) -> None:
    """Keeps the vocabulary topics that start at `at_vocab` (in the order found), drops the others."""
    query = reading.query
    chosen = [n for n, at in enumerate(reading.topic_at) if at in at_vocab]
    query.topics = [query.topics[n] for n in chosen]
    query.groups = [query.groups[n] for n in chosen]
    reading.known_topic = bool(chosen)


def _words_after_marker(
    words: list[str], marks: list[str], layout: Layout, i: int, candidate: list[bool]
) -> list[int]:
    """The topic words after the topic marker at `i`: articles skipped ("sur la gestion de projet"),
    then the vocabulary topics and `candidate` words, with connectors inside ("gestion de projet")
    and describing words, greetings, audience words and numbers passed over ("python 3.12 release
    date"), up to the clause's end, another phrase or a word that cannot be a topic."""
    clause = layout.clause_of[i]
    in_clause = [k for k in range(i + 1, len(words)) if layout.clause_of[k] == clause]
    k = next((k for k in in_clause if marks[k] or words[k] not in STOPWORDS), i + 1 + len(in_clause))
    content: list[int] = []
    while k < len(words) and layout.clause_of[k] == clause:
        if marks[k] == "topics":
            content.append(k)
        elif marks[k]:
            break
        elif candidate[k]:
            content.append(k)
        elif not (
            (content and words[k] in CONNECTORS)
            or (content and words[k] in TOPIC_ALTERNATIVES and _topic_follows(words, marks, candidate, k))
            or words[k].isdigit()
            or words[k] in DESCRIPTIVE_WORDS
            or words[k] in GREETINGS
            or words[k] in AUDIENCE_WORDS
        ):
            break
        k += 1
    return content


def _topic_follows(words: list[str], marks: list[str], candidate: list[bool], k: int) -> bool:
    """Whether a topic word stands right after the word at `k` ("cocina o gastronomia")."""
    return k + 1 < len(words) and (marks[k + 1] == "topics" or candidate[k + 1])


_REQUEST_FILLER = (
    STOPWORDS | TOPIC_MARKERS | CONNECTORS | REQUEST_CUES | GREETINGS | DESCRIPTIVE_WORDS | AUDIENCE_WORDS
) - QUESTION_WORDS
"""The words a bare course request may have besides its phrases and topics (`CourseQuery.bare`)."""
_OPENING_FILLER = (REQUEST_CUES | GREETINGS | STOPWORDS) - QUESTION_WORDS
"""The words a bare course request may open with before its course word, one of them a request word
(`_opens_with_the_request`)."""


def _opens_with_the_request(words: list[str], marks: list[str]) -> bool:
    """Whether the words before the first course word, if any, ask for it: a request word among
    function words and greetings ("hay cursos de …", "gibt es Kurse zu …"), or a question opener right
    before it ("Welche Kurse …"), not "can my training fund pay …"."""
    first = next((k for k, mark in enumerate(marks) if mark == "course"), len(words))
    before = range(first)
    if not before or words[first - 1] in QUESTION_OPENERS:
        return True
    asks = any(marks[k] == "cue" or words[k] in REQUEST_CUES for k in before)
    return asks and all(marks[k] == "cue" or words[k] in _OPENING_FILLER for k in before)


def _only_a_request(words: list[str], marks: list[str], free: list[str]) -> bool:
    """Whether each word is part of a vocabulary phrase, a topic word or request filler (a question
    word asking which courses: "quali corsi di uninettuno ci sono su openuped?")."""
    topics = set(free)
    return all(
        marks[k]
        or word in topics
        or word in _REQUEST_FILLER
        or (marks[k + 1 : k + 2] == ["course"] and _asks_which(words, k + 1))
        for k, word in enumerate(words)
    )


def _asks_which(words: list[str], course_at: int) -> bool:
    """Whether the word before the course word at `course_at` asks which ones (`WHICH_WORDS`:
    "which courses", "quali corsi"; not "cuántos cursos")."""
    return course_at > 0 and words[course_at - 1] in WHICH_WORDS


def _asks_for_courses(reading: _Reading, words: list[str], free: list[str], layout: Layout) -> bool:
    """Step 3: whether the question asks for courses (the evidence `parse_course_query` lists)."""
    query = reading.query
    cue = has_request_cue(words)
    asks_course = reading.asks_course
    if (reading.names_type or reading.names_platform) and not asks_course:
        # "microcredentials in cyber security" / "is there a microcredential on …" / "Python on
        # FutureLearn" ask for courses; "do employers recognise microcredentials?", "what is
        # FutureLearn?" and "does FutureLearn require an ID?" do not.
        # "MOOC de Python sur FUN": a type, a platform and a topic
        both = reading.names_type and reading.names_platform and bool(query.topics)
        asks_course = reading.known_topic or cue or bool(query.language) or both
        if not asks_course:
            return False
    is_question = any(w in QUESTION_WORDS for w in words)
    if is_question and asks_in_general(words, reading.marks, layout):
        return False  # "how many hours is a microcredential?": about microcredentials in general
    if asks_course:
        named = query.topics or query.language or query.platform or query.type or query.institution
        return bool(named or cue)
    # No word for "course": only a short "<topic> in <language>" reads as a course request.
    # "hay alguno en español en las plataformas del cmf?": the CMF named as where to search is no
    # question about it (`scope_phrases`)
    scope = in_scope_phrases(words)
    short = len(free) <= _MAX_FREE_TOPIC_WORDS and not any(
        w in GENERAL_WORDS for k, w in enumerate(words) if k not in scope
    )
    return bool(query.language and query.topics and short and not is_question)


def parse_course_query(text: str, vocabulary: Mapping[str, Any]) -> CourseQuery | None:
    """The course request in `text`, or None when `text` does not ask for courses.

    A request needs evidence of asking for courses: a word for "course" ("cours", "Kurs", "MOOC"), or a
    platform or course type together with a known topic, a language or a request word ("list", "any",
    "gibt es"), or a short "<topic> in <language>". A question about a platform or about
    microcredentials in general, or a programming question, is not a request.
    """
    return CourseQueryReader(vocabulary).read(text)
