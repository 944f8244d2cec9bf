"""Pure Block Kit builders: Mimecast models in, validated Slack messages out.

No I/O and no clock: callers pass `now` (aware) and the time zone dates are shown in.
"""

from blocks.actions import (
    ACTION_BACK,
    ACTION_DETAILS,
    ACTION_OPEN_LIST,
    ACTION_PAGE,
    ACTION_SHARE,
    CampaignView,
    ListView,
    decode_view,
    encode_view,
)
from blocks.campaigns import (
    PAGE_SIZE,
    campaign_detail_message,
    campaign_list_message,
    error_message,
    help_message,
    no_match_message,
    notice_message,
    pick_list_message,
    refusal_message,
    sort_campaigns,
)
from blocks.digest import digest_message
from blocks.health import Health, campaign_health
from blocks.limits import BlockKitLimitError, validate_message
from blocks.message import Message
from blocks.render_text import builder_url, message_to_text
from blocks.text import (
    escape_mrkdwn,
    format_date,
    format_day,
    plain,
    progress_bar,
    relative_days,
    truncate_mrkdwn,
)

__all__ = [
    "ACTION_BACK",
    "ACTION_DETAILS",
    "ACTION_OPEN_LIST",
    "ACTION_PAGE",
    "ACTION_SHARE",
    "PAGE_SIZE",
    "BlockKitLimitError",
    "CampaignView",
    "Health",
    "ListView",
    "Message",
    "builder_url",
    "campaign_detail_message",
    "campaign_health",
    "campaign_list_message",
    "decode_view",
    "digest_message",
    "encode_view",
    "error_message",
    "escape_mrkdwn",
    "format_date",
    "format_day",
    "help_message",
    "message_to_text",
    "no_match_message",
    "notice_message",
    "pick_list_message",
    "plain",
    "progress_bar",
    "refusal_message",
    "relative_days",
    "sort_campaigns",
    "truncate_mrkdwn",
    "validate_message",
]
