"""Composes the desktop adapters for `standup run`: tray icon, notifications, natural breaks.

On Linux every D-Bus conversation (notifications, the tray, presence) runs on one bus loop thread
(`bus.SessionLoop`). Where a panel hosts StatusNotifierItems, the tray is one (`sni.tray`), served
on that loop, and the runner keeps the main thread; no toolkit is loaded. Otherwise the tray is
pystray's (XEmbed on Linux, its own backends on Windows and macOS) on the main thread (pystray
requires it on macOS and owns the GTK loop elsewhere) and the runner moves to a background thread.
Every way of quitting (the menu's Quit, `standup quit`, SIGTERM) goes through `quit_app` (the
runner's stop), and the tray follows the runner out. Without a display or a tray host it says so in
one line and returns HEADLESS; notifications and natural breaks keep working, and the caller runs
the runner itself. `close()` releases it all.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from standup.desktop import bus as session_bus
from standup.desktop import idle, presence
from standup.desktop import notify
from standup.desktop import presence_dbus
from standup.desktop import tray
from standup.adapters.paths import Paths
from standup.adapters.runner import Runner
from standup.desktop.launch import GuideLauncher
from standup.desktop.pictures import ToastPictures
from standup.adapters.terminal import IN_TRAY, where_without_tray
from standup.core.errors import StandupError
from standup.core.settings import Settings
from standup.service.ports import Clock
from standup.service.reminders import ReminderService
from standup.service.evening import EveningNote

if TYPE_CHECKING:
    from standup.core.poses import Figure

log = logging.getLogger(__name__)

HEADLESS = None  # Desktop.run()'s answer when there is no tray: carry on without one
RUNNER_JOIN_S = 5.0
NO_MENU_HINT = ("the tray icon has no menu on this desktop (pystray's plain X11 backend): answer from the "
                "notifications or with `standup done`; for a menu, use a panel that hosts StatusNotifierItems "
                "or install PyGObject (Debian: python3-gi, or pip install 'standup[linux-desktop]')")
OPENER_WAIT_S = 3.0  # how long an opener (xdg-open) has to fail before we take it as having opened the file

# How to open a file with the user's default application, per platform.
OPENERS: Mapping[str, Callable[[str], list[str] | None]] = {
    "darwin": lambda path: ["open", path],
    "win32": lambda path: None,  # os.startfile
}


class Desktop:
    """The desktop side of a running standup."""

    def __init__(
        self,
        service: ReminderService,
        runner: Runner,
        clock: Clock,
        settings: Settings,
        paths: Paths,
        *,
        quit_app: Callable[[], None],
        want_tray: bool = True,
        write_summary: Callable[[], object] | None = None,
        evening: EveningNote | None = None,
        err: TextIO = sys.stderr,
        figure_of: Callable[[str], Figure | None] | None = None,
    ) -> None:
        self._service = service
        self._runner = runner
        self._clock = clock
        self._settings = settings
        self._paths = paths
        self._quit_app = quit_app
        self._write_summary = write_summary  # writes the HTML report, returns its path
        self._evening = evening
        self._want_tray = want_tray
        self._err = err
        self._tray: tray.Tray | None = None
        self._loop: session_bus.SessionLoop | None = None
        self._started_notifier: notify.DesktopNotifierToaster | Exception | None = None  # desktop-notifier started on the bus loop, or why it could not
        self._watcher = False  # a panel on the bus hosts StatusNotifierItems
        self._notifier: notify.Notifier | None = None
        self._idle_source: idle.IdleSource | None = None
        self._bus: presence_dbus.SessionBus | None = None
        self._runner_thread: threading.Thread | None = None
        self._sigint: Callable[[int, FrameType | None], object] | int | None = None
        self._figure_of = figure_of
        self._launcher: GuideLauncher | None = None

    # ---- the two ways to run ------------------------------------------------------------
    def run(self, on_ready: Callable[[str], None] | None = None) -> int | None:
        """Tray on this thread until Quit; returns 0, or HEADLESS when no tray is wanted or can be shown.

        `on_ready(where)` is called once it is known where standup runs: `IN_TRAY` just before the
        tray's loop starts, or why there is no tray icon ('without a tray icon (no display)').
        """
        ready = on_ready or (lambda where: None)
        if sys.platform.startswith("linux"):
            self._loop = session_bus.open_session_loop()
        if self._loop is not None and os.environ.get(notify.ENV_NOTIFIER, "") in ("", notify.CHAIN[0]):
            # First on the bus loop: its connection becomes the one the tray and presence share.
            self._started_notifier = notify.start_desktop_notifier(self._loop)
        if not self._want_tray:
            self._start_background(tray_icon=None)
            return HEADLESS
        watcher = self._watcher = self._sni_watcher()
        reason = self._no_tray_reason(sni_watcher=watcher)
        if reason is None and watcher and not os.environ.get("PYSTRAY_BACKEND") and self._start_sni():
            return self._run_with_sni(ready)
        if reason is None:
            try:
                self._tray = tray.Tray(self._service, self._clock, tray.TraySettings.of(self._settings), self._tray_actions())
                self._tray.create()
            except (ImportError, ValueError, OSError) as exc:  # pystray raises these without a usable backend
                reason = f"the tray icon cannot start ({exc})"
                self._tray = None
        if reason is not None:
            log.info("no tray icon: %s", reason)  # the start line says so, once
            self._start_background(tray_icon=None)
            ready(where_without_tray(reason))
            return HEADLESS
        assert self._tray is not None
        self._start_background(tray_icon=self._tray.icon)
        self._service.subscribe(self._tray)
        self._runner.add_watch("tray-ring", self._tray.refresh, after_changes=True)
        self._runner_thread = threading.Thread(target=self._run_runner, name="standup-runner", daemon=True)
        self._runner_thread.start()
        log.info("tray icon starting (pystray backend %s)", self._tray.backend)
        self._service.tray = tray_kind(self._tray.backend, self._watcher)
        if self._tray.backend == "xorg":
            self._err.write(f"standup: {NO_MENU_HINT}\n")
            log.info("%s", NO_MENU_HINT)  # stderr has it once already
        ready(IN_TRAY)
        self._sigint = signal.getsignal(signal.SIGINT)  # pystray's GTK loop resets it to the default
        self._tray.run(setup=self._tray_ready)
        log.info("tray icon stopped")
        self._quit_app()
        self._runner_thread.join(RUNNER_JOIN_S)
        return 0

    # ---- the StatusNotifierItem --------------------------------------------------------------
    def _sni_watcher(self) -> bool:
        """Whether a panel on the session bus hosts StatusNotifierItems."""
        if self._loop is None:
            return False
        from standup.desktop.sni.tray import watcher_present

        loop = self._loop
        try:
            return loop.ask(lambda: watcher_present(loop))
        except session_bus.BusError as exc:
            log.info("no StatusNotifierItem tray: %s", exc)
            return False

    def _start_sni(self) -> bool:
        from standup.desktop.sni.tray import SniTray

        assert self._loop is not None
        sni = SniTray(self._service, self._clock, tray.TraySettings.of(self._settings), self._loop, self._tray_actions())
        try:
            sni.create()
        except (session_bus.BusError, ImportError) as exc:
            log.warning("the StatusNotifierItem tray could not start (%s); trying pystray", exc)
            sni.stop()
            return False
        self._tray = sni
        log.info("tray icon shown (StatusNotifierItem %s)", sni.name)
        return True

    def _run_with_sni(self, ready: Callable[[str], None]) -> int:
        """The runner on this thread; the icon lives on the bus loop until the runner stops."""
        assert self._tray is not None
        self._service.tray = "sni"
        self._start_background(tray_icon=None)
        self._service.subscribe(self._tray)
        self._runner.add_watch("tray-ring", self._tray.refresh, after_changes=True)
        self._tray.state_changed(self._service.status())  # anything that changed while it was starting
        ready(IN_TRAY)
        try:
            self._runner.run()
        finally:
            self._tray.stop()
        log.info("tray icon stopped")
        return 0

    def _no_tray_reason(self, platform: str = sys.platform, env: Mapping[str, str] | None = None,
                        sni_watcher: bool = False) -> str | None:
        env = os.environ if env is None else env
        if platform not in ("win32", "darwin") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
            return "no display"
        if tray.tray_host(platform, env, sni_watcher=sni_watcher) is None:
            return "no system tray on this desktop"
        return None

    def _start_background(self, tray_icon: tray.TrayIcon | None) -> None:
        """Notifications and natural breaks: wanted with or without a tray icon."""
        self._notifier = notify.create_notifier(
            self._service, self._settings.break_minutes, tray_icon, snooze_minutes=self._settings.snooze_minutes,
            started=self._started_notifier,
            picture=ToastPictures(self._paths.runtime_dir / "figures", self._figure_of).path_for if self._figure_of else None,
            start_guide=self._guide.open if self._guide.available else None,
        )
        self._service.subscribe(self._notifier)
        if self._evening is not None:
            self._evening.add_reader(self._notifier)
        open_prompt = self._service.status().open_prompt
        if open_prompt is not None:  # opened before we subscribed (recovered at start)
            self._notifier.prompt_shown(open_prompt)
        self._bus = presence_dbus.open_session_bus(loop=self._loop) if self._loop is not None else None
        self._idle_source = idle.open_source(bus=self._bus)  # the bus: idle time on GNOME and KDE Wayland
        presence.register_watches(self._runner, self._service, self._clock, self._settings.break_minutes, self._idle_source,
                              self._bus)

    def _run_runner(self) -> None:
        try:
            self._runner.run()
        finally:
            if self._tray is not None:
                self._tray.stop()  # every way of quitting ends the runner first; the tray follows

    def _tray_ready(self, icon: tray.TrayIcon) -> None:
        icon.visible = True
        if self._tray is not None and callable(self._sigint):
            handler = self._sigint
            self._tray.on_main_loop(lambda: signal.signal(signal.SIGINT, handler))  # Ctrl-C quits cleanly again
        log.info("tray icon shown (pystray backend %s)", tray.backend_name(icon))

    @property
    def _guide(self) -> GuideLauncher:
        """The break window, a process of its own (made when first needed)."""
        if self._launcher is None:
            self._launcher = GuideLauncher(self._paths.log_dir)
        return self._launcher

    def close(self) -> None:
        if self._launcher is not None:
            self._launcher.close()
        if self._notifier is not None:
            self._notifier.shutdown()
        if self._idle_source is not None:
            self._idle_source.close()
        if self._bus is not None:
            self._bus.close()
        if self._loop is not None:
            self._loop.stop()

    # ---- the menu's own commands --------------------------------------------------------
    def _tray_actions(self) -> dict[str, Callable[[], object]]:
        actions: dict[str, Callable[[], object]] = {
            tray.QUIT: self._quit_app, tray.SUMMARY: self.show_summary, tray.SETTINGS: self.open_settings}
        if self._guide.available:
            actions[tray.TAKE_BREAK] = self.take_break_now
            actions[tray.GUIDE] = self.open_guide
        return actions

    def take_break_now(self) -> None:
        """The menu's "Take a break now": a prompt now, and its break window."""
        view = self._service.take_break()
        self._guide.open(view.id)

    def open_guide(self) -> None:
        """The break window for the open prompt."""
        view = self._service.status().open_prompt
        if view is not None:
            self._guide.open(view.id)

    def show_summary(self) -> None:
        """The HTML report in the browser, off the tray's thread; a toast with the path if it does not open."""
        threading.Thread(target=self._show_summary, name="standup-summary", daemon=True).start()

    def _show_summary(self) -> None:
        today = summary_text(getattr(self._service.status(), "today", {}) or {})
        if self._write_summary is None:
            self._tell("standup: today so far", today)
            return
        try:
            path = str(self._write_summary())
        except StandupError as exc:
            log.warning("cannot write the summary report: %s", exc)
            self._tell("standup: today so far", f"{today} The report could not be written: {exc}")
            return
        problem = open_with_default_app(path, wait_s=OPENER_WAIT_S)
        if problem is not None:
            log.warning("cannot open the summary report %s: %s", path, problem)
            self._tell("standup: today's summary", f"{today} No browser opened the report ({problem}); it is at {path}")

    def open_settings(self) -> None:
        path = self._paths.config_file
        if not path.exists():
            from standup.core.settings import DEFAULT_CONFIG_TEXT

            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(DEFAULT_CONFIG_TEXT, encoding="utf-8")
        threading.Thread(target=self._open_settings, args=(str(path),), name="standup-settings", daemon=True).start()

    def _open_settings(self, path: str) -> None:
        problem = open_with_default_app(path, wait_s=OPENER_WAIT_S)
        if problem is not None:
            self._tell("standup: settings", f"No editor opened the settings ({problem}); they are in {path}")

    def _tell(self, title: str, text: str) -> None:
        if self._notifier is not None:
            self._notifier.message(title, text)


