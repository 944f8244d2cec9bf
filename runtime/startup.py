"""Loading settings at start: exit 2 with one line per problem, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

from digest.store import DigestStore
from runtime.settings import Settings, SettingsError, configure_logging, load_settings


class StartupError(Exception):
    """The bot cannot start; the message says what to fix (printed as one line)."""


def environment(env: Mapping[str, str], dotenv_path: Path | None = None) -> dict[str, str]:
    """`.env` fills in what the process environment does not set (the environment wins)."""
    path = dotenv_path or Path.cwd() / ".env"
    merged = (
        {k: v for k, v in dotenv_values(path).items() if v is not None} if path.exists() else {}
    )
    merged.update(env)
    return merged


def load_or_exit(
    env: Mapping[str, str], *, need_slack: bool, need_mimecast: bool, configure: bool = True
) -> Settings:
    try:
        settings = load_settings(
            environment(env), need_slack=need_slack, need_mimecast=need_mimecast
        )
    except SettingsError as exc:
        for problem in exc.problems:
            print(f"config error: {problem}", file=sys.stderr)
        raise SystemExit(2) from None
    if configure:
        configure_logging(settings.log_level, settings.secrets())
    return settings


def open_store(settings: Settings) -> DigestStore:
    """The digest store with its schema; exit 2 with one line when the database is unreachable."""
    try:
        return DigestStore.from_url(settings.database_url)
    except Exception as exc:
        print(
            f"database error: cannot open DATABASE_URL ({type(exc).__name__}); "
            "check the URL and that the server is running",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
