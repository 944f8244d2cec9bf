"""The weekly digest: what `summarize` computes and how `digest_message` says it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blocks import ACTION_OPEN_LIST, ListView, Message, decode_view, digest_message
from blocks.digest import ACTIVE_LINES, LIST_LINES
from blocks.limits import MAX_BLOCKS, MAX_SECTION_TEXT, message_problems
from blocks.text import slack_len
from digest.compose import (
    ActiveCampaign,
    BehindCampaign,
    DigestSummary,
    snapshots_of,
    summarize,
)
from digest.model import CampaignSnapshot, Period, PreviousDigest, Thresholds
from mimecast.models import Campaign, Status

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tue, ISO week 49 (30 Nov - 6 Dec)
LAST_WEEK = NOW - timedelta(days=7)
NEW_YORK = ZoneInfo("America/New_York")
INJECTIONS = ("<!channel>", "<!here>", "<@U123>", "<https://evil.example|click>", "<#C1|x>")
NASTY = "Q4 <!channel> & <@U123> <https://evil|click> *b* `c` \n\x00 \u202ertl\u202c 🎉"


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def camp(
    cid: str,
    name: str,
    *,
    launch: datetime | None,
    sent: int | None = None,
    done: int | None = None,
    correct: int | None = None,
) -> Campaign:
    return Campaign(
        id=cid,
        name=name,
        launch_date=launch,
        num_sent=sent,
        num_completed=done,
        percent_correct=correct,
    )


# This week: a 75% (was 66%), b stuck at 10% after 95 days, c finished (was 80%),
# d launched 2 days ago (absent last week), e pending in 5 days, f pending in 30 days.
CURRENT = (
    camp("a", "Phishing Basics – Q4", launch=days_ago(32), sent=240, done=180, correct=88),
    camp("b", "Lagging: Social Engineering", launch=days_ago(95), sent=300, done=30, correct=70),
    camp("c", "Password Hygiene", launch=days_ago(20), sent=50, done=50, correct=92),
    camp("d", "Überweisungsbetrug – CEO-Fraud", launch=days_ago(2), sent=10, done=1),
    camp("e", "Data Protection 2027", launch=NOW + timedelta(days=5)),
    camp("f", "Later", launch=NOW + timedelta(days=30)),
)
BEFORE = (
    camp("a", "Phishing Basics – Q4", launch=days_ago(32), sent=240, done=160),
    camp("b", "Lagging: Social Engineering", launch=days_ago(95), sent=300, done=30),
    camp("c", "Password Hygiene", launch=days_ago(20), sent=50, done=40),
    camp("e", "Data Protection 2027", launch=NOW + timedelta(days=5)),
)


def previous_of(
    campaigns: Sequence[Campaign], at: datetime = LAST_WEEK, tz: Any = UTC
) -> PreviousDigest:
    snapshots = {s.campaign_id: s for s in snapshots_of(campaigns, at)}
    return PreviousDigest(period=Period.containing(at, tz), posted_at=at, snapshots=snapshots)


def ids(campaigns: Sequence[Campaign]) -> list[str]:
    return [c.id for c in campaigns]


def texts(message: Message) -> list[str]:
    """Every text of the message's blocks (sections, headers, context elements, buttons)."""
    found: list[str] = []
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            found.append(block["text"]["text"])
        for element in block.get("elements") or []:
            text = element.get("text")
            found.append(text["text"] if isinstance(text, dict) else text)
    return found


def section_titled(message: Message, title: str) -> str:
    for block in message.blocks:
        if block["type"] == "section" and block["text"]["text"].startswith(f"*{title}*"):
            text: str = block["text"]["text"]
            return text
    raise AssertionError(f"no section {title!r} in {texts(message)}")


