"""The compliance check: a course's facts against the `rule`s of the universities' CMF checklist.

Every figure comes from the rules in the knowledge base (knowledge/README.md, "Compliance rules");
nothing about the CMF is written here. Each leaf rule gives `met`, `not_met` or `unknown` (its fact
was not given, or `settles: false`: the sources neither admit nor exclude the value) with a reason
built from templates in knowledge/ui/messages.yaml; `any_of`/`all_of` combine them with three-valued
logic. An item whose rule `informs` (the ECTS read as hours) gets status `info` and never counts
towards the verdict. `parse_facts` reads the facts from a free-text question in the bot's languages
(their `compliance` word lists, knowledge/languages.json).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.engine.languages import languages, union
from bot.engine.model import Entry, pick
from bot.engine.normalize import normalize

Verdict = Literal["met", "not_met", "unknown"]
Status = Literal["met", "not_met", "unknown", "info"]
"""An item's status: a verdict, or `info` for an item whose rule informs and never decides."""

UNIVERSITIES_CHECKLIST = "cmf-requirements-universities"
"""The knowledge entry whose checklist items carry the rules."""

FACTS: tuple[str, ...] = (
    "study_hours",
    "eqf_level",
    "ects",
    "uk_credits",
    "us_credits",
    "assessment",
    "awards_credit",
    "id_verification",
    "transcript",
)
ASSESSMENTS: tuple[str, ...] = (
    "proctored-exam",
    "supervised-exam",
    "online-exam",
    "final-exam",
    "assignment",
    "peer-review",
    "quiz",
    "none",
)
TRANSCRIPT_ITEMS: tuple[str, ...] = ("learning-outcomes", "study-hours", "eqf-level", "credits")

StringFn = Callable[..., str]
"""`strings(key, lang, **values)`: a UI string in `lang` with placeholders filled."""


class FactError(ValueError):
    """A fact has a value of the wrong kind (e.g. EQF level 12, an unknown assessment)."""


@dataclass
class ItemResult:
    id: str
    text: str
    """The requirement, in the asked language."""
    status: Status
    reason: str


@dataclass
class ComplianceReport:
    items: list[ItemResult]

    @property
    def deciding(self) -> list[ItemResult]:
        """The items that count towards the verdict (every item whose rule does not only inform)."""
        return [i for i in self.items if i.status != "info"]

    @property
    def verdict(self) -> Verdict:
        """not_met if any deciding item is not met, met if all are met, else unknown."""
        statuses = {i.status for i in self.deciding}
        if "not_met" in statuses:
            return "not_met"
        if statuses == {"met"}:
            return "met"
        return "unknown"

    def count(self, status: Status) -> int:
        return sum(1 for i in self.items if i.status == status)


# ---------------------------------------------------------------------------------------------
# Validating facts


