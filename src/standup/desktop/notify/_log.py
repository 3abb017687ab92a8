"""The last toaster: the prompt goes to the log."""

from __future__ import annotations

import logging

from standup.desktop.notify.toast import Answer, Capabilities, Toast, plain_text

log = logging.getLogger(__name__)


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
