"""plyer's notification facade as a toaster (plyer loads when first used: it is big)."""

from __future__ import annotations

import sys
from pathlib import Path

from standup.desktop.notify.toast import (
    APP_NAME,
    PLAIN_TOAST_SECONDS,
    Answer,
    Capabilities,
    Toast,
    app_icon_path,
    body_text,
    plain_text,
)


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
            app_icon=str(toast.image or self._icon or ""),  # the figure, where the prompt has one
            timeout=self._timeout,
        )

    def message(self, title: str, body: str) -> None:
        self.show(Toast(0, title, body, ()), lambda answer: None)

    def close(self) -> None:
        pass

    def shutdown(self) -> None:
        pass
