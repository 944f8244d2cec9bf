"""Text helpers: mrkdwn escaping, safe truncation, progress bars and dates.

Everything here is pure: no clock reads, no locale. Lengths are measured the way that is safe
for Slack whichever way it counts (UTF-16 code units, which is never less than code points).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, datetime, tzinfo

ELLIPSIS = "…"
MISSING = "—"

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Bidi embeddings, overrides and isolates can reorder the rest of a line (spoofing); dropped.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# Unicode category Cc (C0, DEL, C1) plus the line and paragraph separators.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_WHITESPACE = re.compile(r"\s+")
_ZWJ = "\u200d"


def escape_mrkdwn(text: str) -> str:
    """Escape the three mrkdwn control characters, and only those."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_mrkdwn(text: str) -> str:
    """Reverse `escape_mrkdwn` (for terminal rendering only)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def clean(text: str) -> str:
    """One tidy line: control characters and line breaks become spaces, runs of whitespace
    collapse, bidi overrides and lone surrogates (invalid UTF-8) go."""
    text = _SURROGATES.sub("\ufffd", text)
    text = _BIDI_CONTROLS.sub("", text).replace("\ufeff", "")
    text = _BREAKS.sub(" ", text)
    return _WHITESPACE.sub(" ", text).strip()


def slack_len(text: str) -> int:
    """Length in UTF-16 code units: an upper bound of what Slack may count."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _joins_previous(ch: str) -> bool:
    """True for characters that belong to the character before them (accents, emoji parts)."""
    code = ord(ch)
    return (
        ch == _ZWJ
        or unicodedata.combining(ch) != 0
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag characters (flag sequences)
        or unicodedata.category(ch) in ("Mn", "Me", "Mc")
    )


def _prefix(text: str, budget: int) -> str:
    """The longest prefix within `budget` UTF-16 units that does not split a character cluster."""
    used = 0
    end = 0
    for index, ch in enumerate(text):
        width = 2 if ord(ch) > 0xFFFF else 1
        if used + width > budget:
            break
        used += width
        end = index + 1
    # Back off while the cut would separate a character from its modifiers.
    while end > 0 and end < len(text) and (_joins_previous(text[end]) or text[end - 1] == _ZWJ):
        end -= 1
    return text[:end]


def truncate(text: str, limit: int) -> str:
    """Cut plain text to `limit` (UTF-16 units) with an ellipsis."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if slack_len(text) <= limit:
        return text
    return _prefix(text, limit - 1).rstrip() + ELLIPSIS


def truncate_mrkdwn(text: str, limit: int) -> str:
    """Cut mrkdwn to `limit` with an ellipsis, never inside `&amp;`-style escapes or `<...>`."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if slack_len(text) <= limit:
        return text
    head = _prefix(text, limit - 1)
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp]
    angle = head.rfind("<")
    if angle != -1 and ">" not in head[angle:]:
        head = head[:angle]
    return head.rstrip() + ELLIPSIS


def md(text: str, limit: int) -> str:
    """An untrusted string made safe for mrkdwn: cleaned, escaped, truncated."""
    return truncate_mrkdwn(escape_mrkdwn(clean(text)), limit)


def plain(text: str, limit: int) -> str:
    """Safe text for plain_text objects: one line, no `<` or `>`, at most `limit` long."""
    text = clean(text).replace("<", "‹").replace(">", "›")
    return truncate(text, limit)


# --- numbers ------------------------------------------------------------------------------


def progress_bar(ratio: float, cells: int = 10) -> str:
    """`▰▰▰▰▰▰▰▱▱▱` for 0.75: full cells are floored, so only 100% fills the bar."""
    if cells < 1:
        raise ValueError("cells must be at least 1")
    if math.isnan(ratio):
        ratio = 0.0
    ratio = min(1.0, max(0.0, ratio))
    filled = min(cells, math.floor(ratio * cells + 1e-9))
    return "▰" * filled + "▱" * (cells - filled)


def format_count(value: int | None) -> str:
    """`1,512`; missing or negative (nonsense) counts read `—`."""
    if value is None or value < 0:
        return MISSING
    return f"{value:,}"


def format_signed_points(delta: int) -> str:
    if delta > 0:
        return f"+{delta} pts"
    if delta < 0:
        return f"-{-delta} pts"
    return "same as average"


# --- dates ----------------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _zone_name(local: datetime) -> str:
    name = local.tzname() or ""
    if not name or name[0] in "+-":
        offset = local.utcoffset()
        if offset is None:
            return "UTC"
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours:02d}" + (f":{mins:02d}" if mins else "")
    return name


def _year_suffix(local: datetime, now: datetime | None, tz: tzinfo) -> str:
    if now is None:
        return ""
    return "" if _aware(now).astimezone(tz).year == local.year else f" {local.year}"


def format_day(moment: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """`Mon 2 Nov`; the year is added when `now` is given and falls in another year."""
    local = _aware(moment).astimezone(tz)
    day = f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"
    return day + _year_suffix(local, now, tz)


def format_date(moment: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """`Mon 12 Jan, 09:00 UTC` in English whatever the locale; the zone's own abbreviation."""
    local = _aware(moment).astimezone(tz)
    day = format_day(moment, tz, now)
    return f"{day}, {local.hour:02d}:{local.minute:02d} {_zone_name(local)}"


def format_time(moment: datetime, tz: tzinfo) -> str:
    """`09:05 CET`."""
    local = _aware(moment).astimezone(tz)
    return f"{local.hour:02d}:{local.minute:02d} {_zone_name(local)}"


def day_difference(moment: datetime, now: datetime, tz: tzinfo | None = None) -> int:
    """Calendar days from now's date to moment's date, in `tz` (default: now's zone)."""
    now = _aware(now)
    zone = tz or now.tzinfo or UTC
    return (_aware(moment).astimezone(zone).date() - now.astimezone(zone).date()).days


def relative_days(moment: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """`today`, `yesterday`, `3 days ago`, `tomorrow`, `in 5 days` (calendar days)."""
    days = day_difference(moment, now, tz)
    if days == 0:
        return "today"
    if days == -1:
        return "yesterday"
    if days == 1:
        return "tomorrow"
    if days < 0:
        return f"{-days:,} days ago"
    return f"in {days:,} days"


def format_age(moment: datetime, now: datetime, tz: tzinfo) -> str:
    """How long ago something happened: `just now`, `2 min ago`, `3 h ago`, or a date."""
    seconds = (_aware(now) - _aware(moment)).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return "on " + format_date(moment, tz, now)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"
