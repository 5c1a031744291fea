"""Does an ensemble of intent matchers pay? (issue 8, sixth pass; `bot.engine.ensemble`)

    python -m bench.ensemble quality [--seeds 0,1,2]   # right outcomes: tune split + dev halves a, b
    python -m bench.ensemble clinc150 [--seeds 0]      # CLINC150, threshold chosen on validation
    python -m bench.ensemble cost [--configs NAME,…]   # training CPU, loaded memory, Engine.ask p50/p99

A configuration name + "+knn4n" (see `KNN`) re-weighs its top five intents by the nearest training
rows (`bench.neighbours`, eighth pass, part B: measured, not used by the engine).

Each seed runs in its own process. At seed s the members are trained once — the dense matcher with
seeds s, s+10, … s+40 (`dense`, `dense@10`, … `dense@40`) and the sparse one with seed s — and every
configuration of `CONFIGS` is scored with those members through the whole engine (`Engine.open(…,
matcher_factory=…)`), so the configurations differ only in how the members are combined. "right"
counts in-scope questions answered with their intent plus off-topic questions declined, on the old
quality set's tune split + dev half a + dev half b (804 rows a seed), as docs/quality.md's fifth pass
counted them; the whole old set (672 in / 192 off) is scored too, for its floors (91 % / 98 %).
Dense members whose logits are averaged are served as one dense matcher with the members' mean
weights (`ensemble.average_dense`, what `BaggedIntentMatcher` trains). Only aggregate counts are
printed, never a question.
"""

from __future__ import annotations

import argparse
import json
import marshal
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.stages import run_stage

ROOT = Path(__file__).resolve().parents[1]
CONFIGS: dict[str, tuple[tuple[str, ...], str]] = {
    "dense": (("dense",), "probability"),
    "sparse": (("sparse",), "probability"),
    "dense+sparse/prob": (("dense", "sparse"), "probability"),
    "dense+sparse/logit": (("dense", "sparse"), "logit"),
    "dense x3/prob": (("dense", "dense@10", "dense@20"), "probability"),
    "dense x3/logit": (("dense", "dense@10", "dense@20"), "logit"),
    "dense x2/logit": (("dense", "dense@10"), "logit"),
    "dense x5/prob": (("dense", "dense@10", "dense@20", "dense@30", "dense@40"), "probability"),
    "dense x5/logit": (("dense", "dense@10", "dense@20", "dense@30", "dense@40"), "logit"),
    "dense+dense c1-4/logit": (("dense", "dense@10#c14"), "logit"),
    "dense+dense c3-6/logit": (("dense", "dense@10#c36"), "logit"),
    "dense+dense w1/logit": (("dense", "dense@10#w1"), "logit"),
    "dense 16 epochs": (("dense~16",), "probability"),
    "dense 24 epochs": (("dense~24",), "probability"),
    "dense x3+sparse/prob": (("dense", "dense@10", "dense@20", "sparse"), "probability"),
    "dense x3+sparse/logit": (("dense", "dense@10", "dense@20", "sparse"), "logit"),
}
"""Name → (member keys, combine). A member key is "dense" / "sparse" (seed s), "dense@k" (seed s+k),
"dense~e" (e epochs; the default gives 8 to the shipped knowledge base, as much CPU as one member) or
"dense#c14" / "dense#w1" (other n-grams; see `_member`)."""


def _member(key: str, seed: int) -> tuple[str, int, dict[str, Any]]:
    """(kind, training seed, build options) of a member key: "dense", "dense@10" (seed + 10),
    "dense~16" (16 epochs instead of the default), "dense#c14" (character 1-4-grams), "dense#w1"
    (word unigrams only)."""
    key, _, features = key.partition("#")
    key, _, epochs = key.partition("~")
    kind, _, offset = key.partition("@")
    options: dict[str, Any] = {"epochs": int(epochs)} if epochs else {}
    if features.startswith("c"):
        options["char_range"] = (int(features[1]), int(features[2]))
    elif features.startswith("w"):
        options["word_ngrams"] = int(features[1:])
    return kind, seed + int(offset or 0), options