def tray_kind(backend: str, sni_watcher: bool = False) -> str:
    """What `standup status` says about a pystray tray: 'xembed-gtk', 'xembed-xorg', 'win32'...

    pystray's appindicator backend speaks StatusNotifierItem itself where a panel hosts them."""
    if backend == "appindicator" and sni_watcher:
        return "appindicator"
    if backend in ("gtk", "appindicator", "xorg") and sys.platform.startswith("linux"):
        return f"xembed-{backend}"
    return backend


def summary_text(today: Mapping[str, int]) -> str:
    """'3 breaks done, 1 natural, 1 skipped, 0 missed' from the service's counts for today."""
    if not today.get("prompts") and not today.get("self_breaks"):
        return "No breaks yet today."
    parts = [f"{today.get('done', 0)} done"]
    for key in ("natural", "skipped", "missed"):
        if today.get(key):
            parts.append(f"{today[key]} {key}")
    if today.get("self_breaks"):
        parts.append(f"{today['self_breaks']} on your own")
    return "Breaks: " + ", ".join(parts) + "."


def open_with_default_app(path: str, platform: str = sys.platform, wait_s: float = 0.0) -> str | None:
    """Opens `path` in the user's default application, detached from us; None, or what went wrong.

    With `wait_s`, an opener that gives up within that time (xdg-open with no browser exits 3) is
    reported; one still running then, or done with success, is taken as having opened it.
    """
    command = OPENERS.get(platform, lambda p: ["xdg-open", p])(path)
    try:
        if command is None:
            os.startfile(path)  # type: ignore[attr-defined]
            return None
        opener = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as exc:
        log.warning("cannot open %s: %s", path, exc)
        return f"{command[0] if command else 'the opener'}: {exc.strerror or exc}"
    if wait_s <= 0:
        return None
    try:
        code = opener.wait(wait_s)
    except subprocess.TimeoutExpired:
        return None
    return None if code == 0 else f"{command[0]} exited with {code}"
