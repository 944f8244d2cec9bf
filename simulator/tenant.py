"""A made-up but realistic Awareness Training tenant, in get-campaigns' exact JSON shape.

The shape copies the recorded real answer (tests/fixtures/get-campaigns.recorded.json): the same
15 keys, opaque `eNq...` ids, `+0000` dates, and `allOtherCampaigns` sometimes `{}`. The content
covers what the bot must cope with: fresh and old launches, one far behind, one finished, pending
launches, 1 to 3 questions, a locked campaign, a non-ASCII name and one campaign with nothing
but `id` and `name`. Everything is derived from `now` and fixed tables, so it is deterministic;
the ids do not depend on `now`, so they stay stable across restarts like real ones do.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

_GIFS = (
    ("http://i.giphy.com/1rO0z0NXSLoiX6iGGQ.gif", "http://i.giphy.com/YlIowPsl7P5BLYp09b.gif"),
    ("http://i.giphy.com/3oqflI8233Y47cOjcq.gif", "http://i.giphy.com/4KFjX2mcZEnuEnDkdR.gif"),
    ("https://i.giphy.com/7x5axuy9yAbIYM0Mtn.gif", "https://i.giphy.com/R2LpjeKa8OY2IZtvNh.gif"),
)


@dataclass(frozen=True)
class _Module:
    title: str
    why: str  # completes "... and see why you ..." in the template email, as Mimecast writes it
    answers: tuple[int, ...]  # title.correctAnswers: answer indexes, one per question


_MODULES = {
    m.title: m
    for m in (
        _Module("Phishing_Basics", "should look twice before you click a link", (2,)),
        _Module("HIPAA_101", "have a legal and moral obligation to protect privacy", (4, 1)),
        _Module("Social_Engineering", "should verify who is really asking", (1, 3, 2)),
        _Module("Password_Hygiene", "should never reuse a password", (3,)),
        _Module("CEO_Fraud", "should confirm unusual payment requests by phone", (2, 4)),
        _Module("GDPR_Essentials", "should only keep the personal data you need", (1,)),
        _Module("Safe_Browsing", "should think before you download", (3, 2)),
        _Module("Clean_Desk", "should lock your screen and clear your desk", (4,)),
        _Module("Mobile_Device_Security", "should keep your phone locked and updated", (2, 2)),
        _Module("Gift_Card_Scams", "should never buy gift cards for a stranger", (1,)),
    )
}

# description -> (source, userCount); cloud groups report 0 users like the recorded answer does.
_GROUPS = {
    "All Staff": ("ldap", 240),
    "Sales": ("cloud", 0),
    "Finance": ("cloud", 0),
    "Engineering": ("cloud", 0),
}


@dataclass(frozen=True)
class _Plan:
    name: str
    module: str
    group: str
    days: int  # launch offset from now: negative = launched that many days ago
    at: tuple[int, int]  # launch hour and minute (UTC)
    sent: int = 0
    completed: int = 0
    correct: tuple[int, ...] = ()  # numCorrectAnswers per question; zeros when empty
    compare: bool = False  # fill allOtherCampaigns (real data often has it empty)
    locked: bool = False
    subject: str | None = None  # a customised alert email subject


_PLANS = (
    _Plan("Phishing Basics – Spring Wave", "Phishing_Basics", "All Staff", -3, (8, 30),
          sent=240, completed=52, correct=(47,)),
    _Plan("HIPAA 101 Annual Refresher", "HIPAA_101", "Finance", -20, (9, 15),
          sent=48, completed=46, correct=(44, 41), compare=True),
    _Plan("Social Engineering Deep Dive", "Social_Engineering", "Sales", -40, (14, 0),
          sent=35, completed=34, correct=(33, 30, 28), compare=True),
    _Plan("Password Hygiene Kickoff", "Password_Hygiene", "Engineering", -95, (10, 45),
          sent=62, completed=62, correct=(60,), compare=True, locked=True),
    _Plan("Überweisungsbetrug – CEO-Fraud", "CEO_Fraud", "Finance", -65, (7, 5),
          sent=48, completed=7, correct=(6, 5),
          subject="Bitte erledigen: Schulung zu CEO-Fraud"),
    _Plan("GDPR Essentials for Sales", "GDPR_Essentials", "Sales", -20, (13, 20),
          sent=35, completed=20, correct=(18,)),
    _Plan("Safe Browsing Habits", "Safe_Browsing", "Engineering", -40, (11, 0),
          sent=62, completed=41, correct=(39, 35), compare=True),
    _Plan("Clean Desk Policy", "Clean_Desk", "All Staff", -95, (16, 40),
          sent=240, completed=198, correct=(180,), subject="Action needed: Clean Desk training"),
    _Plan("Phishing Basics – New Hires", "Phishing_Basics", "Engineering", 2, (9, 0)),
    _Plan("Mobile Device Security", "Mobile_Device_Security", "All Staff", 5, (8, 0),
          compare=True),
    _Plan("Gift Card Scams Before the Holidays", "Gift_Card_Scams", "Sales", 30, (10, 30)),
)  # fmt: skip

# Kept apart: the campaign that proves the bot survives a campaign with every optional key gone.
_BARE_NAME = "Legacy import (no details)"


def _opaque_id(kind: str, key: str, prefix: str = "eNq") -> str:
    """A stable 150-200 character url-safe id, like Mimecast's compressed 'secure IDs'."""
    digest = hashlib.shake_256(f"{kind}:{key}".encode()).digest(160)
    length = 150 + digest[0] % 51
    text = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
    return (prefix + text)[:length]


