"""Your own data on the page, and the viewer's controls: the upload control, the layout (channels overlaid or
stacked), the y scale, the PNG/CSV downloads of the window on screen and the keyboard help.

Everything here runs in the browser (assets/js/52_upload.js, 54_viewer.js, wired with ClientsideFunction); the
only server part is the upload route (app/upload.py), which the page calls with the file's bytes.
"""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html

from . import contract, ids

KEYS = (
    ("space", "play / pause"),
    ("← / →", "step back / forward (paused: one tenth of the window)"),
    ("+ / −", "window twice / half as wide"),
    ("f", "follow the live edge again (after a zoom)"),
    ("s", "stacked / overlaid"),
    ("?", "show / hide this help"),
)


def keys_text() -> str:
    """The keyboard help as aligned lines: key, then what it does."""
    width = max(len(key) for key, _ in KEYS)
    return "\n".join(f"{key:<{width}}  {what}" for key, what in KEYS)


def _control(label: str, component) -> html.Label:
    return html.Label([label, component], className="control")  # text, not a Span: one component fewer


def layout() -> html.Div:
    """The data row (upload, rate, status) and the viewer row (layout, y scale, downloads, keys)."""
    formats = ", ".join(f.lstrip(".").upper() for f in contract.UPLOAD_FORMATS if f not in (".tsv", ".txt"))
    mb = contract.UPLOAD_MAX_BYTES // 2**20
    return html.Div(
        [
            html.Div(
                [
                    dcc.Upload(
                        id=ids.UPLOAD,
                        children=html.Span(["Your data: drop a file or ", html.A("choose one")]),
                        multiple=False,
                        accept=",".join(contract.UPLOAD_FORMATS),
                        className="upload",
                        className_active="upload upload-active",
                    ),
                    _control(
                        "Rate (Hz)",
                        dcc.Input(
                            id=ids.UPLOAD_RATE,
                            type="text",
                            placeholder="from the file",
                            className="num-input",
                            debounce=True,
                        ),
                    ),
                    html.Span(
                        f"{formats}; up to {mb} MB (larger files: python -m app --data FILE)",
                        className="control-note",
                    ),
                    html.Span(id=ids.UPLOAD_STATUS, className="upload-status", role="status"),
                ],
                className="controls data-row",
            ),
            html.Div(
                [
                    _control(
                        "Layout",
                        dcc.RadioItems(
                            options=list(contract.VIEW_LAYOUTS),
                            value=contract.VIEW_LAYOUTS[0],
                            id=ids.VIEW_LAYOUT,
                            inline=True,
                        ),
                    ),
                    _control(
                        "Y scale",
                        dcc.RadioItems(
                            options=list(contract.Y_SCALES), value="fixed", id=ids.VIEW_YSCALE, inline=True
                        ),
                    ),
                    html.Button("Download PNG", id=ids.VIEW_PNG, className="download-button"),
                    html.Button("Download CSV", id=ids.VIEW_CSV, className="download-button"),
                    html.Details(
                        [
                            html.Summary("Keys"),
                            html.Pre(keys_text()),  # one component, not a Dt and a Dd per key
                        ],
                        id=ids.VIEW_KEYS,
                        className="keys",
                    ),
                ],
                className="controls view-row",
            ),
        ],
        className="data-bar",
    )


def register(app: Dash) -> None:
    """The upload (read the file, post it, swap the dataset on success) and the viewer's controls."""
    app.clientside_callback(
        ClientsideFunction("tickless", "uploadFile"),
        Output(ids.UPLOAD_STATUS, "children"),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        State(ids.UPLOAD_RATE, "value"),
        State(ids.CONFIG_STORE, "data"),
        State(ids.DATA_TITLE, "children"),
        prevent_initial_call=True,
    )
