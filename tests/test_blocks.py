"""The Block Kit builders: content, escaping, paging, limits and the button contract."""

from __future__ import annotations

import json
import locale
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from blocks import (
    ACTION_BACK,
    ACTION_DETAILS,
    ACTION_PAGE,
    ACTION_SHARE,
    PAGE_SIZE,
    BlockKitLimitError,
    CampaignView,
    ListView,
    Message,
    builder_url,
    campaign_detail_message,
    campaign_list_message,
    decode_view,
    encode_view,
    error_message,
    escape_mrkdwn,
    format_date,
    format_day,
    help_message,
    message_to_text,
    no_match_message,
    notice_message,
    pick_list_message,
    plain,
    progress_bar,
    refusal_message,
    relative_days,
    sort_campaigns,
    truncate_mrkdwn,
    validate_message,
)
from blocks.health import Health, campaign_health
from blocks.limits import message_problems
from blocks.text import clean, format_age, slack_len
from mimecast.errors import (
    AuthenticationError,
    KeysExpiredError,
    MimecastError,
    PermissionDeniedError,
    RateLimitedError,
    RequestRejectedError,
    UpstreamError,
)
from mimecast.models import Campaign, Comparison, parse_campaign, parse_campaigns

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
RECORDED = json.loads(
    (Path(__file__).parent / "fixtures" / "get-campaigns.recorded.json").read_text()
)

INJECTIONS = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123>",
    "<@W0ABC|boss>",
    "<!subteam^S123>",
    "<#C123|general>",
    "<https://evil.example|click>",
    "<mailto:x@example.com|mail>",
)
NASTY = "Q4 <!channel> & <@U123> <https://evil|click> *b* _i_ ~s~ `c` \n\t\x00 ‮rtl‬ 🎉 שלום"


# --- helpers ----------------------------------------------------------------------------------


def launched(
    name: str = "Phishing Basics – Q4",
    *,
    days_ago: float = 32,
    sent: int | None = 240,
    done: int | None = 180,
    cid: str | None = None,
    **extra: Any,
) -> Campaign:
    return Campaign(
        id=cid or f"id-{name}",
        name=name,
        launch_date=NOW - timedelta(days=days_ago),
        num_sent=sent,
        num_completed=done,
        **extra,
    )


def pending(
    name: str = "Data Protection 2027",
    *,
    days_ahead: float | None = 40,
    cid: str | None = None,
    **extra: Any,
) -> Campaign:
    launch = None if days_ahead is None else NOW + timedelta(days=days_ahead)
    return Campaign(id=cid or f"id-{name}", name=name, launch_date=launch, **extra)


def full_campaign(**extra: Any) -> Campaign:
    values: dict[str, Any] = {
        "module": "Phishing_Basics",
        "group": "All Staff",
        "group_source": "ldap",
        "create_date": NOW - timedelta(days=34),
        "percent_correct": 88,
        "correct_answers": (158, 150, 131),
        "comparison": Comparison(num_campaigns=11, num_sent=1000, num_completed=720),
        "locked": False,
        "email_customized": False,
        "email_subject": "Security Awareness Module",
    }
    values.update(extra)
    return launched(**values)


def dump(message: Message) -> str:
    return json.dumps(message.payload(), ensure_ascii=False)


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def texts(message: Message) -> list[str]:
    """Every displayed string: text objects and the fallback (not button values or ids)."""
    found = [message.text]
    for node in walk(message.blocks):
        if node.get("type") in ("mrkdwn", "plain_text"):
            found.append(node["text"])
    return found


def buttons(message: Message) -> list[dict[str, Any]]:
    return [node for node in walk(message.blocks) if node.get("type") == "button"]


def button_labels(message: Message) -> list[str]:
    return [b["text"]["text"] for b in buttons(message)]


def by_action(message: Message, action_id: str) -> dict[str, Any] | None:
    return next((b for b in buttons(message) if b["action_id"] == action_id), None)


def contexts(message: Message) -> list[str]:
    return [
        element["text"]
        for block in message.blocks
        if block["type"] == "context"
        for element in block["elements"]
    ]


def header(message: Message) -> str:
    return next(b["text"]["text"] for b in message.blocks if b["type"] == "header")


def detail_ids(message: Message) -> list[str]:
    return [b["value"] for b in buttons(message) if b["action_id"].startswith(ACTION_DETAILS)]


def all_messages(campaigns: list[Campaign], query: str = NASTY) -> list[Message]:
    stale_at = NOW - timedelta(minutes=20)
    return [
        campaign_list_message(campaigns, now=NOW, tz=BERLIN, fetched_at=stale_at),
        campaign_list_message(campaigns, now=NOW, tz=BERLIN, view=ListView("pending")),
        campaign_list_message(campaigns, now=NOW, tz=BERLIN, view=ListView("launched", 3)),
        *(campaign_detail_message(c, now=NOW, tz=BERLIN) for c in campaigns),
        pick_list_message(query, campaigns, now=NOW, tz=BERLIN),
        no_match_message(query, campaigns),
        error_message(UpstreamError(), stale=campaigns, stale_fetched_at=stale_at, now=NOW),
        notice_message(query),
    ]


# --- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<!here>", "&lt;!here&gt;"),
        ("<!everyone>", "&lt;!everyone&gt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("<!subteam^S123>", "&lt;!subteam^S123&gt;"),
        ("<#C123|general>", "&lt;#C123|general&gt;"),
        ("<https://evil|click>", "&lt;https://evil|click&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("&lt;", "&amp;lt;"),
        ("*bold* _it_ ~s~ `c` \"q\" 'a'", "*bold* _it_ ~s~ `c` \"q\" 'a'"),
    ],
)
def test_escape_mrkdwn_replaces_only_the_three_control_characters(raw: str, escaped: str) -> None:
    assert escape_mrkdwn(raw) == escaped


