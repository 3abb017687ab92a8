"""Start standup at login: an XDG autostart entry, a LaunchAgent, or the Windows Run key.

What each platform needs is data (`target_for`): the file or registry value, and its content from
pure generators (`desktop_entry`, `launch_agent`, `run_key_value`). On XDG desktops the entry is the
menu entry (adapters/desktop_entry.py) plus the autostart keys. `enable`, `disable` and `status`
apply a target, and take away an entry an older standup wrote under its former name; only the
Windows registry needs a library (winreg, imported lazily).
"""

from __future__ import annotations

import logging
import plistlib
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from standup import APP_ID
from standup.adapters import desktop_entry as entries

log = logging.getLogger(__name__)

RUN_VALUE = "standup"
LAUNCH_AGENT_LABEL = APP_ID
# Where standup 0.1 put its entries before it had an application id: removed on enable and disable.
FORMER_NAMES = {"xdg-autostart": "standup.desktop", "launch-agent": "io.github.standup.plist"}
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"

XDG, LAUNCH_AGENT, WINDOWS_RUN = "xdg-autostart", "launch-agent", "windows-run-key"


@dataclass(frozen=True)
class Target:
    """Where the login entry lives on this platform and what it holds."""

    kind: str
    location: str  # a file path, or HKCU\...\Run\standup
    content: str  # file text, or the registry value

    @property
    def former(self) -> Path | None:
        """The file an older standup wrote for this target, if it had another name then."""
        name = FORMER_NAMES.get(self.kind)
        return Path(self.location).with_name(name) if name else None


@dataclass(frozen=True)
class AutostartState:
    enabled: bool
    location: str
    current: bool  # the entry starts this installation's standup (not a stale path)

    def as_json(self) -> dict[str, object]:
        return {"enabled": self.enabled, "location": self.location, "current": self.current}


def launch_command(python: str | None = None, scripts_dir: Path | None = None, windows: bool = False) -> list[str]:
    """The command that starts `standup run` for this installation.

    Prefers the installed console script next to the interpreter (`standup-tray` on Windows: no
    console window), else `python -m standup run`.
    """
    python = python or sys.executable
    scripts = scripts_dir or Path(python).parent
    if windows:
        gui = scripts / "standup-tray.exe"
        if gui.exists():
            return [str(gui)]
        pythonw = Path(python).with_name("pythonw.exe")
        return [str(pythonw if pythonw.exists() else python), "-m", "standup", "run"]
    script = scripts / "standup"
    if script.exists():
        return [str(script), "run"]
    return [python, "-m", "standup", "run"]


def desktop_entry(command: Sequence[str]) -> str:
    """An XDG autostart entry: the menu entry running `command`, plus the autostart keys."""
    return entries.autostart_entry(command)


def launch_agent(command: Sequence[str], log_dir: Path | None = None) -> str:
    """A macOS LaunchAgent plist that runs `command` at login (not kept alive: Quit means quit)."""
    plist: dict[str, object] = {
        "Label": LAUNCH_AGENT_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "KeepAlive": False,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    if log_dir is not None:
        plist["StandardErrorPath"] = str(log_dir / "launchd.err.log")
    return plistlib.dumps(plist).decode()


def run_key_value(command: Sequence[str]) -> str:
    """The HKCU Run value: a command line with Windows quoting."""
    return subprocess.list2cmdline(list(command))


def target_for(platform: str, env: Mapping[str, str], home: Path, command: Sequence[str] | None = None) -> Target:
    """The login entry for `platform` (sys.platform) in the user's `home`."""
    if platform == "win32":
        return Target(WINDOWS_RUN, f"HKCU\\{RUN_KEY}\\{RUN_VALUE}", run_key_value(command or launch_command(windows=True)))
    if platform == "darwin":
        path = home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
        return Target(LAUNCH_AGENT, str(path), launch_agent(command or launch_command(), home / "Library" / "Logs"))
    config = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    return Target(XDG, str(config / "autostart" / entries.ENTRY_NAME), desktop_entry(command or launch_command()))


# ---- applying a target ----------------------------------------------------------------------


def _winreg() -> ModuleType:
    """The winreg module (Windows only), imported when needed."""
    import importlib

    return importlib.import_module("winreg")


class Registry:
    """The HKCU Run key through winreg (Windows only)."""

    def read(self) -> str | None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _ = winreg.QueryValueEx(key, RUN_VALUE)
                return str(value)
        except FileNotFoundError:
            return None

    def write(self, value: str) -> None:
        winreg = _winreg()

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, value)

    def delete(self) -> None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, RUN_VALUE)
        except FileNotFoundError:
            pass


def enable(target: Target, registry: Registry | None = None) -> None:
    if target.kind == WINDOWS_RUN:
        (registry or Registry()).write(target.content)
        return
    path = Path(target.location)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(target.content, encoding="utf-8")
    tmp.replace(path)
    _remove_former(target)
    log.info("autostart enabled: %s", path)


def disable(target: Target, registry: Registry | None = None) -> bool:
    """Removes the entry; returns whether there was one."""
    if target.kind == WINDOWS_RUN:
        registry = registry or Registry()
        existed = registry.read() is not None
        registry.delete()
        return existed
    path = Path(target.location)
    former = _remove_former(target)
    try:
        path.unlink()
    except FileNotFoundError:
        return former
    log.info("autostart disabled: %s", path)
    return True


def _remove_former(target: Target) -> bool:
    """Removes the entry an older standup wrote under its former name, if it is one of ours."""
    former = target.former
    if former is None:
        return False
    try:
        text = former.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, IsADirectoryError):
        return False
    if "standup" not in (entries.exec_of(text) if target.kind == XDG else text):
        return False  # someone else's file under that name
    former.unlink()
    log.info("removed the former autostart entry %s", former)
    return True


def status(target: Target, registry: Registry | None = None) -> AutostartState:
    if target.kind == WINDOWS_RUN:
        value = (registry or Registry()).read()
        return AutostartState(value is not None, target.location, value == target.content)
    path = Path(target.location)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        former = target.former
        if former is not None and former.is_file():
            return AutostartState(True, str(former), False)  # `enable` replaces it
        return AutostartState(False, target.location, False)
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        return AutostartState(True, target.location, False)
    return AutostartState(True, target.location, text == target.content)


def describe_command(target: Target) -> str:
    """A one-line summary of what the entry runs (for `autostart status`)."""
    if target.kind == XDG:
        return entries.exec_of(target.content)
    if target.kind == LAUNCH_AGENT:
        return shlex.join(plistlib.loads(target.content.encode())["ProgramArguments"])
    return target.content
