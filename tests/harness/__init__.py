"""Test tooling shared by the end-to-end tests and the ``bench/`` scripts.

- :mod:`tests.harness.slack_mock`: a loopback HTTP server imitating Slack's Web API and
  ``response_url`` endpoints, with scripted failures and blocking wait helpers.
- :mod:`tests.harness.slack_requests`: signed slash-command / block-action requests built the way
  Slack builds them, and a timed HTTP ``post``.
- :mod:`tests.harness.processes`: running the bot (or any Python entry point) in the background
  with a scrubbed environment.
"""

from tests.harness.processes import BotProcess, child_env, free_port, run
from tests.harness.slack_mock import ApiCall, ResponsePost, SlackMock
from tests.harness.slack_requests import (
    block_action_body,
    block_action_payload,
    post,
    send_block_action,
    send_slash_command,
    sign,
    slash_command_body,
)

__all__ = [
    "ApiCall",
    "BotProcess",
    "ResponsePost",
    "SlackMock",
    "block_action_body",
    "block_action_payload",
    "child_env",
    "free_port",
    "post",
    "run",
    "send_block_action",
    "send_slash_command",
    "sign",
    "slash_command_body",
]
