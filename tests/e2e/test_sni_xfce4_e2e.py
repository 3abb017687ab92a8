"""The StatusNotifierItem tray on a real SNI host: xfce4-panel 4.18 on Xvfb, no trayer.

standup finds the panel's watcher, registers its item and serves its menu over dbusmenu; the test
reads both as the panel does, clicks menu items with Event("clicked"), watches the icon turn into
the prompt's when a break starts, restarts the panel (the item comes back), and quits from the menu.
No GTK is loaded in standup's process on this path. Screenshots: test-artifacts/e2e/sni-xfce4-*.png.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image

from standup.core.model import State
from standup.desktop import menu
from tests.e2e.desktop import MINUTE_SCALE_CONFIG, Box, Desktop, Standup, alive, wait_for
from tests.e2e.panels import SniProbe, start_xfce4_panel

pytestmark = pytest.mark.skipif(not Path("/usr/bin/xfce4-panel").exists(), reason="xfce4-panel is not installed")
CONFIG = MINUTE_SCALE_CONFIG
ORANGE = (244, 81, 30)
PANEL_STRIP = Box(0, 0, 1024, 32)


@pytest.fixture(scope="module")
def panel_desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    desktop = Desktop(tmp_path_factory.mktemp("xfce4-desktop"), tray="").start()
    try:
        start_xfce4_panel(desktop)
        yield desktop
    finally:
        desktop.stop()


@pytest.fixture(scope="module")
def probe(panel_desktop: Desktop) -> Iterator[SniProbe]:
    reader = SniProbe(panel_desktop.env["DBUS_SESSION_BUS_ADDRESS"])
    yield reader
    reader.close()


@pytest.fixture(scope="module")
def app(panel_desktop: Desktop, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standup]:
    home = tmp_path_factory.mktemp("standup-sni-home")
    with Standup(panel_desktop, home, CONFIG, {"PYSTRAY_BACKEND": ""}).running_with_tray() as running:
        yield running


def model_labels(prompt_open: bool) -> dict[str, tuple[bool, str | None]]:
    """The tray model's clickable lines (label: (enabled, action)), for a sitting user or an open prompt.

    The model's information lines (no action, like the first line saying where you stand) depend on
    the clock; `test_2` checks that one against the item's tooltip instead."""
    now = datetime.now(timezone.utc)
    status = SimpleNamespace(open_prompt=SimpleNamespace(suggestion=None) if prompt_open else None,
                             state=State.PROMPTING if prompt_open else State.SITTING, now=now,
                             next_prompt_at=now + timedelta(minutes=30), sitting_since=now, paused_until=None)
    return {entry.label: (entry.enabled, entry.action) for entry in menu.menu_entries(status, 1)
            if entry.label != "-" and (entry.action or entry.children)}


def clickable(read: dict[str, Any]) -> dict[str, Any]:
    """The read menu without its information lines (disabled, no submenu, not in the model's actions)."""
    actions = set(model_labels(False)) | set(model_labels(True))
    return {label: entry for label, entry in read.items() if label in actions}


def label_for(action: str, prompt_open: bool = False) -> str:
    return next(label for label, (_, key) in model_labels(prompt_open).items() if key == action)


def item(probe: SniProbe, app: Standup) -> tuple[str, str]:
    return probe.wait_for_item(app.pid)


def orange_share(image: Image.Image) -> float:
    rgb = image.convert("RGB")
    pixels = [rgb.getpixel((x, y)) for x in range(rgb.width) for y in range(rgb.height)]
    return sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, ORANGE, strict=True)) < 60) / len(pixels)


def test_1_the_item_registers_with_the_panel_and_no_gtk_is_loaded(panel_desktop: Desktop, probe: SniProbe,
                                                                  app: Standup) -> None:
    name, path = item(probe, app)
    assert path == "/StatusNotifierItem" and name.startswith("org.kde.StatusNotifierItem-")
    assert probe.item_prop((name, path), "Status") == "Active"
    assert probe.item_prop((name, path), "ItemIsMenu") is True
    assert app.status()["tray"] == "sni"
    assert "tray: sni" in app.cli("status").stdout
    connections = [name for name, pid in panel_desktop.bus_client_pids().items() if pid == app.pid]
    assert len(connections) == 1, f"one D-Bus connection for notifications, tray and presence: {connections}"
    threads = sorted(Path(f"/proc/{app.pid}/task/{t}/comm").read_text().strip() for t in os.listdir(f"/proc/{app.pid}/task"))
    assert len(threads) <= 3, threads  # the runner (main), the bus loop, the control socket
    maps = Path(f"/proc/{app.pid}/maps").read_text()
    assert "libgtk-3" not in maps and "libgobject" not in maps
    time.sleep(1)  # the panel draws the icon
    panel_desktop.screenshot("sni-xfce4-1-panel", PANEL_STRIP)
    assert orange_share(panel_desktop.grab(PANEL_STRIP)) < 0.001, "the prompt icon shows before any prompt"


