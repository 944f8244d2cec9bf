"""Tests of the test harness itself (tests/harness): fast, loopback only."""

from __future__ import annotations

import json
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.harness import (
    BotProcess,
    SlackMock,
    block_action_body,
    free_port,
    post,
    run,
    sign,
    slash_command_body,
)

SECRET = "test-signing-secret"


@pytest.fixture
def slack() -> Iterator[SlackMock]:
    with SlackMock() as mock:
        yield mock


def client(mock: SlackMock, token: str | None = None, **kwargs: Any) -> WebClient:
    return WebClient(token=token or mock.bot_token, base_url=mock.api_url, timeout=5, **kwargs)


# -- SlackMock: Web API --------------------------------------------------------------------------


def test_urls(slack: SlackMock) -> None:
    assert slack.api_url == f"http://127.0.0.1:{slack.port}/api/"
    assert slack.response_url("k/1") == f"http://127.0.0.1:{slack.port}/response/k%2F1"


def test_rejects_non_loopback_host() -> None:
    with pytest.raises(ValueError, match="loopback"):
        SlackMock(host="192.0.2.1")


def test_auth_test_with_right_token(slack: SlackMock) -> None:
    resp = client(slack).auth_test()
    assert resp["ok"] is True
    assert (resp["user_id"], resp["bot_id"], resp["team_id"]) == ("UBOT", "BBOT", "T0001")
    headers = {k.lower(): v for k, v in resp.headers.items()}
    assert headers["x-oauth-scopes"] == "commands,chat:write,usergroups:read"
    [call] = slack.api_calls("auth.test")
    assert call.headers["authorization"] == "Bearer xoxb-test-token"
    assert call.ok


def test_auth_test_with_wrong_token(slack: SlackMock) -> None:
    with pytest.raises(SlackApiError) as info:
        client(slack, token="xoxb-wrong").auth_test()
    assert info.value.response["error"] == "invalid_auth"
    assert not slack.calls[0].ok


def test_token_as_form_field(slack: SlackMock) -> None:
    anonymous = WebClient(base_url=slack.api_url, timeout=5)
    resp = anonymous.api_call("auth.test", params={"token": slack.bot_token})
    assert resp["ok"] is True
    with pytest.raises(SlackApiError) as info:
        anonymous.api_call("conversations.info", params={"token": "nope", "channel": "C1"})
    assert info.value.response.data == {"ok": False, "error": "invalid_auth"}


def test_post_message_recorded_and_in_history_with_metadata(slack: SlackMock) -> None:
    web = client(slack)
    first = web.chat_postMessage(
        channel="C1",
        text="first",
        metadata={"event_type": "campaign_report", "event_payload": {"campaign_id": "42"}},
    )
    second = web.chat_postMessage(channel="C1", text="second", blocks=[{"type": "divider"}])
    web.chat_postMessage(channel="C2", text="elsewhere")
    assert first["channel"] == "C1"
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])

    [call, *_] = slack.api_calls("chat.postMessage")
    assert call.params["metadata"]["event_payload"] == {"campaign_id": "42"}

    history = web.conversations_history(channel="C1", include_all_metadata=True)
    assert [m["text"] for m in history["messages"]] == ["second", "first"]
    assert history["messages"][1]["metadata"] == {
        "event_type": "campaign_report",
        "event_payload": {"campaign_id": "42"},
    }
    assert history["messages"][0]["blocks"] == [{"type": "divider"}]

    plain = web.conversations_history(channel="C1")
    assert all("metadata" not in m for m in plain["messages"])

    newer = web.conversations_history(channel="C1", oldest=first["ts"])
    assert [m["text"] for m in newer["messages"]] == ["second"]
    limited = web.conversations_history(channel="C1", limit=1)
    assert [m["text"] for m in limited["messages"]] == ["second"]
    assert limited["has_more"] is True
    assert web.conversations_history(channel="C9")["messages"] == []


