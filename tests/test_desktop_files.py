"""`standup desktop install|uninstall`: the menu entry, metainfo and icons in a user's XDG data dir.

The files are checked by Debian's own validators where they are installed (desktop-file-utils,
appstream); installing puts exactly the planned files there, and uninstalling takes exactly those
away again, never a file standup did not write.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from standup import APP_ID
from standup.adapters import desktop_entry, desktop_files
from standup.adapters.desktop_files import DesktopFilesError, data_home, install, plan, uninstall

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ["/home/ana/my apps/bin/standup", "run"]
ENTRY = f"applications/{APP_ID}.desktop"


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_the_plan_puts_the_entry_metainfo_and_every_icon_size() -> None:
    where = sorted(p.relative for p in plan(COMMAND))
    assert where == sorted([
        ENTRY, f"metainfo/{APP_ID}.metainfo.xml", f"icons/hicolor/scalable/apps/{APP_ID}.svg",
        *(f"icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in (16, 24, 32, 48, 64, 128, 256)),
    ])
    entry = next(p for p in plan(COMMAND) if p.relative == ENTRY).content.decode()
    assert 'Exec="/home/ana/my apps/bin/standup" run\n' in entry
    assert f"Icon={APP_ID}\n" in entry


def test_every_bundled_png_is_the_size_its_folder_says() -> None:
    from PIL import Image

    for placement in plan(COMMAND):
        if placement.relative.endswith(".png"):
            size = int(placement.relative.split("/")[2].split("x")[0])
            assert Image.open(io.BytesIO(placement.content)).size == (size, size), placement.relative


def test_data_home_follows_xdg_data_home(tmp_path: Path) -> None:
    assert data_home({}, tmp_path) == tmp_path / ".local/share"
    assert data_home({"XDG_DATA_HOME": "/data"}, tmp_path) == Path("/data")
    assert data_home({"XDG_DATA_HOME": "relative/data"}, tmp_path) == tmp_path / ".local/share"


def test_install_twice_then_uninstall_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "share"
    (data / "applications").mkdir(parents=True)
    (data / "applications" / "other.desktop").write_text("[Desktop Entry]\n")
    before = tree(data)
    first = install(data, plan(COMMAND))
    assert len(first.written) == 10 and not first.unchanged
    for placement in plan(COMMAND):
        assert (data / placement.relative).read_bytes() == placement.content
    second = install(data, plan(COMMAND))
    assert not second.written and len(second.unchanged) == 10
    gone = uninstall(data, plan(COMMAND))
    assert sorted(gone.removed) == sorted(first.written) and not gone.kept
    assert tree(data) == before
    assert uninstall(data, plan(COMMAND)).removed == []


def test_a_file_standup_did_not_write_stops_install_until_forced(tmp_path: Path) -> None:
    data = tmp_path / "share"
    theirs = data / ENTRY
    theirs.parent.mkdir(parents=True)
    theirs.write_text("[Desktop Entry]\nName=Someone else's\n")
    with pytest.raises(DesktopFilesError) as caught:
        install(data, plan(COMMAND))
    message = str(caught.value)
    assert str(theirs) in message and "--force" in message and "\n" not in message
    assert tree(data) == ["applications", ENTRY]  # nothing else was written
    install(data, plan(COMMAND), force=True)
    assert theirs.read_bytes() == next(p for p in plan(COMMAND) if p.relative == ENTRY).content


def test_a_reinstall_from_another_installation_replaces_standups_own_entry(tmp_path: Path) -> None:
    data = tmp_path / "share"
    install(data, plan(["/old/venv/bin/standup", "run"]))
    outcome = install(data, plan(COMMAND))
    assert outcome.written == [str(data / ENTRY)]
    assert "Exec=\"/home/ana/my apps/bin/standup\" run" in (data / ENTRY).read_text()


def test_uninstall_keeps_a_file_changed_since_install(tmp_path: Path) -> None:
    data = tmp_path / "share"
    install(data, plan(COMMAND))
    edited = data / ENTRY
    edited.write_text(edited.read_text() + "NoDisplay=true\n")
    outcome = uninstall(data, plan(COMMAND))
    assert outcome.kept == [str(edited)] and len(outcome.removed) == 9
    assert tree(data) == ["applications", ENTRY]


def test_uninstall_without_a_record_takes_only_files_identical_to_standups(tmp_path: Path) -> None:
    data = tmp_path / "share"
    install(data, plan(COMMAND))
    (data / "standup" / "desktop-files.json").unlink()
    metainfo = data / f"metainfo/{APP_ID}.metainfo.xml"
    metainfo.write_text("<component/>\n")
    outcome = uninstall(data, plan(COMMAND))
    assert len(outcome.removed) == 9 and metainfo.exists()


def test_a_damaged_record_is_one_line_naming_it(tmp_path: Path) -> None:
    data = tmp_path / "share"
    (data / "standup").mkdir(parents=True)
    (data / "standup" / "desktop-files.json").write_text("{not json")
    for action in (lambda: install(data, plan(COMMAND)), lambda: uninstall(data, plan(COMMAND))):
        with pytest.raises(DesktopFilesError) as caught:
            action()
        assert str(data / "standup" / "desktop-files.json") in str(caught.value)
        assert "\n" not in str(caught.value)


def test_a_folder_where_a_file_goes_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "share"
    (data / ENTRY).mkdir(parents=True)
    with pytest.raises(DesktopFilesError, match="is a folder"):
        install(data, plan(COMMAND))


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
@pytest.mark.parametrize("kind", ["bundled", "menu", "autostart"])
def test_debian_accepts_the_desktop_entries(tmp_path: Path, kind: str) -> None:
    text = {"bundled": desktop_entry.bundled_entry(), "menu": desktop_entry.menu_entry(COMMAND),
            "autostart": desktop_entry.autostart_entry(COMMAND)}[kind]
    path = tmp_path / f"{APP_ID}.desktop"
    path.write_text(text)
    checked = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout + checked.stderr


def test_desktop_file_validate_can_fail(tmp_path: Path) -> None:
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-utils is not installed")
    path = tmp_path / f"{APP_ID}.desktop"
    path.write_text(desktop_entry.bundled_entry().replace("Version=1.4", "Version=1.5"))
    assert subprocess.run(["desktop-file-validate", str(path)], capture_output=True, timeout=30).returncode != 0


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_appstream_accepts_the_metainfo() -> None:
    checked = subprocess.run(["appstreamcli", "validate", "--no-net", "--explain",
                              str(ROOT / "assets" / f"{APP_ID}.metainfo.xml")], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_metainfo_names_the_entry_and_the_version() -> None:
    import xml.etree.ElementTree as ET

    from standup import __version__

    component = ET.parse(ROOT / "assets" / f"{APP_ID}.metainfo.xml").getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.findtext("project_license") == "MIT"
    assert component.find("releases/release").get("version") == __version__


def test_cli_desktop_install_and_uninstall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = pytest.importorskip("standup.cli.main")
    from standup.adapters.paths import resolve_paths

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setattr("sys.platform", "linux")

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        ctx = cli.Context(resolve_paths({"STANDUP_HOME": str(tmp_path / "sh")}), out, err)
        return cli.main(list(argv), ctx=ctx), out.getvalue(), err.getvalue()

    code, text, _ = run("desktop", "install")
    assert code == 0 and "applications menu" in text and "standup autostart enable" in text
    assert (tmp_path / "data" / ENTRY).is_file()
    code, text, _ = run("desktop", "install", "--json")
    assert code == 0 and len(json.loads(text)["unchanged"]) == 10
    run("autostart", "enable")
    autostarted = (tmp_path / "cfg/autostart" / f"{APP_ID}.desktop").read_text()
    assert autostarted == (tmp_path / "data" / ENTRY).read_text() + desktop_entry.AUTOSTART_KEYS
    code, text, _ = run("desktop", "uninstall")
    assert code == 0 and text.startswith("removed 10 files") and "autostart disable" in text
    assert not (tmp_path / "data" / "applications").exists()

    (tmp_path / "data" / ENTRY).parent.mkdir(parents=True)
    (tmp_path / "data" / ENTRY).write_text("[Desktop Entry]\n")
    code, text, err = run("desktop", "install")
    assert code == 1 and err.startswith("standup: ") and err.count("\n") == 1 and "--force" in err


def test_cli_desktop_elsewhere_says_what_to_use(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cli = pytest.importorskip("standup.cli.main")
    from standup.adapters.paths import resolve_paths

    monkeypatch.setattr("sys.platform", "darwin")
    err = io.StringIO()
    ctx = cli.Context(resolve_paths({"STANDUP_HOME": str(tmp_path)}), io.StringIO(), err)
    assert cli.main(["desktop", "install"], ctx=ctx) == 2
    assert "autostart enable" in err.getvalue()
    assert desktop_files.RECORD_NAME not in {p.name for p in tmp_path.rglob("*")}
