"""Plain YAML reading through libyaml when PyYAML has it.

The knowledge loader parses YAML itself (it needs line numbers for its errors); the bundled UI
strings are only read, and PyYAML's pure-Python parser took ~0.2 s of every `cmf-bot ask` cold start
for them. `yaml.CSafeLoader` reads the same files ~10× faster and builds the same values; PyYAML
wheels ship it, a source build without libyaml falls back to the pure-Python `SafeLoader`.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """`yaml.safe_load(text)`, with libyaml's parser when available."""
    return yaml.load(text, Loader=SafeLoader)
