"""German words typed with "ae", "oe", "ue" for "ä", "ö", "ü" ("pruefung", "identitaetspruefung").

Chat on a keyboard without umlauts writes them this way. `normalize` folds "ä" to "a", so
"prüfung" and "pruefung" would be different words to every layer (concepts, matcher, course
search). `respell` gives such a word its umlauts back when the knowledge base writes it with them
(`umlaut_spellings`, built once a snapshot from the phrasings, titles and course titles); any other
word ("aktuell", "Dauer", "zuerst") is left as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_TO_PAIRS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_WORD = re.compile(r"\w+")
_WITH_PAIR = re.compile(r"\w*(?:ae|oe|ue)\w*", re.IGNORECASE)
_UMLAUT = re.compile(r"[äöü]")


def umlaut_spellings(texts: Iterable[str]) -> dict[str, str]:
    """Each word of `texts` written with an umlaut, as typed with pairs ("pruefung") → as written
    there ("prüfung"); lower case."""
    spellings: dict[str, str] = {}
    for text in texts:
        low = text.casefold()
        if not _UMLAUT.search(low):
            continue
        for word in _WORD.findall(low):
            if _UMLAUT.search(word):
                spellings.setdefault(word.translate(_TO_PAIRS), word)
    return spellings


def respell(text: str, spellings: Mapping[str, str]) -> str:
    """`text` with each word typed with pairs that `spellings` knows written with its umlauts
    ("wie laeuft die identitaetspruefung" → "wie läuft die identitätsprüfung")."""
    if not spellings:
        return text

    def known(match: re.Match[str]) -> str:
        word = match.group(0)
        written = spellings.get(word.casefold())
        if written is None:
            return word
        return written[:1].upper() + written[1:] if word[:1].isupper() else written

    return _WITH_PAIR.sub(known, text)


def typed_back(text: str, typed: str, spellings: Mapping[str, str]) -> str:
    """`text` (a part of `respell(typed, spellings)`) with each respelled word as the asker typed it:
    a reply quotes the asker's own words."""
    changed: dict[str, str] = {}
    for match in _WITH_PAIR.finditer(typed):
        written = respell(match.group(0), spellings)
        if written != match.group(0):
            changed[written] = match.group(0)
    if not changed:
        return text
    return _WORD.sub(lambda m: changed.get(m.group(0), m.group(0)), text)


__all__ = ["respell", "typed_back", "umlaut_spellings"]
