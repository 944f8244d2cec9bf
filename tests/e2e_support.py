"""Running the real bot process between the Slack mock and the Mimecast simulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from simulator.server import DEMO_KEYS, MimecastSimulator
from tests.harness.processes import BotProcess, free_port
from tests.harness.slack_mock import ResponsePost, SlackMock
from tests.harness.slack_requests import send_block_action, send_slash_command

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token"


def connection_env(slack: SlackMock, simulator: MimecastSimulator, port: int) -> dict[str, str]:
    """What points a bot process at the Slack mock and the simulator (tests and benches)."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "PORT": str(port),
        "MIMECAST_BASE_URL": simulator.url,
        "MIMECAST_APP_ID": DEMO_KEYS.app_id,
        "MIMECAST_APP_KEY": DEMO_KEYS.app_key,
        "MIMECAST_ACCESS_KEY": DEMO_KEYS.access_key,
        "MIMECAST_SECRET_KEY": DEMO_KEYS.secret_key,
    }


def bot_env(
    slack: SlackMock, simulator: MimecastSimulator, port: int, **extra: str
) -> dict[str, str]:
    """connection_env tuned for tests: no cache (faults show at once), a short timeout."""
    env = {
        **connection_env(slack, simulator, port),
        "CACHE_TTL_SECONDS": "0",
        "MIMECAST_TIMEOUT_SECONDS": "2",
        "LOG_LEVEL": "INFO",
    }
    env.update(extra)
    return env


_keys = count()


@dataclass
class Bot:
    """A running bot and the two fakes around it, with helpers that act as Slack would."""

    process: BotProcess
    slack: SlackMock
    simulator: MimecastSimulator
    url: str

    def command(self, text: str, **fields: Any) -> tuple[str, int, str]:
        """Send `/campaigns text`; return (response key, ack status, ack body)."""
        key = f"cmd{next(_keys)}"
        status, body, _ = send_slash_command(
            self.url, SIGNING_SECRET, text, response_url=self.slack.response_url(key), **fields
        )
        return key, status, body

    def click(self, action_id: str, value: str, **fields: Any) -> tuple[str, int]:
        key = f"click{next(_keys)}"
        status, _, _ = send_block_action(
            self.url,
            SIGNING_SECRET,
            action_id,
            value,
            response_url=self.slack.response_url(key),
            **fields,
        )
        return key, status

    def answer(self, key: str, timeout: float = 15) -> dict[str, Any]:
        posts: list[ResponsePost] = self.slack.wait_for_responses(1, timeout=timeout, key=key)
        return posts[0].body

    def ask(self, text: str, **fields: Any) -> dict[str, Any]:
        key, status, _ = self.command(text, **fields)
        assert status == 200
        return self.answer(key)


@contextmanager
def running_bot(tmp_path: Path, **extra_env: str) -> Iterator[Bot]:
    with SlackMock() as slack, MimecastSimulator() as simulator:
        port = free_port()
        env = bot_env(slack, simulator, port, DATABASE_URL=f"sqlite:///{tmp_path}/bot.db")
        env.update(extra_env)
        process = BotProcess(
            ["bot.py", "serve"], env=env, cwd=ROOT, health_url=f"http://127.0.0.1:{port}/healthz"
        )
        with process:  # __enter__ starts it and waits for /healthz
            yield Bot(process, slack, simulator, f"http://127.0.0.1:{port}/slack/events")


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for block in message.get("blocks", []):
        if block.get("type") == "actions":
            found.extend(block.get("elements", []))
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            found.append(accessory)
    return found


def button(message: dict[str, Any], prefix: str) -> dict[str, Any]:
    for element in buttons(message):
        if str(element.get("action_id", "")).startswith(prefix):
            return element
    raise AssertionError(f"no {prefix} button in {json.dumps(message)[:2000]}")


def all_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)
