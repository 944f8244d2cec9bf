"""Typed campaign models, parsed from get-campaigns answers that may miss any key.

Mimecast's data is loose: keys go missing, objects come back empty (`allOtherCampaigns: {}`),
values are null or of another type. Every accessor here tolerates that, so one odd campaign
never hides the others.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from mimecast.errors import UpstreamError


class Status(StrEnum):
    PENDING = "pending"
    LAUNCHED = "launched"


@dataclass(frozen=True)
class Comparison:
    """`allOtherCampaigns`: totals over the tenant's other campaigns, when Mimecast sends them."""

    num_campaigns: int | None = None
    num_sent: int | None = None
    num_completed: int | None = None
    num_correct_answers: int | None = None

    @property
    def percent_complete(self) -> int | None:
        if self.num_sent is None or self.num_completed is None:
            return None
        return percent(self.num_completed, self.num_sent)

    @property
    def is_empty(self) -> bool:
        return self.num_campaigns is None and self.percent_complete is None


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    module: str | None = None
    module_is_custom: bool = False
    group: str | None = None
    group_source: str | None = None
    launch_date: datetime | None = None
    create_date: datetime | None = None
    email_customized: bool | None = None
    email_subject: str | None = None
    num_sent: int | None = None
    num_completed: int | None = None
    reported_percent_complete: int | None = None
    percent_correct: int | None = None
    correct_answers: tuple[int | None, ...] = ()
    comparison: Comparison | None = None
    locked: bool | None = None
    raw_keys: frozenset[str] = field(default_factory=frozenset, compare=False)

    @property
    def display_name(self) -> str:
        return self.name.strip() or "Untitled campaign"

    @property
    def module_name(self) -> str | None:
        return readable_module(self.module)

    def status(self, now: datetime) -> Status:
        """No status key exists: pending while nothing was sent and the launch is ahead or unset."""
        if (self.num_sent or 0) > 0:
            return Status.LAUNCHED
        if self.launch_date is not None and self.launch_date <= now:
            return Status.LAUNCHED
        return Status.PENDING

    @property
    def completion_ratio(self) -> float:
        """Completed/sent in [0, 1]; 0 when nothing was sent (never divides by zero)."""
        sent, done = self.num_sent or 0, self.num_completed or 0
        if sent <= 0:
            return 0.0
        if done >= sent:  # also keeps huge counts out of float division (OverflowError)
            return 1.0
        return max(0.0, done / sent)

    @property
    def percent_complete(self) -> int:
        """Mimecast's own figure when present and sane, else computed from the counts."""
        if (
            self.reported_percent_complete is not None
            and 0 <= self.reported_percent_complete <= 100
        ):
            return self.reported_percent_complete
        return percent(self.num_completed or 0, self.num_sent or 0)

    @property
    def clamped_percent_correct(self) -> int | None:
        if self.percent_correct is None:
            return None
        return min(100, max(0, self.percent_correct))