def validate_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Facts with known names and well-formed values; `None` values are dropped (= not given)."""
    clean: dict[str, Any] = {}
    for name, value in facts.items():
        if value is None:
            continue
        if name not in FACTS:
            raise FactError(f"unknown fact {name!r} (known: {', '.join(FACTS)})")
        if name in ("study_hours", "ects", "uk_credits", "us_credits"):
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise FactError(f"{name} must be a number ≥ 0, got {value!r}")
        elif name == "eqf_level":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
                raise FactError(f"eqf_level must be a whole number from 1 to 8, got {value!r}")
        elif name == "assessment":
            if value not in ASSESSMENTS:
                raise FactError(f"assessment must be one of {', '.join(ASSESSMENTS)}, got {value!r}")
        elif name in ("awards_credit", "id_verification"):
            if not isinstance(value, bool):
                raise FactError(f"{name} must be true or false, got {value!r}")
        elif name == "transcript":
            if isinstance(value, str) or not all(v in TRANSCRIPT_ITEMS for v in value):
                raise FactError(
                    f"transcript must list items among {', '.join(TRANSCRIPT_ITEMS)}, got {value!r}"
                )
            value = [v for v in TRANSCRIPT_ITEMS if v in value]
        clean[name] = value
    return clean


# ---------------------------------------------------------------------------------------------
# Evaluating rules


class _Evaluator:
    def __init__(
        self,
        facts: Mapping[str, Any],
        lang: str,
        strings: StringFn,
        hours_per_credit: tuple[float, float] | None = None,
        named: frozenset[str] = frozenset(),
        described: bool = False,
    ) -> None:
        self.facts = facts
        self.named = named
        self.described = described
        self.lang = lang
        self.s = strings
        self.hours_per_credit = hours_per_credit
        """The hours per ECTS credit of the checklist's rule that reads ECTS as hours, if it has one."""

    def label(self, fact: str) -> str:
        return self.s(f"fact.{fact}", self.lang)

    def show(self, fact: str, value: Any) -> str:
        """A fact value as the user reads it, in their language."""
        if isinstance(value, bool):
            return self.s("word.yes" if value else "word.no", self.lang)
        if isinstance(value, list | tuple):
            return ", ".join(self.show(fact, v) for v in value) or self.s("word.nothing", self.lang)
        if isinstance(value, float):
            return _number(value)
        if fact == "assessment" and isinstance(value, str):
            return self.s(f"assessment.{value}", self.lang)
        if fact == "transcript" and isinstance(value, str):
            return self.s(f"transcript.{value}", self.lang)
        return str(value)

    def note(self, rule: Mapping[str, Any]) -> str:
        note = rule.get("note")
        return pick(note, self.lang) if isinstance(note, dict) else ""

    def evaluate(self, rule: Mapping[str, Any]) -> tuple[Verdict, str]:
        if "any_of" in rule:
            return self._any_of(rule)
        if "all_of" in rule:
            return self._all_of(rule)
        return self._leaf(rule)

    def _any_of(self, rule: Mapping[str, Any]) -> tuple[Verdict, str]:
        results = [self.evaluate(r) for r in rule["any_of"]]
        note_text = self.note(rule)
        met = [reason for status, reason in results if status == "met"]
        if met:
            # the first alternative is the main wording; a later one is admitted only by the note's source
            first_met = results[0][0] == "met"
            reason = met[0] if first_met or not note_text else f"{met[0]} {note_text}"
            return "met", reason
        if any(s == "unknown" for s, _ in results):
            # what is open matters, not the alternatives that are plainly not met
            reason = " ".join(dict.fromkeys(r for s, r in results if s == "unknown"))
            return "unknown", f"{reason} {note_text}" if note_text else reason
        reason = f" {self.s('compliance.joiner.or', self.lang)} ".join(r for _, r in results)
        return "not_met", f"{reason} {note_text}" if note_text else reason

    def _all_of(self, rule: Mapping[str, Any]) -> tuple[Verdict, str]:
        results = [self.evaluate(r) for r in rule["all_of"]]
        statuses = [s for s, _ in results]
        joiner = f" {self.s('compliance.joiner.and', self.lang)} "
        if "not_met" in statuses:
            return "not_met", joiner.join(r for s, r in results if s == "not_met")
        if "unknown" in statuses:
            return "unknown", joiner.join(r for s, r in results if s != "met")
        return "met", joiner.join(r for _, r in results)

    def _leaf(self, rule: Mapping[str, Any]) -> tuple[Verdict, str]:
        fact = rule.get("fact")
        if not isinstance(fact, str):
            return "unknown", self.s("compliance.reason.bad_rule", self.lang)
        label = self.label(fact)
        if fact not in self.facts:
            from_credits = self._hours_from_credits(rule, fact, label) or self._credit_from_ects(
                rule, fact, label
            )
            if from_credits is not None:
                return from_credits
            given = "named_unread" if fact in self.named else "not_given"
            return "unknown", self.s(f"compliance.reason.{given}", self.lang, fact=label)
        status, reason = self._test(rule, fact, label, self.facts[fact])
        if status == "met" and rule.get("settles") is False:
            # a value the sources neither admit nor exclude: the item stays open, and the note says why
            unsettled = self.s(
                "compliance.reason.unsettled", self.lang, fact=label, value=self.show(fact, self.facts[fact])
            )
            note_text = self.note(rule)
            return "unknown", f"{unsettled} {note_text}" if note_text else unsettled
        return status, reason

    def _credit_from_ects(self, rule: Mapping[str, Any], fact: str, label: str) -> tuple[Verdict, str] | None:
        """A rule asking that the assessment award credit, when the course states the ECTS it carries
        (or a transcript listing the credits earned) and its assessment but not whether passing
        awards them: read as yes, and said to be read so ("5 ECTS / 125 hours, proctored online
        exam …" carries its 5 ECTS to whoever passes), in a course described in words. None
        otherwise: ECTS alone, with no assessment, are a workload and settle nothing."""
        credits = self.facts.get("ects")
        if not self.described or fact != "awards_credit" or rule.get("equals") is not True:
            return None
        if "assessment" not in self.facts:
            return None
        if isinstance(credits, int | float) and not isinstance(credits, bool) and credits > 0:
            return "met", self.s(
                "compliance.reason.credit_from_ects", self.lang, fact=label, ects=_number(credits)
            )
        if "credits" in self.facts.get("transcript", ()):
            # "we issue a transcript with … credits": the credits earned are on the record
            return "met", self.s("compliance.reason.credit_from_transcript", self.lang, fact=label)
        return None

    def _hours_from_credits(
        self, rule: Mapping[str, Any], fact: str, label: str
    ) -> tuple[Verdict, str] | None:
        """A rule on study hours when only the ECTS are given, read as hours at the checklist's hours
        per credit: settled only when every reading agrees ("2 ECTS" is 50–60 h, below the CMF's 100
        whatever the rate; "6 ECTS", 150–180 h, is not settled by 100–150). None otherwise."""
        credits = self.facts.get("ects")
        if fact != "study_hours" or self.hours_per_credit is None or not isinstance(credits, int | float):
            return None
        if "min" not in rule and "max" not in rule:
            return None
        low_rate, high_rate = self.hours_per_credit
        low, high = _round(credits * low_rate), _round(credits * high_rate)
        shown = f"≈ {figure_span(low, high)} h ({_number(credits)} ECTS)"
        least, most = rule.get("min"), rule.get("max")
        if least is not None and high < least:
            return self._range(rule, fact, label, high, shown)
        if most is not None and low > most:
            return self._range(rule, fact, label, low, shown)
        if (least is None or low >= least) and (most is None or high <= most):
            return self._range(rule, fact, label, low, shown)
        return None

    def _test(self, rule: Mapping[str, Any], fact: str, label: str, value: Any) -> tuple[Verdict, str]:
        shown = self.show(fact, value)
        if "min" in rule or "max" in rule:
            return self._range(rule, fact, label, value, shown)
        if "one_of" in rule:
            allowed = list(rule["one_of"])
            values = self.show(fact, allowed)
            key = "one_of_met" if value in allowed else "one_of_not_met"
            return _status(value in allowed), self.s(
                f"compliance.reason.{key}", self.lang, fact=label, value=shown, values=values
            )
        if "equals" in rule:
            expected = rule["equals"]
            ok = value == expected
            key = "equals_met" if ok else "equals_not_met"
            return _status(ok), self.s(
                f"compliance.reason.{key}",
                self.lang,
                fact=label,
                value=shown,
                expected=self.show(fact, expected),
            )
        if "includes" in rule:
            required = list(rule["includes"])
            have = value if isinstance(value, list | tuple) else [value]
            missing = [v for v in required if v not in have]
            if missing:
                return "not_met", self.s(
                    "compliance.reason.includes_not_met",
                    self.lang,
                    fact=label,
                    missing=self.show(fact, missing),
                    values=self.show(fact, required),
                )
            return "met", self.s(
                "compliance.reason.includes_met", self.lang, fact=label, values=self.show(fact, required)
            )
        return "unknown", self.s("compliance.reason.bad_rule", self.lang)

    def _range(
        self, rule: Mapping[str, Any], fact: str, label: str, value: Any, shown: str
    ) -> tuple[Verdict, str]:
        low, high = rule.get("min"), rule.get("max")
        if not isinstance(value, int | float) or isinstance(value, bool):
            return "unknown", self.s("compliance.reason.bad_value", self.lang, fact=label, value=shown)
        values = {"fact": label, "value": shown, "min": self.show(fact, low), "max": self.show(fact, high)}
        if low is not None and value < low:
            return "not_met", self.s("compliance.reason.below_min", self.lang, **values)
        if high is not None and value > high:
            return "not_met", self.s("compliance.reason.above_max", self.lang, **values)
        if low is not None and high is not None:
            key = "in_range"
        elif low is not None:
            key = "at_least"
        else:
            key = "at_most"
        return "met", self.s(f"compliance.reason.{key}", self.lang, **values)

    def inform(self, rule: Mapping[str, Any]) -> str:
        """The text of a rule that informs and never decides (`informs: true`)."""
        if "hours_per_credit" in rule:
            return self._hours_per_credit(rule)
        return self.evaluate({k: v for k, v in rule.items() if k != "informs"})[1]

    def _hours_per_credit(self, rule: Mapping[str, Any]) -> str:
        """ECTS read as hours at the rule's hours per credit, set beside the study hours given; UK
        and US credits set beside the rule's ranges of them (`other_credits`)."""
        others = _other_credits_said(rule, self.facts, self.lang, self.s)
        if others and self.facts.get("ects") is None:
            return " ".join(others)
        line = self._ects_as_hours(rule)
        return " ".join([line, *others])

    def _ects_as_hours(self, rule: Mapping[str, Any]) -> str:
        """ECTS read as hours at the rule's hours per credit, set beside the study hours given."""
        rate = rule["hours_per_credit"]
        low_rate, high_rate = rate.get("min"), rate.get("max")
        credits = self.facts.get("ects")
        if credits is None or low_rate is None or high_rate is None:
            if credits is None:
                return self.s("compliance.reason.not_given", self.lang, fact=self.label("ects"))
            return self.s("compliance.reason.bad_rule", self.lang)
        low, high = credits * low_rate, credits * high_rate
        values = {
            "ects": _number(credits),
            "low": _number(_round(low)),
            "high": _number(_round(high)),
            "min": _number(low_rate),
            "max": _number(high_rate),
        }
        hours = self.facts.get("study_hours")
        if hours is None:
            return self.s("compliance.reason.ects_hours_alone", self.lang, **values)
        key = "ects_hours_consistent" if low <= hours <= high else "ects_hours_inconsistent"
        return self.s(f"compliance.reason.{key}", self.lang, hours=_number(hours), **values)


def _status(ok: bool) -> Verdict:
    return "met" if ok else "not_met"


def _round(value: float) -> float:
    """Half up, to whole hours (87.5 -> 88), as people round."""
    return float(math.floor(value + 0.5))


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def evaluate_rule(
    rule: Mapping[str, Any], facts: Mapping[str, Any], lang: str, strings: StringFn
) -> tuple[Verdict, str]:
    """One rule against the facts: (status, reason in `lang`)."""
    return _Evaluator(facts, lang, strings).evaluate(rule)


def check(
    entry: Entry,
    facts: Mapping[str, Any],
    lang: str,
    strings: StringFn,
    named: Collection[str] = (),
    *,
    described: bool = False,
) -> ComplianceReport:
    """Every checklist item of `entry` against `facts` (validated with `validate_facts` first).

    An item whose rule `informs` is shown with status `info` and never counts towards the verdict.
    A fact in `named` (`named_facts`: the question names it, not its value) is said to be named,
    not "not given". `described`: the facts were read from a course described in words, where the
    ECTS a course carries with its assessment are read as credit awarded (said so in the reason);
    a form or the command line asks that fact itself, and leaves it open when not given.
    """
    clean = validate_facts(facts)
    evaluator = _Evaluator(clean, lang, strings, hours_per_credit(entry), frozenset(named), described)
    items: list[ItemResult] = []
    for item in entry.checklist:
        text = pick(item.text, lang)
        status: Status
        if item.rule and item.rule.get("informs"):
            status, reason = "info", evaluator.inform(item.rule)
        elif item.rule:
            status, reason = evaluator.evaluate(item.rule)
        else:
            status, reason = "unknown", strings("compliance.reason.no_rule", lang)
        items.append(ItemResult(item.id, text, status, reason))
    return ComplianceReport(items)


