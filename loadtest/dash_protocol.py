"""The Dash 4 renderer's HTTP protocol as pure functions (standard library only), so any venv can test them.

What the renderer does, and so what these helpers reproduce (dash-renderer 4.4.1, `handleServerside`):
the page embeds its config in `<script id="_dash-config">`; the renderer GETs `_dash-layout` and
`_dash-dependencies`, then POSTs `_dash-update-component?endId=<config.end_id>` with headers
`Accept`/`Content-Type: application/json` and a body whose keys are, in order, `output`, `outputs`
(a list for multi-output callbacks, else one object), `inputs`, `changedPropIds`, `parsedChangedPropsIds`
and `state` (left out when the callback has none). A prop whose value is unknown to the renderer is sent
without a `value` key (JSON.stringify drops `undefined`). Wildcard `ALL` inputs and states become lists of
the matching components, in layout order.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

UPDATE_PATH = "_dash-update-component"
LAYOUT_PATH = "_dash-layout"
DEPENDENCIES_PATH = "_dash-dependencies"
JSON_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
# What a browser offers, less zstd (which the load client cannot decode); flask-compress answers with br.
ACCEPT_ENCODING = "gzip, deflate, br"
WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")
INTERVAL_TYPE = ("Interval", "dash_core_components")

_CONFIG = re.compile(r'<script[^>]*id="_dash-config"[^>]*>(.*?)</script>', re.S)
_SCRIPT = re.compile(r'<script[^>]*\ssrc="([^"]+)"', re.S)
_LINK = re.compile(r"<link[^>]*>", re.S)
_HREF = re.compile(r'\shref="([^"]+)"')
_REL = re.compile(r'\srel="([^"]+)"')


class ProtocolError(ValueError):
    """The server answered something the Dash renderer would not accept; the message says what."""


# --- the page --------------------------------------------------------------------------------------------


def page_config(page: str) -> dict:
    """The renderer's config, read from the index page's `<script id="_dash-config">` like getConfigFromDOM."""
    match = _CONFIG.search(page)
    if not match:
        raise ProtocolError('index page has no <script id="_dash-config">: not a Dash page')
    try:
        config = json.loads(html.unescape(match.group(1)))
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"_dash-config is not JSON: {exc.msg}") from None
    if not isinstance(config, dict):
        raise ProtocolError("_dash-config is not a JSON object")
    return config


def page_resources(page: str) -> list[str]:
    """Scripts, stylesheets and icons the index page links, in document order (a first visit fetches them)."""
    found = [(m.start(), html.unescape(m.group(1))) for m in _SCRIPT.finditer(page)]
    for m in _LINK.finditer(page):
        rel, href = _REL.search(m.group(0)), _HREF.search(m.group(0))
        if href and rel and {"stylesheet", "icon"} & set(rel.group(1).split()):
            found.append((m.start(), html.unescape(href.group(1))))
    return [url for _, url in sorted(found)]


def base_path(config: Mapping) -> str:
    """The prefix every Dash route lives under (requests_pathname_prefix, default "/")."""
    prefix = config.get("requests_pathname_prefix") or "/"
    return prefix if prefix.endswith("/") else prefix + "/"


def update_url(config: Mapping) -> str:
    """The callback URL with the `endId` query parameter the renderer appends when the config has one."""
    url = base_path(config) + UPDATE_PATH
    return f"{url}?endId={config['end_id']}" if config.get("end_id") else url


# --- ids and the layout ----------------------------------------------------------------------------------


def stringify_id(cid: Any) -> str:
    """A component id as the renderer keys it: strings as they are, dict ids as sorted compact JSON."""
    if not isinstance(cid, dict):
        return str(cid)
    parts = (json.dumps(k) + ":" + json.dumps(cid[k], separators=(",", ":")) for k in sorted(cid))
    return "{" + ",".join(parts) + "}"


def prop_key(cid: Any, prop: str) -> str:
    """The `id.property` key Dash uses in changedPropIds and in its responses."""
    return f"{stringify_id(cid)}.{prop}"


def _is_component(node: Any) -> bool:
    return isinstance(node, dict) and "type" in node and "namespace" in node and "props" in node


def iter_components(node: Any) -> Iterator[dict]:
    """Every component in a layout tree, depth first in document order (children and component props)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if _is_component(item):
            yield item
            stack.extend(reversed(list(item["props"].values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))


def layout_props(layout: Any) -> tuple[dict[str, Any], list[Any]]:
    """Initial prop values keyed `id.prop`, and every component id in layout order (for ALL wildcards)."""
    props: dict[str, Any] = {}
    order: list[Any] = []
    for comp in iter_components(layout):
        cid = comp["props"].get("id")
        if cid is None:
            continue
        order.append(cid)
        for name, value in comp["props"].items():
            if name != "id":
                props[prop_key(cid, name)] = value
    return props, order


# --- callbacks -------------------------------------------------------------------------------------------


def _parse_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _wild(cid: Any) -> set[str]:
    if not isinstance(cid, dict):
        return set()
    return {v[0] for v in cid.values() if isinstance(v, list) and len(v) == 1 and v[0] in WILDCARDS}


@dataclass(frozen=True)
class Prop:
    """One callback argument: a component id (a string, or a dict that may hold wildcards) and a property."""

    id: Any
    property: str

    @property
    def key(self) -> str:
        """`id.prop` with any `@allow_duplicate` suffix dropped, as responses and changedPropIds spell it."""
        return prop_key(self.id, self.property.split("@")[0])

    @property
    def wildcards(self) -> set[str]:
        """Which of ALL / MATCH / ALLSMALLER the id uses."""
        return _wild(self.id)

    def entry(self) -> dict:
        """The `{"id", "property"}` object of a request body (dict ids with sorted keys, as the renderer's)."""
        cid = dict(sorted(self.id.items())) if isinstance(self.id, dict) else self.id
        return {"id": cid, "property": self.property}


def parse_output(output: str) -> list[Prop]:
    """Split a dependency's output string (`a.b` or `..a.b...c.d..`) into its outputs."""
    parts = output[2:-2].split("...") if output.startswith("..") and output.endswith("..") else [output]
    props = []
    for part in parts:
        cid, _, prop = part.rpartition(".")
        if not cid or not prop:
            raise ProtocolError(f"cannot read callback output {part!r}")
        props.append(Prop(_parse_id(cid), prop))
    return props


def _props(items: Any, where: str) -> tuple[Prop, ...]:
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and "id" in i and "property" in i for i in items
    ):
        raise ProtocolError(f"callback {where} is not a list of {{id, property}}")
    return tuple(
        Prop(_parse_id(i["id"]) if isinstance(i["id"], str) else i["id"], i["property"]) for i in items
    )


