"""The tray icon as a StatusNotifierItem: the pystray tray's model (desktop/menu.py), served on the bus loop.

`SniTray` is a `tray.Tray` (same menu, tooltip, ring and actions) whose icon lives on D-Bus instead
of in a toolkit: `create()` exports the item and its dbusmenu on the desktop's one connection, owns
a name of the form org.kde.StatusNotifierItem-PID-1 and registers it with the watcher (the panel).
When the watcher's owner changes (the panel restarts) the item registers again, and so it does when
the watcher drops the item while both are still on the bus (GNOME's AppIndicator extension does
when the item registers while the shell is still starting, as at login), after 1, 2, 4… s, at most
MAX_REREGISTERS times in a row. Every state change
is drawn on the caller's thread and handed to the loop, which sends only what changed. Status is
NeedsAttention while a prompt is open (not snoozed), Active otherwise.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from standup.core.model import State
from standup.desktop import menu as model
from standup.desktop import tray
from standup.desktop.bus import BusError, SessionLoop
from standup.desktop.sni import item as sni_item
from standup.desktop.sni import layout, pixmap
from standup.desktop.sni import menu as sni_menu
from standup.service.ports import Clock
from standup.service.reminders import ReminderService
from standup.service.views import Status

if TYPE_CHECKING:
    from dbus_fast import Message
    from dbus_fast.aio import MessageBus

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
START_TIMEOUT_S = 5.0
NAME_OWNER_RULE = ("type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
                   f"member='NameOwnerChanged',arg0='{WATCHER}'")
DROPPED_RULE = f"type='signal',sender='{WATCHER}',interface='{WATCHER}',member='StatusNotifierItemUnregistered'"
MAX_REREGISTERS = 6  # a watcher that keeps dropping the item: 1 + 2 + … + 32 s of trying, then it is left alone
STEADY_S = 60.0  # a drop this long after the last one starts the count again


def item_status(status: Status) -> str:
    """NeedsAttention while a prompt waits for an answer, Active otherwise."""
    return sni_item.NEEDS_ATTENTION if status.state is State.PROMPTING else sni_item.ACTIVE


async def watcher_present(loop: SessionLoop) -> bool:
    """Whether a StatusNotifierWatcher (a panel that hosts items) owns its name on the session bus."""
    return await loop.name_has_owner(WATCHER)


class SniTray(tray.Tray):
    """The live StatusNotifierItem; a service listener like `tray.Tray`."""

    def __init__(
        self,
        service: ReminderService,
        clock: Clock,
        settings: tray.TraySettings,
        loop: SessionLoop,
        actions: Mapping[str, Callable[[], object]] | None = None,
        sizes: tuple[int, ...] = pixmap.SIZES,
    ) -> None:
        super().__init__(service, clock, settings, actions)
        self._loop = loop
        self._sizes = sizes
        self._lock = threading.Lock()
        self._item: sni_item.StatusNotifierItem | None = None
        self._menu: sni_menu.DBusMenu | None = None
        self._bus: MessageBus | None = None
        self._bus_left: MessageBus | None = None  # the connection the item was withdrawn from, to release its name
        self.name = f"org.kde.StatusNotifierItem-{os.getpid()}-1"
        self.registrations = 0  # how many times the watcher accepted us (re-registrations included)
        self._drops: list[float] = []  # loop times the watcher dropped the item, in the current run of drops

    @property
    def backend(self) -> str:
        return "sni" if self._item is not None else "none"

    # ---- start and stop -----------------------------------------------------------------
    def create(self, icon_factory: Callable[..., tray.TrayIcon] | None = None) -> None:
        """Exports the item and registers it; raises BusError when no panel takes it."""
        status = self._service.status()
        with self._lock:
            self._status = status
            self._spec = self._spec_for(status)
            self._entries = model.menu_entries(status, self._settings.snooze_minutes, self._clock.tz, self.guide)
            pixmaps = pixmap.pixmaps(self._spec, self._sizes)
            title = model.tooltip(status, self._clock.now(), self._clock.tz)
        self._loop.ask(lambda: self._start(pixmaps, title, item_status(status), layout.tree(self._entries)),
                       timeout=START_TIMEOUT_S)
        return None  # no toolkit icon: notifications never go through the tray here

    async def _start(self, pixmaps: list[pixmap.Pixmap], title: str, status: str, tree: layout.Tree) -> None:
        bus = await self._loop.connection()
        item = sni_item.StatusNotifierItem(tray.APP_NAME, tray.APP_NAME, self._activate)
        menu = sni_menu.DBusMenu(self.dispatch, self._loop.loop.call_soon)
        item.pixmaps, item.tooltip, item.status = pixmaps, title, status
        menu.show(tree)
        bus.export(sni_item.PATH, item)
        bus.export(sni_menu.PATH, menu)
        self._bus, self._item, self._menu = bus, item, menu
        await bus.request_name(self.name)
        bus.add_message_handler(self._on_message)
        for rule in (NAME_OWNER_RULE, DROPPED_RULE):
            await self._loop.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "AddMatch",
                                  "s", [rule])
        try:
            await self._register()
        except BusError:
            await self._withdraw()
            raise

    async def _register(self) -> None:
        await self._loop.call(WATCHER, WATCHER_PATH, WATCHER, "RegisterStatusNotifierItem", "s", [self.name])
        self.registrations += 1
        log.info("tray: StatusNotifierItem %s registered with the panel%s", self.name,
                 " again" if self.registrations > 1 else "")

    def _on_message(self, message: Message) -> None:
        if (message.member == "NameOwnerChanged" and message.interface == "org.freedesktop.DBus"
                and message.body and message.body[0] == WATCHER):
            if message.body[2]:
                self._loop.loop.create_task(self._reregister())
            else:
                log.warning("tray: the panel's StatusNotifierWatcher left the bus; the icon returns with the panel")
        elif (message.member == "StatusNotifierItemUnregistered" and message.interface == WATCHER
              and message.body and message.body[0] in self._registered_as()):
            self._loop.loop.create_task(self._register_after_drop())
        return None

    def _registered_as(self) -> set[str]:
        """What a watcher may call the item when it drops it: our name, or our connection's name and path."""
        unique = getattr(self._bus, "unique_name", None) or ""
        return {self.name, f"{unique}{sni_item.PATH}", f"{unique}@{sni_item.PATH}"}

    async def _register_after_drop(self) -> None:
        if self._item is None:
            return  # we withdrew it ourselves
        now = self._loop.loop.time()
        if self._drops and now - self._drops[-1] > STEADY_S:
            self._drops = []
        if len(self._drops) >= MAX_REREGISTERS:
            if len(self._drops) == MAX_REREGISTERS:
                log.warning("tray: the panel dropped the icon %d times in a row; leaving it off", MAX_REREGISTERS)
                self._drops.append(now)
            return
        delay = 2.0 ** len(self._drops)
        self._drops.append(now)
        log.info("tray: the panel dropped the icon; registering again in %.0f s", delay)
        await asyncio.sleep(delay)
        if self._item is not None:
            await self._reregister()

    async def _reregister(self) -> None:
        try:
            await self._register()
        except BusError as exc:
            log.warning("tray: the new panel refused the icon: %s", exc)

    def run(self, setup: Callable[[tray.TrayIcon], None] | None = None) -> None:
        raise NotImplementedError("the StatusNotifierItem has no loop of its own; the runner owns the main thread")

    def stop(self) -> None:
        """Takes the item off the bus (the panel drops the icon); safe to call twice."""
        if self._item is None:
            return
        if self._loop.on_loop_thread:
            self._loop.loop.create_task(self._withdraw())
            return
        try:
            self._loop.ask(self._withdraw, timeout=1.0)
        except BusError as exc:
            log.info("tray: could not withdraw the icon cleanly: %s", exc)

    async def _withdraw(self) -> None:
        self._unexport()
        bus = self._bus_left
        if bus is not None and bus.connected:
            await bus.release_name(self.name)

    def _unexport(self) -> None:
        bus, self._bus = self._bus, None
        self._bus_left = bus
        self._item = self._menu = None
        if bus is None or not bus.connected:
            return
        bus.remove_message_handler(self._on_message)
        bus.unexport(sni_item.PATH)
        bus.unexport(sni_menu.PATH)

    def on_main_loop(self, call: Callable[[], object]) -> bool:
        return False

    # ---- clicks -------------------------------------------------------------------------
    def _activate(self) -> None:
        """A left click on a panel that ignores ItemIsMenu: the menu's default entry."""
        default = next((entry for entry in self._entries if getattr(entry, "default", False)), None)
        action = default.action if default is not None else None
        if action:
            self._loop.loop.call_soon(lambda: self.dispatch(action))

    # ---- keeping the icon in step (any thread) --------------------------------------------
    def _apply(self, status: Status) -> None:
        with self._lock:
            self._status = status
            if self._item is None:
                return
            spec = self._spec_for(status)
            pixmaps = None
            if spec != self._spec:
                self._spec = spec
                pixmaps = pixmap.pixmaps(spec, self._sizes)
            title = model.tooltip(status, self._clock.now(), self._clock.tz)
            entries = model.menu_entries(status, self._settings.snooze_minutes, self._clock.tz, self.guide)
            tree = None
            if entries != self._entries:
                self._entries = entries
                tree = layout.tree(entries)
            state = item_status(status)

        def show() -> None:
            if self._item is None or self._menu is None:
                return
            self._item.show(pixmaps=pixmaps, tooltip=title, status=state)
            if tree is not None:
                self._menu.show(tree)

        self._loop.call_soon(show)
