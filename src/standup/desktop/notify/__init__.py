"""Prompt notifications: a service listener that shows one toast per open prompt and hands its answers back.

The only importer of desktop-notifier and plyer (lazily). Toasters (one private module each) form
a fallback chain (`chain`), each describing what it can do as data (`Capabilities`, in `toast`):

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

from standup.desktop.notify._desktop_notifier import DesktopNotifierToaster
from standup.desktop.notify._log import LogToaster
from standup.desktop.notify._plyer import PlyerToaster
from standup.desktop.notify._pystray import PystrayToaster
from standup.desktop.notify.chain import (
    CHAIN,
    ENV_NOTIFIER,
    ChainReport,
    build_chain,
    create_notifier,
    start_desktop_notifier,
)
from standup.desktop.notify.notifier import ANSWER_ELSEWHERE, Notifier
from standup.desktop.notify.toast import (
    MAX_BODY,
    Capabilities,
    Toast,
    Toaster,
    app_icon_path,
    body_text,
    plain_text,
    server_text,
    toast_for,
)

__all__ = [
    "ANSWER_ELSEWHERE", "CHAIN", "ENV_NOTIFIER", "MAX_BODY", "Capabilities", "ChainReport", "DesktopNotifierToaster",
    "LogToaster", "Notifier", "PlyerToaster", "PystrayToaster", "Toast", "Toaster", "app_icon_path", "body_text",
    "build_chain", "create_notifier", "plain_text", "start_desktop_notifier", "server_text", "toast_for",
]
