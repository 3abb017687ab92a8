"""A real Wayland session for the end-to-end tests: headless sway, waybar (the SNI host) and mako.

sway refuses to run as root, so as root the session runs as an unprivileged user made for it
(`standup-e2e`); every process is started with that uid directly (no su in between), so each PID
is the program's own and is ended by it. That user cannot read a pyenv interpreter or the checkout
under root's home: `WaylandSession.install` gives it a venv made from Debian's /usr/bin/python3 in a
world-readable folder, with standup installed from a wheel (non-editable). The session bus is the
user's own; a session bus only lets its own uid in, so every question to it runs as that user.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from tests.e2e.desktop import REPO, E2EError, end_by_pid, wait_for
from tests.processes import noon_tz

USER = "standup-e2e"
NEEDED = ("sway", "waybar", "mako", "makoctl", "grim", "dbus-daemon")
SWAY_CONFIG = """\
output HEADLESS-1 resolution 1280x800
bar {
    swaybar_command waybar
}
"""
WAYBAR_CONFIG = {"layer": "top", "position": "top", "height": 30, "modules-left": ["sway/workspaces"],
                 "modules-right": ["tray", "clock"], "tray": {"icon-size": 22, "spacing": 6}}


def missing() -> str | None:
    """Why the Wayland session cannot run here, or None."""
    absent = [name for name in NEEDED if shutil.which(name) is None]
    if absent:
        return f"not installed: {', '.join(absent)} (scripts/setup.sh test installs them)"
    if not Path("/usr/bin/python3").exists():
        return "no /usr/bin/python3 for the session user's venv"
    if os.geteuid() == 0 and shutil.which("useradd") is None:
        return "no useradd to make the session's user"
    return None


class WaylandSession:
    """The user, the folder it may read, its session bus, sway + waybar + mako; ended by PID."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.procs: list[subprocess.Popen[bytes]] = []
        self.bus_pid: int | None = None
        if os.geteuid() == 0:
            if subprocess.run(["id", USER], capture_output=True).returncode:
                subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", USER], check=True)
            entry = pwd.getpwnam(USER)
        else:
            entry = pwd.getpwuid(os.geteuid())
        self.uid, self.gid, self.home = entry.pw_uid, entry.pw_gid, entry.pw_dir
        root.mkdir(parents=True, exist_ok=True)
        for folder in [root, *root.parents]:
            if folder == Path("/"):
                break
            with suppress(PermissionError):
                folder.chmod(folder.stat().st_mode | 0o755)  # the path down to it must be passable
        self.runtime = self.mine(root / "runtime", 0o700)
        self.config = self.mine(root / "config", 0o755)
        self.env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": self.home, "USER": USER, "LANG": "C.UTF-8",
                    "LC_ALL": "C.UTF-8", "XDG_RUNTIME_DIR": str(self.runtime), "XDG_CONFIG_HOME": str(self.config),
                    "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "sway", "TZ": noon_tz()}
        self.venv = root / "venv"

    def mine(self, path: Path, mode: int) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, self.uid, self.gid)
        path.chmod(mode)
        return path

    # ---- the venv -------------------------------------------------------------------------
    def install(self, wheel_dir: Path) -> Path:
        """A venv of Debian's python3 with standup's wheel, readable by the user; returns its python."""
        subprocess.run(["/usr/bin/python3", "-m", "venv", str(self.venv)], check=True, capture_output=True)
        wheel = build_wheel(wheel_dir)
        pip = subprocess.run([str(self.venv / "bin/pip"), "install", "-q", "--disable-pip-version-check",
                              "--only-binary=:all:", str(wheel)], capture_output=True, text=True, timeout=600)
        if pip.returncode:
            raise E2EError(f"pip install of {wheel.name} failed: {pip.stderr.strip()[-800:]}")
        for path in [self.venv, *self.venv.rglob("*")]:
            with suppress(OSError):
                path.chmod(path.stat().st_mode | (0o055 if path.is_dir() else 0o044))
        return self.venv / "bin/python"

    # ---- processes ------------------------------------------------------------------------
    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(self.root / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, env=env or self.env, cwd=self.root, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, **self._as_user())
        self.procs.append(proc)
        return proc

    def run(self, *argv: str, env: dict[str, str] | None = None, check: bool = True,
            timeout: float = 20) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(list(argv), env=env or self.env, cwd=self.root, capture_output=True, text=True,
                                timeout=timeout, **self._as_user())
        if check and result.returncode:
            raise E2EError(f"{' '.join(argv)} exited {result.returncode}: {result.stderr.strip()}")
        return result

    def _as_user(self) -> dict[str, Any]:
        return {"user": self.uid, "group": self.gid, "extra_groups": []} if os.geteuid() == 0 else {}

    def start(self) -> WaylandSession:
        out = self.run("dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1").stdout.split()
        self.env["DBUS_SESSION_BUS_ADDRESS"], self.bus_pid = out[0], int(out[1])
        (self.config / "sway").mkdir(exist_ok=True)
        (self.config / "sway/config").write_text(SWAY_CONFIG)
        (self.config / "waybar").mkdir(exist_ok=True)
        (self.config / "waybar/config").write_text(json.dumps(WAYBAR_CONFIG))
        for path in self.config.rglob("*"):
            os.chown(path, self.uid, self.gid)
        sway_env = dict(self.env, WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman")
        self.spawn("sway", ["sway", "-c", str(self.config / "sway/config")], env=sway_env)
        socket = wait_for("sway's Wayland socket", lambda: next(self.runtime.glob("wayland-*[0-9]"), None), 20)
        self.env["WAYLAND_DISPLAY"] = socket.name
        self.env["SWAYSOCK"] = str(next(self.runtime.glob("sway-ipc.*.sock"), ""))
        self.spawn("mako", ["mako", "--default-timeout", "0"])
        wait_for("mako on the bus", lambda: self.name_has_owner("org.freedesktop.Notifications"), 20)
        wait_for("waybar's StatusNotifierWatcher", lambda: self.name_has_owner("org.kde.StatusNotifierWatcher"), 30)
        return self

    def stop(self) -> None:
        end_by_pid(self.procs, self.bus_pid, self.bus_client_pids)

    # ---- asking the session ---------------------------------------------------------------
    def dbus(self, dest: str, path: str, method: str, *args: str, check: bool = True) -> str:
        return self.run("dbus-send", "--session", "--print-reply", f"--dest={dest}", path, method, *args,
                        check=check).stdout

    def name_has_owner(self, name: str) -> bool:
        reply = self.dbus("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                          f"string:{name}", check=False)
        return "boolean true" in reply

    def bus_client_pids(self) -> list[int]:
        names = re.findall(r'string "(:[^"]+)"', self.dbus("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus.ListNames"))
        pids = []
        for name in names:
            reply = self.dbus("org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus.GetConnectionUnixProcessID", f"string:{name}", check=False)
            found = re.search(r"uint32 (\d+)", reply)
            if found:
                pids.append(int(found.group(1)))
        return pids

    def registered_items(self) -> list[str]:
        reply = self.dbus("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
                          "org.freedesktop.DBus.Properties.Get", "string:org.kde.StatusNotifierWatcher",
                          "string:RegisteredStatusNotifierItems", check=False)
        return re.findall(r'string "([^"]+)"', reply)

    def notifications(self) -> list[dict[str, Any]]:
        """mako's open notifications: id, app name, summary and actions {key: label}."""
        data = json.loads(self.run("makoctl", "list").stdout or "{}")
        found = []
        for entry in (data.get("data") or [[]])[0]:
            found.append({"id": entry["id"]["data"], "app": entry["app-name"]["data"],
                          "summary": entry["summary"]["data"], "actions": entry["actions"]["data"]})
        return found

    def screenshot(self, path: Path) -> Path:
        shot = self.runtime / path.name  # a folder the user may write
        self.run("grim", str(shot))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, path)
        return path


def build_wheel(out: Path) -> Path:
    """standup's wheel built from the checkout (once per folder)."""
    found = sorted(out.glob("standup-*.whl"))
    if found:
        return found[-1]
    import sys

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(REPO)], check=True, capture_output=True, timeout=300)
    return sorted(out.glob("standup-*.whl"))[-1]


def settle(seconds: float) -> None:
    time.sleep(seconds)
