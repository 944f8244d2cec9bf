"""The Mimecast campaigns bot for Slack: the command line (serve, demo, simulator, check, ...)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("bot")


def cmd_serve(args: argparse.Namespace) -> int:
    from runtime.startup import load_or_exit
    from runtime.wiring import build_context, build_slack_app

    settings = load_or_exit(os.environ, need_slack=True, need_mimecast=True)
    ctx = build_context(settings)
    app = build_slack_app(settings, ctx)
    if not args.no_scheduler:
        log.info("digest scheduler: not part of this version yet (see `python bot.py clock`)")
    if settings.socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("connecting to Slack with Socket Mode")
        SocketModeHandler(app, settings.slack_app_token).start()
        return 0
    from runtime.server import serve_http
    from runtime.wsgi import make_wsgi

    log.info("serving Slack on :%d/slack/events (health: /healthz)", settings.port)
    serve_http(make_wsgi(app), settings.port, on_exit=lambda: ctx.pool.shutdown(wait=True))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from runtime.demo import run_demo
    from runtime.startup import load_or_exit

    settings = load_or_exit({}, need_slack=False, need_mimecast=False)
    logging.getLogger().setLevel(logging.WARNING)
    return run_demo(Path(args.out), tz=settings.digest_timezone)


def cmd_simulator(args: argparse.Namespace) -> int:
    from simulator.__main__ import main as simulator_main

    return simulator_main(args.rest)


def cmd_check(args: argparse.Namespace) -> int:
    from runtime.checks import run_checks
    from runtime.startup import load_or_exit

    settings = load_or_exit(os.environ, need_slack=True, need_mimecast=True)
    return 0 if run_checks(settings) else 1


def cmd_not_yet(args: argparse.Namespace) -> int:
    print(
        f"`{args.command}` is not available yet: the weekly digest (its scheduler and posting) "
        "is the next feature to land. Nothing was posted.",
        file=sys.stderr,
    )
    return 3


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="bot.py", description=__doc__)
    sub = root.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the bot (HTTP on PORT, or Socket Mode)")
    serve.add_argument(
        "--no-scheduler", action="store_true", help="do not run the digest scheduler"
    )
    serve.set_defaults(func=cmd_serve)
    demo = sub.add_parser("demo", help="show the bot's answers against the bundled simulator")
    demo.add_argument("--out", default="demo-output", help="where to write the Block Kit JSON")
    demo.set_defaults(func=cmd_demo)
    sim = sub.add_parser("simulator", help="run the Mimecast simulator alone", add_help=False)
    sim.add_argument("rest", nargs=argparse.REMAINDER)
    sim.set_defaults(func=cmd_simulator)
    sub.add_parser(
        "check", help="check configuration against Slack, Mimecast, the database"
    ).set_defaults(func=cmd_check)
    sub.add_parser("clock", help="run only the digest scheduler").set_defaults(func=cmd_not_yet)
    digest = sub.add_parser("digest", help="compose and post this period's digest")
    digest.add_argument("--channel")
    digest.add_argument("--dry-run", action="store_true")
    digest.add_argument("--force", action="store_true")
    digest.set_defaults(func=cmd_not_yet)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:  # `python bot.py` means serve
        args = parser().parse_args(["serve", *(argv or [])])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
