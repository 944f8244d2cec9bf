"""Property tests: whatever Mimecast sends, every message is valid Block Kit and injects nothing."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from blocks import (
    ACTION_DETAILS,
    PAGE_SIZE,
    CampaignView,
    ListView,
    Message,
    campaign_detail_message,
    campaign_list_message,
    decode_view,
    encode_view,
    error_message,
    escape_mrkdwn,
    message_to_text,
    no_match_message,
    pick_list_message,
    plain,
    progress_bar,
    sort_campaigns,
    truncate_mrkdwn,
)
from blocks.limits import MAX_BLOCKS, message_problems
from blocks.text import slack_len, unescape_mrkdwn
from mimecast.errors import RateLimitedError, UpstreamError
from mimecast.models import Campaign, Comparison, Status, parse_campaign

FIXED = settings(max_examples=200, derandomize=True, deadline=None)

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
ZONES = [UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("America/Sao_Paulo"), ZoneInfo("Asia/Kathmandu")]
INJECTIONS = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<!subteam^S123>",
    "<#C123|general>",
    "<https://evil.example|click>",
)
FRAGMENTS = (
    *INJECTIONS,
    "&",
    "&amp;",
    "&lt;",
    "*",
    "_",
    "~",
    "`",
    "```",
    "\n",
    "\r\n",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\u2066",
    "\u200d",
    "🎉",
    "👨\u200d👩\u200d👧",
    "e\u0301",
    "שלום",
    "مرحبا",
    "Überweisungsbetrug – CEO-Fraud",
    " ",
    "None",
)

fragment = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
nasty_text = st.one_of(
    st.lists(fragment, max_size=8).map("".join),
    st.tuples(fragment, st.integers(1, 400)).map(lambda pair: pair[0] * pair[1]),
    st.integers(300, 2100).map(lambda n: ("<!channel>&" * 200)[:n]),
)
numbers = st.one_of(
    st.none(),
    st.integers(-5, 500),
    st.integers(-(10**20), 10**20),
    st.just(10**18),
)
moments = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    st.integers(-400, 400).map(lambda days: NOW + timedelta(days=days, minutes=7)),
)
ids = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF0123456789_-", min_size=1, max_size=200),
    st.just("x" * 2001),
)
comparisons = st.one_of(
    st.none(),
    st.builds(
        Comparison,
        num_campaigns=numbers,
        num_sent=numbers,
        num_completed=numbers,
        num_correct_answers=numbers,
    ),
)
answers = st.one_of(
    st.lists(st.one_of(st.none(), st.integers(-3, 10**6)), min_size=0, max_size=3).map(tuple),
    st.lists(numbers, min_size=20, max_size=40).map(tuple),
)
optional_text = st.one_of(st.none(), nasty_text)
optional_bool = st.one_of(st.none(), st.booleans())

campaigns_st = st.builds(
    Campaign,
    id=ids,
    name=nasty_text,
    module=optional_text,
    module_is_custom=st.booleans(),
    group=optional_text,
    group_source=st.one_of(st.none(), st.sampled_from(["ldap", "cloud", "<!here>"]), nasty_text),
    launch_date=moments,
    create_date=moments,
    email_customized=optional_bool,
    email_subject=optional_text,
    num_sent=numbers,
    num_completed=numbers,
    reported_percent_complete=numbers,
    percent_correct=numbers,
    correct_answers=answers,
    comparison=comparisons,
    locked=optional_bool,
)

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        nasty_text,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=12), children, max_size=3)
    ),
    max_leaves=8,
)
raw_keys = st.sampled_from(
    [
        "id",
        "name",
        "title",
        "group",
        "launchDate",
        "createDate",
        "emailCustomized",
        "emailMsg",
        "numSent",
        "numCompleted",
        "allOtherCampaigns",
        "locked",
        "percentComplete",
        "percentCorrect",
        "numCorrectAnswers",
    ]
)
raw_campaigns = st.dictionaries(raw_keys, json_values, max_size=15).map(parse_campaign)
any_campaign = st.one_of(campaigns_st, raw_campaigns)
views = st.builds(
    ListView, filter=st.sampled_from(["all", "pending", "launched"]), page=st.integers(0, 40)
)


# --- helpers ----------------------------------------------------------------------------------


def texts(message: Message) -> list[str]:
    found = [message.text]
    stack: list[Any] = list(message.blocks)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text"):
                found.append(node["text"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def assert_safe(message: Message, *, mention: str | None = None) -> None:
    assert message_problems(message) == []
    assert 1 <= len(message.blocks) <= MAX_BLOCKS
    assert message.text.strip()
    shown = "".join(texts(message))
    if mention:
        shown = shown.replace(mention, "")
    assert "<" not in shown
    for payload in INJECTIONS:
        assert payload not in shown
    for text in texts(message):
        assert not any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in text)
        assert "\u202e" not in text
    serialized = json.dumps(strip_detail_values(message.blocks), ensure_ascii=False)
    serialized.encode("utf-8")  # no lone surrogates
    for payload in INJECTIONS:
        assert payload not in serialized


def strip_detail_values(node: Any) -> Any:
    """The blocks without Details button values: those carry the raw campaign id by contract."""
    if isinstance(node, list):
        return [strip_detail_values(item) for item in node]
    if isinstance(node, dict):
        if str(node.get("action_id", "")).startswith(ACTION_DETAILS):
            return {k: v for k, v in node.items() if k != "value"}
        return {k: strip_detail_values(v) for k, v in node.items()}
    return node


# --- every message, any data ------------------------------------------------------------------


@FIXED
@given(
    campaigns=st.lists(any_campaign, max_size=30),
    view=views,
    zone=st.sampled_from(ZONES),
    fetched_minutes=st.one_of(st.none(), st.integers(0, 10_000)),
    shared=st.booleans(),
)
def test_list_messages_are_always_valid(
    campaigns: list[Campaign],
    view: ListView,
    zone: ZoneInfo,
    fetched_minutes: int | None,
    shared: bool,
) -> None:
    fetched = None if fetched_minutes is None else NOW - timedelta(minutes=fetched_minutes)
    message = campaign_list_message(
        campaigns,
        now=NOW,
        tz=zone,
        view=view,
        fetched_at=fetched,
        shared_by="U0SHARER" if shared else None,
        notice="Stale <!channel> data &amp; more" if fetched_minutes else None,
    )
    assert_safe(message, mention="<@U0SHARER>" if shared else None)
    assert (
        sum(1 for b in message.blocks if b["type"] == "section" and "accessory" in b) <= PAGE_SIZE
    )
    rendered = message_to_text(message)
    assert rendered.splitlines()[0].endswith("Awareness Training campaigns")


@FIXED
@given(campaign=any_campaign, zone=st.sampled_from(ZONES), back=st.one_of(st.none(), views))
def test_detail_messages_are_always_valid(
    campaign: Campaign, zone: ZoneInfo, back: ListView | None
) -> None:
    message = campaign_detail_message(campaign, now=NOW, tz=zone, back=back)
    assert_safe(message)
    fields = next(b for b in message.blocks if "fields" in b)["fields"]
    assert [f["text"].split("\n")[0] for f in fields] == [
        "*Module*",
        "*Group*",
        "*Sent*",
        "*Completed*",
        "*Locked*",
        "*Email*",
    ]
    assert all(f["text"].split("\n", 1)[1] for f in fields)
    assert ("Compared with" in json.dumps(message.blocks)) == (
        campaign.comparison is not None and not campaign.comparison.is_empty
    )
    assert ("Correct answers by question" in json.dumps(message.blocks)) == bool(
        campaign.correct_answers
    )


@FIXED
@given(
    query=nasty_text,
    matches=st.lists(any_campaign, max_size=25),
    zone=st.sampled_from(ZONES),
)
def test_pick_and_no_match_messages_are_always_valid(
    query: str, matches: list[Campaign], zone: ZoneInfo
) -> None:
    picked = pick_list_message(query, matches, now=NOW, tz=zone)
    assert_safe(picked)
    details = [b for b in picked.blocks if b["type"] == "section" and "accessory" in b]
    assert len(details) <= 10
    none = no_match_message(query, matches)
    assert_safe(none)
    assert len([b for b in none.blocks if b["type"] == "actions"]) <= 1


@FIXED
@given(
    stale=st.one_of(st.none(), st.lists(any_campaign, max_size=30)),
    retry=st.floats(min_value=0, max_value=10**6),
    code=nasty_text,
    zone=st.sampled_from(ZONES),
)
def test_error_messages_are_always_valid(
    stale: list[Campaign] | None, retry: float, code: str, zone: ZoneInfo
) -> None:
    for error in (RateLimitedError(retry), UpstreamError(code=code or None)):
        message = error_message(
            error, stale=stale, stale_fetched_at=NOW - timedelta(hours=3), now=NOW, tz=zone
        )
        assert_safe(message)
        assert message.text.startswith("⚠️ ")


@FIXED
@given(seed=st.lists(campaigns_st, min_size=1, max_size=5), page=st.integers(0, 40))
def test_three_hundred_campaigns_always_fit(seed: list[Campaign], page: int) -> None:
    campaigns = [dataclasses.replace(seed[i % len(seed)], id=f"c{i}") for i in range(300)]
    message = campaign_list_message(campaigns, now=NOW, tz=UTC, view=ListView("all", page))
    assert_safe(message)
    buttons = [
        b["accessory"]["action_id"]
        for b in message.blocks
        if b["type"] == "section" and "accessory" in b
    ]
    assert buttons == [f"{ACTION_DETAILS}:{i}" for i in range(len(buttons))]


@FIXED
@given(
    campaigns=st.lists(any_campaign, max_size=35),
    view_filter=st.sampled_from(["all", "pending", "launched"]),
)
def test_pages_cover_every_campaign_once_in_sorted_order(
    campaigns: list[Campaign], view_filter: str
) -> None:
    campaigns = [dataclasses.replace(c, id=f"c{i}") for i, c in enumerate(campaigns)]
    expected = [
        c.id
        for c in sort_campaigns(campaigns, NOW)
        if view_filter == "all" or c.status(NOW) is Status(view_filter)
    ]
    seen: list[str] = []
    for page in range(5):
        message = campaign_list_message(
            campaigns, now=NOW, tz=UTC, view=ListView(view_filter, page)
        )
        if page * PAGE_SIZE >= max(1, len(expected)):
            break
        seen += [
            b["accessory"]["value"]
            for b in message.blocks
            if b["type"] == "section" and "accessory" in b
        ]
    assert seen == expected


@FIXED
@given(campaigns=st.lists(any_campaign, max_size=30))
def test_sort_is_a_permutation_with_launched_first(campaigns: list[Campaign]) -> None:
    ordered = sort_campaigns(campaigns, NOW)
    assert sorted(map(id, ordered)) == sorted(map(id, campaigns))
    statuses = [c.status(NOW) for c in ordered]
    assert statuses == sorted(statuses, key=lambda s: s is Status.PENDING)


# --- text helpers ---------------------------------------------------------------------------


@FIXED
@given(text=nasty_text, limit=st.integers(1, 400))
def test_truncate_mrkdwn_is_a_safe_prefix(text: str, limit: int) -> None:
    escaped = escape_mrkdwn(text)
    cut = truncate_mrkdwn(escaped, limit)
    assert slack_len(cut) <= limit
    if cut == escaped:
        return
    assert cut.endswith("…")
    body = cut[:-1]
    assert escaped.startswith(body)
    assert "<" not in body and ">" not in body
    # Every & in the kept part still starts a whole escape.
    assert body.count("&") == body.count("&amp;") + body.count("&lt;") + body.count("&gt;")


@FIXED
@given(text=nasty_text, limit=st.integers(1, 200))
def test_plain_is_single_line_without_angle_brackets(text: str, limit: int) -> None:
    result = plain(text, limit)
    assert slack_len(result) <= limit
    assert "<" not in result and ">" not in result
    assert "\n" not in result and "\x00" not in result


@FIXED
@given(text=st.text())
def test_escape_round_trips(text: str) -> None:
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped and ">" not in escaped
    assert unescape_mrkdwn(escaped) == text


@FIXED
@given(a=st.floats(allow_nan=True), b=st.floats(allow_nan=False), cells=st.integers(1, 30))
def test_progress_bar_shape_and_monotony(a: float, b: float, cells: int) -> None:
    bar = progress_bar(a, cells)
    assert len(bar) == cells and set(bar) <= {"▰", "▱"}
    assert bar == "".join(sorted(bar))  # filled cells first
    low, high = sorted((0.0 if a != a else a, b))
    assert progress_bar(low, cells).count("▰") <= progress_bar(high, cells).count("▰")


# --- the button contract --------------------------------------------------------------------


@FIXED
@given(
    view=st.one_of(
        views,
        st.builds(
            CampaignView,
            campaign_id=st.text(
                alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=300
            ),
            back=st.one_of(st.none(), views),
        ),
    )
)
def test_views_round_trip(view: ListView | CampaignView) -> None:
    value = encode_view(view)
    assert slack_len(value) <= 2000
    assert "<" not in value and ">" not in value
    assert decode_view(value) == view


@FIXED
@given(value=st.one_of(st.text(max_size=300), json_values.map(json.dumps)))
def test_decode_view_only_raises_value_error(value: str) -> None:
    try:
        decoded = decode_view(value)
    except ValueError:
        return
    assert isinstance(decoded, ListView | CampaignView)
    assert decode_view(encode_view(decoded)) == decoded
