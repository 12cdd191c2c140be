"""LiveChart: a Dash component that draws fast live time series on a uPlot canvas, plus numpy encoders for it.

`from tickless_livechart import LiveChart` registers the component's JavaScript bundle with any Dash app (Dash
serves it from this package). The class itself (LiveChart.py, _imports_.py) and the bundle are build outputs of
`make livechart` (npm ci from the lock, esbuild, dash-generate-components); see livechart/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from .encoding import encode_channel, extend_payload, to_data

try:
    from ._imports_ import *  # noqa: F403  (the generated component classes)
    from ._imports_ import __all__ as _components
except ImportError as err:  # a clone that has not been built yet
    raise ImportError(
        "tickless_livechart is not built: run `make livechart` (npm ci, esbuild, dash-generate-components)"
    ) from err

_HERE = Path(__file__).resolve().parent
_BUNDLE = "tickless_livechart.min.js"
if not (_HERE / _BUNDLE).is_file():
    raise ImportError(f"tickless_livechart: {_BUNDLE} is missing: run `make livechart`")

__version__ = json.loads((_HERE / "package-info.json").read_text(encoding="utf-8"))["version"]

_js_dist = [
    {"relative_package_path": _BUNDLE, "namespace": __name__},
    {"relative_package_path": f"{_BUNDLE}.map", "namespace": __name__, "dynamic": True},
]
_css_dist: list[dict] = []

for _name in _components:
    _component = globals()[_name]
    _component._js_dist = _js_dist
    _component._css_dist = _css_dist

__all__ = [*_components, "encode_channel", "extend_payload", "to_data"]
