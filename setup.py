"""Build step: copy the knowledge base into the package (`bot/_bundled/`) so a wheel answers on its own.

The top-level `knowledge/` directory and `intents.yaml` stay the source of truth; `bot.engine.paths`
reads the checkout when it is there (`pip install -e .`) and this packaged copy otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithKnowledge(build_py):
    """build_py that also copies `knowledge/` and `intents.yaml` to `bot/_bundled/` in the build tree."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "bot" / "_bundled"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "knowledge", target / "knowledge")
        shutil.copy2(ROOT / "intents.yaml", target / "intents.yaml")
        (target / "__init__.py").write_text('"""The knowledge base shipped inside the package."""\n')


setup(cmdclass={"build_py": BuildWithKnowledge})
