"""Where standup keeps its files: platformdirs locations, or everything under STANDUP_HOME."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "standup"
# AF_UNIX socket paths are limited to about 107 bytes.
_MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    runtime_dir: Path

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
    """STANDUP_HOME=DIR puts config, data, logs and the socket in DIR; otherwise the platform's places."""
    env = os.environ if environ is None else environ
    home = env.get("STANDUP_HOME")
    if home:
        base = Path(home).expanduser().absolute()
        return Paths(base, base, base, _short_enough(base, base))
    import platformdirs  # the only importer of platformdirs

    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if sys.platform.startswith("linux") and not env.get("XDG_RUNTIME_DIR"):
        runtime = data / "run"  # rather than a guessable /tmp/runtime-UID another user could create first
    else:
        runtime = Path(platformdirs.user_runtime_dir(APP_NAME, appauthor=False))
    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=data,
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        runtime_dir=_short_enough(runtime, data),
    )


def _short_enough(runtime: Path, identity: Path) -> Path:
    """A runtime dir whose socket path fits AF_UNIX's limit (a private one in /tmp if not)."""
    if len(str(runtime / "standup.sock")) <= _MAX_SOCKET_PATH:
        return runtime
    digest = hashlib.sha1(str(identity).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"standup-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"
