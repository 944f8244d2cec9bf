"""Settings, read once from the environment (and `.env`) into a typed object.

Every problem is collected, so a misconfigured deploy learns all of them in one run.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.model import Thresholds
from mimecast.auth import ClientCredentials
from mimecast.signing import SigningKeys

DEFAULT_DATABASE_URL = "sqlite:///data/bot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
KNOWN_MIMECAST_HOSTS = frozenset(
    {
        "eu-api.mimecast.com",
        "de-api.mimecast.com",
        "us-api.mimecast.com",
        "usb-api.mimecast.com",
        "ca-api.mimecast.com",
        "za-api.mimecast.com",
        "au-api.mimecast.com",
        "je-api.mimecast.com",
        "api.services.mimecast.com",
        "uk-api.services.mimecast.com",
        "us-api.services.mimecast.com",
    }
)

_USER_OR_GROUP = re.compile(r"^[UWS][A-Z0-9]{2,}$")
_CHANNEL = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class SettingsError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = 3000
    mimecast_base_url: str | None = None
    mimecast_keys: SigningKeys | None = None
    mimecast_client: ClientCredentials | None = None
    digest_channel: str | None = None
    digest_schedule: str = "0 9 * * mon"
    digest_timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    database_url: str = DEFAULT_DATABASE_URL
    allowed_users: frozenset[str] = frozenset()
    cache_ttl_seconds: int = 60
    mimecast_timeout_seconds: float = 10.0
    digest_thresholds: Thresholds = field(default_factory=Thresholds)
    log_level: str = "INFO"

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def mimecast_host_known(self) -> bool:
        host = urlparse(self.mimecast_base_url or "").hostname or ""
        return host in KNOWN_MIMECAST_HOSTS

    def secrets(self) -> list[str]:
        """Every secret value, for the log redaction filter."""
        values = [self.slack_bot_token, self.slack_signing_secret, self.slack_app_token]
        if self.mimecast_keys:
            keys = self.mimecast_keys
            values += [keys.app_key, keys.access_key, keys.secret_key]
        if self.mimecast_client:
            values.append(self.mimecast_client.client_secret)
        return [v for v in values if v]


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _valid_url(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


def normalize_database_url(url: str) -> str:
    """Heroku hands out `postgres://`, which SQLAlchemy 2 no longer accepts; a URL without a
    driver gets psycopg 3, the one this project installs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(
    env: Mapping[str, str], *, need_slack: bool = True, need_mimecast: bool = True
) -> Settings:
    """Build Settings from `env`; raise SettingsError with one line per problem."""
    problems: list[str] = []
    values: dict[str, object] = {}

    bot_token = _get(env, "SLACK_BOT_TOKEN")
    signing_secret = _get(env, "SLACK_SIGNING_SECRET")
    app_token = _get(env, "SLACK_APP_TOKEN")
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
    if need_slack:
        if not bot_token:
            problems.append(
                "SLACK_BOT_TOKEN is required (OAuth & Permissions > Bot User OAuth Token)"
            )
        if not signing_secret and not app_token:
            problems.append(
                "SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information > Signing Secret)"
            )
    values.update(
        slack_bot_token=bot_token, slack_signing_secret=signing_secret, slack_app_token=app_token
    )

    api_url = _get(env, "SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if not _valid_url(api_url):
        problems.append("SLACK_API_URL must be an http(s) URL, e.g. https://slack.com/api/")
    values["slack_api_url"] = api_url if api_url.endswith("/") else api_url + "/"

    port = _get(env, "PORT") or "3000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        problems.append(f"PORT must be a number from 1 to 65535 (got {port!r})")
    else:
        values["port"] = int(port)

    _load_mimecast(env, need_mimecast, problems, values)
    _load_digest(env, problems, values)

    database_url = _get(env, "DATABASE_URL") or DEFAULT_DATABASE_URL
    if "://" not in database_url:
        problems.append("DATABASE_URL must be a SQLAlchemy URL, e.g. postgresql://user@host/db")
    values["database_url"] = normalize_database_url(database_url)

    allowed = [a.strip() for a in (_get(env, "ALLOWED_USERS") or "").split(",") if a.strip()]
    bad = [a for a in allowed if not _USER_OR_GROUP.match(a)]
    if bad:
        problems.append(
            "ALLOWED_USERS must list Slack user IDs (U...) or user group IDs (S...), "
            f"comma-separated; not understood: {', '.join(bad)[:200]}"
        )
    values["allowed_users"] = frozenset(allowed)

    ttl = _get(env, "CACHE_TTL_SECONDS") or "60"
    if not ttl.isdigit():
        problems.append(f"CACHE_TTL_SECONDS must be a whole number of seconds (got {ttl!r})")
    else:
        values["cache_ttl_seconds"] = int(ttl)

    timeout = _get(env, "MIMECAST_TIMEOUT_SECONDS") or "10"
    try:
        values["mimecast_timeout_seconds"] = float(timeout)
        if not 0.1 <= float(timeout) <= 120:
            raise ValueError
    except ValueError:
        problems.append(f"MIMECAST_TIMEOUT_SECONDS must be 0.1 to 120 seconds (got {timeout!r})")

    level = (_get(env, "LOG_LEVEL") or "INFO").upper()
    if level not in _LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)} (got {level!r})")
    values["log_level"] = level

    if problems:
        raise SettingsError(problems)
    return Settings(**values)  # type: ignore[arg-type]


