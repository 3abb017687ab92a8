"""The Notifier: a service listener that shows one toast per open prompt and hands its answers back.

It walks the chain of toasters: one that fails is logged and the next takes over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from standup.core.errors import StandupError
from standup.desktop.notify._log import LogToaster
from standup.desktop.notify.toast import Answer, Capabilities, Toast, Toaster, toast_for
from standup.core.model import Outcome
from standup.service.ports import Listener
from standup.service.reminders import ReminderService
from standup.service.views import PromptView

log = logging.getLogger(__name__)

ANSWER_ELSEWHERE = "Answer from the tray menu or with `standup done`."


class Notifier(Listener):
    """Service listener: one toast per open prompt, via the first toaster in the chain that works."""

    def __init__(
        self, service: ReminderService, toasters: Sequence[Toaster], break_minutes: int, snooze_minutes: int | None = None,
        picture: Callable[[PromptView], Path | None] | None = None, start_guide: Callable[[int], object] | None = None,
    ) -> None:
        """`picture(view)`: the figure file for a prompt's toast; `start_guide(prompt_id)` opens the break window."""
        self._picture = picture
        self._start_guide = start_guide
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
    def prompt_shown(self, view: PromptView) -> None:
        image = self._picture(view) if self._picture is not None else None
        self.show(toast_for(view, self._break_minutes, self._snooze_minutes, image, self._start_guide is not None))

    def prompt_closed(self, view: PromptView, outcome: Outcome) -> None:
        self._close(view.id)

    def prompt_snoozed(self, view: PromptView) -> None:
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

    def log_recreated(self, message: str) -> None:
        """The log's file went away under the app; a fresh one holds everything (said once)."""
        self.message("standup started its log again", message)

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
        if answer == "start" and self._start_guide is not None:
            self._start_guide(prompt_id)  # the window answers the prompt itself; the toast stays until then
            return
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
