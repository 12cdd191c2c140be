"""The server's front gate: a body cap and a shape check on every callback request, before Dash reads it.

Dash trusts the renderer's request shape: a body naming an unknown output, the wrong number of inputs, an
entry that is not an object, or JSON nested thousands deep makes it raise, which Flask turns into a 500.
Here a request is refused with 413 when its body is larger than the contract allows (before it is parsed),
and with 400 and a one-line reason when its JSON is not the shape the named callback takes. Each check is
bounded by the body cap, so no request costs more than parsing 64 KB of JSON.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash
from flask import Response, request

from . import contract, untrusted

log = logging.getLogger("tickless")


def _entry_ok(entry: Any, spec: dict) -> bool:
    """One input or state entry: {id, property, value?} for a plain id, a list of those for an ALL pattern."""
    if str(spec.get("id")).startswith(
        "{"
    ):  # a pattern-matching id (JSON text): ALL gives a list, MATCH one entry
        entries = entry if isinstance(entry, list) else [entry]
        return all(isinstance(e, dict) and e.get("property") == spec["property"] for e in entries)
    return (
        isinstance(entry, dict)
        and entry.get("id") == spec["id"]
        and entry.get("property") == spec["property"]
    )


def _outputs_count(output: str) -> int:
    """How many outputs a callback key names ("..a.b...c.d.." for several, "a.b" for one)."""
    return output.count("...") + 1 if output.startswith("..") else 1


def check_body(body: Any, callbacks: dict[str, dict], raw: bytes | None = None) -> str | None:
    """None if body is a well-formed request for one of these server callbacks, else the reason.

    `raw`, the body's bytes when the caller has them, spares the walk of the parsed body when it cannot nest too
    deep: nesting needs an opening bracket per level, so a body with at most MAX_JSON_DEPTH of them in all
    (inside strings included: an upper bound) is shallow enough, counted at C speed."""
    if not isinstance(body, dict):
        return f"expected a JSON object, got {untrusted.kind(body)}"
    shallow = raw is not None and raw.count(b"[") + raw.count(b"{") <= contract.MAX_JSON_DEPTH
    if not shallow and untrusted.json_depth(body, contract.MAX_JSON_DEPTH) > contract.MAX_JSON_DEPTH:
        return f"the body nests deeper than {contract.MAX_JSON_DEPTH} levels"
    output = body.get("output")
    if not isinstance(output, str) or output not in callbacks:
        return f"'output' {untrusted.show(output)} is not a server callback of this app"
    spec = callbacks[output]
    for part, key in (("inputs", "inputs"), ("state", "state")):
        given = body.get(key, [] if key == "state" else None)
        wanted = spec[key]
        if not isinstance(given, list) or len(given) != len(wanted):
            return f"'{part}' must be a list of {len(wanted)} entries for {output[:80]}"
        if not all(_entry_ok(e, s) for e, s in zip(given, wanted, strict=True)):
            return f"'{part}' entries do not match the ids and properties of {output[:80]}"
    outputs = body.get("outputs")
    count = _outputs_count(output)
    if count == 1 and not isinstance(outputs, dict | list):
        return "'outputs' must be an object"
    if count > 1 and not (isinstance(outputs, list) and len(outputs) == count):
        return f"'outputs' must be a list of {count} entries"
    if isinstance(outputs, list) and not all(isinstance(o, dict | list) for o in outputs):
        return "'outputs' entries must be objects"
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and len(changed) <= 64 and all(isinstance(c, str) for c in changed)):
        return "'changedPropIds' must be a short list of strings"
    return None


def server_callbacks(app: Dash) -> dict[str, dict]:
    """The callbacks Python runs (clientside ones are the browser's), keyed as the renderer names them."""
    clientside = {c["output"] for c in app._callback_list if c.get("clientside_function")}
    return {k: v for k, v in app.callback_map.items() if k not in clientside}


def install(app: Dash) -> None:
    """Cap request bodies and check each callback request's shape before Dash dispatches it."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = contract.MAX_REQUEST_BYTES
    path = app.config.routes_pathname_prefix + "_dash-update-component"
    # the app's server callbacks, found once per process (the app's own configuration, not anyone's state) and
    # again only if the callback map changes size (Dash fills it in at the first request)
    known: dict[str, Any] = {"size": -1, "callbacks": {}}

    def callbacks() -> dict[str, dict]:
        if len(app.callback_map) != known["size"]:
            known["callbacks"] = server_callbacks(app)
            known["size"] = len(app.callback_map)
        return known["callbacks"]

    @server.before_request
    def _check_callback_request():
        if request.method != "POST" or request.path != path:
            return None
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            body = None
        problem = (
            "the body is not JSON (Content-Type: application/json)"
            if body is None
            else check_body(body, callbacks(), request.get_data(cache=True))
        )
        if problem is None:
            return None
        log.warning("callback request refused (400): %s", problem)
        return Response(f"Bad callback request: {problem}\n", status=400, mimetype="text/plain")

    @server.errorhandler(413)
    def _too_large(_error):
        log.warning("request refused (413): body over %d bytes", contract.MAX_REQUEST_BYTES)
        return Response(
            f"Request body too large: at most {contract.MAX_REQUEST_BYTES:,} bytes\n",
            status=413,
            mimetype="text/plain",
        )
