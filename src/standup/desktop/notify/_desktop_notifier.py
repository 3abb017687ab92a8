"""desktop-notifier as a toaster: buttons that call back, on an asyncio loop in another thread.

On Linux that loop is the desktop's one bus loop (`bus.SessionLoop`), and desktop-notifier's D-Bus
connection becomes the one the tray and the presence questions share; elsewhere (or without a
session bus) the toaster runs a loop thread of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from standup.desktop.notify import _desktop_notifier_internals as _internals
from standup.desktop.notify.toast import APP_NAME, Answer, Capabilities, Toast, app_icon_path, body_text, plain_text, server_text

if TYPE_CHECKING:
    from standup.desktop.bus import SessionLoop

log = logging.getLogger(__name__)

START_TIMEOUT_S = 5.0


class DesktopNotifierToaster:
    """desktop-notifier on its own asyncio loop thread; toasts with buttons that call back."""

    def __init__(self, on_failure: Callable[[DesktopNotifierToaster, Toast], None] | None = None,
                 session_loop: SessionLoop | None = None) -> None:
        self.caps = Capabilities("desktop-notifier")
        self._session_loop = session_loop  # a bus.SessionLoop to run on, or None for a thread of our own
        self._work_future: Any = None
        self.on_failure = on_failure
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._notifier: Any = None
        self._current: str | None = None  # desktop-notifier's identifier of the toast on screen
        self._platform_id: int | None = None
        self._queue: asyncio.Queue[tuple[str, Any]] | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout: float = START_TIMEOUT_S) -> Capabilities:
        """Starts the loop thread and asks the server what it can do; raises if it cannot be used."""
        import desktop_notifier  # noqa: F401  (ImportError here means: not installed)

        if self._session_loop is not None:
            return self._start_on(self._session_loop, timeout)
        self._thread = threading.Thread(target=self._run, name="standup-notifier", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self.shutdown()
            raise TimeoutError("the notification server did not answer")
        if self._error is not None:
            self.shutdown()
            raise self._error
        return self.caps

    def _start_on(self, session_loop: SessionLoop, timeout: float) -> Capabilities:
        from standup.desktop.bus import BusError

        try:
            session_loop.ask(self._init, timeout)
        except BusError as exc:
            raise (exc.__cause__ or exc) if "no answer" not in str(exc) else TimeoutError(
                "the notification server did not answer") from exc
        self._loop = session_loop.loop
        session_loop.adopt(_internals.connection(self._notifier))  # one connection for the whole desktop
        self._work_future = session_loop.submit(self._work())
        return self.caps

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            loop.run_until_complete(self._init())
        except Exception as exc:  # the fallback: any start-up failure means "use the next toaster"
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_until_complete(self._work())
        finally:
            loop.close()

    async def _init(self) -> None:
        from desktop_notifier import Capability, DesktopNotifier, Icon
        from desktop_notifier.main import get_backend_class

        icon_path = app_icon_path()
        self._notifier = DesktopNotifier(app_name=APP_NAME, app_icon=Icon(path=icon_path) if icon_path else None)
        capabilities = await self._notifier.get_capabilities()
        self.caps = Capabilities(
            "desktop-notifier",
            supports_actions=Capability.BUTTONS in capabilities,
            can_close=True,
            markup=get_backend_class().__name__ == "DBusDesktopNotifier",
        )
        self._queue = asyncio.Queue()

    async def _work(self) -> None:
        assert self._queue is not None
        while True:
            op, arg = await self._queue.get()
            if op == "stop":
                await self._clear()
                return
            try:
                if op == "show":
                    await self._clear()
                    await self._send(*arg)
                elif op == "close":
                    await self._clear()
                elif op == "message":
                    await self._notifier.send(title=plain_text(arg[0]), message=server_text(arg[1], self.caps), timeout=15)
            except Exception:  # the fallback: log, and let the Notifier move down the chain
                log.exception("desktop-notifier could not %s a toast", op)
                if op == "show" and self.on_failure is not None:
                    self.on_failure(self, arg[0])

    async def _send(self, toast: Toast, answer: Answer) -> None:
        from desktop_notifier import Attachment, Button, Urgency

        def pressed(key: str) -> Callable[[], None]:
            return lambda: answer(key)

        buttons = [Button(title=label, identifier=key, on_pressed=pressed(key)) for key, label in toast.buttons]
        self._current = await self._notifier.send(
            title=plain_text(toast.title),
            message=body_text(toast, self.caps),
            urgency=Urgency.Normal,
            buttons=buttons,
            timeout=0,  # stays until answered or closed
            attachment=Attachment(path=toast.image) if toast.image is not None else None,
            on_clicked=pressed("start") if toast.start else None,  # servers with a default action (not xfce4-notifyd)
        )
        self._platform_id = _internals.server_id(self._notifier, self._current)
        log.info("toast shown for prompt %s", toast.prompt_id)

    async def _clear(self) -> None:
        identifier, platform_id = self._current, self._platform_id
        self._current = self._platform_id = None
        if identifier is None:
            return
        try:
            await self._notifier.clear(identifier)
        except KeyError:  # a button was pressed: desktop-notifier forgot the toast, the server may still show it
            await _internals.close_by_server_id(self._notifier, platform_id)

    def _put(self, op: str, arg: Any = None) -> None:
        loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            raise RuntimeError("the desktop-notifier loop is not running")
        loop.call_soon_threadsafe(queue.put_nowait, (op, arg))

    def show(self, toast: Toast, answer: Answer) -> None:
        self._put("show", (toast, answer))

    def close(self) -> None:
        self._put("close")

    def message(self, title: str, body: str) -> None:
        self._put("message", (title, body))

    def shutdown(self, timeout: float = 2.0) -> None:
        try:
            self._put("stop")
        except RuntimeError:
            pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        loop = self._session_loop
        if self._work_future is not None and loop is not None and not loop.on_loop_thread:
            with contextlib.suppress(Exception):  # the fallback: shutting down must finish
                self._work_future.result(timeout)
