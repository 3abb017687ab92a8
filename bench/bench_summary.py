"""Time answers (commit included), `standup summary`, `summary --month` and `export` over five years.

    .venv/bin/python bench/generate_history.py            # once: five years into bench/results/history
    .venv/bin/python bench/bench_summary.py [--runs 15]   # prints a Markdown table of medians

Each command runs as `python -m standup ...` with STANDUP_HOME at the generated folder and TZ set to
the zone the history was generated in; output goes to /dev/null (the export into a file, too).
Bytecode is cached as after an install (PYTHONDONTWRITEBYTECODE is dropped; the cache goes to
bench/results/pycache). The
first run of each command is a warm-up and is not counted. Not a test: the figures depend on the
machine; docs/benchmarks.md records them.

Answers: a running `standup run --no-tray` on a copy of the history is asked `break` then `done`
over its control socket; the time of each `done` round trip includes the log's commit (WAL,
synchronous=FULL). Floors: an empty Python process (for whole commands), and one SQLite INSERT
committed the same way in the same folder (for an answer).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from standup.adapters.control import request  # noqa: E402
from standup.core.errors import NotRunningError  # noqa: E402
from standup.adapters.paths import resolve_paths  # noqa: E402

TARGETS_MS = {"summary": 150, "export --format csv": 1000}


def commands(day: str, export_file: str) -> list[tuple[str, list[str]]]:
    return [
        ("summary", ["summary", "--date", day]),
        ("summary --json", ["summary", "--date", day, "--json"]),
        ("summary --week", ["summary", "--date", day, "--week"]),
        ("summary --month", ["summary", "--date", day, "--month"]),
        ("export --format csv", ["export", "--format", "csv", "-o", export_file]),
        ("export --format json", ["export", "--format", "json", "-o", export_file]),
    ]


def time_command(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for run in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "standup", *argv], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"standup {' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
        if run:  # the first run warms the page cache
            times.append(elapsed * 1000)
    return times


def time_python_start(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


def time_bare_commits(folder: Path, runs: int) -> list[float]:
    db = sqlite3.connect(folder / "floor.db", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (at TEXT, kind TEXT)")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES ('2026-11-21T10:00:00+00:00', 'done')")
        db.execute("COMMIT")
        times.append((time.perf_counter() - started) * 1000)
    db.close()
    return times


def time_answers(home: Path, env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """(`done` over the socket, `standup done` as a whole process), each after a `break`, in ms."""
    app = subprocess.Popen([sys.executable, "-m", "standup", "run", "--no-tray"], env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socket = resolve_paths(dict(env)).socket
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request(socket, "status")
                break
            except NotRunningError:
                if time.monotonic() > deadline:
                    raise SystemExit("standup run did not start") from None
                time.sleep(0.1)
        over_socket, whole = [], []
        for run in range(runs + 1):
            request(socket, "break")
            started = time.perf_counter()
            request(socket, "done")
            if run:
                over_socket.append((time.perf_counter() - started) * 1000)
        for run in range(runs + 1):
            request(socket, "break")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "standup", "done"], env=env, stdout=subprocess.DEVNULL, check=True)
            if run:
                whole.append((time.perf_counter() - started) * 1000)
        request(socket, "quit")
        app.wait(15)
    finally:
        if app.poll() is None:
            app.kill()
    return over_socket, whole


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(__file__).parent / "results" / "history")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--date", default="2026-11-20", help="the day to summarize (a workday in the history)")
    parser.add_argument("--tz", default="Europe/Berlin")
    args = parser.parse_args(argv)
    database = args.home / "standup.db"
    if not database.exists():
        raise SystemExit(f"{database} is missing; run bench/generate_history.py first")
    # As installed: bytecode cached (here in bench/results/pycache, keeping the source tree clean).
    env = dict(os.environ, STANDUP_HOME=str(args.home.resolve()), TZ=args.tz,
               PYTHONPYCACHEPREFIX=str((Path(__file__).parent / "results" / "pycache").resolve()))
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    with tempfile.TemporaryDirectory() as folder:
        export_file = str(Path(folder) / "export.out")
        python_start = statistics.median(time_python_start(args.runs))
        rows = []
        for name, command in commands(args.date, export_file):
            times = time_command(command, env, args.runs)
            target = TARGETS_MS.get(name)
            rows.append((f"`standup {name}`", statistics.median(times), min(times), max(times), target, python_start))
        subprocess.run([sys.executable, "-m", "standup", "export", "--format", "csv", "-o", export_file], env=env,
                       check=True)
        csv_size = Path(export_file).stat().st_size
        with open(export_file, encoding="utf-8") as handle:
            csv_rows = sum(1 for _ in handle) - 1
        copy = Path(folder) / "history"
        shutil.copytree(args.home, copy)
        commit_floor = statistics.median(time_bare_commits(Path(folder), args.runs * 4))
        over_socket, whole = time_answers(copy, dict(env, STANDUP_HOME=str(copy)), args.runs * 4)
        rows[:0] = [
            ("answer `done` over the socket (commit included)", statistics.median(over_socket), min(over_socket),
             max(over_socket), None, commit_floor),
            ("`standup done` (whole process)", statistics.median(whole), min(whole), max(whole), None, python_start),
        ]

    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"History: {database} ({database.stat().st_size / 1e6:.1f} MB), CSV export {csv_rows} rows, "
          f"{csv_size / 1e6:.1f} MB; {args.runs} runs per command after one warm-up ({args.runs * 4} answers)")
    print(f"Floors: an empty Python process {python_start:.0f} ms; one SQLite INSERT committed with WAL and "
          f"synchronous=FULL in the same folder {commit_floor:.2f} ms\n")
    print("| what | median | min | max | ÷ floor | target |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, median, low, high, target, floor in rows:
        verdict = f"≤ {target} ms {'✓' if median <= target else '✗'}" if target else ""
        print(f"| {name} | {median:.1f} ms | {low:.1f} ms | {high:.1f} ms | {median / floor:.1f}× | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
