"""JSON-LD contexts from a bundled, hash-pinned set; any other URL is refused (never fetched).

`data/contexts.json` maps each context URL to a file in `data/contexts/` and the SHA-256 of that
file. A file whose hash differs is refused too, so an edited bundle cannot silently change what a
signature covers.
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
INDEX_FILE = DATA_DIR / "contexts.json"


class ContextRefused(Exception):
    """A context URL outside the bundled set (or a bundled file whose hash does not match)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@cache
def index() -> dict[str, dict[str, str]]:
    """URL → {"file": name, "sha256": hex} of the bundled contexts."""
    data = json.loads(INDEX_FILE.read_text(encoding="utf-8"))
    return {str(url): dict(entry) for url, entry in data.items()}


@cache
def _load(url: str) -> Any:
    entry = index().get(url)
    if entry is None:
        raise ContextRefused(url)
    raw = (DATA_DIR / "contexts" / entry["file"]).read_bytes()
    if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
        raise ContextRefused(url)
    return json.loads(raw)


def load_context(url: str) -> Any:
    """The parsed context document for `url` (a fresh copy), or ContextRefused."""
    return copy.deepcopy(_load(url))


class DocumentLoader:
    """A pyld document loader that serves only the bundled contexts and remembers what it refused."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        try:
            document = load_context(url)
        except ContextRefused:
            self.refused.append(url)
            from pyld.jsonld import JsonLdError

            raise JsonLdError(
                f"context not in the bundled set: {url}",
                "jsonld.LoadDocumentError",
                code="loading document failed",
            ) from None
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
            "contentType": "application/ld+json",
        }
