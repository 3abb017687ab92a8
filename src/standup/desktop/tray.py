"""The tray icon adapter: shows the service's state in the panel and turns menu clicks into service calls.

The only importer of pystray, lazily (without a display `import pystray` raises). The menu and the
tooltip are pure functions over the service's `Status` (`desktop/menu.py`); `Tray` keeps
the live icon in step: on every `state_changed` and, for the ring, from a runner watch that asks to
run again only when the ring would move (a quarter of the interval) and after every change of state.
pystray owns the main thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from standup.core.errors import StandupError
from standup.desktop import icon as icons
from standup.desktop.menu import (  # noqa: F401 - the action keys are the tray's vocabulary too
    DONE,
    GUIDE,
    PAUSE_30,
    PAUSE_60,
    PAUSE_TOMORROW,
    QUIT,
    RESUME,
    SEPARATOR,
    SETTINGS,
    SKIP,
    SNOOZE,
    SUMMARY,
    TAKE_BREAK,
    Entry,
    menu_entries,
    tooltip,
)
from standup.core.settings import Settings
from standup.service.ports import Clock, Listener
from standup.service.reminders import ReminderService
from standup.service.views import Status

log = logging.getLogger(__name__)

APP_NAME = "standup"
GLIB_BACKENDS = frozenset({"gtk", "appindicator"})  # pystray backends that run a GLib main loop
RING_REFRESH_MIN_S = 5.0


@dataclass(frozen=True)
class TraySettings:
    """The settings the tray reads."""

    snooze_minutes: int = 5
    interval_minutes: int = 60

    @classmethod
    def of(cls, settings: Settings) -> TraySettings:
        return cls(settings.snooze_minutes, settings.interval_minutes)


class TrayIcon(Protocol):
    """What we use of a pystray Icon."""

    icon: object
    title: str
    menu: object
    visible: bool

    def run(self, setup: Callable[[TrayIcon], None] | None = None) -> None: ...

    def stop(self) -> None: ...

    def notify(self, message: str, title: str | None = None) -> None: ...

    def remove_notification(self) -> None: ...


_LATIN1_STAND_INS = str.maketrans({"…": "...", "—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "→": "->"})


def window_title(text: str, backend: str) -> str:
    """The tooltip as the backend can carry it: pystray's xorg backend sets it as a Latin-1 window name."""
    if backend != "xorg":
        return text
    return text.translate(_LATIN1_STAND_INS).encode("latin-1", "replace").decode("latin-1")


def build_menu(entries: tuple[Entry, ...], on_action: Callable[[str], None]) -> object:
    """A `pystray.Menu` for `entries`; clicking an entry calls `on_action(entry.action)`."""
    import pystray

    def item(entry: Entry) -> object:
        if entry is SEPARATOR:
            return pystray.Menu.SEPARATOR
        if entry.children:
            return pystray.MenuItem(entry.label, pystray.Menu(*(item(child) for child in entry.children)))
        key = entry.action or ""
        return pystray.MenuItem(entry.label, lambda: on_action(key), enabled=entry.enabled, default=entry.default)

    return pystray.Menu(*(item(entry) for entry in entries))


def backend_name(tray_icon: object) -> str:
    """'appindicator', 'gtk', 'xorg', 'win32', 'darwin' or 'dummy' for a pystray Icon (or its class)."""
    cls = tray_icon if isinstance(tray_icon, type) else type(tray_icon)
    name = cls.__module__.rsplit("._", 1)[-1]
    return "dummy" if name == "base" else name


