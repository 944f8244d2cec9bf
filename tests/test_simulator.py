"""The Mimecast simulator over real loopback sockets: auth rules, envelope, faults, lifecycle."""

from __future__ import annotations

import json
import logging
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from mimecast.errors import UpstreamError
from mimecast.models import Status, parse_campaigns
from mimecast.signing import SigningKeys, mc_date, signed_headers
from simulator import (
    CAMPAIGNS_PATH,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_KEYS,
    TOKEN_PATH,
    Fault,
    MimecastSimulator,
    sample_tenant,
)
from simulator.server import parse_mc_date

ROOT = Path(__file__).resolve().parents[1]
RECORDED = json.loads((ROOT / "tests" / "fixtures" / "get-campaigns.recorded.json").read_text())
REAL_KEYS = set(RECORDED["data"][0]["campaigns"][0])
NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
BODY = b'{"data": []}'


@pytest.fixture
def sim() -> Iterator[MimecastSimulator]:
    with MimecastSimulator(sample_tenant(NOW)) as simulator:
        yield simulator


def post_signed(
    sim: MimecastSimulator,
    keys: SigningKeys = DEMO_KEYS,
    *,
    uri: str = CAMPAIGNS_PATH,
    body: bytes = BODY,
    date: str | None = None,
    request_id: str | None = None,
    timeout: float = 5.0,
) -> requests.Response:
    headers = signed_headers(keys, uri, date=date, request_id=request_id)
    headers["Content-Type"] = "application/json"
    return requests.post(sim.url + CAMPAIGNS_PATH, data=body, headers=headers, timeout=timeout)


def fail_code(response: requests.Response) -> str:
    body = response.json()
    assert body["data"] == []
    assert body["meta"] == {"status": response.status_code}
    (entry,) = body["fail"]
    (error,) = entry["errors"]
    assert error["retryable"] is False
    return str(error["code"])


def get_token(sim: MimecastSimulator, **form: str) -> requests.Response:
    data = {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "grant_type": "client_credentials",
        **form,
    }
    return requests.post(sim.url + TOKEN_PATH, data=data, timeout=5)


def post_bearer(sim: MimecastSimulator, token: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return requests.post(sim.url + CAMPAIGNS_PATH, data=BODY, headers=headers, timeout=5)


# --- the sample tenant -------------------------------------------------------------------


def test_tenant_matches_the_recorded_shape() -> None:
    tenant = sample_tenant(NOW)
    assert len(tenant) == 12
    bare = [c for c in tenant if set(c) == {"id", "name"}]
    assert len(bare) == 1
    full = [c for c in tenant if c not in bare]
    assert len(REAL_KEYS) == 15
    assert all(set(c) == REAL_KEYS for c in full)
    ids = [c["id"] for c in tenant]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("eNq") and 150 <= len(i) <= 200 for i in ids)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    date = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000")
    for c in full:
        assert date.fullmatch(c["launchDate"]) and date.fullmatch(c["createDate"])
        assert set(c["title"]) == set(RECORDED["data"][0]["campaigns"][0]["title"])
        assert c["group"]["source"] in ("cloud", "ldap")


def test_tenant_is_deterministic_and_ids_do_not_move_with_time() -> None:
    assert sample_tenant(NOW) == sample_tenant(NOW)
    later = sample_tenant(NOW + timedelta(days=3))
    assert [c["id"] for c in later] == [c["id"] for c in sample_tenant(NOW)]


def test_tenant_numbers_are_consistent_and_cover_the_cases() -> None:
    campaigns = parse_campaigns({"data": [{"campaigns": sample_tenant(NOW)}]}).campaigns
    full = [c for c in campaigns if c.num_sent is not None]
    for c in full:
        assert c.num_completed is not None and c.num_sent is not None
        assert 0 <= c.num_completed <= c.num_sent
        assert c.reported_percent_complete == (
            c.num_completed * 100 // c.num_sent if c.num_sent else 0
        )
        assert 1 <= len(c.correct_answers) <= 3
        assert all(n is not None and 0 <= n <= c.num_completed for n in c.correct_answers)
    pending = [c for c in campaigns if c.status(NOW) is Status.PENDING and c in full]
    ahead = sorted((c.launch_date.date() - NOW.date()).days for c in pending if c.launch_date)
    assert ahead == [2, 5, 30]
    assert all(c.num_sent == 0 and c.num_completed == 0 for c in pending)
    launched = [c for c in full if c.status(NOW) is Status.LAUNCHED]
    ages = {(NOW.date() - c.launch_date.date()).days for c in launched if c.launch_date}
    assert {3, 20, 40, 95} <= ages
    assert any(c.percent_complete == 100 for c in launched)
    assert any(
        c.percent_complete < 20 and c.launch_date and (NOW - c.launch_date).days >= 60
        for c in launched
    )
    assert sum(1 for c in campaigns if c.locked) == 1
    assert any(c.name == "Überweisungsbetrug – CEO-Fraud" for c in campaigns)
    assert {c.group for c in full} >= {"All Staff", "Sales", "Finance", "Engineering"}
    assert {c.group_source for c in full} == {"ldap", "cloud"}
    assert {len(c.correct_answers) for c in full} == {1, 2, 3}
    assert any(c.comparison is None for c in full) and any(c.comparison for c in full)
    assert all("_" in (c.module or "") for c in full)


