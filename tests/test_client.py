"""Client behaviour against canned HTTP answers (responses), no network."""

import json
import logging
from pathlib import Path

import pytest
import requests
import responses

from mimecast.auth import ClientCredentials
from mimecast.client import GET_CAMPAIGNS, MimecastClient
from mimecast.errors import (
    AuthenticationError,
    KeysExpiredError,
    PermissionDeniedError,
    RateLimitedError,
    RequestRejectedError,
    UpstreamError,
)
from mimecast.signing import SigningKeys, signature

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://eu-api.mimecast.com"
URL = BASE + GET_CAMPAIGNS
KEYS = SigningKeys("app-id-1", "app-key-1", "access-key-1", "U2VjcmV0S2V5")
RECORDED = json.loads((FIXTURES / "get-campaigns.recorded.json").read_text())
ERRORS = json.loads((FIXTURES / "errors-and-user-data.recorded.json").read_text())


def fail_body(code, message="x", status=200):
    return {
        "meta": {"status": status},
        "data": [],
        "fail": [{"errors": [{"code": code, "message": message}]}],
    }


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return MimecastClient(BASE, keys=KEYS, sleep=sleeps.append, backoff=0.5)


@responses.activate
def test_signed_request_is_real_json_with_path_only_signature(client):
    responses.post(URL, json=RECORDED)
    batch = client.get_campaigns()
    assert [c.name for c in batch.campaigns][:2] == ["J1 Test Campaign", "Another Campaign"]
    request = responses.calls[0].request
    assert json.loads(request.body) == {"data": []}
    headers = request.headers
    expected = signature(
        KEYS.secret_key, KEYS.app_key, headers["x-mc-date"], headers["x-mc-req-id"], GET_CAMPAIGNS
    )
    assert headers["Authorization"] == f"MC access-key-1:{expected}"
    assert headers["Content-Type"] == "application/json"
    assert headers["Accept"] == "application/json"


@pytest.mark.parametrize(
    ("status", "body", "error", "code"),
    [
        (
            401,
            ERRORS["appKey-auth-error /api/account/get-account"]["response"],
            AuthenticationError,
            "err_xdk_invalid_signature",
        ),
        (403, fail_body("err_forbidden", status=403), PermissionDeniedError, "err_forbidden"),
        (
            418,
            fail_body("err_binding_expired", status=418),
            KeysExpiredError,
            "err_binding_expired",
        ),
        (200, fail_body("err_validation_blank"), RequestRejectedError, "err_validation_blank"),
        (404, fail_body("err_not_found", status=404), RequestRejectedError, "err_not_found"),
    ],
)
@responses.activate
def test_failures_map_to_typed_errors(client, status, body, error, code):
    responses.post(URL, json=body, status=status)
    with pytest.raises(error) as caught:
        client.get_campaigns()
    assert caught.value.code == code
    assert caught.value.user_message
    assert len(responses.calls) == 1


@responses.activate
def test_developer_key_under_http_200_is_retried_once_then_raised(client):
    body = ERRORS["appId-auth-error /api/account/get-account"]["response"]
    responses.post(URL, json=body, status=200)
    with pytest.raises(AuthenticationError) as caught:
        client.get_campaigns()
    assert caught.value.code == "err_developer_key"
    assert len(responses.calls) == 2
    assert (
        responses.calls[0].request.headers["x-mc-req-id"]
        != responses.calls[1].request.headers["x-mc-req-id"]
    )


@responses.activate
def test_server_errors_are_retried_with_backoff_and_fresh_signatures(client, sleeps):
    responses.post(URL, body="<html>Bad gateway</html>", status=502)
    responses.post(URL, json=fail_body("err_internal", status=500), status=500)
    responses.post(URL, json=RECORDED)
    batch = client.get_campaigns()
    assert len(batch.campaigns) == 4
    assert sleeps == [0.5, 1.0]
    ids = {c.request.headers["x-mc-req-id"] for c in responses.calls}
    assert len(ids) == 3


@responses.activate
def test_server_errors_give_up_after_bounded_retries(client, sleeps):
    responses.post(URL, status=503, body="down")
    with pytest.raises(UpstreamError) as caught:
        client.get_campaigns()
    assert caught.value.code == "http_503"
    assert len(responses.calls) == 3
    assert "Try again" in caught.value.user_message


@responses.activate
def test_html_body_under_200_is_an_upstream_error(client):
    responses.post(URL, body="<html>login</html>", status=200, content_type="text/html")
    with pytest.raises(UpstreamError) as caught:
        client.get_campaigns()
    assert caught.value.code == "malformed_response"


@responses.activate
def test_truncated_json_is_an_upstream_error(client):
    responses.post(URL, body='{"meta": {"status": 200}, "data": [{"campa', status=200)
    with pytest.raises(UpstreamError):
        client.get_campaigns()


@responses.activate
def test_wrong_types_in_envelope_is_an_upstream_error(client, caplog):
    responses.post(URL, json={"meta": {"status": 200}, "data": [{"campaigns": "nope"}], "fail": []})
    with pytest.raises(UpstreamError) as caught:
        client.get_campaigns()
    assert caught.value.code == "malformed_response"
    assert "code=malformed_response" in caplog.text