def buttons(message: Message) -> list[dict[str, Any]]:
    return [
        element
        for block in message.blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def assert_valid(message: Message) -> None:
    assert message_problems(message) == []
    assert len(message.blocks) <= MAX_BLOCKS
    dumped = json.dumps(message.payload(), ensure_ascii=False)
    for injection in INJECTIONS:
        assert injection not in dumped


# --- summarize ------------------------------------------------------------------------------


def test_summary_against_previous_digest() -> None:
    summary = summarize(CURRENT, previous_of(BEFORE), now=NOW, tz=UTC)

    assert summary.period == Period(2026, 49)
    assert summary.first is False
    assert summary.since == Period(2026, 48)
    assert (summary.launched_count, summary.pending_count) == (4, 2)
    # 180 + 30 + 50 + 1 of 240 + 300 + 50 + 10; before 160 + 30 + 40 of 590 = 38%
    assert (summary.completed, summary.sent, summary.percent) == (261, 600, 43)
    assert summary.change == 43 - 38
    assert summary.active == (
        ActiveCampaign(CURRENT[0], 75 - 66),
        ActiveCampaign(CURRENT[1], 0),
        ActiveCampaign(CURRENT[3], None),  # absent from the previous digest
    )
    assert ids(summary.launched_since) == ["d"]
    assert ids(summary.finished_since) == ["c"]
    assert summary.behind == (BehindCampaign(CURRENT[1], 95, 0),)
    assert ids(summary.upcoming) == ["e"]


def test_launched_since_counts_campaigns_pending_last_time() -> None:
    pending_then = camp("e", "Data Protection 2027", launch=NOW - timedelta(hours=1), sent=0)
    summary = summarize([pending_then], previous_of(BEFORE), now=NOW, tz=UTC)
    assert ids(summary.launched_since) == ["e"]
    # Its change is counted from the 0% it had while pending.
    assert summary.active == (ActiveCampaign(pending_then, 0),)


def test_absent_before_counts_as_launched_only_when_launched_after_that_digest() -> None:
    after = camp("n", "New", launch=LAST_WEEK + timedelta(minutes=1), sent=5, done=0)
    running = camp("o", "Old, missed last time", launch=LAST_WEEK - timedelta(days=1), sent=5)
    undated = camp("u", "Undated", launch=None, sent=5, done=1)
    summary = summarize([after, running, undated], previous_of(BEFORE), now=NOW, tz=UTC)
    assert ids(summary.launched_since) == ["n", "u"]
    assert {a.campaign.id: a.change for a in summary.active} == {"n": None, "o": None, "u": None}


def test_finished_needs_users_and_was_unfinished() -> None:
    finished_before = previous_of([camp("c", "P", launch=days_ago(20), sent=50, done=50)])
    still_done = camp("c", "P", launch=days_ago(20), sent=50, done=50)
    nobody = camp("z", "Nobody", launch=days_ago(3), sent=0, done=0)
    summary = summarize([still_done, nobody], finished_before, now=NOW, tz=UTC)
    assert summary.finished_since == ()
    assert ids(summary.launched_since) == ["z"]
    assert [a.campaign.id for a in summary.active] == ["z"]


def test_first_digest_has_no_changes() -> None:
    summary = summarize(CURRENT, None, now=NOW, tz=UTC)
    assert summary.first is True
    assert summary.since is None
    assert summary.change is None
    assert [a.change for a in summary.active] == [None, None, None]
    assert summary.launched_since == () and summary.finished_since == ()
    assert summary.behind == (BehindCampaign(CURRENT[1], 95, None),)
    assert (summary.percent, summary.launched_count) == (43, 4)


def test_thresholds_are_configurable() -> None:
    default = summarize(CURRENT, None, now=NOW, tz=UTC)
    assert [b.campaign.id for b in default.behind] == ["b"]

    strict = Thresholds(behind_after_days=1, behind_below_percent=80, upcoming_days=31)
    summary = summarize(CURRENT, None, now=NOW, tz=UTC, thresholds=strict)
    # Least complete first; d (10%, 2 days) now counts, a (75% < 80%) too.
    assert [(b.campaign.id, b.days) for b in summary.behind] == [("b", 95), ("d", 2), ("a", 32)]
    assert ids(summary.upcoming) == ["e", "f"]


def test_behind_means_more_than_the_threshold_in_calendar_days() -> None:
    at_limit = camp("x", "Fourteen", launch=days_ago(14), sent=10, done=1)
    past_limit = camp("y", "Fifteen", launch=days_ago(15), sent=10, done=1)
    half = camp("z", "Half", launch=days_ago(40), sent=10, done=5)
    summary = summarize([at_limit, past_limit, half], None, now=NOW, tz=UTC)
    assert [(b.campaign.id, b.days) for b in summary.behind] == [("y", 15)]


@pytest.mark.parametrize(
    ("offset", "window", "shown"),
    [
        (timedelta(seconds=1), 7, True),
        (timedelta(days=7), 7, True),
        (timedelta(days=7, seconds=1), 7, False),
        (timedelta(days=3), 3, True),
        (timedelta(days=3, minutes=1), 3, False),
        (timedelta(0), 7, False),  # launching now: launched, not upcoming
    ],
)
def test_upcoming_window_boundaries(offset: timedelta, window: int, shown: bool) -> None:
    soon = camp("s", "Soon", launch=NOW + offset)
    summary = summarize([soon], None, now=NOW, tz=UTC, thresholds=Thresholds(upcoming_days=window))
    assert ids(summary.upcoming) == (["s"] if shown else [])


def test_upcoming_sorted_soonest_first_and_undated_never_listed() -> None:
    later = camp("l", "Later", launch=NOW + timedelta(days=6))
    sooner = camp("s", "Sooner", launch=NOW + timedelta(days=1))
    undated = camp("u", "Undated", launch=None)
    summary = summarize([later, undated, sooner], None, now=NOW, tz=UTC)
    assert ids(summary.upcoming) == ["s", "l"]
    assert summary.pending_count == 3


def test_tolerates_missing_huge_and_inconsistent_counts() -> None:
    campaigns = [
        camp("n", "No counts", launch=days_ago(30)),
        camp("h", "Huge", launch=days_ago(30), sent=10**30, done=10**29),
        camp("o", "Over", launch=days_ago(30), sent=10, done=50),  # completed > sent: capped
        camp("m", "Negative", launch=days_ago(30), sent=-5, done=-1),
        camp("q", "No launch date, sent", launch=None, sent=10, done=2),
        camp("h", "Duplicate id, ignored", launch=days_ago(1), sent=1, done=1),
    ]
    summary = summarize(campaigns, previous_of([]), now=NOW, tz=UTC)
    assert summary.launched_count == 5
    assert summary.sent == 10**30 + 20
    assert summary.completed == 10**29 + 10 + 2
    assert summary.percent == 10
    assert summary.change is None  # the previous digest had nobody to compare with
    assert "q" not in [b.campaign.id for b in summary.behind]  # no date: cannot be behind
    # Absent from the previous digest but launched long before it: not "launched this week".
    assert ids(summary.launched_since) == ["q"]
    message = digest_message(summary, tz=UTC)
    assert_valid(message)
    assert "Duplicate id" not in json.dumps(message.blocks)
    assert section_titled(message, "Finished this week") == (
        "*Finished this week*\n🟢 Over — 100% of 10 users"
    )


def test_summary_of_nothing_never_divides_by_zero() -> None:
    summary = summarize([], previous_of([]), now=NOW, tz=UTC)
    assert (summary.percent, summary.sent, summary.change, summary.total) == (0, 0, None, 0)


def test_snapshots_one_per_id() -> None:
    first = camp("a", "First", launch=days_ago(3), sent=4, done=1, correct=150)
    duplicate = camp("a", "Second", launch=days_ago(3), sent=4, done=4)
    pending = camp("p", "Pending", launch=NOW + timedelta(days=2))
    snapshots = snapshots_of([first, duplicate, pending], NOW)
    assert snapshots == [
        CampaignSnapshot("a", "First", True, 4, 1, 25, 100, days_ago(3)),
        CampaignSnapshot("p", "Pending", False, 0, 0, 0, None, NOW + timedelta(days=2)),
    ]


# --- the message ----------------------------------------------------------------------------


def test_message_with_changes() -> None:
    summary = summarize(CURRENT, previous_of(BEFORE), now=NOW, tz=UTC)
    message = digest_message(summary, tz=UTC, next_run=NOW + timedelta(days=7))
    assert_valid(message)
    assert message.blocks[0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "Awareness Training — week 49 (30 Nov – 6 Dec)",
            "emoji": True,
        },
    }
    assert message.blocks[1]["text"]["text"] == (
        "Overall: *43% complete* across 4 launched campaigns (261 of 600 users), "
        "+5 pts since last week"
    )
    assert section_titled(message, "Active campaigns") == (
        "*Active campaigns*\n"
        "▰▰▰▰▰▰▰▱▱▱ 75% Phishing Basics – Q4 (+9) · 88% correct\n"
        "▰▱▱▱▱▱▱▱▱▱ 10% Lagging: Social Engineering (+0) · 70% correct\n"
        "▰▱▱▱▱▱▱▱▱▱ 10% Überweisungsbetrug – CEO-Fraud"
    )
    assert section_titled(message, "Falling behind") == (
        "*Falling behind*\n🔴 Lagging: Social Engineering — 10% after 95 days (+0)"
    )
    assert section_titled(message, "Launched this week") == (
        "*Launched this week*\nÜberweisungsbetrug – CEO-Fraud — launched Sun 29 Nov (2 days ago)"
        " · 10 users"
    )
    assert section_titled(message, "Finished this week") == (
        "*Finished this week*\n🟢 Password Hygiene — 100% of 50 users · 92% correct"
    )
    assert section_titled(message, "Launching soon") == (
        "*Launching soon*\n🕒 Data Protection 2027 — Sun 6 Dec, 09:00 UTC (in 5 days)"
    )
    assert message.blocks[-1]["type"] == "context"
    assert texts(message)[-1] == "Next digest Tue 8 Dec, 09:00 UTC · `/campaigns` for details"
    assert buttons(message) == []  # nothing was cut
    assert message.text == (
        "Awareness Training week 49: 43% complete across 4 launched campaigns (+5 pts). "
        "1 falling behind."
    )


