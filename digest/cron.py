"""Standard 5-field cron expressions read as cron reads them.

APScheduler 3's `CronTrigger.from_crontab` numbers weekdays from Monday = 0, so `0 9 * * 1`
would fire on Tuesdays; cron (and every admin) means Monday, with 0 and 7 both Sunday. The
day-of-week field is translated to names here; the other four fields mean the same in both.
"""

from __future__ import annotations

from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MAX_EXPRESSION = 100


def _day(token: str) -> int:
    token = token.strip().lower()
    if token in _NAMES:
        return _NAMES.index(token)
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)  # 7 is Sunday too; kept as 7 so that a range may end on it
    raise ValueError(f"{token!r} is not a day of the week (0-7 or sun-sat)")


def day_of_week(field: str) -> str:
    """Cron's day-of-week field (`1-5`, `0,6`, `*/2`, `mon-fri`, `7`) as APScheduler names."""
    if field == "*" or field == "?":
        return "*"
    days: list[int] = []
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1 or (step_text and not step_text.isdigit()):
            raise ValueError(f"{part!r}: the step must be a positive number")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            low, high = span.split("-", 1)
            first, last = _day(low), _day(high)
        else:
            first = _day(span) % 7
            last = 6 if step_text else first
        if first == 7 and last == 7:
            first = last = 0
        if last < first or first == 7:
            raise ValueError(f"{part!r}: a range must go forward (e.g. 1-5, mon-fri)")
        days += [d % 7 for d in range(first, last + 1, step)]
    ordered = sorted(set(days), key=lambda d: (d - 1) % 7)  # Monday first, as APScheduler
    return ",".join(_NAMES[d] for d in ordered)


def crontab_trigger(expression: str, tz: tzinfo) -> CronTrigger:
    """A CronTrigger for a standard cron expression in `tz`; ValueError when it is not one."""
    if len(expression) > MAX_EXPRESSION:
        raise ValueError(f"a cron expression is at most {MAX_EXPRESSION} characters")
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError("a cron expression has 5 fields: minute hour day month day-of-week")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=day_of_week(weekday),
        timezone=tz,
    )
