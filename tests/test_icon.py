"""The tray icon: which look a status gets, how the ring fills, and that it reads at small sizes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from standup.desktop.icon import APP_ICON_SIZES, STEPS, IconSpec, Look, app_icon, draw, seconds_to_next_step, spec_for
from standup.core.model import State

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
ALL_LOOKS = [
    IconSpec(Look.SITTING, 0.5),
    IconSpec(Look.PROMPT),
    IconSpec(Look.SNOOZED),
    IconSpec(Look.PAUSED),
    IconSpec(Look.OFF_HOURS),
]


@dataclass
class FakeStatus:
    state: State
    sitting_since: datetime | None = None
    next_prompt_at: datetime | None = None


def on(background: tuple[int, int, int], image: Image.Image) -> Image.Image:
    canvas = Image.new("RGBA", image.size, background + (255,))
    canvas.alpha_composite(image)
    return canvas.convert("RGB")


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute channel difference, 0..255."""
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def coloured_pixels(image: Image.Image, colour: tuple[int, int, int]) -> int:
    rgb = image.convert("RGB")
    pixels = (rgb.getpixel((x, y)) for x in range(rgb.width) for y in range(rgb.height))
    return sum(1 for pixel in pixels if sum(abs(p - c) for p, c in zip(pixel, colour, strict=True)) < 60)


@pytest.mark.parametrize(
    ("state", "look"),
    [
        (State.SITTING, Look.SITTING),
        (State.PROMPTING, Look.PROMPT),
        (State.SNOOZED, Look.SNOOZED),
        (State.PAUSED, Look.PAUSED),
        (State.OFF_HOURS, Look.OFF_HOURS),
    ],
)
def test_each_state_has_its_look(state: State, look: Look) -> None:
    assert spec_for(FakeStatus(state, T0, T0 + timedelta(hours=1)), T0, 60).look is look


def test_the_ring_follows_the_sitting_clock_in_steps() -> None:
    status = FakeStatus(State.SITTING, T0, T0 + timedelta(minutes=60))
    assert spec_for(status, T0, 60).fill == 0
    assert spec_for(status, T0 + timedelta(minutes=30), 60).fill == 0.5
    assert spec_for(status, T0 + timedelta(minutes=31), 60).fill == 0.5  # same step, same image
    assert spec_for(status, T0 + timedelta(minutes=90), 60).fill == 1.0


def test_the_ring_uses_the_interval_when_no_prompt_is_scheduled() -> None:
    status = FakeStatus(State.SITTING, T0, None)
    assert spec_for(status, T0 + timedelta(minutes=15), 60).fill == 0.25


def test_next_step_is_when_the_image_would_change() -> None:
    status = FakeStatus(State.SITTING, T0, T0 + timedelta(minutes=64))
    step = 64 * 60 / STEPS
    assert seconds_to_next_step(status, T0 + timedelta(seconds=10), 64) == pytest.approx(step - 10)
    assert seconds_to_next_step(FakeStatus(State.PAUSED), T0, 64) == float("inf")


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64])
def test_every_look_draws_at_panel_sizes(size: int) -> None:
    for spec in ALL_LOOKS:
        image = draw(spec, size)
        assert image.size == (size, size)
        assert image.mode == "RGBA"


def test_looks_are_distinct_at_16_px() -> None:
    images = [draw(spec, 16) for spec in ALL_LOOKS]
    for i, a in enumerate(images):
        for b in images[i + 1 :]:
            assert difference(a, b) > 4


def test_more_sitting_fills_more_ring() -> None:
    quarter = coloured_pixels(draw(IconSpec(Look.SITTING, 0.25), 64), (67, 160, 71))
    half = coloured_pixels(draw(IconSpec(Look.SITTING, 0.5), 64), (67, 160, 71))
    assert 0 < quarter < half


def test_ring_turns_amber_in_its_last_quarter() -> None:
    assert coloured_pixels(draw(IconSpec(Look.SITTING, 0.8), 32), (255, 179, 0)) > 0
    assert coloured_pixels(draw(IconSpec(Look.SITTING, 0.5), 32), (255, 179, 0)) == 0


@pytest.mark.parametrize("spec", ALL_LOOKS, ids=lambda s: s.look.value)
def test_readable_on_light_and_dark_panels(spec: IconSpec) -> None:
    image = draw(spec, 22)
    for panel in [(255, 255, 255), (242, 242, 242), (0, 0, 0), (48, 48, 48)]:
        plain = Image.new("RGB", image.size, panel)
        assert difference(on(panel, image), plain) > 25, panel


def test_corners_stay_transparent() -> None:
    for spec in ALL_LOOKS:
        assert draw(spec, 32).getpixel((0, 0))[3] == 0


def test_committed_app_icons_match_the_generator() -> None:
    folder = Path(__file__).resolve().parent.parent / "assets" / "icons"
    for size in APP_ICON_SIZES:
        committed = Image.open(folder / f"standup-{size}.png")
        assert committed.size == (size, size)
        assert difference(committed.convert("RGBA"), app_icon(size)) < 1


def test_committed_svg_icon_matches_the_generator() -> None:
    from standup.desktop.icon_svg import app_icon_svg

    committed = Path(__file__).resolve().parent.parent / "assets" / "icons" / "standup.svg"
    assert committed.read_text(encoding="utf-8") == app_icon_svg()


def test_the_svg_icon_draws_what_the_png_icons_show(tmp_path: Path) -> None:
    """Rendered by librsvg (what GTK panels and menus use), the SVG is the app icon."""
    import shutil
    import subprocess

    from standup.desktop.icon_svg import app_icon_svg

    if shutil.which("rsvg-convert") is None:
        pytest.skip("rsvg-convert is not installed (scripts/setup.sh test installs librsvg2-bin)")
    svg, png = tmp_path / "icon.svg", tmp_path / "icon.png"
    svg.write_text(app_icon_svg(), encoding="utf-8")
    subprocess.run(["rsvg-convert", "-w", "128", "-h", "128", str(svg), "-o", str(png)], check=True, timeout=30)
    rendered = on((255, 255, 255), Image.open(png).convert("RGBA"))
    assert difference(rendered, on((255, 255, 255), app_icon(128))) < 4
    # the measure tells icons apart: the sitting icon at three quarters differs only in its arrow
    assert difference(rendered, on((255, 255, 255), draw(IconSpec(Look.SITTING, 0.75), 128))) > 8
