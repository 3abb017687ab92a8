"""Without desktop-notifier, the prompt still reaches the user: plyer's plain toast, answered elsewhere.

desktop-notifier is made unimportable for this `standup run` by a sitecustomize on PYTHONPATH, as
on a system where it is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from standup.desktop.notify import ANSWER_ELSEWHERE
from tests.e2e.desktop import Desktop, Standup, wait_for
from tests.e2e.test_desktop_e2e import BACKEND, CONFIG

BLOCKER = '''\
import sys


class _NoDesktopNotifier:
    """Pretend desktop-notifier is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name == "desktop_notifier" or name.startswith("desktop_notifier."):
            raise ModuleNotFoundError("No module named 'desktop_notifier' (blocked by the e2e test)", name=name)
        return None


sys.meta_path.insert(0, _NoDesktopNotifier())
'''


@pytest.fixture(scope="module")
def plain_app(desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standup]:
    site = tmp_path_factory.mktemp("site")
    (site / "sitecustomize.py").write_text(BLOCKER)
    home = tmp_path_factory.mktemp("standup-plyer")
    env = {"PYSTRAY_BACKEND": BACKEND, "PYTHONPATH": str(site)}
    with Standup(desktop, home, CONFIG, env).running_with_tray() as running:
        yield running


def test_6_plyer_delivers_the_prompt_when_desktop_notifier_is_missing(desktop: Desktop, plain_app: Standup) -> None:
    log = plain_app.log_text()
    assert "notifications via plyer" in log
    assert "desktop-notifier: No module named 'desktop_notifier'" in log
    seen = len(desktop.notifications())
    plain_app.cli("break")
    toast = wait_for("plyer's Notify call on the bus", lambda: desktop.notifications()[seen:], 10)[0]
    assert toast.summary == "Time to stand up and move"
    assert toast.button_labels == []
    assert ANSWER_ELSEWHERE.replace("`", "") in toast.body.replace("`", "")
    bubble = wait_for("the plain bubble on screen", desktop.bubble, 5)
    desktop.screenshot("6-plyer-notification", bubble.grown(10), scale=2)
    plain_app.cli("done")
    wait_for("the prompt logged as done", lambda: plain_app.prompts()[-1]["outcome"] == "done", 10)
    plain_app.cli("break")
    second = wait_for("the second toast", lambda: desktop.notifications()[seen + 1 :], 10)[0]
    assert ANSWER_ELSEWHERE not in second.body  # told once
    plain_app.cli("skip")
    plain_app.cli("quit")
    assert plain_app.proc is not None and plain_app.proc.wait(15) == 0
    desktop.close_bubbles()


def test_6_artifact() -> None:
    assert (Path(__file__).resolve().parents[2] / "test-artifacts/e2e/6-plyer-notification.png").exists()
