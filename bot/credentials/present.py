"""A `Report` as text: Markdown for the console, the parts of a Discord embed, and JSON for scripts.

The same words everywhere; only the layout differs. Icons: ✅ present / met, ❌ missing / not met,
⚠️ inconsistent, ❔ unclear / unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.credentials.model import Finding, Report, Signature, Text
from bot.credentials.report import say

MAX_PATHS = 30
"""At most this many uncovered paths are listed."""
ICONS = {
    "present": "✅",
    "met": "✅",
    "missing": "❌",
    "not_met": "❌",
    "inconsistent": "⚠️",
    "unclear": "❔",
    "unknown": "❔",
    "valid": "✅",
    "invalid": "❌",
    "not_checked": "❔",
}


@dataclass
class Section:
    """A heading and its lines (an embed field or a block of console text)."""

    title: str
    lines: list[str]


class Presenter:
    """Words for one report in its language.

    `escape` is applied to everything that comes from the file (values, names, URLs), e.g. Discord's
    Markdown escaping, so a crafted credential cannot format the answer or hide a link.
    """

    def __init__(self, report: Report, strings: Any, escape: Callable[[str], str] | None = None) -> None:
        self.r = report
        self.strings = strings
        self.escape = escape or (lambda value: value)

    def say(self, value: Text | str) -> str:
        if isinstance(value, Text):
            value = Text(value.key, {k: self._plain(v) for k, v in value.values.items()})
        return say(self.strings, value, self.r.lang)

    def _plain(self, value: Any) -> Any:
        if isinstance(value, Text):
            return Text(value.key, {k: self._plain(v) for k, v in value.values.items()})
        return self.escape(value) if isinstance(value, str) else value

    def title(self) -> str:
        what = self.say(Text(f"cred.model.{self.r.model}"))
        if self.r.container not in ("json", "xml"):
            what = f"{what}, {self.say(Text(f'cred.container.{self.r.container}'))}"
        return self.say(Text("cred.title", {"what": what}))

    def signature_lines(self) -> list[str]:
        if not self.r.signatures:
            return [f"{ICONS['not_checked']} {self.say(Text('cred.sig.none'))}"]
        return [self._signature(s) for s in self.r.signatures]

    def _signature(self, sig: Signature) -> str:
        values: dict[str, Any] = {"method": sig.method, "where": sig.key or "?", "reason": sig.reason or ""}
        line = self.say(Text(f"cred.sig.{sig.status}", values))
        if sig.status == "invalid" and sig.reason:
            line = f"{line} {self.say(sig.reason)}"
        if sig.signed_at and sig.status == "valid":
            line = f"{line} {self.say(Text('cred.sig.signed_at', {'date': sig.signed_at[:10]}))}"
        return f"{ICONS[sig.status]} {line}"

    def warning_lines(self) -> list[str]:
        return [f"⚠️ {self.say(w)}" for w in self.r.warnings]

    def finding_text(self, finding: Finding) -> str:
        parts = []
        if finding.values:
            parts.append("; ".join(self.escape(v.shown) for v in finding.values))
        elif finding.status == "missing" and not finding.reason:
            parts.append(self.say(Text("cred.value.missing")))
        if finding.reason:
            parts.append(finding.reason)
        parts.extend(self.say(n) for n in finding.notes)
        return "\n".join(p for p in parts if p)

    def finding_label(self, finding: Finding) -> str:
        return f"{ICONS.get(finding.status, '')} {finding.label}".strip()

    def sections(self) -> list[Section]:
        """Not checked, then the fields not covered by the signature (when any)."""
        out = [Section(self.say(Text("cred.heading.not_checked")), [self.say(t) for t in self.r.not_checked])]
        if self.r.uncovered:
            paths = ["`" + path.replace("`", "'") + "`" for path in self.r.uncovered[:MAX_PATHS]]
            lines = [self.say(Text("cred.uncovered.intro")), *paths]
            out.append(Section(self.say(Text("cred.heading.uncovered")), lines))
        return out


def to_markdown(report: Report, strings: Any) -> str:
    """The whole report as console Markdown."""
    p = Presenter(report, strings)
    blocks = [f"**{p.title()}**", "\n".join(p.signature_lines() + p.warning_lines())]
    groups = ((report.elements_title, report.elements), (report.requirements_title, report.requirements))
    for title, findings in groups:
        lines = []
        for finding in findings:
            first, *rest = p.finding_text(finding).split("\n")
            if finding in report.requirements:  # long labels: the reason goes under them
                rest, first = [first, *rest], ""
            lines.append(f"{p.finding_label(finding)} — {first}" if first else p.finding_label(finding))
            lines.extend(f"   {line}" for line in rest)
        blocks.append(f"**{title}**\n" + "\n".join(lines))
    for section in p.sections():
        blocks.append(f"**{section.title}**\n" + "\n".join(f"- {line}" for line in section.lines))
    if report.sources:
        heading = p.say(Text("console.sources"))
        blocks.append(f"{heading}:\n" + "\n".join(f"- {url}" for url in report.sources))
    return "\n\n".join(blocks)


def to_json(report: Report, strings: Any) -> dict[str, Any]:
    """The report as one JSON object (stable keys; texts in the report's language)."""
    p = Presenter(report, strings)

    def finding(f: Finding) -> dict[str, Any]:
        return {
            "id": f.id,
            "label": f.label,
            "status": f.status,
            "values": [{"text": v.shown, "path": v.path, "signed": v.covered} for v in f.values],
            "reason": f.reason or None,
            "notes": [p.say(n) for n in f.notes],
        }

    return {
        "lang": report.lang,
        "model": report.model,
        "container": report.container,
        "title": p.title(),
        "outcome": report.outcome,
        "signatures": [
            {
                "method": s.method,
                "status": s.status,
                "reason": s.reason.key.rsplit(".", 1)[-1] if s.reason else None,
                "key": p.say(s.key) if s.key else None,
                "signer": s.signer,
                "signed_at": s.signed_at,
                "text": p._signature(s),
            }
            for s in report.signatures
        ],
        "warnings": [{"key": w.key.rsplit(".", 1)[-1], "text": p.say(w)} for w in report.warnings],
        "elements": [finding(f) for f in report.elements],
        "cmf_requirements": [finding(f) for f in report.requirements],
        "not_checked": [{"key": t.key.rsplit(".", 1)[-1], "text": p.say(t)} for t in report.not_checked],
        "not_covered_by_signature": list(report.uncovered),
        "sources": list(report.sources),
    }


def error_text(error: Text, strings: Any, lang: str) -> str:
    return say(strings, error, lang)
