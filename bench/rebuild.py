"""`python -m bench.rebuild`: a knowledge change made from another process, seen by a running engine.

For each code tree (this checkout, and `--baseline DIR`, e.g. the main checkout, measured in the same
run), in a fresh process running that tree's code over its own temporary database:

- a thread asks questions in a loop (the knowledge base's own phrasings, and a probe question), each
  logged in the question log as the Discord bot logs them, while ANOTHER process runs
  `cmf-bot kb phrase add` to teach an intent the probe; reported: the worst and
  p99 answer latency from the moment the command starts until the probe is answered by the new
  phrasing (plus one second), the time until then ("live"), and how long the command took;
- `Engine.ask` latency p50/p99 over the phrasings when nothing changes (best of `PASSES` per question);
- `cmf-bot ask` cold start (a fresh process over an existing database; median of `COLD_RUNS`).

`--scale N` measures the same over a knowledge base with N times the intents and phrasings
(`synthetic_root`: each intent, the off-topic one aside, gets N − 1 copies whose phrasings are the
originals with a third of their words swapped and a topic word of the copy's own, as
`bench.matcher_scale` makes them; the copies lead to the same entries). From 20,000 training rows the
engine trains the sparse matcher (`bot/engine/snapshot.py`, `SPARSE_FROM_ROWS`).

The machine is shared: each figure is printed beside the baseline's, measured minutes apart.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROBE = "zorblax quux frobnicate plonk"
"""Words of no phrasing: answered by PROBE_INTENT only once the change is live."""
PROBE_INTENT = "cmf-study-hours"
SAMPLE = 200
"""Phrasings asked (seeded sample) in the loop and for the latency figures."""
PASSES = 3
COLD_RUNS = 5
AFTER_LIVE = 1.0
"""Seconds the loop keeps asking after the change is live (still counted)."""
GIVE_UP = 120.0
PAUSE = 0.005
"""Seconds between two questions of the loop (a busy bot: up to ~200 questions a second), leaving the
other processes of the 2-core machine some CPU."""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _child_env(code: Path, knowledge: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(code), CMF_BOT_KNOWLEDGE=str(knowledge or code))
    env.pop("CMF_BOT_DB", None)
    return env


def _cli(code: Path, *args: str) -> list[str]:
    """`cmf-bot ARGS` run with `code`'s sources (cwd is a temporary directory, so they win)."""
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args]


# -- the measuring process (runs `code`'s engine) ------------------------------------------------


def synthetic_root(code: Path, scale: int, target: Path, seed: int = 0) -> Path:
    """A knowledge root with `code`'s knowledge and `scale` times its intents (see the module
    docstring); phrasings that would repeat one already there (normalised) are left out."""
    import shutil

    import yaml

    from bench.matcher_scale import recombined
    from bot.engine.normalize import normalize

    shutil.copytree(code / "knowledge", target / "knowledge")
    text = (code / "intents.yaml").read_text("utf-8")
    intents = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["intents"]
    seen = {normalize(p) for i in intents for ps in i.get("phrasings", {}).values() for p in ps}
    words = sorted({w for p in seen for w in p.split() if len(w) >= 4 and w.isalpha()})
    out = list(intents)
    for k in range(2, scale + 1):
        rng = random.Random(f"{seed}:{k}")
        for intent in intents:
            if intent.get("leads_to", {}).get("type") == "decline":
                continue
            topic = rng.sample(words, 2)
            phrasings: dict[str, list[str]] = {}
            for lang, texts in intent.get("phrasings", {}).items():
                for phrase in texts:
                    new = recombined(phrase, rng, words, topic)
                    if normalize(new) not in seen:
                        seen.add(normalize(new))
                        phrasings.setdefault(lang, []).append(new)
            if phrasings:
                out.append({**intent, "id": f"{intent['id']}-x{k}", "phrasings": phrasings})
    body = yaml.dump(
        json.loads(json.dumps({"intents": out})),  # no shared objects, so no YAML anchors (refused)
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )
    (target / "intents.yaml").write_text(text.split("\n", 1)[0] + "\n" + body, "utf-8")
    return target


