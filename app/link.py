"""The page's link to the server: a liveness probe the page asks while the server looked unreachable.

assets/js/44_link.js marks the server unreachable when a callback request gets no answer; it then holds the
server panels' ticks and the bridge's samples, and GETs `contract.LINK_PATH` after a back-off until it answers.
The answer is an empty 204 that no cache keeps: it costs the server nothing and says only "I am here".
"""

from __future__ import annotations

from dash import Dash
from flask import Response

from . import contract


def register(app: Dash) -> None:
    """Serve GET (and HEAD) `contract.LINK_PATH` with an empty, uncacheable 204."""

    def alive() -> Response:
        return Response(status=204, headers={"Cache-Control": "no-store"})

    app.server.add_url_rule(contract.LINK_PATH, "tickless_alive", alive, methods=["GET"])