@pytest.mark.parametrize("payload", INJECTIONS)
def test_no_mention_or_link_survives_in_any_message(payload: str) -> None:
    campaigns = [
        launched(
            f"Q4 {payload} refresher", cid="c1", module=f"Mod_{payload}", group=f"G {payload}"
        ),
        pending(
            f"Later {payload}", cid="c2", email_subject=f"Subject {payload}", email_customized=True
        ),
    ]
    for message in all_messages(campaigns, query=f"find {payload}"):
        serialized = dump(message)
        assert payload not in serialized
        assert "<" not in serialized, serialized
        assert ">" not in "".join(texts(message)).replace("&gt;", "")


def test_injected_name_is_escaped_in_mrkdwn_and_replaced_in_plain_text() -> None:
    campaign = launched("Q4 <!channel> refresher & co")
    detail = campaign_detail_message(campaign, now=NOW, tz=BERLIN)
    assert header(detail) == "Q4 ‹!channel› refresher & co"
    assert detail.text.startswith("Q4 &lt;!channel&gt; refresher &amp; co: launched")
    listing = campaign_list_message([campaign], now=NOW, tz=BERLIN)
    assert "*Q4 &lt;!channel&gt; refresher &amp; co*" in dump(listing)


def test_every_mrkdwn_object_is_verbatim_so_bare_at_channel_is_not_parsed() -> None:
    message = campaign_list_message([launched("Ping @channel now")], now=NOW, tz=BERLIN)
    md_objects = [n for n in walk(message.blocks) if n.get("type") == "mrkdwn"]
    assert md_objects and all(n.get("verbatim") is True for n in md_objects)


def test_control_characters_and_bidi_overrides_are_removed_from_names() -> None:
    campaign = launched("Line one\nLine\x00two\u202eevil\u2066x")
    message = campaign_detail_message(campaign, now=NOW, tz=BERLIN)
    assert header(message) == "Line one Line twoevilx"
    for text in texts(message):
        assert "\x00" not in text and "\u202e" not in text and "\u2066" not in text


def test_plain_strips_angle_brackets_collapses_lines_and_truncates() -> None:
    assert plain("a <b>\n\n c", 75) == "a ‹b› c"
    cut = plain("x" * 100, 75)
    assert cut == "x" * 74 + "…"
    assert plain("  ", 10) == ""


@pytest.mark.parametrize("limit", range(1, 16))
def test_truncate_mrkdwn_never_cuts_inside_an_escape(limit: int) -> None:
    text = escape_mrkdwn("a&b<c>d&&e") + "tail"
    cut = truncate_mrkdwn(text, limit)
    assert slack_len(cut) <= limit
    body = cut.removesuffix("…")
    assert body.count("&") == body.count(";"), cut
    if cut != text:
        assert cut.endswith("…")


def test_truncate_mrkdwn_keeps_short_text_and_emoji_clusters() -> None:
    assert truncate_mrkdwn("short", 10) == "short"
    family = "👨\u200d👩\u200d👧"
    cut = truncate_mrkdwn("ab " + family + " end", 6)
    assert cut == "ab…"
    assert truncate_mrkdwn("é" * 3 + "e\u0301" * 3, 5) in ("ééé…", "éééé…")
    with pytest.raises(ValueError):
        truncate_mrkdwn("x", 0)


def test_clean_replaces_lone_surrogates() -> None:
    assert clean("a\ud800b") == "a\ufffdb"
    message = campaign_detail_message(launched("bad \udc00 name"), now=NOW, tz=BERLIN)
    json.dumps(message.payload()).encode("utf-8")  # would raise on a lone surrogate
    assert header(message) == "bad \ufffd name"


# --- progress bars, numbers, dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "bar"),
    [
        (0.0, "▱▱▱▱▱▱▱▱▱▱"),
        (0.05, "▱▱▱▱▱▱▱▱▱▱"),
        (0.1, "▰▱▱▱▱▱▱▱▱▱"),
        (0.72, "▰▰▰▰▰▰▰▱▱▱"),
        (0.75, "▰▰▰▰▰▰▰▱▱▱"),
        (0.7, "▰▰▰▰▰▰▰▱▱▱"),
        (0.999, "▰▰▰▰▰▰▰▰▰▱"),
        (1.0, "▰▰▰▰▰▰▰▰▰▰"),
        (-3.0, "▱▱▱▱▱▱▱▱▱▱"),
        (7.5, "▰▰▰▰▰▰▰▰▰▰"),
        (float("nan"), "▱▱▱▱▱▱▱▱▱▱"),
        (float("inf"), "▰▰▰▰▰▰▰▰▰▰"),
        (float("-inf"), "▱▱▱▱▱▱▱▱▱▱"),
    ],
)
def test_progress_bar_edges(ratio: float, bar: str) -> None:
    assert progress_bar(ratio) == bar


def test_progress_bar_cells() -> None:
    assert progress_bar(0.5, cells=4) == "▰▰▱▱"
    with pytest.raises(ValueError):
        progress_bar(0.5, cells=0)


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        (datetime(2026, 1, 12, 9, 0, tzinfo=UTC), UTC, "Mon 12 Jan, 09:00 UTC"),
        (datetime(2026, 1, 12, 9, 0, tzinfo=UTC), BERLIN, "Mon 12 Jan, 10:00 CET"),
        (datetime(2026, 7, 1, 9, 0, tzinfo=UTC), BERLIN, "Wed 1 Jul, 11:00 CEST"),
        (
            datetime(2026, 1, 12, 3, 0, tzinfo=UTC),
            ZoneInfo("America/New_York"),
            "Sun 11 Jan, 22:00 EST",
        ),
        (
            datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
            ZoneInfo("Asia/Kolkata"),
            "Mon 12 Jan, 14:30 IST",
        ),
        (
            datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
            ZoneInfo("America/Sao_Paulo"),
            "Mon 12 Jan, 06:00 UTC-03",
        ),
        (
            datetime(2026, 1, 12, 9, 0, tzinfo=UTC),
            ZoneInfo("Asia/Kathmandu"),
            "Mon 12 Jan, 14:45 UTC+05:45",
        ),
    ],
)
def test_format_date_in_zones(moment: datetime, zone: Any, expected: str) -> None:
    assert format_date(moment, zone) == expected