def test_first_digest_says_so_instead_of_changes() -> None:
    message = digest_message(summarize(CURRENT, None, now=NOW, tz=UTC), tz=UTC)
    assert_valid(message)
    assert message.blocks[1]["text"]["text"] == (
        "Overall: *43% complete* across 4 launched campaigns (261 of 600 users), "
        "first digest: changes from next week"
    )
    body = "\n".join(texts(message))
    assert "(+" not in body and "pts" not in body
    assert "Launched this week" not in body and "Finished this week" not in body
    assert section_titled(message, "Falling behind") == (
        "*Falling behind*\n🔴 Lagging: Social Engineering — 10% after 95 days"
    )
    assert body.endswith("`/campaigns` for details")
    assert message.text == (
        "Awareness Training week 49: 43% complete across 4 launched campaigns (first digest). "
        "1 falling behind."
    )


def test_change_phrases_name_the_previous_digest() -> None:
    weeks_ago = previous_of(BEFORE, at=NOW - timedelta(days=21))
    message = digest_message(summarize(CURRENT, weeks_ago, now=NOW, tz=UTC), tz=UTC)
    assert message.blocks[1]["text"]["text"].endswith("+5 pts since week 46")
    assert section_titled(message, "Finished since week 46").startswith(
        "*Finished since week 46*\n🟢 Password Hygiene"
    )

    same_week = previous_of(BEFORE, at=NOW - timedelta(hours=1))
    message = digest_message(summarize(CURRENT, same_week, now=NOW, tz=UTC), tz=UTC)
    assert message.blocks[1]["text"]["text"].endswith("+5 pts since the last digest")

    last_year = previous_of(BEFORE, at=datetime(2025, 12, 22, 9, tzinfo=UTC))
    message = digest_message(summarize(CURRENT, last_year, now=NOW, tz=UTC), tz=UTC)
    assert message.blocks[1]["text"]["text"].endswith("+5 pts since week 52 of 2025")

    unchanged = previous_of(CURRENT, at=LAST_WEEK)
    message = digest_message(summarize(CURRENT, unchanged, now=NOW, tz=UTC), tz=UTC)
    assert message.blocks[1]["text"]["text"].endswith("no change since last week")
    assert message.text.startswith("Awareness Training week 49: 43% complete across 4 launched")
    assert "(no change)." in message.text


