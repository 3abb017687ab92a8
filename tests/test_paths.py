"""Where files live: STANDUP_HOME puts everything in one folder; socket paths stay short enough."""

from __future__ import annotations

from standup.adapters.paths import resolve_paths


def test_standup_home_holds_config_data_logs_and_socket(tmp_path):
    paths = resolve_paths({"STANDUP_HOME": str(tmp_path)})
    assert paths.config_file == tmp_path / "config.toml"
    assert paths.routines_dir == tmp_path / "routines"
    assert paths.database == tmp_path / "standup.db"
    assert paths.log_file == tmp_path / "standup.log"
    assert paths.socket == tmp_path / "standup.sock"


def test_a_deep_home_moves_only_the_socket_to_a_short_private_place(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    paths = resolve_paths({"STANDUP_HOME": str(deep)})
    assert paths.database == deep / "standup.db"
    assert len(str(paths.socket)) <= 100
    assert paths.socket != deep / "standup.sock"
    assert resolve_paths({"STANDUP_HOME": str(deep)}).socket == paths.socket  # stable: the CLI finds the app


def test_platform_places_without_standup_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    paths = resolve_paths({})
    assert paths.config_file == tmp_path / "cfg" / "standup" / "config.toml"
    assert paths.database == tmp_path / "data" / "standup" / "standup.db"
    assert paths.socket == tmp_path / "data" / "standup" / "run" / "standup.sock"  # no XDG_RUNTIME_DIR