def test_format_date_and_day_add_the_year_only_when_it_differs() -> None:
    moment = datetime(2027, 1, 13, 12, 0, tzinfo=UTC)
    assert format_date(moment, UTC, NOW) == "Wed 13 Jan 2027, 12:00 UTC"
    assert format_day(moment, UTC, NOW) == "Wed 13 Jan 2027"
    assert format_day(datetime(2026, 11, 2, tzinfo=UTC), UTC, NOW) == "Mon 2 Nov"
    assert format_day(datetime(2026, 11, 2, tzinfo=UTC), UTC) == "Mon 2 Nov"


def test_dates_stay_english_under_another_locale() -> None:
    previous = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "C.UTF-8", "C"):
        try:
            locale.setlocale(locale.LC_TIME, name)
            break
        except locale.Error:
            continue
    try:
        assert format_date(datetime(2026, 3, 2, 8, 5, tzinfo=UTC), UTC) == "Mon 2 Mar, 08:05 UTC"
        assert format_day(datetime(2026, 5, 3, tzinfo=UTC), BERLIN) == "Sun 3 May"
    finally:
        locale.setlocale(locale.LC_TIME, previous)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(hours=-2), "today"),
        (timedelta(days=-1), "yesterday"),
        (timedelta(days=1), "tomorrow"),
        (timedelta(days=-3), "3 days ago"),
        (timedelta(days=5), "in 5 days"),
        (timedelta(days=-2000), "2,000 days ago"),
    ],
)
def test_relative_days(delta: timedelta, expected: str) -> None:
    assert relative_days(NOW + delta, NOW) == expected


def test_relative_days_uses_calendar_dates_in_the_given_zone() -> None:
    now = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)  # already 5 Dec in Berlin (UTC+1)
    moment = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)  # still 4 Dec in Berlin
    assert relative_days(moment, now) == "today"
    assert relative_days(moment, now, BERLIN) == "yesterday"


def test_format_age() -> None:
    assert format_age(NOW - timedelta(seconds=20), NOW, UTC) == "just now"
    assert format_age(NOW - timedelta(minutes=2, seconds=30), NOW, UTC) == "2 min ago"
    assert format_age(NOW - timedelta(hours=3), NOW, UTC) == "3 h ago"
    assert format_age(NOW - timedelta(days=2), NOW, UTC) == "on Wed 2 Dec, 12:00 UTC"
    assert format_age(NOW + timedelta(minutes=5), NOW, UTC) == "just now"


# --- the list ---------------------------------------------------------------------------------


def test_sort_order_launched_newest_first_then_pending_soonest_first() -> None:
    campaigns = [
        pending("P-none", days_ahead=None),
        launched("L-old", days_ago=90),
        pending("P-later", days_ahead=30),
        launched("L-new", days_ago=1),
        Campaign(id="x", name="L-undated", num_sent=5),
        pending("P-soon", days_ahead=2),
        launched("L-mid", days_ago=10),
    ]
    order = [c.name for c in sort_campaigns(campaigns, NOW)]
    assert order == ["L-new", "L-mid", "L-old", "L-undated", "P-soon", "P-later", "P-none"]


def test_list_message_matches_the_design() -> None:
    campaigns = [
        full_campaign(),
        launched(
            "Lagging: Social Engineering",
            days_ago=95,
            sent=300,
            done=30,
            module="Social_Engineering",
            group="Sales",
            percent_correct=70,
        ),
        pending("Data Protection 2027", module="GDPR_Essentials", group="All Staff"),
    ]
    message = campaign_list_message(
        campaigns, now=NOW, tz=UTC, fetched_at=NOW - timedelta(minutes=2)
    )
    assert header(message) == "Awareness Training campaigns"
    assert contexts(message)[0] == "3 campaigns · 2 launched · 1 pending · updated 2 min ago"
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert sections == [
        "🟢 *Phishing Basics – Q4*\nPhishing Basics · All Staff · launched 32 days ago\n"
        "▰▰▰▰▰▰▰▱▱▱ 75% complete (180/240) · 88% correct",
        "🔴 *Lagging: Social Engineering*\nSocial Engineering · Sales · launched 95 days ago\n"
        "▰▱▱▱▱▱▱▱▱▱ 10% complete (30/300) · 70% correct",
        "🕒 *Data Protection 2027*\n"
        "GDPR Essentials · All Staff · launches Wed 13 Jan 2027, 12:00 UTC",
    ]
    assert button_labels(message) == ["Details", "Details", "Details", "Share to channel"]
    assert detail_ids(message) == [c.id for c in campaigns]
    assert message.text == "3 Awareness Training campaigns: 2 launched, 1 pending."


def test_detail_buttons_have_unique_action_ids_and_carry_the_raw_id() -> None:
    long_id = "eNq" + "x" * 197
    campaigns = [launched(f"C{i}", cid=f"{long_id}{i}") for i in range(3)]
    message = campaign_list_message(campaigns, now=NOW, tz=UTC)
    details = [b for b in buttons(message) if b["action_id"].startswith(ACTION_DETAILS)]
    assert [b["action_id"] for b in details] == [f"{ACTION_DETAILS}:{i}" for i in range(3)]
    assert {b["value"] for b in details} == {f"{long_id}{i}" for i in range(3)}


def test_campaign_ids_are_never_displayed() -> None:
    campaigns = [launched("Visible", cid="SECRET-ID-123"), pending("Later")]
    messages = [
        *all_messages(campaigns, query="visible"),
        campaign_detail_message(campaigns[0], now=NOW, tz=UTC, back=None),
    ]
    for message in messages:
        assert not any("SECRET-ID-123" in text for text in texts(message))
        assert "SECRET-ID-123" not in message_to_text(message)
    assert "SECRET-ID-123" in detail_ids(messages[0])


