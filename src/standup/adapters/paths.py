"""Where standup keeps its files: platformdirs locations, or everything under STANDUP_HOME."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from standup.adapters.private import usable_runtime_dir

APP_NAME = "standup"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    runtime_dir: Path
    runtime_note: str | None = field(default=None, compare=False)  # why the runtime dir is a fallback

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def routines_dir(self) -> Path:
        return self.config_dir / "routines"

    @property
    def database(self) -> Path:
        return self.data_dir / "standup.db"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "standup.log"

    @property
    def lock_file(self) -> Path:
        return self.runtime_dir / "standup.lock"

    @property
    def socket(self) -> Path:
        return self.runtime_dir / "standup.sock"

    def as_json(self) -> dict[str, str]:
        return {
            "config_file": str(self.config_file),
            "routines_dir": str(self.routines_dir),
            "database": str(self.database),
            "log_file": str(self.log_file),
            "socket": str(self.socket),
        }


def resolve_paths(environ: Mapping[str, str] | None = None) -> Paths:
    """STANDUP_HOME=DIR puts config, data, logs and the socket in DIR; otherwise the platform's places.

    On Linux the socket and lock go in $XDG_RUNTIME_DIR/standup when that folder is the user's own and
    0700; otherwise (unset, another user's, open to others, a symlink) in a private folder beside the
    log, and `runtime_note` says why, for the app to log once."""
    env = os.environ if environ is None else environ
    home = env.get("STANDUP_HOME")
    if home:
        base = Path(home).expanduser().absolute()
        return Paths(base, base, base, base)
    import platformdirs  # the only importer of platformdirs

    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    note = None
    if os.name == "posix" and sys.platform != "darwin":
        xdg = env.get("XDG_RUNTIME_DIR")
        problem = usable_runtime_dir(Path(xdg)) if xdg else "is not set"
        if problem is None:
            runtime = Path(xdg) / APP_NAME  # type: ignore[arg-type]
        else:
            # rather than platformdirs' guessable /tmp/runtime-UID another user could create first
            runtime = data / "run"
            note = f"XDG_RUNTIME_DIR {xdg + ' ' if xdg else ''}{problem}; the socket and lock are in {runtime}"
    else:
        runtime = Path(platformdirs.user_runtime_dir(APP_NAME, appauthor=False))
    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=data,
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        runtime_dir=runtime,
        runtime_note=note,
    )
