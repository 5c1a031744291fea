"""Running one stage of a benchmark in a fresh process, so that its peak memory and imports are its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_stage(module: str, *args: str) -> list[dict[str, Any]]:
    """`python -m <module> --stage <args…>` in the project root: the JSON objects it printed, one a
    line, in order. RuntimeError with the end of its stderr when it fails."""
    proc = subprocess.run(
        [sys.executable, "-m", module, "--stage", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode:
        raise RuntimeError(f"stage {args} failed:\n{proc.stderr[-2000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