def _load_mimecast(
    env: Mapping[str, str], required: bool, problems: list[str], values: dict[str, object]
) -> None:
    base_url = _get(env, "MIMECAST_BASE_URL")
    if base_url and not _valid_url(base_url):
        problems.append("MIMECAST_BASE_URL must be an https URL, e.g. https://eu-api.mimecast.com")
    elif required and not base_url:
        problems.append("MIMECAST_BASE_URL is required, e.g. https://eu-api.mimecast.com")
    values["mimecast_base_url"] = base_url.rstrip("/") if base_url else None

    client_id, client_secret = _get(env, "MIMECAST_CLIENT_ID"), _get(env, "MIMECAST_CLIENT_SECRET")
    names = ("MIMECAST_APP_ID", "MIMECAST_APP_KEY", "MIMECAST_ACCESS_KEY", "MIMECAST_SECRET_KEY")
    v1 = {name: _get(env, name) for name in names}

    if client_id or client_secret:
        if not (client_id and client_secret):
            problems.append("MIMECAST_CLIENT_ID and MIMECAST_CLIENT_SECRET must be set together")
        else:
            values["mimecast_client"] = ClientCredentials(client_id, client_secret)
        return
    missing = [name for name, value in v1.items() if not value]
    if missing and (required or len(missing) < len(names)):
        problems.append(
            f"{', '.join(missing)} missing: set all four API 1.0 keys, "
            "or MIMECAST_CLIENT_ID and MIMECAST_CLIENT_SECRET for API 2.0"
        )
        return
    if missing:
        return
    secret = v1["MIMECAST_SECRET_KEY"] or ""
    try:
        base64.b64decode(secret, validate=True)
    except (binascii.Error, ValueError):
        problems.append("MIMECAST_SECRET_KEY is not valid base64: copy it again from Mimecast")
        return
    values["mimecast_keys"] = SigningKeys(
        app_id=v1["MIMECAST_APP_ID"] or "",
        app_key=v1["MIMECAST_APP_KEY"] or "",
        access_key=v1["MIMECAST_ACCESS_KEY"] or "",
        secret_key=secret,
    )


def _load_digest(env: Mapping[str, str], problems: list[str], values: dict[str, object]) -> None:
    channel = _get(env, "DIGEST_CHANNEL")
    if channel and not _CHANNEL.match(channel):
        problems.append(f"DIGEST_CHANNEL must be a channel ID like C0123ABCD (got {channel!r})")
    values["digest_channel"] = channel

    zone_name = _get(env, "DIGEST_TIMEZONE") or "UTC"
    try:
        zone = ZoneInfo(zone_name)
        values["digest_timezone"] = zone
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"DIGEST_TIMEZONE must be an IANA zone like Europe/Paris (got {zone_name!r})"
        )
        zone = ZoneInfo("UTC")

    schedule = _get(env, "DIGEST_SCHEDULE") or "0 9 * * mon"
    if len(schedule.split()) != 5:
        problems.append(f"DIGEST_SCHEDULE must be a 5-field cron expression (got {schedule!r})")
    else:
        from digest.cron import crontab_trigger

        try:
            crontab_trigger(schedule, zone)
        except ValueError as exc:
            problems.append(f"DIGEST_SCHEDULE is not a valid cron expression: {exc}")
    values["digest_schedule"] = schedule

    numbers = {}
    for name, default, low, high in (
        ("DIGEST_BEHIND_AFTER_DAYS", 14, 0, 3650),
        ("DIGEST_BEHIND_BELOW_PERCENT", 50, 0, 100),
        ("DIGEST_UPCOMING_DAYS", 7, 0, 365),
    ):
        text = _get(env, name) or str(default)
        if not text.isdigit() or not low <= int(text) <= high:
            problems.append(f"{name} must be a whole number from {low} to {high} (got {text!r})")
            numbers[name] = default
        else:
            numbers[name] = int(text)
    values["digest_thresholds"] = Thresholds(
        behind_after_days=numbers["DIGEST_BEHIND_AFTER_DAYS"],
        behind_below_percent=numbers["DIGEST_BEHIND_BELOW_PERCENT"],
        upcoming_days=numbers["DIGEST_UPCOMING_DAYS"],
    )


def configure_logging(level: str, secrets: list[str]) -> None:
    """Plain one-line logs on stderr, every handler passed through the secret filter."""
    from runtime.redaction import SecretRedactingFilter

    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        force=True,
    )
    redactor = SecretRedactingFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
