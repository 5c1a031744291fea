"""A built wheel carries the knowledge base: installed outside the checkout, `cmf-bot ask` answers.

Slow (builds a wheel and a virtual environment); marked ``slow`` in conftest.py.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "how many hours is a microcredential?"


def _run(
    argv: list[str], cwd: Path, env: dict[str, str], timeout: float = 600
) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_wheel_installed_outside_the_checkout_answers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"CMF_BOT_KNOWLEDGE", "CMF_BOT_DB", "PYTHONPATH"}}
    wheels = tmp_path / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(wheels)], ROOT, env)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("cmf_bot-*.whl")

    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    installed = _run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], tmp_path, env
    )
    assert installed.returncode == 0, installed.stderr
    # the dependencies come from this interpreter's site-packages (a plain path: its .pth files, among
    # them the editable install of the checkout, are not processed), so no download is needed
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env
    )
    deps = [*site.getsitepackages(), sysconfig.get_paths()["purelib"]]
    Path(purelib.stdout.strip(), "cmf_deps.pth").write_text("\n".join(dict.fromkeys(deps)) + "\n")

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    where = _run(
        [str(python), "-c", "import bot.engine.paths as p; print(p.__file__); print(p.PROJECT_ROOT)"],
        outside,
        env,
    )
    module, root = where.stdout.split()
    assert Path(module).is_relative_to(target) and Path(root).is_relative_to(target), where.stdout

    wheel_answer = _run([str(target / "bin" / "cmf-bot"), "ask", QUESTION], outside, env)
    assert wheel_answer.returncode == 0, wheel_answer.stderr
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-checkout")
    checkout_answer = _run([sys.executable, "-m", "bot", "ask", QUESTION], ROOT, env)
    assert checkout_answer.returncode == 0, checkout_answer.stderr
    assert wheel_answer.stdout == checkout_answer.stdout and "http" in wheel_answer.stdout
