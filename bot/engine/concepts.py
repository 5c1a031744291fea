"""The concept layer: multilingual words → concepts, small talk, guards and yes/no cues, all read from data.

Everything here comes from the `vocabulary` sections `concepts`, `evidence`, `guards`, `small_talk`
and `polar` (`knowledge/concepts.yaml`, schema `knowledge/schemas/vocabulary.schema.json`). Python
only knows how to match them:

- a phrase matches whole words of the normalised text (`normalize`: case, accents, punctuation);
  a word ending in `*` matches any word starting with the rest ("microcredenzial*");
- `concepts(text)` gives the concept ids found; the matcher adds them as shared features, so a
  phrasing written in one language also teaches the others ("bachelor", "licence", "laurea" →
  `degree-level`);
- `core(text)` drops the clauses of a message that are only small talk ("hey! quick q, …");
- `guard(text)` names the first guard rule whose concepts all occur (spam, scams, injections);
- `is_polar(text)` tells a yes/no question by its opening words;
- `steer_rule(text, found, best)` names the steering rule that gives a question the matcher ranked
  `best` first to another intent ("EQF 4 admitted?" asks the CMF's rule, not what EQF level 4 is);
  `cued_rule(text, found, to)`, the rule a question cues whose answer `to` already is (for its lead).
  Steering rules are router data, not matcher features: they are not part of `digest`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.engine.normalize import normalize

_CLAUSE = re.compile(r"[.!?¿¡;:,\n()\[\]…]+|\s[-–—]\s")
_ASIDE = re.compile(r"\([^()]*\)")
"""A parenthesised aside, no clause of its own for a yes/no question: "can a 20 credit module (200
hrs) be offered as a cmf microcredential"."""


@dataclass
class _Trie:
    """Word-level phrase trie; a node's `ends` are the labels of phrases ending there."""

    children: dict[str, _Trie] = field(default_factory=dict)
    prefixes: dict[str, list[tuple[str, _Trie]]] = field(default_factory=dict)
    """Children reached by a word prefix ("microcredenzial*"), keyed by the prefix's first 3 letters."""
    ends: set[str] = field(default_factory=set)
    short_prefixes: bool = False
    """Whether a prefix is shorter than 3 letters (then a word's 1- and 2-letter keys are looked up too)."""

    def add(self, words: list[str], label: str) -> None:
        node = self
        for word in words:
            if word.endswith("*") and len(word) > 1:
                stem = word[:-1]
                bucket = node.prefixes.setdefault(stem[:3], [])
                node.short_prefixes = node.short_prefixes or len(stem) < 3
                for known, child in bucket:
                    if known == stem:
                        node = child
                        break
                else:
                    child = _Trie()
                    bucket.append((stem, child))
                    node = child
            else:
                node = node.children.setdefault(word, _Trie())
        node.ends.add(label)

    def step(self, word: str) -> list[_Trie]:
        child = self.children.get(word)
        out = [] if child is None else [child]
        if self.prefixes:
            keys = {word[:1], word[:2], word[:3]} if self.short_prefixes else (word[:3],)
            for key in keys:
                for stem, node in self.prefixes.get(key, ()):
                    if word.startswith(stem):
                        out.append(node)
        return out


_STARTS_KEPT = 1 << 13
"""Words whose first step `_spans` remembers in a table it is given (ten times the knowledge base's
phrasings have ~6,500 distinct words; at most ~1 MB)."""
_NO_STEP: tuple[_Trie, ...] = ()


def _compile(mapping: Mapping[str, Iterable[str]]) -> _Trie:
    trie = _Trie()
    for label, phrases in mapping.items():
        for phrase in phrases or []:
            raw = str(phrase).casefold().strip()
            star = raw.endswith("*")
            words = normalize(raw).split()
            if not words:
                continue
            if star:
                words[-1] += "*"
            trie.add(words, str(label))
    return trie