def hours_per_credit(entry: Entry) -> tuple[float, float] | None:
    """The least and most hours per ECTS credit of `entry`'s rule that reads ECTS as hours
    (`hours_per_credit`: the CMF checklist's 25–30), or None when it has none."""
    rate = next(
        (i.rule["hours_per_credit"] for i in entry.checklist if i.rule and "hours_per_credit" in i.rule), None
    )
    if not rate or rate.get("min") is None or rate.get("max") is None:
        return None
    return float(rate["min"]), float(rate["max"])


def other_credits_said(entry: Entry, facts: Mapping[str, Any], lang: str, strings: StringFn) -> list[str]:
    """For each of UK and US credits in `facts`, the line saying whether they are within the range
    that `entry`'s rule reading ECTS as hours sets for them (`other_credits`: FutureLearn's 10–15 UK
    credits), as the checklist's credits line says it (`compliance.reason.other_credits_*`)."""
    rule = next((i.rule for i in entry.checklist if i.rule and "hours_per_credit" in i.rule), None)
    return _other_credits_said(rule or {}, facts, lang, strings)


def _other_credits_said(
    rule: Mapping[str, Any], facts: Mapping[str, Any], lang: str, strings: StringFn
) -> list[str]:
    lines = []
    ranges = rule.get("other_credits") or {}
    ects = ranges.get("ects") or {}
    for system, bounds in ranges.items():
        credits = facts.get(f"{system}_credits")
        if system == "ects" or credits is None or bounds.get("min") is None or bounds.get("max") is None:
            continue
        low, high = bounds["min"], bounds["max"]
        key = "other_credits_within" if low <= credits <= high else "other_credits_outside"
        values = {"credits": _number(credits), "min": _number(low), "max": _number(high)}
        if key == "other_credits_within" and ects.get("min") is not None and ects.get("max") is not None:
            # "15 UK credits": the top of FutureLearn's 10–15, set beside 4–6 ECTS, reads as 6 ECTS
            share = (credits - low) / (high - low) if high > low else 1.0
            on_scale = round(ects["min"] + share * (ects["max"] - ects["min"]), 1)
            values |= {"ects_min": _number(ects["min"]), "ects_max": _number(ects["max"])}
            figure = _number(float(on_scale))
            values |= {"ects": figure if lang == "en" else figure.replace(".", ",")}  # "4,8 ECTS"
            key = "other_credits_on_scale"
        label = strings(f"fact.{system}_credits", lang)
        lines.append(strings(f"compliance.reason.{key}", lang, fact=label, **values))
    return lines


def credit_hours(entry: Entry, facts: Mapping[str, Any]) -> dict[str, str] | None:
    """The ECTS stated in `facts` worked out as hours, or the hours as ECTS, at the hours per ECTS
    credit of `entry`'s rule that reads ECTS as hours (`hours_per_credit`): the values of the
    `answer.ects_in_hours` / `answer.hours_in_ects` strings, with "kind" naming which, and where those
    hours fall against the entry's study-hours rule (`against_study_hours`). None when the facts
    state neither figure, or both (nothing to work out), or the entry has no such rule."""
    rate = hours_per_credit(entry)
    if rate is None:
        return None
    low_rate, high_rate = rate
    credits, hours = facts.get("ects"), facts.get("study_hours")
    rates = {"min": _number(_whole(low_rate)), "max": _number(_whole(high_rate))}
    if credits is not None and hours is None:
        low, high = _round(credits * low_rate), _round(credits * high_rate)
        span = {"low": _number(low), "high": _number(high)}
        return (
            rates
            | {"kind": "ects_in_hours", "ects": _number(credits)}
            | span
            | against_study_hours(entry, low, high)
        )
    if hours is not None and credits is None and low_rate > 0:
        low, high = round(hours / high_rate, 1), round(hours / low_rate, 1)
        span = {"low": _number(low), "high": _number(high)}
        against = against_study_hours(entry, float(hours), float(hours))
        return rates | {"kind": "hours_in_ects", "hours": _number(hours)} | span | against
    return None  # neither figure stated, or both: nothing to work out


def _study_hours_range(entry: Entry) -> tuple[float, float] | None:
    """The least and most study hours of `entry`'s rule on `study_hours` (the CMF's 100–150), or None
    when it has no such rule with both ends."""
    rule = next((i.rule for i in entry.checklist if i.rule and i.rule.get("fact") == "study_hours"), None)
    if not rule or rule.get("min") is None or rule.get("max") is None:
        return None
    return float(rule["min"]), float(rule["max"])


def against_study_hours(entry: Entry, low: float, high: float) -> dict[str, str]:
    """Where study hours of `low`–`high` fall against `entry`'s rule on `study_hours` (the CMF's
    100–150): "against" is "below" (all of them under its minimum), "above" (all over its maximum) or
    "within" (all inside), the key suffix of an `answer.study_hours_*` string, with the rule's
    "least" and "most"; empty when they fall partly inside, or `entry` has no such rule."""
    required = _study_hours_range(entry)
    if required is None:
        return {}
    least, most = required
    if high < least:
        against = "below"
    elif low > most:
        against = "above"
    elif least <= low and high <= most:
        against = "within"
    else:
        return {}
    return {"against": against, "least": _number(_whole(least)), "most": _number(_whole(most))}


def study_pace(
    entry: Entry, text: str, hours_range: tuple[float, float] | None = None
) -> dict[str, str] | None:
    """The weeks, months or weekly hours a question's figures work out to, for the study hours it
    states ("150 hours", "100-150 hours") or else the range of `entry`'s rule on `study_hours`
    (the CMF's 100-150): "8 hours a week" → about 13-19 weeks ("kind": "pace_weeks"); "40 hours a
    month" → about 2.5-3.8 months ("kind": "pace_months"); "a 12-week microcredential" → about
    8.3-12.5 hours a week ("kind": "pace_hours"). The values of the `answer.pace_*` strings; None
    when the question states no pace nor a number of weeks, or both a pace and weeks, or `entry`
    has no study-hours range. `hours_range` (the ECTS the question states, read as hours) replaces the
    entry's range ("6 ECTS … 20 ore al mese": 150–180 hours)."""
    required = hours_range or _study_hours_range(entry)
    if required is None:
        return None
    low = text.casefold()
    per_week, weeks = _study_pace(_HOURS_PER_WEEK, low), _WEEKS.search(low)
    per_month = _study_pace(_HOURS_PER_MONTH, low)
    if per_month and (per_week or weeks):
        return None  # "20 hours a month, and a 10 week course?": two paces, nothing sure to work out
    if (bool(per_week) == bool(weeks) and not per_month) or _weeks_of_hours(low):
        # nothing to work out, or the question already did ("10 weeks at 12 h/week", "3 Wochen à 3 Stunden")
        return None
    pace = per_week or per_month
    first, last = _stated_hours(low, pace) or required
    hours = figure_span(first, last)
    if pace is not None:
        most = _num(pace.group(1))
        before = _PACE_FROM.search(low[: pace.start()])  # "8-10 hrs a week": a pace of 8 to 10
        least = _num(before.group(1)) if before and _num(before.group(1)) < most else most
        if least <= 0:
            return None
        if per_month is not None:
            return {"kind": "pace_months", "hours": hours, "per_month": figure_span(least, most),
                    "months": figure_span(round(first / most, 1), round(last / least, 1))}  # fmt: skip
        return {"kind": "pace_weeks", "hours": hours, "per_week": figure_span(least, most),
                "weeks": figure_span(_round(first / most), _round(last / least))}  # fmt: skip
    count = _num(weeks.group(1)) if weeks is not None else 0.0
    if count <= 0 or first / count > MOST_HOURS_A_WEEK:
        return None  # "compare it with a 1 week workshop": no one studies 100 hours in a week
    return {"kind": "pace_hours", "hours": hours, "weeks": _number(_whole(count)),
            "per_week": figure_span(round(first / count, 1), round(last / count, 1))}  # fmt: skip


MOST_HOURS_A_WEEK = 60
"""A pace above this many hours a week is no study pace: the weeks named belong to something else
("compare it with a 1 week workshop we run in house" is not a microcredential done in one week)."""


