"""The end-to-end harness: a private desktop (Xvfb, a session bus, dunst, trayer) and a running standup.

`Desktop` starts each piece itself and remembers every PID it started; at the end it also asks the
bus for the PID of every client (the bus starts services by name on its own) and ends exactly those
processes. Nothing is ever ended by name.

`Standup` runs the installed `standup` console script against the desktop with its own STANDUP_HOME
and reads what a person (or a script) could: the command line's JSON, the log file, the bus, the
screen.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PIL import Image, ImageGrab

from tests.processes import noon_tz

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
# An hour compressed to minutes, all day every day: the config most end-to-end tests run standup with.
MINUTE_SCALE_CONFIG = """\
interval_minutes = 30
break_minutes = 1
snooze_minutes = 1
work_hours = "00:00-24:00"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""
STANDUP = Path(sys.executable).parent / "standup"
XFCE4_NOTIFYD = "/usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd"
T = TypeVar("T")


class E2EError(AssertionError):
    """The desktop did not do what a person would have seen it do."""


def wait_for(what: str, check: Callable[[], T], timeout: float = 10.0, interval: float = 0.1) -> T:
    """Polls `check` until it returns something truthy; raises E2EError naming `what` on timeout."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise E2EError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int

    @property
    def centre(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2

    def grown(self, margin: int) -> Box:
        return Box(max(0, self.x - margin), max(0, self.y - margin), self.width + 2 * margin, self.height + 2 * margin)


@dataclass(frozen=True)
class BusCall:
    """One Notify call or notification signal seen by dbus-monitor."""

    member: str
    sender: str
    args: tuple[str, ...]  # the top-level string/uint32 arguments in order
    actions: tuple[str, ...]  # Notify: the flat [key, label, key, label…] list
    raw: str

    @property
    def summary(self) -> str:
        return self.args[3] if self.member == "Notify" and len(self.args) > 3 else ""

    @property
    def body(self) -> str:
        return self.args[4] if self.member == "Notify" and len(self.args) > 4 else ""

    @property
    def button_labels(self) -> list[str]:
        return [label for key, label in zip(self.actions[::2], self.actions[1::2], strict=False) if key != "default"]


DUNSTRC = """\
[global]
    monitor = 0
    follow = none
    width = 420
    height = 300
    origin = top-right
    offset = 10x50
    font = DejaVu Sans 10
    frame_width = 2
    frame_color = "#2e7d32"
    show_indicators = yes
    dmenu = {dmenu}
    mouse_left_click = do_action, close_current
    mouse_middle_click = context
    mouse_right_click = close_current
[urgency_low]
    timeout = 0
[urgency_normal]
    background = "#263238"
    foreground = "#ffffff"
    timeout = 0
[urgency_critical]
    timeout = 0