def _spans(
    trie: _Trie, words: list[str], starts: dict[str, Sequence[_Trie]] | None = None
) -> list[tuple[int, int, str]]:
    """Every (start, end, label) of a phrase of `trie` in `words`. `starts`: a table of the
    first steps of words (`trie.step`) to remember them in, for many texts at once."""
    found: list[tuple[int, int, str]] = []
    n_words = len(words)
    for i in range(n_words):
        frontier: Sequence[_Trie]
        if starts is None:
            frontier = trie.step(words[i])
        else:
            first = starts.get(words[i])
            if first is None:
                first = tuple(trie.step(words[i])) or _NO_STEP  # (one empty tuple for most words)
                if len(starts) < _STARTS_KEPT:
                    starts[words[i]] = first
            frontier = first
        j = i
        while frontier:
            j += 1
            for node in frontier:
                if node.ends:
                    found.extend((i, j, label) for label in node.ends)
            if j == n_words:
                break
            frontier = [n for node in frontier for n in node.step(words[j])]
    return found


STEER_LEAD = "steer."
"""Key prefix of a steering rule's lead in the UI strings (`steer.<rule id>`, knowledge/ui/steer.yaml)."""
INVERTED_REACH = 16
"""How far into a clause an inverted verb (`polar_inverted`: "… respecte t il …") makes it a yes/no
question: "le mooc principes des reseaux de donnees de l imt respecte t il le cmf"."""
UNSOURCED_LEAD = "unsourced."
"""Key prefix of the line on an aspect the sources do not cover (`unsourced.<aspect id>`,
knowledge/ui/unsourced.yaml)."""


@dataclass(frozen=True)
class SteerRule:
    """A steering rule (`knowledge/concepts.yaml`, sections `steer_*`): a question the matcher ranks
    one of `from_` first, with one of the rule's cue phrases or `when` concepts and none of the
    `unless` concepts, is answered by `to`."""

    rule: str
    to: str
    from_: frozenset[str]
    unless: frozenset[str]
    when: frozenset[str] = frozenset()
    two_of: frozenset[str] = frozenset()
    """Concepts at least two of which the question must name (`steer_when_two`), when any."""
    polar: bool = False
    """Whether the rule steers only a yes/no question (`steer_polar`): "is a futurelearn microcredential
    at postgraduate level?" asks the level, "how do I enrol in one at postgraduate level?" does not."""


