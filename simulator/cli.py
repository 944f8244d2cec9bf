"""Standalone runner: serve the simulator and print the env lines that point the bot at it."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from simulator.server import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_KEYS, MimecastSimulator


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM stops as cleanly as Ctrl-C


def env_lines(url: str) -> list[str]:
    """What to put in `.env`: public demo credentials that only open this simulator."""
    return [
        f"MIMECAST_BASE_URL={url}",
        f"MIMECAST_APP_ID={DEMO_KEYS.app_id}",
        f"MIMECAST_APP_KEY={DEMO_KEYS.app_key}",
        f"MIMECAST_ACCESS_KEY={DEMO_KEYS.access_key}",
        f"MIMECAST_SECRET_KEY={DEMO_KEYS.secret_key}",
        f"MIMECAST_CLIENT_ID={DEMO_CLIENT_ID}",
        f"MIMECAST_CLIENT_SECRET={DEMO_CLIENT_SECRET}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Local Mimecast get-campaigns simulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8089, help="port (default 8089; 0 = any)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args(argv)

    try:
        simulator = MimecastSimulator(host=args.host, port=args.port, delay=args.delay).start()
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
    try:
        # stdout stays a valid env file: the banner is a comment.
        print(f"# Mimecast simulator on {simulator.url} (Ctrl-C to stop)", flush=True)
        for line in env_lines(simulator.url):
            print(line, flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    return 0
