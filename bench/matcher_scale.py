"""How the intent matcher scales: the shipped knowledge base at 1×, and synthetic ones at 3× and 10×.

    python -m bench.matcher_scale [--scales 1,3,10] [--no-baseline]

The synthetic knowledge bases are made deterministically from the real one: copy k of intent I gets
the id "I~k", two topic words of its own (drawn from the knowledge base's words) and every phrasing
of I with about a third of its words swapped for other knowledge-base words and one topic word
inserted, so the n-grams stay those of real phrasings. Copy 0 is the real knowledge base.

Each figure comes from a fresh process: training time (wall and CPU), the peak RSS of the training
process (and its RSS before training: the knowledge base loaded, the rows made), the size of the
trained state (`marshal`, as the engine caches it) and the time to write it, the memory the matcher
takes once loaded from that state in a serving process (RSS after − before), and `rank` latency
p50 / p99 over the old quality set's questions (each asked 3 times, best time kept, so other jobs on
the shared machine weigh less). "phrasing live (est.)" = training wall time + state write + state
load: the matcher's share of a new phrasing going live when trained from scratch (the service's
database write and the rest of the snapshot, ~2 s at 1× in `bench.rebuild`, are not included). In a
third process the state is loaded again and one phrasing of unknown words is learnt by a warm update
(`warm_update`, as the engine does for a small change): its CPU, that process's peak RSS and the
phrasing's probability afterwards. The sparse matcher's training CPU is split by stage (texts,
support, the epochs' hashing, SGD, confuser pass, other: `stage_timers`). The baseline is the engine's dense
matcher (`bot.engine.matcher`, trained by numpy, and again by its former pure-Python trainer,
`dense-python`), run in the same bench at 1× only (at 10× it needs several GB and minutes); the sparse
one is `bot.engine.sparse_matcher` (numpy trainer, `bot.engine.sparse_trainer`).

    python -m bench.matcher_scale --quality dev|confirm|clinc150 [--sparse-only] [--options JSON]

compares the two matchers' accuracy instead (1×): right outcomes of the whole engine on the quality
set's tune split and dev half a (`confirm`: and half b), or CLINC150 as `bench.clinc150` scores it.
"""

from __future__ import annotations

import argparse
import json
import marshal
import os
import random
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
QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"
REPEATS = 3


def real_rows() -> tuple[list[tuple[str, str, str]], Any]:
    """The shipped knowledge base's training rows and its concept annotator (as the engine uses them)."""
    from bot.engine.concepts import ConceptAnnotator, ConceptLayer
    from bot.engine.loader import load_knowledge
    from bot.engine.snapshot import intent_rows

    kb = load_knowledge(ROOT)
    return intent_rows(kb), ConceptAnnotator(ConceptLayer(kb.vocabulary))


def training_options(which: str, annotate: Any) -> dict[str, Any]:
    """What the snapshot gives the sparse trainer besides the annotator: the concept layer's annotators
    of normalised texts (each text is normalised once); nothing for the dense matchers."""
    return {"normalized_annotator_factory": annotate.normalized} if which == "sparse" else {}


def synthetic_rows(
    rows: Sequence[tuple[str, str, str]], scale: int, seed: int = 0
) -> list[tuple[str, str, str]]:
    """`rows` and `scale − 1` recombined copies of them (see the module docstring); deterministic."""
    from bot.engine.matcher import OUT_OF_SCOPE

    words = sorted({w for _, _, text in rows for w in text.split() if len(w) >= 4 and w.isalpha()})
    by_intent: dict[str, list[tuple[str, str]]] = {}
    for intent, lang, text in sorted(set(rows)):
        by_intent.setdefault(intent, []).append((lang, text))
    out = list(rows)
    for k in range(1, scale):
        rng = random.Random(f"{seed}:{k}")
        for intent, texts in by_intent.items():
            new_id = intent if intent == OUT_OF_SCOPE else f"{intent}~{k}"
            topic = rng.sample(words, 2)
            for lang, text in texts:
                out.append((new_id, lang, recombined(text, rng, words, topic)))
    return out


def recombined(text: str, rng: random.Random, words: Sequence[str], topic: Sequence[str]) -> str:
    """`text` with about a third of its words swapped for random `words` and one word of `topic`
    inserted: a synthetic phrasing of a copied intent."""
    parts = [rng.choice(words) if rng.random() < 0.33 else w for w in text.split()]
    parts.insert(rng.randrange(len(parts) + 1), rng.choice(topic))
    return " ".join(parts)


