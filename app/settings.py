"""Process-wide settings: explicit value, then environment variable, then default; validated once."""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from . import contract

MAX_TOTAL_SAMPLES = 64_000_000  # channels x rate x seconds; 256 MB of float32 on the server
MIN_LENGTH = 100  # samples per channel


class SettingsError(ValueError):
    """A setting has a value outside what Tickless accepts; the message names both."""


class DataError(SettingsError):
    """The --data file cannot be shown; the message names the file and the place (line/column, field)."""


def _parse_bool(value: str) -> bool:
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError


def _int_between(lo: int, hi: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        number = int(str(value).strip())
        if not lo <= number <= hi:
            raise ValueError
        return number

    parse.allowed = f"an integer from {lo} to {hi}"  # type: ignore[attr-defined]
    return parse


def _float_between(lo: float, hi: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        number = float(str(value).strip())
        if not (math.isfinite(number) and lo <= number <= hi):
            raise ValueError
        return number

    parse.allowed = f"a number from {lo:g} to {hi:g}"  # type: ignore[attr-defined]
    return parse


def _data_path(value: Any) -> str:
    text = str(value).strip()
    if not text or "\x00" in text:
        raise ValueError
    return os.path.abspath(text)


_data_path.allowed = "a path to a CSV, NPY, NPZ, WAV or Parquet file"  # type: ignore[attr-defined]


def _host(value: Any) -> str:
    text = str(value).strip()
    if not text or any(c.isspace() for c in text) or "/" in text:
        raise ValueError
    return text


_parse_bool.allowed = "one of true/false, 1/0, yes/no, on/off"  # type: ignore[attr-defined]
_host.allowed = "a hostname or IP address such as 127.0.0.1"  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to build the app; read once per process."""

    data: str = ""  # your own data file (app/datafile/); channels, rate and seconds then come from it
    data_rate: int = 0  # the rate --rate forced on that file (0: the file's own)
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    channels: int = 4
    rate: int = 1000
    seconds: float = 300.0
    seed: int = 7
    window: int = contract.DEFAULTS["window"]
    allow_remote_debug: bool = False

    @property
    def loopback(self) -> bool:
        """Does `host` name this machine only (127.0.0.0/8, ::1, localhost)?"""
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host.strip("[]")).is_loopback
        except ValueError:
            return False

    def dev_tools(self) -> tuple[bool, str | None]:
        """Whether Dash's dev tools may run, and the one-line warning to print (None: nothing to say).

        Dev tools show tracebacks, the callback graph and reload the code: only for this machine. With `debug`
        on a host other machines can reach they are refused unless `allow_remote_debug` says so explicitly.
        """
        if not self.debug or self.loopback:
            return self.debug, None
        if self.allow_remote_debug:
            return True, (
                f"tickless: warning: Dash dev tools are on and reachable from other machines on {self.host} "
                "(--allow-remote-debug): they show tracebacks and the callback graph to anyone who connects"
            )
        return False, (
            f"tickless: warning: debug refused on {self.host}, which other machines can reach: serving "
            "without Dash dev tools (bind 127.0.0.1, or add --allow-remote-debug / "
            "TICKLESS_ALLOW_REMOTE_DEBUG=true to insist)"
        )

    @property
    def length(self) -> int:
        """Samples per channel in the built-in dataset."""
        return int(round(self.rate * self.seconds))

    @classmethod
    def load(
        cls,
        explicit: Mapping[str, Any] | None = None,
        env: Mapping[str, str] | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> Settings:
        """Combine explicit values (CLI flags), environment variables and defaults, then validate."""
        explicit = {k: v for k, v in (explicit or {}).items() if v is not None}
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for field in fields(cls):
            name = field.name
            if name not in PARSERS:  # derived, never given (data_rate)
                continue
            parse = PARSERS[name]
            if name in explicit:
                raw, source = explicit[name], f"--{name}"
            elif ENV_NAMES[name] in env:
                raw, source = env[ENV_NAMES[name]], ENV_NAMES[name]
            else:
                continue
            try:
                values[name] = parse(raw)
            except (TypeError, ValueError):
                raise SettingsError(
                    f"invalid {source} {str(raw)!r}: expected {parse.allowed}"  # type: ignore[attr-defined]
                ) from None
        settings = cls(**values)
        if settings.data:
            return settings.with_data("rate" in values, "window" in values, progress)
        settings.check()
        return settings

    def with_data(self, rate_given: bool, window_given: bool, progress=None) -> Settings:
        """These settings for the file in `data`: its channels, rate (or --rate) and length; window ~5 s of it.
        A file Tickless cannot show raises DataError (a SettingsError) naming the place."""
        from dataclasses import replace

        from . import datafile

        rate = self.rate if rate_given else 0
        try:
            ds = datafile.open_file(self.data, rate or None, progress)
        except datafile.DataError as err:
            raise DataError(str(err)) from None
        window = self.window if window_given else ds.default_window()
        return replace(
            self, channels=ds.channels, rate=ds.rate, seconds=ds.seconds, window=window, data_rate=rate
        )

    def check(self) -> None:
        """Reject combinations that are each valid alone but not together."""
        total = self.channels * self.length
        if self.length < MIN_LENGTH:
            raise SettingsError(
                f"invalid dataset size: rate {self.rate} x seconds {self.seconds:g} gives "
                f"{self.length} samples per channel; expected at least {MIN_LENGTH}"
            )
        if total > MAX_TOTAL_SAMPLES:
            raise SettingsError(
                f"invalid dataset size: {self.channels} channels x {self.length} samples = {total:,}; "
                f"expected at most {MAX_TOTAL_SAMPLES:,} samples in all"
            )


PARSERS: dict[str, Callable[[Any], Any]] = {
    "data": _data_path,
    "host": _host,
    "port": _int_between(1, 65535),
    "debug": _parse_bool,
    "channels": _int_between(*contract.CHANNELS),
    "rate": _int_between(*contract.RATE),
    "seconds": _float_between(0.1, 86_400),
    "seed": _int_between(0, 2**32 - 1),
    "window": _int_between(*contract.WINDOW),
    "allow_remote_debug": _parse_bool,
}

ENV_NAMES: dict[str, str] = {
    "data": "TICKLESS_DATA",
    "host": "HOST",
    "port": "PORT",
    "debug": "DEBUG",
    "channels": "TICKLESS_CHANNELS",
    "rate": "TICKLESS_RATE",
    "seconds": "TICKLESS_SECONDS",
    "seed": "TICKLESS_SEED",
    "window": "TICKLESS_WINDOW",
    "allow_remote_debug": "TICKLESS_ALLOW_REMOTE_DEBUG",
}
