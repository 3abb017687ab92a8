"""standup on a real Wayland desktop: headless sway, waybar as the StatusNotifierItem host, mako.

Run as an unprivileged user (sway refuses root) from a venv of Debian's python3 with standup's
wheel. The tray item registers with waybar's watcher, a prompt arrives in mako with Done / Snooze /
Skip, `makoctl invoke` Done reaches the log, `status` says which tray is used and why natural breaks
are off on this desktop, and grim saves the screen: test-artifacts/e2e/wayland-*.png.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.desktop import ARTIFACTS, MINUTE_SCALE_CONFIG, wait_for
from tests.e2e.wayland import WaylandSession, missing

pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))
CONFIG = MINUTE_SCALE_CONFIG
ORANGE = (244, 81, 30)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WaylandSession]:
    root = Path("/tmp") / f"standup-wayland-{tmp_path_factory.getbasetemp().name}"
    wayland = WaylandSession(root)
    wayland.python = wayland.install(tmp_path_factory.mktemp("wheel"))
    try:
        yield wayland.start()
    finally:
        wayland.stop()


@pytest.fixture(scope="module")
def standup(session: WaylandSession) -> Iterator[dict[str, str]]:
    home = session.mine(session.root / "home", 0o700)
    (home / "config.toml").write_text(CONFIG)
    env = dict(session.env, STANDUP_HOME=str(home))
    cli = str(session.venv / "bin/standup")
    proc = session.spawn("standup", [cli, "run"], env=env)
    try:
        wait_for("standup's icon registered with waybar", lambda: session.registered_items(), 30)
        yield {"cli": cli, "home": str(home), **env}
    finally:
        session.run(cli, "quit", env=env, check=False)
        proc.wait(10)


def cli(session: WaylandSession, standup: dict[str, str], *args: str) -> str:
    env = {k: v for k, v in standup.items() if k not in ("cli", "home")}
    return session.run(standup["cli"], *args, env=env).stdout


def test_1_the_tray_item_registers_with_waybar(session: WaylandSession, standup: dict[str, str]) -> None:
    items = session.registered_items()
    assert len(items) == 1 and items[0].startswith("org.kde.StatusNotifierItem-")
    status = json.loads(cli(session, standup, "status", "--json"))
    assert status["tray"] == "sni"
    assert status["natural_breaks"].startswith("off: sway offers no idle time over D-Bus")
    log = (Path(standup["home"]) / "standup.log").read_text()
    assert "tray icon shown (StatusNotifierItem" in log and "Traceback" not in log


def test_2_a_prompt_in_mako_with_its_buttons_and_done_reaches_the_log(session: WaylandSession,
                                                                      standup: dict[str, str]) -> None:
    cli(session, standup, "break")
    toast = wait_for("standup's toast in mako", lambda: [n for n in session.notifications() if n["app"] == "standup"])[0]
    buttons = {key: label for key, label in toast["actions"].items() if key != "default"}
    assert {"done", "snooze", "skip"} <= set(buttons), buttons
    assert all(buttons[key].lower().startswith(key) for key in ("done", "snooze", "skip")), buttons
    time.sleep(1.0)  # waybar and mako draw
    shot = session.screenshot(ARTIFACTS / "wayland-1-prompt.png")
    image = Image.open(shot).convert("RGB")
    bar = image.crop((image.width - 200, 0, image.width, 30))
    orange = [p for p in (bar.getpixel((x, y)) for x in range(bar.width) for y in range(bar.height)) if sum(abs(a - b) for a, b in zip(p, ORANGE, strict=True)) < 60]
    assert orange, "the prompt's orange icon is not in waybar's tray"
    session.run("makoctl", "invoke", "-n", str(toast["id"]), "done")
    log = wait_for("done in the log", lambda: json.loads(cli(session, standup, "log", "--json"))["prompts"], 10)
    wait_for("the prompt answered Done", lambda: json.loads(cli(session, standup, "log", "--json"))["prompts"][-1]
             ["outcome"] == "done", 10)
    assert log
    session.screenshot(ARTIFACTS / "wayland-2-after-done.png")