def load_matcher_module(which: str) -> Any:
    """`dense`: bot.engine.matcher (the engine's, numpy trainer); `dense-python`: the same trained by
    its pure-Python per-example SGD (the trainer before issue 10); `sparse`: bot.engine.sparse_matcher."""
    if which == "dense":
        import bot.engine.matcher as dense

        return dense
    if which == "dense-python":
        import bot.engine.matcher as dense_python

        class Python:  # the dense matcher built with trainer="python"
            class IntentMatcher(dense_python.IntentMatcher):
                @classmethod
                def build(cls, phrasings: Any, **options: Any) -> Any:
                    return dense_python.IntentMatcher.build(phrasings, trainer="python", **options)

        return Python
    import bot.engine.sparse_matcher as sparse

    class Module:  # the same names as the dense module
        IntentMatcher = sparse.SparseIntentMatcher

    return Module


def _questions() -> list[str]:
    import yaml

    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    rows = data.get("questions", data) if isinstance(data, dict) else data
    return [str(r["q"]) for r in rows]


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


STAGES = ("texts", "support", "hashing", "sgd", "confusers")


def stage_timers() -> dict[str, float]:
    """Make the sparse trainer add up the CPU of its stages (in this process): the texts
    (normalisation, concept annotation), the support (idf and each bucket's intents, with its own
    hashing passes), the epochs' hashing (n-grams and TF-IDF values), the SGD steps and the confuser
    pass. A stage called inside another (hashing in the support) counts for the outer one."""
    import functools

    from bot.engine import sparse_trainer as st

    cpu = dict.fromkeys(STAGES, 0.0)
    inside = [False]

    def timed(name: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if inside[0]:
                return fn(*args, **kwargs)
            inside[0] = True
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                cpu[name] += time.process_time() - t
                inside[0] = False

        return wrapper

    st.Texts.__init__ = timed("texts", st.Texts.__init__)  # type: ignore[method-assign]
    st.idf_and_support = timed("support", st.idf_and_support)
    st.Texts.features = timed("hashing", st.Texts.features)  # type: ignore[method-assign]
    st._values = timed("hashing", st._values)
    st._sgd_slots = timed("sgd", st._sgd_slots)
    st._confuser_pairs = timed("confusers", st._confuser_pairs)
    st._add_confusers = timed("confusers", st._add_confusers)
    return cpu


def train_stage(which: str, scale: int, state_file: Path) -> dict[str, Any]:
    """Train at `scale` in this process; write the state to `state_file`. The sparse matcher's
    training CPU is also given by stage (`stage_timers`; "other": the rows, labels and the rest)."""
    module = load_matcher_module(which)
    rows, annotate = real_rows()
    rows = synthetic_rows(rows, scale)
    before = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    stages = stage_timers() if which == "sparse" else None  # (numpy imported here: in the CPU, as before)
    matcher = module.IntentMatcher.build(rows, annotate=annotate, **training_options(which, annotate))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    by_stage: dict[str, float] = {}
    if stages is not None:
        by_stage = {f"cpu_{k}": v for k, v in stages.items()} | {"cpu_other": cpu - sum(stages.values())}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    write = time.perf_counter()
    data = marshal.dumps(matcher.state())
    state_file.write_bytes(data)
    write = time.perf_counter() - write
    return {
        "intents": len(matcher.intents),
        "phrasings": len(set(rows)),
        "train_s": wall,
        "train_cpu_s": cpu,
        "train_peak_mb": peak,
        "train_rss_before_mb": before,
        "write_ms": write * 1000,
        "state_mb": len(data) / 2**20,
    } | by_stage


def serve_stage(which: str, state_file: Path) -> dict[str, Any]:
    """Load the state in this process and time `rank` on the quality set's questions."""
    module = load_matcher_module(which)
    _, annotate = real_rows()
    questions = _questions()
    before = _rss_mb()
    t0 = time.perf_counter()
    matcher = module.IntentMatcher.from_state(marshal.loads(state_file.read_bytes()))
    matcher.set_annotate(annotate)
    load_s = time.perf_counter() - t0
    matcher_mb = _rss_mb() - before
    best = [float("inf")] * len(questions)
    for _ in range(REPEATS):
        for k, q in enumerate(questions):
            t = time.perf_counter()
            matcher.rank(q, 4, out_of_scope=True)
            best[k] = min(best[k], time.perf_counter() - t)
    ordered = sorted(best)
    return {
        "load_ms": load_s * 1000,
        "matcher_mb": matcher_mb,
        "serve_rss_mb": _rss_mb(),
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))] * 1000,
    }