def percent(part: int, whole: int) -> int:
    """Integer percentage as Mimecast computes it (floor), 0 for an empty whole."""
    if whole <= 0:
        return 0
    return min(100, max(0, part * 100 // whole))


MIN_YEAR, MAX_YEAR = 1971, 9000
_UNDERSCORES = re.compile(r"[_\s]+")


def readable_module(title: str | None) -> str | None:
    """`HIPAA_101` -> `HIPAA 101`, `For_the_Kids` -> `For the Kids`."""
    if not title:
        return None
    text = _UNDERSCORES.sub(" ", title).strip()
    return text or None


# --- tolerant coercion -------------------------------------------------------------------


def as_int(value: Any) -> int | None:
    """An int from an int, an integral float or a numeric string; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return int(number) if math.isfinite(number) else None
    return None


def as_str(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def as_datetime(value: Any) -> datetime | None:
    """ISO 8601 as Mimecast writes it (`2022-01-11T23:32:00+0000`); naive times are UTC."""
    text = as_str(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    # Years near datetime's edges overflow when shown in another zone: treat as no date.
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    return moment


def _question_number(key: str) -> int | None:
    match = re.fullmatch(r"forQuestion(\d{1,2})", key)
    return int(match.group(1)) if match else None


def parse_correct_answers(value: Any) -> tuple[int | None, ...]:
    """`{forQuestion1: n, ...}` -> (n1, n2, ...), ordered by question number, gaps as None."""
    numbered: dict[int, int | None] = {}
    for key, count in as_dict(value).items():
        number = _question_number(str(key))
        if number is not None and 1 <= number <= 20:
            numbered[number] = as_int(count)
    if not numbered:
        return ()
    return tuple(numbered.get(n) for n in range(1, max(numbered) + 1))


def parse_comparison(value: Any) -> Comparison | None:
    data = as_dict(value)
    comparison = Comparison(
        num_campaigns=as_int(data.get("numCampaigns")),
        num_sent=as_int(data.get("numSent")),
        num_completed=as_int(data.get("numCompleted")),
        num_correct_answers=as_int(data.get("numCorrectAnswers")),
    )
    return None if comparison.is_empty else comparison


def fallback_id(raw: Mapping[str, Any]) -> str:
    """A stable stand-in when a campaign comes without an id, so buttons can still point at it."""
    seed = f"{raw.get('name')!r}|{raw.get('createDate')!r}|{raw.get('launchDate')!r}"
    return "noid-" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def parse_campaign(raw: Mapping[str, Any]) -> Campaign:
    title = as_dict(raw.get("title"))
    group = as_dict(raw.get("group"))
    email = as_dict(raw.get("emailMsg"))
    return Campaign(
        id=as_str(raw.get("id")) or fallback_id(raw),
        name=as_str(raw.get("name")) or "",
        module=as_str(title.get("title")),
        module_is_custom=as_bool(title.get("titleForCustomModule")) or False,
        group=as_str(group.get("description")),
        group_source=as_str(group.get("source")),
        launch_date=as_datetime(raw.get("launchDate")),
        create_date=as_datetime(raw.get("createDate")),
        email_customized=as_bool(raw.get("emailCustomized")),
        email_subject=as_str(email.get("subject")),
        num_sent=as_int(raw.get("numSent")),
        num_completed=as_int(raw.get("numCompleted")),
        reported_percent_complete=as_int(raw.get("percentComplete")),
        percent_correct=as_int(raw.get("percentCorrect")),
        correct_answers=parse_correct_answers(raw.get("numCorrectAnswers")),
        comparison=parse_comparison(raw.get("allOtherCampaigns")),
        locked=as_bool(raw.get("locked")),
        raw_keys=frozenset(str(k) for k in raw),
    )


@dataclass(frozen=True)
class CampaignBatch:
    """One get-campaigns answer: the campaigns we could read, and how many entries we could not."""

    campaigns: tuple[Campaign, ...]
    skipped: int = 0


def parse_campaigns(envelope: Any) -> CampaignBatch:
    """Read `data[0].campaigns` from a get-campaigns envelope (errors already checked).

    Raises UpstreamError when the envelope itself has the wrong shape; entries that are not
    objects are skipped and counted rather than failing the whole list.
    """
    if not isinstance(envelope, Mapping):
        raise UpstreamError("answer is not a JSON object", code="malformed_response")
    data = envelope.get("data")
    if data is None:
        data = []
    if not isinstance(data, Sequence) or isinstance(data, str | bytes):
        raise UpstreamError("`data` is not a list", code="malformed_response")
    campaigns: list[Campaign] = []
    skipped = 0
    for wrapper in data:
        if not isinstance(wrapper, Mapping):
            skipped += 1
            continue
        entries = wrapper.get("campaigns")
        if entries is None:
            continue
        if not isinstance(entries, Sequence) or isinstance(entries, str | bytes):
            raise UpstreamError("`campaigns` is not a list", code="malformed_response")
        for raw in entries:
            if isinstance(raw, Mapping):
                campaigns.append(parse_campaign(raw))
            else:
                skipped += 1
    return CampaignBatch(campaigns=tuple(campaigns), skipped=skipped)