class Tray(Listener):
    """The live tray icon: a service listener and the pystray Icon it keeps in step.

    `actions` maps the non-service action keys (SUMMARY, SETTINGS, QUIT) to callables.
    """

    def __init__(
        self,
        service: ReminderService,
        clock: Clock,
        settings: TraySettings,
        actions: Mapping[str, Callable[[], object]] | None = None,
        icon_size: int = 64,
    ) -> None:
        self._service = service
        self._clock = clock
        self._settings = settings
        self._icon_size = icon_size
        self._actions: dict[str, Callable[[], object]] = {
            TAKE_BREAK: service.take_break,
            DONE: service.done,
            SNOOZE: service.snooze,
            SKIP: service.skip,
            PAUSE_30: lambda: service.pause(30),
            PAUSE_60: lambda: service.pause(60),
            PAUSE_TOMORROW: lambda: service.pause(until_tomorrow=True),
            RESUME: service.resume,
        }
        self._actions.update(actions or {})
        self.guide = GUIDE in self._actions  # the desktop offers a break window
        self._icon: TrayIcon | None = None
        self._spec: icons.IconSpec | None = None
        self._entries: tuple[Entry, ...] = ()
        self._status: Status | None = None

    # ---- building and running (main thread) -----------------------------------------
    def create(self, icon_factory: Callable[..., TrayIcon] | None = None) -> TrayIcon | None:
        """Builds the pystray Icon for the service's current status; raises ImportError without a backend.

        `icon_factory` stands in for `pystray.Icon` (tests pass a recording fake).
        """
        if icon_factory is None:
            import pystray

            icon_factory = pystray.Icon
        status = self._service.status()
        self._status = status
        self._spec = self._spec_for(status)
        self._entries = menu_entries(status, self._settings.snooze_minutes, self._clock.tz, self.guide)
        self._icon = icon_factory(
            APP_NAME,
            icons.draw(self._spec, self._icon_size),
            window_title(tooltip(status, self._clock.now(), self._clock.tz), backend_name(icon_factory)),
            menu=build_menu(self._entries, self.dispatch),
        )
        return self._icon

    @property
    def icon(self) -> TrayIcon | None:
        return self._icon

    @property
    def backend(self) -> str:
        return backend_name(self._icon) if self._icon is not None else "none"

    def run(self, setup: Callable[[TrayIcon], None] | None = None) -> None:
        """Runs the icon's event loop on this (the main) thread until `stop()`."""
        assert self._icon is not None
        self._icon.run(setup=setup)

    def stop(self) -> None:
        if self._icon is not None:
            self._icon.stop()

    def on_main_loop(self, call: Callable[[], object]) -> bool:
        """Runs `call` on the tray's main thread soon; False where the backend has no loop we can reach."""
        if self.backend not in GLIB_BACKENDS:
            return False
        from gi.repository import GLib

        def once() -> bool:
            call()
            return False  # do not repeat

        GLib.idle_add(once)
        return True

    # ---- clicks ---------------------------------------------------------------------
    def dispatch(self, action: str) -> None:
        """Runs the menu action `action`; a refused answer (nothing open any more) is logged."""
        call = self._actions.get(action)
        log.info("tray menu: %s", action)
        if call is None:
            log.warning("tray menu: no handler for %r", action)
            return
        try:
            call()
        except StandupError as exc:
            log.warning("tray menu %s: %s", action, exc)

    # ---- keeping the icon in step (any thread) ----------------------------------------
    def state_changed(self, status: Status) -> None:
        """Service listener: redraw what changed."""
        self._apply(status)

    def refresh(self) -> float:
        """Runner watch: redraws the ring if it moved; returns seconds until it next could."""
        status = self._service.status()
        self._apply(status)
        wait = icons.seconds_to_next_step(status, self._clock.now(), self._settings.interval_minutes)
        return max(RING_REFRESH_MIN_S, wait)  # math.inf when not sitting: the next state change runs it again

    def _spec_for(self, status: Status) -> icons.IconSpec:
        spec = icons.spec_for(status, self._clock.now(), self._settings.interval_minutes)
        if getattr(status, "away", False) and self._spec is not None and self._spec.look is spec.look:
            return self._spec  # away from the desk: the ring stands still until the return
        return spec

    def _apply(self, status: Status) -> None:
        self._status = status
        tray_icon = self._icon
        if tray_icon is None:
            return
        spec = self._spec_for(status)
        if spec != self._spec:
            self._spec = spec
            tray_icon.icon = icons.draw(spec, self._icon_size)
        title = window_title(tooltip(status, self._clock.now(), self._clock.tz), self.backend)
        if title != tray_icon.title:
            tray_icon.title = title
        entries = menu_entries(status, self._settings.snooze_minutes, self._clock.tz, self.guide)
        if entries != self._entries:
            self._entries = entries
            tray_icon.menu = build_menu(entries, self.dispatch)

    @property
    def look(self) -> icons.Look | None:
        """The look currently shown (for status reports and tests)."""
        return self._spec.look if self._spec else None


# ---- is there anywhere to put an icon? --------------------------------------------------------

def tray_host(platform: str, env: Mapping[str, str], sni_watcher: bool = False) -> str | None:
    """What will show our icon: 'system' (Windows, macOS), 'status-notifier' (`sni_watcher`: a panel on
    the session bus hosts StatusNotifierItems), 'xembed' (an X11 system tray), or None when the session
    has no tray host."""
    if platform in ("win32", "darwin"):
        return "system"
    if sni_watcher:
        return "status-notifier"
    if env.get("DISPLAY") and _has_xembed_tray(env["DISPLAY"]):
        return "xembed"
    return None


def _has_xembed_tray(display_name: str) -> bool:
    try:
        from Xlib import X, display, error
    except ImportError:
        return False
    try:
        connection = display.Display(display_name)
    except (error.DisplayError, error.ConnectionClosedError, OSError):
        return False
    try:
        screen = connection.get_default_screen()
        selection = connection.intern_atom(f"_NET_SYSTEM_TRAY_S{screen}")
        owner = connection.get_selection_owner(selection)
        return getattr(owner, "id", owner) != X.NONE
    finally:
        connection.close()
