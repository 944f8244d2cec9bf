"""Serving HTTP under gunicorn (one worker, threads for bursts), or Socket Mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from runtime.wsgi import WSGIApp

HTTP_THREADS = 16


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """One worker so every request shares one cache and one rate-limit view; threads for bursts."""

    def __init__(self, wsgi: WSGIApp, options: dict[str, Any]) -> None:
        self._wsgi = wsgi
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self._wsgi


def serve_http(
    wsgi: WSGIApp,
    port: int,
    *,
    host: str = "0.0.0.0",  # noqa: S104 - a server must listen beyond loopback
    on_start: Callable[[], None] | None = None,
    on_exit: Callable[[], None] | None = None,
) -> None:
    """Run until SIGTERM/SIGINT. `on_start` runs in the worker once it is forked (threads such
    as the scheduler's must start there); `on_exit` as it stops (finish answers in flight)."""

    def post_worker_init(worker: Any) -> None:
        if on_start is not None:
            on_start()

    def worker_exit(server: Any, worker: Any) -> None:
        if on_exit is not None:
            on_exit()

    _Gunicorn(
        wsgi,
        {
            "bind": f"{host}:{port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": HTTP_THREADS,
            "timeout": 30,
            "graceful_timeout": 20,
            "accesslog": None,
            "loglevel": "warning",
            "post_worker_init": post_worker_init,
            "worker_exit": worker_exit,
        },
    ).run()