@pytest.mark.parametrize(
    ("campaign", "emoji"),
    [
        (launched(sent=100, done=50), "🟢"),
        (launched(sent=100, done=100, days_ago=400), "🟢"),
        (launched(sent=100, done=30, days_ago=5), "🟢"),
        (launched(sent=100, done=30, days_ago=30), "🟡"),
        (launched(sent=100, done=10, days_ago=30), "🔴"),
        (launched(sent=100, done=10, days_ago=3), "🟢"),
        (launched(sent=100, done=30, days_ago=8), "🟡"),
        (pending(), "🕒"),
    ],
)
def test_status_emoji(campaign: Campaign, emoji: str) -> None:
    message = campaign_list_message([campaign], now=NOW, tz=UTC)
    section = next(b for b in message.blocks if b["type"] == "section")
    assert section["text"]["text"].startswith(f"{emoji} *")


def test_health_categories() -> None:
    assert campaign_health(launched(sent=10, done=10), NOW) is Health.DONE
    assert campaign_health(launched(sent=10, done=6), NOW) is Health.ON_TRACK
    assert campaign_health(launched(sent=10, done=1, days_ago=20), NOW) is Health.FAR_BEHIND
    assert campaign_health(pending(), NOW) is Health.PENDING


def test_locked_campaigns_show_a_lock() -> None:
    message = campaign_list_message([launched("Locked one", locked=True)], now=NOW, tz=UTC)
    assert "*Locked one* 🔒" in dump(message)
    message = campaign_list_message([launched("Open one", locked=False)], now=NOW, tz=UTC)
    assert "🔒" not in dump(message)


def _many(count: int) -> list[Campaign]:
    return [launched(f"Campaign {i:03d}", days_ago=i + 1) for i in range(count)]


def test_first_page_has_next_but_no_previous() -> None:
    message = campaign_list_message(_many(23), now=NOW, tz=UTC)
    assert len(detail_ids(message)) == PAGE_SIZE
    assert "Page 1 of 3 · 1–10 of 23" in contexts(message)
    assert by_action(message, f"{ACTION_PAGE}:prev") is None
    following = by_action(message, f"{ACTION_PAGE}:next")
    assert following is not None and decode_view(following["value"]) == ListView("all", 1)
    share = by_action(message, ACTION_SHARE)
    assert share is not None and decode_view(share["value"]) == ListView("all", 0)
    assert button_labels(message)[-2:] == ["Next ›", "Share to channel"]


def test_middle_page_has_both_directions() -> None:
    message = campaign_list_message(_many(23), now=NOW, tz=UTC, view=ListView("all", 1))
    assert "Page 2 of 3 · 11–20 of 23" in contexts(message)
    previous = by_action(message, f"{ACTION_PAGE}:prev")
    following = by_action(message, f"{ACTION_PAGE}:next")
    assert previous is not None and decode_view(previous["value"]) == ListView("all", 0)
    assert following is not None and decode_view(following["value"]) == ListView("all", 2)
    assert detail_ids(message)[0] == "id-Campaign 010"


def test_last_page_and_out_of_range_page_clamp() -> None:
    last = campaign_list_message(_many(23), now=NOW, tz=UTC, view=ListView("all", 2))
    beyond = campaign_list_message(_many(23), now=NOW, tz=UTC, view=ListView("all", 99))
    for message in (last, beyond):
        assert "Page 3 of 3 · 21–23 of 23" in contexts(message)
        assert detail_ids(message) == ["id-Campaign 020", "id-Campaign 021", "id-Campaign 022"]
        assert by_action(message, f"{ACTION_PAGE}:next") is None
        assert by_action(message, f"{ACTION_PAGE}:prev") is not None
        share = by_action(message, ACTION_SHARE)
        assert share is not None and decode_view(share["value"]) == ListView("all", 2)


def test_single_page_has_no_paging() -> None:
    message = campaign_list_message(_many(PAGE_SIZE), now=NOW, tz=UTC)
    assert not any(text.startswith("Page ") for text in contexts(message))
    assert button_labels(message)[-1] == "Share to channel"
    assert by_action(message, f"{ACTION_PAGE}:next") is None


def test_three_hundred_campaigns_fit() -> None:
    campaigns = [
        launched(("Very long name " * 30) + str(i), days_ago=i, cid=f"{'i' * 200}{i}")
        for i in range(300)
    ]
    message = campaign_list_message(campaigns, now=NOW, tz=UTC, view=ListView("all", 7))
    assert len(message.blocks) <= 50
    assert "Page 8 of 30 · 71–80 of 300" in contexts(message)
    assert message_problems(message) == []


def test_filtered_views_say_so() -> None:
    campaigns = [launched("A"), pending("B"), pending("C", days_ahead=2)]
    pending_view = campaign_list_message(campaigns, now=NOW, tz=UTC, view=ListView("pending"))
    assert header(pending_view) == "Pending Awareness Training campaigns"
    assert detail_ids(pending_view) == ["id-C", "id-B"]
    assert contexts(pending_view)[0] == "2 pending of 3 campaigns"
    assert "launches in 2 days" in dump(pending_view)
    share = by_action(pending_view, ACTION_SHARE)
    assert share is not None and decode_view(share["value"]) == ListView("pending", 0)
    launched_view = campaign_list_message(campaigns, now=NOW, tz=UTC, view=ListView("launched"))
    assert header(launched_view) == "Launched Awareness Training campaigns"
    assert detail_ids(launched_view) == ["id-A"]