PROBE = ("cmf-study-hours", "en", "zorblax quux frobnicate plonk")
"""The row a warm update adds (words of no phrasing)."""


def warm_stage(which: str, scale: int, state_file: Path) -> dict[str, Any]:
    """Load the state in this process and learn `PROBE` by a warm update (`warm_update`): its CPU,
    the process's peak RSS (state, rows and update), and the probe's probability afterwards."""
    module = load_matcher_module(which)
    rows, annotate = real_rows()
    rows = synthetic_rows(rows, scale)
    matcher = module.IntentMatcher.from_state(marshal.loads(state_file.read_bytes()))
    matcher.set_annotate(annotate)
    before = _rss_mb()
    cpu = time.process_time()
    try:
        updated = matcher.warm_update([PROBE], rows, **training_options(which, annotate))
    except ValueError:  # the python-trained dense matcher is not updated warm
        return {"warm_cpu_s": None, "warm_peak_mb": None, "warm_rss_before_mb": before, "warm_p": None}
    cpu = time.process_time() - cpu
    ranked = updated.rank(PROBE[2], 1)
    return {
        "warm_cpu_s": cpu,
        "warm_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "warm_rss_before_mb": before,
        "warm_p": ranked[0][1] if ranked and ranked[0][0] == PROBE[0] else 0.0,
    }


def _stage(*args: str) -> dict[str, Any]:
    return run_stage("bench.matcher_scale", *args)[-1]


def measure(which: str, scale: int) -> dict[str, Any]:
    """One row: train in a process, then serve from its state in another."""
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state.marshal"
        row = {"matcher": which, "scale": scale} | _stage("train", which, str(scale), str(state))
        row |= _stage("serve", which, "0", str(state))
        row |= _stage("warm", which, str(scale), str(state))
    row["live_s"] = row["train_s"] + (row["write_ms"] + row["load_ms"]) / 1000
    return row


def quality_stage(which: str, options: dict[str, Any], confirm: bool) -> dict[str, Any]:
    """Right outcomes of the whole engine with this matcher on the quality set's tune split and dev
    half a (half b too when `confirm`): in-scope answered right + off-topic declined, as counts."""
    import bench.quality as quality
    from bot.engine.engine import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD, Engine
    from tests.test_quality import evaluate, load_questions

    module = load_matcher_module(which)

    def factory(rows: Any, annotate: Any, salt: str, path: Any) -> Any:
        return module.IntentMatcher.build(rows, annotate=annotate, **options)

    dev = quality.load_rows(quality.SETS["dev"])
    out: dict[str, Any] = {"matcher": which, "options": options}
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(
            Path(tmp) / "q.sqlite3",
            ROOT,
            answer_threshold=DEFAULT_ANSWER_THRESHOLD,
            suggest_threshold=DEFAULT_SUGGEST_THRESHOLD,
            matcher_factory=factory,
        )
        try:
            tune = evaluate(engine, [r for r in load_questions() if r.get("split") == "tune"])["tune"]
            out["tune"] = [tune["right"], tune["in"], tune["declined"], tune["oos"]]
            for name in ("a", "b") if confirm else ("a",):
                cells = quality.score(engine, [r for r in dev if quality.half(r) == name])["all"]
                out[f"dev_{name}"] = cells.get("in", [0, 0]) + cells.get("out", [0, 0])
        finally:
            engine.close()
    out["right_tune_dev_a"] = sum(out["tune"][::2]) + sum(out["dev_a"][::2])
    return out


def clinc_stage(which: str, options: dict[str, Any]) -> dict[str, Any]:
    """CLINC150 with this matcher (threshold chosen on validation, as `bench.clinc150`)."""
    from bench.clinc150 import DATA, _evaluate
    from bot.engine.matcher import OUT_OF_SCOPE

    module = load_matcher_module(which)
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rows = [(intent, "en", text) for text, intent in data["train"]]
    rows += [(OUT_OF_SCOPE, "en", text) for text, _ in data["oos_train"]]
    cpu = time.process_time()
    matcher = module.IntentMatcher.build(rows, **options)
    cpu = time.process_time() - cpu

    def predict(text: str) -> tuple[str, float]:
        ranked = matcher.rank(text, 3)
        return ranked[0] if ranked else ("", 0.0)

    return {"matcher": which, "options": options, "build_cpu_s": cpu} | _evaluate(predict, data, 1)


