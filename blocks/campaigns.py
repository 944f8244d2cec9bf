"""Messages about campaigns: the list, one campaign, pick lists, help, errors and notices.

Pure functions: models in, validated `Message` out. The caller passes the clock (`now`) and
the zone dates are shown in (`tz`). Every Mimecast string goes through `md` (mrkdwn) or
`plain` (plain_text) before it is placed anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import Final

from slack_sdk.models.blocks import ButtonElement

from blocks import kit
from blocks.actions import (
    ACTION_BACK,
    ACTION_SHARE,
    CampaignView,
    ListView,
    details_action_id,
    encode_view,
    page_action_id,
)
from blocks.health import LOCKED_EMOJI, campaign_health, health_emoji
from blocks.kit import Block
from blocks.message import Message
from blocks.text import (
    MISSING,
    clean,
    day_difference,
    escape_mrkdwn,
    format_age,
    format_count,
    format_date,
    format_day,
    format_signed_points,
    format_time,
    md,
    plain,
    plural,
    progress_bar,
    relative_days,
    truncate_mrkdwn,
)
from mimecast.errors import MimecastError
from mimecast.models import Campaign, Status

PAGE_SIZE: Final = 10
PICK_LIMIT: Final = 10
SUGGESTION_LIMIT: Final = 5
MAX_QUESTIONS_SHOWN: Final = 25
SOON_DAYS: Final = 7  # pending launches closer than this read "launches in 5 days"

TITLE: Final = "Awareness Training campaigns"
UNTITLED: Final = "Untitled campaign"

_NAME_LIMIT: Final = 200  # a name inside a list line (escaped length)
_PART_LIMIT: Final = 120  # module, group
_QUERY_LIMIT: Final = 100
_SUBJECT_LIMIT: Final = 500
_FULL_NAME_LIMIT: Final = 2900
_DEFAULT_VIEW: Final = ListView()
_HEADERS: Final = {
    "all": TITLE,
    "pending": f"Pending {TITLE}",
    "launched": f"Launched {TITLE}",
}
_GROUP_SOURCES: Final = {"ldap": "LDAP", "cloud": "cloud"}


# --- small pieces ---------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def campaign_name(campaign: Campaign) -> str:
    """The name as one clean line (not escaped), never empty."""
    return clean(campaign.display_name) or UNTITLED


def _name_md(campaign: Campaign, limit: int = _NAME_LIMIT) -> str:
    return md(campaign_name(campaign), limit)


def _module_md(campaign: Campaign) -> str | None:
    module = campaign.module_name
    if not module or not clean(module):
        return None
    return md(module, _PART_LIMIT)


def _group_md(campaign: Campaign, *, with_source: bool) -> str | None:
    group = clean(campaign.group or "")
    if not group:
        return None
    text = md(group, _PART_LIMIT)
    source = clean(campaign.group_source or "")
    if with_source and source:
        label = _GROUP_SOURCES.get(source.lower(), source)
        text += f" ({md(label, 30)})"
    return text


def _percent_correct(campaign: Campaign) -> str | None:
    correct = campaign.clamped_percent_correct
    return None if correct is None else f"{correct}% correct"


def _launch_phrase(campaign: Campaign, now: datetime, tz: tzinfo) -> str:
    """`launched 32 days ago`, `launches in 5 days`, `launches Mon 11 Jan, 09:00 UTC`."""
    launch = campaign.launch_date
    if campaign.status(now) is Status.LAUNCHED:
        if launch is None:
            return "launch date unknown"
        if day_difference(launch, now, tz) > 0:
            return f"launch date {format_date(launch, tz, now)}"
        return f"launched {relative_days(launch, now, tz)}"
    if launch is None:
        return "no launch date"
    days = day_difference(launch, now, tz)
    if days == 0:
        return f"launches today at {format_time(launch, tz)}"
    if days <= SOON_DAYS:
        return f"launches {relative_days(launch, now, tz)}"
    return f"launches {format_date(launch, tz, now)}"


def _progress_line(campaign: Campaign) -> str:
    """`▰▰▰▰▰▰▰▱▱▱ 75% complete (180/240) · 88% correct`."""
    percent = campaign.percent_complete
    line = f"{progress_bar(percent / 100)} {percent}% complete"
    if campaign.num_sent is not None or campaign.num_completed is not None:
        line += f" ({format_count(campaign.num_completed)}/{format_count(campaign.num_sent)})"
    correct = _percent_correct(campaign)
    return f"{line} · {correct}" if correct else line


def _title_line(campaign: Campaign, now: datetime) -> str:
    locked = f" {LOCKED_EMOJI}" if campaign.locked else ""
    return f"{health_emoji(campaign, now)} *{_name_md(campaign)}*{locked}"


def _summary_line(campaign: Campaign, now: datetime, tz: tzinfo) -> str:
    parts = [_module_md(campaign), _group_md(campaign, with_source=False)]
    parts.append(_launch_phrase(campaign, now, tz))
    return " · ".join(part for part in parts if part)


def _details_button(campaign: Campaign, index: int) -> ButtonElement | None:
    return kit.button("Details", details_action_id(index), campaign.id)


def _view_value(view: ListView | CampaignView) -> str | None:
    try:
        return encode_view(view)
    except ValueError:
        return None


def _view_button(label: str, action_id: str, view: ListView | CampaignView) -> ButtonElement | None:
    value = _view_value(view)
    return None if value is None else kit.button(label, action_id, value)


def _shared_context(shared_by: str | None) -> Block | None:
    who = kit.mention(shared_by)
    return kit.context(f"Shared by {who}") if who else None


# --- sorting and filtering ------------------------------------------------------------------


def sort_campaigns(campaigns: Sequence[Campaign], now: datetime) -> list[Campaign]:
    """Launched first (newest launch first, undated last), then pending (soonest launch
    first, undated last); ties by name then id so the order is stable."""
    now = _aware(now)

    def key(campaign: Campaign) -> tuple[int, int, float, str, str]:
        launch = campaign.launch_date
        tie = (campaign_name(campaign).casefold(), campaign.id)
        if campaign.status(now) is Status.LAUNCHED:
            if launch is None:
                return (0, 1, 0.0, *tie)
            return (0, 0, -launch.timestamp(), *tie)
        if launch is None:
            return (1, 1, 0.0, *tie)
        return (1, 0, launch.timestamp(), *tie)

    return sorted(campaigns, key=key)


def filter_campaigns(
    campaigns: Sequence[Campaign], view_filter: str, now: datetime
) -> list[Campaign]:
    if view_filter == "all":
        return list(campaigns)
    wanted = Status(view_filter)
    return [campaign for campaign in campaigns if campaign.status(now) is wanted]


# --- the list ------------------------------------------------------------------------------


def _count_line(campaigns: Sequence[Campaign], view: ListView, now: datetime) -> str:
    launched = sum(1 for c in campaigns if c.status(now) is Status.LAUNCHED)
    pending = len(campaigns) - launched
    if view.filter == "launched":
        return f"{launched:,} launched of {plural(len(campaigns), 'campaign')}"
    if view.filter == "pending":
        return f"{pending:,} pending of {plural(len(campaigns), 'campaign')}"
    return f"{plural(len(campaigns), 'campaign')} · {launched:,} launched · {pending:,} pending"


def _fallback_for_list(campaigns: Sequence[Campaign], view: ListView, now: datetime) -> str:
    total = len(campaigns)
    launched = sum(1 for c in campaigns if c.status(now) is Status.LAUNCHED)
    pending = total - launched
    if total == 0:
        return f"No {TITLE} yet."
    if view.filter == "launched":
        return f"{plural(launched, 'launched campaign')} (of {total:,} {TITLE})."
    if view.filter == "pending":
        return f"{plural(pending, 'pending campaign')} (of {total:,} {TITLE})."
    noun = TITLE if total != 1 else TITLE[:-1]
    return f"{total:,} {noun}: {launched:,} launched, {pending:,} pending."


def _empty_text(campaigns: Sequence[Campaign], view: ListView, now: datetime) -> str:
    total = len(campaigns)
    if total == 0:
        return (
            "No Awareness Training campaigns yet. Campaigns created in Mimecast "
            "(Awareness Training &gt; Campaigns) show up here."
        )
    if view.filter == "pending":
        return f"No pending campaigns: all {plural(total, 'campaign')} have launched."
    return f"No launched campaigns yet: {plural(total, 'campaign')} pending."


def _list_blocks(
    campaigns: Sequence[Campaign],
    *,
    now: datetime,
    tz: tzinfo,
    view: ListView,
    fetched_at: datetime | None,
    shared_by: str | None,
    notice: str | None,
) -> tuple[str, list[Block | None]]:
    now = _aware(now)
    shown = sort_campaigns(filter_campaigns(campaigns, view.filter, now), now)
    pages = max(1, math.ceil(len(shown) / PAGE_SIZE))
    page = min(view.page, pages - 1)
    current = ListView(view.filter, page)

    summary = _count_line(campaigns, view, now)
    if fetched_at is not None:
        summary += f" · updated {format_age(fetched_at, now, tz)}"

    blocks: list[Block | None] = [kit.header(_HEADERS[view.filter])]
    if notice and notice.strip():
        blocks.append(kit.section(kit.defuse(notice)))
    blocks.append(kit.context(summary))

    if not shown:
        blocks.append(kit.section(_empty_text(campaigns, view, now)))
        blocks.append(_shared_context(shared_by))
        if view.filter != "all":
            blocks.append(kit.actions([_view_button("All campaigns", ACTION_BACK, _DEFAULT_VIEW)]))
        return _fallback_for_list(campaigns, view, now), blocks

    start = page * PAGE_SIZE
    for index, campaign in enumerate(shown[start : start + PAGE_SIZE]):
        lines = [_title_line(campaign, now), _summary_line(campaign, now, tz)]
        if campaign.status(now) is Status.LAUNCHED:
            lines.append(_progress_line(campaign))
        blocks.append(kit.divider())
        blocks.append(kit.section("\n".join(lines), accessory=_details_button(campaign, index)))
    blocks.append(kit.divider())

    if pages > 1:
        last = min(start + PAGE_SIZE, len(shown))
        blocks.append(
            kit.context(f"Page {page + 1} of {pages} · {start + 1}–{last} of {len(shown):,}")
        )
    shared = _shared_context(shared_by)
    blocks.append(shared)
    buttons = []
    if page > 0:
        buttons.append(
            _view_button("‹ Previous", page_action_id("prev"), ListView(view.filter, page - 1))
        )
    if page < pages - 1:
        buttons.append(
            _view_button("Next ›", page_action_id("next"), ListView(view.filter, page + 1))
        )
    if shared_by is None:
        buttons.append(_view_button("Share to channel", ACTION_SHARE, current))
    blocks.append(kit.actions(buttons))
    return _fallback_for_list(campaigns, view, now), blocks


def campaign_list_message(
    campaigns: Sequence[Campaign],
    *,
    now: datetime,
    tz: tzinfo,
    view: ListView = _DEFAULT_VIEW,
    fetched_at: datetime | None = None,
    shared_by: str | None = None,
    notice: str | None = None,
) -> Message:
    """`/campaigns` (and `pending` / `launched`): one page of campaigns, launched first.

    `notice` is caller-written mrkdwn shown under the header (e.g. a stale-data warning);
    `shared_by` (a Slack user id) turns the message into its shared, in-channel form.
    """
    text, blocks = _list_blocks(
        campaigns,
        now=now,
        tz=tz,
        view=view,
        fetched_at=fetched_at,
        shared_by=shared_by,
        notice=notice,
    )
    return kit.finish(text, blocks)


# --- one campaign ---------------------------------------------------------------------------


def _status_lines(campaign: Campaign, now: datetime, tz: tzinfo) -> list[str]:
    emoji = health_emoji(campaign, now)
    launch, created = campaign.launch_date, campaign.create_date
    created_part = f" · created {format_day(created, tz, now)}" if created else ""
    if campaign.status(now) is Status.PENDING:
        if launch is None:
            when = "no launch date set"
        else:
            when = f"launches {format_date(launch, tz, now)} ({relative_days(launch, now, tz)})"
        return [f"{emoji} Pending · {when}{created_part}"]
    if launch is None:
        first = f"{emoji} Launched (date unknown){created_part}"
    else:
        first = f"{emoji} Launched {format_day(launch, tz, now)} ({relative_days(launch, now, tz)})"
        first += created_part
    health = campaign_health(campaign, now)
    if health.value in ("behind", "far behind"):
        first += f" · {health.value}"
    percent = campaign.percent_complete
    second = f"{progress_bar(percent / 100)} *{percent}% complete*"
    if campaign.num_sent is not None or campaign.num_completed is not None:
        done, sent = format_count(campaign.num_completed), format_count(campaign.num_sent)
        second += f" — {done} of {sent} users"
    correct = _percent_correct(campaign)
    if correct:
        second += f" · {correct}"
    return [first, second]


def _email_text(campaign: Campaign) -> str:
    subject = clean(campaign.email_subject or "")
    quoted = f"“{md(subject, _SUBJECT_LIMIT)}”" if subject else ""
    if campaign.email_customized is True:
        return f"customised: {quoted}" if quoted else "customised"
    if campaign.email_customized is False:
        return "template (not customised)"
    return quoted or MISSING


def _locked_text(campaign: Campaign) -> str:
    if campaign.locked is None:
        return MISSING
    return f"yes {LOCKED_EMOJI}" if campaign.locked else "no"


def _fields(campaign: Campaign) -> list[str]:
    module = _module_md(campaign)
    if module and campaign.module_is_custom:
        module += " (custom)"
    return [
        f"*Module*\n{module or MISSING}",
        f"*Group*\n{_group_md(campaign, with_source=True) or MISSING}",
        f"*Sent*\n{format_count(campaign.num_sent)}",
        f"*Completed*\n{format_count(campaign.num_completed)}",
        f"*Locked*\n{_locked_text(campaign)}",
        f"*Email*\n{_email_text(campaign)}",
    ]


def _questions_text(campaign: Campaign) -> str | None:
    answers = campaign.correct_answers
    if not answers:
        return None
    base = campaign.num_completed if campaign.num_completed and campaign.num_completed > 0 else 0
    lines = ["*Correct answers by question*"]
    for number, count in enumerate(answers[:MAX_QUESTIONS_SHOWN], start=1):
        if count is None or count < 0:
            lines.append(f"Q{number} {MISSING}")
            continue
        if base:
            share = 1.0 if count >= base else count / base  # no float overflow on huge counts
            lines.append(f"Q{number} {progress_bar(share)} {count:,} ({math.floor(share * 100)}%)")
        else:
            lines.append(f"Q{number} {progress_bar(0.0)} {count:,}")
    if len(answers) > MAX_QUESTIONS_SHOWN:
        lines.append(f"+{len(answers) - MAX_QUESTIONS_SHOWN} more questions")
    return "\n".join(lines)


def _comparison_text(campaign: Campaign, now: datetime) -> str | None:
    comparison = campaign.comparison
    if comparison is None or comparison.is_empty:
        return None
    count = comparison.num_campaigns
    others = (
        f"{count:,} other campaign{'s' if count != 1 else ''}"
        if count is not None and count >= 0
        else "other campaigns"
    )
    average = comparison.percent_complete
    if average is None:
        return f"Compared with {others}: no average completion available"
    text = f"Compared with {others}: {average}% complete on average"
    if campaign.status(now) is Status.LAUNCHED:
        delta = campaign.percent_complete - average
        text += f" (this one {format_signed_points(delta)})"
    return text


def _detail_fallback(campaign: Campaign, now: datetime, tz: tzinfo) -> str:
    name = _name_md(campaign, 500)
    if campaign.status(now) is Status.PENDING:
        launch = campaign.launch_date
        when = f"launches {format_date(launch, tz, now)}" if launch else "no launch date set"
        return f"{name}: pending, {when}."
    text = f"{name}: launched, {campaign.percent_complete}% complete"
    if campaign.num_sent is not None:
        text += (
            f" ({format_count(campaign.num_completed)} of {format_count(campaign.num_sent)} users)"
        )
    correct = _percent_correct(campaign)
    return f"{text}, {correct}." if correct else f"{text}."


def campaign_detail_message(
    campaign: Campaign,
    *,
    now: datetime,
    tz: tzinfo,
    back: ListView | None = _DEFAULT_VIEW,
    shared_by: str | None = None,
) -> Message:
    """`/campaigns <name>`: one campaign's full status."""
    now = _aware(now)
    name = campaign_name(campaign)
    blocks: list[Block | None] = [kit.header(name)]
    if plain(name, 150) != name.replace("<", "‹").replace(">", "›"):
        blocks.append(kit.section(f"*{md(name, _FULL_NAME_LIMIT)}*"))
    blocks.append(kit.section("\n".join(_status_lines(campaign, now, tz))))
    blocks.append(kit.fields_section(_fields(campaign)))
    questions = _questions_text(campaign)
    if questions:
        blocks.append(kit.section(questions))
    comparison = _comparison_text(campaign, now)
    if comparison:
        blocks.append(kit.context(comparison))
    shared = _shared_context(shared_by)
    blocks.append(shared)
    buttons = []
    if back is not None:
        buttons.append(_view_button("‹ All campaigns", ACTION_BACK, back))
    if shared_by is None and campaign.id:
        try:
            view = CampaignView(campaign.id, back)
        except ValueError:
            pass
        else:
            buttons.append(_view_button("Share to channel", ACTION_SHARE, view))
    blocks.append(kit.actions(buttons))
    return kit.finish(_detail_fallback(campaign, now, tz), blocks)


