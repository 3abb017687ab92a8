"""Time `standup summary`, `summary --month` and `export --format csv` as whole processes.

    .venv/bin/python bench/generate_history.py            # once: five years into bench/results/history
    .venv/bin/python bench/bench_summary.py [--runs 15]   # prints a Markdown table of medians

Each command runs as `python -m standup ...` with STANDUP_HOME at the generated folder and TZ set to
the zone the history was generated in; output goes to /dev/null (the export into a file, too).
Bytecode is cached as after an install (PYTHONDONTWRITEBYTECODE is dropped; the cache goes to
bench/results/pycache). The
first run of each command is a warm-up and is not counted. Not a test: the figures depend on the
machine; docs/benchmarks.md records them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
        rows = []
        for name, command in commands(args.date, export_file):
            times = time_command(command, env, args.runs)
            target = TARGETS_MS.get(name)
            rows.append((name, statistics.median(times), min(times), max(times), target))
        csv_size = None
        subprocess.run([sys.executable, "-m", "standup", "export", "--format", "csv", "-o", export_file], env=env,
                       check=True)
        csv_size = Path(export_file).stat().st_size
        with open(export_file, encoding="utf-8") as handle:
            csv_rows = sum(1 for _ in handle) - 1

    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"History: {database} ({database.stat().st_size / 1e6:.1f} MB), CSV export {csv_rows} rows, "
          f"{csv_size / 1e6:.1f} MB; {args.runs} runs per command after one warm-up\n")
    print("| command | median | min | max | target |")
    print("|---|---:|---:|---:|---:|")
    for name, median, low, high, target in rows:
        verdict = f"≤ {target} ms {'✓' if median <= target else '✗'}" if target else ""
        print(f"| `standup {name}` | {median:.0f} ms | {low:.0f} ms | {high:.0f} ms | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
