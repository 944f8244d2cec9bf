"""The weekly digest message (posted to the channel, or previewed by one user).

Pure: a `DigestSummary` in, a validated `Message` out. Every Mimecast string goes through `md`.
Each list shows its first lines and `+N more`; when any list is cut, an *All campaigns* button
(`ACTION_OPEN_LIST`) lets the clicker see everything in an ephemeral list. Whatever the tenant
size, the message stays within Block Kit's limits (at most 12 blocks, sections within budget).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final, TypeVar

from blocks import kit
from blocks.actions import ACTION_OPEN_LIST, ListView, encode_view
from blocks.health import EMOJI, Health, campaign_health
from blocks.kit import Block
from blocks.message import Message
from blocks.text import (
    clean,
    day_difference,
    format_count,
    format_date,
    format_day,
    md,
    plural,
    progress_bar,
    relative_days,
    slack_len,
)
from digest.compose import ActiveCampaign, BehindCampaign, DigestSummary
from digest.model import Period
from mimecast.models import Campaign

T = TypeVar("T")

TITLE: Final = "Awareness Training"
ACTIVE_LINES: Final = 10  # lines shown in "Active campaigns" before "+N more"
LIST_LINES: Final = 5  # lines shown in every other list
FIRST_DIGEST: Final = "first digest: changes from next week"
PREVIEW_NOTE: Final = "Preview of this week's digest: only you can see it."
DETAILS_HINT: Final = "`/campaigns` for details"
OPEN_LIST_LABEL: Final = "All campaigns"
UNTITLED: Final = "Untitled campaign"

_NAME_LIMIT: Final = 100  # escaped length of a name inside a line
_SECTION_BUDGET: Final = 2900  # under MAX_SECTION_TEXT, with room for the "+N more" line
_BEHIND_EMOJI: Final = EMOJI[Health.BEHIND]
_DONE_EMOJI: Final = EMOJI[Health.DONE]
_PENDING_EMOJI: Final = EMOJI[Health.PENDING]


# --- small pieces ---------------------------------------------------------------------------


def _name(campaign: Campaign) -> str:
    return md(clean(campaign.display_name) or UNTITLED, _NAME_LIMIT)


def _signed(delta: int) -> str:
    """`+6`, `-3`, `+0` (a change in points, as the sketch writes it)."""
    return f"-{-delta:,}" if delta < 0 else f"+{delta:,}"


def _points(delta: int) -> str:
    return "no change" if delta == 0 else f"{_signed(delta)} pts"


def _change_suffix(change: int | None) -> str:
    return "" if change is None else f" ({_signed(change)})"


def _correct_suffix(campaign: Campaign) -> str:
    correct = campaign.clamped_percent_correct
    return "" if correct is None else f" · {correct}% correct"


def _day(day: date, tz: tzinfo, other: date) -> str:
    """`30 Nov`, with the year when `other` falls in another year (`28 Dec 2026`)."""
    moment = datetime.combine(day, time(12), tzinfo=tz)
    reference = datetime.combine(other, time(12), tzinfo=tz)
    return format_day(moment, tz, reference).split(" ", 1)[1]


def _previous_period(period: Period) -> Period:
    iso = (period.first_day - timedelta(days=7)).isocalendar()
    return Period(iso.year, iso.week)


def _since(summary: DigestSummary) -> tuple[str, str]:
    """How to name the time since the previous digest: (`since last week`, `this week`)."""
    since = summary.since
    if since is None or since == _previous_period(summary.period):
        return "since last week", "this week"
    if since == summary.period:
        return "since the last digest", "since the last digest"
    week = f"week {since.week}" + (f" of {since.year}" if since.year != summary.period.year else "")
    return f"since {week}", f"since {week}"


def header_text(summary: DigestSummary, tz: tzinfo) -> str:
    """`Awareness Training — week 49 (30 Nov – 6 Dec)`."""
    period = summary.period
    first, last = period.first_day, period.last_day
    span = f"{_day(first, tz, last)} – {_day(last, tz, first)}"
    return f"{TITLE} — week {period.week} ({span})"


# --- sections -------------------------------------------------------------------------------


def _overall_text(summary: DigestSummary) -> str:
    if summary.launched_count == 0:
        if summary.total == 0:
            text = (
                "No Awareness Training campaigns yet. Campaigns created in Mimecast "
                "(Awareness Training &gt; Campaigns) show up here."
            )
        else:
            text = f"No campaign has launched yet: {summary.pending_count:,} pending."
        return f"{text} ({FIRST_DIGEST[0].upper()}{FIRST_DIGEST[1:]}.)" if summary.first else text
    users = (
        f"{format_count(summary.completed)} of {format_count(summary.sent)} users"
        if summary.sent > 0
        else "no training sent yet"
    )
    text = (
        f"Overall: *{summary.percent}% complete* across "
        f"{plural(summary.launched_count, 'launched campaign')} ({users})"
    )
    if summary.first:
        return f"{text}, {FIRST_DIGEST}"
    if summary.change is not None:
        return f"{text}, {_points(summary.change)} {_since(summary)[0]}"
    return text


def _active_line(row: ActiveCampaign) -> str:
    """`▰▰▰▰▰▰▰▱▱▱ 75% Phishing Basics – Q4 (+6) · 88% correct`."""
    campaign = row.campaign
    done = campaign.percent_complete
    return (
        f"{progress_bar(done / 100)} {done}% {_name(campaign)}"
        f"{_change_suffix(row.change)}{_correct_suffix(campaign)}"
    )


def _behind_line(row: BehindCampaign, now: datetime) -> str:
    """`🔴 Lagging: Social Engineering — 10% after 95 days (+0)`; the emoji matches `/campaigns`
    (🔴 far behind, 🟡 behind), 🟡 also when custom thresholds are stricter than the usual ones."""
    campaign = row.campaign
    health = campaign_health(campaign, now)
    emoji = EMOJI[health] if health in (Health.BEHIND, Health.FAR_BEHIND) else _BEHIND_EMOJI
    return (
        f"{emoji} {_name(campaign)} — {campaign.percent_complete}% after "
        f"{plural(row.days, 'day')}{_change_suffix(row.change)}"
    )


def _launched_line(campaign: Campaign, now: datetime, tz: tzinfo) -> str:
    """`Phishing Basics – Q4 — launched Wed 2 Dec (2 days ago) · 240 users`."""
    launch = campaign.launch_date
    if launch is None:
        when = "launch date unknown"
    elif day_difference(launch, now, tz) > 0:  # launched by its sends, dated ahead
        when = f"launch date {format_day(launch, tz, now)}"
    else:
        when = f"launched {format_day(launch, tz, now)} ({relative_days(launch, now, tz)})"
    sent = campaign.num_sent
    users = f" · {format_count(sent)} users" if sent is not None and sent > 0 else ""
    return f"{_name(campaign)} — {when}{users}"


def _finished_line(campaign: Campaign) -> str:
    """`🟢 Password Hygiene — 100% of 240 users · 92% correct`."""
    sent = campaign.num_sent
    users = f" of {format_count(sent)} users" if sent is not None and sent > 0 else ""
    return f"{_DONE_EMOJI} {_name(campaign)} — 100%{users}{_correct_suffix(campaign)}"


def _upcoming_line(campaign: Campaign, now: datetime, tz: tzinfo) -> str:
    """`🕒 Data Protection 2027 — Mon 11 Jan, 09:00 UTC (in 5 days)`."""
    launch = campaign.launch_date
    if launch is None:  # summarize() only lists dated launches; kept total for safety
        return f"{_PENDING_EMOJI} {_name(campaign)} — no launch date"
    when = f"{format_date(launch, tz, now)} ({relative_days(launch, now, tz)})"
    return f"{_PENDING_EMOJI} {_name(campaign)} — {when}"


def _list_section(
    title: str, items: Sequence[T], line: Callable[[T], str], limit: int
) -> tuple[Block | None, int]:
    """A titled list of at most `limit` lines within the section budget, then `+N more`.

    Returns the block (None for an empty list) and how many items were left out.
    """
    if not items:
        return None, 0
    text = f"*{title}*"
    shown = 0
    for item in items[:limit]:
        entry = line(item)
        if slack_len(text) + 1 + slack_len(entry) > _SECTION_BUDGET:
            break
        text += "\n" + entry
        shown += 1
    hidden = len(items) - shown
    if hidden:
        text += f"\n+{hidden:,} more · *{OPEN_LIST_LABEL}* below"
    return kit.section(text), hidden


def _fallback(summary: DigestSummary, preview: bool) -> str:
    """`Awareness Training week 49: 76% complete across 9 launched campaigns (+4 pts).`"""
    head = f"{TITLE} week {summary.period.week}: "
    if summary.launched_count == 0:
        text = head + ("no campaigns yet." if summary.total == 0 else "no launched campaigns yet.")
    else:
        text = (
            f"{head}{summary.percent}% complete across "
            f"{plural(summary.launched_count, 'launched campaign')}"
        )
        if summary.first:
            text += " (first digest)."
        elif summary.change is not None:
            text += f" ({_points(summary.change)})."
        else:
            text += "."
        if summary.behind:
            text += f" {len(summary.behind):,} falling behind."
    return f"Preview: {text}" if preview else text


# --- the message ----------------------------------------------------------------------------


def digest_message(
    summary: DigestSummary,
    *,
    tz: tzinfo,
    next_run: datetime | None = None,
    preview: bool = False,
) -> Message:
    """The weekly digest; `preview` marks it as seen only by the caller (`/campaigns digest`)."""
    now = summary.now
    _, window = _since(summary)
    blocks: list[Block | None] = [kit.header(header_text(summary, tz))]
    if preview:
        blocks.append(kit.context(PREVIEW_NOTE))
    blocks.append(kit.section(_overall_text(summary)))

    sections = (
        _list_section("Active campaigns", summary.active, _active_line, ACTIVE_LINES),
        _list_section(
            "Falling behind", summary.behind, lambda row: _behind_line(row, now), LIST_LINES
        ),
        _list_section(
            f"Launched {window}",
            summary.launched_since,
            lambda c: _launched_line(c, now, tz),
            LIST_LINES,
        ),
        _list_section(f"Finished {window}", summary.finished_since, _finished_line, LIST_LINES),
        _list_section(
            "Launching soon", summary.upcoming, lambda c: _upcoming_line(c, now, tz), LIST_LINES
        ),
    )
    truncated = False
    for block, hidden in sections:
        blocks.append(block)
        truncated = truncated or hidden > 0

    if truncated:
        button = kit.button(OPEN_LIST_LABEL, ACTION_OPEN_LIST, encode_view(ListView()))
        blocks.append(kit.actions([button]))
    footer = DETAILS_HINT
    if next_run is not None:
        footer = f"Next digest {format_date(next_run, tz, now)} · {DETAILS_HINT}"
    blocks.append(kit.context(footer))
    return kit.finish(_fallback(summary, preview), blocks)