# --- several matches, none ------------------------------------------------------------------


def _quoted_query(query: str) -> str:
    return f'"{md(query, _QUERY_LIMIT)}"'


def pick_list_message(
    query: str, matches: Sequence[Campaign], *, now: datetime, tz: tzinfo
) -> Message:
    """Several campaigns match: one line each with a Details button, at most PICK_LIMIT."""
    if not matches:
        return no_match_message(query, ())
    now = _aware(now)
    count = len(matches)
    verb = "campaign matches" if count == 1 else "campaigns match"
    intro = f"{count:,} {verb} {_quoted_query(query)}:"
    blocks: list[Block | None] = [kit.section(intro)]
    shown = matches[:PICK_LIMIT]
    for index, campaign in enumerate(shown):
        line = _summary_line(campaign, now, tz)
        if campaign.status(now) is Status.LAUNCHED:
            line += f" · {campaign.percent_complete}% complete"
        text = f"{_title_line(campaign, now)}\n{line}"
        blocks.append(kit.section(text, accessory=_details_button(campaign, index)))
    if count > len(shown):
        blocks.append(kit.context(f"+{count - len(shown):,} more: type more of the name"))
    names = ", ".join(_name_md(c, 100) for c in shown)
    more = f" and {count - len(shown):,} more" if count > len(shown) else ""
    return kit.finish(f"{intro} {names}{more}.", blocks)


