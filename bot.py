"""The Mimecast campaigns bot for Slack: the command line (serve, demo, simulator, check, ...)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

log = logging.getLogger("bot")


def _wait_for_sigterm() -> None:
    """Block until SIGTERM or SIGINT (the clock and Socket Mode have no server loop to stop)."""
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    stopping.wait()


def cmd_serve(args: argparse.Namespace) -> int:
    from runtime.wiring import boot, build_digest_scheduler, build_slack_app

    runtime = boot()
    settings = runtime.settings
    app = build_slack_app(runtime)
    scheduler = None if args.no_scheduler else build_digest_scheduler(runtime)

    def start() -> None:
        # In gunicorn's worker, after the fork: no database connection may cross a fork.
        runtime.store.engine.dispose(close=False)
        if scheduler is not None:
            scheduler.start()
            log.info("digest scheduler running in this process")

    def stop() -> None:
        if scheduler is not None:
            scheduler.shutdown(wait=True)
            log.info("digest scheduler stopped")
        runtime.ctx.pool.shutdown(wait=True)  # answers in flight are delivered before exit
        log.info("answers in flight delivered; stopping")

    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        handler = SocketModeHandler(app, settings.slack_app_token)
        start()
        handler.connect()
        log.info("connected to Slack with Socket Mode; SIGTERM stops it")
        _wait_for_sigterm()
        handler.close()
        stop()
        return 0
    from runtime.server import serve_http
    from runtime.wsgi import make_wsgi

    log.info("serving Slack on :%d/slack/events (health: /healthz)", settings.port)
    serve_http(make_wsgi(app), settings.port, on_start=start, on_exit=stop)
    return 0


def cmd_clock(args: argparse.Namespace) -> int:
    from runtime.wiring import boot, build_digest_scheduler

    scheduler = build_digest_scheduler(boot())
    scheduler.start()
    log.info("digest scheduler running (clock process); SIGTERM stops it")
    _wait_for_sigterm()
    log.info("stopping the digest scheduler")
    scheduler.shutdown(wait=True)
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from blocks.render_text import message_to_text
    from digest.poster import Result
    from mimecast.errors import MimecastError
    from runtime.wiring import boot, digest_targets

    runtime = boot(need_slack=not args.dry_run)
    settings = runtime.settings
    targets = digest_targets(settings, runtime.store)
    if args.channel:
        zone = next((t.tz for t in targets if t.channel == args.channel), settings.digest_timezone)
        channels = [(args.channel, zone)]
    else:
        channels = [(t.channel, t.tz) for t in targets]
    if not channels:
        print(
            "no digest channel: set DIGEST_CHANNEL, subscribe a channel, or pass --channel C...",
            file=sys.stderr,
        )
        return 2
    failed = False
    for channel, zone in channels:
        if args.dry_run:
            try:
                outcome = runtime.poster.preview(channel, tz=zone)
            except MimecastError as exc:
                print(f"{channel}: {exc.user_message} ({exc.code})", file=sys.stderr)
                failed = True
                continue
            assert outcome.message is not None
            print(f"--- {channel} ({outcome.period.key}), not posted ---")
            print(message_to_text(outcome.message))
            continue
        outcome = runtime.poster.run(channel, tz=zone, force=args.force)
        detail = f" ({outcome.detail})" if outcome.detail else ""
        ts = f" ts {outcome.slack_ts}" if outcome.slack_ts else ""
        print(f"{channel} {outcome.period.key}: {outcome.result}{detail}{ts}")
        failed = failed or outcome.result is Result.FAILED
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from runtime.demo import run_demo
    from runtime.startup import load_or_exit

    settings = load_or_exit({}, need_slack=False, need_mimecast=False)
    logging.getLogger().setLevel(logging.WARNING)
    return run_demo(Path(args.out), tz=settings.digest_timezone)


def cmd_simulator(args: argparse.Namespace) -> int:
    from simulator.cli import main as simulator_main

    return simulator_main(args.rest)


def cmd_check(args: argparse.Namespace) -> int:
    from runtime.checks import run_checks
    from runtime.startup import load_or_exit

    settings = load_or_exit(os.environ, need_slack=True, need_mimecast=True)
    return 0 if run_checks(settings) else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="bot.py", description=__doc__)
    sub = root.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the bot (HTTP on PORT, or Socket Mode)")
    serve.add_argument(
        "--no-scheduler", action="store_true", help="do not run the digest scheduler here"
    )
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("clock", help="run only the digest scheduler").set_defaults(func=cmd_clock)
    digest = sub.add_parser("digest", help="compose this period's digest and post it now")
    digest.add_argument("--channel", help="one channel ID (default: every digest channel)")
    digest.add_argument("--dry-run", action="store_true", help="print it instead of posting")
    digest.add_argument(
        "--force", action="store_true", help="post even if this period's digest was posted"
    )
    digest.set_defaults(func=cmd_digest)
    demo = sub.add_parser("demo", help="show the bot's answers against the bundled simulator")
    demo.add_argument("--out", default="demo-output", help="where to write the Block Kit JSON")
    demo.set_defaults(func=cmd_demo)
    sim = sub.add_parser("simulator", help="run the Mimecast simulator alone", add_help=False)
    sim.add_argument("rest", nargs=argparse.REMAINDER)
    sim.set_defaults(func=cmd_simulator)
    check = sub.add_parser("check", help="check the configuration against the real services")
    check.set_defaults(func=cmd_check)
    return root


def main(argv: list[str] | None = None) -> int:
    from runtime.startup import StartupError

    args = parser().parse_args(argv)
    if args.command is None:  # `python bot.py` means serve
        args = parser().parse_args(["serve", *(argv or [])])
    try:
        return int(args.func(args))
    except StartupError as exc:
        print(f"startup error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