def test_negative_change() -> None:
    better_before = previous_of([camp("a", "A", launch=days_ago(9), sent=10, done=9)])
    now_worse = camp("a", "A", launch=days_ago(9), sent=20, done=9)  # more users enrolled
    message = digest_message(summarize([now_worse], better_before, now=NOW, tz=UTC), tz=UTC)
    assert "-45 pts since last week" in message.blocks[1]["text"]["text"]
    assert "▰▰▰▰▱▱▱▱▱▱ 45% A (-45)" in section_titled(message, "Active campaigns")


@pytest.mark.parametrize(
    ("now", "header"),
    [
        (datetime(2026, 12, 31, 12, tzinfo=UTC), "week 53 (28 Dec 2026 – 3 Jan 2027)"),
        (datetime(2027, 1, 3, 23, tzinfo=UTC), "week 53 (28 Dec 2026 – 3 Jan 2027)"),
        (datetime(2027, 1, 4, 0, tzinfo=UTC), "week 1 (4 Jan – 10 Jan)"),
        (datetime(2026, 1, 1, 9, tzinfo=UTC), "week 1 (29 Dec 2025 – 4 Jan 2026)"),
    ],
)
def test_period_header_across_year_boundary(now: datetime, header: str) -> None:
    message = digest_message(summarize([], None, now=now, tz=UTC), tz=UTC)
    assert message.blocks[0]["text"]["text"] == f"Awareness Training — {header}"
    week = header.split(" ")[1]
    assert message.text == f"Awareness Training week {week}: no campaigns yet."