@responses.activate
def test_short_429_is_waited_out_then_retried(client, sleeps):
    responses.post(
        URL,
        json=fail_body("err_rate", status=429),
        status=429,
        headers={"X-RateLimit-Reset": "800"},
    )
    responses.post(URL, json=RECORDED, headers={"X-RateLimit-Remaining": "10"})
    batch = client.get_campaigns()
    assert len(batch.campaigns) == 4
    assert len(sleeps) == 1 and 0.7 < sleeps[0] <= 0.8


@responses.activate
def test_long_429_raises_with_the_wait(client, sleeps):
    responses.post(
        URL,
        json=fail_body("err_rate", status=429),
        status=429,
        headers={"X-RateLimit-Reset": "45000"},
    )
    with pytest.raises(RateLimitedError) as caught:
        client.get_campaigns()
    assert caught.value.retry_after == pytest.approx(45.0)
    assert "45 seconds" in caught.value.user_message
    # The shared gate now holds every other caller back without a request.
    with pytest.raises(RateLimitedError):
        client.get_campaigns()
    assert len(responses.calls) == 1
    assert sleeps == []


@responses.activate
def test_connection_error_becomes_upstream_error(client):
    responses.post(URL, body=requests.ConnectionError("refused"))
    with pytest.raises(UpstreamError) as caught:
        client.get_campaigns()
    assert caught.value.code == "connection_error"


@responses.activate
def test_timeout_becomes_upstream_error(client):
    responses.post(URL, body=requests.ReadTimeout("slow"))
    with pytest.raises(UpstreamError) as caught:
        client.get_campaigns()
    assert caught.value.code == "timeout"
    assert len(responses.calls) == 1


@responses.activate
def test_oauth_token_is_cached_and_reminted_once_on_401(sleeps):
    token_url = BASE + "/oauth/token"
    responses.post(
        token_url, json={"access_token": "tok-1", "token_type": "Bearer", "expires_in": 1800}
    )
    responses.post(
        token_url, json={"access_token": "tok-2", "token_type": "Bearer", "expires_in": 1800}
    )
    client = MimecastClient(
        BASE, credentials=ClientCredentials("cid", "csecret"), sleep=sleeps.append
    )
    responses.post(URL, json=RECORDED)
    responses.post(URL, json=RECORDED)
    responses.post(URL, json=fail_body("invalid_token", status=401), status=401)
    responses.post(URL, json=RECORDED)
    client.get_campaigns()
    client.get_campaigns()
    client.get_campaigns()
    token_calls = [c for c in responses.calls if c.request.url == token_url]
    api_calls = [c for c in responses.calls if c.request.url == URL]
    assert len(token_calls) == 2
    assert [c.request.headers["Authorization"] for c in api_calls] == [
        "Bearer tok-1",
        "Bearer tok-1",
        "Bearer tok-1",
        "Bearer tok-2",
    ]
    form = token_calls[0].request.body
    assert "grant_type=client_credentials" in form and "client_id=cid" in form


@responses.activate
def test_oauth_bad_client_is_authentication_error():
    responses.post(BASE + "/oauth/token", json={"error": "invalid_client"}, status=401)
    client = MimecastClient(BASE, credentials=ClientCredentials("cid", "wrong"))
    with pytest.raises(AuthenticationError) as caught:
        client.get_campaigns()
    assert caught.value.code == "invalid_client"


@responses.activate
def test_no_secret_in_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    responses.post(URL, json=fail_body("err_xdk_invalid_signature", status=401), status=401)
    with pytest.raises(AuthenticationError):
        client.get_campaigns()
    text = caplog.text
    assert "err_xdk_invalid_signature" in text
    for secret in (KEYS.secret_key, KEYS.app_key, KEYS.access_key):
        assert secret not in text


@responses.activate
def test_threads_share_one_view_of_the_rate_limit(sleeps):
    """After one 429 with a long reset, 20 threads send nothing more: no storm of our own."""
    from concurrent.futures import ThreadPoolExecutor

    client = MimecastClient(BASE, keys=KEYS, sleep=sleeps.append)
    responses.post(
        URL,
        json=fail_body("err_rate", status=429),
        status=429,
        headers={"X-RateLimit-Reset": "30000"},
    )
    with pytest.raises(RateLimitedError):
        client.get_campaigns()
    with ThreadPoolExecutor(20) as pool:
        errors = list(pool.map(lambda _: _raises(client.get_campaigns), range(20)))
    assert all(isinstance(e, RateLimitedError) for e in errors)
    assert all(25 < e.retry_after <= 30 for e in errors)
    assert len(responses.calls) == 1


@responses.activate
def test_an_exhausted_budget_closes_the_gate_before_any_429(client, sleeps):
    responses.post(
        URL, json=RECORDED, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "600"}
    )
    responses.post(URL, json=RECORDED, headers={"X-RateLimit-Remaining": "799"})
    client.get_campaigns()
    client.get_campaigns()  # waits out the 0.6 s the headers announced, then goes
    assert len(sleeps) == 1 and 0.5 < sleeps[0] <= 0.6
    assert len(responses.calls) == 2


def _raises(call):
    try:
        call()
    except Exception as exc:
        return exc
    return None
