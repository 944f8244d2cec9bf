from zoneinfo import ZoneInfo

import pytest

from runtime.settings import SettingsError, load_settings

BASE = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-3",
    "SLACK_SIGNING_SECRET": "secret",
    "MIMECAST_BASE_URL": "https://eu-api.mimecast.com",
    "MIMECAST_APP_ID": "app",
    "MIMECAST_APP_KEY": "key",
    "MIMECAST_ACCESS_KEY": "access",
    "MIMECAST_SECRET_KEY": "U2VjcmV0S2V5",
}


def problems(env, **kwargs):
    with pytest.raises(SettingsError) as caught:
        load_settings(env, **kwargs)
    return caught.value.problems


def test_defaults():
    settings = load_settings(BASE)
    assert settings.port == 3000 and settings.cache_ttl_seconds == 60
    assert settings.digest_schedule == "0 9 * * mon" and settings.digest_timezone == ZoneInfo("UTC")
    assert settings.database_url == "sqlite:///data/bot.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.allowed_users == frozenset() and not settings.socket_mode
    assert settings.mimecast_keys is not None and settings.mimecast_client is None
    assert settings.mimecast_host_known
    assert settings.digest_thresholds.behind_after_days == 14


def test_api_2_0_wins_over_1_0_keys():
    settings = load_settings({**BASE, "MIMECAST_CLIENT_ID": "id", "MIMECAST_CLIENT_SECRET": "s"})
    assert settings.mimecast_client is not None and settings.mimecast_keys is None


def test_only_one_oauth_half_is_a_problem():
    assert any("together" in p for p in problems({**BASE, "MIMECAST_CLIENT_ID": "id"}))


def test_socket_mode_needs_no_signing_secret():
    env = {k: v for k, v in BASE.items() if k != "SLACK_SIGNING_SECRET"}
    assert problems(env)  # HTTP mode needs it
    settings = load_settings({**env, "SLACK_APP_TOKEN": "xapp-1-2"})
    assert settings.socket_mode


def test_every_problem_is_listed_once_per_variable():
    found = problems(
        {
            "PORT": "0",
            "DIGEST_CHANNEL": "general",
            "LOG_LEVEL": "LOUD",
            "DIGEST_BEHIND_BELOW_PERCENT": "150",
            "SLACK_API_URL": "ftp://x",
            "MIMECAST_APP_ID": "only-one-key",
        }
    )
    text = "\n".join(found)
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "MIMECAST_BASE_URL",
        "PORT",
        "DIGEST_CHANNEL",
        "LOG_LEVEL",
        "DIGEST_BEHIND_BELOW_PERCENT",
        "SLACK_API_URL",
        "MIMECAST_SECRET_KEY",
    ):
        assert name in text, name


def test_demo_needs_nothing():
    settings = load_settings({}, need_slack=False, need_mimecast=False)
    assert settings.slack_bot_token is None and settings.mimecast_base_url is None


def test_allowed_users_and_groups_are_read():
    settings = load_settings({**BASE, "ALLOWED_USERS": " U01, S02 ,W03 "})
    assert settings.allowed_users == {"U01", "S02", "W03"}


def test_secrets_list_for_redaction_and_repr_hides_them():
    settings = load_settings({**BASE, "SLACK_APP_TOKEN": "xapp-9"})
    assert {"xoxb-1-2-3", "secret", "U2VjcmV0S2V5", "key", "access", "xapp-9"} <= set(
        settings.secrets()
    )
    text = repr(settings)
    assert "xoxb-1-2-3" not in text and "U2VjcmV0S2V5" not in text
