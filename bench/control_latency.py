"""Control-socket latency of a real `standup run --no-tray`: quiet clients connected, and many at once.

usage: bench/control_latency.py [QUIET_CLIENTS] [CONCURRENT]   (defaults 20 and 40)

Measures one `status` request (connect, send, reply) 50 times with nobody else connected, then 50
times with QUIET_CLIENTS clients connected that never send a byte; then CONCURRENT clients sending
`status` at the same moment, counting how many were served. Prints one line per measurement.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from standup.adapters.control import request


def latencies(sock: Path, lock: Path, count: int = 50) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        request(sock, "status", lock=lock)
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float]) -> str:
    times = sorted(times)
    return (f"{label}: median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, "
            f"max {times[-1]:.1f} ms")


def main() -> None:
    quiet = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    concurrent = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    home = Path(tempfile.mkdtemp(prefix="standup-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(STANDUP_HOME=str(home), STANDUP_NOTIFIER="log")
    app = subprocess.Popen([sys.executable, "-m", "standup", "run", "--no-tray"], env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sock, lock = home / "standup.sock", home / "standup.lock"
    try:
        for _ in range(100):
            try:
                request(sock, "status", lock=lock, timeout=1)
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.1)
        print(line("status, no other client", latencies(sock, lock)))
        idle = []
        for _ in range(quiet):
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            client.connect(str(sock))
            idle.append(client)
        print(line(f"status, {quiet} quiet clients connected", latencies(sock, lock)))
        for client in idle:
            client.close()
        served, failed = [], []
        barrier = threading.Barrier(concurrent)

        def one() -> None:
            barrier.wait()
            start = time.perf_counter()
            try:
                request(sock, "status", lock=lock)
                served.append((time.perf_counter() - start) * 1000)
            except Exception as exc:  # noqa: BLE001 - counted
                failed.append(exc)

        threads = [threading.Thread(target=one) for _ in range(concurrent)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"{concurrent} clients at once: {len(served)} served, {len(failed)} failed; "
              f"slowest {max(served):.0f} ms" + (f"; first failure {failed[0]}" if failed else ""))
        print(json.dumps({"quiet": quiet, "concurrent": concurrent}))
    finally:
        app.terminate()
        app.wait(15)


if __name__ == "__main__":
    main()
