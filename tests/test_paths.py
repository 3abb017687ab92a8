"""Where files live: STANDUP_HOME puts everything in one folder; a runtime dir not fit for a socket is not used."""

from __future__ import annotations

from standup.adapters.paths import resolve_paths


def test_standup_home_holds_config_data_logs_and_socket(tmp_path):
    paths = resolve_paths({"STANDUP_HOME": str(tmp_path)})
    assert paths.config_file == tmp_path / "config.toml"
    assert paths.routines_dir == tmp_path / "routines"
    assert paths.database == tmp_path / "standup.db"
    assert paths.log_file == tmp_path / "standup.log"
    assert paths.socket == tmp_path / "standup.sock"


def test_a_deep_home_keeps_the_socket_in_the_home_itself_not_in_a_guessable_tmp_name(tmp_path):
    # AF_UNIX takes about 107 bytes; the control adapter reaches a longer path through its folder's fd.
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    paths = resolve_paths({"STANDUP_HOME": str(deep)})
    assert paths.database == deep / "standup.db"
    assert paths.socket == deep / "standup.sock" and paths.lock_file == deep / "standup.lock"


def test_platform_places_without_standup_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    paths = resolve_paths({})
    assert paths.config_file == tmp_path / "cfg" / "standup" / "config.toml"
    assert paths.database == tmp_path / "data" / "standup" / "standup.db"
    assert paths.socket == tmp_path / "data" / "standup" / "run" / "standup.sock"  # no XDG_RUNTIME_DIR


def test_an_open_or_foreign_xdg_runtime_dir_is_not_used_and_says_why_once(monkeypatch, tmp_path):
    import os

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    runtime = tmp_path / "xdg"
    runtime.mkdir()
    os.chmod(runtime, 0o755)
    paths = resolve_paths({"XDG_RUNTIME_DIR": str(runtime)})
    assert paths.runtime_dir == tmp_path / "data" / "standup" / "run"
    assert paths.runtime_note is not None and "0755" in paths.runtime_note and "\n" not in paths.runtime_note
    os.chmod(runtime, 0o700)
    good = resolve_paths({"XDG_RUNTIME_DIR": str(runtime)})
    assert good.runtime_dir == runtime / "standup" and good.runtime_note is None
    link = tmp_path / "link"
    link.symlink_to(runtime)
    assert resolve_paths({"XDG_RUNTIME_DIR": str(link)}).runtime_note is not None
