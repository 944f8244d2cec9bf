"""The WSGI application: Slack on POST /slack/events, a health check on GET /healthz."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

SLACK_PATH = "/slack/events"
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def make_wsgi(app: App) -> WSGIApp:
    slack = SlackRequestHandler(app, path=SLACK_PATH)

    def wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        if path == SLACK_PATH and method == "POST":
            return slack(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return wsgi


def create_app() -> WSGIApp:
    """gunicorn factory (`runtime.wsgi:create_app()`): settings from the environment and .env."""
    from runtime.startup import StartupError
    from runtime.wiring import boot, build_slack_app

    # gunicorn respawns a worker that exits with 2, forever; 3 (a boot error) stops it.
    try:
        return make_wsgi(build_slack_app(boot()))
    except StartupError as exc:
        print(f"startup error: {exc}", file=sys.stderr)
        raise SystemExit(3) from None
    except SystemExit as exc:
        raise SystemExit(3 if exc.code else 0) from None
