"""Opens the break window: starts `python -m standup guide` as a process of its own and reaps it.

The running app never imports the window's toolkit; it only checks that one is there
(`importlib.util.find_spec`, which imports nothing). The window's output goes to `guide.log` in the
log folder; a second open while a window is up is refused by the window itself (its lock), so a
double click cannot stack windows. Every child is waited for on a thread of its own: none is left
behind as a zombie, and `close()` ends the ones still open when the app quits.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from importlib.machinery import ModuleSpec
from pathlib import Path

log = logging.getLogger(__name__)


def window_missing(environ: Mapping[str, str] = os.environ, platform: str = sys.platform,
                   find_spec: Callable[[str], ModuleSpec | None] = importlib.util.find_spec) -> str | None:
    """Why no break window can open here (no display, no tkinter), or None."""
    if platform not in ("win32", "darwin") and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return "no display"
    if find_spec("tkinter") is None:
        return "Python has no tkinter (on Debian: apt install python3-tk)"
    return None


class GuideLauncher:
    """Starts break windows for the app; `available` says whether one can open here at all."""

    def __init__(self, log_dir: Path, environ: Mapping[str, str] | None = None,
                 command: list[str] | None = None, missing: str | None = None) -> None:
        self._log_dir = log_dir
        self._environ = dict(os.environ if environ is None else environ)
        self._command = command or [sys.executable, "-m", "standup", "guide"]
        self.missing = window_missing(self._environ) if missing is None else (missing or None)
        self._children: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()
        if self.missing:
            log.info("no break window: %s; the toast alone remains", self.missing)

    @property
    def available(self) -> bool:
        return self.missing is None

    def open(self, prompt_id: int | None = None) -> bool:
        """Start a break window (for `prompt_id`, if given); False if none can open here."""
        if not self.available:
            log.info("break window asked for, but %s", self.missing)
            return False
        argv = self._command + ([f"--prompt={prompt_id}"] if prompt_id is not None else [])
        try:
            self._log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            with open(self._log_dir / "guide.log", "ab") as output:
                child = subprocess.Popen(argv, env=self._environ, stdin=subprocess.DEVNULL, stdout=output,
                                         stderr=output, start_new_session=True)
        except OSError as exc:
            log.warning("cannot start the break window: %s", exc)
            return False
        log.info("break window started (pid %d) for prompt %s", child.pid, prompt_id)
        with self._lock:
            self._children.append(child)
        threading.Thread(target=self._reap, args=(child,), name="standup-guide-reaper", daemon=True).start()
        return True

    def _reap(self, child: subprocess.Popen[bytes]) -> None:
        code = child.wait()
        with self._lock:
            if child in self._children:
                self._children.remove(child)
        if code:
            log.warning("the break window (pid %d) ended with code %d; see guide.log", child.pid, code)

    def close(self, timeout: float = 2.0) -> None:
        """End the windows still open (the app is quitting)."""
        with self._lock:
            children = list(self._children)
        for child in children:
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout)
                except subprocess.TimeoutExpired:
                    child.kill()
