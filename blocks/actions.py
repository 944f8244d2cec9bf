"""The contract between the buttons this layer draws and the handlers that answer them.

action_ids:
  - `campaign_details:<n>` (n = position in the message): value is the campaign id, raw.
  - `campaigns_page:prev` / `campaigns_page:next`: value is `encode_view(ListView(...))`.
  - `campaigns_back`: value is `encode_view(ListView(...))`.
  - `share_to_channel`: value is `encode_view(ListView(...))` or `encode_view(CampaignView(...))`.
  - `campaigns_open` (on the weekly digest): value is `encode_view(ListView(...))`; the handler
    answers the clicker with an ephemeral list and never replaces the channel message.

Values come back from the network: `decode_view` trusts nothing and raises ValueError.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

ACTION_DETAILS: Final = "campaign_details"
ACTION_PAGE: Final = "campaigns_page"
ACTION_BACK: Final = "campaigns_back"
ACTION_SHARE: Final = "share_to_channel"
ACTION_OPEN_LIST: Final = "campaigns_open"

FILTERS: Final = ("all", "pending", "launched")
MAX_VALUE = 2000
MAX_PAGE = 100_000
MAX_CAMPAIGN_ID = 1900


def details_action_id(index: int) -> str:
    return f"{ACTION_DETAILS}:{index}"


def page_action_id(direction: str) -> str:
    if direction not in ("prev", "next"):
        raise ValueError(f"unknown page direction {direction!r}")
    return f"{ACTION_PAGE}:{direction}"


@dataclass(frozen=True)
class ListView:
    """Which list a message shows: the filter and the (0-based) page."""

    filter: str = "all"
    page: int = 0

    def __post_init__(self) -> None:
        if self.filter not in FILTERS:
            raise ValueError(f"unknown filter {self.filter!r}; expected one of {FILTERS}")
        if isinstance(self.page, bool) or not isinstance(self.page, int):
            raise ValueError("page must be an int")
        if not 0 <= self.page <= MAX_PAGE:
            raise ValueError(f"page out of range: {self.page}")


@dataclass(frozen=True)
class CampaignView:
    """One campaign, and the list to go back to (None: no back button)."""

    campaign_id: str
    back: ListView | None = None

    def __post_init__(self) -> None:
        _check_campaign_id(self.campaign_id)
        if self.back is not None and not isinstance(self.back, ListView):
            raise ValueError("back must be a ListView or None")


def _check_campaign_id(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("campaign id must be a non-empty string")
    if len(value) > MAX_CAMPAIGN_ID:
        raise ValueError("campaign id too long")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ValueError("campaign id contains control characters")
    return value


def _list_dict(view: ListView) -> dict[str, Any]:
    return {"f": view.filter, "p": view.page}


def encode_view(view: ListView | CampaignView) -> str:
    """Compact JSON for a button value (<= 2000 characters; ValueError when it cannot fit).

    `<`, `>` and `&` are written as JSON `\\u` escapes so no value ever carries mrkdwn syntax.
    """
    data: dict[str, Any]
    if isinstance(view, ListView):
        data = _list_dict(view)
    elif isinstance(view, CampaignView):
        data = {"c": view.campaign_id}
        if view.back is not None:
            data["b"] = _list_dict(view.back)
    else:  # pragma: no cover - guarded by the type checker
        raise TypeError(f"cannot encode {type(view).__name__}")
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if len(text.encode("utf-16-le")) // 2 > MAX_VALUE:
        raise ValueError("view does not fit in a button value")
    return text


def _decode_list(data: Any) -> ListView:
    if not isinstance(data, dict) or set(data) != {"f", "p"}:
        raise ValueError("malformed list view")
    page = data["p"]
    if isinstance(page, bool) or not isinstance(page, int):
        raise ValueError("malformed page")
    view_filter = data["f"]
    if not isinstance(view_filter, str):
        raise ValueError("malformed filter")
    return ListView(filter=view_filter, page=page)


def decode_view(value: str) -> ListView | CampaignView:
    """Parse a button value from `encode_view`; ValueError on anything else."""
    if not isinstance(value, str):
        raise ValueError("view value must be a string")
    if not value or len(value) > MAX_VALUE:
        raise ValueError("view value empty or too long")
    try:
        data = json.loads(value)
    except (ValueError, RecursionError) as error:
        raise ValueError("view value is not JSON") from error
    if not isinstance(data, dict):
        raise ValueError("view value is not an object")
    keys = set(data)
    if keys == {"f", "p"}:
        return _decode_list(data)
    if keys in ({"c"}, {"c", "b"}):
        back = _decode_list(data["b"]) if "b" in data else None
        return CampaignView(campaign_id=_check_campaign_id(data["c"]), back=back)
    raise ValueError("unknown view")
