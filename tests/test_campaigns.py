import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from campaigns.commands import Kind, parse_command
from campaigns.matching import find_campaigns, normalize
from campaigns.service import CampaignService
from mimecast.errors import UpstreamError
from mimecast.models import CampaignBatch, parse_campaign

NAMES = [
    "Phishing Basics – Q4",
    "Phishing Basics – Q3",
    "Überweisungsbetrug – CEO-Fraud",
    "Password Hygiene",
    "Lagging: Social Engineering",
    "HIPAA 101 refresher",
]
CAMPAIGNS = [parse_campaign({"id": f"id{i}", "name": n}) for i, n in enumerate(NAMES)]


def names(result):
    return [c.name for c in result]


def test_normalize_folds_case_accents_punctuation():
    assert normalize("Überweisungsbetrug – CEO-Fraud!") == "uberweisungsbetrug ceo fraud"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("password hygiene", "Password Hygiene"),
        ("PASSWORD", "Password Hygiene"),
        ("uberweisung", "Überweisungsbetrug – CEO-Fraud"),
        ("ceo fraud", "Überweisungsbetrug – CEO-Fraud"),
        ("social eng", "Lagging: Social Engineering"),
        ("hipaa", "HIPAA 101 refresher"),
        ("phishing basics q4", "Phishing Basics – Q4"),
    ],
)
def test_single_match(query, expected):
    result = find_campaigns(query, CAMPAIGNS)
    assert result.single is not None and result.single.name == expected


def test_several_matches():
    result = find_campaigns("phish", CAMPAIGNS)
    assert result.single is None
    assert set(names(result.matches)) == {"Phishing Basics – Q4", "Phishing Basics – Q3"}


def test_no_match_suggests_closest():
    result = find_campaigns("phisng", CAMPAIGNS)
    assert result.matches == ()
    assert names(result.suggestions)[:2] == ["Phishing Basics – Q4", "Phishing Basics – Q3"]


def test_nonsense_gives_nothing():
    result = find_campaigns("zzzzqqq", CAMPAIGNS)
    assert result.matches == () and result.suggestions == ()


def test_exact_name_wins_over_longer_names():
    campaigns = [
        parse_campaign({"id": "a", "name": "Phishing"}),
        parse_campaign({"id": "b", "name": "Phishing 2"}),
    ]
    assert find_campaigns("phishing", campaigns).single.id == "a"


@pytest.mark.parametrize(
    ("text", "kind", "query"),
    [
        ("", Kind.LIST, ""),
        ("  ", Kind.LIST, ""),
        ("Pending", Kind.PENDING, ""),
        ("launched", Kind.LAUNCHED, ""),
        ("help", Kind.HELP, ""),
        ("digest", Kind.DIGEST, ""),
        ("phishing  basics", Kind.SEARCH, "phishing basics"),
        ("a\x00b\nc", Kind.SEARCH, "a b c"),
        ("Q&amp;A &lt;2026&gt;", Kind.SEARCH, "Q&A <2026>"),
        ("&amp;lt;", Kind.SEARCH, "&lt;"),
    ],
)
def test_parse_command(text, kind, query):
    command = parse_command(text)
    assert command.kind is kind and command.query == query


def test_long_query_is_cut():
    assert len(parse_command("x" * 10_000).query) == 200


class SlowSource:
    def __init__(self):
        self.calls = 0
        self.release = threading.Event()
        self.entered = threading.Event()
        self.fail = False

    def get_campaigns(self):
        self.calls += 1
        self.entered.set()
        assert self.release.wait(5)
        if self.fail:
            raise UpstreamError("down")
        return CampaignBatch(tuple(CAMPAIGNS))


def test_concurrent_callers_share_one_fetch():
    source = SlowSource()
    service = CampaignService(source, ttl=60)
    with ThreadPoolExecutor(20) as pool:
        futures = [pool.submit(service.snapshot) for _ in range(20)]
        assert source.entered.wait(5)
        source.release.set()
        results = [f.result() for f in futures]
    assert source.calls == 1
    assert all(r is results[0] for r in results)


def test_errors_reach_every_waiter_and_are_not_cached():
    source = SlowSource()
    source.fail = True
    service = CampaignService(source, ttl=60)
    with ThreadPoolExecutor(5) as pool:
        futures = [pool.submit(service.snapshot) for _ in range(5)]
        assert source.entered.wait(5)
        source.release.set()
        errors = [f.exception() for f in futures]
    assert all(isinstance(e, UpstreamError) for e in errors)
    assert source.calls == 1
    source.fail = False
    assert len(service.snapshot().campaigns) == len(CAMPAIGNS)
    assert source.calls == 2


def test_ttl_expiry_refetches():
    now = [0.0]
    source = SlowSource()
    source.release.set()
    service = CampaignService(source, ttl=60, clock=lambda: now[0])
    service.snapshot()
    now[0] = 59.9
    service.snapshot()
    assert source.calls == 1
    now[0] = 60.1
    service.snapshot()
    assert source.calls == 2
    assert service.last_good() is not None
