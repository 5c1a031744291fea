"""Read a question that asks for courses, in any of the bot's languages, into search filters and topics.

"cursos de estadística", "Python in French", "is there a microcredential in cyber security?",
"des cours de data science en espagnol ?", "gibt es einen MOOC über Statistik auf iMooX".

The names of languages, platforms and course types, the words meaning "a course" and the topic
synonyms all come from the vocabulary (`knowledge/vocabulary.yaml`). The generic function words per
language (articles, prepositions, question words) and the words that show a question is about
microcredentials in general ("how many hours…") rather than a request for courses are each
language's `course_request` lists in `knowledge/languages.json`.

A long chatty message ("Buongiorno, sono HR manager in un'azienda di Milano. Vorremmo formare il
personale su project management con corsi che diano crediti.") is read for its topic, not its filler:
the sentences that ask for courses (a course word, type, platform or request word) give the topics
(the others only when those name none); a self-introduction at the start of a clause ("sono HR manager
…", "I'm from Spain", up to a join word or a course word) is left out, and an institution named in it
is who asks, not a filter; when the message names its topic after a topic marker ("corsi su X", "a
course on X", "Kurse über X"), the words after the markers are the search (those right after a course
word first); greetings, self-introductions, the people to train, the words describing a course
("short", "european") and the words describing credit next to a credit word ("che diano crediti")
are never topics. Every word list is language data (`course_request` in `knowledge/languages.json`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from bot.engine.bounded import BoundedCache
from bot.engine.languages import union
from bot.engine.normalize import normalize


def _words(name: str) -> frozenset[str]:
    """List `name` of the languages' `course_request` word lists, all languages together."""
    return frozenset(union("course_request", name))


# Function words of every language, as `normalize` leaves them (no accents, no apostrophes).
_STOPWORDS = _words("stopwords")

_QUESTION_WORDS = _words("question_words")
"""Question words: without an explicit course word, a question containing one is not a course request."""

_GENERAL_WORDS = _words("general_words")
"""Words of questions about microcredentials in general: never topics of a course search."""

_TOPIC_MIN_SIMILARITY = 85.0
"""A word not in the vocabulary is matched to a topic synonym this similar (rapidfuzz ratio)."""

CLOSE_TOPICS_KEPT = 4096
"""Words matched to a close vocabulary topic (a fuzzy comparison with the forms of about their
length) kept by a reader (`bounded.BoundedCache`, sized when the reader is made); 0 keeps none
(`bench.tail --kept-off`)."""

_GREETINGS = _words("greetings")
"""Greeting and sign-off words: never topics."""

_AUDIENCE_WORDS = _words("audience_words")
"""Who is to be trained ("team", "dipendenti") and training them ("upskill"): never topics."""

_DESCRIPTIVE_WORDS = _words("descriptive_words")
"""Words that describe any course ("short", "european", "thema"): never topics nor an institution name."""

_CREDIT_WORDS = _words("credit_words")
"""Words for academic credit; the `credit_context` words near one describe the credit."""

_CREDIT_CONTEXT = _words("credit_context")
"""Words describing credit ("gives", "bearing", "diano"): not topics within `_CREDIT_REACH` words of a
credit word."""

_CREDIT_REACH = 3

_TOPIC_MARKERS = _words("topic_markers")
"""Words after which a message names its topic ("on", "sur", "sobre", "su", "uber")."""

_CLAUSE_JOINS = _words("clause_joins")
"""Words joining two clauses: a self-introduction ends at one."""

_REQUEST_VERBS = _words("request_verbs")
"""Verbs of wanting or looking for ("vorremmo", "would like"): a self-introduction ends at one (the
router may pass the message without its punctuation)."""

_SELF_INTRODUCTIONS = frozenset(tuple(p.split()) for p in _words("self_introductions"))
"""Phrases opening a self-introduction ("i m", "sono", "ich bin"), as word tuples."""

_LONGEST_INTRODUCTION = max((len(p) for p in _SELF_INTRODUCTIONS), default=0)

_REQUEST_KINDS = ("course", "cue", "types", "platforms")
"""Phrase kinds that show a sentence asks for courses."""

_BREAK = re.compile(r"([.!?;:,]+(?=\s|$)|[¡¿])")
"""Punctuation between clauses (followed by a space or the end: "node.js", "1,5" stay words)."""

