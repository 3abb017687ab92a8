"""Prompt notifications: a service listener that shows one toast per open prompt and hands its answers back.

The only importer of desktop-notifier and plyer (lazily). Toasters form a fallback chain, each
describing what it can do as data (`Capabilities`):

1. desktop-notifier: a toast with Done / Snooze / Skip buttons; its D-Bus connection lives on an
   asyncio loop in a thread of its own (`asyncio.run_coroutine_threadsafe` hands it work);
2. plyer: a plain toast; the first one says once that the tray menu and `standup done` answer it;
3. pystray's own `Icon.notify`;
4. the log.

desktop-notifier is skipped when the notification server cannot show buttons. A toaster that
fails while showing is logged and the next one takes over: notifications never crash the app.
A new toast replaces the previous one, and the toast closes when its prompt closes or is snoozed.
`STANDUP_NOTIFIER=plyer|pystray|log` starts the chain further down (for tests and odd desktops).
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from standup.core.errors import StandupError
from standup.service.ports import Listener

log = logging.getLogger(__name__)

APP_NAME = "standup"
ENV_NOTIFIER = "STANDUP_NOTIFIER"
CHAIN = ("desktop-notifier", "plyer", "pystray", "log")
ANSWERS = (("done", "Done"), ("snooze", "Snooze"), ("skip", "Skip"))
ANSWER_ELSEWHERE = "Answer from the tray menu or with `standup done`."
MAX_LINE = 200  # characters of user text (a routine's name, its cue) per toast line; longer is cut with "…"
MAX_BODY = 600  # characters of a whole toast body, before escaping
PLAIN_TOAST_SECONDS = 60  # plain toasts cannot be closed later, so they expire on their own
START_TIMEOUT_S = 5.0

Answer = Callable[[str], None]  # called with "done", "snooze" or "skip"

_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
# Control characters (escape sequences, NUL, bell) and direction overrides never reach a notification server.
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Capabilities:
    """What a toaster can do."""

    name: str
    supports_actions: bool = False  # buttons whose presses come back to us
    can_close: bool = False  # a shown toast can be taken back
    markup: bool = False  # the body is read as markup (freedesktop body-markup): escape it


@dataclass(frozen=True)
class Toast:
    """One prompt's notification, as plain text; toasters escape it as their server needs."""

    prompt_id: int
    title: str
    body: str
    buttons: tuple[tuple[str, str], ...] = ANSWERS  # (answer, label)


class Toaster(Protocol):
    caps: Capabilities

    def show(self, toast: Toast, answer: Answer) -> None:
        """Show `toast`, replacing this toaster's previous one; raise if it cannot."""

    def close(self) -> None:
        """Take the current toast back (if `caps.can_close`)."""

    def message(self, title: str, body: str) -> None:
        """Show an information toast (no buttons) beside any prompt toast; raise if it cannot."""

    def shutdown(self) -> None:
        """Close the current toast and release resources."""


def toast_for(view: Any, break_minutes: int, snooze_minutes: int | None = None) -> Toast:
    """The toast for an open prompt `view` (a service PromptView); its Snooze says how long."""
    title = "Still sitting? Time to move" if getattr(view, "reshown", False) else "Time to stand up and move"
    suggestion = view.suggestion
    if suggestion is None:
        body = f"Get up and move for {break_minutes} minute{'s' if break_minutes != 1 else ''}."
    else:
        body = _one_line(suggestion.headline)
        if suggestion.first_cue:
            body += "\n" + _one_line(suggestion.first_cue)
    if snooze_minutes is None:
        return Toast(view.id, title, body)
    buttons = tuple((key, f"Snooze {snooze_minutes} min" if key == "snooze" else label) for key, label in ANSWERS)
    return Toast(view.id, title, body, buttons)


def plain_text(text: str, limit: int = MAX_BODY) -> str:
    """`text` without control or direction-override characters, cut to `limit` characters."""
    return _clip(_UNSHOWABLE.sub("", text.replace("\t", " ")), limit)


def server_text(text: str, caps: Capabilities) -> str:
    """Body text as `caps` needs it: plain, bounded, and escaped for markup servers."""
    text = plain_text(text)
    return html.escape(text, quote=False) if caps.markup else text


def body_text(toast: Toast, caps: Capabilities) -> str:
    """The body as `caps` needs it: escaped for markup servers."""
    return server_text(toast.body, caps)


def _one_line(text: str) -> str:
    return _clip(_LINE_BREAKS.sub(" ", text).strip(), MAX_LINE)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1].rstrip()}…"


