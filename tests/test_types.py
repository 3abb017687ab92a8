"""The source type-checks: `mypy src` (its settings in pyproject's [tool.mypy]) finds no error."""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).parent.parent
SRC = ROOT / "src"


def test_mypy_finds_no_error_in_src():
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (it comes with the `test` extra: pip install -e '.[test]')")
    checked = subprocess.run([sys.executable, "-m", "mypy", "src"], cwd=ROOT, capture_output=True, text=True,
                             timeout=600)
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0, f"mypy src found errors:\n{report}"
    assert "Success: no issues found" in report, report
