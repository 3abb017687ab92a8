"""How long the break window takes to appear: from a real click on the toast's Start to the window on screen.

usage: bench/guide_open.py [--runs N]   (default 5)

Starts one private desktop (Xvfb, a session bus, xfce4-notifyd: the e2e suite's harness) and a
`standup run` in a fresh STANDUP_HOME. Each run opens a prompt (`standup break`), clicks the drawn
Start button with xdotool, and times until a viewable window of class standup-guide exists; the
window is closed with Escape and the next run waits until its process has gone. Also times
`standup guide` started directly from a shell. Prints a Markdown table (median, worst).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO)]

from tests.e2e.desktop import Desktop, Standup, wait_for  # noqa: E402

CONFIG = 'interval_minutes = 30\nwork_hours = "00:00-24:00"\nworkdays = ["mon","tue","wed","thu","fri","sat","sun"]\n'


def guide_windows(desktop: Desktop) -> list[str]:
    result = subprocess.run(["xdotool", "search", "--onlyvisible", "--class", "standup-guide"], env=desktop.env,
                            capture_output=True, text=True, timeout=10)
    return result.stdout.split()


def close_window(desktop: Desktop) -> None:
    for wid in guide_windows(desktop):
        desktop.xdotool("key", "--window", wid, "Escape")
    wait_for("the break window to close", lambda: not guide_windows(desktop), 10, interval=0.05)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from_click, from_shell = [], []
    with tempfile.TemporaryDirectory() as work:
        desktop = Desktop(Path(work) / "desktop").start()
        try:
            desktop.swap_to_xfce4_notifyd()
            app = Standup(desktop, Path(work) / "home", CONFIG).start()
            app.wait_log(r"standup started", 30)
            time.sleep(2)
            for _ in range(args.runs):
                seen = len(desktop.notifications())
                app.cli("break")
                wait_for("the toast", lambda: desktop.notifications()[seen:], 10)
                bubble = wait_for("the bubble", desktop.xfce4_bubble, 5)
                time.sleep(0.6)
                start = desktop.xfce4_buttons(bubble, 4)[0]
                x, y = start.centre
                desktop.xdotool("mousemove", str(x), str(y))
                clicked = time.monotonic()
                desktop.xdotool("click", "1")
                wait_for("the break window", lambda: guide_windows(desktop), 10, interval=0.01)
                from_click.append(time.monotonic() - clicked)
                close_window(desktop)
                app.cli("skip")
                time.sleep(1)
            for _ in range(args.runs):
                began = time.monotonic()
                child = subprocess.Popen([str(app.executable), "guide"], env=app.env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
                wait_for("the break window", lambda: guide_windows(desktop), 10, interval=0.01)
                from_shell.append(time.monotonic() - began)
                close_window(desktop)
                child.wait(10)
                app.cli("skip")
            app.stop()
        finally:
            desktop.stop()
    print("| from | runs | median s | worst s |\n|---|---:|---:|---:|")
    for name, values in (("a click on the toast's Start", from_click), ("`standup guide` in a shell", from_shell)):
        print(f"| {name} | {len(values)} | {statistics.median(values):.2f} | {max(values):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