def app_icon_path(size: int = 64) -> Path | None:
    """The bundled app icon PNG, if the package ships it as a file."""
    try:
        path = Path(str(resources.files("standup.assets").joinpath(f"icons/standup-{size}.png")))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None


class Notifier(Listener):
    """Service listener: one toast per open prompt, via the first toaster in the chain that works."""

    def __init__(
        self, service: Any, toasters: Sequence[Toaster], break_minutes: int, snooze_minutes: int | None = None
    ) -> None:
        self._service = service
        self._toasters = list(toasters) or [LogToaster()]
        self._break_minutes = break_minutes
        self._snooze_minutes = snooze_minutes
        self._lock = threading.Lock()
        self._active = 0
        self._shown: tuple[Toaster, int] | None = None  # (toaster, prompt id) of the toast on screen
        self._told_elsewhere = False

    @property
    def caps(self) -> Capabilities:
        return self._toasters[self._active].caps

    @property
    def supports_actions(self) -> bool:
        return self.caps.supports_actions

    def describe(self) -> str:
        caps = self.caps
        return f"{caps.name} ({'with buttons' if caps.supports_actions else 'no buttons: answer from the tray or CLI'})"

    # ---- service listener ---------------------------------------------------------------
    def prompt_shown(self, view: Any) -> None:
        self.show(toast_for(view, self._break_minutes, self._snooze_minutes))

    def prompt_closed(self, view: Any, outcome: Any) -> None:
        self._close(view.id)

    def prompt_snoozed(self, view: Any) -> None:
        self._close(view.id)

    # ---- showing ------------------------------------------------------------------------
    def evening_note(self, text: str) -> None:
        """The service's one line about the day, when work hours end."""
        self.message("standup: your day", text)

    def log_unwritable(self, reason: str) -> None:
        """Said once per outage: reminders go on, answers wait in memory."""
        self.message("standup cannot save your answers", reason)

    def log_writable(self) -> None:
        self.message("standup saved your answers", "The log can be written again; nothing was lost.")

    def show(self, toast: Toast) -> None:
        """Show `toast` in place of any previous one, falling down the chain on failure."""
        with self._lock:
            while True:
                toaster = self._toasters[self._active]
                if self._shown is not None and self._shown[0] is not toaster:
                    self._close_shown()
                shown = toast
                if not toaster.caps.supports_actions and not self._told_elsewhere:
                    shown = replace(toast, body=f"{toast.body}\n{ANSWER_ELSEWHERE}")
                try:
                    toaster.show(shown, self._answerer(toast.prompt_id))
                except Exception:  # the fallback: any failure of a notification library moves down the chain
                    log.exception("notifications: %s failed; falling back", toaster.caps.name)
                    if self._active + 1 >= len(self._toasters):
                        return
                    self._active += 1
                    continue
                if shown is not toast:
                    self._told_elsewhere = True
                    log.info("notifications via %s cannot carry buttons: %s", toaster.caps.name, ANSWER_ELSEWHERE)
                self._shown = (toaster, toast.prompt_id)
                return

    def message(self, title: str, body: str) -> None:
        """An information toast (today's summary…), via the first toaster that manages it."""
        for toaster in self._toasters[self._active :]:
            try:
                toaster.message(title, body)
                return
            except Exception:  # the fallback: try the next toaster
                log.exception("notifications: %s could not show a message", toaster.caps.name)

    def failed(self, toaster: Toaster, toast: Toast) -> None:
        """A toaster found out later (asynchronously) that it could not show `toast`."""
        with self._lock:
            if self._toasters[self._active] is not toaster or self._active + 1 >= len(self._toasters):
                return
            self._active += 1
            self._shown = None
        self.show(toast)

    def _close(self, prompt_id: int) -> None:
        with self._lock:
            if self._shown is not None and self._shown[1] == prompt_id:
                self._close_shown()

    def _close_shown(self) -> None:
        assert self._shown is not None
        toaster, _ = self._shown
        self._shown = None
        if toaster.caps.can_close:
            try:
                toaster.close()
            except Exception:  # the fallback: closing a toast must never break an answer
                log.exception("notifications: %s could not close a toast", toaster.caps.name)

    def shutdown(self) -> None:
        for toaster in self._toasters:
            try:
                toaster.shutdown()
            except Exception:  # the fallback: shutting down must finish
                log.exception("notifications: %s did not shut down cleanly", toaster.caps.name)

    # ---- answering ----------------------------------------------------------------------
    def _answerer(self, prompt_id: int) -> Answer:
        return lambda answer: self.answer(prompt_id, answer)

    def answer(self, prompt_id: int, answer: str) -> None:
        """A toast button was pressed: the same service call as the menu and the CLI."""
        status = self._service.status()
        if status.open_prompt is None or status.open_prompt.id != prompt_id:
            log.info("notification answer %r for prompt %s ignored: it is no longer open", answer, prompt_id)
            return
        log.info("notification answer: %s (prompt %s)", answer, prompt_id)
        calls: dict[str, Callable[[], object]] = {
            "done": self._service.done,
            "snooze": self._service.snooze,
            "skip": self._service.skip,
        }
        try:
            calls[answer]()
        except StandupError as exc:
            log.warning("notification answer %s: %s", answer, exc)
        except KeyError:
            log.warning("notification answer %r is not one we offered", answer)