# --- success -----------------------------------------------------------------------------


def test_signed_request_gets_the_tenant_in_the_real_envelope(sim: MimecastSimulator) -> None:
    response = post_signed(sim)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"meta", "data", "fail"}
    assert body["meta"] == {"status": 200} and body["fail"] == []
    assert len(body["data"]) == 1 and set(body["data"][0]) == {"campaigns"}
    batch = parse_campaigns(body)
    assert len(batch.campaigns) == 12 and batch.skipped == 0
    assert any(c.raw_keys == {"id", "name"} for c in batch.campaigns)
    assert int(response.headers["X-RateLimit-Limit"]) == 800
    assert int(response.headers["X-RateLimit-Remaining"]) == 799
    assert 0 < int(response.headers["X-RateLimit-Reset"]) <= 60_000


def test_set_campaigns_replaces_the_tenant(sim: MimecastSimulator) -> None:
    sim.set_campaigns([{"id": "eNqX", "name": "Only one"}])
    assert post_signed(sim).json()["data"] == [{"campaigns": [{"id": "eNqX", "name": "Only one"}]}]


def test_default_tenant_is_generated_when_none_given() -> None:
    with MimecastSimulator() as simulator:
        assert len(post_signed(simulator).json()["data"][0]["campaigns"]) == 12


# --- API 1.0 authentication --------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    ["secret_key", "access_key", "app_key"],
)
def test_wrong_key_is_401_invalid_signature(sim: MimecastSimulator, field: str) -> None:
    wrong = "V3JvbmdTZWNyZXQ=" if field == "secret_key" else "wrong"
    response = post_signed(sim, replace(DEMO_KEYS, **{field: wrong}))
    assert response.status_code == 401
    assert fail_code(response) == "err_xdk_invalid_signature"
    assert response.json()["fail"][0]["errors"][0]["message"] == "0004 Invalid Signature"


def test_wrong_app_id_is_200_with_developer_key_error(sim: MimecastSimulator) -> None:
    response = post_signed(sim, replace(DEMO_KEYS, app_id="INVALID"))
    assert response.status_code == 200
    assert fail_code(response) == "err_developer_key"
    assert response.json()["fail"][0]["errors"][0]["message"] == "App ID is invalid: INVALID"


def test_signature_over_the_full_url_is_rejected(sim: MimecastSimulator) -> None:
    response = post_signed(sim, uri=sim.url + CAMPAIGNS_PATH)
    assert response.status_code == 401
    assert fail_code(response) == "err_xdk_invalid_signature"


@pytest.mark.parametrize("offset", [timedelta(minutes=-16), timedelta(minutes=16)])
def test_date_outside_clock_skew_is_401(sim: MimecastSimulator, offset: timedelta) -> None:
    response = post_signed(sim, date=mc_date(datetime.now(UTC) + offset))
    assert response.status_code == 401
    assert fail_code(response) == "err_xdk_invalid_date"


def test_date_within_clock_skew_is_accepted(sim: MimecastSimulator) -> None:
    assert post_signed(sim, date=mc_date(datetime.now(UTC) - timedelta(minutes=10))).ok


def test_localised_date_is_401(sim: MimecastSimulator) -> None:
    now = datetime.now(UTC)
    german = f"Di., {now:%d} Mär {now:%Y %H:%M:%S} UTC"
    response = post_signed(sim, date=german)
    assert response.status_code == 401
    assert fail_code(response) == "err_xdk_invalid_date"