def test_period_and_dates_in_the_digest_zone() -> None:
    # Monday 03:00 UTC is still Sunday evening in New York: week 49 there, week 50 in UTC.
    now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    launch = datetime(2026, 12, 8, 3, 30, tzinfo=UTC)  # Mon 7 Dec, 22:30 in New York
    started = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # Sun 29 Nov, 23:00 in New York
    campaigns = [
        camp("p", "Late launch", launch=launch),
        camp("l", "Just launched", launch=started, sent=4, done=1),
    ]
    summary = summarize(
        campaigns, previous_of([], at=started - timedelta(days=1)), now=now, tz=NEW_YORK
    )
    assert summary.period == Period(2026, 49)
    assert summarize(campaigns, None, now=now, tz=UTC).period == Period(2026, 50)
    message = digest_message(
        summary, tz=NEW_YORK, next_run=datetime(2026, 12, 14, 14, 0, tzinfo=UTC)
    )
    assert_valid(message)
    assert message.blocks[0]["text"]["text"] == "Awareness Training — week 49 (30 Nov – 6 Dec)"
    assert section_titled(message, "Launching soon") == (
        "*Launching soon*\n🕒 Late launch — Mon 7 Dec, 22:30 EST (tomorrow)"
    )
    assert "Just launched — launched Sun 29 Nov (7 days ago) · 4 users" in section_titled(
        message, "Launched this week"
    )
    assert texts(message)[-1] == "Next digest Mon 14 Dec, 09:00 EST · `/campaigns` for details"


def test_behind_days_are_calendar_days_in_the_zone() -> None:
    now = datetime(2026, 12, 15, 20, 0, tzinfo=UTC)  # Tue 15 Dec, 15:00 in New York
    launch = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Mon 30 Nov, 21:00 in New York
    lagging = [camp("x", "Lagging", launch=launch, sent=10, done=1)]
    assert [b.days for b in summarize(lagging, None, now=now, tz=NEW_YORK).behind] == [15]
    assert summarize(lagging, None, now=now, tz=UTC).behind == ()  # 14 days in UTC


def test_preview_is_marked() -> None:
    summary = summarize(CURRENT, previous_of(BEFORE), now=NOW, tz=UTC)
    message = digest_message(summary, tz=UTC, preview=True)
    assert_valid(message)
    assert message.blocks[1] == {
        "type": "context",
        "elements": [
            {
                "type": "mrkdwn",
                "text": "Preview of this week's digest: only you can see it.",
                "verbatim": True,
            }
        ],
    }
    assert message.text.startswith("Preview: Awareness Training week 49: 43% complete")
    assert "Preview" not in "".join(texts(digest_message(summary, tz=UTC)))


