"""Every Mimecast failure through every entry point, end to end (issue: fault matrix).

For each: the user gets the expected message, the log has a line with the error code, no
traceback, no secret, and the next good request works.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from mimecast.models import parse_campaign
from simulator.server import DEMO_KEYS, Fault
from simulator.tenant import sample_tenant
from tests.e2e_support import ROOT, SIGNING_SECRET, all_text, bot_env, running_bot
from tests.harness.processes import free_port, run
from tests.harness.slack_mock import SlackMock

pytestmark = pytest.mark.e2e

UNREACHABLE = "unreachable or too slow"
# (fault, what the user reads, the code in the log line)
FAULTS = [
    (Fault("http_401"), "err_xdk_invalid_signature", "err_xdk_invalid_signature"),
    (Fault("developer_key", times=2), "err_developer_key", "err_developer_key"),
    (Fault("http_403"), "Dashboard | Read", "err_forbidden"),
    (Fault("http_418"), "keys have expired", "err_xdk_binding_expired"),
    (Fault("http_429", reset_ms=2500), "rate limit was reached", "err_rate_limit_exceeded"),
    (Fault("http_500", times=-1), UNREACHABLE, "err_internal_server_error"),
    (Fault("http_502", times=-1), UNREACHABLE, "err_bad_gateway"),
    (Fault("http_503", times=-1), UNREACHABLE, "err_service_unavailable"),
    (Fault("html", times=-1), UNREACHABLE, "http_502"),
    (Fault("html_200", times=-1), UNREACHABLE, "malformed_response"),
    (Fault("malformed_json", times=-1), UNREACHABLE, "malformed_response"),
    (Fault("wrong_types"), UNREACHABLE, "malformed_response"),
    (Fault("close", times=-1), UNREACHABLE, "connection_error"),
    (Fault("hang"), UNREACHABLE, "timeout"),
]
IDS = [f.kind for f, _, _ in FAULTS]
SECRETS = (
    SIGNING_SECRET,
    "xoxb-test-token",
    DEMO_KEYS.secret_key,
    DEMO_KEYS.app_key,
    DEMO_KEYS.access_key,
)


def hipaa_id() -> str:
    tenant = [parse_campaign(raw) for raw in sample_tenant(datetime.now(UTC))]
    return next(c.id for c in tenant if c.name.startswith("HIPAA"))


ENTRY_POINTS = {
    "list": lambda bot: bot.ask(""),
    "status": lambda bot: bot.ask("hipaa"),
    "click": lambda bot: bot.answer(bot.click("campaign_details:0", hipaa_id())[0]),
    "digest": lambda bot: bot.ask("digest"),
}


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    with running_bot(tmp_path_factory.mktemp("faults"), DIGEST_CHANNEL="C0DIGEST") as running:
        yield running
        output = running.process.output()
        assert "Traceback" not in output
        for secret in SECRETS:
            assert secret not in output


def wait_for_rate_limit_window(fault: Fault) -> None:
    """A rate-limit window is time, not an event: let it pass so the next request may go."""
    if fault.kind == "http_429":
        time.sleep(fault.reset_ms / 1000 + 0.2)


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize(("fault", "says", "code"), FAULTS, ids=IDS)
def test_mimecast_fault_through_entry_point(bot, entry, fault, says, code):
    bot.simulator.clear_faults()
    bot.simulator.push_fault(fault)
    log_before = len(bot.process.output())
    answer = ENTRY_POINTS[entry](bot)
    text = all_text(answer)
    assert says in text, text[:500]
    assert "⚠️" in answer["text"]
    assert "Traceback" not in text
    for secret in SECRETS:
        assert secret not in text
    assert f"code={code}" in bot.process.output()[log_before:]

    bot.simulator.clear_faults()
    wait_for_rate_limit_window(fault)
    recovered = ENTRY_POINTS[entry](bot)
    assert "⚠️" not in recovered["text"], recovered["text"]


@pytest.mark.parametrize(("fault", "says", "code"), FAULTS, ids=IDS)
def test_mimecast_fault_through_the_digest_command(fault, says, code, tmp_path):
    from simulator.server import MimecastSimulator

    with SlackMock() as slack, MimecastSimulator() as simulator:
        env = bot_env(slack, simulator, free_port(), DATABASE_URL=f"sqlite:///{tmp_path}/d.db")
        env["DIGEST_CHANNEL"] = "C0DIGEST"
        simulator.push_fault(fault)
        failed = run(["bot.py", "digest"], env=env, cwd=ROOT)
        assert failed.returncode == 1
        assert "failed" in failed.stdout and f"code={code}" in failed.stderr
        assert "Traceback" not in failed.stderr + failed.stdout
        assert slack.api_calls("chat.postMessage") == []
        simulator.clear_faults()
        wait_for_rate_limit_window(fault)
        posted = run(["bot.py", "digest"], env=env, cwd=ROOT)
        assert posted.returncode == 0 and ": posted ts" in posted.stdout, posted.stderr
        for secret in SECRETS:
            assert secret not in failed.stderr + posted.stderr


def test_mimecast_refusing_connections(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with running_bot(tmp_path, MIMECAST_BASE_URL=closed) as bot:
        for entry in ENTRY_POINTS.values():
            assert UNREACHABLE in all_text(entry(bot))
        assert "code=connection_error" in bot.process.output()
        assert "Traceback" not in bot.process.output()


def test_stale_list_is_shown_beside_the_error(bot):
    bot.simulator.clear_faults()
    bot.ask("")  # a good list is cached
    bot.simulator.push_fault(Fault("http_503", times=-1))
    answer = bot.ask("")
    text = all_text(answer)
    assert UNREACHABLE in text and "last list from" in text
    assert "Phishing Basics" in text
    bot.simulator.clear_faults()


# -- Slack failing on the bot's own calls ----------------------------------------------------


def test_expired_response_url_is_logged_and_the_next_answer_works(bot):
    bot.simulator.clear_faults()
    bot.slack.fail_response_url(None, status=404, times=1)  # the next answer's URL has expired
    _, status, _ = bot.command("help")
    assert status == 200
    bot.slack.wait_until(lambda m: any(r.status == 404 for r in m.rejected_responses), 10, "404")
    deadline = time.monotonic() + 10
    while "Slack refused the answer" not in bot.process.output() and time.monotonic() < deadline:
        time.sleep(0.05)  # the log line is written right after the refused post
    assert "Slack refused the answer to /campaigns: HTTP 404" in bot.process.output()
    assert "Awareness Training campaigns" in all_text(bot.ask(""))


def test_usergroup_lookup_failing_gives_no_data_and_says_why(tmp_path):
    with running_bot(tmp_path, ALLOWED_USERS="S0TEAM") as bot:
        bot.slack.fail_next("usergroups.users.list", error="invalid_auth")
        unknown = all_text(bot.ask("", user_id="U0MEMBER"))
        assert "Awareness Training campaigns" not in unknown
        assert "could not check with Slack" in unknown
        assert "usergroups.users.list failed for S0TEAM: invalid_auth" in bot.process.output()
        bot.slack.usergroups = {"S0TEAM": ["U0MEMBER"]}
        assert "Awareness Training campaigns" in all_text(bot.ask("", user_id="U0MEMBER"))
