"""`python -m bench.credentials`: how fast a credential file is answered, and what `cmf-bot ask` loads.

- 2 MB files (just under the 2 MiB cap), answered end to end by `cmf-bot credential FILE --json` in a
  fresh process (median of 5 after one warm-up; Python start, database open, imports included) and
  by `check_file` in a warm process (median and longest of 5):
  a Europass EDC sealed with JAdES (signed here with a throw-away seal, so its signature is valid),
  an Open Badge 3.0 with a Data Integrity proof over the RDF canonicalisation cap, and one with an
  eddsa-jcs-2022 proof (JSON canonicalisation of the whole 2 MB).
- a document near the canonicalisation caps (a signed OB 3.0 with 480 alignments, about 2,450 JSON
  values), the heaviest case the caps let through.
- which verification libraries a `cmf-bot ask` process imports (the cold start must not change).
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pyld", "cryptography", "joserfc", "base58", "rfc8785", "defusedxml", "lxml", "aiohttp")
TARGET_BYTES = 2_000_000
RUNS = 5


def _pad(doc: dict[str, Any], path: tuple[str, ...], target: int, dump: Any = json.dumps) -> dict[str, Any]:
    """`doc` with a long text at `path` so that its serialisation is `target` bytes."""
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = ""
    node[path[-1]] = "x" * (target - len(dump(out)))
    return out


def files(tmp: Path) -> dict[str, Path]:
    """The benchmark files, written to `tmp`."""
    sys.path.insert(0, str(ROOT / "tests"))
    from credential_factory import (
        ed25519_did_key,
        jades,
        sample,
        seal_certificate,
        sign_data_integrity,
    )

    out: dict[str, Path] = {}
    edc = json.loads(json.loads(sample("mynextid_edc-microcredential_JAdES-signed.jsonld"))["payload"])
    key, cert = seal_certificate("Bench Seal OU", "NTREE-00000000")
    envelope = len(json.dumps(jades("", key, cert)))
    payload = _pad(edc, ("credentialSubject", "hasClaim", "description", "en"), TARGET_BYTES - envelope - 200)
    sealed = json.dumps(jades(json.dumps(payload), key, cert))
    out["edc-jades"] = tmp / "edc-2mb.jsonld"
    out["edc-jades"].write_text(sealed, encoding="utf-8")

    badge = json.loads(sample("dcc_ob3_vc2_eddsa-rdfc-2022_didkey_basic.json"))
    big = _pad(badge, ("credentialSubject", "achievement", "description"), TARGET_BYTES)
    out["ob3-rdfc"] = tmp / "ob3-rdfc-2mb.json"
    out["ob3-rdfc"].write_text(json.dumps(big), encoding="utf-8")

    did_key, vm = ed25519_did_key()
    unsigned = {k: v for k, v in badge.items() if k != "proof"}
    unsigned["issuer"] = {"id": vm.split("#")[0], "type": ["Profile"], "name": "Bench University"}
    proof_size = len(json.dumps(sign_data_integrity(unsigned, did_key, vm, "eddsa-jcs-2022"))) - len(
        json.dumps(unsigned)
    )
    padded = _pad(
        unsigned, ("credentialSubject", "achievement", "description"), TARGET_BYTES - proof_size - 10
    )
    out["ob3-jcs"] = tmp / "ob3-jcs-2mb.json"
    out["ob3-jcs"].write_text(
        json.dumps(sign_data_integrity(padded, did_key, vm, "eddsa-jcs-2022")), encoding="utf-8"
    )

    many = copy.deepcopy(unsigned)
    many["credentialSubject"]["achievement"]["alignment"] = [
        {
            "type": ["Alignment"],
            "targetName": f"outcome {i} " + "y" * 100,
            "targetUrl": f"https://a.example/{i}",
        }
        for i in range(480)
    ]
    out["ob3-rdfc-largest"] = tmp / "ob3-rdfc-largest.json"
    out["ob3-rdfc-largest"].write_text(json.dumps(sign_data_integrity(many, did_key, vm)), encoding="utf-8")
    return out


def _cli(path: Path, db: Path) -> tuple[float, dict[str, Any]]:
    script = Path(sys.executable).with_name("cmf-bot")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    t = time.perf_counter()
    proc = subprocess.run(
        [*cmd, "credential", str(path), "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        env=dict(os.environ, CMF_BOT_KNOWLEDGE=str(ROOT)),
        check=False,
    )
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"cmf-bot credential failed: {proc.stderr[-2000:]}")
    return wall, json.loads(proc.stdout)


def rows(runs: int = RUNS) -> list[dict[str, Any]]:
    """One row per file: size, outcome, end-to-end median, in-process median and max."""
    from bot.credentials.cli import open_knowledge
    from bot.credentials.report import check_file

    results = []
    with tempfile.TemporaryDirectory(prefix="cmf-bench-cred-") as tmp:
        tmp_dir = Path(tmp)
        db = tmp_dir / "db.sqlite3"
        made = files(tmp_dir)
        knowledge = open_knowledge(str(db), str(ROOT))
        for name, path in made.items():
            data = path.read_bytes()
            _cli(path, db)  # warm-up (and the first run builds nothing: the DB exists)
            walls, outcome = [], ""
            for _ in range(runs):
                wall, report = _cli(path, db)
                walls.append(wall)
                outcome = report["outcome"] + (
                    f" ({report['signatures'][0]['reason']})" if report["signatures"][0]["reason"] else ""
                )
            inside = []
            for _ in range(runs):
                t = time.perf_counter()
                check_file(data, knowledge, "en")
                inside.append(time.perf_counter() - t)
            results.append(
                {
                    "file": name,
                    "bytes": len(data),
                    "outcome": outcome,
                    "cli_median_s": statistics.median(walls),
                    "cli_max_s": max(walls),
                    "check_median_s": statistics.median(inside),
                    "check_max_s": max(inside),
                    "runs": runs,
                }
            )
    return results


def ask_imports() -> list[str]:
    """The verification libraries a `cmf-bot ask` process has imported when it exits."""
    with tempfile.TemporaryDirectory(prefix="cmf-bench-ask-") as tmp:
        code = (
            "import sys; from bot.cli import main; "
            "main(['ask', 'what is the cmf', '--json', '--no-log', '--db', sys.argv[1]]); "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code, str(Path(tmp) / "db.sqlite3")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=dict(os.environ, CMF_BOT_KNOWLEDGE=str(ROOT)),
            check=True,
        )
    return json.loads(proc.stdout.strip().splitlines()[-1].replace("'", '"'))


LABELS = {
    "edc-jades": "Europass EDC sealed with JAdES (valid seal)",
    "ob3-rdfc": "Open Badge 3.0, eddsa-rdfc-2022 (over the canonicalisation cap)",
    "ob3-jcs": "Open Badge 3.0, eddsa-jcs-2022 (whole file canonicalised)",
    "ob3-rdfc-largest": "Open Badge 3.0, eddsa-rdfc-2022, near the canonicalisation caps (480 alignments)",
}


def table_rows(results: list[dict[str, Any]], imports: list[str]) -> list[tuple[str, str, str, str]]:
    """Rows for bench/run.py's table: (measure, cmf-bot, baseline, ratio)."""
    out = []
    for r in results:
        size = f"{r['bytes'] / 1_000_000:.1f} MB" if r["bytes"] > 500_000 else f"{r['bytes'] // 1000} kB"
        out.append(
            (
                f"credential file {size}, {LABELS.get(r['file'], r['file'])}: answered by "
                f"`cmf-bot credential` (median / max of {r['runs']}) · `check_file` warm (median / max) "
                f"→ {r['outcome']}",
                f"{r['cli_median_s']:.2f} s / {r['cli_max_s']:.2f} s · "
                f"{1000 * r['check_median_s']:.0f} ms / {1000 * r['check_max_s']:.0f} ms",
                "—",
                "—",
            )
        )
    out.append(("verification libraries imported by `cmf-bot ask`", ", ".join(imports) or "none", "—", "—"))
    return out


def main() -> int:
    results = rows()
    imports = ask_imports()
    for measure, ours, _, _ in table_rows(results, imports):
        print(f"| {measure} | {ours} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
