"""standup on GNOME: GNOME Shell on Wayland (headless) with the AppIndicator extension, as Ubuntu ships it.

standup starts together with the shell, as autostart does at login. The extension drops an item
that registers while the shell is still starting; the icon must come back and stay, its menu read
over dbusmenu as the extension reads it, and be drawn in the top bar (test-artifacts/e2e/gnome-*.png).
A break from the menu reaches GNOME Shell's own notification server; natural breaks come from
Mutter's IdleMonitor, and the return from a walk is seen at the first input (Mutter's user-active
watch), not at the next poll.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.e2e.desktop import ARTIFACTS, MINUTE_SCALE_CONFIG, STANDUP, wait_for
from tests.e2e.gnome import GnomeSession, missing
from tests.e2e.panels import SniProbe

pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))
CONFIG = MINUTE_SCALE_CONFIG
RING_CENTRE = (67, 160, 71)  # the sitting icon's green centre (standup.desktop.icon)
ORANGE = (244, 81, 30)  # the prompt-open icon's disc
SUPER, ESCAPE = 0xFFEB, 0xFF1B  # X keysyms


@dataclass
class App:
    proc: subprocess.Popen[bytes]
    env: dict[str, str]
    home: Path
    probe: SniProbe

    def json(self, *args: str) -> Any:
        out = subprocess.run([str(STANDUP), *args, "--json"], env=self.env, capture_output=True, text=True, timeout=20)
        return json.loads(out.stdout)

    def status(self) -> dict[str, Any]:
        return dict(self.json("status"))

    def log_text(self) -> str:
        return (self.home / "standup.log").read_text(errors="replace")

    def item(self) -> tuple[str, str] | None:
        return self.probe.item_of(self.proc.pid)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GnomeSession]:
    gnome = GnomeSession(tmp_path_factory.mktemp("gnome"))
    try:
        yield gnome.start()
    finally:
        gnome.stop()


@pytest.fixture(scope="module")
def app(session: GnomeSession) -> Iterator[App]:
    home = session.root / "standup-home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG)
    env = dict(session.env, STANDUP_HOME=str(home))
    proc = session.spawn("standup", [str(STANDUP), "run"], env=env)  # at once, as at login
    probe = SniProbe(session.env["DBUS_SESSION_BUS_ADDRESS"])
    try:
        yield App(proc, env, home, probe)
    finally:
        subprocess.run([str(STANDUP), "quit"], env=env, capture_output=True, timeout=20)
        probe.close()


def top_bar(session: GnomeSession, name: str) -> Image.Image:
    shot = session.screenshot(ARTIFACTS / f"gnome-{name}.png")
    return Image.open(shot).convert("RGB")


def ring_pixels(screen: Image.Image, colour: tuple[int, int, int], within: int = 40) -> int:
    """Pixels near `colour` in the right half of the top bar, where the extension puts the icons."""
    bar = screen.crop((screen.width // 2, 0, screen.width, 32))
    return sum(all(abs(a - b) <= within for a, b in zip(bar.getpixel((x, y)), colour))
               for x in range(bar.width) for y in range(bar.height))


def test_1_the_icon_started_with_the_shell_comes_back_stays_and_is_drawn(session: GnomeSession, app: App) -> None:
    item = app.probe.wait_for_item(app.proc.pid, "GNOME Shell's AppIndicator extension", 20)
    time.sleep(10)  # the extension's failures fall in the shell's first seconds; what is left after is what users see
    assert app.item() == item, "the extension dropped standup's icon and it did not come back"
    menu = app.probe.menu(item)
    assert {"Take a break now", "Pause", "Quit"} <= set(menu)
    status = app.status()
    assert status["tray"] == "sni"
    assert status["natural_breaks"] == "on (gnome-mutter)"
    assert ring_pixels(top_bar(session, "1-top-bar"), RING_CENTRE) >= 4, "no sign of standup's ring in GNOME's top bar"


def test_2_a_break_from_the_menu_is_a_gnome_notification_and_done_from_the_menu_logs_it(
        session: GnomeSession, app: App) -> None:
    monitor = session.spawn("notify-monitor", ["dbus-monitor", "--session",
                                               "type='method_call',interface='org.freedesktop.Notifications'"])
    time.sleep(0.5)
    item = app.item()
    assert item is not None
    app.probe.click(item, app.probe.menu(item)["Take a break now"]["id"])
    wait_for("a prompt open", lambda: app.status()["state"] == "prompting", 10)
    wait_for("the orange prompt icon in the top bar (the attention icon)",
             lambda: ring_pixels(top_bar(session, "2-prompt-open"), ORANGE) >= 4, 10, 0.5)
    log = session.root / "notify-monitor.log"
    wait_for("standup's Notify call to GNOME Shell", lambda: "member=Notify" in log.read_text(errors="replace"), 10)
    assert "Time to stand up and move" in log.read_text(errors="replace")
    monitor.terminate()
    session.keys(SUPER, ord("v"))  # GNOME's notification list
    time.sleep(1.5)
    top_bar(session, "2-notification-list")
    session.keys(ESCAPE)
    menu = app.probe.menu(item)
    done = next(entry for label, entry in menu.items() if label.startswith("Done"))
    app.probe.click(item, done["id"])
    wait_for("the prompt logged as done", lambda: app.json("log")["prompts"][-1]["outcome"] == "done", 10)


def test_3_walking_away_is_seen_by_mutter_and_the_return_at_the_first_input(session: GnomeSession, app: App) -> None:
    wait_for("standup to count the user away (a minute without input)", lambda: app.status()["away"], 90, 1)
    assert session.idle_ms() >= 59_000
    session.touch()
    back = time.monotonic()
    wait_for("standup to count the user back", lambda: not app.status()["away"], 30, 0.1)
    # Away, the idle time is read every 5 minutes only (the backstop); seeing the return this soon takes
    # Mutter's user-active watch.
    assert time.monotonic() - back < 3
    assert "input alarm on (Mutter's user-active watch while away)" in app.log_text()
