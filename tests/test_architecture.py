"""The folders are the layers: core ← service ← adapters/desktop ← cli ← app.

Read from the code's own imports (every import, lazy ones included): the core imports nothing of
ours outside itself and no outside library, the service only the core, no adapter reaches up into
the command line, and no two modules import each other in a circle.
"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

SRC = pathlib.Path(__file__).parent.parent / "src" / "standup"
OUTSIDE = ["pystray", "PIL", "plyer", "desktop_notifier", "schedule", "platformdirs", "gi", "dbus", "dbus_fast",
           "Xlib", "sqlite3", "tkinter"]
# What each folder may import of standup's own folders (besides itself and `standup.assets`).
MAY_IMPORT = {
    "core": set(),
    "service": {"core"},
    "adapters": {"core", "service"},
    "desktop": {"core", "service", "adapters"},
    "cli": {"core", "service", "adapters", "desktop", "app"},
}
MAX_LINES = 550


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: pathlib.Path) -> set[str]:
    """Every standup module this file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("standup"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("standup"):
            found.add(node.module)
            # `from standup.core import policy` imports the module standup.core.policy
            found.update(f"{node.module}.{alias.name}" for alias in node.names
                         if (SRC.parent / node.module.replace(".", "/") / f"{alias.name}.py").exists()
                         or (SRC.parent / node.module.replace(".", "/") / alias.name).is_dir())
    return found


MODULES = {_module_name(path): path for path in SRC.rglob("*.py")}
GRAPH = {name: {dep for dep in _imports(path) if dep in MODULES and dep != name} for name, path in MODULES.items()}
CORE = sorted(name for name in MODULES if name.startswith("standup.core."))


def _folder(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_the_layers_below_it(module):
    folder = _folder(module)
    if folder not in MAY_IMPORT:
        return  # standup.app (the composition root), __main__, __init__: may import anything
    allowed = MAY_IMPORT[folder] | {folder, "assets"}
    wrong = sorted(dep for dep in GRAPH[module] if _folder(dep) not in allowed and dep != "standup")
    assert wrong == [], f"{module} imports {wrong}"


def test_no_import_circle_anywhere_in_src():
    def cycle_from(start):
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for dep in GRAPH[node]:
                if _package_of(dep, node):
                    continue
                if dep == start:
                    return trail + [dep]
                if dep not in seen:
                    seen.add(dep)
                    stack.append((dep, trail + [dep]))
        return None

    circles = [cycle for cycle in map(cycle_from, sorted(GRAPH)) if cycle]
    assert circles == []


def _package_of(dep: str, node: str) -> bool:
    """A module importing its own package's __init__ is not a circle of modules."""
    return node.startswith(dep + ".")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_the_size_limit(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines"


def test_importing_the_core_loads_no_adapter_or_gui_library():
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in CORE)
        + f"print(sorted(m for m in {OUTSIDE!r} if m in sys.modules))\n"
        + "print(sorted(m for m in sys.modules if m.startswith('standup.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    libraries, modules = result.stdout.splitlines()
    assert libraries == "[]"
    assert {m for m in eval(modules) if not m.startswith(("standup.core", "standup.assets"))} == set()  # noqa: S307


@pytest.mark.parametrize("module", CORE + [m for m in MODULES if m.startswith("standup.service.")])
def test_core_and_service_never_read_the_clock_or_randomness(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
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
    probe = ("import sys; from standup.cli.main import main; main(['status']); "
             "print(sorted(m for m in sys.modules if m.startswith(('standup.', 'plyer'))))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30,
                            env={"STANDUP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.strip().splitlines()[-1]
    for unwanted in ("standup.adapters.report", "standup.adapters.export", "standup.adapters.autostart",
                     "standup.cli.summary", "standup.core.planner", "plyer"):
        assert f"'{unwanted}'" not in loaded
    assert "'standup.adapters.store'" in loaded  # the probe did run the command


def test_the_service_class_stays_small():
    """The service keeps the decisions and the lock; rebuilding, views and the evening note live beside it."""
    tree = ast.parse(MODULES["standup.service.reminders"].read_text(encoding="utf-8"))
    [service] = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "ReminderService"]
    assert service.end_lineno is not None
    assert service.end_lineno - service.lineno + 1 < 400