def test_parse_mc_date_uses_fixed_english_names() -> None:
    assert parse_mc_date("Tue, 24 Nov 2015 12:50:11 UTC") == datetime(
        2015, 11, 24, 12, 50, 11, tzinfo=UTC
    )
    assert parse_mc_date("Wed, 24 Nov 2015 12:50:11 UTC") is None  # wrong weekday
    assert parse_mc_date("Tue, 31 Nov 2015 12:50:11 UTC") is None
    assert parse_mc_date("2015-11-24T12:50:11Z") is None
    assert parse_mc_date("Di, 24 Nov 2015 12:50:11 UTC") is None


@pytest.mark.parametrize("dropped", ["Authorization", "x-mc-date", "x-mc-req-id", "x-mc-app-id"])
def test_missing_header_is_401(sim: MimecastSimulator, dropped: str) -> None:
    headers = signed_headers(DEMO_KEYS, CAMPAIGNS_PATH)
    del headers[dropped]
    response = requests.post(sim.url + CAMPAIGNS_PATH, data=BODY, headers=headers, timeout=5)
    assert response.status_code == 401
    assert fail_code(response) == "err_xdk_missing_header"


def test_reused_request_id_is_401(sim: MimecastSimulator) -> None:
    request_id = "3d796b76-4180-40e5-8f7c-6e0fd643b1a9"
    assert post_signed(sim, request_id=request_id).status_code == 200
    replayed = post_signed(sim, request_id=request_id)
    assert replayed.status_code == 401
    assert fail_code(replayed) == "err_xdk_invalid_req_id"


# --- method, body, path ------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"{'data': []}", b"", b"[]", b"\xff\xfe"])
def test_body_that_is_not_a_json_object_is_400(sim: MimecastSimulator, body: bytes) -> None:
    response = post_signed(sim, body=body)
    assert response.status_code == 400
    assert fail_code(response) == "err_json_parse"


def test_get_is_405(sim: MimecastSimulator) -> None:
    headers = signed_headers(DEMO_KEYS, CAMPAIGNS_PATH)
    response = requests.get(sim.url + CAMPAIGNS_PATH, headers=headers, timeout=5)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert fail_code(response) == "err_method_not_allowed"


def test_unknown_path_is_404_envelope(sim: MimecastSimulator) -> None:
    response = requests.post(sim.url + "/api/nope", data=BODY, timeout=5)
    assert response.status_code == 404
    assert fail_code(response) == "err_resource_not_found"


# --- API 2.0 OAuth -----------------------------------------------------------------------


def test_oauth_token_flow_and_revocation(sim: MimecastSimulator) -> None:
    answer = get_token(sim)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    token = answer.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 1800
    assert len(parse_campaigns(post_bearer(sim, token["access_token"]).json()).campaigns) == 12

    sim.revoke_tokens()
    refused = post_bearer(sim, token["access_token"])
    assert refused.status_code == 401
    assert fail_code(refused) == "invalid_token"
    assert "invalid_token" in refused.headers["WWW-Authenticate"]

    fresh = get_token(sim).json()["access_token"]
    assert post_bearer(sim, fresh).status_code == 200
    assert sim.token_calls == 2 and sim.calls == 3


def test_unknown_bearer_token_is_401(sim: MimecastSimulator) -> None:
    assert post_bearer(sim, "made-up").status_code == 401


def test_token_expires_after_ttl() -> None:
    now = [1_000_000.0]
    with MimecastSimulator(token_ttl=60, clock=lambda: now[0]) as simulator:
        token = get_token(simulator).json()["access_token"]
        assert post_bearer(simulator, token).status_code == 200
        now[0] += 61
        assert post_bearer(simulator, token).status_code == 401


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "someone-else"}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
    ],
)
def test_oauth_refusals(
    sim: MimecastSimulator, form: dict[str, str], status: int, error: str
) -> None:
    response = get_token(sim, **form)
    assert response.status_code == status
    assert response.json() == {"error": error}


