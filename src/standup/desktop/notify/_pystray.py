"""pystray's own notification as a toaster."""

from __future__ import annotations

from typing import Protocol

from standup.desktop.notify.toast import Answer, Capabilities, Toast, body_text, plain_text


class NotifyingIcon(Protocol):
    """What we use of a pystray Icon here (`HAS_NOTIFICATION` is read with getattr: not every backend has it)."""

    def notify(self, message: str, title: str | None = None) -> None: ...

    def remove_notification(self) -> None: ...


class PystrayToaster:
    """pystray's own notification (a freedesktop toast on Linux, a balloon on Windows)."""

    def __init__(self, tray_icon: NotifyingIcon, markup: bool) -> None:
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