KNN = "+knn"
"""A configuration name may end in "+knnW[kK][n][bS][gSxF]": the matcher's top five intents re-weighed
by the nearest training rows (`neighbours.NeighbourMixMatcher`, weight W, the mean of the K best
cosines of an intent, default 1; "n": the out-of-scope class not re-weighed; "bS": the off-topic
class's probability given to the intents when the best cosine reaches S; "gSxF": below S, the
intents' probabilities times F, the rest to the off-topic class)."""
_KNN_SPEC = re.compile(
    r"(?P<w>[\d.]+)(k(?P<k>\d+))?(?P<n>n)?(b(?P<b>[\d.]+))?(g(?P<g>[\d.]+)x(?P<f>[\d.]+))?"
)


def _knn(name: str) -> tuple[str, dict[str, Any] | None]:
    """(base configuration, `NeighbourMixMatcher` options or None) of a configuration name."""
    base, sep, spec = name.partition(KNN)
    if not sep:
        return name, None
    m = _KNN_SPEC.fullmatch(spec)
    if m is None:
        return "?" + name, None
    options: dict[str, Any] = {"weight": float(m["w"]), "k": int(m["k"] or 1), "with_oos": not m["n"]}
    if m["b"]:
        options["boost"] = float(m["b"])
    if m["g"]:
        options["gate"] = (float(m["g"]), float(m["f"]))
    return base, options


def _bagged(config: str) -> bool:
    """Dense members only, logits averaged: served as one `IntentMatcher` (`average_dense`)."""
    keys, combine = CONFIGS[_knn(config)[0]]
    return combine == "logit" and all(_member(k, 0)[0] == "dense" and "#" not in k for k in keys)


class Members:
    """Members trained on first use (training CPU recorded), shared by every configuration."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.trained: dict[str, Any] = {}
        self.cpu: dict[str, float] = {}
        self.indexes: dict[str, Any] = {}

    def get(self, key: str, rows: list[tuple[str, str, str]], annotate: Any) -> Any:
        if key not in self.trained:
            from bot.engine.ensemble import _member_class

            kind, seed, options = _member(key, self.seed)
            c0 = time.process_time()
            self.trained[key] = _member_class(kind).build(rows, seed=seed, annotate=annotate, **options)
            self.cpu[key] = time.process_time() - c0
        return self.trained[key]

    def matcher(self, config: str, rows: list[tuple[str, str, str]], annotate: Any) -> Any:
        from bot.engine.ensemble import EnsembleMatcher, average_dense

        config, knn = _knn(config)
        if knn is not None:
            from bench.neighbours import NeighbourIndex, NeighbourMixMatcher

            base = self.matcher(config, rows, annotate)
            if config not in self.indexes:
                self.indexes[config] = NeighbourIndex.build(base, rows)
            return NeighbourMixMatcher(base, self.indexes[config], **knn)
        keys, combine = CONFIGS[config]
        members = [self.get(k, rows, annotate) for k in keys]
        if len(members) == 1:
            return members[0]
        if _bagged(config):  # what `BaggedIntentMatcher` serves: one dense matcher, averaged weights
            return average_dense(members)
        return EnsembleMatcher(members, [_member(k, 0)[0] for k in keys], combine=combine)


def quality_stage(seed: int, configs: Sequence[str]) -> list[dict[str, Any]]:
    """Right outcomes of each configuration at this seed (aggregates only). A configuration name may
    end in "@0.3": the engine's answer threshold for it (else the default)."""
    import bench.quality as quality
    from bot.engine.engine import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD, Engine
    from tests.test_quality import evaluate, load_questions

    members = Members(seed)
    dev = quality.load_rows(quality.SETS["dev"])
    old = load_questions()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in configs:
            config, _, threshold = name.partition("@")

            def factory(rows: Any, annotate: Any, salt: str, path: Any, config: str = config) -> Any:
                return members.matcher(config, rows, annotate)

            engine = Engine.open(
                Path(tmp) / "q.sqlite3",
                ROOT,
                answer_threshold=float(threshold) if threshold else DEFAULT_ANSWER_THRESHOLD,
                suggest_threshold=DEFAULT_SUGGEST_THRESHOLD,
                matcher_factory=factory,
            )
            try:
                row: dict[str, Any] = {"config": name, "seed": seed}
                whole = evaluate(engine, old)
                tune = whole["tune"]
                row["tune"] = [tune["right"], tune["in"], tune["declined"], tune["oos"]]
                row["old"] = [whole["all"][k] for k in ("right", "in", "declined", "oos")]
                for name in ("a", "b"):
                    cells = quality.score(engine, [r for r in dev if quality.half(r) == name])["all"]
                    row[f"dev_{name}"] = cells.get("in", [0, 0]) + cells.get("out", [0, 0])
            finally:
                engine.close()
            row["right"] = sum(row["tune"][::2]) + sum(row["dev_a"][::2]) + sum(row["dev_b"][::2])
            keys = CONFIGS[_knn(config)[0]][0]
            row["train_cpu_s"] = sum(members.cpu[k] for k in keys)
            out.append(row)
            print(json.dumps(row), flush=True)
    return out


