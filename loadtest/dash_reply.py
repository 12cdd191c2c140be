"""Checking the replies of `_dash-update-component` like the renderer does, and applying dash.Patch replies.

Standard library only, like dash_protocol: the main venv tests it without locust.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .dash_protocol import Callback, ProtocolError, stringify_id


def check_response(cb: Callback, status: int, content: bytes, require: Sequence[str] = ()) -> dict[str, Any]:
    """Validate a callback reply like the renderer would; return its updates as `{id.prop: value}`.

    204 is PreventUpdate (no updates). A 200 must be a JSON object whose `response` maps output ids to
    props of this callback (at least one), plus every key in `require`. Anything else raises ProtocolError.
    """
    if status == 204:
        return {}
    if status != 200:
        snippet = content[:120].decode("utf-8", "replace").replace("\n", " ")
        raise ProtocolError(f"HTTP {status} from {cb.label}: {snippet}")
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError(f"reply to {cb.label} is not JSON ({len(content)} bytes)") from None
    response = body.get("response") if isinstance(body, dict) else None
    if not isinstance(response, dict):
        raise ProtocolError(f"reply to {cb.label} has no 'response' object")
    if not body.get("multi"):  # the pre-2.0 single-output shape: {"response": {"props": {...}}}
        response = {stringify_id(cb.outputs[0].id): response.get("props", {})}
    updates = {
        f"{cid}.{prop}": value
        for cid, props in response.items()
        if isinstance(props, dict)
        for prop, value in props.items()
    }
    unknown = set(updates) - cb.output_keys if cb.output_keys else set()
    if not updates or unknown:
        raise ProtocolError(f"reply to {cb.label} updates {sorted(unknown) or 'nothing'}, not its outputs")
    missing = [key for key in require if key not in updates]
    if missing:
        raise ProtocolError(f"reply to {cb.label} lacks {missing}")
    for cid, props in (body.get("sideUpdate") or {}).items():  # set_props from a server callback
        for prop, value in (props or {}).items():
            updates[f"{cid}.{prop}"] = value
    return updates


_ARITHMETIC = {
    "Add": lambda a, b: a + b,
    "Sub": lambda a, b: a - b,
    "Mul": lambda a, b: a * b,
    "Div": lambda a, b: a / b,
}


def is_patch(value: Any) -> bool:
    """Whether a returned value is a dash.Patch (a list of operations, applied by the renderer)."""
    return isinstance(value, dict) and value.get("__dash_patch_update") == "__dash_patch_update"


def apply_patch(value: Any, patch: dict) -> Any:
    """Apply the common dash.Patch operations to a copy of `value` (as the renderer does to the store)."""
    root = {"v": json.loads(json.dumps(value))}
    for op in patch.get("operations", []):
        *path, last = ["v", *op.get("location", [])]
        target = root
        for key in path:
            target = target[key]
        name, arg = op.get("operation"), op.get("params", {}).get("value")
        if name == "Assign":
            target[last] = arg
        elif name == "Delete":
            del target[last]
        elif name in ("Extend", "Append", "Prepend", "Insert", "Clear", "Merge"):
            current = target[last]
            if name == "Extend":
                current.extend(arg)
            elif name == "Append":
                current.append(arg)
            elif name == "Prepend":
                current.insert(0, arg)
            elif name == "Insert":
                current.insert(op["params"]["index"], arg)
            elif name == "Clear":
                current.clear()
            else:
                current.update(arg)
        elif name in _ARITHMETIC:
            target[last] = _ARITHMETIC[name](target[last], arg)
        else:
            raise ProtocolError(f"patch operation {name!r} is not modelled")
    return root["v"]