def no_match_message(query: str, suggestions: Sequence[Campaign]) -> Message:
    """Nothing matches: say so, and offer the closest names as buttons (at most 5)."""
    shown = list(suggestions[:SUGGESTION_LIMIT])
    intro = f"No campaign matches {_quoted_query(query)}."
    if shown:
        text = intro + " Did you mean " + ", ".join(f"*{_name_md(c, 150)}*" for c in shown) + "?"
        fallback = intro + " Did you mean " + ", ".join(_name_md(c, 150) for c in shown) + "?"
    else:
        text = fallback = intro + " `/campaigns` lists them all."
    buttons = [
        kit.button(campaign_name(c), details_action_id(index), c.id)
        for index, c in enumerate(shown)
    ]
    return kit.finish(fallback, [kit.section(text), kit.actions(buttons)])


# --- help, errors, refusals, notices --------------------------------------------------------

HELP_ROWS: Final = (
    ("/campaigns", "all campaigns, launched first"),
    ("/campaigns <name>", "one campaign's status (part of the name is enough)"),
    ("/campaigns pending", "campaigns not launched yet"),
    ("/campaigns launched", "launched campaigns"),
    ("/campaigns digest", "preview this week's digest"),
    ("/campaigns digest subscribe [cron] [zone]", "weekly digest in this channel"),
    ("/campaigns help", "this help"),
)


