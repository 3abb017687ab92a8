"""Idle cost of `standup run --no-tray` waiting for its next prompt (Linux /proc).

usage: bench/idle_headless.py [SECONDS]   (default 300)

Starts the app in a fresh STANDUP_HOME with the default settings, lets it settle, then samples
CPU time, context switches summed over all its threads, thread count, RSS and the runner's own
wake-up count (from its log) over SECONDS. Prints one line of figures.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def context_switches(pid: int) -> int:
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        for line in status.read_text().splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) if match else 0


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 300.0
    home = Path(tempfile.mkdtemp(prefix="standup-idle-"))
    env = {**os.environ, "STANDUP_HOME": str(home)}
    env.pop("DISPLAY", None)
    app = subprocess.Popen([sys.executable, "-m", "standup", "run", "--no-tray"], env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        switches, cpu = context_switches(app.pid), cpu_seconds(app.pid)
        threads = len(list(Path(f"/proc/{app.pid}/task").iterdir()))
        time.sleep(seconds)
        switches, cpu = context_switches(app.pid) - switches, cpu_seconds(app.pid) - cpu
        rss = rss_kib(app.pid)
    finally:
        subprocess.run([sys.executable, "-m", "standup", "quit"], env=env, capture_output=True)
        app.wait(timeout=10)
    wakeups = re.search(r"Runner stopped after (\d+) wake-ups", (home / "standup.log").read_text())
    print(f"{seconds:.0f} s idle: {switches} context switches ({switches * 60 / seconds:.2f}/min, all threads), "
          f"CPU {cpu:.2f} s ({cpu * 3600 / seconds:.2f} s/h), {threads} threads, RSS {rss / 1024:.1f} MiB, "
          f"runner wake-ups over the whole run: {wakeups.group(1) if wakeups else '?'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
