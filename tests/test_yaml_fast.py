"""The libyaml reader of the bundled UI strings builds exactly what PyYAML's safe_load builds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.engine import yaml_fast

UI_FILES = sorted((Path(__file__).resolve().parents[1] / "knowledge" / "ui").glob("*.yaml"))


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_bundled_ui_files_read_the_same_as_safe_load(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml_fast.safe_load(text) == yaml.safe_load(text)


def test_uses_libyaml_when_pyyaml_has_it() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert yaml_fast.SafeLoader is expected


def test_refuses_python_objects_like_safe_load() -> None:
    with pytest.raises(yaml.YAMLError):
        yaml_fast.safe_load("!!python/object/apply:os.system ['true']")
