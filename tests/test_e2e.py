"""End to end: the real bot process over HTTP, Slack's requests signed as Slack signs them,
a local Slack Web API / response_url mock, and the Mimecast simulator behind."""

from __future__ import annotations

import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from simulator.server import Fault
from simulator.tenant import sample_tenant
from tests.e2e_support import SIGNING_SECRET, all_text, button, running_bot
from tests.harness.slack_requests import post, sign, slash_command_body

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    # A zone far from UTC: dates must convert everywhere (and at the edges of time).
    with running_bot(
        tmp_path_factory.mktemp("bot"), DIGEST_TIMEZONE="Pacific/Kiritimati"
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(bot):
    bot.simulator.clear_faults()
    bot.simulator.set_delay(0)
    bot.simulator.set_campaigns(sample_tenant_now())
    yield


def sample_tenant_now():
    from datetime import UTC, datetime

    return sample_tenant(datetime.now(UTC))


def test_healthz(bot):
    with urllib.request.urlopen(bot.url.replace("/slack/events", "/healthz"), timeout=5) as r:
        assert r.status == 200


def test_list_is_ephemeral_block_kit_with_share_and_paging(bot):
    calls_before = bot.simulator.calls
    key, status, body = bot.command("")
    assert status == 200 and body == ""
    answer = bot.answer(key)
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("12 Awareness Training campaigns")
    text = all_text(answer)
    assert "Phishing Basics – Spring Wave" in text
    assert "Page 1 of 2" in text
    button(answer, "share_to_channel")
    assert bot.simulator.calls == calls_before + 1
    request = bot.simulator.requests[-1]
    assert request.headers["authorization"].startswith("MC sim-demo-access-key-0001:")


def test_single_campaign_by_partial_name(bot):
    answer = bot.ask("hipaa")
    assert answer["blocks"][0]["type"] == "header"
    assert answer["blocks"][0]["text"]["text"] == "HIPAA 101 Annual Refresher"
    text = all_text(answer)
    assert "Group" in text and "Sent" in text and "Locked" in text


def test_accents_and_case_forgiven(bot):
    answer = bot.ask("UBERWEISUNGSBETRUG")
    assert answer["blocks"][0]["text"]["text"] == "Überweisungsbetrug – CEO-Fraud"


def test_several_matches_give_a_pick_list_with_buttons(bot):
    answer = bot.ask("phishing basics")
    text = all_text(answer)
    assert "2 campaigns match" in text
    assert "Spring Wave" in text and "New Hires" in text
    details = [
        b
        for b in answer["blocks"]
        if b.get("accessory", {}).get("action_id", "").startswith("campaign_details")
    ]
    assert len(details) == 2
    assert all(len(b["accessory"]["value"]) > 100 for b in details)  # opaque ids ride in buttons


def test_no_match_suggests_closest(bot):
    answer = bot.ask("pasword hygene")
    text = all_text(answer)
    assert "No campaign matches" in text
    assert "Password Hygiene Kickoff" in text


def test_help(bot):
    answer = bot.ask("help")
    assert "/campaigns pending" in all_text(answer)


def test_pending_filter(bot):
    answer = bot.ask("pending")
    text = all_text(answer)
    assert "Mobile Device Security" in text
    assert "Clean Desk Policy" not in text


def test_details_back_next_and_share_buttons(bot):
    listing = bot.ask("")
    details = button(listing, "campaign_details")
    key, status = bot.click(details["action_id"], details["value"])
    assert status == 200
    detail = bot.answer(key)
    assert detail["replace_original"] is True
    assert detail["blocks"][0]["type"] == "header"
    name = detail["blocks"][0]["text"]["text"]

    back = button(detail, "campaigns_back")
    key, _ = bot.click(back["action_id"], back["value"])
    again = bot.answer(key)
    assert "Page 1 of 2" in all_text(again)

    nxt = button(again, "campaigns_page")
    key, _ = bot.click(nxt["action_id"], nxt["value"])
    page2 = bot.answer(key)
    assert "Page 2 of 2" in all_text(page2)

    share = button(detail, "share_to_channel")
    key, _ = bot.click(share["action_id"], share["value"], user_id="U0SHARER")
    shared = bot.answer(key)
    assert shared["response_type"] == "in_channel"
    assert shared["blocks"][0]["text"]["text"] == name
    assert "U0SHARER" in all_text(shared)
    assert not any(
        b.get("action_id") == "share_to_channel"
        for block in shared["blocks"]
        for b in block.get("elements", [])
    )


def test_forged_button_value_gets_a_clear_answer(bot):
    key, status = bot.click("campaigns_page:next", '{"f":"nope","p":-1}')
    assert status == 200
    assert "out of date" in all_text(bot.answer(key))


def test_mention_injection_is_escaped(bot):
    hostile = "Q4 <!channel> refresher <@U0BOSS> <https://evil.example|click> & more"
    bot.simulator.set_campaigns(
        [{"id": "x" * 160, "name": hostile, "numSent": 5, "numCompleted": 1}]
    )
    for answer in (bot.ask(""), bot.ask("refresher")):
        text = all_text(answer)
        assert "<!channel>" not in text and "<@U0BOSS>" not in text and "<https://" not in text
        assert "&lt;!channel&gt;" in text
        assert "<!channel>" not in answer["text"]


def test_forged_signature_is_rejected_and_reaches_nothing(bot):
    calls = bot.simulator.calls
    body = slash_command_body("", response_url=bot.slack.response_url("forged"))
    status, _, _ = post(bot.url, body, sign(body, "not-the-secret"))
    assert status == 401
    old = sign(body, SIGNING_SECRET, timestamp=int(time.time()) - 600)
    status, _, _ = post(bot.url, body, old)
    assert status == 401
    # A later, valid request is answered; the forged ones never were, nor reached Mimecast.
    bot.ask("help")
    assert bot.slack.responses_for("forged") == []
    assert bot.simulator.calls == calls


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault("http_401"), "err_xdk_invalid_signature"),
        (Fault("developer_key", times=2), "err_developer_key"),
        (Fault("http_403"), "Dashboard | Read"),
        (Fault("http_418"), "expired"),
        (Fault("http_500", times=-1), "unreachable or too slow"),
        (Fault("html_200", times=-1), "unreachable or too slow"),
        (Fault("malformed_json", times=-1), "unreachable or too slow"),
        (Fault("wrong_types"), "unreachable or too slow"),
        (Fault("hang"), "unreachable or too slow"),
    ],
)
def test_mimecast_failures_become_clear_answers_and_the_next_request_works(bot, fault, expected):
    bot.simulator.push_fault(fault)
    answer = bot.ask("")
    text = all_text(answer)
    assert expected in text
    assert "Traceback" not in text
    bot.simulator.clear_faults()
    assert "Awareness Training campaigns" in all_text(bot.ask(""))