def listed_hours(workload: str | None, hours: float | None) -> tuple[float, float] | None:
    """The least and most study hours in all of a catalogue record: its `hours`, else its workload
    text worked out ("6 weeks x 2 hours/week" → 12–12, "8 weeks x 3-4 hours/week" → 24–32), every
    figure it gives counted ("3 weeks x about 3 hours/week …; mooc-list.com gave 4 weeks x 3
    hours/week" → 9–12). None when it states no hours in all nor both weeks and a weekly pace
    ("3 weeks", "self-paced")."""
    if hours is not None:
        return float(hours), float(hours)
    if not workload:
        return None
    low = workload.casefold()
    paces: list[tuple[float, float]] = []
    for pace in _HOURS_PER_WEEK.finditer(low):
        most = _num(pace.group(1))
        before = _PACE_FROM.search(low[: pace.start()])  # "3-4 hours/week"
        least = _num(before.group(1)) if before and _num(before.group(1)) < most else most
        paces.append((least, most))
    weeks = [
        _num(m.group(1)) + (_num(m.group(2)) if m.group(2) else 0.0) for m in _LISTED_WEEKS.finditer(low)
    ]
    if paces and weeks:
        least = min(weeks) * min(p[0] for p in paces)
        most = max(weeks) * max(p[1] for p in paces)
        return (least, most) if least > 0 else None
    if paces:
        return None  # a weekly pace without its weeks
    totals = [_num(m.group(1)) for m in _HOURS.finditer(low)]
    return (min(totals), max(totals)) if totals else None


def _study_pace(pattern: re.Pattern[str], low: str) -> re.Match[str] | None:
    """The first weekly or monthly figure `pattern` finds in `low` that is not one's job ("I'm a nurse,
    working 30h/week": `work_before_hours` up to three words before it)."""
    for found in pattern.finditer(low):
        if not _WORK_BEFORE.search(low[: found.start()]):
            return found
    return None


def _stated_hours(low: str, pace: re.Match[str] | None) -> tuple[float, float] | None:
    """The study hours a question states, as a range (one figure is both ends), leaving out its
    weekly or monthly hours (`pace`); None when it states none."""
    stated = _HOUR_RANGE.search(low)
    paced = pace.span() if pace else (len(low), len(low))
    if stated and (
        (stated.end() > paced[0] and stated.start() < paced[1]) or _WORK_BEFORE.search(low[: stated.start()])
    ):
        stated = None  # "8-10 hrs a week" is the weekly pace, not the hours in all; "I work 35-40 h" a job
    if stated and _num(stated.group(1)) <= _num(stated.group(2)):
        return _num(stated.group(1)), _num(stated.group(2))
    for m in _HOURS.finditer(low):
        if not (pace and m.start() == pace.start()) and not _WORK_BEFORE.search(low[: m.start()]):
            return _num(m.group(1)), _num(m.group(1))
    return None


def figure_span(low: float, high: float) -> str:
    """ "13–19", or "15" when both ends are the same."""
    low_text, high_text = _number(_whole(float(low))), _number(_whole(float(high)))
    return low_text if low_text == high_text else f"{low_text}–{high_text}"


# ---------------------------------------------------------------------------------------------
# Reading facts from a question

_NUMBER = r"(?<![\d.,])(\d{1,3}(?:[.,]\d{3})+(?![.,]?\d)|\d{1,5}(?:[.,]\d+)?)"
"""A number with a left boundary ("10120 hours" is not 120): "1,000" and "1.000" are thousands."""

# The words come from each language's `compliance` lists in knowledge/languages.json, all languages
# together (a question may mix them), matched on `normalize`d text (lower case, no accents,
# punctuation as spaces) except the hours, weeks and ECTS, read on the case-folded text. The
# `assessments`, `credit_phrases` and `transcript_items` lists are plain phrases (matched between
# spaces); every other list holds regular expressions, joined as alternatives.


def _any(name: str) -> str:
    """The regular expressions of list `name`, all languages, as one alternation (one that never
    matches when no language has any, rather than one that matches the empty string)."""
    return "|".join(union("compliance", name)) or "(?!)"


def _phrases(name: str) -> tuple[str, ...]:
    """The plain phrases of list `name`, all languages."""
    return tuple(union("compliance", name))


def _keyed(name: str, key: str) -> list[str]:
    """Entry `key` of the mapping `name` (e.g. `assessments`), all languages."""
    out: dict[str, None] = {}
    for lang in languages():
        for item in (lang.compliance.get(name) or {}).get(key) or ():
            out.setdefault(item, None)
    return list(out)


_HOUR_WORDS = f"(?:{_any('hour_units')})"
_PER_WEEK = rf"(?:\s*(?:/|{_any('per')})\s*(?:{_any('week')})|\s+(?:{_any('weekly')}))"
_HOURS_PER_WEEK = re.compile(_NUMBER + r"\s*-?\s*" + _HOUR_WORDS + _PER_WEEK)
_PER_MONTH = rf"(?:\s*(?:/|{_any('per')})\s*(?:{_any('month')})\b|\s+(?:{_any('monthly')})\b)"
_HOURS_PER_MONTH = re.compile(_NUMBER + r"\s*-?\s*" + _HOUR_WORDS + _PER_MONTH)
"""A monthly pace: "40 hours a month", "40 horas al mes", "40 Stunden im Monat"."""
_HOURS_AND_MINUTES_PER_WEEK = re.compile(r"(?<![\d.,])(\d{1,2})\s*h\s*([0-5]\d)(?=" + _PER_WEEK + ")")
"""A weekly pace in hours and minutes ("3h30 par semaine"), read as hours ("3.5h par semaine"); a
time of day ("examen à 14h30") is no pace and left alone."""
_HOURS_PER_CREDIT = re.compile(
    _NUMBER
    + r"\s*-?\s*"
    + _HOUR_WORDS
    + rf"\s*(?:/|{_any('per')}|per)\s*(?:{_any('ects_units')}|{_any('credit_words')}|ects|cfu)\b"
)
"""Hours each credit stands for ("30 stunden pro ects", "25 h per ECTS"): a rate, not the study hours."""
_CREDITS_AT_HOURS = re.compile(
    rf"(?:{_any('ects_units')}|cfu)(?:\s*[x×@]|\s+(?:{_any('credit_at')})(?=\s))\s*"
    + _NUMBER
    + r"\s*-?\s*"
    + _HOUR_WORDS
    + r"\b"
)
"""Credits "at" so many hours each (`credit_at`: "5 ECTS à 25h", "5 ECTS zu je 25 Stunden", "6 CFU da 25
ore"): a rate when the hours are a credit's (`CREDIT_RATE_BOUNDS`), never "5 ECTS x 125h"."""
CREDIT_RATE_BOUNDS = (10.0, 40.0)
"""The hours one credit can stand for, for `_CREDITS_AT_HOURS` to read a rate (ECTS is 25–30)."""


def _credit_rate(low: str, norm: str) -> float | None:
    """The hours per credit a text states ("30 stunden pro ects", "5 ECTS à 25h"), or None."""
    stated = _HOURS_PER_CREDIT.search(low) or _HOURS_PER_CREDIT.search(norm)
    if stated:
        return _num(stated.group(1))
    at = _CREDITS_AT_HOURS.search(low)
    if at and CREDIT_RATE_BOUNDS[0] <= _num(at.group(1)) <= CREDIT_RATE_BOUNDS[1]:
        return _num(at.group(1))
    return None


_WEEKS = re.compile(_NUMBER + rf"\s*-?\s*(?:{_any('week_units')})\b")
_LISTED_WEEKS = re.compile(_NUMBER + r"(?:\s*\+\s*" + _NUMBER + rf")?\s*-?\s*(?:{_any('week_units')})\b")
"""A record's weeks, an added week counted ("6+1 weeks": 7)."""
_HOURS = re.compile(_NUMBER + r"\s*-?\s*" + _HOUR_WORDS + rf"\b(?![\s-]*(?:{_any('not_study_hours')})\b)")
"""A number of hours ("120 hours", "80h"), not one of work ("12h shifts": `not_study_hours`)."""
_WORK_BEFORE = re.compile(rf"(?<!\w)(?:{_any('work_before_hours')})\W+(?:\w+\W+){{0,3}}$")
"""One's job right before a figure ("working 30h/week", "je travaille 35h"): work hours, no study pace."""
_WEEKS_OF_HOURS = re.compile(
    # "10 weeks at 12 hours", "3 Wochen à 3 Stunden": the hours are each week's
    _NUMBER
    + rf"\s*-?\s*(?:{_any('week_units')})\s+(?:{_any('weeks_of')})\s+"
    + rf"(?:(?:{_any('approximately')})\s+)?"  # "12 Wochen à ca. 10 Stunden"
    + _NUMBER
    + r"\s*-?\s*"
    + _HOUR_WORDS
    + r"\b"
)


