"""The explanation of one credential file: signature, EU elements, CMF requirements, what was not checked.

`check_file(data, knowledge, lang)` reads the file, checks its signatures offline, reads every EU
element with the field map and checks the CMF requirements with the knowledge base's rules. It
returns a `Report`, or raises `CredentialError` with a one-sentence reason. It logs nothing about
the learner (and nothing at all beyond what the caller logs).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.credentials import fields as F
from bot.credentials.keys import Pins
from bot.credentials.knowledge import CredentialKnowledge
from bot.credentials.model import Finding, Parsed, Report, Text, Value, text
from bot.engine.model import pick


def check_file(
    data: bytes,
    knowledge: CredentialKnowledge,
    lang: str,
    *,
    pins: Pins | None = None,
    now: datetime | None = None,
) -> Report:
    """Read, verify and explain one credential file (CredentialError when it cannot be read)."""
    from bot.credentials import formats, verify

    parsed = formats.read(data)
    checked = verify.verify(parsed, pins or Pins())
    builder = _Builder(parsed, knowledge, lang, now or datetime.now(UTC))
    report = Report(model=parsed.model, container=parsed.container, lang=lang)
    report.signatures = checked.signatures
    report.uncovered = checked.uncovered if report.verified else []
    report.warnings = list(checked.warnings)
    report.elements_title = pick(knowledge.elements.title, lang)
    report.requirements_title = pick(knowledge.requirements.title, lang)
    report.sources = knowledge.sources()
    report.elements = builder.elements(report.uncovered)
    report.requirements = builder.requirements()
    report.warnings += builder.warnings(checked.certificate, report)
    report.not_checked = builder.not_checked(checked.certificate, report)
    return report


def say(strings: Any, value: Text | str, lang: str) -> str:
    """A Text in `lang`, nested Text values rendered first."""
    if isinstance(value, str):
        return value
    values = {k: say(strings, v, lang) if isinstance(v, Text) else v for k, v in value.values.items()}
    return str(strings(value.key, lang, **values))


def _under(path: str, prefixes: list[str]) -> bool:
    """True when `path` is one of `prefixes` or inside one ("*" covers everything)."""
    return any(p == "*" or path == p or path.startswith((p + ".", p + "[")) for p in prefixes)


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    raw = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class _Builder:
    parsed: Parsed
    k: CredentialKnowledge
    lang: str
    now: datetime
    facts: dict[str, Any] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    assessment: list[str] = field(default_factory=list)

    def say(self, value: Text | str) -> str:
        return say(self.k.strings, value, self.lang)

    @property
    def model_map(self) -> dict[str, Any]:
        return F.fieldmap()["models"].get(self.parsed.model) or {}

    # -- the EU elements ---------------------------------------------------------------------------

    def elements(self, uncovered: list[str]) -> list[Finding]:
        sources = self.model_map.get("elements") or {}
        out = []
        for item in self.k.elements.checklist:
            label = pick(item.text, self.lang)
            finding = self._element(item.id, label, sources.get(item.id) or [], uncovered)
            if finding.status == "present":
                self.present.add(item.id)
            out.append(finding)
        for source in (self.model_map.get("facts") or {}).get("id_verification", []):
            for hit in F.resolve(self.parsed.data, source["path"]):
                if not hit.link and not _under(hit.path, uncovered):
                    checked = F.id_check(hit.value, self.lang)
                    if checked is not None:
                        self.facts.setdefault("id_verification", checked)
        return out

    def _element(self, eid: str, label: str, sources: list[dict[str, Any]], uncovered: list[str]) -> Finding:
        finding = Finding(eid, label, "missing")
        links: list[str] = []
        real, approx, numbers = self._collect(finding, sources, uncovered, links)
        finding.values = _unique(finding.values)
        hours, ects = numbers.get("study_hours"), numbers.get("ects")
        self.facts.update(numbers)
        if eid == "assessment-type":
            self.assessment = [v.shown for v in finding.values if not v.sensitive]
        if finding.status != "inconsistent":
            finding.status = "present" if real else "unclear" if approx or links else "missing"
        for url in dict.fromkeys(links):
            finding.notes.append(text("cred.note.link_only", url=F.cut(url, 120)))
        if hours is not None and ects is not None and ects > 0:
            self._check_workload(finding, hours, ects)
        finding.notes = _distinct(finding.notes)
        return finding

    def _collect(
        self, finding: Finding, sources: list[dict[str, Any]], uncovered: list[str], links: list[str]
    ) -> tuple[int, int, dict[str, float]]:
        """Add every source's values to `finding`; return how many were exact and approximate, and
        the first study hours / ECTS found (the EQF level goes straight into `self.facts`)."""
        real = approx = 0
        numbers: dict[str, float] = {}
        for source in sources:
            if source.get("only_if_none") and real:
                continue
            found = self._values(source, uncovered, links)
            for value, shown in found:
                if source.get("approx"):
                    approx += 1
                else:
                    real += 1
                finding.values.append(value)
                if shown.calendar:
                    finding.status = "inconsistent"
                    raw, amount = shown.calendar
                    finding.notes.append(text("cred.workload.calendar", raw=raw, amount=amount))
                fact = source.get("fact")
                if fact and shown.number is not None and value.covered:
                    if fact == "eqf_level":
                        self.facts.setdefault("eqf_level", int(shown.number))
                    elif fact in ("study_hours", "ects"):
                        numbers.setdefault(fact, shown.number)
            if found and source.get("note"):
                finding.notes.append(text(source["note"]))
            if any(not v.covered for v, _ in found):
                finding.notes.append(text("cred.note.unsigned_values"))
        return real, approx, numbers

    def _check_workload(self, finding: Finding, hours: float, ects: float) -> None:
        """Mark the workload inconsistent when the hours fall outside the hours-per-ECTS range."""
        low, high = (ects * h for h in self.k.hours_per_ects)
        if not low <= hours <= high:
            finding.status = "inconsistent"
            finding.notes.append(
                text(
                    "cred.workload.mismatch",
                    hours=F.number(hours),
                    ects=F.number(ects),
                    low=F.number(low),
                    high=F.number(high),
                )
            )

    def _values(
        self, source: dict[str, Any], uncovered: list[str], links: list[str]
    ) -> list[tuple[Value, _Shown]]:
        """The values of one field-map source, each with what it stands for (hours, ECTS, level)."""
        paths = source["path"] if isinstance(source["path"], list) else [source["path"]]
        if len(paths) > 1:  # joined parts (given name + family name)
            parts, where, covered = [], [], True
            for path in paths:
                for hit in F.resolve(self.parsed.data, path):
                    if hit.link:
                        continue
                    parts.append(F.show(hit.value, self.lang))
                    where.append(hit.path)
                    covered = covered and not _under(hit.path, uncovered)
            joined = " ".join(p for p in parts if p)
            if not joined:
                return []
            return [(self._decorate(source, joined, ";".join(where), covered), _Shown(joined))]
        out: list[tuple[Value, _Shown]] = []
        for hit in F.resolve(self.parsed.data, paths[0])[: F.MAX_VALUES]:
            if hit.link:
                links.append(str(hit.value))
                continue
            covered = not _under(hit.path, uncovered)
            if source.get("sensitive"):
                hidden = self.say(text("cred.value.hidden", what=text(source["sensitive"])))
                out.append((Value(hidden, hit.path, sensitive=True, covered=covered), _Shown(hidden)))
                continue
            shown = self._shown(source.get("kind", "text"), hit.value)
            if shown.text:
                out.append((self._decorate(source, shown.text, hit.path, covered), shown))
        return out

    def _decorate(self, source: dict[str, Any], shown: str, path: str, covered: bool) -> Value:
        if source.get("label"):
            shown = f"{self.say(text(source['label']))}: {shown}"
        if source.get("extension"):
            name = re.sub(r"\[\d+\]", "", path.rsplit(".", 1)[-1])
            shown = f"{shown} {self.say(text('cred.note.extension', name=name))}"
        if not covered:
            shown = f"{shown} {self.say(text('cred.value.unsigned'))}"
        return Value(shown, path, covered=covered)

    def _shown(self, kind: str, value: Any) -> _Shown:
        lang = self.lang
        plain = F.show(value, lang)
        if kind == "date":
            return _Shown(plain[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", plain) else plain)
        if kind == "duration":
            parsed = F.parse_duration(plain)
            if parsed is None:
                return _Shown(plain)
            if parsed.hours is not None:
                hours = F.number(parsed.hours)
                return _Shown(self.say(text("cred.duration.hours", hours=hours, raw=plain)), parsed.hours)
            amount = parsed.amount or 0.0
            one, many = _UNITS[parsed.unit or "D"]
            words = self.say(text(f"cred.unit.{one if amount == 1 else many}", n=F.number(amount)))
            shown = self.say(text("cred.duration.calendar", raw=plain, amount=words))
            return _Shown(shown, calendar=(plain, words))
        if kind == "credit":
            points, framework, is_ects = F.credit(value, lang)
            if points is None:
                return _Shown(framework)
            if is_ects:
                return _Shown(self.say(text("cred.credit.ects", points=F.number(points))), points)
            return _Shown(self.say(text("cred.credit.other", points=F.number(points), framework=framework)))
        if kind in ("ects", "credits"):
            points = F.as_number(value)
            if points is None:
                return _Shown(plain)
            if kind == "ects":
                return _Shown(self.say(text("cred.credit.ects", points=F.number(points))), points)
            return _Shown(self.say(text("cred.credit.unknown_unit", points=F.number(points))))
        if kind == "level":
            level = F.eqf_level(value, lang)
            if level is None:
                return _Shown(plain)
            eqf = self.say(text("cred.level.eqf", level=level))
            return _Shown(eqf if plain in ("", str(level)) else f"{eqf} ({plain})", float(level))
        return _Shown(plain)

    # -- the CMF requirements ---------------------------------------------------------------------

    def requirements(self) -> list[Finding]:
        from bot.engine.compliance import FactError, evaluate_rule, validate_facts

        facts = dict(self.facts)
        transcript = []
        if "learning-outcomes" in self.present:
            transcript.append("learning-outcomes")
        if "study_hours" in facts:
            transcript.append("study-hours")
        if "eqf_level" in facts:
            transcript.append("eqf-level")
        if "ects" in facts:
            transcript.append("credits")
        facts["transcript"] = transcript
        try:
            clean = validate_facts(facts)
        except FactError:
            clean = {k: v for k, v in facts.items() if k == "transcript"}
        out = []
        for item in self.k.requirements.checklist:
            rule = self.k.rules.get(item.id)
            if rule is None:
                status, reason = "unknown", self.k.strings("compliance.reason.no_rule", self.lang)
            else:
                status, reason = evaluate_rule(rule, clean, self.lang, self.k.strings)
            finding = Finding(item.id, pick(item.text, self.lang), status, reason=reason)
            if item.id == "assessment" and self.assessment:
                finding.notes.append(text("cred.note.assessment_stated", values="; ".join(self.assessment)))
            out.append(finding)
        return out

    # -- dates, seal, status ----------------------------------------------------------------------

    def warnings(self, certificate: dict[str, Any] | None, report: Report) -> list[Text]:
        data = self.parsed.data
        out: list[Text] = []
        for key in ("expirationDate", "validUntil", "expires"):
            moment = _date(data.get(key))
            if moment and moment < self.now:
                out.append(text("cred.warn.expired", date=moment.date().isoformat()))
                break
        moment = _date(data.get("validFrom"))
        if moment and moment > self.now:
            out.append(text("cred.warn.not_yet_valid", date=moment.date().isoformat()))
        if self.parsed.model == "ob-link":
            out.append(text("cred.warn.link_only", url=F.cut(self.parsed.link or "", 120)))
        if certificate:
            out.extend(self._seal_warnings(certificate, report))
        if report.uncovered:
            out.append(text("cred.warn.uncovered", count=len(report.uncovered)))
        if not report.verified:
            out.append(text("cred.warn.claims_only"))
        return out

    def _seal_warnings(self, cert: dict[str, Any], report: Report) -> list[Text]:
        from bot.credentials.verify import same_identifier

        out: list[Text] = []
        mapping = self.model_map
        sealer = cert.get("organisation") or ""
        identifier = " ".join(self._texts(mapping.get("issuer_identifier"), "en"))
        issuer_names = {_fold(name) for name in self._texts("issuer.legalName", self.lang)}
        stated = cert.get("identifier")
        named = _fold(sealer) in issuer_names
        if identifier and stated and not same_identifier(identifier, stated) and not named:
            out.append(text("cred.warn.seal_identifier", seal=stated, stated=identifier))
        awarding = self._texts(mapping.get("awarding_body"), self.lang)
        others = [a for a in awarding if a and _fold(a) != _fold(sealer)]
        if others:
            mandate = " ".join(self._texts(mapping.get("mandate"), "en"))
            key = "cred.warn.mandate" if "mandate" in mandate.casefold() else "cred.warn.signer_not_issuer"
            out.append(text(key, signer=sealer, issuer=others[0]))
        end = _date(f"{cert['not_after']}T23:59:59+00:00")
        if end and end < self.now:
            signed = next((s.signed_at for s in report.signatures if s.signed_at), None)
            moment = _date(signed) if signed else None
            start = _date(f"{cert['not_before']}T00:00:00+00:00")
            if moment and start and start <= moment <= end:
                out.append(
                    text(
                        "cred.warn.cert_expired_after",
                        start=cert["not_before"],
                        end=cert["not_after"],
                        signed=moment.date().isoformat(),
                    )
                )
            else:
                out.append(text("cred.warn.cert_expired", start=cert["not_before"], end=cert["not_after"]))
        return out

    def _texts(self, paths: str | list[str] | None, lang: str) -> list[str]:
        """The values at one or more field-map paths, as text."""
        found = []
        for path in [paths] if isinstance(paths, str) else paths or []:
            found += [F.show(hit.value, lang) for hit in F.resolve(self.parsed.data, path) if not hit.link]
        return [f for f in found if f]

    def not_checked(self, certificate: dict[str, Any] | None, report: Report) -> list[Text]:
        out = [text("cred.never.holder")]
        data = self.parsed.data
        status = data.get("credentialStatus") or data.get("status")
        urls = []
        for entry in status if isinstance(status, list) else [status]:
            if isinstance(entry, dict):
                url = entry.get("statusListCredential") or entry.get("id")
                if isinstance(url, str):
                    urls.append(F.cut(url, 200))
        if urls:
            out.append(text("cred.never.status", url=", ".join(dict.fromkeys(urls))))
        elif self.parsed.model != "ob-link":
            out.append(text("cred.never.status_none"))
        if certificate:
            out.append(text("cred.never.trust_list", ca=certificate.get("issuer") or "?"))
        elif report.signatures:
            out.append(text("cred.never.identity"))
        out.append(text("cred.never.truth"))
        return out


_UNITS = {"Y": ("year", "years"), "M": ("month", "months"), "W": ("week", "weeks"), "D": ("day", "days")}
"""ISO 8601 calendar units → the UI string keys for one and for several."""


@dataclass
class _Shown:
    """A value as text, the number it stands for (hours, ECTS, EQF level), and for a calendar duration
    (P60M) its raw form and amount in words."""

    text: str
    number: float | None = None
    calendar: tuple[str, str] | None = None


def _distinct(texts: list[Text]) -> list[Text]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for item in texts:
        key = (item.key, tuple(sorted((k, str(v)) for k, v in item.values.items())))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _unique(values: list[Value]) -> list[Value]:
    seen: set[str] = set()
    out = []
    for value in values:
        if value.shown not in seen:
            seen.add(value.shown)
            out.append(value)
    return out