def test_no_launched_campaigns_said_plainly() -> None:
    pending = [
        camp("e", "Data Protection 2027", launch=NOW + timedelta(days=5)),
        camp("f", "Later", launch=None),
    ]
    message = digest_message(summarize(pending, previous_of([]), now=NOW, tz=UTC), tz=UTC)
    assert_valid(message)
    assert message.blocks[1]["text"]["text"] == "No campaign has launched yet: 2 pending."
    assert [b["type"] for b in message.blocks] == ["header", "section", "section", "context"]
    assert section_titled(message, "Launching soon").startswith("*Launching soon*\n🕒 Data")
    assert message.text == "Awareness Training week 49: no launched campaigns yet."

    first = digest_message(summarize([], None, now=NOW, tz=UTC), tz=UTC)
    assert first.blocks[1]["text"]["text"].startswith("No Awareness Training campaigns yet.")
    assert first.blocks[1]["text"]["text"].endswith("(First digest: changes from next week.)")


def test_launched_with_nothing_sent() -> None:
    started = camp("s", "Started", launch=days_ago(1))
    message = digest_message(summarize([started], previous_of([]), now=NOW, tz=UTC), tz=UTC)
    assert message.blocks[1]["text"]["text"] == (
        "Overall: *0% complete* across 1 launched campaign (no training sent yet)"
    )
    assert section_titled(message, "Launched this week") == (
        "*Launched this week*\nStarted — launched Mon 30 Nov (yesterday)"
    )


def test_every_mimecast_string_is_escaped() -> None:
    nasty = [
        camp("a", NASTY, launch=days_ago(40), sent=10, done=1, correct=5),
        camp("b", NASTY + " done", launch=days_ago(3), sent=10, done=10),
        camp("c", NASTY + " soon", launch=NOW + timedelta(days=1)),
        camp("d", "<!channel>" * 300, launch=days_ago(2), sent=10, done=3),
    ]
    message = digest_message(summarize(nasty, previous_of([]), now=NOW, tz=UTC), tz=UTC)
    assert_valid(message)
    dumped = json.dumps(message.payload(), ensure_ascii=False)
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in dumped
    assert "\u202e" not in dumped and "\\u0000" not in dumped
    for title in ("Active campaigns", "Falling behind", "Launched this week", "Launching soon"):
        assert "Q4 &lt;!channel&gt; &amp;" in section_titled(message, title)
    assert "Q4 &lt;!channel&gt; &amp;" in section_titled(message, "Finished this week")


def test_ten_thousand_campaigns_stay_within_limits() -> None:
    many = [
        camp(
            f"id{n}",
            f"Campaign {n:05d} " + "x" * 2000 + " <!channel>",
            launch=days_ago(n % 60) if n % 3 else NOW + timedelta(days=n % 10 + 0.5),
            sent=(n * 7) % 500 if n % 3 else None,
            done=(n * 3) % 400 if n % 3 else None,
            correct=n % 101,
        )
        for n in range(10_000)
    ]
    summary = summarize(many, previous_of(many[:5000], at=LAST_WEEK), now=NOW, tz=UTC)
    message = digest_message(summary, tz=UTC, next_run=NOW + timedelta(days=7))
    assert_valid(message)
    for block in message.blocks:
        if block["type"] == "section":
            assert slack_len(block["text"]["text"]) <= MAX_SECTION_TEXT

    active = section_titled(message, "Active campaigns")
    assert active.count("\n▰") + active.count("\n▱") == ACTIVE_LINES
    assert active.endswith(f"+{len(summary.active) - ACTIVE_LINES:,} more · *All campaigns* below")
    for title, rows in (
        ("Falling behind", summary.behind),
        ("Launched this week", summary.launched_since),
        ("Launching soon", summary.upcoming),
    ):
        assert len(rows) > LIST_LINES
        assert section_titled(message, title).endswith(
            f"\n+{len(rows) - LIST_LINES:,} more · *All campaigns* below"
        )
    [button] = buttons(message)
    assert button["action_id"] == ACTION_OPEN_LIST == "campaigns_open"
    assert button["text"]["text"] == "All campaigns"
    assert decode_view(button["value"]) == ListView()
    assert [b["type"] for b in message.blocks[-2:]] == ["actions", "context"]


