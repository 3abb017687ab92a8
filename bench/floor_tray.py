"""The floor for the idle benchmark: a bare Python process with one pystray icon and a `schedule` loop.

usage: bench/floor_tray.py

What any tray reminder written with pystray and schedule costs at the least: the icon on the main
thread (the same pystray backend as standup, chosen by PYSTRAY_BACKEND), and a thread that sleeps
in a `schedule` loop until its hourly job. Nothing else: no log, no notifications, no idle detection.
"""

from __future__ import annotations

import threading
import time

import pystray
import schedule
from PIL import Image, ImageDraw


def icon_image() -> Image.Image:
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, 60, 60), fill=(40, 140, 90, 255))
    return image


def schedule_loop() -> None:
    schedule.every(1).hours.do(lambda: None)
    while True:
        schedule.run_pending()
        time.sleep(max(1.0, schedule.idle_seconds() or 60.0))


def main() -> None:
    def setup(icon: pystray.Icon) -> None:
        icon.visible = True
        print("floor icon shown", flush=True)

    threading.Thread(target=schedule_loop, name="schedule", daemon=True).start()
    pystray.Icon("floor", icon_image(), "floor").run(setup=setup)


if __name__ == "__main__":
    main()
