import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mimecast.errors import UpstreamError
from mimecast.models import Status, parse_campaign, parse_campaigns, readable_module

RECORDED = json.loads(
    (Path(__file__).parent / "fixtures" / "get-campaigns.recorded.json").read_text()
)
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_recorded_envelope_parses_every_key():
    batch = parse_campaigns(RECORDED)
    assert batch.skipped == 0
    first = batch.campaigns[0]
    assert first.name == "J1 Test Campaign"
    assert first.module == "For_the_Kids" and first.module_name == "For the Kids"
    assert first.group == "Integration" and first.group_source == "cloud"
    assert first.launch_date == datetime(2022, 1, 11, 23, 32, tzinfo=UTC)
    assert first.create_date == datetime(2022, 1, 11, 23, 25, 24, tzinfo=UTC)
    assert (first.num_sent, first.num_completed, first.percent_complete) == (2, 1, 50)
    assert first.percent_correct == 100
    assert first.correct_answers == (1,)
    assert first.comparison is None  # allOtherCampaigns: {} in real data
    assert first.locked is False and first.email_customized is False
    assert first.status(NOW) is Status.LAUNCHED
    assert len(first.id) > 150


def test_every_optional_key_missing():
    campaign = parse_campaign({"id": "abc", "name": "Bare"})
    assert campaign.module_name is None and campaign.group is None
    assert campaign.num_sent is None and campaign.percent_complete == 0
    assert campaign.completion_ratio == 0.0
    assert campaign.correct_answers == ()
    assert campaign.status(NOW) is Status.PENDING


@pytest.mark.parametrize(
    "raw",
    [
        {"title": None, "group": [], "numSent": "many", "numCompleted": {}, "numCorrectAnswers": 7},
        {"name": None, "id": None, "launchDate": "not a date", "allOtherCampaigns": "x"},
        {"numSent": 0, "numCompleted": 5, "percentComplete": 250, "percentCorrect": -4},
        {"numSent": True, "locked": "yes", "emailMsg": None, "title": {"title": 12}},
        {"numSent": float("nan"), "numCompleted": "1e400"},
    ],
)
def test_odd_shapes_never_raise(raw):
    campaign = parse_campaign(raw)
    assert 0 <= campaign.percent_complete <= 100
    assert 0.0 <= campaign.completion_ratio <= 1.0
    assert campaign.display_name
    assert campaign.id


@pytest.mark.parametrize("date", ["9999-12-31T23:59:59+0000", "0001-01-01T00:00:00+0000"])
def test_dates_at_the_edges_of_time_are_no_date(date):
    campaign = parse_campaign({"launchDate": date, "createDate": date})
    assert campaign.launch_date is None and campaign.create_date is None


def test_numeric_strings_and_floats_are_read():
    campaign = parse_campaign({"numSent": "40", "numCompleted": 10.0, "percentComplete": None})
    assert (campaign.num_sent, campaign.num_completed, campaign.percent_complete) == (40, 10, 25)


def test_questions_ordered_with_gaps():
    campaign = parse_campaign(
        {"numCorrectAnswers": {"forQuestion3": 2, "forQuestion1": 5, "other": 9}}
    )
    assert campaign.correct_answers == (5, None, 2)


def test_comparison_read_when_present():
    campaign = parse_campaign(
        {
            "allOtherCampaigns": {
                "numCampaigns": 11,
                "numSent": 200,
                "numCompleted": 150,
                "numCorrectAnswers": 90,
            }
        }
    )
    assert campaign.comparison is not None
    assert campaign.comparison.num_campaigns == 11
    assert campaign.comparison.percent_complete == 75


def test_pending_and_launched_derivation():
    future = (NOW + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    past = (NOW - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    assert parse_campaign({"launchDate": future, "numSent": 0}).status(NOW) is Status.PENDING
    assert parse_campaign({"launchDate": past, "numSent": 0}).status(NOW) is Status.LAUNCHED
    assert parse_campaign({"launchDate": future, "numSent": 4}).status(NOW) is Status.LAUNCHED


def test_one_bad_entry_does_not_hide_the_others():
    envelope = {
        "data": [{"campaigns": [{"name": "ok"}, "junk", None, 5, {"name": "also ok"}]}],
        "fail": [],
    }
    batch = parse_campaigns(envelope)
    assert [c.name for c in batch.campaigns] == ["ok", "also ok"]
    assert batch.skipped == 3


@pytest.mark.parametrize("envelope", [[], "x", {"data": "x"}, {"data": [{"campaigns": {"a": 1}}]}])
def test_wrong_envelope_shapes_raise_upstream_error(envelope):
    with pytest.raises(UpstreamError):
        parse_campaigns(envelope)


def test_empty_data_is_zero_campaigns():
    assert parse_campaigns({"data": [], "fail": []}).campaigns == ()


@pytest.mark.parametrize(
    ("title", "expected"),
    [("HIPAA_101", "HIPAA 101"), ("For_the_Kids", "For the Kids"), ("__", None), (None, None)],
)
def test_readable_module(title, expected):
    assert readable_module(title) == expected