def clinc_stage(seed: int, configs: Sequence[str]) -> list[dict[str, Any]]:
    """CLINC150 with each configuration (threshold chosen on validation, as `bench.clinc150`)."""
    from bench.clinc150 import DATA, _evaluate
    from bot.engine.matcher import OUT_OF_SCOPE

    data = json.loads(DATA.read_text(encoding="utf-8"))
    rows = [(intent, "en", text) for text, intent in data["train"]]
    rows += [(OUT_OF_SCOPE, "en", text) for text, _ in data["oos_train"]]
    members = Members(seed)
    out = []
    for config in configs:
        matcher = members.matcher(config, rows, None)

        def predict(text: str, matcher: Any = matcher) -> tuple[str, float]:
            ranked = matcher.rank(text, 3)
            return ranked[0] if ranked else ("", 0.0)

        row = {"config": config, "seed": seed} | _evaluate(predict, data, 1)
        row["train_cpu_s"] = sum(members.cpu[k] for k in CONFIGS[_knn(config)[0]][0])
        out.append(row)
        print(json.dumps(row), flush=True)
    return out


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def train_stage(config: str, state_path: Path) -> dict[str, Any]:
    """Train one configuration (seed 0) on the shipped knowledge base; write its state."""
    from bench.matcher_scale import real_rows

    rows, annotate = real_rows()
    members = Members(0)
    if _bagged(config):  # as the engine would train it: one member in memory at a time
        from bot.engine.ensemble import BaggedIntentMatcher

        seeds = [_member(k, 0)[1] for k in CONFIGS[config][0]]
        c0 = time.process_time()
        matcher = BaggedIntentMatcher.build(rows, seeds=seeds, annotate=annotate)
        cpu = time.process_time() - c0
    else:
        matcher = members.matcher(config, rows, annotate)
        cpu = sum(members.cpu.values())
    t0 = time.perf_counter()
    state_path.write_bytes(marshal.dumps(matcher.state()))
    return {
        "train_cpu_s": cpu,
        "train_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "state_mb": state_path.stat().st_size / 2**20,
        "write_ms": (time.perf_counter() - t0) * 1000,
    }


def serve_stage(config: str, state_path: Path) -> dict[str, Any]:
    """Load the state in a fresh process (its memory), then time `Engine.ask` over the old set."""
    from bot.engine.engine import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD, Engine
    from bot.engine.ensemble import EnsembleMatcher
    from bot.engine.matcher import IntentMatcher
    from tests.test_quality import load_questions

    keys, _ = CONFIGS[config]
    before = _rss_mb()
    t0 = time.perf_counter()
    state = marshal.loads(state_path.read_bytes())
    if len(keys) > 1 and not _bagged(config):
        matcher: Any = EnsembleMatcher.from_state(state)
    elif keys[0] == "sparse":
        from bot.engine.sparse_matcher import SparseIntentMatcher

        matcher = SparseIntentMatcher.from_state(state)
    else:
        matcher = IntentMatcher.from_state(state)
    load_ms = (time.perf_counter() - t0) * 1000
    del state
    matcher_mb = _rss_mb() - before

    def factory(rows: Any, annotate: Any, salt: str, path: Any) -> Any:
        matcher.set_annotate(annotate)
        return matcher

    questions = [str(r["q"]) for r in load_questions()]
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(
            Path(tmp) / "s.sqlite3",
            ROOT,
            answer_threshold=DEFAULT_ANSWER_THRESHOLD,
            suggest_threshold=DEFAULT_SUGGEST_THRESHOLD,
            matcher_factory=factory,
        )
        try:
            for q in questions[:50]:  # warm up
                engine.ask(q)
            best = []
            for q in questions:
                times = []
                for _ in range(3):
                    t = time.perf_counter()
                    engine.ask(q)
                    times.append(time.perf_counter() - t)
                best.append(min(times))
        finally:
            engine.close()
    lat = sorted(best)
    return {
        "matcher_mb": matcher_mb,
        "load_ms": load_ms,
        "ask_p50_ms": statistics.median(lat) * 1000,
        "ask_p99_ms": lat[round(0.99 * (len(lat) - 1))] * 1000,
    }