def test_post_message_form_encoded(slack: SlackMock) -> None:
    web = client(slack)
    resp = web.api_call(
        "chat.postMessage",
        data={
            "channel": "C1",
            "text": "hi",
            "metadata": json.dumps({"event_type": "t", "event_payload": {"a": 1}}),
        },
    )
    assert resp["ok"] is True
    [msg] = slack.messages("C1")
    assert msg["metadata"] == {"event_type": "t", "event_payload": {"a": 1}}


def test_other_methods(slack: SlackMock) -> None:
    web = client(slack)
    slack.usergroups["S1"] = ["U1", "U2"]
    assert web.usergroups_users_list(usergroup="S1")["users"] == ["U1", "U2"]
    with pytest.raises(SlackApiError) as info:
        web.usergroups_users_list(usergroup="S404")
    assert info.value.response["error"] == "no_such_subteam"
    assert web.chat_postEphemeral(channel="C1", user="U1", text="psst")["ok"] is True
    assert web.conversations_info(channel="C1")["channel"]["id"] == "C1"
    with pytest.raises(SlackApiError) as info:
        web.api_call("does.notExist")
    assert info.value.response["error"] == "unknown_method"


def test_fail_next_error_and_status(slack: SlackMock) -> None:
    web = client(slack)
    slack.fail_next("chat.postMessage", error="channel_not_found")
    slack.fail_next("chat.postMessage", status=500, times=2)
    with pytest.raises(SlackApiError) as info:
        web.chat_postMessage(channel="C1", text="x")
    assert info.value.response["error"] == "channel_not_found"
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            web.chat_postMessage(channel="C1", text="x")
        assert info.value.response.status_code == 500
    assert web.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert [c.status for c in slack.api_calls("chat.postMessage")] == [200, 500, 500, 200]
    assert len(slack.messages("C1")) == 1


def test_fail_next_429_without_retry_handler(slack: SlackMock) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    with pytest.raises(SlackApiError) as info:
        client(slack).chat_postMessage(channel="C1", text="x")
    response = info.value.response
    assert response.status_code == 429
    assert response["error"] == "ratelimited"
    headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers["retry-after"] == "1"


