import threading
from concurrent.futures import ThreadPoolExecutor

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from handlers.access import Access, AccessPolicy


class FakeClient:
    def __init__(self):
        self.calls = 0
        self.fail = False
        self.members = {"S0TEAM": ["U0IN"]}
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def usergroups_users_list(self, usergroup):
        self.calls += 1
        self.entered.set()
        assert self.release.wait(5)
        if self.fail:
            response = SlackResponse(
                client=None,
                http_verb="GET",
                api_url="x",
                req_args={},
                data={"ok": False, "error": "ratelimited"},
                headers={},
                status_code=429,
            )
            raise SlackApiError("ratelimited", response)
        return {"ok": True, "users": self.members.get(usergroup, [])}


def test_open_when_empty_and_listed_users_need_no_lookup():
    client = FakeClient()
    assert AccessPolicy(frozenset()).check("U0ANY", client) is Access.ALLOWED
    policy = AccessPolicy(frozenset({"U0BOSS", "S0TEAM"}))
    assert policy.check("U0BOSS", client) is Access.ALLOWED
    assert client.calls == 0
    assert policy.check("U0IN", client) is Access.ALLOWED
    assert policy.check("U0OUT", client) is Access.REFUSED
    assert client.calls == 1  # cached


def test_one_lookup_for_a_burst():
    client = FakeClient()
    client.release.clear()
    policy = AccessPolicy(frozenset({"S0TEAM"}))
    with ThreadPoolExecutor(10) as pool:
        futures = [pool.submit(policy.check, "U0IN", client) for _ in range(10)]
        assert client.entered.wait(5)
        client.release.set()
        results = [f.result() for f in futures]
    assert results == [Access.ALLOWED] * 10
    assert client.calls == 1


def test_slack_failing_keeps_the_last_known_members_else_unknown():
    now = [0.0]
    client = FakeClient()
    policy = AccessPolicy(frozenset({"S0TEAM"}), ttl=60, clock=lambda: now[0])
    client.fail = True
    assert policy.check("U0IN", client) is Access.UNKNOWN  # never known: not a refusal
    client.fail = False
    assert policy.check("U0IN", client) is Access.ALLOWED
    now[0] = 120.0
    client.fail = True
    assert policy.check("U0IN", client) is Access.ALLOWED  # stale but known
    assert policy.check("U0OUT", client) is Access.REFUSED