def _stage(*args: str) -> list[dict[str, Any]]:
    return run_stage("bench.ensemble", *args)


def quality_table(rows: Sequence[dict[str, Any]]) -> str:
    """Per configuration: right outcomes per seed and their sum, per set summed over seeds."""
    configs = list(dict.fromkeys(r["config"] for r in rows))
    seeds = sorted({r["seed"] for r in rows})
    head = (
        "| configuration | right, seeds " + " / ".join(map(str, seeds)) + " (sum) | tune in / off | "
        "dev A in / off | dev B in / off | old set in / off (floors 91 / 98 %) | train CPU s |"
    )
    lines = [head, "|---|---|---|---|---|---|---|"]
    for config in configs:
        mine = [r for r in rows if r["config"] == config]

        def total(key: str, mine: list[dict[str, Any]] = mine) -> list[int]:
            return [sum(r[key][i] for r in mine) for i in range(4)]

        def pair(cells: list[int]) -> str:
            return f"{cells[0]}/{cells[1]} / {cells[2]}/{cells[3]}"

        old = total("old")
        worst = min(mine, key=lambda r: min(r["old"][0] / r["old"][1], r["old"][2] / r["old"][3]))
        w_in, w_off = worst["old"][0] / worst["old"][1], worst["old"][2] / worst["old"][3]
        floor = f" (worst seed {w_in:.1%} / {w_off:.1%})"
        per_seed = " / ".join(str(r["right"]) for r in sorted(mine, key=lambda r: r["seed"]))
        lines.append(
            f"| {config} | {per_seed} ({sum(r['right'] for r in mine)}) | {pair(total('tune'))} | "
            f"{pair(total('dev_a'))} | {pair(total('dev_b'))} | {pair(old)}{floor} | "
            f"{statistics.mean(r['train_cpu_s'] for r in mine):.1f} |"
        )
    return "\n".join(lines)


def clinc_table(rows: Sequence[dict[str, Any]]) -> str:
    lines = [
        "| configuration | seed | top-1 | at val threshold: acc / OOS recall (threshold) | p99 rank ms "
        "| train CPU s |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['config']} | {r['seed']} | {r['top1']:.1%} | {r['acc_at_threshold']:.1%} / "
            f"{r['oos_recall']:.1%} ({r['threshold']:.3f}) | {r['p99_ms']:.2f} | {r['train_cpu_s']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ensemble", description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["quality", "clinc150", "cost"], default="quality")
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated training seeds")
    parser.add_argument(
        "--configs",
        default=",".join(CONFIGS),
        help='comma-separated names of CONFIGS; with quality, "NAME@0.3" sets the answer threshold',
    )
    parser.add_argument("--stage", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    configs = [c for c in args.configs.split(",") if c]
    unknown = [c for c in configs if _knn(c.partition("@")[0])[0] not in CONFIGS]
    if unknown:
        parser.error(f"unknown configurations: {', '.join(unknown)} (known: {', '.join(CONFIGS)})")
    if args.what == "cost" and any(_knn(c)[1] is not None for c in configs):
        parser.error("cost: +knn configurations are not measured here (docs/quality.md, eighth pass, part B)")
    if args.stage:
        kind, a, b = args.stage
        if kind == "quality":
            quality_stage(int(a), b.split(","))
        elif kind == "clinc150":
            clinc_stage(int(a), b.split(","))
        elif kind == "train":
            print(json.dumps(train_stage(a, Path(b))))
        else:
            print(json.dumps(serve_stage(a, Path(b))))
        return 0
    try:
        seeds = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        parser.error("--seeds: comma-separated whole numbers")
    if args.what == "cost":
        for config in configs:
            with tempfile.TemporaryDirectory() as tmp:
                state = Path(tmp) / "state.marshal"
                row = {"config": config} | _stage("train", config, str(state))[0]
                row |= _stage("serve", config, str(state))[0]
            print(json.dumps(row), flush=True)
        return 0
    results: list[dict[str, Any]] = []
    for seed in seeds:
        results += _stage(args.what, str(seed), ",".join(configs))
        print(json.dumps(results[-len(configs) :]), file=sys.stderr, flush=True)
    print(quality_table(results) if args.what == "quality" else clinc_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
