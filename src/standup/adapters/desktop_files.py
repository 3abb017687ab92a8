"""The menu entry, AppStream metainfo and hicolor icons in the user's XDG data dir: install, uninstall.

`plan` says what goes where (pure). `install` writes each file and records it, with a hash of what
it wrote, in a record beside standup's data (`<data dir>/standup/desktop-files.json`); `uninstall`
removes exactly the recorded files that still hold what was written, and the folders install
created, once empty. A file standup did not write is never replaced without `force`, and a recorded
file changed since is left where it is; both are named in the result.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from standup import APP_ID
from standup.adapters import desktop_entry
from standup.core.errors import StandupError

log = logging.getLogger(__name__)

RECORD_NAME = "desktop-files.json"
METAINFO_NAME = f"{APP_ID}.metainfo.xml"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)


class DesktopFilesError(StandupError):
    """A file in the way, or a record that cannot be read: one line naming the file and what to do."""


@dataclass(frozen=True)
class Placement:
    """One file to put in the data dir: where (relative to it) and its bytes."""

    relative: str
    content: bytes


@dataclass
class Outcome:
    """What install or uninstall did, file by file (absolute paths)."""

    data_dir: Path
    written: list[str] = field(default_factory=list)  # new or replaced
    unchanged: list[str] = field(default_factory=list)  # already held exactly this
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed since install (uninstall leaves it)

    def as_json(self) -> dict[str, object]:
        return {"data_dir": str(self.data_dir), "written": self.written, "unchanged": self.unchanged,
                "removed": self.removed, "kept": self.kept}


def data_home(env: Mapping[str, str], home: Path) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share (a relative XDG_DATA_HOME is ignored, as the spec says)."""
    value = env.get("XDG_DATA_HOME", "")
    return Path(value) if value and os.path.isabs(value) else home / ".local" / "share"


def _asset(name: str) -> bytes:
    return resources.files("standup.assets").joinpath(name).read_bytes()


def plan(command: Sequence[str]) -> list[Placement]:
    """Every file `standup desktop install` writes, for an installation started by `command`."""
    placements = [
        Placement(f"applications/{desktop_entry.ENTRY_NAME}", desktop_entry.menu_entry(command).encode()),
        Placement(f"metainfo/{METAINFO_NAME}", _asset(METAINFO_NAME)),
        Placement(f"icons/hicolor/scalable/apps/{APP_ID}.svg", _asset("icons/standup.svg")),
    ]
    placements += [Placement(f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png", _asset(f"icons/standup-{size}.png"))
                   for size in PNG_SIZES]
    return placements


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DesktopFilesError(f"{path} is a folder where standup puts a file; move it away and try again") from None


class Record:
    """The files and folders install created, with the hash of each file as written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, str] = {}
        self.dirs: list[str] = []

    @classmethod
    def load(cls, path: Path) -> Record:
        record = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            record.files = {str(k): str(v) for k, v in dict(data.get("files", {})).items()}
            record.dirs = [str(d) for d in data.get("dirs", [])]
        except FileNotFoundError:
            pass
        except (ValueError, TypeError, AttributeError) as exc:
            raise DesktopFilesError(f"{path}: not a record of installed desktop files ({exc}); delete it and run "
                                    "`standup desktop install` again") from None
        return record

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"app_id": APP_ID, "files": self.files, "dirs": self.dirs}, indent=2) + "\n",
                       encoding="utf-8")
        tmp.replace(self.path)

    def owns(self, path: Path, content: bytes) -> bool:
        """Whether `content` at `path` is what standup wrote there."""
        return self.files.get(str(path)) == _digest(content)


def _record_path(data_dir: Path) -> Path:
    return data_dir / "standup" / RECORD_NAME


def install(data_dir: Path, placements: Sequence[Placement], force: bool = False) -> Outcome:
    """Writes every placement under `data_dir`; refuses (writing nothing) if a file standup did not
    write is in the way, unless `force`."""
    record = Record.load(_record_path(data_dir))
    outcome = Outcome(data_dir)
    todo = []
    in_the_way = []
    for placement in placements:
        path = data_dir / placement.relative
        current = _read(path)
        if current == placement.content:
            outcome.unchanged.append(str(path))
            record.files[str(path)] = _digest(current)
        elif current is None or record.owns(path, current) or force:
            todo.append((path, placement.content))
        else:
            in_the_way.append(path)
    if in_the_way:
        more = f" (and {len(in_the_way) - 1} more)" if len(in_the_way) > 1 else ""
        raise DesktopFilesError(f"{in_the_way[0]}{more} already exists and was not written by standup; left as it "
                                "is (`standup desktop install --force` replaces it)")
    for path, content in todo:
        _make_dirs(path.parent, data_dir, record)
        tmp = path.with_name(path.name + ".standup-tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
        record.files[str(path)] = _digest(content)
        outcome.written.append(str(path))
    record.save()
    log.info("desktop files installed under %s: %d written, %d unchanged", data_dir, len(outcome.written),
             len(outcome.unchanged))
    return outcome


def _make_dirs(folder: Path, data_dir: Path, record: Record) -> None:
    """Creates `folder` and its missing parents below `data_dir`, recording each one created."""
    missing = []
    while not folder.exists() and folder != data_dir and data_dir in folder.parents:
        missing.append(folder)
        folder = folder.parent
    data_dir.mkdir(parents=True, exist_ok=True)
    for created in reversed(missing):
        created.mkdir(exist_ok=True)
        if str(created) not in record.dirs:
            record.dirs.append(str(created))


def uninstall(data_dir: Path, placements: Sequence[Placement]) -> Outcome:
    """Removes what install wrote and the folders it created (when empty); keeps what changed since.

    Without a record (an older install, or a record deleted by hand), a file holding exactly what
    install would write is taken as standup's and removed too.
    """
    record_path = _record_path(data_dir)
    record = Record.load(record_path)
    outcome = Outcome(data_dir)
    recorded = set(record.files)
    for placement in placements:
        path = data_dir / placement.relative
        if str(path) not in recorded and _read(path) == placement.content:
            record.files[str(path)] = _digest(placement.content)
    for name, digest in record.files.items():
        path = Path(name)
        current = _read(path)
        if current is None:
            continue
        if _digest(current) == digest:
            path.unlink()
            outcome.removed.append(name)
        else:
            outcome.kept.append(name)
    for folder in sorted(record.dirs, key=lambda d: d.count(os.sep), reverse=True):
        try:
            Path(folder).rmdir()
        except OSError:
            pass  # not empty (someone else's files), or already gone
    if record_path.exists():
        record_path.unlink()
        try:
            record_path.parent.rmdir()
        except OSError:
            pass  # standup's data lives there too
    log.info("desktop files uninstalled from %s: %d removed, %d kept", data_dir, len(outcome.removed),
             len(outcome.kept))
    return outcome