_SENTENCE_END = re.compile(r"[.!?;¡¿]")

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
    platform: str | None = None
    type: str | None = None
    institution: Institution | None = None
    """An institution named in the question: the search keeps the courses whose institution has all
    of its `words` ("university of glasgow" -> ``"glasgow"``); replies show it as typed."""
    cued: bool = False
    """Asked only by a chat phrase ("anything about …", "hay algo de …", "c'è qualcosa su …",
    `request_phrases`): a request only for a subject the catalogue has (the router checks)."""
    leading: bool = False
    """The message opens with a course word and a vocabulary topic, in either order ("corso
    statistica", "mooc épidémiologie qui donne des ects ?", "statistik kurs mit ects?")."""

    @property
    def other_words(self) -> int:
        """How many topic words are outside the vocabulary ("editing" in "anything about editing
        wikipedia??", "covid deaths" in "do you have any statistics on covid deaths?")."""
        return sum(1 for group in self.groups if len(group) == 1)

    @property
    def text(self) -> str:
        return " ".join(self.topics)

    def search_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `CourseSearch.search`."""
        return {
            "text": self.text,
            "any_of": self.groups,
            "language": self.language,
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
            for key, words in (vocab.get(kind) or {}).items():
                forms = [normalize(str(key))] + [normalize(str(w)) for w in words or []]
                forms = list(dict.fromkeys(f for f in forms if f))
                if kind == "topics":
                    self.synonyms[str(key)] = forms
                elif kind == "languages":
                    forms = forms[1:]  # "es" is a word of its own (Spanish, French); names only
                for form in forms:
                    self.phrases.setdefault(tuple(form.split()), (kind, str(key)))
        for words in (vocab.get("institution_words") or {}).values():
            for word in words or []:
                if normalize(str(word)):
                    self.phrases.setdefault(tuple(normalize(str(word)).split()), ("institution", ""))
        self.course_forms: set[tuple[str, ...]] = set()
        """Words for "a course"; one that also names a type ("MOOC") sets the type and asks for courses."""
        for words in (vocab.get("course_words") or {}).values():
            for word in words or []:
                if normalize(str(word)):
                    self.course_forms.add(tuple(normalize(str(word)).split()))
                    self.phrases.setdefault(tuple(normalize(str(word)).split()), ("course", ""))
        for words in (vocab.get("request_phrases") or {}).values():
            for word in words or []:
                if normalize(str(word)):
                    self.phrases.setdefault(tuple(normalize(str(word)).split()), ("cue", ""))
        self.longest = max((len(p) for p in self.phrases), default=1)
        self.longest_from = _longest_from(self.phrases)
        """First word of a phrase -> the most words of a phrase starting with it (`_phrase_at`)."""
        self.topic_forms = sorted({form for forms in self.synonyms.values() for form in forms})
        self.topic_of = {form: key for key, forms in self.synonyms.items() for form in forms}
        self._forms_near: dict[int, list[str]] = {}
        """Word length -> the topic forms that can be `_TOPIC_MIN_SIMILARITY` similar to a word of
        that length, in `topic_forms` order (`_near`)."""
        self._close: BoundedCache[str, str | None] = BoundedCache(CLOSE_TOPICS_KEPT)
        """Word -> the topic `_close_topic` found for it (at most `CLOSE_TOPICS_KEPT`, oldest dropped
        first): the vocabulary is fixed for a reader, and the same words come back in many questions."""

    def read(self, text: str, *, require_request: bool = True) -> CourseQuery | None:
        """The course request in `text`, or None when it does not ask for courses.

        `require_request=False` returns what a text names (topics, filters) even without evidence of a
        request, for a text already known to be a course search (the intent matcher said so). A text
        whose only evidence is a chat phrase (`request_phrases`) comes back marked `cued`: the caller
        decides (a subject the catalogue has); one opening with a course word and a topic, `leading`.
        """
        words = normalize(text or "").split()
        layout = _layout(text or "", words)
        intro = self._introductions(words, layout.clause_of)
        reading = self._scan(text, words, intro)
        free = self._add_free_topics(reading, words, layout, intro)
        query = reading.query
        query.leading = reading.opening in (("course", "topic"), ("topic", "course"))
        if not require_request:
            return query
        if query.leading or _asks_for_courses(reading, words, free, layout):
            return query
        if reading.cued and query.topics:  # "anything about poetry??": only for a subject we have
            query.cued = True
            return query
        return None

    def _scan(self, text: str, words: list[str], intro: frozenset[int] = frozenset()) -> _Reading:
        """Step 1: the vocabulary's phrases in `words` (longest first), read into the query and the
        evidence of a request; the runs of other words are kept in `leftover`, each word's phrase
        kind in `marks`. An institution named inside a self-introduction (`intro`) is no filter."""
        reading = _Reading(marks=[""] * len(words))
        query = reading.query
        course_by_type = False  # "MOOC sur l'intelligence artificielle" asks for courses as "cours d'…"
        i = 0
        while i < len(words):
            match = self._phrase_at(words, i)
            if match is None:
                if (
                    i == reading.opening_end
                    and words[i] in _STOPWORDS
                    and (reading.opening or words[i] not in _QUESTION_WORDS)
                ):
                    # "cours de statistique"; before the first phrase, the words asking for it:
                    # "hay cursos de…", "gibt es Kurse zu…", "y a-t-il des cours de…"
                    reading.opening_end += 1
                reading.leftover[-1].append(words[i])
                i += 1
                continue
            length, (kind, value) = match
            reading.marks[i : i + length] = [kind] * length
            reading.ends.add(i + length - 1)
            if i == reading.opening_end and len(reading.opening) < 2:
                # the message opens with this phrase, or it follows the opening one at once
                is_course = kind == "course" or tuple(words[i : i + length]) in self.course_forms
                reading.opening += ("course" if is_course else "topic" if kind == "topics" else kind,)
                reading.opening_end = i + length
            i += length
            reading.leftover.append([])
            if kind == "institution":
                i = self._read_institution(text, words, i, length, reading, intro)
            elif kind == "course":
                reading.asks_course = True
            elif kind == "cue":
                reading.cued = True
            elif kind == "types":
                reading.names_type = True
                query.type = query.type or value
                reading.types_named += 1
                course_by_type = course_by_type or tuple(words[i - length : i]) in self.course_forms
            elif kind == "platforms":
                reading.names_platform = True
                query.platform = query.platform or value
            elif kind == "languages":
                query.language = query.language or value
            elif value not in query.topics:
                reading.known_topic = True
                query.topics.append(" ".join(words[i - length : i]))
                query.groups.append(self.synonyms[value])
                reading.topic_at.append(i - length)
        reading.asks_course = reading.asks_course or (course_by_type and reading.types_named == 1)
        return reading

    def _read_institution(
        self, text: str, words: list[str], i: int, length: int, reading: _Reading, intro: frozenset[int]
    ) -> int:
        """An institution word of `length` words ends at `i`: its name (after it, or the word before)
        becomes the query's institution (the first one named, not in a self-introduction: "I am a
        student at the University of Vienna" says who asks); without a name it is an ordinary word.
        Returns where reading goes on."""
        start = i - length
        name, after = self._institution_name(words, i, reading.leftover[-2])
        if name:
            start = start - 1 if after == i else start  # "open university": the word before
            reading.marks[start:after] = ["institution"] * (after - start)
            if reading.query.institution is None and start not in intro:
                reading.query.institution = Institution(name, _as_typed(text, words, start, after))
        else:
            reading.leftover[-1].append(words[i - 1])  # "a university": no name, an ordinary word
            reading.marks[i - 1] = ""
        return after

    def _add_free_topics(
        self, reading: _Reading, words: list[str], layout: _Layout, intro: frozenset[int]
    ) -> list[str]:
        """Step 2: the words outside the vocabulary that can be topics (not function, question,
        request, general, greeting, audience or descriptive words, connectors, numbers, nor words
        describing credit) become topics, through a close vocabulary topic when there is one (a
        typo); of a long message, only those of the sentences asking for courses, outside a
        self-introduction, and after a topic marker when the message has one (`_topic_words`).
        Returns them."""
        candidate = [self._may_be_topic(words, k, reading.marks) for k in range(len(words))]
        every = frozenset(layout.sentence_of)
        asking = frozenset(
            layout.sentence_of[k]
            for k, word in enumerate(words)
            if k not in intro
            and (reading.marks[k] in _REQUEST_KINDS or (not reading.marks[k] and word in _REQUEST_CUES))
        )
        # the sentences asking for courses, else all; a self-introduction only when nothing else has a topic
        attempts = ([(asking, intro)] if asking else []) + [(every, intro), (every, frozenset())]
        kept: tuple[list[int], list[int]] = ([], [])
        for sentences, left_out in attempts:
            kept = self._topic_words(words, reading, layout, sentences, left_out, candidate)
            if kept[0] or kept[1]:
                break
        at_vocab, at_free = kept
        query = reading.query
        chosen = [n for n, at in enumerate(reading.topic_at) if at in at_vocab]
        query.topics = [query.topics[n] for n in chosen]
        query.groups = [query.groups[n] for n in chosen]
        reading.known_topic = bool(chosen)
        free = [words[k] for k in at_free]
        for word in free:
            key = self._close_topic(word)
            reading.known_topic = reading.known_topic or key is not None
            reading.query.topics.append(word)
            reading.query.groups.append(self.synonyms[key] if key else [word])
        return free

    def _may_be_topic(self, words: list[str], k: int, marks: list[str]) -> bool:
        """Whether the word at `k`, outside the vocabulary, can be a topic word."""
        word = words[k]
        if marks[k] or word.isdigit() or any(word in s for s in _NEVER_TOPICS):
            return False
        if word in _CREDIT_CONTEXT:
            near = words[max(0, k - _CREDIT_REACH) : k + _CREDIT_REACH + 1]
            return not any(w in _CREDIT_WORDS for w in near)
        return True

    def _topic_words(
        self,
        words: list[str],
        reading: _Reading,
        layout: _Layout,
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
        return vocab, free

    def _topic_spans(
        self,
        words: list[str],
        reading: _Reading,
        layout: _Layout,
        sentences: frozenset[int],
        candidate: list[bool],
    ) -> list[tuple[bool, list[int]]]:
        """The words after each topic marker of `sentences` (articles skipped; connectors inside
        "gestion de projet"; describing words and numbers passed over) up to the clause's end or a
        word that cannot be a topic: (the marker follows a course word, the topic words' indices).
        A course word or request phrase ending with a marker ("any courses on", "anything about")
        is one."""
        marks = reading.marks
        spans = []
        for i, word in enumerate(words):
            if layout.sentence_of[i] not in sentences:
                continue
            if marks[i] in ("course", "cue") and i in reading.ends and word in _TOPIC_MARKERS:
                attached = True
            elif not marks[i] and word in _TOPIC_MARKERS:
                attached = self._after_course_word(words, marks, layout, i)
            else:
                continue
            clause = layout.clause_of[i]  # articles skipped: "sur la gestion de projet"
            in_clause = [k for k in range(i + 1, len(words)) if layout.clause_of[k] == clause]
            k = next((k for k in in_clause if marks[k] or words[k] not in _STOPWORDS), i + 1 + len(in_clause))
            content: list[int] = []
            while k < len(words) and layout.clause_of[k] == clause:
                if marks[k] == "topics":
                    content.append(k)
                elif marks[k]:
                    break
                elif candidate[k]:
                    content.append(k)
                elif not (
                    (content and words[k] in _CONNECTORS)
                    or words[k].isdigit()  # "python 3.12 release date"
                    or words[k] in _DESCRIPTIVE_WORDS
                    or words[k] in _GREETINGS
                    or words[k] in _AUDIENCE_WORDS
                ):
                    break
                k += 1
            spans.append((attached, content))
        return spans

    def _after_course_word(self, words: list[str], marks: list[str], layout: _Layout, i: int) -> bool:
        """Whether the marker at `i` follows a course word, type or request phrase, with only
        function words, filters and words describing the course between ("a course in Spanish on")."""
        k = i - 1
        while k >= 0 and layout.sentence_of[k] == layout.sentence_of[i]:
            if marks[k] in ("course", "types", "cue"):
                return True
            word = words[k]
            passed = (word in s for s in (_STOPWORDS, _TOPIC_MARKERS, _GENERAL_WORDS, _DESCRIPTIVE_WORDS))
            if not (marks[k] in ("languages", "platforms") or any(passed) or word in _CREDIT_WORDS):
                return False
            k -= 1
        return False

    def _introductions(self, words: list[str], clause_of: list[int]) -> frozenset[int]:
        """The words of self-introductions: from a `self_introductions` phrase at the start of a
        clause (after greetings) up to the clause's end, a join word, a request word or a course
        word, type, platform or request phrase ("Hey all, I'm from Spain and I'd like …")."""
        intro: set[int] = set()
        for i in range(len(words)):
            longest = range(_LONGEST_INTRODUCTION, 0, -1)
            length = next((n for n in longest if tuple(words[i : i + n]) in _SELF_INTRODUCTIONS), 0)
            if not length or i in intro:
                continue
            k = i - 1
            while k >= 0 and clause_of[k] == clause_of[i] and words[k] in _GREETINGS:
                k -= 1
            if k >= 0 and clause_of[k] == clause_of[i] and words[k] not in _CLAUSE_JOINS:
                continue  # "ci sono corsi": not where a self-introduction starts
            j = i + length
            while j < len(words) and clause_of[j] == clause_of[i]:
                if words[j] in _CLAUSE_JOINS or words[j] in _REQUEST_CUES or words[j] in _REQUEST_VERBS:
                    break
                hit = self._phrase_at(words, j)
                if hit is not None and hit[1][0] in _REQUEST_KINDS:
                    break
                j += 1
            intro.update(range(i, j))
        return frozenset(intro)

    def _institution_name(self, words: list[str], i: int, before: list[str]) -> tuple[str, int]:
        """The name around the institution word ending at `i`: the words after it ("university of
        glasgow", "universidad nacional de educacion a distancia") up to a function word or a known
        phrase, else the word before it ("open university", taken out of `before`). Returns the
        name's words and the index after them."""
        name: list[str] = []
        j = i
        while j < len(words):
            word = words[j]
            if word in _CONNECTORS:
                if not name and j + 1 < len(words) and words[j + 1] in _CONNECTORS:
                    j += 1  # "de la", "of the"
                    continue
                nxt = words[j + 1] if j + 1 < len(words) else ""
                if not nxt or nxt in _STOPWORDS or self._phrase_at(words, j + 1) is not None:
                    break
                if name:
                    name.append(word)  # "nacional de educacion": kept inside the name
                j += 1
                continue
            if word in _STOPWORDS or word in _QUESTION_WORDS or self._phrase_at(words, j) is not None:
                break
            if word in _DESCRIPTIVE_WORDS or word in _GENERAL_WORDS:
                break  # "universidades europeas", "university credit": no name
            name.append(word)
            j += 1
        while name and name[-1] in _CONNECTORS:
            name.pop()
        if name:
            return " ".join(w for w in name if w not in _CONNECTORS), j
        if before and not any(before[-1] in s for s in (*_NEVER_TOPICS, _CREDIT_CONTEXT)):
            return before.pop(), i
        return "", i

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
        `_TOPIC_MIN_SIMILARITY`; the first form in `topic_forms` order wins a tie), or None."""
        if len(word) < 5 or not self.topic_forms:
            return None
        if word in self._close:
            return self._close[word]
        forms = self._near(len(word))
        best = (
            process.extractOne(word, forms, scorer=fuzz.ratio, score_cutoff=_TOPIC_MIN_SIMILARITY)
            if forms
            else None
        )
        key = self.topic_of[best[0]] if best else None
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
    types_named: int = 0
    """Several types ("microcredential vs MOOC") compare them: no request."""
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


@dataclass(frozen=True)
class _Layout:
    """The sentence and the clause of each word of a message (numbers, in order)."""

    sentence_of: list[int]
    clause_of: list[int]


def _layout(text: str, words: list[str]) -> _Layout:
    """The sentences ("." "!" "?" ";", "¿") and clauses (also "," ":") of `text`'s `words`; one of
    each when the pieces do not normalise to the same words."""
    sentence_of: list[int] = []
    clause_of: list[int] = []
    seen: list[str] = []
    sentence = clause = 0
    for piece in _BREAK.split(text):
        if _BREAK.fullmatch(piece):
            sentence += 1 if _SENTENCE_END.search(piece) else 0
            clause += 1
            continue
        for word in normalize(piece).split():
            seen.append(word)
            sentence_of.append(sentence)
            clause_of.append(clause)
    if seen != words:
        return _Layout([0] * len(words), [0] * len(words))
    return _Layout(sentence_of, clause_of)


def _asks_for_courses(reading: _Reading, words: list[str], free: list[str], layout: _Layout) -> bool:
    """Step 3: whether the question asks for courses (the evidence `parse_course_query` lists)."""
    query = reading.query
    cue = _has_request_cue(words)
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
    is_question = any(w in _QUESTION_WORDS for w in words)
    if is_question and _asks_in_general(words, reading.marks, layout):
        return False  # "how many hours is a microcredential?": about microcredentials in general
    if asks_course:
        named = query.topics or query.language or query.platform or query.type or query.institution
        return bool(named or cue)
    # No word for "course": only a short "<topic> in <language>" reads as a course request.
    short = len(free) <= _MAX_FREE_TOPIC_WORDS and not any(w in _GENERAL_WORDS for w in words)
    return bool(query.language and query.topics and short and not is_question)


def _asks_in_general(words: list[str], marks: list[str], layout: _Layout) -> bool:
    """Whether the message asks a question with a general word ("how many hours is a
    microcredential?"). A credit word describing the course wanted after it ("corsi che diano
    crediti", "formations qui donnent des crédits"; not "qui donne des ects pour un mooc ?") does not
    count, nor a general word in a short follow-up after another sentence ("… a course in Spanish on
    project management. Which platform?"; without punctuation, a message ending with a question word
    and a general word after a longer request)."""
    sentences: dict[int, list[int]] = {}
    for k, sentence in enumerate(layout.sentence_of):
        sentences.setdefault(sentence, []).append(k)
    last = len(words) - 2  # "… on project management that gives university credit which platform"
    if len(sentences) == 1 and last > _FOLLOW_UP_WORDS and words[last] in _QUESTION_WORDS:
        sentences = {0: list(range(last)), 1: [last, last + 1]} if words[-1] in _GENERAL_WORDS else sentences
    follow_ups = {
        k for at in sentences.values() if len(sentences) > 1 and len(at) <= _FOLLOW_UP_WORDS for k in at
    }
    courses = [k for k, mark in enumerate(marks) if mark in ("course", "types")]
    wanted = {k for k in range(len(words)) if courses and courses[0] < k and _describes_credit(words, k)}
    return any(w in _GENERAL_WORDS and k not in follow_ups and k not in wanted for k, w in enumerate(words))


def _describes_credit(words: list[str], k: int) -> bool:
    """Whether the credit word at `k` has a word describing the credit near it ("che diano crediti")."""
    near = words[max(0, k - _CREDIT_REACH) : k + _CREDIT_REACH + 1]
    return words[k] in _CREDIT_WORDS and any(w in _CREDIT_CONTEXT for w in near)


_FOLLOW_UP_WORDS = 3
"""A sentence this short after another ("Which platform?", "Cosa c'è?") follows the request up."""


_CONNECTORS = _words("connectors")
"""Words between an institution word and its name, or inside a name ("Universidad de Málaga")."""


def _has_request_cue(words: list[str]) -> bool:
    """Plural "list me the microcredentials"-style requests carry no topic: a cue word is enough."""
    return any(w in _REQUEST_CUES for w in words)


_REQUEST_CUES = _words("request_cues")
"""Words that ask for a list of courses ("list", "gibt es"): never a topic."""

_NEVER_TOPICS = (
    _STOPWORDS,
    _QUESTION_WORDS,
    _REQUEST_CUES,
    _GENERAL_WORDS,
    _CONNECTORS,
    _GREETINGS,
    _AUDIENCE_WORDS,
    _DESCRIPTIVE_WORDS,
    _CREDIT_WORDS,
)


def parse_course_query(text: str, vocabulary: Mapping[str, Any]) -> CourseQuery | None:
    """The course request in `text`, or None when `text` does not ask for courses.

    A request needs evidence of asking for courses: a word for "course" ("cours", "Kurs", "MOOC"), or a
    platform or course type together with a known topic, a language or a request word ("list", "any",
    "gibt es"), or a short "<topic> in <language>". A question about a platform or about
    microcredentials in general, or a programming question, is not a request.
    """
    return CourseQueryReader(vocabulary).read(text)
