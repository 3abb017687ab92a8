"""The wheel carries the bundled assets, readable through importlib.resources."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_the_wheel_ships_routines_icons_and_desktop_entry(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                            str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("standup-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {p.relative_to(ROOT / "assets").as_posix() for p in (ROOT / "assets").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert {f"standup/assets/{name}" for name in bundled} <= names
    assert any(name.endswith("entry_points.txt") for name in names)


def test_assets_are_read_through_importlib_resources():
    from importlib.resources import files

    routines = [p.name for p in files("standup.assets").joinpath("routines").iterdir() if p.name.endswith(".toml")]
    assert routines and files("standup.assets").joinpath("standup.desktop").is_file()