def measure(code: Path, workdir: Path, knowledge: Path | None = None) -> dict[str, Any]:
    from bot.engine import loader, snapshot
    from bot.engine.engine import Engine

    if knowledge is not None:  # a synthetic root: its intents.yaml is over the 2 MB cap of one file
        loader.MAX_FILE_BYTES = 100_000_000
    db = workdir / "db.sqlite3"
    open_started = time.perf_counter()
    engine = Engine.open(db, knowledge or code)  # builds the database and the matcher cache
    open_s = time.perf_counter() - open_started
    n_rows = sum(len(ts) for i in engine.kb.intents.values() for ts in i.phrasings.values())
    phrasings = sorted({t for i in engine.kb.intents.values() for ts in i.phrasings.values() for t in ts})
    questions = random.Random(7).sample(phrasings, min(SAMPLE, len(phrasings)))
    for q in questions[:20]:
        engine.ask(q)

    best: list[float] = []
    for q in questions:
        times = []
        for _ in range(PASSES):
            t = time.perf_counter()
            engine.ask(q)
            times.append(time.perf_counter() - t)
        best.append(min(times))

    cold, cold_cpu = [], []
    for _ in range(COLD_RUNS):
        t, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(_cli(code, "ask", "--db", str(db), "what is the CMF"), env=_child_env(code, knowledge),
                       cwd=workdir, capture_output=True, check=True)  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cold.append(time.perf_counter() - t)
        cold_cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)

    samples: list[tuple[float, float]] = []  # (start, seconds)
    live_at: list[float] = []
    swapped_at: list[float] = []  # the engine answers from the new generation (knowledge + matcher)
    generation = engine.generation
    stop = threading.Event()

    def loop() -> None:
        n = 0
        while not stop.is_set():
            q = PROBE if n % 5 == 0 else questions[n % len(questions)]
            n += 1
            t = time.perf_counter()
            reply = engine.ask(q, "en" if q == PROBE else None)
            samples.append((t, time.perf_counter() - t))
            if not swapped_at and engine.generation != generation:
                swapped_at.append(time.perf_counter())
            if q == PROBE and reply.intent == PROBE_INTENT and reply.status == "answer" and not live_at:
                live_at.append(time.perf_counter())
            time.sleep(PAUSE)

    engine.log_source = "discord"  # the bot logs every question: its INSERT meets the CLI's write lock
    asker = threading.Thread(target=loop, daemon=True)
    asker.start()
    time.sleep(1.0)
    load_average = os.getloadavg()[0]
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = subprocess.Popen(
        _cli(code, "kb", "phrase", "add", "--db", str(db), "--lang", "en", PROBE_INTENT, PROBE),
        env=_child_env(code, knowledge),
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    command_done: float | None = None
    while time.perf_counter() - start < GIVE_UP:
        if command_done is None and command.poll() is not None:
            command_done = time.perf_counter()
        if live_at and time.perf_counter() > live_at[0] + AFTER_LIVE:
            break
        if swapped_at and not live_at and time.perf_counter() > swapped_at[0] + 10:
            break  # the new snapshot is in, and the probe is still not answered: it will not be
        time.sleep(0.01)
    if command_done is None:
        command.wait()
        command_done = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
    stop.set()
    asker.join(GIVE_UP)
    end = live_at[0] + AFTER_LIVE if live_at else time.perf_counter()  # (or the give-up time)
    during = [s for t, s in samples if start <= t <= end]
    n_intents, matcher = len(engine.kb.intents), type(engine.matcher).__name__
    ranked = engine.matcher.rank(PROBE, 1) if engine.matcher is not None else []
    probe_reply = engine.ask(PROBE, "en")
    info = getattr(snapshot, "cache_info", None)  # (a baseline tree may lack it)
    cached = (info(snapshot.matcher_cache_path(db)) if info else None) or {}
    engine.close()
    return {
        "intents": n_intents,
        "phrasings": n_rows,
        "matcher": matcher,
        "open_s": open_s,
        "answer_p50_ms": statistics.median(best) * 1000,
        "answer_p99_ms": _pct(best, 0.99) * 1000,
        "cold_start_s": statistics.median(cold),
        "cold_start_cpu_s": statistics.median(cold_cpu),
        "change_worst_ms": max(during) * 1000 if during else None,
        "change_p99_ms": _pct(during, 0.99) * 1000 if during else None,
        "change_answers": len(during),
        "live_s": live_at[0] - start if live_at else None,
        "swap_s": swapped_at[0] - start if swapped_at else None,
        "command_s": command_done - start,
        "command_rc": command.returncode,
        "command_cpu_s": cpu_s,
        "load_average": load_average,
        "probe_answered": probe_reply.status == "answer" and probe_reply.intent == PROBE_INTENT,
        "probe_p": ranked[0][1] if ranked and ranked[0][0] == PROBE_INTENT else 0.0,
        "warm_updates": cached.get("warm"),
    }


# -- the orchestrator ---------------------------------------------------------------------------


def run_tree(code: Path, scale: int = 1) -> dict[str, Any]:
    """`measure` in a fresh process running `code`'s sources (over `scale` times its intents)."""
    with tempfile.TemporaryDirectory(prefix="cmf-rebuild-") as tmp:
        knowledge = synthetic_root(code, scale, Path(tmp) / "kb") if scale > 1 else None
        stage = [str(code), tmp] + ([str(knowledge)] if knowledge else [])
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--stage", *stage],
            env=_child_env(code, knowledge),
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"measuring {code} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


ROWS = (
    ("phrasings", "phrasings in the knowledge base (intents: see the JSON lines)", "", 0),
    ("open_s", "`Engine.open` of a new database (load, train the matcher)", "s", 1),
    ("change_worst_ms", "worst answer latency during a phrasing change from another process", "ms", 0),
    ("change_p99_ms", "p99 answer latency during that change", "ms", 1),
    ("live_s", "phrasing live in the running engine, from the command's start", "s", 2),
    ("swap_s", "new snapshot (knowledge + matcher) in the running engine, from the command's start", "s", 2),
    ("command_s", "`cmf-bot kb phrase add` (write, then prepare the matcher cache)", "s", 2),
    ("command_cpu_s", "CPU s of child processes during the change (the command; an engine's build)", "s", 2),
    ("probe_answered", "probe answered by its intent after the change", "", 0),
    ("probe_p", "the probe's probability for its intent after the change", "", 2),
    ("warm_updates", "warm updates in the cached matcher after the change (0: trained from scratch)", "", 0),
    ("load_average", "load average (1 min) when the change started", "", 1),
    ("answer_p50_ms", "Engine.ask p50, no change (best of 3 per question)", "ms", 2),
    ("answer_p99_ms", "Engine.ask p99, no change (best of 3 per question)", "ms", 2),
    ("cold_start_s", "`cmf-bot ask` cold start, wall (median of 5)", "s", 2),
    ("cold_start_cpu_s", "`cmf-bot ask` cold start, CPU user+sys (median of 5)", "s", 2),
)


def _fmt(value: Any, digits: int) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "–" if value is None else f"{value:.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild", description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout measured first (e.g. /work/main)")
    parser.add_argument("--runs", type=int, default=1, help="measurements of each tree (default 1)")
    parser.add_argument("--scale", type=int, default=1, help="times the intents and phrasings (default 1)")
    parser.add_argument("--stage", nargs="+", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        knowledge = Path(args.stage[2]) if len(args.stage) > 2 else None
        print(json.dumps(measure(Path(args.stage[0]), Path(args.stage[1]), knowledge)))
        return 0
    trees = ([("baseline", args.baseline.resolve())] if args.baseline else []) + [("this", ROOT)]
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in trees}
    for _ in range(args.runs):
        for name, code in trees:
            results[name].append(run_tree(code, args.scale))
            print(f"{name}: {json.dumps(results[name][-1])}", file=sys.stderr)
    header = "| measure | " + " | ".join(name for name, _ in trees) + " |"
    print(header)
    print("|" + "---|" * (len(trees) + 1))
    for key, label, unit, digits in ROWS:
        cells = []
        for name, _ in trees:
            values = [r.get(key) for r in results[name]]  # a baseline may lack a row
            cells.append(" / ".join(_fmt(v, digits) for v in values) + f" {unit}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
