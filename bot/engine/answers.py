"""Turn knowledge, courses and check results into `Reply` objects.

Every reply has `answer`: a complete Markdown rendering (what the console prints and the JSON
carries), plus structured `items` for front ends that lay them out (embed fields, buttons), and
its source `links`. The wording of the bot itself comes from the `strings:` files
(knowledge/ui/messages.yaml) through the strings service (`bot.engine.strings.UiStrings`, re-exported
here); nothing about the CMF is written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from bot.engine.compliance import ComplianceReport, figure_span, listed_hours
from bot.engine.model import (
    DEFAULT_LANG,
    PRICE_NORM,
    Course,
    Entry,
    Item,
    Kind,
    Link,
    PriceNorm,
    Reply,
    Suggestion,
    pick,
)
from bot.engine.strings import UiStrings

OLD_LISTING_YEARS = 2
"""A listing older than this many years is shown with a "check the course page" note."""

STATUS_ICONS = {"met": "✅", "not_met": "❌", "unknown": "❔", "info": "ℹ️"}


_MARKDOWN = re.compile(r"([\\*_~|`\[\]<>#])")


def escape_markdown(text: Any) -> str:
    """Catalogue (or user) text made inert in Markdown: one line, every formatting character
    (``\\ * _ ~ | ` [ ] < > #``) backslash-escaped, so a title like ``[Free](https://evil.example)``
    shows as text, never as a masked link. The bot's own formatting stays live. (Written here: the
    engine never imports discord.)"""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def _host(url: str) -> str:
    host = urlsplit(url).netloc
    return host[4:] if host.startswith("www.") else host or url


def source_links(
    links: Iterable[Link], sources: Iterable[str], third_party: Iterable[str] = (), mark: str = ""
) -> list[Link]:
    """Further-reading links first, then source URLs (titled by their site), without duplicates.

    The primary sources come before the `third_party` ones (press, blogs, copies, data sets), whose
    titles end with `mark` (e.g. "(third-party)").
    """
    later = set(third_party)

    def titled(title: str, url: str) -> str:
        return f"{title} ({mark})" if mark and url in later else title

    out: list[Link] = []
    seen: set[str] = set()
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            out.append(Link(title=titled(link.title, link.url), url=link.url))
    ordered = [u for u in sources if u not in later] + [u for u in sources if u in later]
    for url in ordered:
        if url and url not in seen:
            seen.add(url)
            out.append(Link(title=titled(_host(url), url), url=url))
    return out


def _bullets(items: Sequence[Item], numbered: bool = False) -> str:
    lines = []
    for n, item in enumerate(items, 1):
        mark = f"{n}." if numbered else "-"
        icon = f"{STATUS_ICONS[item.status]} " if item.status else ""
        head = f"**{item.label}**" if item.label else ""
        body = f"{head}: {item.text}" if head and item.text else head or item.text
        lines.append(f"{mark} {icon}{body}")
    return "\n".join(lines)


def _answer(
    kind: Kind,
    title: str,
    answer: str,
    *,
    question: str,
    lang: str,
    intent: str | None,
    confidence: float,
    items: list[Item] | None = None,
    links: list[Link] | None = None,
) -> Reply:
    """A reply with status "answer": the fields every answer builder sets the same way."""
    return Reply(
        question=question,
        lang=lang,
        status="answer",
        intent=intent,
        confidence=confidence,
        kind=kind,
        title=title,
        answer=answer,
        items=items if items is not None else [],
        links=links if links is not None else [],
    )


class Answers:
    """Reply builders for one knowledge base; `s` gives UI strings."""

    def __init__(self, s: UiStrings, today: date | None = None, norms: Sequence[PriceNorm] = ()) -> None:
        self.s = s
        self.today = today or date.today()
        self.norms = tuple(norms)
        """The platforms' price rules (`price_norms`), shown where a record leaves its price out."""

    def price_norm(self, course: Course) -> PriceNorm | None:
        """The platform's price rule for a record that does not state its price, if there is one."""
        if course.price not in (None, ""):
            return None
        return next((norm for norm in self.norms if norm.covers(course)), None)

    def _norm_sources(self, courses: Sequence[Course]) -> list[str]:
        """The sources of the price rules shown for `courses` (one per course that shows one)."""
        return [norm.source for course in courses if (norm := self.price_norm(course)) is not None]

    def _price(self, course: Course, lang: str) -> str | None:
        """A record's price as it states it, else its platform's rule (`price_norm.<key>`), else None."""
        if course.price not in (None, ""):
            return escape_markdown(str(course.price))
        norm = self.price_norm(course)
        return self.s(f"{PRICE_NORM}{norm.key}", lang) if norm is not None else None

    def plural(self, key: str, count: int) -> str:
        """`key`, or its singular form `key.one` when `count` is 1 and the strings have one."""
        return f"{key}.one" if count == 1 and self.s.has(f"{key}.one") else key

    # -- knowledge entries ----------------------------------------------------------------------

    def entry(
        self, entry: Entry, lang: str, question: str = "", intent: str | None = None, confidence: float = 1.0
    ) -> Reply:
        """A text answer, or a checklist when the entry is one."""
        if entry.kind == "checklist":
            return self.checklist(entry, lang, question, intent, confidence)
        title = pick(entry.title, lang)
        body = pick(entry.answer, lang).strip()
        return _answer(
            "text",
            title,
            f"**{title}**\n\n{body}" if body else f"**{title}**",
            question=question,
            lang=lang,
            intent=intent,
            confidence=confidence,
            links=self.entry_links(entry, lang),
        )

    def entry_links(self, entry: Entry, lang: str) -> list[Link]:
        """An entry's further reading and sources, third-party sources last and marked."""
        return source_links(entry.links, entry.sources, entry.third_party, self.s("source.third_party", lang))

    def checklist(
        self, entry: Entry, lang: str, question: str = "", intent: str | None = None, confidence: float = 1.0
    ) -> Reply:
        title = pick(entry.title, lang)
        intro = pick(entry.answer, lang).strip() if entry.answer else ""
        items = [Item(label="", text=pick(i.text, lang), ref=i.id) for i in entry.checklist]
        parts = [f"**{title}**"]
        if intro:
            parts.append(intro)
        parts.append(_bullets(items, numbered=True))
        return _answer(
            "checklist",
            title,
            "\n\n".join(parts),
            question=question,
            lang=lang,
            intent=intent,
            confidence=confidence,
            items=items,
            links=self.entry_links(entry, lang),
        )

    # -- courses --------------------------------------------------------------------------------

    def listing_note(self, course: Course, lang: str) -> str:
        """When the listing dates from, said honestly ("listed in 2016 — check the course page"); the
        course page is named only when the record has one (`course_url`). A withdrawn course says so
        first ("withdrawn from FUN MOOC's feed on 2026-11-30")."""
        note = self._listed(course, lang)
        if course.withdrawn:
            withdrawn = self.s(
                "course.withdrawn", lang, platform=escape_markdown(course.platform), date=course.withdrawn
            )
            return f"{withdrawn} · {note}"
        return note

    def _listed(self, course: Course, lang: str) -> str:
        year = course.listed_year
        page = "" if course.course_url else "_no_page"
        if year is None:
            return self.s(f"course.listed_unknown{page}", lang)
        if self.today.year - year > OLD_LISTING_YEARS:
            return self.s(f"course.listed_old{page}", lang, year=year)
        return self.s("course.listed", lang, year=year)

    def course_url(self, course: Course) -> str | None:
        """The course page (`course_url`: the platform's own page), else the record's first source."""
        return course.course_url or (course.source_urls[0] if course.source_urls else None)

    def url_note(self, course: Course, lang: str) -> str:
        """The link of a course line: its course page, or the source the record was read from."""
        if course.course_url:
            return course.course_url
        if course.source_urls:
            return self.s("course.source", lang, url=course.source_urls[0])
        return ""

    def language_names(self, codes: Sequence[str], lang: str) -> str:
        """Language codes as names in the reader's language ("en, fr" → "anglais, français"); a code
        without a `language.<code>` string stays as it is."""
        return ", ".join(
            self.s(f"language.{code}", lang) if self.s.has(f"language.{code}") else code for code in codes
        )

    def filter_names(self, filters: Mapping[str, Any], lang: str) -> str:
        """Search filters as a reply names them, in the reader's language: languages by name (given
        as alternatives: "italien/anglais"), a course type by its `choice.type.<type>` string ("corso
        breve"), anything else (a platform, an institution) as it is."""
        shown = []
        for key, value in filters.items():
            if value in (None, ""):
                continue
            if key == "language":
                codes = list(value) if isinstance(value, list | tuple) else [value]
                shown.append("/".join(self.language_names([code], lang) for code in codes))
            elif key == "type" and self.s.has(name := "choice.type." + str(value).lower().replace(" ", "_")):
                shown.append(self.s(name, lang))
            else:
                shown.append(str(value))
        return ", ".join(shown)

    def course_item(self, course: Course, lang: str, asked: Sequence[str] = ()) -> Item:
        """One course found: platform, institution, type, languages, workload, credits and listing;
        then each record field in `asked` (`price`, `assessment`…: what the message asks of the
        courses), as the record states it or "not stated"."""
        esc = escape_markdown
        parts = [esc(course.platform)]
        if course.institution:
            parts.append(esc(course.institution))
        parts.append(esc(course.type))
        if course.languages:
            languages = esc(self.language_names(course.languages, lang))
            parts.append(self.s("course.languages", lang, languages=languages))
        workload = _workload(course)
        if workload:
            parts.append(self.s("course.workload", lang, workload=esc(workload)))
        credits = _credits(course)
        if credits:
            parts.append(self.s("course.credits", lang, credits=esc(credits)))
        for field_ in asked:
            value = _credits(course) if field_ == "credits" else getattr(course, field_, None)
            shown = esc(str(value)) if value not in (None, "", []) else None
            if field_ == "price":
                shown = self._price(course, lang)
            parts.append(
                f"{self.s(f'profile.{field_}', lang)}: {shown or self.s('profile.not_stated', lang)}"
            )
        parts.append(self.listing_note(course, lang))
        if course.partial:
            parts.append(self.s("course.partial", lang))
        url = self.course_url(course)
        text = " · ".join(parts)
        link = self.url_note(course, lang)
        if link:
            text = f"{text} — {link}"
        return Item(label=esc(course.title), text=text, url=url, ref=course.id)

    def courses(
        self,
        courses: Sequence[Course],
        total: int,
        lang: str,
        *,
        query: str = "",
        question: str = "",
        intent: str | None = None,
        confidence: float = 1.0,
        offset: int = 0,
        filters: Mapping[str, Any] | None = None,
        note: str | None = None,
        catalogues: Mapping[str, Sequence[str]] | None = None,
        asked: Sequence[str] = (),
    ) -> Reply:
        """A page of search results (`total` is the number of hits over all pages); `note` goes first
        (e.g. that a filter was dropped because nothing matched with it). With no result, the
        partners' own catalogue pages (`catalogues`: partner -> URLs, maybe none) are offered.
        `asked`: record fields the message asks of the courses, shown on each (`course_item`)."""
        shown_filters = self.filter_names(filters or {}, lang)
        what = query.strip()
        if shown_filters:  # "cybersecurity (FutureLearn)", or the filters alone: "University of Leeds"
            what = f"{what} ({shown_filters})" if what else shown_filters
        what = escape_markdown(what)
        if not courses:
            title = self.s("course.none_found", lang, query=what or "…")
            parts = [f"**{title}**", self.s("course.try_other_words", lang)]
            links: list[Link] = []
            if catalogues:
                named = [
                    f"{escape_markdown(name)} (<{urls[0]}>)" if urls else escape_markdown(name)
                    for name, urls in catalogues.items()
                ]
                parts.append(self.s("course.partner_catalogues", lang, partners=", ".join(named)))
                links = [Link(title=name, url=urls[0]) for name, urls in catalogues.items() if urls]
            return _answer(
                "courses",
                title,
                "\n\n".join(parts),
                question=question,
                lang=lang,
                intent=intent,
                confidence=confidence,
                links=links,
            )
        items = [self.course_item(c, lang, asked) for c in courses]
        key = "course.heading" if what else "course.heading_all"
        title = self.s(self.plural(key, total), lang, query=what, total=total)
        parts = [f"**{title}**", *([note] if note else []), _bullets(items)]
        if offset + len(courses) < total:
            parts.append(
                self.s("course.more", lang, first=offset + 1, last=offset + len(courses), total=total)
            )
        parts.append(self.s("course.data_note", lang))
        pages = [Link(title=escape_markdown(c.title), url=c.course_url) for c in courses if c.course_url]
        sources = [c.source_urls[0] for c in courses if not c.course_url and c.source_urls]
        if "price" in asked:  # the page stating a platform's price rule shown on a line
            sources += self._norm_sources(courses)
        return _answer(
            "courses",
            title,
            "\n\n".join(parts),
            question=question,
            lang=lang,
            intent=intent,
            confidence=confidence,
            items=items,
            links=source_links(pages, sources),
        )

    def credential(
        self,
        course: Course,
        lang: str,
        *,
        question: str = "",
        intent: str | None = None,
        confidence: float = 1.0,
        cmf_hours: Mapping[str, str] | None = None,
    ) -> Reply:
        """What a credential certifies, in the EU standard's terms; gaps shown as not stated.

        `cmf_hours` ("hours", "against", "least", "most"): where the record's study hours fall against
        the CMF's, shown on the CMF line when the record does not state the CMF."""
        missing = self.s("profile.not_stated", lang)

        def field_(key: str, value: Any) -> Item:
            text = escape_markdown(value) if value not in (None, "", []) else missing
            return Item(label=self.s(f"profile.{key}", lang), text=text, ref=key)

        level = escape_markdown(course.level) if course.level else None
        if course.eqf_level is not None:
            eqf = self.s("profile.eqf_value", lang, level=course.eqf_level)
            level = f"{level} ({eqf})" if level else eqf
        workload = self._workload_line(course, lang)
        items = [
            field_("title", course.title),
            field_("type", course.type),
            field_("issuer", course.institution),
            field_("platform", course.platform),
            Item(label=self.s("profile.level", lang), text=level or missing, ref="level"),
            Item(label=self.s("profile.workload", lang), text=workload, ref="workload"),
            field_("credits", _credits(course)),
            Item(label=self.s("profile.price", lang), text=self._price(course, lang) or missing, ref="price"),
            field_("learning_outcomes", None),
            field_("subjects", ", ".join(course.subjects) if course.subjects else None),
            field_("assessment", course.assessment),
            field_("id_verification", course.id_verification),
            Item(label=self.s("profile.cmf", lang), text=self._cmf_line(course, lang, cmf_hours), ref="cmf"),
            field_("languages", self.language_names(course.languages, lang) if course.languages else None),
            Item(label=self.s("profile.listing", lang), text=_listing(self, course, lang), ref="listing"),
        ]
        title = self.s("profile.heading", lang, title=escape_markdown(course.title))
        parts = [f"**{title}**", self.s("profile.intro", lang), _bullets(items)]
        if course.partial:
            parts.append(self.s("profile.partial", lang))
        links = (
            [Link(title=escape_markdown(course.title), url=course.course_url)] if course.course_url else []
        )
        return _answer(
            "credential",
            title,
            "\n\n".join(parts),
            question=question,
            lang=lang,
            intent=intent,
            confidence=confidence,
            items=items,
            links=source_links(links, [*course.source_urls, *self._norm_sources([course])]),
        )

    def _workload_line(self, course: Course, lang: str) -> str:
        """The profile's workload: as the record states it, with the hours in all that a weekly pace
        works out to ("4 hours/week x 5 weeks (20 hours in all)")."""
        workload = _workload(course)
        if not workload:
            return self.s("profile.not_stated", lang)
        hours = listed_hours(course.workload, None) if course.hours is None else None
        span = figure_span(*hours) if hours is not None else ""
        if not span or re.search(rf"(?<![\d.,]){re.escape(span)}(?![\d.,])", workload):
            return escape_markdown(workload)  # "125 hours (DCU presentation)" says it already
        span = span if lang == "en" else span.replace(".", ",")
        return f"{escape_markdown(workload)} ({self.s('profile.workload_total', lang, hours=span)})"

    def _cmf_line(self, course: Course, lang: str, cmf_hours: Mapping[str, str] | None) -> str:
        """The profile's CMF line: what the record states, else its study hours against the CMF's."""
        if course.cmf:
            return escape_markdown(course.cmf)
        missing = self.s("profile.not_stated", lang)
        if not cmf_hours:
            return missing
        hours = cmf_hours["hours"] if lang == "en" else cmf_hours["hours"].replace(".", ",")
        listed = self.s("profile.cmf_listed_hours", lang, not_stated=missing, hours=hours)
        least, most = cmf_hours["least"], cmf_hours["most"]
        against = self.s(f"answer.study_hours_{cmf_hours['against']}", lang, least=least, most=most)
        return f"{listed} {against}"

    # -- compliance -----------------------------------------------------------------------------

    def compliance(
        self,
        report: ComplianceReport,
        entry: Entry,
        facts: Mapping[str, Any],
        lang: str,
        *,
        question: str = "",
        intent: str | None = None,
        confidence: float = 1.0,
    ) -> Reply:
        items = [
            Item(
                label=f"{r.text} — {self.s(f'compliance.status.{r.status}', lang)}",
                text=r.reason,
                status=r.status,
                ref=r.id,
            )
            for r in report.items
        ]
        title = self.s("compliance.heading", lang)
        verdict_key: str = report.verdict
        if verdict_key == "unknown" and report.count("unknown") == 1 and not report.count("not_met"):
            verdict_key = "one_open"  # everything else is met: say what would settle it
        verdict = self.s(
            f"compliance.verdict.{verdict_key}",
            lang,
            met=report.count("met"),
            not_met=report.count("not_met"),
            unknown=report.count("unknown"),
            total=len(report.deciding),  # an item that only informs is not a requirement
        )
        given = self.s("compliance.facts_none", lang) if not facts else _facts_line(self, facts, lang)
        parts = [f"**{title}**", given, verdict, _bullets(items), self.s("compliance.disclaimer", lang)]
        return _answer(
            "compliance",
            title,
            "\n\n".join(parts),
            question=question,
            lang=lang,
            intent=intent,
            confidence=confidence,
            items=items,
            links=self.entry_links(entry, lang),
        )

    # -- no answer ------------------------------------------------------------------------------

    def suggestions(
        self, question: str, lang: str, suggestions: Sequence[Suggestion], confidence: float
    ) -> Reply:
        heading = self.s("fallback.did_you_mean", lang)
        lines = "\n".join(f"- {s.title}" for s in suggestions)
        answer = f"{heading}\n{lines}\n\n{self.s('fallback.none_fits', lang)}"
        return Reply(
            question=question,
            lang=lang,
            status="suggestions",
            intent=None,
            confidence=confidence,
            kind="fallback",
            title=heading,
            answer=answer,
            suggestions=list(suggestions),
            reason="below_answer_threshold",
        )

    def fallback(
        self,
        question: str,
        lang: str,
        reason: str,
        confidence: float = 0.0,
        suggestions: Sequence[Suggestion] = (),
        **values: Any,
    ) -> Reply:
        """No answer: say why (empty, too long, unknown topic, declined), and how to go on.

        A question declined by a guard (`guard=<rule id>`) gets `fallback.declined.<rule id>` where the
        strings have it (e.g. account support: ask the platform's help centre), else `fallback.declined`.
        With `suggestions` (the closest topics, when the question names one of ours) the reply lists
        them and gives a hint to rephrase; every reply but `empty`/`too_long`/`declined` ends with the
        moderator route. `reply.suggestions` carries the topics for front ends (pick menus).
        """
        key = f"fallback.{reason}"
        if values.get("guard") and self.s.has(f"{key}.{values['guard']}"):
            key = f"{key}.{values['guard']}"  # a guard with advice of its own (knowledge/ui/messages.yaml)
        parts = [self.s(key, lang, **values)]
        if suggestions:
            lines = "\n".join(f"- {s.title}" for s in suggestions)
            parts.append(f"{self.s('fallback.closest', lang)}\n{lines}")
            parts.append(self.s("fallback.rephrase", lang))
        if reason not in ("empty", "too_long", "declined", "greeting"):
            parts.append(self.s("fallback.moderator", lang))
        return Reply(
            question=question,
            lang=lang,
            status="no_match",
            intent=None,
            confidence=confidence,
            kind="fallback",
            answer="\n\n".join(parts),
            suggestions=list(suggestions),
            reason=reason,
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _workload(course: Course) -> str | None:
    if course.workload:
        return course.workload
    if course.hours is not None:
        return f"{_number(course.hours)} h"
    return None


def _credits(course: Course) -> str | None:
    if course.credits:
        return course.credits
    if course.ects is not None:
        return f"{_number(course.ects)} ECTS"
    return None


def _listing(answers: Answers, course: Course, lang: str) -> str:
    note = answers.listing_note(course, lang)
    return f"{escape_markdown(course.source_date)} ({note})" if course.source_date else note


def _facts_line(answers: Answers, facts: Mapping[str, Any], lang: str) -> str:
    shown = []
    for name, value in facts.items():
        label = answers.s(f"fact.{name}", lang)
        if isinstance(value, bool):
            value_text = answers.s("word.yes" if value else "word.no", lang)
        elif isinstance(value, list):
            value_text = ", ".join(answers.s(f"transcript.{v}", lang) for v in value) or "—"
        elif name == "assessment":
            value_text = answers.s(f"assessment.{value}", lang)
        else:
            value_text = _number(value) if isinstance(value, int | float) else str(value)
        shown.append(answers.s("compliance.fact_value", lang, fact=label, value=value_text))
    return answers.s("compliance.facts_given", lang, facts="; ".join(shown))


__all__ = ["DEFAULT_LANG", "Answers", "UiStrings", "escape_markdown", "source_links"]
