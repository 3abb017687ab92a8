"""Installed as a user installs it: a wheel built from the sdist of this checkout, in a fresh venv,
with `pip install --only-binary=:all:` (nothing compiled, no PyGObject).

Then, with that venv's own commands: the sdist's tests pass against the installed package;
`standup desktop install` puts a menu entry and metainfo that Debian's validators accept, and an
icon GTK finds by the entry's Icon= name; `standup run` on an X11 desktop whose panel hosts
StatusNotifierItems (xfce4-panel) shows its tray item, and the item's menu, read over dbusmenu, is
the tray's menu. The build and the venv are made once for the module (about half a minute).
Screenshot: test-artifacts/e2e/install-panel.png.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from standup import APP_ID, __version__
from standup.core.model import State
from standup.desktop import tray
from tests.e2e.desktop import REPO, Box, Desktop, Standup, wait_for

pytestmark = pytest.mark.skipif(not Path("/usr/bin/xfce4-panel").exists(), reason="xfce4-panel is not installed")
CONFIG = 'interval_minutes = 30\nsnooze_minutes = 10\nwork_hours = "00:00-24:00"\nworkdays = ["mon","tue","wed","thu","fri","sat","sun"]\n'
SDIST_TESTS = ["tests/test_policy.py", "tests/test_model.py", "tests/test_autostart.py", "tests/test_desktop_files.py"]


def run(argv: list[str | Path], timeout: float = 300, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=timeout, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{' '.join(map(str, argv))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist of this checkout, unpacked."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(out)!r})"], cwd=REPO)
    [archive] = out.glob("standup-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(out, filter="data")
    return out / f"standup-{__version__}"


@pytest.fixture(scope="module")
def venv(sdist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel built from the sdist, installed from wheels only (and pytest)."""
    wheels = tmp_path_factory.mktemp("wheels")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, sdist])
    [wheel] = wheels.glob("standup-*.whl")
    place = tmp_path_factory.mktemp("venv") / "standup-venv"
    run([sys.executable, "-m", "venv", place])
    run([place / "bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "--only-binary=:all:",
         wheel, "pytest"])
    return place


@pytest.fixture(scope="module")
def panel_desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    from tests.e2e.panels import start_xfce4_panel

    desktop = Desktop(tmp_path_factory.mktemp("install-desktop"), tray="").start()
    try:
        start_xfce4_panel(desktop)
        yield desktop
    finally:
        desktop.stop()


def test_1_the_wheel_installs_without_compiling_and_its_commands_answer(venv: Path) -> None:
    python = venv / "bin/python"
    assert subprocess.run([python, "-c", "import gi"], capture_output=True).returncode != 0, "PyGObject came along"
    assert run([python, "-c", "import standup; print(standup.__file__)"]).stdout.startswith(str(venv))
    assert run([venv / "bin/standup", "--version"]).stdout == f"standup {__version__}\n"
    assert run([venv / "bin/standup-tray", "--version"], timeout=20).stdout == f"standup {__version__}\n"
    helped = run([venv / "bin/standup-tray", "--help"], timeout=20)
    assert helped.stdout.startswith("usage: standup-tray")


def test_2_the_sdists_tests_pass_against_the_installed_wheel(sdist: Path, venv: Path) -> None:
    tested = run([venv / "bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *SDIST_TESTS], cwd=sdist,
                 timeout=180)
    assert " passed" in tested.stdout and "failed" not in tested.stdout


def test_3_the_installed_menu_entry_metainfo_and_icons_validate(venv: Path, panel_desktop: Desktop,
                                                               tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = home / ".local/share"
    env = dict(panel_desktop.env, HOME=str(home), STANDUP_HOME=str(tmp_path / "standup"))
    env.pop("XDG_DATA_HOME", None)
    said = run([venv / "bin/standup", "desktop", "install"], env=env, timeout=30).stdout
    assert "applications menu" in said
    entry = data / f"applications/{APP_ID}.desktop"
    metainfo = data / f"metainfo/{APP_ID}.metainfo.xml"
    assert f"Exec={venv}/bin/standup run\n" in entry.read_text()
    checked = run(["desktop-file-validate", entry])
    assert checked.stdout == ""
    run(["appstreamcli", "validate", "--no-net", metainfo])
    if shutil.which("gtk-update-icon-cache") and _has_gi():
        found = run([sys.executable, "-c", "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk; "
                     f"info = Gtk.IconTheme.get_default().lookup_icon({APP_ID!r}, 48, 0); "
                     "print(info.get_filename() if info else '')"], env=dict(env, XDG_DATA_DIRS="/usr/share"), timeout=30)
        assert found.stdout.strip() == str(data / f"icons/hicolor/48x48/apps/{APP_ID}.png")
    run([venv / "bin/standup", "desktop", "uninstall"], env=env, timeout=30)
    assert [p for p in data.rglob("*") if p.is_file()] == []


def _has_gi() -> bool:
    return subprocess.run([sys.executable, "-c", "import gi"], capture_output=True).returncode == 0


def test_4_standup_run_shows_the_tray_with_its_menu(venv: Path, panel_desktop: Desktop, tmp_path: Path) -> None:
    from tests.e2e.panels import SniProbe

    probe = SniProbe(panel_desktop.env["DBUS_SESSION_BUS_ADDRESS"])
    app = Standup(panel_desktop, tmp_path / "home", CONFIG, {"PYSTRAY_BACKEND": ""}, executable=venv / "bin/standup")
    try:
        with app.running_with_tray():
            item = probe.wait_for_item(app.pid)
            menu = probe.menu(item)
            now = datetime.now(timezone.utc)
            status = SimpleNamespace(open_prompt=None, state=State.SITTING, now=now, sitting_since=now,
                                     next_prompt_at=now + timedelta(minutes=30), paused_until=None)
            # the clickable entries (the first line, where you stand, changes with the minute)
            model = [entry.label for entry in tray.menu_entries(status, 10) if entry.action or entry.children]
            clickable = [label for label, entry in menu.items() if entry["enabled"] or entry["children"]]
            assert [label for label in model if label in clickable] == clickable and len(clickable) >= 5
            assert set(model) <= set(menu), f"menu over dbusmenu: {list(menu)}"
            assert app.status()["tray"] == "sni"
            panel_desktop.screenshot("install-panel", Box(0, 0, 1024, 32))
    finally:
        probe.close()
