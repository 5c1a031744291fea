"""`python -m bench.tail`: the answer latency tail of `Engine.ask`, and whether two code trees answer alike.

Each code tree (this checkout, and `--baseline DIR`, e.g. the main checkout or an export of an older
commit) runs in a child process of its own, with its own code over a temporary database built from
its own knowledge; its engine is warmed with one pass over the timed questions. Then:

- the timed questions (default: tests/data/questions.yaml + dev.yaml, duplicates once) are asked
  `PASSES` times each; a question's latency is the best of its passes, wall-clock (`perf_counter`)
  and CPU of the thread (`thread_time`); the trees take turns every `BATCH` questions (each going
  first half of the time), so that both see the same load of the shared machine; reported by run:
  p50 / p90 / p99 / max, the mean and the mean of the slowest 2 %, and their ratios;
- every question of the reply sets (default: questions + dev + devc) is answered once more and a
  digest of its reply (status, intent, confidence, answer, suggestions, links…) compared: how many
  questions both trees answer identically, and the first that differ.

`--kept-off` adds this tree with nothing kept about words from one question to the next (the
search's word corrections, the course-query reader's close topics): the warm pass fills those, so
this shows the figures for questions whose words are all new.

The blind set is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSES = 3
TIMED_SETS = ("questions", "dev")
REPLY_SETS = ("questions", "dev", "devc")
SLOWEST_SHARE = 0.02
BATCH = 20
"""Questions timed in one tree before the other takes its turn."""


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _questions(code: Path, sets: tuple[str, ...]) -> list[str]:
    """The questions of `sets` (tests/data/<name>.yaml of `code`), each once, in order."""
    import yaml

    out: list[str] = []
    for name in sets:
        if name == "blind":
            raise ValueError("the blind set is reserved for the lead engineer")
        data = yaml.safe_load((code / "tests" / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
        out += [str(row["q"]) for row in (data or {}).get("questions") or []]
    return list(dict.fromkeys(out))


def _summary(values: list[float]) -> dict[str, float]:
    """p50 / p90 / p99 / max / mean / mean of the slowest 2 %, in milliseconds."""
    slowest = sorted(values)[-max(1, round(SLOWEST_SHARE * len(values))) :]
    return {
        "p50": _pct(values, 0.5) * 1000,
        "p90": _pct(values, 0.9) * 1000,
        "p99": _pct(values, 0.99) * 1000,
        "max": max(values) * 1000,
        "mean": sum(values) / len(values) * 1000,
        "slowest": sum(slowest) / len(slowest) * 1000,
    }


def _digest(reply: Any) -> str:
    data = reply.to_json()
    data.pop("question", None)
    return hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def serve(
    code: Path, workdir: Path, timed: tuple[str, ...], replies: tuple[str, ...], keep: bool = True
) -> None:
    """The child process: `code`'s engine over a new database in `workdir`, warmed with one pass
    over the timed questions; then, one command a line on stdin, one JSON line on stdout:
    `time START END` → [[wall s, CPU s], …] (best of `PASSES`) for timed questions START:END;
    `digests` → {question: digest} for the reply sets; `quit`. `keep=False`: nothing learnt about a
    word is kept from one question to the next (the search's corrections, `EXPANSIONS_KEPT`; the
    course-query reader's close topics, `CLOSE_TOPICS_KEPT`)."""
    from bot.engine import course_query, search
    from bot.engine.engine import Engine

    if not keep:
        for module, name in ((search, "EXPANSIONS_KEPT"), (course_query, "CLOSE_TOPICS_KEPT")):
            if hasattr(module, name):
                setattr(module, name, 0)

    engine = Engine.open(workdir / "db.sqlite3", code)
    questions = _questions(code, timed)
    for q in questions:
        engine.ask(q)
    print(json.dumps({"questions": len(questions)}), flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "time":
            out = []
            for q in questions[int(args[0]) : int(args[1])]:
                best_wall = best_cpu = float("inf")
                for _ in range(PASSES):
                    t, c = time.perf_counter(), time.thread_time()
                    engine.ask(q)
                    best_cpu = min(best_cpu, time.thread_time() - c)
                    best_wall = min(best_wall, time.perf_counter() - t)
                out.append([best_wall, best_cpu])
            print(json.dumps(out), flush=True)
        elif command == "digests":
            print(json.dumps({q: _digest(engine.ask(q)) for q in _questions(code, replies)}), flush=True)
        else:
            break
    engine.close()


class Tree:
    """A child process serving one code tree's engine (`serve`)."""

    def __init__(
        self, name: str, code: Path, timed: tuple[str, ...], replies: tuple[str, ...], keep: bool = True
    ) -> None:
        self.name = name
        self._tmp = tempfile.TemporaryDirectory(prefix="cmf-tail-")
        env = dict(os.environ, PYTHONPATH=str(code), CMF_BOT_KNOWLEDGE=str(code))
        env.pop("CMF_BOT_DB", None)
        stage = [str(code), self._tmp.name, ",".join(timed), ",".join(replies), "keep" if keep else "none"]
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--stage", *stage],
            env=env,
            cwd=self._tmp.name,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.questions = int(self._read()["questions"])

    def _read(self) -> Any:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"measuring {self.name} failed (exit {self.proc.wait()})")
        return json.loads(line)

    def ask(self, command: str) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()
        self._tmp.cleanup()


def _row(name: str, run: int, result: dict[str, Any]) -> str:
    w, c = result["wall"], result["cpu"]
    cells = [f"{w[k]:.2f}" for k in ("p50", "p90", "p99", "max", "mean", "slowest")]
    return (
        f"| {name} | {run} | " + " | ".join(cells) + f" | {c['p99']:.2f} | {c['slowest']:.2f} | "
        f"{result['load_average']:.1f} |"
    )


def _names(text: str) -> tuple[str, ...]:
    return tuple(x for x in text.split(",") if x)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tail", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--baseline", type=Path, help="another checkout, measured alternately (e.g. /work/main)"
    )
    parser.add_argument("--runs", type=int, default=2, help="measurements of each tree (default 2)")
    parser.add_argument(
        "--sets", default=",".join(TIMED_SETS), help="question sets timed (default %(default)s)"
    )
    parser.add_argument(
        "--replies", default=",".join(REPLY_SETS), help="question sets whose replies are compared"
    )
    parser.add_argument(
        "--kept-off",
        action="store_true",
        help="also measure this tree keeping nothing about words between questions (EXPANSIONS_KEPT and "
        "CLOSE_TOPICS_KEPT = 0)",
    )
    parser.add_argument("--stage", nargs=5, metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        code, workdir, timed, replies, keep = args.stage
        serve(Path(code), Path(workdir), _names(timed), _names(replies), keep == "keep")
        return 0
    timed, replies = _names(args.sets), _names(args.replies)
    if "blind" in timed or "blind" in replies:
        parser.error("the blind set is reserved for the lead engineer")
    named = [("baseline", args.baseline.resolve(), True)] if args.baseline else []
    named += [("this, kept off", ROOT, False)] if args.kept_off else []
    trees = [Tree(name, code, timed, replies, keep) for name, code, keep in [*named, ("this", ROOT, True)]]
    try:
        n = trees[-1].questions
        if any(tree.questions != n for tree in trees):
            raise SystemExit("the trees' timed question sets differ: compare trees with the same tests/data")
        print("| tree | run | p50 ms | p90 ms | p99 ms | max ms | mean ms | slowest 2 % ms | CPU p99 ms "
              "| CPU slowest 2 % ms | load |")  # fmt: skip
        print("|" + "---|" * 11)
        results: dict[str, list[dict[str, Any]]] = {tree.name: [] for tree in trees}
        for run in range(1, args.runs + 1):
            load = os.getloadavg()[0]
            times: dict[str, list[list[float]]] = {tree.name: [] for tree in trees}
            for batch, start in enumerate(range(0, n, BATCH)):
                order = trees if batch % 2 == 0 else trees[::-1]  # each goes first half of the time
                for tree in order:
                    times[tree.name] += tree.ask(f"time {start} {min(n, start + BATCH)}")
            for tree in trees:
                result = {
                    "wall": _summary([w for w, _ in times[tree.name]]),
                    "cpu": _summary([c for _, c in times[tree.name]]),
                    "load_average": (load + os.getloadavg()[0]) / 2,
                }
                results[tree.name].append(result)
                print(_row(tree.name, run, result), flush=True)
        print(f"\n{n} questions timed ({'+'.join(timed)}), best of {PASSES} each, engine warm; the trees "
              f"take turns every {BATCH} questions.")  # fmt: skip
        base = trees[0].name
        for tree in trees[1:]:  # each against the first: the baseline, else "this, kept off"
            for kind in ("wall", "cpu"):
                for key in ("p99", "slowest"):
                    ratios = [
                        mine[kind][key] / first[kind][key]
                        for first, mine in zip(results[base], results[tree.name], strict=True)
                    ]
                    print(
                        f"{kind} {key} {tree.name} / {base}, by run: " + ", ".join(f"{r:.2f}" for r in ratios)
                    )
        if len(trees) > 1:
            old = trees[0].ask("digests")
            for tree in trees[1:]:
                new = tree.ask("digests")
                same = [q for q in new if old.get(q) == new[q]]
                print(
                    f"identical replies ({'+'.join(replies)}), {tree.name} and {base}: "
                    f"{len(same)} / {len(new)}"
                )
                for q in [q for q in new if old.get(q) != new[q]][:10]:
                    print(f"  differs: {q!r}")
    finally:
        for tree in trees:
            tree.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
