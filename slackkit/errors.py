"""Slack Web API errors: their code, whether Slack answered at all, and the fix a person makes."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

# Errors a person must fix in Slack; retrying before they do would only fail again.
FIXES = {
    "channel_not_found": "the channel does not exist or the bot cannot see it: check the "
    "channel ID (C...) or invite the bot to the private channel",
    "not_in_channel": "the bot is not in the channel: /invite the bot there",
    "is_archived": "the channel is archived: unarchive it or choose another channel",
    "invalid_auth": "the Slack token is invalid: check SLACK_BOT_TOKEN",
    "account_inactive": "the Slack token was revoked: reinstall the app, update SLACK_BOT_TOKEN",
    "token_revoked": "the Slack token was revoked: reinstall the app, update SLACK_BOT_TOKEN",
    "missing_scope": "the app lacks a scope: add it from manifest.yml and reinstall the app",
}


def error_code(exc: SlackApiError) -> str:
    """`channel_not_found`, `ratelimited`, ...; `unknown` when the answer carried none."""
    response = exc.response
    if response is None:
        return "unknown"
    try:
        return str(response.get("error") or "unknown")
    except Exception:  # a non-JSON body (an HTML error page from a proxy)
        return "unknown"


def answered(exc: SlackApiError) -> bool:
    """Whether Slack itself answered with ok=false (HTTP 200): the call certainly did nothing.

    A 5xx or a proxy's page leaves it unknown whether a message was posted.
    """
    response = exc.response
    return response is not None and response.status_code == 200


def fix_for(code: str) -> str | None:
    return FIXES.get(code)