def test_short_rate_limit_is_waited_out(bot):
    bot.simulator.push_fault(Fault("http_429", reset_ms=300))
    answer = bot.ask("")
    assert "Awareness Training campaigns" in all_text(answer)


def test_concurrent_commands_share_one_mimecast_call_and_ack_fast(bot):
    bot.simulator.set_delay(1.5)
    calls = bot.simulator.calls
    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(lambda _: bot.command(""), range(12)))
    assert all(status == 200 for _, status, _ in results)
    for key, _, _ in results:
        assert "Awareness Training campaigns" in all_text(bot.answer(key))
    assert bot.simulator.calls == calls + 1


def test_secrets_never_logged(bot):
    bot.simulator.push_fault(Fault("http_401"))
    bot.ask("")
    output = bot.process.output()
    assert "err_xdk_invalid_signature" in output
    for secret in (
        SIGNING_SECRET,
        "xoxb-test-token",
        "c2ltLWRlbW8tc2VjcmV0LWtleS0wMDAx",
        "sim-demo-app-key-0001",
    ):
        assert secret not in output


def test_one_campaign_with_an_absurd_date_hides_nothing(bot):
    tenant = sample_tenant_now()
    tenant[0]["launchDate"] = "9999-12-31T23:59:59+0000"
    bot.simulator.set_campaigns(tenant)
    answer = bot.ask("")
    assert answer["text"].startswith("12 Awareness Training campaigns")
    assert "⚠️" not in answer["text"]