_ADDED_HOURS = re.compile(
    # "plus an exam week of 10 hours", "+10h", "und noch 10 Stunden"; never "plus de 10 heures",
    # "más de", "più di" (more than)
    rf"(?<!\w)(?:{_any('added_hours')})(?:(?<=\+)|(?!\w))\s*"
    + r"(?!(?:de|di|del|della|d|than|que|als)\b)(?:[\w'’]+\s+){0,5}?"
    + _NUMBER
    + r"\s*-?\s*"
    + _HOUR_WORDS
    + r"\b"
)
"""Hours added to the rest ("12 weeks at 8 hours plus an exam week of 10 hours": 96 + 10)."""


_HOURS_TIMES_WEEKS = re.compile(
    # "5h x 5 semaines", "3 horas x 12 semanas": the hours of each week, times the weeks
    _NUMBER + r"\s*-?\s*" + _HOUR_WORDS + r"\s*[x×*]\s*" + _NUMBER + rf"\s*-?\s*(?:{_any('week_units')})\b"
)


def _weeks_of_hours(low: str) -> tuple[float, float] | None:
    """(weeks, hours each week) of weeks of so many hours each ("10 weeks at 12 hours", "6 semanas de
    5 horas", "5h x 5 semaines"); not when the hours are more than anyone studies in a week: "12
    semanas de 150 horas" gives the hours in all."""
    found = _WEEKS_OF_HOURS.search(low)
    if found:
        weeks, hours = _num(found.group(1)), _num(found.group(2))
    elif times := _HOURS_TIMES_WEEKS.search(low):
        hours, weeks = _num(times.group(1)), _num(times.group(2))
    else:
        return None
    return (weeks, hours) if hours <= MOST_HOURS_A_WEEK else None


_PACE_FROM = re.compile(_NUMBER + r"\s*[-–—]\s*$")
"""The first end of a weekly pace given as a range, just before its second ("8-10 hrs a week")."""
_SPAN = r"\s*(?:[-–—]|(?:or|oder|ou|o|to|bis|a)(?=\s))\s*"
"""Between the two ends of a span or two alternatives: "100-150", "100 to 150", "25 oder 30"."""
_HOUR_RANGE = re.compile(_NUMBER + _SPAN + _NUMBER + r"\s*" + _HOUR_WORDS + r"\b")
"""Study hours stated as a range or as alternatives: "100-150 hours", "100–150 ore", "25 or 30
hours" (what one ECTS credit stands for, not a course's hours)."""
_ECTS_RANGE = re.compile(_NUMBER + r"\s*[-–—]\s*" + _NUMBER + rf"\s*(?:{_any('ects_units')})\b")
"""Credits stated as a range: "3-15 ECTS", "4–6 ECTS"."""


_PACE_RANGE = re.compile(_NUMBER + _SPAN + _NUMBER + r"\s*" + _HOUR_WORDS + _PER_WEEK)
"""A weekly pace stated as a range: "5-6 h/semana", "8-10 hrs a week"."""


def states_a_range(text: str, *, paces: bool = True) -> bool:
    """Whether `text` states its ECTS or its study hours as a range ("uniko sagt 3-15 ECTS"): a
    convention's span, not one course's figure; with `paces` False, a weekly pace given as a range
    does not count ("6 semanas a 5-6 h/semana": a course's weeks at about that pace)."""
    low = text.casefold()
    if not paces:
        low = _PACE_RANGE.sub(" ", low)
    return bool(_ECTS_RANGE.search(low) or _HOUR_RANGE.search(low))


_UNIT_NAMED = {
    "ects": re.compile(rf"\b(?:{_any('ects_units')})\b"),
    "study_hours": re.compile(rf"\b{_HOUR_WORDS}\b"),
}
"""The words for a unit, figure or not ("how many ects", "wie viele stunden")."""


def asks_what_is_missing(text: str) -> bool:
    """Whether `text` asks what a course lacks to meet the CMF ("what exactly is missing?", "was
    fehlt noch?": `missing_asked`)."""
    return _MISSING_ASKED.search(f" {_normalized(text)} ") is not None


def asks_the_other_unit(text: str, facts: Mapping[str, Any]) -> bool:
    """Whether `text`, stating its study hours or its ECTS (not both, `facts`), names the other unit:
    "i did a 150h course on futurelearn, how many ects is that roughly" asks for the hours as ECTS;
    "… mit 5 ects … wie viel arbeit steckt da drin?" asks for the ECTS as hours (`workload_asked`)."""
    hours, credits = facts.get("study_hours"), facts.get("ects")
    if (hours is None) == (credits is None):
        return False
    if hours is not None:
        return bool(_UNIT_NAMED["ects"].search(text.casefold()))
    return bool(
        _UNIT_NAMED["study_hours"].search(text.casefold()) or _WORKLOAD_ASKED.search(f" {_normalized(text)} ")
    )


_EQF_WORDS = f"{_any('eqf_names')}|{_any('level_words')}"
_EQF = re.compile(rf"\b(?:{_EQF_WORDS})(?:\s*(?:{_EQF_WORDS}|{_any('level_connectors')}))*\s*([1-8])\b")
_EQF_AFTER = re.compile(
    rf"\b([1-8])(?:{_any('ordinals')})?\s*(?:{_any('eqf_names')})?\s*(?:{_any('level_after')})\b"
)
_ECTS = re.compile(_NUMBER + rf"\s*(?:{_any('ects_units')})\b")
_CFU = re.compile(_NUMBER + r"\s*cfu\b")
"""Italian university credits ("4 CFU"): hours only at a rate the message states."""
_OTHER_CREDITS = {
    "uk_credits": re.compile(_NUMBER + rf"[\s-]*(?:{_any('uk_credit_units')})\b"),
    "us_credits": re.compile(_NUMBER + rf"[\s-]*(?:{_any('us_credit_units')})\b"),
}
"""UK and US credits ("15 UK credits", "a 20 UK credit module", "2 US credits"): set beside
FutureLearn's equivalence, never read as ECTS or hours."""
_PLAIN_CREDITS = re.compile(
    _NUMBER + r"\s*(?:credits?|crediti|credito|creditos|leistungspunkte|punkte)\b"
    r"(?!\s+(?:uk|us|americ\w*|britann?ic\w*|britisch\w*|cfu|formativi|universitari))"
)
"""Credits without their unit ("6 crediti"), read as ECTS in a text that names ECTS (`_ects`)."""
_UK_CREDIT_CONTEXT = re.compile(rf"\b(?:{_any('uk_credit_context')})\b")
"""Words that make credits without their unit UK credits (`_plain_uk_credits`)."""

_DEGREE_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    # a level named by its degree, as the EQF maps them (knowledge entry eqf-degree-mapping):
    # bachelor (first cycle) = EQF 6, master (second cycle) = EQF 7; matched on `normalize`d text
    (int(level), re.compile("|".join(_keyed("degree_levels", level))))
    for level in dict.fromkeys(k for lang in languages() for k in lang.compliance.get("degree_levels") or {})
)
_FINAL = re.compile(
    # "examen final surveillé", "esame finale sorvegliato", "final supervised exam": the word "final"
    # says nothing about supervision, so it is dropped next to an exam word before the phrases are read
    rf"\b({_any('exam_words')}) (?:{_any('final_words')})\b"
    rf"|\b(?:{_any('final_words')}) (?=(?:\w+ )?(?:{_any('exam_words')})\b)"
)
_AT_ENROLMENT = re.compile(
    # an identity check at enrolment is not one "at the point of assessment": leave that fact open
    _any("at_enrolment")
)

_ASSESSMENT_ORDER: tuple[str, ...] = (
    "none",
    "proctored-exam",
    "supervised-exam",
    "online-exam",
    "peer-review",
    "assignment",
    "quiz",
    "final-exam",
)
"""The kinds of assessment in the order their phrases are tried: the first kind named wins. A final
exam named in one word ("Abschlussprüfung") comes last: any word on its supervision decides first."""


