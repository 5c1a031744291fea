"""Aggregate-only scoring of the labelled question sets (issue 8).

    python -m bench.quality blind            # the frozen blind TEST set: aggregates only
    python -m bench.quality dev [--half a|b] # the development set (or one deterministic half)
    python -m bench.quality devc             # development set C: confirmation only (2026-12-03)
    python -m bench.quality questions        # the old quality set (tests/data/questions.yaml)

Rows are `{q, lang, audience, style, intent}`. `intent` is a list of acceptable intent ids (an answer
with any of them is right), `missing:<slug>` entries name topics being added (mapped to intent ids by
`tests/data/label-map.yaml` when that file exists), and `null` marks an out-of-scope question, which is
*declined* when the bot does not answer it (status `no_match` or `suggestions`). The old set's single
`intent` string is read as a one-element list.

This module never prints a question or a per-row result: every figure is a count over a group
(language, audience, style, scope). `score()` is shared with `tests/test_quality.py`, whose failure
messages print the same aggregates.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SETS = {
    "blind": DATA / "blind.yaml",
    "dev": DATA / "dev.yaml",
    "devc": DATA / "devc.yaml",
    "devd": DATA / "devd.yaml",
    "questions": DATA / "questions.yaml",
}
LABEL_MAP = DATA / "label-map.yaml"
MERGED = "merged:"
"""Key prefix, in a loaded label map, of an intent id merged into another (`merged:` in the file)."""

TARGET_IN_SCOPE = 0.92
"""Blind set: share of in-scope questions answered with an acceptable intent (issue 8)."""
TARGET_DECLINED = 0.95
"""Blind set: share of out-of-scope questions not answered."""
TARGET_PER_LANGUAGE = 0.88
"""Blind set: every language's share of right outcomes (in-scope right + out-of-scope declined)."""


def load_rows(path: Path) -> list[dict[str, Any]]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = data.get("questions", data) if isinstance(data, dict) else data
    return [dict(r) for r in rows]


def load_label_map(path: Path = LABEL_MAP) -> dict[str, list[str]]:
    """`missing:<slug>` → intent ids, from `tests/data/label-map.yaml` (empty when absent); an intent
    merged into another (the file's `merged:`) is kept under `merged:<old id>` → [the id it became]."""
    if not path.exists():
        return {}
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    raw = data.get("labels", data) if isinstance(data, dict) else {}
    out: dict[str, list[str]] = {}
    for slug, ids in (raw or {}).items():
        key = str(slug).removeprefix("missing:")
        out[key] = [str(i) for i in ([ids] if isinstance(ids, str) else ids or [])]
    merged = data.get("merged") if isinstance(data, dict) else None
    for old, new in (merged or {}).items():
        out[f"{MERGED}{old}"] = [str(new)]
    return out


def half(row: Mapping[str, Any]) -> str:
    """The deterministic half ("a" or "b") of a row, from a hash of its question."""
    digest = hashlib.sha256(str(row["q"]).encode("utf-8")).digest()
    return "a" if digest[0] % 2 == 0 else "b"


def expected(row: Mapping[str, Any], label_map: Mapping[str, list[str]]) -> tuple[str, set[str]]:
    """(scope, acceptable intent ids). Scope: "in", "out", or "unmapped" (a missing topic not mapped yet)."""
    label = row.get("intent")
    if label is None:
        return "out", set()
    labels = [label] if isinstance(label, str) else list(label)
    ok: set[str] = set()
    unmapped = False
    for item in labels:
        item = str(item)
        if item.startswith("missing:"):
            mapped = label_map.get(item.removeprefix("missing:"))
            if mapped:
                ok.update(mapped)
            else:
                unmapped = True
        else:
            ok.update(label_map.get(f"{MERGED}{item}", [item]))
    if not ok and unmapped:
        return "unmapped", set()
    return "in", ok


def outcome(reply: Any, scope: str, ok: set[str]) -> bool:
    """Whether the reply is right for a row of this scope."""
    answered = reply.status == "answer"
    if scope == "in":
        return answered and reply.intent in ok
    return not answered  # out of scope, or a topic the knowledge base does not have yet


GROUPS = ("lang", "audience", "style")