def help_message() -> Message:
    """`/campaigns help`: the usage table in a code block."""
    width = max(len(command) for command, _ in HELP_ROWS) + 3
    table = "\n".join(f"{command.ljust(width)}{meaning}" for command, meaning in HELP_ROWS)
    intro = (
        "*/campaigns* shows Mimecast Awareness Training campaigns. Answers are visible only "
        "to you; *Share to channel* posts one for everyone."
    )
    text = f"{intro}\n```\n{escape_mrkdwn(table)}\n```"
    fallback = "/campaigns usage: " + "; ".join(
        f"{escape_mrkdwn(command)}: {meaning}" for command, meaning in HELP_ROWS
    )
    return kit.finish(fallback, [kit.section(text)])


def _error_line(error: MimecastError) -> str:
    """`⚠️ Mimecast rejected the bot's keys (err_xdk_invalid_signature).` + what to do."""
    message = clean(str(error.user_message or "")) or MimecastError.user_message
    code = clean(str(error.code or "")) or MimecastError.code
    head, _, tail = message.partition(". ")
    head = head.rstrip(".")
    line = f"⚠️ {escape_mrkdwn(head)} ({md(code, 100)})."
    return f"{line}\n{escape_mrkdwn(tail)}" if tail else line


def error_message(
    error: MimecastError,
    *,
    stale: Sequence[Campaign] | None = None,
    stale_fetched_at: datetime | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> Message:
    """What went wrong and what to do; with `stale` campaigns, the last list underneath.

    The stale list needs a clock: `now`, else `stale_fetched_at`; without either it is left out.
    """
    zone = tz or UTC
    line = truncate_mrkdwn(_error_line(error), 2500)
    blocks: list[Block | None] = [kit.section(line)]
    fallback = line.split("\n", 1)[0]
    clock = now or stale_fetched_at
    if stale is not None and clock is not None:
        clock = _aware(clock)
        if stale_fetched_at is None:
            when = "The last list fetched is shown below."
        elif day_difference(stale_fetched_at, clock, zone) == 0:
            when = f"The last list from {format_time(stale_fetched_at, zone)} is shown below."
        else:
            when = (
                f"The last list from {format_date(stale_fetched_at, zone, clock)} is shown below."
            )
        blocks.append(kit.context(when))
        _, list_blocks = _list_blocks(
            stale,
            now=clock,
            tz=zone,
            view=_DEFAULT_VIEW,
            fetched_at=stale_fetched_at,
            shared_by=None,
            notice=None,
        )
        blocks.append(kit.divider())
        blocks.extend(list_blocks)
        fallback += " " + when
    return kit.finish(fallback, blocks)


def refusal_message() -> Message:
    """For someone outside ALLOWED_USERS: polite, and says who can help."""
    text = (
        "Sorry, /campaigns is limited to certain people in this workspace. "
        "If you need it, ask a workspace admin to give you access."
    )
    return kit.finish(text, [kit.section(text)])


def notice_message(text: str) -> Message:
    """A short plain message; `text` is escaped here."""
    body = md(text, 2900) if clean(text) else MISSING
    return kit.finish(body, [kit.section(body)])