def _among(phrases: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """One pattern finding any of the plain `phrases` between spaces in a text padded with a space at
    each end (what `f" {phrase} " in padded` tests phrase by phrase; never matches without phrases)."""
    if not phrases:
        return re.compile("(?!)")
    longest_first = sorted(phrases, key=len, reverse=True)  # the longest phrase found at a place
    return re.compile(" (?:" + "|".join(re.escape(p) for p in longest_first) + ") ")


_ASSESSMENT_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, _among(_keyed("assessments", kind))) for kind in _ASSESSMENT_ORDER
)
_UNSUPERVISED = _among(_phrases("unsupervised"))
"""An exam said to be unsupervised ("Online-Klausur ohne Aufsicht"): no supervised kind is read."""
_SUPERVISED_KINDS = frozenset({"proctored-exam", "supervised-exam"})
_SPELLINGS: dict[str, str] = {
    written: normalised
    for lang in languages()
    for written, normalised in (lang.compliance.get("spellings") or {}).items()
}
"""Word parts typed without the language's letters -> as normalised ("pruef" -> "pruf")."""
_SPELLING = re.compile("|".join(sorted(map(re.escape, _SPELLINGS), key=len, reverse=True)) or "(?!)")
_ID_PATTERNS = re.compile(_any("id_checked"))
_EXAM_WITH_ID_CHECK = re.compile(
    # "examen con verificacion de identidad", "Prüfung mit Ausweiskontrolle": an exam word right
    # before the identity check (`_ID_PATTERNS`)
    rf"\b(?:{_any('exam_words')}) (?:\w+ )?(?={_ID_PATTERNS.pattern})"
)
_ID_LINKS = "(?:of|the|any|their|de|d|du|des|la|le|l|del|el|los|las|di|della|dell|il|der|die|das)"
"""Short words between a check and the identity checked ("control de identidad", "check of the id")."""
_NEGATION = re.compile(rf"\b(?:{_any('id_negations')}|{_any('credit_negations')})\b")
"""A word or phrase that negates ("without", "ohne", "sin", "pas de"), in a normalised text."""


def says_only(text: str) -> bool:
    """Whether the normalised `text` limits what it asks about with "only" or "just" (`only_words`):
    "is it just some multiple choice quizzes?" asks whether there is nothing more, which a lead's plain
    "yes" would answer wrongly."""
    return _ONLY.search(text) is not None


def negates(text: str) -> bool:
    """Whether the normalised `text` holds a negation (`id_negations`, `credit_negations`): "reicht …
    eine online prüfung ohne ausweiskontrolle?" is not answered by a lead saying "yes, an ID check is
    required"."""
    return _NEGATION.search(text) is not None


_NO_ID = re.compile(
    # "without id", "sin control de identidad", "we dont check ids": a word and a link between
    rf"\b(?:{_any('id_negations')})\s+(?:\w+\s+)?(?:{_ID_LINKS}\s+)?(?:{_any('id_words')})\b"
)
_CREDIT_WORDS = _among(_phrases("credit_phrases"))
_NO_CREDIT = re.compile(rf"\b(?:{_any('credit_negations')})\s+(?:\w+\s+){{0,2}}(?:{_any('credit_words')})\b")
_AWARDED = re.compile(
    # "awards 5 ECTS", "otorga 6 ECTS", "rilascia 8 CFU": a number of credits the course awards
    rf"\b(?:{_any('credit_verbs')})\s+(?:\w+\s+)?{_NUMBER}\s*(?:{_any('ects_units')}|{_any('credit_words')}|cfu)\b"
)
_DIRECTLY = re.compile(rf"\s+(?:\w+\s+){{0,2}}(?:{_any('directly_words')})\b")
"""A word saying "directly" within three words after a denied credit ("no credit directly")."""
_TRANSCRIPT_WORDS = re.compile(rf"\b(?:{_any('transcript_words')})\b")
_WITHOUT_A = re.compile(
    rf"\b(?:{_any('id_negations')}|{_any('credit_negations')}|{_any('not_issued')})\s+(?:\w{{1,4}}\s+)?$"
)
"""A negation right before the word "transcript" ("without a transcript", "senza transcript", "no
damos transcript"): the course has none."""
_CERTIFICATE_ONLY = re.compile(rf"\b(?:{_any('certificate_only')})\b")
"""A course said to give only a certificate of completion: it gives no transcript."""
_ONLY = re.compile(rf"\b(?:{_any('only_words')})\b")
"""A list said to be all there is ("a transcript with only the learning outcomes")."""
_TRANSCRIPT_ALL = _among(_phrases("transcript_all"))
"""Words after "transcript" saying it states every item ("mit allen Angaben", "with all the details")."""
_WORKLOAD_ASKED = _among(_phrases("workload_asked"))
"""Phrases asking how much work a credit stands for, with no word for hours ("wie viel arbeit")."""
_MISSING_ASKED = _among(_phrases("missing_asked"))
"""Phrases asking what a course lacks to meet the CMF ("what exactly is missing", "was fehlt")."""
_TRANSCRIPT_ITEM_WORDS: dict[str, tuple[str, ...]] = {
    item: tuple(_keyed("transcript_items", item)) for item in TRANSCRIPT_ITEMS
}


def _part_counts() -> dict[str, int]:
    """Each pattern of a number of parts written as a word ("tre", "three") → that number."""
    counts: dict[str, int] = {}
    for lang in languages():
        for number, patterns in (lang.compliance.get("part_counts") or {}).items():
            for pattern in patterns:
                counts.setdefault(pattern, int(number))
    return counts


_PART_COUNTS = _part_counts()
_COUNT_WORDS = "|".join(_PART_COUNTS) or "(?!)"
_PARTS = re.compile(rf"(?:(?<![\d.,])([2-9]|1[0-2])|(?<!\w)({_COUNT_WORDS}))\s+(?:{_any('part_units')})\b")
"""A programme's number of parts ("3 corsi", "4 modules", "tre MOOC"): 2 to 12."""
_EACH = rf"(?:{_any('each')})"
_PART_OF = rf"^\s*(?:{_any('part_of')})\s+"
_PART_ECTS = re.compile(_PART_OF + _NUMBER + rf"\s*(?:{_any('ects_units')})\b")
"""The ECTS right after the parts ("3 corsi da 2 ECTS", "3 Kurse mit je 2 ECTS"): each part's."""
_PART_HOURS = re.compile(_PART_OF + _NUMBER + r"\s*-?\s*" + _HOUR_WORDS + r"\b")
"""The hours right after the parts ("3 modules of 50 hours"): each part's."""
_HOURS_EACH = re.compile(
    _NUMBER
    + r"\s*-?\s*"
    + _HOUR_WORDS
    + rf"\W*\s*{_EACH}(?!\w)"
    + rf"|(?<!\w){_EACH}\s+"
    + _NUMBER
    + r"\s*-?\s*"
    + _HOUR_WORDS
    + r"\b"
)
"""Hours said to be each part's ("50 ore l'uno", "50 hours each", "jeweils 40 Stunden")."""
_WEEKS_EACH = re.compile(
    _NUMBER
    + rf"\s*-?\s*(?:{_any('week_units')})\W*\s*{_EACH}(?!\w)"
    + rf"|(?<!\w){_EACH}\s+"
    + _NUMBER
    + rf"\s*-?\s*(?:{_any('week_units')})\b"
)
"""Weeks said to be each part's ("two short courses of 5 weeks each at 10 hours a week")."""


_LEVEL_BEFORE = re.compile(rf"\b(?:{_EQF_WORDS})\s*(?:[1-8]\s*[-–/]\s*)?$")
"""A level word right before a number (or a range of levels): "EQF 6 course of 120 hours" and "EQF
6-7 course of 120 hours" are one course at a level."""