def test_oauth_needs_a_form_body(sim: MimecastSimulator) -> None:
    data = {"client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET}
    response = requests.post(
        sim.url + TOKEN_PATH, json={**data, "grant_type": "client_credentials"}, timeout=5
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request"}


def test_oauth_accepts_http_basic_client_auth(sim: MimecastSimulator) -> None:
    response = requests.post(
        sim.url + TOKEN_PATH,
        data={"grant_type": "client_credentials"},
        auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
        timeout=5,
    )
    assert response.status_code == 200


# --- faults ------------------------------------------------------------------------------

ENVELOPE_FAULTS = [
    ("http_401", 401, "err_xdk_invalid_signature"),
    ("developer_key", 200, "err_developer_key"),
    ("http_403", 403, "err_forbidden"),
    ("http_418", 418, "err_xdk_binding_expired"),
    ("http_429", 429, "err_rate_limit_exceeded"),
    ("http_500", 500, "err_internal_server_error"),
    ("http_502", 502, "err_bad_gateway"),
    ("http_503", 503, "err_service_unavailable"),
    ("fail_in_200", 200, "err_simulated_failure"),
]


def assert_normal_service(sim: MimecastSimulator) -> None:
    response = post_signed(sim)
    assert response.status_code == 200
    assert len(parse_campaigns(response.json()).campaigns) == 12


@pytest.mark.parametrize(("kind", "status", "code"), ENVELOPE_FAULTS)
def test_envelope_fault_once_then_normal(
    sim: MimecastSimulator, kind: str, status: int, code: str
) -> None:
    sim.push_fault(Fault(kind, reset_ms=2500))
    response = post_signed(sim)
    assert response.status_code == status
    assert fail_code(response) == code
    if kind == "http_429":
        assert response.headers["X-RateLimit-Reset"] == "2500"
        assert response.headers["X-RateLimit-Remaining"] == "0"
    if kind == "developer_key":
        assert response.json()["fail"][0]["errors"][0]["message"].startswith("App ID is invalid")
    assert_normal_service(sim)
    assert sim.calls == 2


def test_fail_in_200_uses_the_given_code(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("fail_in_200", code="err_something_new"))
    response = post_signed(sim)
    assert response.status_code == 200 and fail_code(response) == "err_something_new"


def test_html_gateway_page(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("html"))
    response = post_signed(sim)
    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<html>" in response.text
    assert_normal_service(sim)


def test_html_under_200(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("html_200"))
    response = post_signed(sim)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        response.json()
    assert_normal_service(sim)


def test_malformed_json(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("malformed_json"))
    response = post_signed(sim)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError):
        response.json()
    assert_normal_service(sim)


def test_wrong_types(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("wrong_types"))
    response = post_signed(sim)
    assert response.status_code == 200 and response.json()["fail"] == []
    with pytest.raises(UpstreamError):
        parse_campaigns(response.json())
    assert_normal_service(sim)


def test_close_drops_the_connection(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("close"))
    with pytest.raises(requests.ConnectionError):
        post_signed(sim)
    assert_normal_service(sim)


def test_hang_is_released_by_stop_promptly() -> None:
    simulator = MimecastSimulator(sample_tenant(NOW)).start()
    simulator.push_fault(Fault("hang"))
    outcome: list[BaseException | requests.Response] = []

    def call() -> None:
        try:
            outcome.append(post_signed(simulator, timeout=30))
        except requests.RequestException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    assert simulator.wait_for_calls(1)
    started = time.monotonic()
    simulator.stop()
    assert time.monotonic() - started < 2.0
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], requests.ConnectionError)


def test_hang_affects_one_request_and_a_client_timeout_frees_it(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("hang"))
    with pytest.raises(requests.Timeout):
        post_signed(sim, timeout=0.3)
    assert_normal_service(sim)


def test_faults_apply_in_order_and_respect_times(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("http_500", times=2))
    sim.push_fault(Fault("http_503"))
    assert [post_signed(sim).status_code for _ in range(4)] == [500, 500, 503, 200]


def test_fault_until_cleared(sim: MimecastSimulator) -> None:
    sim.push_fault(Fault("http_502", times=-1))
    assert [post_signed(sim).status_code for _ in range(3)] == [502, 502, 502]
    sim.clear_faults()
    assert post_signed(sim).status_code == 200


def test_fault_validates_its_fields() -> None:
    with pytest.raises(ValueError):
        Fault("http_999")
    with pytest.raises(ValueError):
        Fault("http_500", times=0)


# --- delay, rate limit, counters, lifecycle ----------------------------------------------


def test_delay_holds_every_answer(sim: MimecastSimulator) -> None:
    sim.set_delay(0.2)
    with pytest.raises(requests.Timeout):
        post_signed(sim, timeout=0.05)
    sim.set_delay(0.0)
    assert_normal_service(sim)


