"""The core never imports an adapter or GUI library, nor reads the real clock or randomness."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

SRC = pathlib.Path(__file__).parent.parent / "src" / "standup"
CORE = ["model", "settings", "policy", "catalogue", "planner", "summary"]
OUTSIDE = ["pystray", "PIL", "plyer", "desktop_notifier", "schedule", "platformdirs", "gi", "dbus", "Xlib", "sqlite3"]


def test_importing_the_core_loads_no_adapter_or_gui_library():
    present = [name for name in CORE if (SRC / f"{name}.py").exists()]
    code = (
        "import sys\n"
        + "".join(f"import standup.{name}\n" for name in present)
        + f"print(sorted(m for m in {OUTSIDE!r} if m in sys.modules))\n"
        + "print(sorted(m for m in sys.modules if m.startswith('standup.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    libraries, modules = result.stdout.splitlines()
    assert libraries == "[]"
    allowed = {f"standup.{name}" for name in CORE} | {"standup.errors", "standup.assets"}
    assert set(eval(modules)) <= allowed  # noqa: S307 - our own printed list


@pytest.mark.parametrize("name", CORE)
def test_core_module_never_reads_the_clock_or_randomness(name):
    path = SRC / f"{name}.py"
    if not path.exists():
        pytest.skip(f"{name}.py is not part of the tree yet")
    tree = ast.parse(path.read_text())
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            calls.add(f"{node.value.id}.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module in ("time", "random"):
            calls.update(f"{node.module}.{alias.name}" for alias in node.names)
    forbidden = {"datetime.now", "datetime.utcnow", "date.today", "time.time", "time.sleep", "time.monotonic",
                 "random.random", "random.choice", "random.randint", "random.shuffle", "random.seed", "random.sample",
                 "random.uniform"}
    assert calls & forbidden == set()


def test_core_commands_do_not_load_the_feature_modules(tmp_path):
    """`standup run` stays in memory all day, and `standup done` should answer fast: neither loads the
    report, export, autostart or catalogue code that only other commands use."""
    import subprocess
    import sys

    probe = ("import sys; from standup.cli import main; main(['status']); "
             "print(sorted(m for m in sys.modules if m.startswith(('standup.', 'plyer'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30,
                            env={"STANDUP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.strip().splitlines()[-1]
    for unwanted in ("standup.report", "standup.export", "standup.autostart", "standup.cli_summary",
                     "standup.planner", "plyer"):
        assert f"'{unwanted}'" not in loaded
    assert "'standup.store'" in loaded  # the probe did run the command