def score(
    engine: Any, rows: Iterable[Mapping[str, Any]], label_map: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    """Counts of right outcomes per scope, overall and per language / audience / style.

    Result: `{"all": {scope: [right, n]}, "lang": {value: {scope: [right, n]}}, ...}` with scopes
    "in", "out" and "unmapped". No question text is kept.
    """
    label_map = load_label_map() if label_map is None else label_map
    out: dict[str, Any] = {"all": {}}
    for group in GROUPS:
        out[group] = {}
    for row in rows:
        scope, ok = expected(row, label_map)
        reply = engine.ask(str(row["q"]))
        good = outcome(reply, scope, ok)
        buckets = [out["all"]] + [out[g].setdefault(str(row.get(g) or "-"), {}) for g in GROUPS]
        for bucket in buckets:
            cell = bucket.setdefault(scope, [0, 0])
            cell[0] += int(good)
            cell[1] += 1
    return out


def share(cell: list[int] | None) -> float:
    return cell[0] / cell[1] if cell and cell[1] else 1.0


def combined(bucket: Mapping[str, list[int]]) -> float:
    """Right outcomes over all rows of a bucket (in scope and out of scope; unmapped rows excluded)."""
    right = sum(bucket.get(s, [0, 0])[0] for s in ("in", "out"))
    n = sum(bucket.get(s, [0, 0])[1] for s in ("in", "out"))
    return right / n if n else 1.0


def report(scores: Mapping[str, Any], title: str = "") -> str:
    """A plain-text table of the aggregates (no question text)."""

    def cell(bucket: Mapping[str, list[int]], scope: str) -> str:
        c = bucket.get(scope)
        return f"{c[0]:>4}/{c[1]:<4} {share(c):6.1%}" if c else f"{'—':>17}"

    lines = [title] if title else []
    lines.append(
        f"{'group':<20} {'in-scope right':>17} {'off-topic declined':>18} {'missing (unmapped)':>19}"
    )
    lines.append(
        f"{'all':<20} {cell(scores['all'], 'in')} {cell(scores['all'], 'out'):>18} "
        f"{cell(scores['all'], 'unmapped'):>19}"
    )
    for group in GROUPS:
        for value in sorted(scores[group]):
            b = scores[group][value]
            lines.append(
                f"{group + '=' + value:<20} {cell(b, 'in')} {cell(b, 'out'):>18} {cell(b, 'unmapped'):>19}"
                f"   (all {combined(b):.1%})"
            )
    return "\n".join(lines)


def failures(scores: Mapping[str, Any]) -> list[str]:
    """Which blind-set targets are missed (aggregate messages only)."""
    out = []
    if share(scores["all"].get("in")) < TARGET_IN_SCOPE:
        out.append(f"in-scope right {share(scores['all'].get('in')):.1%} < {TARGET_IN_SCOPE:.0%}")
    if share(scores["all"].get("out")) < TARGET_DECLINED:
        out.append(f"off-topic declined {share(scores['all'].get('out')):.1%} < {TARGET_DECLINED:.0%}")
    for lang, bucket in sorted(scores["lang"].items()):
        if combined(bucket) < TARGET_PER_LANGUAGE:
            out.append(f"language {lang}: {combined(bucket):.1%} < {TARGET_PER_LANGUAGE:.0%}")
    return out


def open_engine(tmp: Path) -> Any:
    from bot.engine.engine import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD, Engine

    return Engine.open(
        tmp / "quality.sqlite3",
        ROOT,
        answer_threshold=DEFAULT_ANSWER_THRESHOLD,
        suggest_threshold=DEFAULT_SUGGEST_THRESHOLD,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=sorted(SETS))
    parser.add_argument("--half", choices=["a", "b"], help="dev set only: one deterministic half")
    args = parser.parse_args(argv)
    rows = load_rows(SETS[args.set])
    if args.half:
        if args.set != "dev":
            parser.error("--half is for the dev set only")
        rows = [r for r in rows if half(r) == args.half]
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(Path(tmp))
        try:
            scores = score(engine, rows)
        finally:
            engine.close()
    name = args.set + (f" half {args.half}" if args.half else "")
    print(report(scores, f"{name}: {len(rows)} questions"))
    missed = failures(scores)
    if args.set == "blind":
        print("targets: " + ("all met" if not missed else "; ".join(missed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
