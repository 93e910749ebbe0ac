"""docs/python-api.md is run as it is written: a reader copies its examples."""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_python_api_page_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "site.toml", tmp_path / "examples" / "site.toml")
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(
        str(ROOT / "docs" / "python-api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS,
        verbose=False,
    )
    assert result.attempted >= 15
    assert result.failed == 0
    assert (tmp_path / "out" / "kit" / "manifest.json").is_file()


def test_the_verbs_are_exported_lazily_from_the_root() -> None:
    import dualstack
    from dualstack import kit, plan

    assert dualstack.load_site is plan.load_site
    assert dualstack.check is plan.check
    assert dualstack.render_kit is kit.render_kit
    assert dualstack.write_kit is kit.write_kit
    assert {"load_site", "check", "render_kit", "write_kit"} <= set(dualstack.__all__)
    assert all(hasattr(dualstack, name) for name in dualstack.__all__)
