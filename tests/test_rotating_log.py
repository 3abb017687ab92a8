"""The app's own log file rotates at its size, stays owner-only, and the running app's imports stay
lean: reading the bundled files and logging load neither importlib.resources nor logging.handlers."""

from __future__ import annotations

import logging
import stat
import subprocess
import sys

import pytest

from standup.adapters.rotating_log import RotatingPrivateFile
from standup.core.errors import StandupError


def _write(handler: RotatingPrivateFile, count: int) -> None:
    log = logging.getLogger("test-rotating-log")
    log.propagate, log.level = False, logging.INFO
    log.addHandler(handler)
    try:
        for n in range(count):
            log.info("record %03d %s", n, "x" * 60)
    finally:
        log.removeHandler(handler)
        handler.close()


def test_the_log_rotates_before_it_passes_its_size_and_keeps_three_old_files(tmp_path):
    path = tmp_path / "standup.log"
    _write(RotatingPrivateFile(path, max_bytes=1000, backups=3), 100)  # 100 records of about 70 bytes
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["standup.log", "standup.log.1", "standup.log.2", "standup.log.3"]
    assert all(p.stat().st_size <= 1000 for p in tmp_path.iterdir())
    assert path.read_text().splitlines()[-1].startswith("record 099")
    newest_old = (tmp_path / "standup.log.1").read_text().splitlines()
    assert int(newest_old[-1].split()[1]) + 1 == int(path.read_text().split()[1])  # nothing lost between them
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in tmp_path.iterdir())


def test_the_log_is_never_opened_through_a_planted_symlink(tmp_path):
    target = tmp_path / "someone-elses-file"
    target.write_text("theirs\n")
    (tmp_path / "standup.log").symlink_to(target)
    with pytest.raises((StandupError, OSError)):
        RotatingPrivateFile(tmp_path / "standup.log", max_bytes=1000, backups=3)
    assert target.read_text() == "theirs\n"


def test_the_running_apps_modules_do_not_load_importlib_resources_or_logging_handlers(tmp_path):
    probe = ("import sys, logging; import standup.app; from standup.core.catalogue import load_bundled; "
             "from standup.core.figures import bundled_figures; from standup.desktop.notify.toast import app_icon_path; "
             "assert load_bundled() and bundled_figures() and app_icon_path(); "
             "print([m for m in ('importlib.resources', 'logging.handlers', 'tempfile') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30,
                            env={"STANDUP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