def _summed_parts(low: str) -> dict[str, int | float]:
    """The ECTS and study hours in all of a programme of parts ("3 corsi da 2 ECTS ciascuno, 50 ore
    l'uno" → 6 ECTS, 150 hours), when the text states the number of parts and a figure of each;
    empty otherwise."""
    parts = next((m for m in _PARTS.finditer(low) if not _LEVEL_BEFORE.search(low, 0, m.start())), None)
    if parts is None:
        return {}
    count = int(parts.group(1)) if parts.group(1) else _count_of(parts.group(2))
    after = low[parts.end() :]
    found: dict[str, int | float] = {}
    ects = _PART_ECTS.search(after)
    if ects is not None:
        found["ects"] = _whole(count * _num(ects.group(1)))
    hours = _PART_HOURS.search(after) or _HOURS_EACH.search(after)
    each = next((g for g in hours.groups() if g), None) if hours is not None else None
    if each is not None and _num(each) > 0:
        found["study_hours"] = _whole(count * _num(each))
    elif (weeks := _WEEKS_EACH.search(after)) and (pace := _HOURS_PER_WEEK.search(after)):
        # "two short courses of 5 weeks each at about 10 hours a week": 2 × 5 × 10
        found["study_hours"] = _whole(
            count * _num(next(g for g in weeks.groups() if g)) * _num(pace.group(1))
        )
    return found


def _count_of(word: str) -> int:
    """The number a count word stands for (`part_counts`), matched against each pattern."""
    return next(n for pattern, n in _PART_COUNTS.items() if re.fullmatch(pattern, word))


def states_parts(text: str) -> bool:
    """Whether `text` adds up a programme of parts ("ho fatto 3 mooc su eduopen da 25 ore l'uno"): its
    figures are a whole made of those parts (`_summed_parts`)."""
    return bool(_summed_parts(text.casefold()))