# ---- toasters ------------------------------------------------------------------------------


class LogToaster:
    """The last resort: the prompt goes to the log."""

    caps = Capabilities("log")

    def __init__(self) -> None:
        self.shown: list[Toast] = []

    def show(self, toast: Toast, answer: Answer) -> None:
        self.shown.append(toast)
        log.warning("prompt %s: %s: %s", toast.prompt_id, plain_text(toast.title), plain_text(toast.body).replace("\n", " "))

    def message(self, title: str, body: str) -> None:
        log.warning("%s: %s", plain_text(title), plain_text(body).replace("\n", " "))

    def close(self) -> None:
        pass

    def shutdown(self) -> None:
        pass


class PystrayToaster:
    """pystray's own notification (a freedesktop toast on Linux, a balloon on Windows)."""

    def __init__(self, tray_icon: Any, markup: bool) -> None:
        self._icon = tray_icon
        self.caps = Capabilities("pystray", supports_actions=False, can_close=True, markup=markup)

    def show(self, toast: Toast, answer: Answer) -> None:
        if not getattr(self._icon, "HAS_NOTIFICATION", False):
            raise RuntimeError("this pystray backend has no notifications")
        self._icon.notify(body_text(toast, self.caps), plain_text(toast.title))

    def message(self, title: str, body: str) -> None:
        self.show(Toast(0, title, body, ()), lambda answer: None)

    def close(self) -> None:
        self._icon.remove_notification()

    def shutdown(self) -> None:
        pass


class PlyerToaster:
    """plyer's notification facade: a plain toast that expires on its own."""

    def __init__(self, markup: bool, icon: Path | None = None, timeout: int = PLAIN_TOAST_SECONDS) -> None:
        self.caps = Capabilities("plyer", supports_actions=False, can_close=False, markup=markup)
        self._icon = icon
        self._timeout = timeout

    @classmethod
    def create(cls) -> PlyerToaster:
        """Raises ImportError when plyer is not installed (plyer itself loads when first used: it is big)."""
        import importlib.util

        if importlib.util.find_spec("plyer") is None:
            raise ImportError("plyer is not installed")
        return cls(markup=sys.platform.startswith("linux"), icon=app_icon_path())

    def show(self, toast: Toast, answer: Answer) -> None:
        from plyer import notification

        notification.notify(
            title=plain_text(toast.title),
            message=body_text(toast, self.caps),
            app_name=APP_NAME,
            app_icon=str(self._icon) if self._icon else "",
            timeout=self._timeout,
        )

    def message(self, title: str, body: str) -> None:
        self.show(Toast(0, title, body, ()), lambda answer: None)

    def close(self) -> None:
        pass

    def shutdown(self) -> None:
        pass