def test_rate_limit_budget_runs_out_with_429() -> None:
    now = [5_000.0]
    with MimecastSimulator(
        sample_tenant(NOW), rate_limit=2, rate_window=10, clock=lambda: now[0]
    ) as simulator:
        date = mc_date(datetime.fromtimestamp(now[0], UTC))
        first, second, third = (post_signed(simulator, date=date) for _ in range(3))
        assert [r.status_code for r in (first, second, third)] == [200, 200, 429]
        assert second.headers["X-RateLimit-Remaining"] == "0"
        assert third.headers["X-RateLimit-Reset"] == "10000"
        now[0] += 10
        assert post_signed(simulator, date=mc_date(datetime.fromtimestamp(now[0], UTC))).ok


def test_counters_count_everything(sim: MimecastSimulator) -> None:
    post_signed(sim)
    post_signed(sim, replace(DEMO_KEYS, secret_key="V3Jvbmc="))
    requests.get(sim.url + CAMPAIGNS_PATH, timeout=5)
    get_token(sim)
    requests.post(sim.url + "/elsewhere", timeout=5)
    assert sim.calls == 3 and sim.token_calls == 1
    records = sim.requests
    assert [(r.method, r.path) for r in records] == [
        ("POST", CAMPAIGNS_PATH),
        ("POST", CAMPAIGNS_PATH),
        ("GET", CAMPAIGNS_PATH),
        ("POST", TOKEN_PATH),
        ("POST", "/elsewhere"),
    ]
    assert records[0].body == BODY
    assert records[0].headers["x-mc-app-id"] == DEMO_KEYS.app_id
    sim.reset_counters()
    assert sim.calls == 0 and sim.token_calls == 0 and sim.requests == []


def test_lifecycle_errors() -> None:
    simulator = MimecastSimulator()
    with pytest.raises(RuntimeError):
        _ = simulator.url
    simulator.start()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", simulator.url)
        with pytest.raises(RuntimeError):
            simulator.start()
    finally:
        simulator.stop()
    simulator.stop()  # idempotent


def test_stop_closes_idle_keep_alive_connections() -> None:
    simulator = MimecastSimulator(sample_tenant(NOW)).start()
    session = requests.Session()
    url = simulator.url
    headers = signed_headers(DEMO_KEYS, CAMPAIGNS_PATH)
    assert session.post(url + CAMPAIGNS_PATH, data=BODY, headers=headers, timeout=5).ok
    simulator.stop()
    headers = signed_headers(DEMO_KEYS, CAMPAIGNS_PATH)
    with pytest.raises(requests.ConnectionError):
        session.post(url + CAMPAIGNS_PATH, data=BODY, headers=headers, timeout=5)


def test_logs_never_carry_secrets(sim: MimecastSimulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="simulator")
    headers = signed_headers(DEMO_KEYS, CAMPAIGNS_PATH)
    requests.post(sim.url + CAMPAIGNS_PATH, data=BODY, headers=headers, timeout=5)
    token = get_token(sim).json()["access_token"]
    post_bearer(sim, token)
    assert CAMPAIGNS_PATH in caplog.text  # it does log, at DEBUG
    signature = headers["Authorization"].split(":", 1)[1]
    for secret in (
        DEMO_KEYS.secret_key,
        DEMO_KEYS.access_key,
        DEMO_KEYS.app_key,
        DEMO_CLIENT_SECRET,
        signature,
        token,
    ):
        assert secret not in caplog.text


def test_cli_prints_env_lines_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert banner.startswith("# Mimecast simulator on http://127.0.0.1:")
        env: dict[str, Any] = {}
        for _ in range(7):
            name, _, value = process.stdout.readline().strip().partition("=")
            env[name] = value
        assert env["MIMECAST_APP_ID"] == DEMO_KEYS.app_id
        assert env["MIMECAST_CLIENT_SECRET"] == DEMO_CLIENT_SECRET
        keys = SigningKeys(
            env["MIMECAST_APP_ID"],
            env["MIMECAST_APP_KEY"],
            env["MIMECAST_ACCESS_KEY"],
            env["MIMECAST_SECRET_KEY"],
        )
        headers = signed_headers(keys, CAMPAIGNS_PATH)
        url = env["MIMECAST_BASE_URL"] + CAMPAIGNS_PATH
        response = requests.post(url, data=BODY, headers=headers, timeout=5)
        assert response.status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()
