"""What the text after `/campaigns` asks for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_QUERY_CHARS = 200


class Kind(StrEnum):
    LIST = "list"
    PENDING = "pending"
    LAUNCHED = "launched"
    HELP = "help"
    DIGEST = "digest"
    SEARCH = "search"


_KEYWORDS = {
    "": Kind.LIST,
    "all": Kind.LIST,
    "list": Kind.LIST,
    "pending": Kind.PENDING,
    "launched": Kind.LAUNCHED,
    "help": Kind.HELP,
    "-h": Kind.HELP,
    "--help": Kind.HELP,
    "?": Kind.HELP,
    "digest": Kind.DIGEST,
}


@dataclass(frozen=True)
class Command:
    kind: Kind
    query: str = ""
    args: tuple[str, ...] = ()


def unescape_slack(text: str) -> str:
    """Slack sends `&`, `<`, `>` in command text as entities; undo exactly those three."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_command(text: str | None) -> Command:
    """Keywords first; anything else is a campaign name to look for (cut to a sane length)."""
    raw = unescape_slack(text or "")
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
    words = cleaned.split(" ")
    head = words[0].casefold() if words else ""
    if cleaned.casefold() in _KEYWORDS:
        return Command(_KEYWORDS[cleaned.casefold()])
    if head == "digest":
        return Command(Kind.DIGEST, args=tuple(words[1:]))
    return Command(Kind.SEARCH, query=cleaned[:MAX_QUERY_CHARS])
