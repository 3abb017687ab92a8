"""A real GNOME desktop for the end-to-end tests: GNOME Shell, headless on Wayland, with the AppIndicator extension.

GNOME Shell 43 (Debian 12) runs as a headless Wayland display server with a virtual monitor and
no GPU. It hosts StatusNotifierItems through the AppIndicator extension (Ubuntu's default desktop
ships it), is its own notification server, and answers Mutter's IdleMonitor, so standup runs on it
exactly as on a user's GNOME session. The session has its own session bus, and a second private
bus stands in for the system bus (the shell asks it for logind and gives up quietly). Settings
are a keyfile in the session's own folder, where the extension is enabled. Input is a Mutter
RemoteDesktop session (a virtual pointer and keyboard, which GNOME counts as the user's); the
screenshot is the shell's own, asked by a client that owns a name the shell lets take them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

from tests.e2e.desktop import E2EError, end_by_pid, wait_for
from tests.processes import noon_tz

EXTENSION = "ubuntu-appindicators@ubuntu.com"
NEEDED = ("gnome-shell", "gjs", "gsettings", "gdbus", "dbus-daemon")
MUTTER_IDLE = ("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor")

# Run in a child python (dbus-fast): a RemoteDesktop session lives only as long as its client.
INPUT_SCRIPT = """
import asyncio, sys
from dbus_fast import Message, MessageType
from dbus_fast.aio import MessageBus

DEST, SESSION = "org.gnome.Mutter.RemoteDesktop", "org.gnome.Mutter.RemoteDesktop.Session"

async def call(bus, path, interface, member, signature="", body=()):
    reply = await bus.call(Message(destination=DEST, path=path, interface=interface, member=member,
                                   signature=signature, body=list(body)))
    if reply.message_type is MessageType.ERROR:
        raise SystemExit(f"{member}: {reply.error_name} {reply.body}")
    return reply.body

async def main(keysyms):
    bus = await MessageBus().connect()
    (session,) = await call(bus, "/org/gnome/Mutter/RemoteDesktop", DEST, "CreateSession")
    await call(bus, session, SESSION, "Start")
    if not keysyms:
        await call(bus, session, SESSION, "NotifyPointerMotionRelative", "dd", (4.0, 0.0))
        await call(bus, session, SESSION, "NotifyPointerMotionRelative", "dd", (-4.0, 0.0))
    for keysym in keysyms:  # pressed in order, released in reverse: a chord
        await call(bus, session, SESSION, "NotifyKeyboardKeysym", "ub", (keysym, True))
    for keysym in reversed(keysyms):
        await call(bus, session, SESSION, "NotifyKeyboardKeysym", "ub", (keysym, False))
    await asyncio.sleep(0.2)
    await call(bus, session, SESSION, "Stop")

asyncio.run(main([int(k, 16) for k in sys.argv[1:]]))
"""
SCREENSHOT_SCRIPT = """
import asyncio, sys
from dbus_fast import Message, MessageType
from dbus_fast.aio import MessageBus

async def main():
    bus = await MessageBus().connect()
    await bus.request_name("org.gnome.Screenshot")  # the shell takes screenshots for a few known names only
    reply = await bus.call(Message(destination="org.gnome.Shell.Screenshot", path="/org/gnome/Shell/Screenshot",
                                   interface="org.gnome.Shell.Screenshot", member="Screenshot", signature="bbs",
                                   body=[False, False, sys.argv[1]]))
    if reply.message_type is MessageType.ERROR or not reply.body[0]:
        raise SystemExit(f"Screenshot: {reply.error_name} {reply.body}")

