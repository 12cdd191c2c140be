"""The viewer's look on server panels (app/strategies/look.py): stacked rows, y scale and theme, as the page's
clientside figures have them (assets/js/54_viewer.js), from the view the page sends."""

from __future__ import annotations

from app import contract, ids, tabdata
from app.settings import Settings
from app.strategies import common, server_figure

S = Settings(channels=3, rate=1000, seconds=5, seed=7)
CLOCK = {"pos": 1000, "t": 0, "speed": 1, "playing": False}
VIEW = {"window": 200, "channels": [0, 1, 2], "trace": "scatter"}


def fig(**look):
    return server_figure.tick(S, 1, {**VIEW, **look}, CLOCK, ids.panel("server-figure", "view"))


def test_stacked_rows_share_x_each_fixed_to_its_channel():
    out = fig(layout="stacked", yscale="fixed", theme="light")
    layout, data = out["layout"], out["data"]
    assert [t["yaxis"] for t in data] == ["y", "y2", "y3"]
    domains = [layout[k]["domain"] for k in ("yaxis", "yaxis2", "yaxis3")]
    assert domains[0][1] == 1 and domains[2][0] == 0 and domains[0][0] > domains[1][1] > domains[2][1]
    ranges = tabdata.own(S).ranges
    assert (
        layout["yaxis2"]["range"] == contract.y_range(*ranges[1])
        and layout["yaxis2"]["title"]["text"] == "ch2"
    )
    assert layout["xaxis"]["anchor"] == "y3" and layout["showlegend"] is False


def test_auto_y_follows_the_data_and_dark_colours_the_figure():
    out = fig(layout="overlaid", yscale="auto", theme="dark")
    layout = out["layout"]
    assert layout["yaxis"]["autorange"] is True and "range" not in layout["yaxis"]
    assert layout["paper_bgcolor"] == contract.THEMES["dark"]["paper"] == "#15181e"
    assert layout["font"]["color"] == contract.THEMES["dark"]["font"]
    assert layout["xaxis"]["gridcolor"] == contract.THEMES["dark"]["grid"]
    stacked = fig(layout="stacked", yscale="auto", theme="dark")["layout"]
    assert stacked["yaxis3"]["autorange"] is True and "range" not in stacked["yaxis3"]


def test_the_default_look_and_a_forged_one():
    plain = fig()["layout"]
    assert (
        plain["paper_bgcolor"] == "#ffffff" and "yaxis2" not in plain and plain["yaxis"]["autorange"] is False
    )
    assert common.read_view({**VIEW, "theme": "neon"}, 3) is None
    assert common.read_view({**VIEW, "layout": ["stacked"]}, 3) is None
    a = common.read_view({**VIEW, "layout": "stacked"}, 3)
    assert a.signature != common.read_view(VIEW, 3).signature, "a new look rebuilds the figure"


def test_no_panel_says_it_keeps_its_own_look():
    """The LiveChart follows the viewer's look too (#16: tests/integration/test_component.py test_comp009)."""
    from app import panels
    from app.strategies import BY_ID

    def text(node) -> str:
        kids = getattr(node, "children", None)
        kids = kids if isinstance(kids, list) else [kids]
        return " ".join(k if isinstance(k, str) else text(k) for k in kids if k is not None)

    for sid in ("component", "server-extend", "clientside-raf"):
        page = text(panels.panel(BY_ID[sid]))
        assert BY_ID[sid].how in page, sid  # the text is read: the panel's own note is there
        assert "stays overlaid" not in page and "canvas chart stays" not in page, sid


def test_a_wall_display_font_reaches_the_server_panels_and_a_forged_size_is_refused():
    assert fig()["layout"]["font"]["size"] == contract.FONT_SIZES[0]
    wall = fig(font=contract.FONT_SIZES[-1])
    assert wall["layout"]["font"]["size"] == 20
    assert common.read_view({**VIEW, "font": 20}, 3).signature != common.read_view(VIEW, 3).signature
    for forged in (13, 0, 10**9, "20", True, 20.0, [20]):
        assert common.read_view({**VIEW, "font": forged}, 3) is None, forged
