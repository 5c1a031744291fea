"""The data a credential check produces: what was read, what the signature says, what the file states.

Everything here is plain data (no Discord, no I/O). User-facing words are *keys* into
`knowledge/ui/credentials.yaml` with their placeholder values, so the same report renders in any of
the five languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

MAX_BYTES = 2 * 1024 * 1024
"""Largest file accepted (2 MiB); larger files are refused before they are parsed."""

SigStatus = Literal["valid", "invalid", "not_checked"]
ElementStatus = Literal["present", "missing", "inconsistent", "unclear"]


@dataclass(frozen=True)
class Text:
    """A sentence to show: a UI string key and the values of its `{placeholders}`."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def text(key: str, **values: Any) -> Text:
    return Text(key, values)


class CredentialError(Exception):
    """The file cannot be read as a credential; `message` says why in one sentence (a UI string)."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.message = Text(key, values)


@dataclass
class Parsed:
    """A credential as read from a file, before any check.

    `model` is what the credential is (edc, ob3, vc, ob2, ob1, edci); `container` how it arrived
    (json, jades, jwt, png, svg, xml). `data` is the credential's JSON (or the XML turned into
    nested dicts). `envelope` holds what the verifier needs: the JWS parts, the raw JSON, ...
    """

    model: str
    container: str
    data: dict[str, Any]
    envelope: dict[str, Any] = field(default_factory=dict)
    link: str | None = None
    """For baked badges that only point to a URL (hosted verification)."""


@dataclass
class Signature:
    """One signature or proof and what checking it showed."""

    method: str
    status: SigStatus
    reason: Text | None = None
    """Why it was not checked (for `not_checked`)."""
    key: Text | None = None
    """Where the key came from (did:key, pinned, certificate, embedded)."""
    signer: str | None = None
    signed_at: str | None = None


@dataclass
class Value:
    """One value read from the file, with the JSON path it came from."""

    shown: str
    path: str
    sensitive: bool = False
    covered: bool = True
    """False when the signature does not cover this path (a field no JSON-LD context defines)."""


@dataclass
class Finding:
    """One EU element or CMF requirement: its status, the values found, and notes."""

    id: str
    label: str
    status: str
    values: list[Value] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    reason: str = ""
    """For CMF requirements: the compliance check's reason, already in the report's language."""


@dataclass
class Report:
    """The whole answer for one file."""

    model: str
    container: str
    lang: str
    signatures: list[Signature] = field(default_factory=list)
    warnings: list[Text] = field(default_factory=list)
    not_checked: list[Text] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    elements: list[Finding] = field(default_factory=list)
    requirements: list[Finding] = field(default_factory=list)
    elements_title: str = ""
    requirements_title: str = ""
    sources: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """True when at least one signature is valid and none is invalid."""
        statuses = {s.status for s in self.signatures}
        return "valid" in statuses and "invalid" not in statuses

    @property
    def outcome(self) -> str:
        """One word for scripts: valid, invalid, not_checked or unsigned."""
        statuses = {s.status for s in self.signatures}
        if not statuses:
            return "unsigned"
        if "invalid" in statuses:
            return "invalid"
        return "valid" if "valid" in statuses else "not_checked"