asyncio.run(main())
"""


def missing() -> str | None:
    """Why the GNOME session cannot run here, or None."""
    absent = [name for name in NEEDED if shutil.which(name) is None]
    if not Path(f"/usr/share/gnome-shell/extensions/{EXTENSION}").is_dir():
        absent.append("gnome-shell-extension-appindicator")
    if absent:
        return f"not installed: {', '.join(absent)} (scripts/setup.sh test installs them)"
    return None


class GnomeSession:
    """GNOME Shell headless with its two private buses; every process ended by PID."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.procs: list[subprocess.Popen[bytes]] = []
        self.bus_pids: list[int] = []  # the stand-in system bus, then the session bus
        runtime = root / "runtime"
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        home = root / "home"
        self.runtime = runtime
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
                    "LC_ALL": "C.UTF-8", "XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(home / ".config"),
                    "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache"),
                    "GSETTINGS_BACKEND": "keyfile", "XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME",
                    "TZ": noon_tz()}

    def _bus(self, *address: str) -> str:
        out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1", *address],
                             env=self.env, capture_output=True, text=True, check=True, timeout=20).stdout.split()
        self.bus_pids.append(int(out[1]))
        return out[0]

    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(self.root / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, env=env or self.env, cwd=self.root, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def run(self, *argv: str, check: bool = True, timeout: float = 20) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(list(argv), env=self.env, cwd=self.root, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode:
            raise E2EError(f"{' '.join(argv)} exited {result.returncode}: {result.stderr.strip()[-600:]}")
        return result

    def start(self) -> GnomeSession:
        self.env["DBUS_SYSTEM_BUS_ADDRESS"] = self._bus(f"--address=unix:path={self.runtime / 'system_bus'}")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self._bus()
        self.run("gsettings", "set", "org.gnome.shell", "enabled-extensions", f"['{EXTENSION}']")
        self.spawn("gnome-shell", ["gnome-shell", "--headless", "--wayland", "--no-x11",
                                   "--virtual-monitor", "1280x800"])
        socket = wait_for("GNOME Shell's Wayland socket", lambda: next(self.runtime.glob("wayland-[0-9]"), None), 30)
        self.env["WAYLAND_DISPLAY"] = socket.name
        for name in ("org.kde.StatusNotifierWatcher", "org.freedesktop.Notifications", MUTTER_IDLE[0]):
            wait_for(f"{name} from GNOME Shell on the bus", lambda name=name: self.name_has_owner(name), 40, 0.2)
        return self

    def stop(self) -> None:
        system_bus, session_bus = (self.bus_pids + [None, None])[:2]
        end_by_pid(self.procs, session_bus, self.bus_client_pids)  # and what the bus started by name
        if system_bus is not None:
            with suppress(ProcessLookupError):
                os.kill(system_bus, signal.SIGTERM)

    # ---- asking the session ---------------------------------------------------------------
    def gdbus(self, dest: str, path: str, method: str, *args: str, check: bool = True) -> str:
        return self.run("gdbus", "call", "--session", "--dest", dest, "--object-path", path, "--method", method,
                        *args, check=check).stdout

    def name_has_owner(self, name: str) -> bool:
        reply = self.gdbus("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                           name, check=False)
        return "true" in reply

    def bus_client_pids(self) -> list[int]:
        names = re.findall(r"'(:[^']+)'", self.gdbus("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                     "org.freedesktop.DBus.ListNames"))
        pids = []
        for name in names:
            reply = self.gdbus("org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus.GetConnectionUnixProcessID", name, check=False)
            found = re.search(r"uint32 (\d+)", reply)
            if found:
                pids.append(int(found.group(1)))
        return pids

    def idle_ms(self) -> int:
        reply = self.gdbus(MUTTER_IDLE[0], MUTTER_IDLE[1], f"{MUTTER_IDLE[2]}.GetIdletime")
        found = re.search(r"uint64 (\d+)", reply)
        if not found:
            raise E2EError(f"GetIdletime answered {reply!r}")
        return int(found.group(1))

    def touch(self) -> None:
        """The pointer nudged through a Mutter RemoteDesktop session: input GNOME counts as the user's."""
        self.run(sys.executable, "-c", INPUT_SCRIPT)

    def keys(self, *keysyms: int) -> None:
        """A key chord typed through a RemoteDesktop session (X keysyms, e.g. 0xffeb 0x76: Super+V)."""
        self.run(sys.executable, "-c", INPUT_SCRIPT, *(hex(keysym) for keysym in keysyms))

    def screenshot(self, path: Path) -> Path:
        shot = self.runtime / path.name
        self.run(sys.executable, "-c", SCREENSHOT_SCRIPT, str(shot))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, path)
        return path