@dataclass(frozen=True)
class Callback:
    """One entry of `_dash-dependencies`, parsed."""

    index: int
    output: str
    outputs: tuple[Prop, ...]
    inputs: tuple[Prop, ...]
    state: tuple[Prop, ...]
    clientside: bool
    prevent_initial_call: bool
    background: bool = False
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def multi(self) -> bool:
        """Whether the renderer sends `outputs` as a list (multi-output callbacks)."""
        return self.output.startswith("..")

    @property
    def output_keys(self) -> set[str]:
        """`id.prop` of every output (pattern outputs excluded: their concrete ids depend on the layout)."""
        return {p.key for p in self.outputs if not p.wildcards}

    @property
    def input_keys(self) -> set[str]:
        """`id.prop` of every non-pattern input."""
        return {p.key for p in self.inputs if not p.wildcards}

    @property
    def unsupported(self) -> str | None:
        """Why this client cannot replay the callback faithfully, or None when it can."""
        if self.background:
            return "background callback (job polling is not modelled)"
        if any(p.wildcards for p in self.outputs):
            return "pattern-matching output"
        if any(p.wildcards - {"ALL"} for p in self.inputs + self.state):
            return "MATCH/ALLSMALLER wildcard"
        return None

    @property
    def label(self) -> str:
        """A short, stable name for statistics: the first output, plus how many more."""
        first = self.outputs[0].key if self.outputs else "(no output)"
        more = len(self.outputs) - 1
        return f"{first} +{more}" if more > 0 else first


def parse_dependencies(deps: Any) -> list[Callback]:
    """Parse the JSON list served at `_dash-dependencies`."""
    if not isinstance(deps, list):
        raise ProtocolError("_dash-dependencies is not a JSON list")
    callbacks = []
    for i, dep in enumerate(deps):
        if not isinstance(dep, dict) or not isinstance(dep.get("output"), str):
            raise ProtocolError(f"_dash-dependencies[{i}] has no output string")
        callbacks.append(
            Callback(
                index=i,
                output=dep["output"],
                # a callback with no outputs (Dash ≥ 2.17) names itself by a hash; the renderer gives it none
                outputs=() if dep.get("no_output") else tuple(parse_output(dep["output"])),
                inputs=_props(dep.get("inputs", []), f"{i} inputs"),
                state=_props(dep.get("state", []), f"{i} state"),
                clientside=bool(dep.get("clientside_function")),
                prevent_initial_call=bool(dep.get("prevent_initial_call")),
                background=bool(dep.get("background") or dep.get("long")),
                raw=dep,
            )
        )
    return callbacks


def matches(pattern: dict, cid: Any) -> bool:
    """Whether a concrete id fits a wildcard id (same keys; every non-wildcard value equal)."""
    if not isinstance(cid, dict) or set(cid) != set(pattern):
        return False
    return all(_wild({k: v}) or cid[k] == v for k, v in pattern.items())


def _entry(prop: Prop, values: Mapping[str, Any]) -> dict:
    body = prop.entry()
    if prop.key in values:
        body["value"] = values[prop.key]
    return body


def _entries(props: Sequence[Prop], values: Mapping[str, Any], ids: Sequence[Any]) -> list:
    out: list = []
    for prop in props:
        if "ALL" in prop.wildcards:
            out.append([_entry(Prop(cid, prop.property), values) for cid in ids if matches(prop.id, cid)])
        else:
            out.append(_entry(prop, values))
    return out


def build_payload(
    cb: Callback, values: Mapping[str, Any], changed: Sequence[str], ids: Sequence[Any] = ()
) -> dict:
    """The `_dash-update-component` body the renderer sends for `cb`, given the tab's current prop values."""
    if cb.unsupported:
        raise ProtocolError(f"cannot build a request for {cb.label}: {cb.unsupported}")
    outputs = [p.entry() for p in cb.outputs]
    body: dict = {"output": cb.output}
    if outputs:  # a no-output callback's `outputs` is undefined in the renderer, so JSON leaves it out
        body["outputs"] = outputs if cb.multi else outputs[0]
    body.update(
        inputs=_entries(cb.inputs, values, ids),
        changedPropIds=list(changed),
        parsedChangedPropsIds=list(changed),
    )
    if cb.state:
        body["state"] = _entries(cb.state, values, ids)
    return body
