"""The chain of toasters, best first, and the Notifier built on it (see the package docstring)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from standup.desktop.notify._desktop_notifier import DesktopNotifierToaster
from standup.desktop.notify._log import LogToaster
from standup.desktop.notify._plyer import PlyerToaster
from standup.desktop.notify._pystray import NotifyingIcon, PystrayToaster
from standup.desktop.notify.notifier import Notifier
from standup.desktop.notify.toast import Toaster
from standup.service.reminders import ReminderService
from standup.service.views import PromptView

if TYPE_CHECKING:
    from standup.desktop.bus import SessionLoop

log = logging.getLogger(__name__)

ENV_NOTIFIER = "STANDUP_NOTIFIER"
CHAIN = ("desktop-notifier", "plyer", "pystray", "log")


@dataclass
class ChainReport:
    """Which toasters were tried and why some were left out (for the log and `standup status`)."""

    toasters: list[Toaster] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def build_chain(
    tray_icon: NotifyingIcon | None = None,
    preferred: str | None = None,
    tray_markup: bool = True,
    factories: dict[str, Callable[[], Toaster]] | None = None,
    started: DesktopNotifierToaster | Exception | None = None,
) -> ChainReport:
    """The toasters to use, best first, from `preferred` (default: $STANDUP_NOTIFIER or the top).

    `factories` replace the real constructors (tests); each may raise to say "not available".
    `started` is desktop-notifier already started by `start_desktop_notifier` (or why it could not).
    """
    preferred = preferred or os.environ.get(ENV_NOTIFIER) or CHAIN[0]
    if preferred not in CHAIN:
        log.warning("%s=%r is not one of %s; using the full chain", ENV_NOTIFIER, preferred, ", ".join(CHAIN))
        preferred = CHAIN[0]
    make = factories or _real_factories(tray_icon, tray_markup, started)
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


def start_desktop_notifier(session_loop: SessionLoop | None = None) -> DesktopNotifierToaster | Exception:
    """desktop-notifier started (on `session_loop` when given), or why it could not start."""
    toaster = DesktopNotifierToaster(session_loop=session_loop)
    try:
        toaster.start()
    except Exception as exc:  # the fallback: the chain leaves it out, with this reason
        return exc
    return toaster


def _real_factories(tray_icon: NotifyingIcon | None, tray_markup: bool,
                    started: DesktopNotifierToaster | Exception | None = None) -> dict[str, Callable[[], Toaster]]:
    def desktop() -> Toaster:
        if isinstance(started, Exception):
            raise started
        if started is not None:
            return started
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
    service: ReminderService, break_minutes: int, tray_icon: NotifyingIcon | None = None,
    preferred: str | None = None, snooze_minutes: int | None = None,
    started: DesktopNotifierToaster | Exception | None = None, picture: Callable[[PromptView], Path | None] | None = None,
    start_guide: Callable[[int], object] | None = None,
) -> Notifier:
    """The Notifier with the real chain; subscribe it to the service."""
    report = build_chain(tray_icon, preferred, started=started)
    notifier = Notifier(service, report.toasters, break_minutes, snooze_minutes, picture, start_guide)
    for toaster in report.toasters:
        if isinstance(toaster, DesktopNotifierToaster):
            toaster.on_failure = notifier.failed
    log.info("notifications via %s%s", notifier.describe(), f"; skipped {'; '.join(report.skipped)}" if report.skipped else "")
    return notifier