def test_one_campaign() -> None:
    only = camp("a", "Only one", launch=days_ago(3), sent=3, done=1, correct=50)
    message = digest_message(summarize([only], None, now=NOW, tz=UTC), tz=UTC)
    assert_valid(message)
    assert message.blocks[1]["text"]["text"] == (
        "Overall: *33% complete* across 1 launched campaign (1 of 3 users), "
        "first digest: changes from next week"
    )
    assert section_titled(message, "Active campaigns") == (
        "*Active campaigns*\n▰▰▰▱▱▱▱▱▱▱ 33% Only one · 50% correct"
    )
    assert buttons(message) == []
    assert message.text == (
        "Awareness Training week 49: 33% complete across 1 launched campaign (first digest)."
    )


# --- whatever Mimecast sends ----------------------------------------------------------------

NAMES = st.one_of(
    st.text(max_size=40),
    st.sampled_from([*INJECTIONS, "&", "&amp;", " ", "", NASTY]),
    st.builds(
        lambda s, n: s * n, st.sampled_from(["<!channel>", "é&", "🎉", "a"]), st.integers(1, 2100)
    ),
)
COUNTS = st.one_of(st.none(), st.integers(-5, 10**6), st.just(10**40))
DATES = st.one_of(
    st.none(),
    st.integers(-400 * 24, 60 * 24).map(lambda hours: NOW + timedelta(hours=hours)),
)
CAMPAIGNS = st.builds(
    Campaign,
    id=st.sampled_from([f"id{n}" for n in range(40)]),
    name=NAMES,
    launch_date=DATES,
    num_sent=COUNTS,
    num_completed=COUNTS,
    reported_percent_complete=st.one_of(st.none(), st.integers(-10, 120)),
    percent_correct=st.one_of(st.none(), st.integers(-10, 300)),
)
ZONES = st.sampled_from([UTC, NEW_YORK, ZoneInfo("Asia/Kathmandu"), ZoneInfo("Pacific/Kiritimati")])


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    campaigns=st.lists(CAMPAIGNS, max_size=60),
    before=st.one_of(st.none(), st.lists(CAMPAIGNS, max_size=30)),
    tz=ZONES,
    preview=st.booleans(),
    after_days=st.integers(0, 60),
    below=st.integers(0, 101),
)
def test_any_tenant_gives_a_valid_digest(
    campaigns: list[Campaign],
    before: list[Campaign] | None,
    tz: Any,
    preview: bool,
    after_days: int,
    below: int,
) -> None:
    previous = None if before is None else previous_of(before)
    thresholds = Thresholds(behind_after_days=after_days, behind_below_percent=below)
    summary = summarize(campaigns, previous, now=NOW, tz=tz, thresholds=thresholds)
    check_summary(summary, thresholds)
    message = digest_message(summary, tz=tz, next_run=NOW + timedelta(days=7), preview=preview)
    assert_valid(message)
    assert message.text.startswith("Preview: " if preview else "Awareness Training week")
    assert (buttons(message) != []) == ("more · *All campaigns* below" in str(texts(message)))


def check_summary(summary: DigestSummary, thresholds: Thresholds) -> None:
    assert 0 <= summary.percent <= 100
    assert 0 <= summary.completed <= summary.sent
    assert summary.first == (summary.since is None)
    percents = [a.campaign.percent_complete for a in summary.active]
    assert percents == sorted(percents, reverse=True)
    assert all(p < 100 for p in percents)
    active_ids = {a.campaign.id for a in summary.active}
    for row in summary.behind:
        assert row.campaign.id in active_ids
        assert row.days > thresholds.behind_after_days
        assert row.campaign.percent_complete < thresholds.behind_below_percent
    for campaign in summary.upcoming:
        assert campaign.status(summary.now) is Status.PENDING
    if summary.first:
        assert summary.change is None and not summary.launched_since and not summary.finished_since
