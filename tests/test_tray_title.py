"""The tooltip as pystray's xorg backend can carry it (a Latin-1 window name), and unchanged elsewhere."""

from __future__ import annotations

from standup.desktop.tray import window_title


def test_xorg_titles_are_latin_1_with_readable_stand_ins() -> None:
    text = "Time to move: Chair squats — 2 × 10… “slow” → 🙂"
    title = window_title(text, "xorg")
    title.encode("latin-1")  # what python-xlib's set_wm_name does; it raised UnicodeEncodeError before
    assert title == 'Time to move: Chair squats - 2 × 10... "slow" -> ?'


def test_other_backends_keep_the_text() -> None:
    assert window_title("Chair squats — 2 × 10…", "appindicator") == "Chair squats — 2 × 10…"
    assert window_title("Chair squats — 2 × 10…", "sni") == "Chair squats — 2 × 10…"
