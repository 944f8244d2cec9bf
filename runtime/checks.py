"""`bot.py check`: the configuration against the real services, one line per check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from digest.store import DigestStore
from mimecast.errors import MimecastError
from runtime.settings import Settings
from runtime.wiring import build_mimecast_client, build_web_client
from slackkit.errors import error_code, fix_for

NEEDED_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "channels:history",
    "groups:history",
)


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    warning: bool = False

    def line(self) -> str:
        mark = "ok  " if self.ok and not self.warning else ("warn" if self.ok else "FAIL")
        return f"[{mark}] {self.name}: {self.detail}"


def check_slack(settings: Settings) -> CheckResult:
    client = build_web_client(settings)
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        return CheckResult(
            "slack token",
            False,
            f"auth.test failed ({error_code(exc)}): put the Bot User OAuth Token (xoxb-) "
            "in SLACK_BOT_TOKEN",
        )
    except Exception as exc:  # connection errors of any kind
        return CheckResult(
            "slack token", False, f"Slack unreachable ({type(exc).__name__}): check SLACK_API_URL"
        )
    granted = {
        s.strip() for s in (response.headers.get("x-oauth-scopes") or "").split(",") if s.strip()
    }
    needed = list(NEEDED_SCOPES)
    if any(a.startswith("S") for a in settings.allowed_users):
        needed.append("usergroups:read")
    missing = [s for s in needed if s not in granted]
    team, user = response.get("team"), response.get("user")
    if missing:
        return CheckResult(
            "slack token",
            False,
            f"valid for {user} in {team}, but scopes missing: {', '.join(missing)}; "
            "add them from the manifest and reinstall the app",
        )
    return CheckResult("slack token", True, f"valid for {user} in {team}; scopes ok")


def check_mimecast(settings: Settings) -> CheckResult:
    try:
        batch = build_mimecast_client(settings).get_campaigns()
    except MimecastError as exc:
        return CheckResult("mimecast", False, f"{exc.user_message} ({exc.code})")
    mode = "API 2.0" if settings.mimecast_client else "API 1.0"
    return CheckResult(
        "mimecast",
        True,
        f"{mode} keys accepted, Dashboard Read ok: {len(batch.campaigns)} campaigns",
    )


def check_region(settings: Settings) -> CheckResult:
    if settings.mimecast_host_known:
        return CheckResult("mimecast region", True, f"{settings.mimecast_base_url} is a known host")
    return CheckResult(
        "mimecast region",
        True,
        f"{settings.mimecast_base_url} is not a known Mimecast API host "
        "(e.g. https://eu-api.mimecast.com); fine for a proxy or the simulator",
        warning=True,
    )


def check_database(settings: Settings) -> CheckResult:
    """Connect and create the schema, as the bot does at start."""
    try:
        store = DigestStore.from_url(settings.database_url)
        backend = store.engine.dialect.name
        store.engine.dispose()
    except Exception as exc:
        return CheckResult(
            "database", False, f"cannot connect ({type(exc).__name__}): check DATABASE_URL"
        )
    return CheckResult("database", True, f"{backend} reachable, schema ready")


def check_digest_channel(settings: Settings) -> CheckResult:
    """The bot must be able to post to the channel and read its history (exactly-once check)."""
    if not settings.digest_channel:
        return CheckResult(
            "digest channel", True, "DIGEST_CHANNEL not set (subscriptions still work)"
        )
    try:
        build_web_client(settings).conversations_history(channel=settings.digest_channel, limit=1)
    except SlackApiError as exc:
        code = error_code(exc)
        return CheckResult(
            "digest channel", False, f"{code}: {fix_for(code) or 'see the Slack error'}"
        )
    except Exception as exc:
        return CheckResult("digest channel", False, f"Slack unreachable ({type(exc).__name__})")
    return CheckResult("digest channel", True, f"{settings.digest_channel} readable")


def run_checks(settings: Settings, emit: Callable[[str], None] = print) -> bool:
    results = [check_slack(settings), check_mimecast(settings), check_region(settings)]
    results += [check_database(settings), check_digest_channel(settings)]
    for result in results:
        emit(result.line())
    return all(r.ok for r in results)