def test_2_the_menu_read_over_dbusmenu_is_the_tray_model(probe: SniProbe, app: Standup) -> None:
    found = item(probe, app)
    read = probe.menu(found)
    model = model_labels(False)
    assert list(clickable(read)) == list(model)
    assert {label: entry["enabled"] for label, entry in clickable(read).items()} == {k: v[0] for k, v in model.items()}
    submenu = next(entry for entry in read.values() if entry["children"])
    assert len(submenu["children"]) == 3
    first = next(iter(read))
    assert read[first]["enabled"] is False and first == probe.item_prop(found, "ToolTip")[3]


def test_3_a_click_takes_a_break_and_the_icon_turns_to_the_prompt(panel_desktop: Desktop, probe: SniProbe,
                                                                 app: Standup) -> None:
    found = item(probe, app)
    before = probe.item_prop(found, "IconPixmap")
    probe.click(found, probe.menu(found)[label_for(menu.TAKE_BREAK)]["id"])
    wait_for("the prompt in the log", lambda: app.prompts(), 10)
    assert app.status()["state"] == "prompting"
    wait_for("NeedsAttention", lambda: probe.item_prop(found, "Status") == "NeedsAttention", 5)
    after = probe.item_prop(found, "IconPixmap")
    assert after != before
    width, height, data = max(after, key=lambda pixmap: pixmap[0])
    centre_left = (height // 2 * width + width // 6) * 4
    assert tuple(data[centre_left + 1:centre_left + 4]) == ORANGE
    read = clickable(probe.menu(found))
    assert {label: entry["enabled"] for label, entry in read.items()} == {k: v[0] for k, v in model_labels(True).items()}
    wait_for("the orange icon in the panel", lambda: orange_share(panel_desktop.grab(PANEL_STRIP)) > 0.001, 5)
    panel_desktop.screenshot("sni-xfce4-3-prompt", PANEL_STRIP)


def test_4_the_panel_opens_the_menu_on_a_left_click(panel_desktop: Desktop) -> None:
    image = panel_desktop.grab(PANEL_STRIP)
    spots = [(x, y) for x in range(image.width) for y in range(image.height)
             if sum(abs(a - b) for a, b in zip(image.getpixel((x, y)), ORANGE, strict=True)) < 60]
    x = sum(p[0] for p in spots) // len(spots)
    y = sum(p[1] for p in spots) // len(spots)
    panel_desktop.xdotool("mousemove", str(x), str(y), "click", "1")
    menu_box = wait_for("the item's menu open under the panel", lambda: panel_menus(panel_desktop), 5)[0]
    # The prompt's toast and break window are open too; with no window manager to keep a menu on
    # top, raise it as a desktop would before the picture is taken.
    for window in panel_desktop.windows("xfce4-panel") + panel_desktop.windows("wrapper-2.0"):
        panel_desktop.xdotool("windowraise", window)
    time.sleep(0.5)
    shot = panel_desktop.screenshot("sni-xfce4-4-menu", menu_box.grown(4))
    panel_desktop.xdotool("key", "Escape")
    wait_for("the menu to close on Escape", lambda: not panel_menus(panel_desktop), 5)
    opened = Image.open(shot).convert("RGB")
    assert len(opened.getcolors(1 << 16) or []) > 8, "the menu is blank"


def panel_menus(desktop: Desktop) -> list[Box]:
    """The panel's windows below its strip: the menus it has open (its tray plugin runs in a wrapper)."""
    panel = ("xfce4-panel", "wrapper-2.0")
    return [box for box in desktop._find_windows(lambda cls, name: cls.lower() in panel, min_height=60)
            if box.y >= PANEL_STRIP.height - 8]


def test_5_done_from_the_menu_is_logged(probe: SniProbe, app: Standup) -> None:
    found = item(probe, app)
    probe.click(found, probe.menu(found)[label_for(menu.DONE, prompt_open=True)]["id"])
    wait_for("done in the log", lambda: app.prompts()[-1]["outcome"] == "done", 10)
    wait_for("Active again", lambda: probe.item_prop(found, "Status") == "Active", 5)


def test_6_a_restarted_panel_shows_the_item_again(panel_desktop: Desktop, probe: SniProbe, app: Standup) -> None:
    panel = next(p for p in panel_desktop._procs if p.args[0] == "xfce4-panel" and p.poll() is None)
    panel.terminate()
    panel.wait(10)
    wait_for("the watcher to leave", lambda: not panel_desktop.name_has_owner("org.kde.StatusNotifierWatcher"), 10)
    start_xfce4_panel(panel_desktop)
    item(probe, app)
    app.wait_log(r"registered with the panel again", 10)


def test_7_quit_from_the_menu_ends_the_app_and_its_item(probe: SniProbe, app: Standup) -> None:
    found = item(probe, app)
    probe.click(found, probe.menu(found)[label_for(menu.QUIT)]["id"])
    wait_for("standup to exit", lambda: not alive(app.pid), 10)
    assert probe.item_of(app.pid) is None
    assert app.proc is not None and app.proc.wait(5) == 0
