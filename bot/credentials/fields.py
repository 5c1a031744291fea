"""Reading values out of a credential with the field map (`data/fieldmap.yaml`).

A path such as ``credentialSubject.hasClaim.specifiedBy.title`` walks dicts and every item of a
list; ``[key=value]`` / ``[key~=text]`` filter list items. Values are turned into short text in the
asked language: language maps (``{"en": …, "de": …}``) and JSON-LD value objects pick the language,
ELM concepts show their `prefLabel`, notes their `noteLiteral`, organisations their name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FIELDMAP_FILE = Path(__file__).resolve().parent / "data" / "fieldmap.yaml"
MAX_SHOWN = 300
"""Longest text shown for one value (descriptions are cut)."""
MAX_VALUES = 8
"""At most this many values per source (long lists of outcomes are cut)."""

_LANG_KEY = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
_FILTER = re.compile(r"^(?P<key>[^\[]+)\[(?P<field>[A-Za-z0-9_@]+)(?P<op>~?=)(?P<value>[^\]]*)\]$")
_URL = re.compile(r"^https?://\S+$")
_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<M>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<m>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$"
)
_EQF_URI = re.compile(r"/eqf/([1-8])\b")
_LEVEL_NUMBER = re.compile(r"(?:^|\D)([1-8])(?:\D|$)")


@cache
def fieldmap() -> dict[str, Any]:
    """The parsed field map (safe YAML)."""
    import yaml

    data = yaml.safe_load(FIELDMAP_FILE.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
        raise ValueError(f"{FIELDMAP_FILE}: expected `models:`")
    return data


@dataclass
class Hit:
    """A raw value found at a concrete path, or a link where an object was expected."""

    value: Any
    path: str
    link: bool = False


def resolve(data: Any, path: str) -> list[Hit]:
    """Every value at `path` in `data`, with the concrete path (list indexes included)."""
    hits = [Hit(data, "")]
    for part in path.split("."):
        match = _FILTER.match(part)
        key = match.group("key") if match else part
        following: list[Hit] = []
        for hit in hits:
            if hit.link:
                following.append(hit)
                continue
            for node, where in _items(hit.value, hit.path):
                if isinstance(node, str) and _URL.match(node.strip()):
                    following.append(Hit(node.strip(), where, link=True))
                    continue
                if not isinstance(node, dict) or key not in node:
                    continue
                child = node[key]
                here = f"{where}.{key}" if where else key
                for item, item_path in _items(child, here):
                    if match and not _keep(item, *match.group("field", "op", "value")):
                        continue
                    following.append(Hit(item, item_path))
        hits = following
    return [h for h in hits if h.value not in (None, "", [], {})]


def _items(value: Any, path: str) -> list[tuple[Any, str]]:
    if isinstance(value, list):
        return [(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return [(value, path)]


def _keep(item: Any, field: str, op: str, wanted: str) -> bool:
    if not isinstance(item, dict):
        return False
    values = item.get(field)
    for value in values if isinstance(values, list) else [values]:
        if isinstance(value, str) and (
            value == wanted if op == "=" else wanted.casefold() in value.casefold()
        ):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Turning values into text


def is_lang_map(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and _LANG_KEY.match(k) for k in value)
        and all(isinstance(v, str | list) for v in value.values())
    )


def pick_lang(value: dict[str, Any], lang: str) -> str:
    chosen = value.get(lang) or value.get("en") or next(iter(value.values()), "")
    if isinstance(chosen, list):
        chosen = "; ".join(str(c) for c in chosen if isinstance(c, str))
    return str(chosen)


def show(value: Any, lang: str) -> str:
    """A value as short text in `lang` ("" when there is nothing to show)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str):
        return cut(" ".join(value.split()))
    if isinstance(value, list):
        shown = [s for s in (show(v, lang) for v in value[:MAX_VALUES]) if s]
        return cut("; ".join(dict.fromkeys(shown)))
    if isinstance(value, dict):
        if is_lang_map(value):
            return cut(" ".join(pick_lang(value, lang).split()))
        if "@value" in value:
            return show(value["@value"], lang)
        for key in ("prefLabel", "noteLiteral", "legalName", "name", "title", "targetName", "preferredName"):
            if key in value:
                label = show(value[key], lang)
                if label:
                    return label
        if isinstance(value.get("id"), str):
            return cut(value["id"])
    return ""


def cut(value: str, limit: int = MAX_SHOWN) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def number(value: float) -> str:
    """A number as people write it: 45, 37.5."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def as_number(value: Any) -> float | None:
    """A number from a JSON number or numeric string (None otherwise)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if isinstance(value, dict) and "@value" in value:
        return as_number(value["@value"])
    return None


@dataclass
class Duration:
    """An ISO 8601 duration: its hours when it is a time (PT…H…M), else its calendar amount."""

    raw: str
    hours: float | None
    unit: str | None = None
    amount: float | None = None


def parse_duration(raw: str) -> Duration | None:
    """`PT45H` → 45 h; `PT1H30M` → 1.5 h; `P60M` → 60 months (a length of time, not hours)."""
    match = _DURATION.match(raw.strip())
    if not match or raw.strip() in ("P", "PT"):
        return None
    parts = {k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v}
    if not parts:
        return None
    calendar = [(u, parts[u]) for u in ("Y", "M", "W", "D") if u in parts]
    if calendar:
        unit, amount = calendar[0]
        return Duration(raw.strip(), None, unit, amount)
    hours = parts.get("h", 0.0) + parts.get("m", 0.0) / 60 + parts.get("s", 0.0) / 3600
    return Duration(raw.strip(), round(hours, 2))


def eqf_level(value: Any, lang: str) -> int | None:
    """The EQF level (1-8) of an ELM concept (URI …/eqf/6 or label "Level 6") or a code like "6"."""
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        found = _EQF_URI.search(value["id"])
        if found:
            return int(found.group(1))
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= 8 else None
    shown = show(value, lang)
    found = _LEVEL_NUMBER.search(shown)
    return int(found.group(1)) if found and len(shown) <= 40 else None


def matches(label: str, words: list[str]) -> bool:
    folded = label.casefold()
    return any(w.casefold() in folded for w in words)


def id_check(value: Any, lang: str) -> bool | None:
    """True / False from an ELM idVerification concept or a boolean extension field."""
    if isinstance(value, bool):
        return value
    labels = fieldmap().get("labels", {})
    shown = show(value, "en") or show(value, lang)
    if matches(shown, labels.get("id_check_no", [])):
        return False
    if matches(shown, labels.get("id_check_yes", [])):
        return True
    return None


def credit(value: Any, lang: str) -> tuple[float | None, str, bool]:
    """(points, what to show, is it ECTS) for an ELM creditPoint."""
    if isinstance(value, dict):
        points = as_number(value.get("point"))
        framework = show(value.get("framework"), "en")
        if points is None:
            return None, show(value, lang), False
        ects = matches(framework, fieldmap().get("labels", {}).get("ects", []))
        return points, framework, ects
    return as_number(value), "", False