def test_fail_next_429_with_retry_handler(slack: SlackMock) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    web = client(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    assert web.chat_postMessage(channel="C1", text="x")["ok"] is True
    calls = slack.api_calls("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].time >= calls[0].time


def test_wait_for_api_calls_and_reset(slack: SlackMock) -> None:
    web = client(slack)
    threading.Timer(0.05, lambda: web.chat_postMessage(channel="C1", text="later")).start()
    [call] = slack.wait_for_api_calls("chat.postMessage", 1, timeout=5)
    assert call.params["text"] == "later"
    slack.fail_next("auth.test", error="account_inactive")
    slack.reset()
    assert slack.calls == [] and slack.messages("C1") == []
    assert web.auth_test()["ok"] is True  # scripted failure cleared
    with pytest.raises(AssertionError, match=r"2 chat.postMessage calls; got 0"):
        slack.wait_for_api_calls("chat.postMessage", 2, timeout=0.1)


def test_latency(slack: SlackMock) -> None:
    slack.set_latency("auth.test", 0.2)
    start = time.perf_counter()
    client(slack).auth_test()
    assert time.perf_counter() - start >= 0.2


# -- SlackMock: response_url ------------------------------------------------------------------


def test_response_url_recording_and_wait(slack: SlackMock) -> None:
    url = slack.response_url("cmd-1")

    def later() -> None:
        WebhookClient(url).send(text="one", response_type="ephemeral")
        WebhookClient(url).send(text="two", replace_original=True)

    threading.Timer(0.05, later).start()
    posts = slack.wait_for_responses(2, timeout=5, key="cmd-1")
    assert [p.body["text"] for p in posts] == ["one", "two"]
    assert posts[1].body["replace_original"] is True
    assert posts[0].headers["content-type"].startswith("application/json")
    assert slack.responses_for("cmd-1") == posts
    assert slack.responses_for("other") == []


def test_wait_for_responses_timeout_lists_what_arrived(slack: SlackMock) -> None:
    WebhookClient(slack.response_url("a")).send(text="hello there")
    client(slack).auth_test()
    with pytest.raises(AssertionError) as info:
        slack.wait_for_responses(1, timeout=0.1, key="b")
    message = str(info.value)
    assert "for key 'b'" in message
    assert "hello there" in message
    assert "auth.test" in message


def test_fail_response_url(slack: SlackMock) -> None:
    slack.fail_response_url("k1")
    slack.fail_response_url(None, status=500)
    expired = WebhookClient(slack.response_url("k1")).send(text="late")
    assert (expired.status_code, expired.body) == (404, "expired_url")
    broken = WebhookClient(slack.response_url("k2")).send(text="x")
    assert broken.status_code == 500
    ok = WebhookClient(slack.response_url("k1")).send(text="again")
    assert (ok.status_code, ok.body) == (200, "ok")
    assert [p.body["text"] for p in slack.responses] == ["again"]
    assert [(p.key, p.status) for p in slack.rejected_responses] == [("k1", 404), ("k2", 500)]


def test_max_response_uses(slack: SlackMock) -> None:
    slack.max_response_uses = 2
    hook = WebhookClient(slack.response_url("k"))
    assert [hook.send(text=str(i)).status_code for i in range(3)] == [200, 200, 404]


# -- slack_requests -------------------------------------------------------------------------------


def test_sign_is_valid_for_slack_sdk_verifier() -> None:
    body = slash_command_body("list", response_url="http://127.0.0.1:1/response/x")
    headers = sign(body, SECRET)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["X-Slack-Signature"].startswith("v0=")
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert SignatureVerifier(SECRET).is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)
    stale = sign(body, SECRET, timestamp=int(time.time()) - 600)
    assert not SignatureVerifier(SECRET).is_valid_request(body, stale)


def test_slash_command_body_fields() -> None:
    body = slash_command_body(
        "report 42 & more", response_url="http://r/x", user_id="U9", channel_id="C9"
    )
    fields = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    assert set(fields) == {
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    }
    assert fields["text"] == "report 42 & more"
    assert (fields["user_id"], fields["channel_id"], fields["command"]) == (
        "U9",
        "C9",
        "/campaigns",
    )
    assert fields["response_url"] == "http://r/x"


def test_block_action_body_parses_back() -> None:
    body = block_action_body(
        "campaign_details", "42", response_url="http://r/y", message_ts="1700000000.000100"
    )
    [raw] = parse_qs(body)["payload"]
    payload = json.loads(raw)
    assert payload["type"] == "block_actions"
    assert payload["user"] == {
        "id": "U0USER",
        "username": "u0user",
        "name": "u0user",
        "team_id": "T0001",
    }
    assert payload["channel"]["id"] == "C0CHAN"
    assert payload["team"]["id"] == "T0001"
    assert payload["response_url"] == "http://r/y"
    assert payload["container"] == {
        "type": "message",
        "message_ts": "1700000000.000100",
        "channel_id": "C0CHAN",
        "is_ephemeral": True,
    }
    assert "message" not in payload
    [action] = payload["actions"]
    assert {k: action[k] for k in ("action_id", "block_id", "value", "type")} == {
        "action_id": "campaign_details",
        "block_id": "b1",
        "value": "42",
        "type": "button",
    }
    shared = json.loads(
        parse_qs(block_action_body("a", "v", response_url="u", container_is_ephemeral=False))[
            "payload"
        ][0]
    )
    assert shared["message"]["ts"] == shared["container"]["message_ts"]


def test_post_measures_elapsed(slack: SlackMock) -> None:
    status, text, elapsed = post(
        slack.response_url("p"), json.dumps({"text": "hi"}), {"Content-Type": "application/json"}
    )
    assert (status, text) == (200, "ok")
    assert 0 < elapsed < 5
    assert slack.responses_for("p")[0].body == {"text": "hi"}


def bolt_request(body: str, headers: dict[str, str]) -> BoltRequest:
    bolt_headers: dict[str, str | Sequence[str]] = dict(headers)
    return BoltRequest(body=body, headers=bolt_headers)


def test_requests_accepted_by_bolt(slack: SlackMock) -> None:
    """Signed bodies pass Bolt's verification and reach the right listeners."""
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=slack.bot_token, base_url=slack.api_url, timeout=5),
    )
    seen: dict[str, Any] = {}

    @app.command("/campaigns")
    def on_command(ack: Any, command: dict[str, Any], respond: Any) -> None:
        ack()
        seen["command"] = command
        respond(text=f"you said {command['text']}")

    @app.action("campaign_details")
    def on_action(ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack()
        respond(text=f"details {body['actions'][0]['value']}", replace_original=True)

    body = slash_command_body("list", response_url=slack.response_url("cmd"))
    resp = app.dispatch(bolt_request(body, sign(body, SECRET)))
    assert resp.status == 200
    assert slack.wait_for_responses(1, key="cmd")[0].body["text"] == "you said list"
    assert seen["command"]["user_id"] == "U0USER"

    body = block_action_body("campaign_details", "42", response_url=slack.response_url("btn"))
    resp = app.dispatch(bolt_request(body, sign(body, SECRET)))
    assert resp.status == 200
    [reply] = slack.wait_for_responses(1, key="btn")
    assert reply.body["text"] == "details 42"

    bad = app.dispatch(bolt_request(body, sign(body, "wrong-secret")))
    assert bad.status == 401
    assert slack.api_calls("auth.test")  # Bolt verified the token against the mock


# -- processes --------------------------------------------------------------------------------

SERVER_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class H(BaseHTTPRequestHandler):
        def do_GET(self):
            body = repr(sorted(k for k in os.environ if k.startswith(("SLACK_", "MIMECAST_"))))
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()
            self.wfile.write(body.encode())
        def log_message(self, *a):
            pass

    def bye(*_):
        print("got SIGTERM", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, bye)
    print("starting", os.environ.get("GREETING"), os.environ.get("MIMECAST_LEAK"), flush=True)
    HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
    """
)


def test_bot_process_start_scrub_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIMECAST_LEAK", "secret")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-real")
    monkeypatch.setenv("DATABASE_URL", "postgresql://real")
    script = tmp_path / "server.py"
    script.write_text(SERVER_SCRIPT)
    port = free_port()
    health = f"http://127.0.0.1:{port}/health"
    env = {"GREETING": "hello", "SLACK_SIGNING_SECRET": "given"}
    with BotProcess([str(script), str(port)], env, tmp_path, health) as proc:
        assert proc.is_running()
        with urllib.request.urlopen(health, timeout=5) as resp:
            assert resp.read().decode() == "['SLACK_SIGNING_SECRET']"
    assert not proc.is_running()
    assert proc.returncode == 0
    assert "starting hello None" in proc.output()
    assert "got SIGTERM" in proc.output()


def test_bot_process_early_exit(tmp_path: Path) -> None:
    script = tmp_path / "crash.py"
    script.write_text("import sys\nprint('boom: missing config')\nsys.exit(3)\n")
    proc = BotProcess([str(script)], {}, tmp_path, f"http://127.0.0.1:{free_port()}/health")
    with pytest.raises(RuntimeError, match=r"exited with code 3(.|\n)*boom: missing config"):
        proc.start(timeout=10)
    assert not proc.is_running()


def test_run_scrubs_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_USERS", "U1")
    code = "import os; print(os.environ.get('ALLOWED_USERS'), os.environ.get('X'))"
    result = run(["-c", code], {"X": "y"}, tmp_path, timeout=20)
    assert result.returncode == 0
    assert result.stdout.strip() == "None y"