class DesktopNotifierToaster:
    """desktop-notifier on its own asyncio loop thread; toasts with buttons that call back."""

    def __init__(self, on_failure: Callable[[DesktopNotifierToaster, Toast], None] | None = None) -> None:
        self.caps = Capabilities("desktop-notifier")
        self.on_failure = on_failure
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._notifier: Any = None
        self._current: str | None = None  # desktop-notifier's identifier of the toast on screen
        self._platform_id: Any = None
        self._queue: asyncio.Queue[tuple[str, Any]] | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout: float = START_TIMEOUT_S) -> Capabilities:
        """Starts the loop thread and asks the server what it can do; raises if it cannot be used."""
        import desktop_notifier  # noqa: F401  (ImportError here means: not installed)

        self._thread = threading.Thread(target=self._run, name="standup-notifier", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self.shutdown()
            raise TimeoutError("the notification server did not answer")
        if self._error is not None:
            self.shutdown()
            raise self._error
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
        from desktop_notifier import Button, Urgency

        def pressed(key: str) -> Callable[[], None]:
            return lambda: answer(key)

        buttons = [Button(title=label, identifier=key, on_pressed=pressed(key)) for key, label in toast.buttons]
        self._current = await self._notifier.send(
            title=plain_text(toast.title),
            message=body_text(toast, self.caps),
            urgency=Urgency.Normal,
            buttons=buttons,
            timeout=0,  # stays until answered or closed
        )
        self._platform_id = self._lookup_platform_id(self._current)
        log.info("toast shown for prompt %s", toast.prompt_id)

    def _lookup_platform_id(self, identifier: str) -> Any:
        ids = getattr(getattr(self._notifier, "_backend", None), "_platform_to_interface_notification_identifier", None)
        try:
            return ids.inverse[identifier] if ids is not None else None
        except KeyError:
            return None

    async def _clear(self) -> None:
        identifier, platform_id = self._current, self._platform_id
        self._current = self._platform_id = None
        if identifier is None:
            return
        try:
            await self._notifier.clear(identifier)
            return
        except KeyError:
            pass  # desktop-notifier forgets a toast once a button was pressed; some servers keep showing it
        interface = getattr(getattr(self._notifier, "_backend", None), "interface", None)
        if platform_id is not None and interface is not None:
            from dbus_fast.errors import DBusError

            try:
                await interface.call_close_notification(platform_id)
            except DBusError:
                pass  # already closed

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


# ---- the chain ---------------------------------------------------------------------------


@dataclass
class ChainReport:
    """Which toasters were tried and why some were left out (for the log and `standup status`)."""

    toasters: list[Toaster] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def build_chain(
    tray_icon: Any = None,
    preferred: str | None = None,
    tray_markup: bool = True,
    factories: dict[str, Callable[[], Toaster]] | None = None,
) -> ChainReport:
    """The toasters to use, best first, from `preferred` (default: $STANDUP_NOTIFIER or the top).

    `factories` replace the real constructors (tests); each may raise to say "not available".
    """
    preferred = preferred or os.environ.get(ENV_NOTIFIER) or CHAIN[0]
    if preferred not in CHAIN:
        log.warning("%s=%r is not one of %s; using the full chain", ENV_NOTIFIER, preferred, ", ".join(CHAIN))
        preferred = CHAIN[0]
    make = factories or _real_factories(tray_icon, tray_markup)
    report = ChainReport()
    for name in CHAIN[CHAIN.index(preferred) :]:
        factory = make.get(name)
        if factory is None:
            report.skipped.append(f"{name}: not offered here")
            continue
        try:
            toaster = factory()
        except Exception as exc:  # the fallback: a toaster that cannot start is left out, with its reason
            report.skipped.append(f"{name}: {exc or type(exc).__name__}")
            log.info("notifications: %s unavailable (%s)", name, exc or type(exc).__name__)
            continue
        if name == "desktop-notifier" and not toaster.caps.supports_actions:
            toaster.shutdown()
            report.skipped.append(f"{name}: the notification server shows no buttons")
            continue
        report.toasters.append(toaster)
    if not any(isinstance(t, LogToaster) for t in report.toasters):
        report.toasters.append(LogToaster())
    return report


def _real_factories(tray_icon: Any, tray_markup: bool) -> dict[str, Callable[[], Toaster]]:
    def desktop() -> Toaster:
        toaster = DesktopNotifierToaster()
        toaster.start()
        return toaster

    factories: dict[str, Callable[[], Toaster]] = {
        "desktop-notifier": desktop,
        "plyer": PlyerToaster.create,
        "log": LogToaster,
    }
    if tray_icon is not None:
        factories["pystray"] = lambda: PystrayToaster(tray_icon, tray_markup)
    return factories


def create_notifier(
    service: Any, break_minutes: int, tray_icon: Any = None, preferred: str | None = None,
    snooze_minutes: int | None = None,
) -> Notifier:
    """The Notifier with the real chain; subscribe it to the service."""
    report = build_chain(tray_icon, preferred)
    notifier = Notifier(service, report.toasters, break_minutes, snooze_minutes)
    for toaster in report.toasters:
        if isinstance(toaster, DesktopNotifierToaster):
            toaster.on_failure = notifier.failed
    log.info("notifications via %s%s", notifier.describe(), f"; skipped {'; '.join(report.skipped)}" if report.skipped else "")
    return notifier