def test_empty_tenant_and_empty_filter_say_so_plainly() -> None:
    empty = campaign_list_message([], now=NOW, tz=UTC)
    assert "No Awareness Training campaigns yet." in dump(empty)
    assert empty.text == "No Awareness Training campaigns yet."
    assert buttons(empty) == []
    none_pending = campaign_list_message([launched("A")], now=NOW, tz=UTC, view=ListView("pending"))
    assert "No pending campaigns: all 1 campaign have launched." in dump(none_pending)
    back = by_action(none_pending, ACTION_BACK)
    assert back is not None and decode_view(back["value"]) == ListView("all", 0)
    none_launched = campaign_list_message(
        [pending("P")], now=NOW, tz=UTC, view=ListView("launched")
    )
    assert "No launched campaigns yet: 1 campaign pending." in dump(none_launched)


def test_shared_list_names_the_sharer_and_drops_the_share_button() -> None:
    message = campaign_list_message([launched("A")], now=NOW, tz=UTC, shared_by="U123ABC")
    assert "Shared by <@U123ABC>" in contexts(message)
    assert by_action(message, ACTION_SHARE) is None


@pytest.mark.parametrize("bad", ["U123><!channel", "u123", "<@U1>", "C123", "", "U12 3"])
def test_malformed_sharer_is_never_mentioned(bad: str) -> None:
    message = campaign_list_message([launched("A")], now=NOW, tz=UTC, shared_by=bad)
    assert not any("Shared by" in c for c in contexts(message))
    assert "<" not in dump(message)
    assert by_action(message, ACTION_SHARE) is None


def test_notice_is_shown_under_the_header_and_defused() -> None:
    notice = "⚠️ Showing data from 09:00 &amp; <!channel> <@U777>"
    message = campaign_list_message([launched("A")], now=NOW, tz=UTC, notice=notice)
    assert message.blocks[0]["type"] == "header"
    assert message.blocks[1]["text"]["text"] == (
        "⚠️ Showing data from 09:00 &amp; &lt;!channel&gt; <@U777>"
    )


def test_missing_everything_in_the_list() -> None:
    bare = parse_campaign({})
    message = campaign_list_message([bare], now=NOW, tz=UTC)
    section = next(b for b in message.blocks if b["type"] == "section")
    assert section["text"]["text"] == "🕒 *Untitled campaign*\nno launch date"
    assert "None" not in dump(message)


def test_launched_without_counts_or_date() -> None:
    campaign = Campaign(id="z", name="Odd", num_sent=3, reported_percent_complete=40)
    message = campaign_list_message([campaign], now=NOW, tz=UTC)
    assert "🟡 *Odd*\nlaunch date unknown\n▰▰▰▰▱▱▱▱▱▱ 40% complete (—/3)" in texts(message)


def test_recorded_tenant_renders() -> None:
    campaigns = list(parse_campaigns(RECORDED).campaigns)
    message = campaign_list_message(campaigns, now=NOW, tz=UTC)
    assert "*J1 Test Campaign*" in dump(message)
    assert "For the Kids · Integration · launched" in dump(message)
    for campaign in campaigns:
        validate_message(campaign_detail_message(campaign, now=NOW, tz=UTC))


# --- one campaign -----------------------------------------------------------------------------


def test_detail_message_matches_the_design() -> None:
    message = campaign_detail_message(full_campaign(), now=NOW, tz=UTC)
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["header", "section", "section", "section", "context", "actions"]
    assert header(message) == "Phishing Basics – Q4"
    assert message.blocks[1]["text"]["text"] == (
        "🟢 Launched Mon 2 Nov (32 days ago) · created Sat 31 Oct\n"
        "▰▰▰▰▰▰▰▱▱▱ *75% complete* — 180 of 240 users · 88% correct"
    )
    fields = [f["text"] for f in message.blocks[2]["fields"]]
    assert fields == [
        "*Module*\nPhishing Basics",
        "*Group*\nAll Staff (LDAP)",
        "*Sent*\n240",
        "*Completed*\n180",
        "*Locked*\nno",
        "*Email*\ntemplate (not customised)",
    ]
    assert message.blocks[3]["text"]["text"] == (
        "*Correct answers by question*\n"
        "Q1 ▰▰▰▰▰▰▰▰▱▱ 158 (87%)\nQ2 ▰▰▰▰▰▰▰▰▱▱ 150 (83%)\nQ3 ▰▰▰▰▰▰▰▱▱▱ 131 (72%)"
    )
    assert contexts(message) == [
        "Compared with 11 other campaigns: 72% complete on average (this one +3 pts)"
    ]
    assert button_labels(message) == ["‹ All campaigns", "Share to channel"]
    back = by_action(message, ACTION_BACK)
    share = by_action(message, ACTION_SHARE)
    assert back is not None and decode_view(back["value"]) == ListView()
    assert share is not None
    assert decode_view(share["value"]) == CampaignView("id-Phishing Basics – Q4", ListView())
    assert message.text == (
        "Phishing Basics – Q4: launched, 75% complete (180 of 240 users), 88% correct."
    )


def test_created_date_is_shown_in_the_callers_zone() -> None:
    campaign = full_campaign(create_date=datetime(2026, 10, 30, 23, 30, tzinfo=UTC))
    message = campaign_detail_message(campaign, now=NOW, tz=BERLIN)
    assert "created Sat 31 Oct" in message.blocks[1]["text"]["text"]


@pytest.mark.parametrize(
    ("answers", "lines"),
    [
        ((200,), ["Q1 ▰▰▰▰▰▰▰▰▰▰ 200 (100%)"]),
        ((90, None), ["Q1 ▰▰▰▰▰▱▱▱▱▱ 90 (50%)", "Q2 —"]),
        (
            (1, 2, 3, 4),
            [
                "Q1 ▱▱▱▱▱▱▱▱▱▱ 1 (0%)",
                "Q2 ▱▱▱▱▱▱▱▱▱▱ 2 (1%)",
                "Q3 ▱▱▱▱▱▱▱▱▱▱ 3 (1%)",
                "Q4 ▱▱▱▱▱▱▱▱▱▱ 4 (2%)",
            ],
        ),
    ],
)
def test_questions_are_relative_to_completed(
    answers: tuple[int | None, ...], lines: list[str]
) -> None:
    message = campaign_detail_message(full_campaign(correct_answers=answers), now=NOW, tz=UTC)
    section = message.blocks[3]["text"]["text"]
    assert section.split("\n")[1:] == lines