COLUMNS = (
    ("intents", "intents", "{:d}"),
    ("phrasings", "phrasings", "{:d}"),
    ("train_s", "train s (wall)", "{:.1f}"),
    ("train_cpu_s", "train s (CPU)", "{:.1f}"),
    ("train_peak_mb", "train peak RSS MB", "{:.0f}"),
    ("train_rss_before_mb", "RSS before training MB", "{:.0f}"),
    ("matcher_mb", "matcher MB (serving)", "{:.1f}"),
    ("serve_rss_mb", "serving RSS MB", "{:.0f}"),
    ("state_mb", "state MB", "{:.1f}"),
    ("write_ms", "state write ms", "{:.0f}"),
    ("load_ms", "state load ms", "{:.0f}"),
    ("live_s", "phrasing live s (est.)", "{:.1f}"),
    ("p50_ms", "rank p50 ms", "{:.3f}"),
    ("p99_ms", "rank p99 ms", "{:.3f}"),
    ("warm_cpu_s", "warm update s (CPU)", "{:.2f}"),
    ("warm_peak_mb", "warm update peak RSS MB", "{:.0f}"),
    ("warm_p", "probe p after it", "{:.2f}"),
    ("cpu_texts", "CPU: texts s", "{:.2f}"),
    ("cpu_support", "CPU: support s", "{:.2f}"),
    ("cpu_hashing", "CPU: epochs' hashing s", "{:.2f}"),
    ("cpu_sgd", "CPU: SGD s", "{:.2f}"),
    ("cpu_confusers", "CPU: confusers s", "{:.2f}"),
    ("cpu_other", "CPU: other s", "{:.2f}"),
)


def _ratio(new: dict[str, Any], old: dict[str, Any], key: str) -> str:
    if key in ("intents", "phrasings") or new.get(key) is None or old.get(key) is None:
        return ""
    return f"×{new[key] / old[key]:.2f}" if old[key] else "—"


def table(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of the measured rows, with sparse/dense ratios where both ran at a scale."""
    head = "| matcher | scale | " + " | ".join(title for _, title, _ in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for r in rows:
        cells = ["–" if r.get(key) is None else fmt.format(r[key]) for key, _, fmt in COLUMNS]
        lines.append(f"| {r['matcher']} | {r['scale']}× | " + " | ".join(cells) + " |")
    for scale in sorted({r["scale"] for r in rows}):
        pair = {r["matcher"]: r for r in rows if r["scale"] == scale}
        for a, b in (("sparse", "dense"), ("dense", "dense-python")):
            if a in pair and b in pair:
                new, old = pair[a], pair[b]
                cells = [_ratio(new, old, key) for key, _, _ in COLUMNS]
                lines.append(f"| ratio {a} / {b} | {scale}× | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.matcher_scale", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--scales", default="1,3,10", help="comma-separated multiples of the knowledge base")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the dense matcher (numpy and python trainers) at 1×"
    )
    parser.add_argument(
        "--quality",
        choices=["dev", "confirm", "clinc150"],
        help="instead of timings: right outcomes of the engine on the tune split + dev half a (confirm: "
        "+ half b), or CLINC150, for the dense and the sparse matcher (1× only)",
    )
    parser.add_argument(
        "--options", default="{}", help="JSON keyword options for the sparse matcher's build (with --quality)"
    )
    parser.add_argument("--sparse-only", action="store_true", help="with --quality: skip the dense matcher")
    parser.add_argument("--stage", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quality:
        options = json.loads(args.options)
        for which in ("sparse",) if args.sparse_only else ("dense", "sparse"):
            opts = options if which == "sparse" else {}
            if args.quality == "clinc150":
                print(json.dumps(clinc_stage(which, opts)), flush=True)
            else:
                print(json.dumps(quality_stage(which, opts, args.quality == "confirm")), flush=True)
        return 0
    if args.stage:
        kind, which, scale, state = args.stage
        if kind == "train":
            result = train_stage(which, int(scale), Path(state))
        elif kind == "warm":
            result = warm_stage(which, int(scale), Path(state))
        else:
            result = serve_stage(which, Path(state))
        print(json.dumps(result))
        return 0
    try:
        scales = [int(s) for s in args.scales.split(",")]
    except ValueError:
        parser.error("--scales: comma-separated whole numbers, e.g. 1,3,10")
    if not scales or min(scales) < 1:
        parser.error("--scales: whole numbers ≥ 1")
    rows = []
    if not args.no_baseline and 1 in scales:
        rows.append(measure("dense", 1))
        rows.append(measure("dense-python", 1))
    for scale in scales:
        rows.append(measure("sparse", scale))
        print(table(rows), file=sys.stderr, flush=True)  # progress: the table so far
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