def _num(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        return float(re.sub(r"[.,]", "", text))
    return float(text.replace(",", "."))


def _has_any(text: str, phrases: re.Pattern[str]) -> bool:
    """Whether `text` has one of the phrases of `phrases` (`_among`) between spaces or at an end."""
    return phrases.search(f" {text} ") is not None


_DIGIT = re.compile(r"\d")
"""Hours, weeks, ECTS and an explicit EQF level are numbers: a text without a digit states none."""


def parse_facts(text: str) -> dict[str, Any]:
    """The course facts stated in a question (any of `LANGS`); absent facts are left out.

    Recognises study hours ("80 hours", "80h", "80 heures", "10 weeks at 10 h/week"), the EQF level
    ("EQF 6", "level 6", "niveau 6", "livello 6", or a degree level: "at bachelor level", "niveau
    licence" = 6, "master level" = 7), ECTS ("5 ECTS"; with hours per credit, "3 ects bei 30 stunden
    pro ects", the hours are worked out), UK and US credits ("15 UK credits"), the kind of assessment
    ("examen final surveillé" is a supervised exam, never more than the words say), ID verification
    (also its negation; a check at enrolment is left open, the CMF asks for one at the assessment),
    whether credit is awarded (denied only "directly", it stays open), and the transcript's contents
    (an item said to be missing makes the items named all it states).
    """
    low = _HOURS_AND_MINUTES_PER_WEEK.sub(
        lambda m: f"{_number(int(m.group(1)) + int(m.group(2)) / 60)}h", text.casefold()
    )
    norm = _normalized(text)
    in_low, in_norm = _DIGIT.search(low) is not None, _DIGIT.search(norm) is not None
    other_credits = {
        name: _first_number(pattern, norm) if in_norm else None for name, pattern in _OTHER_CREDITS.items()
    }
    plain_uk = _plain_uk_credits(norm) if in_norm and not any(other_credits.values()) else None
    found: dict[str, Any] = {
        "study_hours": _study_hours(low) if in_low else None,
        "eqf_level": _eqf_level(norm, numbers=in_norm),
        "ects": _ects(low, norm, plain=plain_uk is None) if in_low or in_norm else None,
        **other_credits,
        "assessment": _assessment(norm),
        "id_verification": _id_verification(norm),
        "awards_credit": _awards_credit(_without_short_questions(text, norm)),
        "transcript": _transcript(text),
    }
    if in_low:
        found |= _summed_parts(low)  # "3 corsi da 2 ECTS ciascuno, 50 ore l'uno": the programme's total
        rate = _credit_rate(low, norm)
        # the credits the rate applies to: ECTS, else credits in CFU at the asker's own rate ("4 CFU
        # (contiamo 25 ore a CFU)"), which says nothing of CFU against ECTS
        credits = found["ects"] if found["ects"] is not None else _first_number(_CFU, norm)
        if rate and credits is not None and found["study_hours"] in (None, _whole(rate)):
            # "3 ects bei 30 stunden pro ects": the hours are the credits times the rate
            found["study_hours"] = _whole(credits * rate)
    if (
        found["assessment"] is None
        and found["id_verification"]
        and any(found[name] is not None for name in ("study_hours", "eqf_level", "ects"))
        and _EXAM_WITH_ID_CHECK.search(norm)
    ):
        # "10 semanas x 12 horas, eqf 6, 5 ects, examen con verificacion de identidad": a course's
        # figures with an exam whose candidates' identity is checked, its supervision not stated
        found["assessment"] = "final-exam"
    if plain_uk is not None:
        found["uk_credits"] = plain_uk
    return {name: value for name, value in found.items() if value is not None}


def _plain_uk_credits(norm: str) -> int | float | None:
    """Credits stated without their unit in a message set in the UK ("we're a uk uni, the module is
    15 credits", "ein microcredential von futurelearn mit 15 credits"): UK credits, not ECTS."""
    if not _UK_CREDIT_CONTEXT.search(norm):
        return None
    return _first_number(_PLAIN_CREDITS, norm)


def _first_number(pattern: re.Pattern[str], text: str) -> int | float | None:
    """The figure of `pattern`'s first match in `text` (its first group), or None."""
    found = pattern.search(text)
    return _whole(_num(found.group(1))) if found else None


def _whole(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _study_hours(low: str) -> int | float | None:
    """Hours as stated ("80 hours", "80h", "80 heures"), else "10 weeks at 10 h/week" multiplied out;
    "10 weeks at 12 hours", "3 Wochen à 3 Stunden" (`weeks_of`) are multiplied out first."""
    per_week = _HOURS_PER_WEEK.search(low)
    paces = {m.start() for m in (per_week, _HOURS_PER_MONTH.search(low), _HOURS_PER_CREDIT.search(low)) if m}
    added = {m.start(1): _num(m.group(1)) for m in _ADDED_HOURS.finditer(low) if m.start(1) not in paces}
    base = _base_study_hours(low, per_week, paces | set(added))
    if base is None:
        # nothing to add to: "plus 10 hours" alone is the hours stated
        return next((_whole(_num(m.group(1))) for m in _HOURS.finditer(low) if m.start() not in paces), None)
    return _whole(base + sum(added.values()))


def _base_study_hours(low: str, per_week: re.Match[str] | None, skipped: set[int]) -> float | None:
    """The hours before any added ones (`_ADDED_HOURS`): weeks of so many hours multiplied out,
    else the first hours stated that are no pace, else a weekly pace times the weeks."""
    weeks_of = _weeks_of_hours(low)
    if weeks_of:
        return weeks_of[0] * weeks_of[1]
    for m in _HOURS.finditer(low):
        if m.start() not in skipped:
            return _num(m.group(1))
    weeks = _WEEKS.search(low)
    if per_week and weeks:
        return _num(per_week.group(1)) * _num(weeks.group(1))
    return None


_LEVEL_RANGE_END = re.compile(r" (?:(?:or|ou|o|oder|to|a|bis|e|y|und|and) )?[1-8]\b")
"""The second end of a range of levels, right after the first ("eqf 6-7", "livello 6 o 7")."""


def _eqf_level(norm: str, *, numbers: bool = True) -> int | None:
    """An explicit EQF level, else the level of a named degree (bachelor 6, master 7). `numbers`
    False: `norm` has no digit, so no explicit level. A range of levels is the CMF's or a
    convention's, not a course's: "il cmf chiede eqf 6-7 ma noi abbiamo un corso di livello 5" is 5."""
    stated = ([*_EQF.finditer(norm)] or [*_EQF_AFTER.finditer(norm)]) if numbers else []
    single = [m for m in stated if not _LEVEL_RANGE_END.match(norm, m.end())]
    if stated:
        return int((single or stated)[0].group(1))
    return next((level for level, pattern in _DEGREE_LEVELS if pattern.search(norm)), None)


def _ects(low: str, norm: str, *, plain: bool = True) -> int | float | None:
    """The ECTS the text states: the first figure, unless it is the unit itself (1 ECTS) and another
    follows ("combien d'heures pour 1 ECTS ? et du coup 4 ects ca fait combien d'heures" asks of 4);
    credits without their unit count when `plain` and the text names ECTS."""
    figures = [_whole(_num(m.group(1))) for m in _ECTS.finditer(low)] or [
        _whole(_num(m.group(1))) for m in _ECTS.finditer(norm)
    ]
    if not figures and plain and "ects" in norm.split():
        # "cosa significa ECTS e quante ore corrispondono a 6 crediti?": the credits of the system it names
        figures = [_whole(_num(m.group(1))) for m in _PLAIN_CREDITS.finditer(norm)]
    if not figures:
        return None
    return next((f for f in figures[1:] if f != 1), figures[0]) if figures[0] == 1 else figures[0]


def _assessment(norm: str) -> str | None:
    """The first kind of assessment (in `_ASSESSMENT_ORDER`) the text names; else a final exam whose
    supervision the text does not state ("examen final", "esame finale"): `final-exam`. An exam said
    to be unsupervised ("ohne Aufsicht") is never a supervised or proctored one: `online-exam` when no
    other kind is named."""
    exams = _FINAL.sub(lambda m: m.group(1) or "", norm)
    unsupervised = _has_any(norm, _UNSUPERVISED)
    places = {kind: _places(exams, phrases) for kind, phrases in _ASSESSMENT_WORDS}
    named = next(
        (
            kind
            for kind, _ in _ASSESSMENT_WORDS
            if not (unsupervised and kind in _SUPERVISED_KINDS)
            and any(not _within_another(kind, place, places) for place in places[kind])
        ),
        None,
    )
    if named is None and unsupervised:
        return "online-exam"  # an exam said to be unsupervised, no other kind named
    return named or ("final-exam" if _FINAL.search(norm) else None)


def _places(text: str, phrases: re.Pattern[str]) -> list[tuple[int, int]]:
    """Where the phrases of `phrases` (`_among`) occur in `text`: (start, end) in the padded text."""
    return [match.span() for match in phrases.finditer(f" {text} ")]


def _within_another(kind: str, place: tuple[int, int], places: dict[str, list[tuple[int, int]]]) -> bool:
    """Whether a phrase of `kind` at `place` is part of a longer phrase of another kind: "klausur"
    (a supervised exam) in "online klausur" (an online one)."""
    start, end = place
    return any(
        other != kind and s <= start and end <= e and e - s > end - start
        for other, spans in places.items()
        for s, e in spans
    )


def _id_verification(norm: str) -> bool | None:
    """False when negated, True when checked (not only at enrolment), else not stated. An assessment
    said to be unsupervised, with no word on identity, checks none ("un quiz non surveillé à la fin",
    trial 186)."""
    if _NO_ID.search(norm):
        return False
    if _ID_PATTERNS.search(norm):
        return None if _AT_ENROLMENT.search(norm) else True
    return False if _has_any(norm, _UNSUPERVISED) else None


_SENTENCE_WITH_END = re.compile(r"[^.;!?\n]+[.;!?\n]*")
SHORT_QUESTION_WORDS = 5
"""A question sentence of at most this many words asks about what it names ("… cumple el cmf? y da
creditos?" asks whether the course gives credit; it does not state it)."""


def _normalized(text: str) -> str:
    """`text` as the fact readers match it: `normalize`d, with the spellings of `_SPELLINGS`."""
    return _SPELLING.sub(lambda m: _SPELLINGS[m.group(0)], normalize(text))


def _without_short_questions(text: str, norm: str) -> str:
    """`norm` (`text` normalised) without the short question sentences of `text`
    (`SHORT_QUESTION_WORDS`), when it has any: what they name is asked, not stated."""
    pieces = _SENTENCE_WITH_END.findall(text)
    kept = [p for p in pieces if not (p.rstrip().endswith("?") and len(p.split()) <= SHORT_QUESTION_WORDS)]
    return norm if len(kept) == len(pieces) else _normalized(" ".join(kept))


def _awards_credit(norm: str) -> bool | None:
    denied = _NO_CREDIT.search(norm)
    if denied:
        if _DIRECTLY.match(norm, denied.end()):
            # "pero no da créditos directamente": credit may still come later through recognition of
            # prior learning, which the CMF also counts
            return None
        return False
    return True if _has_any(norm, _CREDIT_WORDS) or _AWARDED.search(norm) else None


_SENTENCE_END = re.compile(r"[.;!?\n]+(?!\d)")
"""Where a sentence ends ("1.5 ECTS" keeps its point): a transcript's items are read in its sentence."""


def _transcript(text: str) -> list[str] | None:
    """The transcript's contents, named after the word "transcript" in the same sentence. An item
    with a figure beside it is the course's value, not an item listed: "a CMF transcript for 6 ECTS
    at EQF 7" says what the credential is worth, not that the transcript lacks the learning outcomes."""
    for sentence in _SENTENCE_END.split(text):
        sentence_norm = normalize(sentence)
        found = _TRANSCRIPT_WORDS.search(sentence_norm)
        if not found and _CERTIFICATE_ONLY.search(sentence_norm):
            return []  # "rilasciamo solo un attestato senza elenco dei risultati": no transcript
        if found and _WITHOUT_A.search(sentence_norm[: found.start()]):
            return []  # "ma senza transcript": given, and listing nothing
        if found:
            padded = f" {sentence_norm[found.end() :]} "
            listed = [
                item
                for item, words in _TRANSCRIPT_ITEM_WORDS.items()
                if any(_named_without_figure(padded, w) for w in words)
            ]
            if _TRANSCRIPT_ALL.search(padded):
                return list(TRANSCRIPT_ITEMS)  # "Transcript mit allen Angaben": every item
            lacking = {
                item
                for item, words in _TRANSCRIPT_ITEM_WORDS.items()
                if any(_negated_without_figure(padded, w) for w in words)
            }
            if lacking:
                # "… with the learning outcomes and hours but we never put the EQF level on it": the
                # items named are all it states
                return [item for item in listed if item not in lacking]
            if len(listed) < len(TRANSCRIPT_ITEMS) and not _ONLY.search(sentence_norm):
                # "relevé avec acquis d'apprentissage" names what stands out, not all it states: the
                # other items are not known to be missing ("transcript with only the outcomes" are)
                return None
            return listed or None
    return None


def named_facts(text: str) -> set[str]:
    """The facts `text` names without a value `parse_facts` can read: a transcript named without
    what it states ("examen surveillé avec vérif d'identité et relevé de notes"), which the check
    then says was named rather than "not given"."""
    if _transcript(text) is not None:
        return set()
    named = any(_TRANSCRIPT_WORDS.search(normalize(s)) for s in _SENTENCE_END.split(text))
    return {"transcript"} if named else set()


_ITEM_NEGATION = rf"\b(?:{_any('item_negations')})\s+(?:\w+\s+){{0,2}}"
"""A negation up to two words before a transcript item ("never put the EQF level", "sin el nivel")."""


def _negated_without_figure(padded: str, words: str) -> bool:
    """Whether `words` occur in `padded` with a negation before them (`item_negations`) and no
    number in the next two words ("without the eqf level", not "no proctoring, eqf level 5")."""
    return any(
        not _FIGURE_FOLLOWS.match(padded[m.end() :])
        for m in re.finditer(rf"{_ITEM_NEGATION}{re.escape(words)} ", padded)
    )


_FIGURE_FOLLOWS = re.compile(r"(?:\S+ )?\d")


def _named_without_figure(padded: str, words: str) -> bool:
    """Whether `words` occur in `padded` (normalised, space-padded) at least once with no number
    right before or after them."""
    return any(
        not (
            _ENDS_WITH_NUMBER.search(padded[: m.start() + 1])
            or _STARTS_WITH_NUMBER.match(padded[m.end() - 1 :])
        )
        for m in re.finditer(rf" {re.escape(words)} ", padded)
    )


_ENDS_WITH_NUMBER = re.compile(r"\d+(?:[.,]\d+)? $")
_STARTS_WITH_NUMBER = re.compile(r" \d")
