"""The WSGI application: Slack on POST /slack/events, a health check on GET /healthz."""

from __future__ import annotations

import os
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
    from runtime.startup import load_or_exit, open_store
    from runtime.wiring import build_runtime, build_slack_app

    settings = load_or_exit(os.environ, need_slack=True, need_mimecast=True)
    runtime = build_runtime(settings, store=open_store(settings))
    return make_wsgi(build_slack_app(runtime))
