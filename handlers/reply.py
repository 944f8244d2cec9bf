"""An answer to send back through the response_url."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from blocks.message import Message


@dataclass(frozen=True)
class Reply:
    message: Message
    response_type: Literal["ephemeral", "in_channel"] = "ephemeral"
    replace_original: bool = False