def test_questions_without_completions_show_counts_only() -> None:
    campaign = full_campaign(done=0, correct_answers=(3,))
    message = campaign_detail_message(campaign, now=NOW, tz=UTC)
    assert "Q1 ▱▱▱▱▱▱▱▱▱▱ 3" in dump(message)


def test_no_questions_and_no_comparison_are_omitted() -> None:
    campaign = full_campaign(correct_answers=(), comparison=None)
    message = campaign_detail_message(campaign, now=NOW, tz=UTC)
    assert "Correct answers" not in dump(message)
    assert "Compared with" not in dump(message)
    assert [b["type"] for b in message.blocks] == ["header", "section", "section", "actions"]


@pytest.mark.parametrize(
    ("comparison", "expected"),
    [
        (
            Comparison(1, 100, 80),
            "Compared with 1 other campaign: 80% complete on average (this one -5 pts)",
        ),
        (
            Comparison(None, 100, 75),
            "Compared with other campaigns: 75% complete on average (this one same as average)",
        ),
        (
            Comparison(4, None, None),
            "Compared with 4 other campaigns: no average completion available",
        ),
    ],
)
def test_comparison_wording(comparison: Comparison, expected: str) -> None:
    message = campaign_detail_message(full_campaign(comparison=comparison), now=NOW, tz=UTC)
    assert contexts(message) == [expected]


def test_missing_values_read_as_a_dash_never_none() -> None:
    campaign = parse_campaign({"id": "abc", "name": "Bare"})
    message = campaign_detail_message(campaign, now=NOW, tz=UTC)
    fields = [f["text"] for f in message.blocks[2]["fields"]]
    assert fields == [
        "*Module*\n—",
        "*Group*\n—",
        "*Sent*\n—",
        "*Completed*\n—",
        "*Locked*\n—",
        "*Email*\n—",
    ]
    assert message.blocks[1]["text"]["text"] == "🕒 Pending · no launch date set"
    assert "None" not in dump(message)
    assert message.text == "Bare: pending, no launch date set."


def test_pending_detail_shows_the_launch_date() -> None:
    campaign = pending("Soon", days_ahead=5, create_date=NOW - timedelta(days=1))
    message = campaign_detail_message(campaign, now=NOW, tz=UTC)
    assert message.blocks[1]["text"]["text"] == (
        "🕒 Pending · launches Wed 9 Dec, 12:00 UTC (in 5 days) · created Thu 3 Dec"
    )


def test_email_and_group_variants() -> None:
    campaign = full_campaign(
        email_customized=True,
        email_subject="Act now <!here> & win",
        locked=True,
        group_source="cloud",
        module_is_custom=True,
    )
    fields = [
        f["text"] for f in campaign_detail_message(campaign, now=NOW, tz=UTC).blocks[2]["fields"]
    ]
    assert "*Email*\ncustomised: “Act now &lt;!here&gt; &amp; win”" in fields
    assert "*Locked*\nyes 🔒" in fields
    assert "*Group*\nAll Staff (cloud)" in fields
    assert "*Module*\nPhishing Basics (custom)" in fields


def test_behind_campaigns_say_so_in_words() -> None:
    campaign = full_campaign(sent=300, done=30, days_ago=95)
    message = campaign_detail_message(campaign, now=NOW, tz=UTC)
    assert message.blocks[1]["text"]["text"].startswith("🔴 Launched ")
    assert "· far behind\n" in message.blocks[1]["text"]["text"]


def test_detail_without_back_and_shared() -> None:
    message = campaign_detail_message(full_campaign(), now=NOW, tz=UTC, back=None)
    assert button_labels(message) == ["Share to channel"]
    share = by_action(message, ACTION_SHARE)
    assert share is not None and decode_view(share["value"]) == CampaignView(
        "id-Phishing Basics – Q4"
    )
    shared = campaign_detail_message(
        full_campaign(), now=NOW, tz=UTC, back=ListView("pending", 2), shared_by="W42"
    )
    assert "Shared by <@W42>" in contexts(shared)
    assert button_labels(shared) == ["‹ All campaigns"]
    back = by_action(shared, ACTION_BACK)
    assert back is not None and decode_view(back["value"]) == ListView("pending", 2)


def test_long_names_are_truncated_in_the_header_and_shown_in_full_below() -> None:
    name = "N" * 400
    message = campaign_detail_message(launched(name), now=NOW, tz=UTC)
    assert header(message) == "N" * 149 + "…"
    assert message.blocks[1]["text"]["text"] == f"*{name}*"
    huge = campaign_detail_message(launched("&" * 2000), now=NOW, tz=UTC)
    validate_message(huge)
    assert huge.blocks[1]["text"]["text"].endswith("…*")


def test_huge_negative_and_out_of_range_numbers() -> None:
    campaign = Campaign(
        id="n",
        name="Numbers",
        launch_date=NOW - timedelta(days=3),
        num_sent=10**18,
        num_completed=-5,
        reported_percent_complete=250,
        percent_correct=180,
        correct_answers=(10**18, -1),
        comparison=Comparison(num_campaigns=-3, num_sent=10**18, num_completed=10**19),
    )
    message = campaign_detail_message(campaign, now=NOW, tz=UTC)
    serialized = dump(message)
    assert "1,000,000,000,000,000,000" in serialized
    assert "*Completed*\\n—" in serialized
    assert "100% correct" in serialized and "180%" not in serialized
    assert "Q2 —" in serialized
    listing = campaign_list_message([campaign], now=NOW, tz=UTC)
    assert "0% complete (—/1,000,000,000,000,000,000)" in dump(listing)


