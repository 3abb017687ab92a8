"""What ships: the wheel carries every subpackage and the bundled assets; the sdist is the whole
project (tests and their helpers included); the metadata says what PyPI and pip need to know."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


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
    modules = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src" / "standup").rglob("*.py")}
    assert modules <= names
    assert any(name.endswith("entry_points.txt") for name in names)
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "License-Expression: MIT" in text
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_every_subpackage_is_in_the_package_list():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src" / "standup").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "standup.assets" in listed


def test_the_metadata_names_license_urls_and_classifiers():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert {"Homepage", "Source", "Issues"} <= set(project["urls"])
    assert project["keywords"] and "Intended Audience :: End Users/Desktop" in project["classifiers"]
    # PEP 639: a license expression excludes license classifiers, and needs setuptools 77
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]


def test_assets_are_read_through_importlib_resources():
    from importlib.resources import files

    from standup import APP_ID

    routines = [p.name for p in files("standup.assets").joinpath("routines").iterdir() if p.name.endswith(".toml")]
    assert routines and files("standup.assets").joinpath(f"{APP_ID}.desktop").is_file()
    assert files("standup.assets").joinpath(f"{APP_ID}.metainfo.xml").is_file()


@pytest.mark.slow
def test_the_sdist_holds_every_file_of_the_checkout(tmp_path):
    """Every file git tracks goes into the sdist, the tests' helpers with them."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist, say)")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    built = subprocess.run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"],
                           cwd=ROOT, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    [sdist] = tmp_path.glob("standup-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.partition("/")[2] for name in archive.getnames()}
    missing = sorted(set(tracked) - names - {".gitignore"})
    assert missing == [], "add these to MANIFEST.in"
    assert {"tests/fakes.py", "tests/processes.py", "tests/e2e/desktop.py", "LICENSE"} <= names
    assert not [name for name in names if "__pycache__" in name or name.startswith("test-artifacts")]
