"""`python -m app`: serve Tickless with Dash's own server (flags override environment variables)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from .settings import ENV_NAMES, Settings, SettingsError


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line naming the value, then exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"tickless: error: {message} (see --help)\n")


def _progress(path: str | None):
    """A progress line on stderr while a --data file loads (rewritten in place on a terminal)."""
    if not path:
        return None
    shown = {"at": -1}
    tty = sys.stderr.isatty()

    def report(fraction: float) -> None:
        pct = int(fraction * 100)
        if pct // 10 != shown["at"] // 10 or (tty and pct != shown["at"]):
            shown["at"] = pct
            print(f"tickless: loading {path}: {pct}%", end="\r" if tty else "\n", file=sys.stderr, flush=True)

    return report


def build_parser() -> argparse.ArgumentParser:
    """The command line: server address, debug mode and the built-in dataset's size."""
    parser = _OneLineParser(prog="python -m app", description=__doc__)
    for name, help_text in [
        ("host", "interface to bind (default 127.0.0.1)"),
        ("port", "port to listen on, 1-65535 (default 8050)"),
        ("channels", "channels in the built-in dataset, 1-16 (default 4)"),
        ("rate", "sample rate of the dataset in Hz (default 1000)"),
        ("seconds", "length of the dataset in seconds (default 300)"),
        ("seed", "random seed of the dataset (default 7)"),
        ("window", "default points per trace on screen (default 2000; about 5 s of a --data file)"),
        ("data", "your own data: a CSV, NPY, NPZ, WAV or Parquet file (its rate, or --rate, and its names)"),
    ]:
        parser.add_argument(f"--{name}", help=f"{help_text}; env {ENV_NAMES[name]}")
    parser.add_argument(
        "--debug",
        action="store_const",
        const="true",
        help="Dash dev tools: hot reload, callback graph, error overlay; env DEBUG=true (refused on a "
        "host other machines can reach unless --allow-remote-debug)",
    )
    parser.add_argument(
        "--allow-remote-debug",
        action="store_const",
        const="true",
        help="allow --debug on a non-loopback --host; env TICKLESS_ALLOW_REMOTE_DEBUG=true",
    )
    parser.add_argument(
        "--no-push",
        action="store_true",
        help="do not start the push server (server-push, on PUSH_PORT, default PORT + 1) next to this one",
    )
    parser.add_argument(
        "--push-inactivity-ms",
        help="the push server's websocket inactivity timeout: an idle socket is closed after this many ms "
        "(0: never; default 300000); env TICKLESS_PUSH_INACTIVITY_MS",
    )
    return parser


def push_env(flags: dict) -> dict:
    """The push server's environment: this one, with the flags given here as their environment variables."""
    env = dict(os.environ)
    env.update({ENV_NAMES[k]: str(v) for k, v in flags.items() if k in ENV_NAMES and v is not None})
    if flags.get("push_inactivity_ms") is not None:
        env["TICKLESS_PUSH_INACTIVITY_MS"] = str(flags["push_inactivity_ms"])
    return env


def start_push(flags: dict) -> subprocess.Popen:
    """The push server (app/push_server.py: the same app on Dash's FastAPI backend under uvicorn, for
    server-push) as a child process with the same settings: the flags given here become its environment."""
    return subprocess.Popen([sys.executable, "-m", "app.push_server"], env=push_env(flags))


def main(argv: list[str] | None = None) -> int:
    """Parse flags, validate settings and run the server; bad values exit 2 with one line."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load(vars(args), progress=_progress(args.data))
        if not args.no_push:  # the push server's own settings, checked here so a bad flag stops both
            from .strategies.server_push import PushSettings

            PushSettings.load(settings, push_env(vars(args)))
    except SettingsError as err:
        print(f"tickless: error: {err}", file=sys.stderr)
        return 2
    from . import create_app

    debug, warning = settings.dev_tools()
    if warning:
        print(warning, file=sys.stderr, flush=True)
    if settings.data:
        from . import datafile

        ds = datafile.current(settings)
        print(f"Tickless: {datafile.describe(ds)}", *ds.notes, sep="\n  ", flush=True)
    app = create_app(settings)
    from . import bridge_analysis, tabdata

    bridge_analysis.warm(tabdata.own(settings), settings.window)  # the bridge's tables, before the first call
    # one command opens everything: the push server runs beside (not in the debug reloader's second process)
    reloaded = os.environ.get("WERKZEUG_RUN_MAIN") == "true"
    push = None if args.no_push or reloaded else start_push(vars(args))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so the push server is stopped with this one
    print(f"Tickless: open http://{settings.host}:{settings.port}/", flush=True)
    try:
        app.run(host=settings.host, port=settings.port, debug=debug)
    finally:
        if push is not None:
            push.terminate()
            try:
                push.wait(10)
            except subprocess.TimeoutExpired:
                push.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