# --- pick lists, no match -----------------------------------------------------------------


def test_pick_list_shows_each_match_with_a_details_button() -> None:
    matches = [launched("Phishing A"), pending("Phishing B")]
    message = pick_list_message("phishing", matches, now=NOW, tz=UTC)
    assert message.blocks[0]["text"]["text"] == '2 campaigns match "phishing":'
    assert detail_ids(message) == ["id-Phishing A", "id-Phishing B"]
    assert "🟢 *Phishing A*\nlaunched 32 days ago · 75% complete" in texts(message)
    assert message.text == '2 campaigns match "phishing": Phishing A, Phishing B.'


def test_pick_list_is_capped() -> None:
    matches = [launched(f"Phishing {i}") for i in range(25)]
    message = pick_list_message("phish", matches, now=NOW, tz=UTC)
    assert len(detail_ids(message)) == 10
    assert contexts(message) == ["+15 more: type more of the name"]
    assert message.text.endswith("and 15 more.")


def test_pick_list_escapes_the_query() -> None:
    message = pick_list_message("<!channel>", [launched("A"), launched("B")], now=NOW, tz=UTC)
    assert message.blocks[0]["text"]["text"] == '2 campaigns match "&lt;!channel&gt;":'


@pytest.mark.parametrize("count", [0, 2, 7])
def test_no_match_with_suggestions(count: int) -> None:
    suggestions = [launched(f"Phishing Basics {i}") for i in range(count)]
    message = no_match_message("phisng", suggestions)
    text = message.blocks[0]["text"]["text"]
    assert text.startswith('No campaign matches "phisng".')
    shown = min(count, 5)
    assert button_labels(message) == [f"Phishing Basics {i}" for i in range(shown)]
    assert detail_ids(message) == [f"id-Phishing Basics {i}" for i in range(shown)]
    if count:
        assert (
            text
            == 'No campaign matches "phisng". Did you mean '
            + ", ".join(f"*Phishing Basics {i}*" for i in range(shown))
            + "?"
        )
        assert "*" not in message.text
    else:
        assert text == 'No campaign matches "phisng". `/campaigns` lists them all.'


def test_pick_list_without_matches_falls_back_to_no_match() -> None:
    message = pick_list_message("zzz", [], now=NOW, tz=UTC)
    assert message.text.startswith('No campaign matches "zzz".')


# --- help, errors, refusals, notices ------------------------------------------------------


def test_help_is_the_usage_table_in_a_code_block() -> None:
    message = help_message()
    text = message.blocks[0]["text"]["text"]
    assert "```\n/campaigns " in text and text.endswith("```")
    for command in ("pending", "launched", "digest", "digest subscribe [cron] [zone]", "help"):
        assert f"/campaigns {command}" in text
    assert "/campaigns &lt;name&gt;" in text
    assert "<name>" not in dump(message)


@pytest.mark.parametrize(
    ("error", "first_line"),
    [
        (AuthenticationError(), "⚠️ Mimecast rejected the bot's keys (err_xdk_invalid_signature)."),
        (
            KeysExpiredError(),
            "⚠️ The Mimecast keys have expired: an administrator should create new ones in "
            "Administration &gt; Services &gt; API and update MIMECAST_ACCESS_KEY / "
            "MIMECAST_SECRET_KEY (http_418).",
        ),
        (
            PermissionDeniedError(),
            "⚠️ Mimecast refused access: the API user needs the Awareness Training | "
            "Dashboard | Read permission (http_403).",
        ),
        (RateLimitedError(3.2), "⚠️ Mimecast's rate limit was reached (http_429)."),
        (
            UpstreamError(code="timeout"),
            "⚠️ Mimecast is unreachable or too slow right now (timeout).",
        ),
        (
            RequestRejectedError(code="err_<!here>"),
            "⚠️ Mimecast rejected the request (err_&lt;!here&gt;).",
        ),
        (MimecastError(), "⚠️ Mimecast did not answer as expected (mimecast_error)."),
    ],
)
def test_error_messages(error: MimecastError, first_line: str) -> None:
    message = error_message(error)
    assert message.blocks[0]["text"]["text"].split("\n")[0] == first_line
    assert message.text == first_line
    assert len(message.blocks) == 1


def test_error_message_says_what_to_do_on_the_second_line() -> None:
    text = error_message(RateLimitedError(3.2)).blocks[0]["text"]["text"]
    assert text.split("\n")[1] == "Try again in 4 seconds."
    text = error_message(AuthenticationError()).blocks[0]["text"]["text"]
    assert text.split("\n")[1].endswith("then run `python bot.py check`.")


def test_error_message_with_stale_list() -> None:
    stale = _many(35)
    message = error_message(
        UpstreamError(),
        stale=stale,
        stale_fetched_at=datetime(2026, 12, 4, 10, 40, tzinfo=UTC),
        now=NOW,
        tz=BERLIN,
    )
    assert "The last list from 11:40 CET is shown below." in contexts(message)
    assert message.text.endswith("The last list from 11:40 CET is shown below.")
    assert header(message) == "Awareness Training campaigns"
    assert len(detail_ids(message)) == PAGE_SIZE
    assert len(message.blocks) <= 50
    older = error_message(
        UpstreamError(),
        stale=stale,
        stale_fetched_at=NOW - timedelta(days=2),
        now=NOW,
        tz=UTC,
    )
    assert "The last list from Wed 2 Dec, 12:00 UTC is shown below." in contexts(older)


def test_error_message_without_a_clock_leaves_the_stale_list_out() -> None:
    message = error_message(UpstreamError(), stale=_many(3))
    assert len(message.blocks) == 1