def _iso(moment: datetime) -> str:
    """`2022-01-11T23:32:00+0000`: Mimecast's offset has no colon."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _percent(part: int, whole: int) -> int:
    return part * 100 // whole if whole > 0 else 0


def _title(module: _Module, index: int) -> dict[str, Any]:
    correct_gif, incorrect_gif = _GIFS[index % len(_GIFS)]
    return {
        "id": _opaque_id("title", module.title, prefix="eNo"),
        "title": module.title,
        "titleForCustomModule": False,
        "correctAnswers": {f"forQuestion{n}": a for n, a in enumerate(module.answers, 1)},
        "defaultGifs": {"correctGif": correct_gif, "incorrectGif": incorrect_gif},
    }


def _group(description: str) -> dict[str, Any]:
    source, users = _GROUPS[description]
    group: dict[str, Any] = {
        "id": _opaque_id("group", description, prefix="eNo"),
        "description": description,
        "source": source,
        "parentId": _opaque_id("group-parent", "root", prefix="eNo"),
        "userCount": users,
        "folderCount": 0,
    }
    if source == "ldap":
        group["folders"] = []
    return group


def _email(module: _Module, subject: str | None) -> dict[str, str]:
    readable = module.title.replace("_", " ")
    questions = "questions" if len(module.answers) > 1 else "question"
    body = (
        "Hi [name],<br><br>Here's a security training module for you to complete.<br><br>"
        f'[videoposter]<br><br>Click [platformlink] to watch "{readable}" and see why you '
        f"{module.why}. Then answer the knowledge {questions} to complete your training "
        "experience.<br><br>Enjoy.<br><br>"
    )
    return {"body": body, "subject": subject or f"Security Awareness Module | {readable}"}


def _comparison(plans: tuple[_Plan, ...], this: _Plan) -> dict[str, int]:
    """Totals over the tenant's other launched campaigns, so the comparison is self-consistent."""
    others = [p for p in plans if p is not this and p.sent > 0]
    return {
        "numCorrectAnswers": sum(sum(p.correct) for p in others),
        "numCampaigns": len(others),
        "numSent": sum(p.sent for p in others),
        "numCompleted": sum(p.completed for p in others),
    }


def _campaign(plan: _Plan, index: int, now: datetime) -> dict[str, Any]:
    module = _MODULES[plan.module]
    hour, minute = plan.at
    launch = (now + timedelta(days=plan.days)).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )
    if plan.days < 0:
        created = launch - timedelta(days=index % 3, hours=2, minutes=17, seconds=11 + index)
    else:
        created = now - timedelta(days=1 + index % 2, hours=3, seconds=29 + index)
    questions = len(module.answers)
    correct = plan.correct or (0,) * questions
    answered = plan.completed * questions
    return {
        "id": _opaque_id("campaign", plan.name),
        "name": plan.name,
        "title": _title(module, index),
        "group": _group(plan.group),
        "launchDate": _iso(launch),
        "createDate": _iso(created),
        "emailCustomized": plan.subject is not None,
        "emailMsg": _email(module, plan.subject),
        "numSent": plan.sent,
        "numCompleted": plan.completed,
        "allOtherCampaigns": _comparison(_PLANS, plan) if plan.compare else {},
        "locked": plan.locked,
        "percentComplete": _percent(plan.completed, plan.sent),
        "percentCorrect": _percent(sum(correct), answered),
        "numCorrectAnswers": {f"forQuestion{n}": c for n, c in enumerate(correct, 1)},
    }


def sample_tenant(now: datetime) -> list[dict[str, Any]]:
    """Twelve raw campaign dicts (11 complete, 1 with only `id` and `name`), dated around `now`."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    campaigns = [_campaign(plan, i, now) for i, plan in enumerate(_PLANS)]
    campaigns.insert(7, {"id": _opaque_id("campaign", _BARE_NAME), "name": _BARE_NAME})
    return campaigns