class ConceptLayer:
    """The concept data compiled once. Empty data gives a layer that finds nothing."""

    def __init__(self, vocabulary: Mapping[str, Any] | None) -> None:
        vocab = dict(vocabulary or {})
        self.platform_written: re.Pattern[str] | None = None  # read last, from the course vocabulary
        self._data = {
            k: vocab.get(k) or {} for k in ("concepts", "evidence", "guards", "small_talk", "polar")
        }
        self._concepts = _compile(self._data["concepts"])
        self._small_talk = _compile({"_": [p for ps in self._data["small_talk"].values() for p in ps or []]})
        self._polar = _compile({lang: ps for lang, ps in self._data["polar"].items()})
        self._polar_inverted = _compile(
            {lang: ps for lang, ps in (vocab.get("polar_inverted") or {}).items()}
        )
        evidence = self._data["evidence"]
        self.domain = frozenset(evidence.get("domain") or [])
        self.off_domain = frozenset(evidence.get("off_domain") or [])
        self.partners = frozenset(evidence.get("partner") or [])
        self.request_filters = frozenset(evidence.get("request_filters") or [])
        """Domain concepts a course request may name as what its courses should give (ECTS, credit)."""
        self.trainees = frozenset(evidence.get("trainees") or [])
        """Concepts naming who is to be trained ("empresas", "Mitarbeitende"), never a subject alone."""
        self.course_facts = frozenset(evidence.get("course_facts") or [])
        """Concepts of what courses are like ("price"): a question about them that names no subject
        asks about courses, not for a list of them ("Was kostet ein Kurs auf iMooX?")."""
        self.cmf_named = frozenset(evidence.get("cmf_named") or [])
        """Concepts naming the CMF or a microcredential: a figure a question states is set against the
        CMF's study hours only in a question naming one (`Router._worked_line`)."""
        self.frameworks = frozenset(evidence.get("frameworks") or [])
        """Concepts naming a framework other than the CMF (the EU recommendation, an SLP): a yes/no lead
        of an answer whose phrasings seldom name it does not answer a question asked of it, and a
        course's figures asked against one and not the CMF are not checked against the CMF."""
        self.held_credential = frozenset(evidence.get("held_credential") or [])
        """Concepts naming a credential someone holds: an employer naming one asks about it, not for
        courses on the subject of the course it was for (`Router._course_route`)."""
        self.plans_course = frozenset(evidence.get("plans_course") or [])
        """Concepts saying a course is to be offered ("queremos ofrecer"): a university naming one plans
        a course of its own (`Router._plans_own_course`)."""
        self.degrees_named = frozenset(evidence.get("degrees_named") or [])
        """Concepts naming a degree: two levels asked how they differ beside one keep the answer that
        matches levels and degrees (`Router._asks_how_they_differ`)."""
        self.course_asked = frozenset(evidence.get("course_asked") or [])
        """Concepts asking for a course ("is there a … course"): a message naming an exam the catalogue
        names and one of them asks for courses on it (`Router._request_for_catalogued_provider`)."""
        self.search_scope = frozenset(evidence.get("search_scope") or [])
        """Concepts a course request may name as where to search or what kind of course it wants (the
        partner platforms, "microcredential", "MOOC")."""
        self.audiences = {
            aud: frozenset(evidence.get(aud) or []) for aud in ("employer", "university") if evidence.get(aud)
        }
        self.guards = {str(k): frozenset(v or []) for k, v in self._data["guards"].items()}
        self.guard_unless = {
            str(rule): frozenset(str(c) for c in concepts or [])
            for rule, concepts in (vocab.get("guard_unless") or {}).items()
        }
        """Guard rule → concepts any of which keeps it from declining (`guard_unless`)."""
        self.polar_about = {
            str(entry): frozenset(str(c) for c in concepts or [])
            for entry, concepts in (vocab.get("polar_about") or {}).items()
        }
        """Entry → concepts one of which a yes/no clause must name for its yes/no lead (`polar_about`)."""
        self.guard_advice = {
            str(rule): str(advice)
            for advice, rules in (vocab.get("guard_advice") or {}).items()
            for rule in rules or []
        }
        """Guard rule → the advice its declined message gives (`guard_advice`: a scam warning)."""
        self.home_partner: dict[str, tuple[str, str]] = {}
        """Language → (phrase, partner concept): the platform a question in that language naming no
        platform may be about (`home_partner`; read by the router, not a matcher feature)."""
        for lang, phrases in (vocab.get("home_partner") or {}).items():
            named = self.concepts(str(phrases[0])) & self.partners if len(phrases or []) == 1 else set()
            if len(named) == 1:  # the loader reports any other as an error
                self.home_partner[str(lang)] = (str(phrases[0]), next(iter(named)))
        steer = {
            k: vocab.get(k) or {}
            for k in ("steer_to", "steer_from", "steer_cues", "steer_unless", "steer_when", "steer_when_two")
        }
        self._steer_cues = _compile(steer["steer_cues"])
        polar_rules = {str(r) for r in vocab.get("steer_polar") or []}
        self._unsourced = _compile(vocab.get("unsourced") or {})
        self.course_facets = {
            str(field_): frozenset(str(c) for c in names or [])
            for field_, names in (vocab.get("course_facets") or {}).items()
        }
        """Course record field → the concepts naming it (`course_facets`): a course search whose message
        names one shows that field of each course found."""
        self.unsourced_on_courses = frozenset(str(a) for a in vocab.get("unsourced_on_courses") or [])
        """The aspects no course record answers (`unsourced_on_courses`): their lines open a course's
        card too."""
        self.unsourced_unless = {
            str(aspect): frozenset(str(c) for c in names or [])
            for aspect, names in (vocab.get("unsourced_unless") or {}).items()
        }
        """Aspect → the concepts that keep its line off (`unsourced_unless`): an employer reading a
        candidate's LinkedIn profile asks nothing about adding a certificate to LinkedIn."""
        self.unsourced_on_checks = frozenset(str(a) for a in vocab.get("unsourced_on_checks") or [])
        """The aspects a compliance check cannot work out (`unsourced_on_checks`: credits in CFU):
        their lines open the check too."""
        self.steering = {
            str(rule): SteerRule(
                rule=str(rule),
                to=str(to[0]),
                from_=frozenset(str(i) for i in steer["steer_from"].get(rule) or []),
                unless=frozenset(str(c) for c in steer["steer_unless"].get(rule) or []),
                when=frozenset(str(c) for c in steer["steer_when"].get(rule) or []),
                two_of=frozenset(str(c) for c in steer["steer_when_two"].get(rule) or []),
                polar=str(rule) in polar_rules,
            )
            for rule, to in steer["steer_to"].items()
            if to
        }
        self.platform_partners: dict[str, str] = {}
        """The course vocabulary's platforms ("FUN") → the partner concept their names name ("fun mooc"
        names partner-fun); a platform whose names name none, or two, is left out."""
        for platform, forms in (vocab.get("platforms") or {}).items():
            partners: set[str] = set()
            for form in forms or []:
                partners |= self.concepts(str(form)) & self.partners
            if len(partners) == 1:
                self.platform_partners[str(platform)] = partners.pop()
        names = "|".join(re.escape(p) for p in sorted(self.platform_partners, key=len, reverse=True))
        if names:
            self.platform_written = re.compile(rf"(?<!\w)(?:{names})(?!\w)")
            """The vocabulary's platform names as it writes them, case and all ("FUN", not "fun")."""

    @property
    def digest(self) -> str:
        """A short hash of the data (part of the matcher cache key: concepts are features)."""
        raw = json.dumps(self._data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()[:16]

    def concepts(self, text: str) -> set[str]:
        """The concept ids named in `text`, and the partner platforms whose name it writes as the
        course vocabulary does ("FUN" in capitals names FUN; "fun" alone is an English word). A text
        already normalised has lost its capitals (`concepts_of_normalized`, the trainer's phrasings):
        only a question read as typed names a platform so."""
        found = set(self._named(normalize(text)))
        if self.platform_written is not None:
            found.update(self.platform_partners[name] for name in self.platform_written.findall(text))
        return found

    def concepts_of_normalized(self, norm: str) -> frozenset[str]:
        """The concept ids named in a text already passed through `normalize`."""
        return self._named(norm)

    @lru_cache(maxsize=2048)  # noqa: B019 - one layer per knowledge base, kept as long as it
    def _named(self, norm: str) -> frozenset[str]:
        spans = _spans(self._concepts, norm.split())
        return frozenset(span[2] for span in spans if not self._cut_by_later_partner(span, spans))

    def _cut_by_later_partner(self, span: tuple[int, int, str], spans: list[tuple[int, int, str]]) -> bool:
        """Whether a partner's naming ends inside another partner's that starts later: the platform
        named is the later one ("microcredentials at FUN" names FUN, not microcredentials.at)."""
        start, end, label = span
        return label in self.partners and any(
            other in self.partners and other != label and start < b < end for b, _, other in spans
        )

    def core(self, text: str) -> str:
        """`text` without its small-talk clauses (and small-talk words at either end of a clause).

        Gives "" when the whole message is small talk ("hi, thanks!")."""
        kept = []
        changed = False
        for clause in _CLAUSE.split(text):
            words = normalize(clause).split()
            if not words:
                continue
            covered = [False] * len(words)
            for start, end, _ in _spans(self._small_talk, words):
                for k in range(start, end):
                    covered[k] = True
            if all(covered):
                changed = True
                continue
            lo, hi = 0, len(words)
            while lo < hi and covered[lo]:
                lo += 1
            while hi > lo and covered[hi - 1]:
                hi -= 1
            if lo == 0 and hi == len(words):
                kept.append(clause.strip())
            else:
                changed = True
                kept.append(" ".join(words[lo:hi]))
        return " ".join(kept).strip() if changed else text.strip()

    def without(self, text: str, concept_ids: Iterable[str]) -> str:
        """`text` normalised, without the words that name any of `concept_ids`."""
        words = normalize(text).split()
        drop = set(concept_ids)
        covered = [False] * len(words)
        for start, end, label in _spans(self._concepts, words):
            if label in drop:
                for k in range(start, end):
                    covered[k] = True
        return " ".join(w for w, c in zip(words, covered, strict=True) if not c)

    def naming(self, text: str, concept_ids: Iterable[str]) -> list[str]:
        """The words of `text` (normalised) that name any of `concept_ids`, one string a naming, in
        order and without repeats ("… on iMooX and on FUN" → ["imoox", "fun"])."""
        words = normalize(text).split()
        wanted = set(concept_ids)
        spans = _spans(self._concepts, words)
        return list(dict.fromkeys(" ".join(words[a:b]) for a, b, label in spans if label in wanted))

    def named_in_order(self, text: str, concept_ids: Iterable[str]) -> list[str]:
        """The ones of `concept_ids` that `text` names, in the order it first names them."""
        norm = normalize(text)
        wanted = set(concept_ids) & self._named(norm)  # (a naming cut by a later partner's is left out)
        spans = sorted(_spans(self._concepts, norm.split()))
        return list(dict.fromkeys(label for _, _, label in spans if label in wanted))

    def guard(self, text: str, found: set[str] | None = None) -> str | None:
        """The id of the first guard rule all of whose concepts occur in `text` and none of its
        `guard_unless` concepts, else None."""
        found = self.concepts(text) if found is None else found
        for rule, needed in self.guards.items():
            if needed and needed <= found and not found & self.guard_unless.get(rule, frozenset()):
                return rule
        return None

    def is_polar(self, text: str) -> bool:
        """Whether a clause of `text` opens like a yes/no question ("is it…", "est-ce que…", "kann ich…")."""
        return any(True for _ in self._polar_clauses(text))

    def polar_naming(self, text: str, wanted: Iterable[str]) -> bool:
        """Whether a clause of `text` opens like a yes/no question and names one of the `wanted`
        concepts ("…, est ce que ca compte comme une microcredential cmf ?")."""
        wanted = set(wanted)
        return any(self._named(" ".join(words)) & wanted for words in self._polar_clauses(text))

    def _polar_clauses(self, text: str) -> Iterator[list[str]]:
        """The normalised words of each clause of `text` that opens like a yes/no question, or that
        has an inverted verb among its first `INVERTED_REACH` words ("le mooc … respecte t il le cmf")."""
        for clause in _CLAUSE.split(_ASIDE.sub(" ", text)):
            words = normalize(clause).split()
            if words and (
                any(start == 0 for start, _, _ in _spans(self._polar, words[:4]))
                or any(True for _ in _spans(self._polar_inverted, words[:INVERTED_REACH]))
            ):
                yield words

    def cued_rule(self, text: str, found: set[str], to: str) -> SteerRule | None:
        """The steering rule leading to `to` that `text` cues (one of its `steer_cues`, none of its
        `steer_unless` concepts), whatever the matcher ranked first: its lead (`STEER_LEAD`) opens
        the answer when the matcher already chose that intent."""
        rules = [r for r in self.steering.values() if r.to == to and self._admits(r, found)]
        if not rules:  # most answers: no rule leads to them, and the cues are not looked for
            return None
        cued = {label for _, _, label in _spans(self._steer_cues, normalize(text).split())}
        return next((r for r in rules if r.rule in cued and self._asked_as_rule_needs(r, text)), None)

    def alternatives_cued(self, text: str) -> tuple[SteerRule, SteerRule] | None:
        """The first two steering rules `text` cues, in the order it names them, that are
        alternatives of one family (the same `steer_from` intents, different `steer_to`): "la
        différence entre EQF 5 et EQF 6" cues `level-5-named` and `level-6-named`. None otherwise."""
        spans = sorted(_spans(self._steer_cues, normalize(text).split()))
        labels = list(dict.fromkeys(label for _, _, label in spans))
        if len(labels) < 2:  # most messages: no pair to look at
            return None
        found = self.concepts(text)
        rules = [r for r in (self.steering[label] for label in labels) if self._admits(r, found)]
        for i, first in enumerate(rules):
            for second in rules[i + 1 :]:
                if first.from_ == second.from_ and first.to != second.to:
                    return first, second
        return None

    def steer_rule(self, text: str, found: set[str], best: str) -> SteerRule | None:
        """The steering rule that applies to `text` when the matcher ranked `best` first: a rule applies
        when `best` is one of its `steer_from` intents, one of its `steer_cues` occurs or one of its
        `steer_when` concepts is in `found`, and none of its `steer_unless` concepts is; of several,
        the first in `steer_to` order ("is EQF 5 admitted?" is `level-admitted`, not `level-5-named`).
        A rule with `steer_when_two` concepts applies only to a question naming two of them at least."""
        rules = [r for r in self.steering.values() if best in r.from_ and self._admits(r, found)]
        if not rules:
            return None
        cued = {label for _, _, label in _spans(self._steer_cues, normalize(text).split())}
        cued |= {r.rule for r in rules if found & r.when}
        return next((r for r in rules if r.rule in cued and self._asked_as_rule_needs(r, text)), None)

    def facets_asked(self, text: str) -> list[str]:
        """The course record fields `text` asks about (`course_facets`), in the data's order."""
        found = self.concepts(text)
        return [field_ for field_, names in self.course_facets.items() if found & names]

    def unsourced(self, text: str) -> list[str]:
        """The aspects (`unsourced`) `text` names that the sources do not cover, in the order the
        text names them first ("student discount", "on linkedin"), but none whose `unsourced_unless`
        concepts it names."""
        spans = sorted(_spans(self._unsourced, normalize(text).split()))
        aspects = list(dict.fromkeys(label for _, _, label in spans))
        if any(a in self.unsourced_unless for a in aspects):
            found = self.concepts(text)
            aspects = [a for a in aspects if not found & self.unsourced_unless.get(a, frozenset())]
        return aspects

    def _asked_as_rule_needs(self, rule: SteerRule, text: str) -> bool:
        """Whether `text` is a yes/no question when `rule` steers only those (`SteerRule.polar`)."""
        return not rule.polar or self.is_polar(text)

    def _admits(self, rule: SteerRule, found: set[str]) -> bool:
        """Whether a question naming `found` may be steered by `rule`: none of its `unless` concepts,
        and two of its `two_of` concepts when it has any."""
        return not found & rule.unless and (not rule.two_of or len(found & rule.two_of) >= 2)

    def features(self, text: str) -> list[str]:
        """Concept features of `text` for the matcher ("concept:<id>")."""
        return sorted(f"concept:{c}" for c in self.concepts(text))

    def features_normalized(self) -> Callable[[str], list[str]]:
        """An annotator giving the `features` of texts already passed through `normalize`, for many
        texts (the sparse trainer normalises each of its texts once; `ConceptAnnotator.normalized`).
        It remembers which words start no concept in a table of its own, let go with it."""
        trie = self._concepts
        starts: dict[str, Sequence[_Trie]] = {}

        def features(norm: str) -> list[str]:
            return sorted({f"concept:{label}" for _, _, label in _spans(trie, norm.split(), starts)})

        return features


@dataclass(frozen=True, eq=False)
class ConceptAnnotator:
    """The concept layer as the matcher's annotator (what the snapshot trains with): called with a
    text, its `features`; `normalized()`, a new annotator of texts already normalised
    (`features_normalized`), which the snapshot gives the sparse trainer explicitly."""

    layer: ConceptLayer

    def __call__(self, text: str) -> list[str]:
        return self.layer.features(text)

    def normalized(self) -> Callable[[str], list[str]]:
        """A new annotator of normalised texts (`ConceptLayer.features_normalized`)."""
        return self.layer.features_normalized()


__all__ = ["ConceptAnnotator", "ConceptLayer", "SteerRule"]