def test_refusal_is_polite_and_points_to_an_admin() -> None:
    message = refusal_message()
    assert "limited to certain people" in message.text
    assert "workspace admin" in message.blocks[0]["text"]["text"]
    assert "!" not in message.text


def test_notice_message_escapes() -> None:
    message = notice_message("Digest subscribed <!channel> & done")
    assert message.text == "Digest subscribed &lt;!channel&gt; &amp; done"
    assert message.blocks[0]["text"]["text"] == message.text
    assert notice_message("").text == "—"


# --- the button contract ------------------------------------------------------------------


@pytest.mark.parametrize(
    "view",
    [
        ListView(),
        ListView("pending", 3),
        ListView("launched", 100_000),
        CampaignView("eNq" + "a" * 200),
        CampaignView('id <with> & "quotes" é', ListView("pending", 1)),
    ],
)
def test_view_round_trip(view: ListView | CampaignView) -> None:
    value = encode_view(view)
    assert len(value) <= 2000
    assert "<" not in value and ">" not in value and "&" not in value
    assert decode_view(value) == view


def test_encoded_views_are_compact() -> None:
    assert encode_view(ListView("pending", 2)) == '{"f":"pending","p":2}'
    assert encode_view(CampaignView("abc")) == '{"c":"abc"}'


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not json",
        "[]",
        "null",
        '"text"',
        "{}",
        '{"f":"all"}',
        '{"f":"secret","p":0}',
        '{"f":"all","p":-1}',
        '{"f":"all","p":1.5}',
        '{"f":"all","p":true}',
        '{"f":"all","p":"1"}',
        '{"f":"all","p":100001}',
        '{"f":"all","p":0,"x":1}',
        '{"f":1,"p":0}',
        '{"c":""}',
        '{"c":5}',
        '{"c":"a\\u0000b"}',
        '{"c":"abc","b":null}',
        '{"c":"abc","b":{"f":"all"}}',
        '{"c":"abc","b":{"f":"all","p":0},"z":0}',
        '{"c":"' + "a" * 1995 + '"}',
        "[" * 1500,
        '{"f":"all","p":NaN}',
    ],
)
def test_decode_view_rejects_malformed_values(value: str) -> None:
    with pytest.raises(ValueError):
        decode_view(value)


def test_views_reject_bad_construction() -> None:
    with pytest.raises(ValueError):
        ListView("everything")
    with pytest.raises(ValueError):
        ListView("all", -1)
    with pytest.raises(ValueError):
        CampaignView("")
    with pytest.raises(ValueError):
        encode_view(CampaignView("<" * 1900, ListView()))


def test_unencodable_campaign_id_drops_only_the_buttons_it_needs() -> None:
    campaign = launched("Huge id", cid="x" * 2500)
    listing = campaign_list_message([campaign], now=NOW, tz=UTC)
    assert detail_ids(listing) == []
    detail = campaign_detail_message(campaign, now=NOW, tz=UTC)
    assert button_labels(detail) == ["‹ All campaigns"]


# --- limits -------------------------------------------------------------------------------


def test_validate_message_lists_every_violation() -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "ok"}}
    bad_button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "x" * 76},
        "action_id": "dup",
        "value": "v" * 2001,
    }
    blocks = [section] * 49 + [
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]},
        {"type": "header", "text": {"type": "plain_text", "text": "<!channel>"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "hi <!here>"}] * 11},
        {
            "type": "actions",
            "elements": [bad_button, {**bad_button, "text": {"type": "plain_text", "text": "b"}}],
        },
    ]
    with pytest.raises(BlockKitLimitError) as caught:
        validate_message(Message(text="", blocks=blocks))
    problems = "\n".join(caught.value.violations)
    for expected in (
        "text: the fallback text is empty",
        "blocks: 53 > 50",
        "fields[0]: 2001 characters > 2000",
        "plain_text holds < or >",
        "raw '<' outside a user mention",
        "elements: 11 not in 1..10",
        "76 characters > 75",
        "value: longer than 2000",
        "duplicate id 'dup'",
    ):
        assert expected in problems


def test_validate_message_accepts_user_mentions_and_counts_utf16() -> None:
    ok = Message(
        text="Shared by <@U1>",
        blocks=[{"type": "context", "elements": [{"type": "mrkdwn", "text": "by <@U1>"}]}],
    )
    validate_message(ok)
    emoji_header = {"type": "header", "text": {"type": "plain_text", "text": "🎉" * 76}}
    assert any("152 characters > 150" in p for p in message_problems(Message("x", [emoji_header])))


def test_emoji_names_respect_utf16_limits() -> None:
    message = campaign_detail_message(launched("🎉" * 300), now=NOW, tz=UTC)
    assert slack_len(header(message)) <= 150
    assert header(message).endswith("…")


# --- terminal rendering -------------------------------------------------------------------


def test_message_to_text_is_readable() -> None:
    campaigns = [full_campaign(), pending("Data & Protection")]
    rendered = message_to_text(campaign_list_message(campaigns, now=NOW, tz=UTC))
    lines = rendered.splitlines()
    assert lines[0] == "Awareness Training campaigns"
    assert lines[1] == "=" * len(lines[0])
    assert "  🟢 *Phishing Basics – Q4*   [Details]" in lines
    assert "  🕒 *Data & Protection*   [Details]" in lines
    assert lines[-1] == "  [Share to channel]"
    detail = message_to_text(campaign_detail_message(full_campaign(), now=NOW, tz=UTC))
    assert "  Module: Phishing Basics" in detail.splitlines()
    assert "  [‹ All campaigns] [Share to channel]" in detail.splitlines()


def test_builder_url_round_trips_the_blocks() -> None:
    message = campaign_list_message([full_campaign()], now=NOW, tz=UTC)
    url = builder_url(message)
    prefix = "https://app.slack.com/block-kit-builder#"
    assert url.startswith(prefix)
    assert json.loads(urllib.parse.unquote(url[len(prefix) :])) == {"blocks": message.blocks}
