"""Reading `/campaigns digest subscribe [cron] [zone]` into a checked subscription."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.cron import crontab_trigger


@dataclass(frozen=True)
class SubscriptionRequest:
    schedule: str | None  # None: the default schedule
    timezone: str | None  # None: the default zone


class SubscriptionError(ValueError):
    pass


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SubscriptionError(
            f"{name[:64]!r} is not a time zone: use an IANA name like Europe/Paris"
        ) from None
    return name


def parse_subscription(args: list[str]) -> SubscriptionRequest:
    """`[]`, `[zone]`, five cron fields, or five cron fields and a zone."""
    if not args:
        return SubscriptionRequest(None, None)
    if len(args) == 1:
        return SubscriptionRequest(None, _zone(args[0]))
    if len(args) not in (5, 6):
        raise SubscriptionError(
            "give a 5-field cron expression and optionally a zone, "
            "e.g. `/campaigns digest subscribe 0 9 * * mon Europe/Paris`"
        )
    schedule = " ".join(args[:5])
    zone = _zone(args[5]) if len(args) == 6 else None
    try:
        crontab_trigger(schedule, ZoneInfo(zone or "UTC"))
    except ValueError as exc:
        raise SubscriptionError(f"{schedule!r} is not a valid cron expression ({exc})") from None
    return SubscriptionRequest(schedule, zone)