"""

# dunst hands the action list ("#Done (title) [id,done]" lines) to its dmenu; this one picks the
# line whose label is in the `pick` file, as a person choosing from the context menu would.
DMENU = """\
#!/bin/sh
want=$(cat "{pick}" 2>/dev/null || echo Done)
input=$(cat)
printf '%s\\n---\\n' "$input" >> "{log}"
printf '%s\\n' "$input" | grep -m1 -- "^#$want "
"""


class Desktop:
    """Xvfb + private session bus + dunst + trayer + dbus-monitor, all started and ended by PID."""

    def __init__(self, workdir: Path, screen: str = "1024x768x24", tray: str = "trayer") -> None:
        self.tray = tray  # "trayer" (XEmbed), or "" for none: tests/e2e/panels.py starts the SNI hosts
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.screen = screen
        self.env: dict[str, str] = {}
        self.pids: list[int] = []
        self._procs: list[subprocess.Popen[bytes]] = []
        self.bus_pid: int | None = None
        self.monitor_log = self.dir / "dbus-monitor.log"

    # ---- start and stop -----------------------------------------------------------------
    def start(self) -> Desktop:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "XDG_SESSION", "WAYLAND"))}
        base.pop("DISPLAY", None)
        runtime = self.dir / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        base.update(NO_AT_BRIDGE="1", GSETTINGS_BACKEND="memory", XDG_RUNTIME_DIR=str(runtime), LC_ALL="C.UTF-8",
                    TZ=noon_tz())
        self.env = base
        self._start_x()
        self._start_bus()
        self.spawn("dbus-monitor", ["dbus-monitor", "--session", "interface='org.freedesktop.Notifications'"],
                   stdout=self.monitor_log)
        wait_for("dbus-monitor to listen", lambda: self.monitor_log.exists() and self.monitor_log.stat().st_size > 0, 5)
        pick, dmenu = self.dir / "pick", self.dir / "dmenu.sh"
        dmenu.write_text(DMENU.format(pick=pick, log=self.dir / "dmenu.log"))
        dmenu.chmod(0o755)
        (self.dir / "dunstrc").write_text(DUNSTRC.format(dmenu=dmenu))
        self.spawn("dunst", ["dunst", "-config", str(self.dir / "dunstrc"), "-verbosity", "info"])
        if self.tray == "trayer":
            self.spawn("trayer", ["trayer", "--edge", "top", "--align", "left", "--widthtype", "request",
                                  "--height", "32", "--SetDockType", "true", "--transparent", "false",
                                  "--tint", "0xffffff", "--expand", "true"])
        wait_for("the notification server on the bus", lambda: self.name_has_owner("org.freedesktop.Notifications"))
        if self.tray == "trayer":
            wait_for("trayer to own the system tray selection", self._tray_selection_owned)
        return self

    def _start_x(self) -> None:
        read_fd, write_fd = os.pipe()
        proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", self.screen, "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=open(self.dir / "xvfb.log", "wb"),
        )
        os.close(write_fd)
        self._track(proc)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise E2EError("Xvfb did not report a display")
        self.env["DISPLAY"] = f":{number}"

    def _start_bus(self) -> None:
        out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                             env=self.env, capture_output=True, text=True, check=True, timeout=10).stdout.split()
        self.env["DBUS_SESSION_BUS_ADDRESS"], self.bus_pid = out[0], int(out[1])

    def _track(self, proc: subprocess.Popen[bytes]) -> None:
        self._procs.append(proc)
        self.pids.append(proc.pid)

    def spawn(self, name: str, argv: list[str], stdout: Path | None = None, env: dict[str, str] | None = None
              ) -> subprocess.Popen[bytes]:
        out = open(stdout or self.dir / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, env=env or self.env, stdout=out, stderr=subprocess.STDOUT
                                if stdout is None else open(self.dir / f"{name}.err", "ab"), stdin=subprocess.DEVNULL)
        self._track(proc)
        return proc

    def bus_client_pids(self) -> dict[str, int]:
        """Every unique connection on our bus and the PID behind it (asked of the bus itself)."""
        names = re.findall(r'string "(:[^"]+)"', self.bus("ListNames"))
        pids = {}
        for name in names:
            reply = self.bus("GetConnectionUnixProcessID", f"string:{name}", check=False)
            match = re.search(r"uint32 (\d+)", reply)
            if match:
                pids[name] = int(match.group(1))
        return pids

    def stop(self) -> None:
        """Ends what we started and what the bus started for us, by PID, newest first."""
        end_by_pid(self._procs, self.bus_pid, lambda: self.bus_client_pids().values())
        self._procs.clear()

    # ---- the bus --------------------------------------------------------------------------
    def bus(self, method: str, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
             f"org.freedesktop.DBus.{method}", *args],
            env=self.env, capture_output=True, text=True, timeout=10,
        )
        if check and result.returncode:
            raise E2EError(f"dbus {method} failed: {result.stderr.strip()}")
        return result.stdout

    def name_has_owner(self, name: str) -> bool:
        return "boolean true" in self.bus("NameHasOwner", f"string:{name}", check=False)

    def bus_calls(self, member: str | None = None) -> list[BusCall]:
        """Notify calls and notification signals seen on the bus so far, oldest first."""
        text = self.monitor_log.read_text(errors="replace")
        calls = []
        for block in re.split(r"\n(?=(?:method call|method return|signal|error) time=)", text):
            header, _, rest = block.partition("\n")
            found = re.search(r"member=(\w+)", header)
            if not found or (member and found.group(1) != member):
                continue
            sender = re.search(r"sender=(\S+)", header)
            calls.append(BusCall(found.group(1), sender.group(1) if sender else "", *_monitor_args(rest), raw=block))
        return calls

    def notifications(self) -> list[BusCall]:
        return [c for c in self.bus_calls("Notify") if c.args and c.args[0] == "standup"]

    # ---- the notification daemon ------------------------------------------------------------
    def press(self, label: str) -> None:
        """Chooses `label` from dunst's context menu: the daemon invokes the action as for a click."""
        (self.dir / "pick").write_text(label)
        self.run("dunstctl", "context")

    def close_bubbles(self) -> None:
        self.run("dunstctl", "close-all")

    def bubble(self) -> Box | None:
        """Where dunst shows a notification, if one is on screen."""
        return self._find_window(lambda cls, name: cls == "Dunst", min_height=20)

    def swap_to_xfce4_notifyd(self) -> None:
        """Replaces dunst by xfce4-notifyd, which draws real buttons (for the eye and for clicks)."""
        for proc in self._procs:
            if proc.args[0] == "dunst" and proc.poll() is None:
                proc.terminate()
                proc.wait(5)
        wait_for("dunst to leave the bus", lambda: not self.name_has_owner("org.freedesktop.Notifications"), 5)
        self.spawn("xfce4-notifyd", [XFCE4_NOTIFYD])
        wait_for("xfce4-notifyd on the bus", lambda: self.name_has_owner("org.freedesktop.Notifications"), 10)

    def xfce4_bubble(self) -> Box | None:
        return self._find_window(lambda cls, name: cls.lower().startswith("xfce4-notifyd"), min_height=40)

    def xfce4_buttons(self, bubble: Box, count: int) -> list[Box]:
        """The `count` buttons along the bubble's bottom, found by their edges against its background."""
        image = self.grab(bubble)
        rows: list[list[Box]] = []
        for y in range(image.height - 4, image.height // 2, -1):
            background = image.getpixel((8, y))
            runs, start = [], None
            for x in range(image.width):
                differs = sum(abs(a - b) for a, b in zip(image.getpixel((x, y)), background, strict=True)) > 12
                if differs and start is None:
                    start = x
                elif not differs and start is not None:
                    runs.append((start, x))
                    start = None
            wide = [(a, b) for a, b in runs if b - a > 40]
            if len(wide) == count:
                rows.append([Box(bubble.x + a, bubble.y + y, b - a, 1) for a, b in wide])
            elif rows:
                break  # above the buttons again
        if not rows:
            raise E2EError(f"no row of {count} buttons in the notification")
        return rows[len(rows) // 2]  # the middle of the buttons' height

    # ---- X -----------------------------------------------------------------------------------
    def run(self, *argv: str, check: bool = True) -> str:
        result = subprocess.run(list(argv), env=self.env, capture_output=True, text=True, timeout=20)
        if check and result.returncode:
            raise E2EError(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def xdotool(self, *args: str) -> None:
        self.run("xdotool", *args)

    def windows(self, wm_class: str) -> list[str]:
        """The X ids of the visible windows of class `wm_class` ("Dunst", "standup-guide")."""
        return self.run("xdotool", "search", "--onlyvisible", "--class", wm_class, check=False).split()

    def touch(self) -> None:
        """A small mouse movement, as a hand on the mouse makes: input that resets the X idle time and,
        unlike a warp of the pointer (`xdotool mousemove`), reaches clients as XInput raw motion."""
        self._touches = getattr(self, "_touches", 0) + 1
        self.xdotool("mousemove_relative", "--", "3" if self._touches % 2 else "-3", "0")

    def idle_ms(self) -> int:
        with self._display() as display:
            return int(display.screen().root.screensaver_query_info().idle)

    def _tray_selection_owned(self) -> bool:
        from Xlib import X

        with self._display() as display:
            atom = display.intern_atom("_NET_SYSTEM_TRAY_S0")
            owner = display.get_selection_owner(atom)
            return getattr(owner, "id", owner) != X.NONE

    def tray_icons(self) -> list[Box]:
        """Viewable icons docked in trayer's panel."""
        return self._find_windows(lambda cls, name: False, under=lambda cls, name: cls == "trayer", min_height=12,
                                  max_height=64)

    def screenshot(self, name: str, box: Box | None = None, scale: int = 1) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        image = ImageGrab.grab(xdisplay=self.env["DISPLAY"])
        if box is not None:
            image = image.crop((box.x, box.y, box.x + box.width, box.y + box.height))
            if scale > 1:
                image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
        path = ARTIFACTS / f"{name}.png"
        image.save(path)
        return path

    def grab(self, box: Box) -> Image.Image:
        image = ImageGrab.grab(xdisplay=self.env["DISPLAY"])
        return image.crop((box.x, box.y, box.x + box.width, box.y + box.height)).convert("RGB")

    def _display(self) -> Any:
        from contextlib import contextmanager

        from Xlib import display as xdisplay

        @contextmanager
        def opened() -> Iterator[Any]:
            connection = xdisplay.Display(self.env["DISPLAY"])
            try:
                yield connection
            finally:
                connection.close()

        return opened()

    def _find_window(self, match: Callable[[str, str], bool], min_height: int = 0) -> Box | None:
        found = self._find_windows(match, min_height=min_height)
        return found[0] if found else None

    def _find_windows(self, match: Callable[[str, str], bool], under: Callable[[str, str], bool] | None = None,
                      min_height: int = 0, max_height: int = 10_000) -> list[Box]:
        """Viewable windows matching `match(class, name)`, or with `under`: every viewable window
        below one that matches `under`."""
        from Xlib import X, error

        boxes: list[Box] = []
        with self._display() as display:
            root = display.screen().root

            def walk(window: Any, below: bool) -> None:
                try:
                    children = window.query_tree().children
                except error.XError:
                    return
                for child in children:
                    try:
                        if child.get_attributes().map_state != X.IsViewable:
                            continue
                        wm_class = child.get_wm_class() or ("", "")
                        cls, name = str(wm_class[-1]), str(child.get_wm_name() or "")
                        geometry = child.get_geometry()
                        origin = child.translate_coords(root, 0, 0)
                    except error.XError:
                        continue
                    hit = below if under is not None else match(cls, name)
                    if hit and min_height <= geometry.height <= max_height and geometry.width >= 12:
                        boxes.append(Box(-origin.x, -origin.y, geometry.width, geometry.height))
                    walk(child, below or bool(under and under(cls, name)))

            walk(root, False)
        return boxes


def _monitor_args(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Top-level string/uint32 arguments and the first string array of a dbus-monitor block."""
    args: list[str] = []
    actions: list[str] = []
    in_array = False
    current: list[str] | None = None
    for line in text.splitlines():
        top = re.match(r"^   (string|uint32|int32|array \[|\]|dict entry)", line)
        if current is not None and not top and not line.startswith("      "):
            current.append(line)  # a string that continues on the next line
            continue
        if current is not None:
            args.append("\n".join(current).removesuffix('"'))
            current = None
        if line.startswith("   array ["):
            in_array = not actions
            continue
        if line.startswith("   ]"):
            in_array = False
            continue
        if in_array:
            inner = re.match(r'^      string "(.*)"$', line)
            if inner:
                actions.append(inner.group(1))
            continue
        string = re.match(r'^   string "(.*)$', line)
        if string:
            value = string.group(1)
            if value.endswith('"'):
                args.append(value[:-1])
            else:
                current = [value]
            continue
        number = re.match(r"^   u?int32 (\d+)", line)
        if number:
            args.append(number.group(1))
    if current is not None:
        args.append("\n".join(current).removesuffix('"'))
    return tuple(args), tuple(actions)


class Standup:
    """A `standup run` on the desktop, and the command line next to it."""

    def __init__(self, desktop: Desktop, home: Path, config: str, env: dict[str, str] | None = None,
                 executable: Path = STANDUP) -> None:
        self.executable = executable  # the `standup` console script: this venv's, or one installed from the wheel
        self.desktop = desktop
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        (home / "config.toml").write_text(config)
        self.env = dict(desktop.env, STANDUP_HOME=str(home), **(env or {}))
        self.proc: subprocess.Popen[bytes] | None = None
        self.output = home / "run.out"

    def start(self) -> Standup:
        self.proc = subprocess.Popen([str(self.executable), "run"], env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=open(self.output, "wb"), stderr=subprocess.STDOUT)
        self.desktop.pids.append(self.proc.pid)
        return self

    @contextmanager
    def running_with_tray(self, timeout: float = 30) -> Iterator[Standup]:
        """Started, its tray icon shown; stopped afterwards whatever happened."""
        try:
            self.start().wait_log(r"tray icon shown", timeout)
            yield self
        finally:
            self.stop()

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(self.executable), *args], env=self.env, capture_output=True, text=True, timeout=20)
        if check and result.returncode:
            raise E2EError(f"standup {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--json").stdout)

    def status(self) -> dict[str, Any]:
        return self.json("status")

    def prompts(self) -> list[dict[str, Any]]:
        """Today's prompts from `standup log --json`."""
        data = self.json("log")
        return data["prompts"] if isinstance(data, dict) else data

    def log_text(self) -> str:
        path = self.home / "standup.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_log(self, pattern: str, timeout: float = 15) -> re.Match[str]:
        return wait_for(f"/{pattern}/ in the app's log", lambda: re.search(pattern, self.log_text()), timeout)

    def descendants(self) -> set[int]:
        """PIDs of every process below ours (from /proc)."""
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with suppress(OSError, IndexError, ValueError):
                    stat = (entry / "stat").read_text()
                    parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found, frontier = set(), {self.pid}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
            found |= frontier
        return found

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def end_by_pid(procs: list[subprocess.Popen[bytes]], bus_pid: int | None, bus_clients: Callable[[], Iterable[int]]) -> None:
    """Ends `procs` (newest first), every other client of their session bus (services the bus started
    by name on its own), then the bus daemon `bus_pid`: each by its PID, never by a program's name."""
    extra: set[int] = set()
    if bus_pid:
        with suppress(subprocess.SubprocessError, OSError, E2EError):
            extra = set(bus_clients()) - {bus_pid, os.getpid()} - {proc.pid for proc in procs}
    for proc in reversed(procs):
        if proc.poll() is None:
            proc.terminate()
    for pid in extra:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for proc in reversed(procs):
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    if bus_pid:
        with suppress(ProcessLookupError):
            os.kill(bus_pid, signal.SIGTERM)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with suppress(OSError):
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return False


def stack_missing() -> str | None:
    """Why the desktop tests cannot run here, or None."""
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (scripts/setup.sh test installs the desktop test stack)"
    return None
