"""Autostart entries for Linux, macOS and Windows: generated content, and enabling on this machine."""

from __future__ import annotations

import configparser
import io
import plistlib
from pathlib import Path

import pytest

from standup.adapters import autostart, desktop_entry
from standup.adapters.autostart import LAUNCH_AGENT, WINDOWS_RUN, XDG, Target, target_for

COMMAND = ["/home/ana/.venv/bin/standup", "run"]
ENTRY = "io.github.standup.Standup.desktop"


def test_xdg_entry_is_a_valid_desktop_file() -> None:
    text = autostart.desktop_entry(COMMAND)
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read_string(text)
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "/home/ana/.venv/bin/standup run"
    assert section["Terminal"] == "false"
    assert section["X-GNOME-Autostart-enabled"] == "true"


def test_the_autostart_entry_is_the_menu_entry_plus_the_autostart_keys() -> None:
    menu = desktop_entry.menu_entry(COMMAND)
    assert autostart.desktop_entry(COMMAND) == menu + "X-GNOME-Autostart-enabled=true\nX-GNOME-Autostart-Delay=10\n"
    bundled = desktop_entry.bundled_entry()
    assert menu == bundled.replace("Exec=standup run", "Exec=/home/ana/.venv/bin/standup run")


def test_enable_and_disable_take_away_the_entry_under_its_former_name(tmp_path: Path) -> None:
    target = target_for("linux", {}, tmp_path, COMMAND)
    former = Path(target.location).with_name("standup.desktop")
    former.parent.mkdir(parents=True)
    former.write_text("[Desktop Entry]\nType=Application\nName=standup\nExec=/old/venv/bin/standup run\n")
    state = autostart.status(target)
    assert state.enabled and not state.current and state.location == str(former)
    autostart.enable(target)
    assert not former.exists() and autostart.status(target).current
    former.write_text("[Desktop Entry]\nType=Application\nName=standup\nExec=/old/venv/bin/standup run\n")
    assert autostart.disable(target)
    assert not former.exists() and not Path(target.location).exists()
    assert not autostart.disable(target)


def test_a_file_under_the_former_name_that_is_not_ours_stays(tmp_path: Path) -> None:
    target = target_for("linux", {}, tmp_path, COMMAND)
    former = Path(target.location).with_name("standup.desktop")
    former.parent.mkdir(parents=True)
    former.write_text("[Desktop Entry]\nType=Application\nName=Stand-up meeting\nExec=meet --daily\n")
    autostart.enable(target)
    assert autostart.disable(target)
    assert former.exists()


def test_xdg_exec_quotes_spaces_and_percent() -> None:
    text = autostart.desktop_entry(["/opt/my apps/bin/python", "-m", "standup", "run", "100%"])
    assert 'Exec="/opt/my apps/bin/python" -m standup run 100%%' in text


def test_xdg_location_follows_xdg_config_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert target_for("linux", {}, home, COMMAND).location == str(home / f".config/autostart/{ENTRY}")
    assert target_for("linux", {"XDG_CONFIG_HOME": "/cfg"}, home, COMMAND).location == f"/cfg/autostart/{ENTRY}"
    assert target_for("freebsd13", {}, home, COMMAND).kind == XDG


def test_launch_agent_plist(tmp_path: Path) -> None:
    target = target_for("darwin", {}, tmp_path, COMMAND)
    assert target.kind == LAUNCH_AGENT
    assert target.location == str(tmp_path / "Library/LaunchAgents/io.github.standup.Standup.plist")
    plist = plistlib.loads(target.content.encode())
    assert plist["Label"] == "io.github.standup.Standup"
    assert plist["ProgramArguments"] == COMMAND
    assert plist["RunAtLoad"] is True and plist["KeepAlive"] is False
    assert autostart.describe_command(target) == "/home/ana/.venv/bin/standup run"


def test_windows_run_key_value_is_quoted(tmp_path: Path) -> None:
    target = target_for("win32", {}, tmp_path, [r"C:\Users\Ana Lee\venv\Scripts\standup-tray.exe"])
    assert target.kind == WINDOWS_RUN
    assert target.location.endswith(r"CurrentVersion\Run\standup")
    assert target.content == r'"C:\Users\Ana Lee\venv\Scripts\standup-tray.exe"'


def test_launch_command_prefers_the_console_script(tmp_path: Path) -> None:
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    assert autostart.launch_command(str(python)) == [str(python), "-m", "standup", "run"]
    (tmp_path / "bin" / "standup").touch()
    assert autostart.launch_command(str(python)) == [str(tmp_path / "bin" / "standup"), "run"]


def test_launch_command_on_windows_prefers_the_gui_script(tmp_path: Path) -> None:
    python = tmp_path / "python.exe"
    assert autostart.launch_command(str(python), tmp_path, windows=True) == [str(python), "-m", "standup", "run"]
    (tmp_path / "pythonw.exe").touch()
    assert autostart.launch_command(str(python), tmp_path, windows=True)[0] == str(tmp_path / "pythonw.exe")
    (tmp_path / "standup-tray.exe").touch()
    assert autostart.launch_command(str(python), tmp_path, windows=True) == [str(tmp_path / "standup-tray.exe")]


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_enable_status_disable_with_files(tmp_path: Path, platform: str) -> None:
    target = target_for(platform, {}, tmp_path, COMMAND)
    assert not autostart.status(target).enabled
    autostart.enable(target)
    state = autostart.status(target)
    assert state.enabled and state.current
    assert Path(target.location).read_text() == target.content
    stale = Target(target.kind, target.location, target.content.replace("ana", "bob"))
    assert not autostart.status(stale).current
    assert autostart.disable(target)
    assert not Path(target.location).exists()
    assert not autostart.disable(target)


class FakeRegistry:
    def __init__(self) -> None:
        self.value: str | None = None

    def read(self) -> str | None:
        return self.value

    def write(self, value: str) -> None:
        self.value = value

    def delete(self) -> None:
        self.value = None


def test_enable_status_disable_with_the_registry(tmp_path: Path) -> None:
    target, registry = target_for("win32", {}, tmp_path, ["C:\\standup-tray.exe"]), FakeRegistry()
    autostart.enable(target, registry)
    assert registry.value == "C:\\standup-tray.exe"
    assert autostart.status(target, registry).current
    assert autostart.disable(target, registry)
    assert not autostart.status(target, registry).enabled


def test_cli_autostart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = pytest.importorskip("standup.cli.main")
    from standup.adapters.paths import resolve_paths

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setattr("sys.platform", "linux")

    def run(*argv: str) -> tuple[int, str]:
        out = io.StringIO()
        ctx = cli.Context(resolve_paths({"STANDUP_HOME": str(tmp_path / "sh")}), out, io.StringIO())
        return cli.main(list(argv), ctx=ctx), out.getvalue()

    assert run("autostart", "status") == (0, "autostart: off (`standup autostart enable` turns it on)\n")
    code, text = run("autostart", "enable")
    assert code == 0 and f"cfg/autostart/{ENTRY}" in text
    assert (tmp_path / f"cfg/autostart/{ENTRY}").read_text().startswith("[Desktop Entry]")
    assert run("autostart", "status")[1].startswith("autostart: on (")
    code, text = run("autostart", "disable")
    assert code == 0 and not (tmp_path / f"cfg/autostart/{ENTRY}").exists()
