"""`make screenshots` runs docs/screenshots.py; this runs the same code into a temporary folder and checks that
every PNG is the window's size and shows its page's chart (the trace colours), not a blank or half-drawn page."""

from __future__ import annotations

import pytest

from docs import screenshots
from tests import pngread
from tests.conftest import require_browser

PLOTLY_BLUE = (0x1F, 0x77, 0xB4)  # the first trace's colour in plotly's default palette


@pytest.mark.browser
def test_shots001_every_page_is_captured_with_its_chart(tmp_path):
    require_browser()
    written = screenshots.take(out=tmp_path, log=lambda line: None)
    assert [p.name for p in written] == [f"{s.name}.png" for s in screenshots.SHOTS]
    for shot, path in zip(screenshots.SHOTS, written, strict=True):
        data = path.read_bytes()
        width, height = pngread.size(data)
        assert (width, height) == shot.size or abs(width - shot.size[0]) <= 16, (shot.name, width, height)
        image = pngread.read(data)
        if shot.chart:
            # a blank chart has none; the thinnest shot (your-data: one flat 1 px line along a grid line, the key's
            # swatch now HTML) has ~290, the others 1,000 and more
            assert pngread.pixels_near(image, PLOTLY_BLUE, 30) > 150, f"{shot.name}: no chart trace drawn"
        colours = len({tuple(px) for px in image[::7, ::7, :3].reshape(-1, 3)})
        assert colours > 20, f"{shot.name}: {colours} colours: a blank page"
    dark = pngread.read((tmp_path / "dark.png").read_bytes())
    light = pngread.read((tmp_path / "live.png").read_bytes())
    assert dark[..., :3].mean() < 90 < light[..., :3].mean(), "the dark shot is dark, the light one light"
