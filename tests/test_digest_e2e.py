"""The digest end to end: real processes, the Slack mock, the simulator, SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from digest.model import Period
from digest.store import DigestStore
from simulator.server import MimecastSimulator
from tests.e2e_support import ROOT, all_text, bot_env, button, running_bot
from tests.harness.processes import BotProcess, child_env, free_port, run
from tests.harness.slack_mock import SlackMock

pytestmark = pytest.mark.e2e
CHANNEL = "C0DIGEST"
# Fires at 00:00 every day: always already due in the current ISO week (except Monday 00:00).
DUE_SCHEDULE = "0 0 * * *"


def ok_posts(slack, channel=CHANNEL):
    return [
        c
        for c in slack.api_calls("chat.postMessage")
        if c.ok and c.params.get("channel") == channel
    ]


def wait_for_output(process, text: str, timeout: float = 20) -> str:
    """Another process's log is a file: read it until `text` shows up (no event to await)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = process.output()
        if text in output:
            return output
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not in output:\n{process.output()[-3000:]}")


def test_preview_is_only_for_the_caller_and_posts_nothing(tmp_path):
    with running_bot(tmp_path, DIGEST_CHANNEL=CHANNEL) as bot:
        answer = bot.ask("digest")
        assert answer["response_type"] == "ephemeral"
        assert answer["text"].startswith("Preview")
        assert "first digest" in all_text(answer)
        assert ok_posts(bot.slack) == []


def test_subscribe_list_unsubscribe(tmp_path):
    with running_bot(tmp_path) as bot:
        text = all_text(bot.ask("digest subscribe 0 8 * * fri Europe/Paris", channel_id="C0SEC"))
        assert "0 8 * * fri" in text and "Europe/Paris" in text and "Next: Fri" in text
        assert "C0SEC" in all_text(bot.ask("digest list"))
        bad = all_text(bot.ask("digest subscribe 0 25 * * fri", channel_id="C0SEC"))
        assert "Not subscribed" in bad
        bad_zone = all_text(bot.ask("digest subscribe Mars/Base", channel_id="C0SEC"))
        assert "not a time zone" in bad_zone
        assert "no longer" in all_text(bot.ask("digest unsubscribe", channel_id="C0SEC"))
        assert "No channel gets" in all_text(bot.ask("digest list"))


def test_digest_buttons_answer_the_clicker_without_touching_the_channel_message(tmp_path):
    with running_bot(tmp_path) as bot:
        key, status = bot.click("campaigns_open", '{"f":"all","p":0}', container_is_ephemeral=False)
        assert status == 200
        answer = bot.answer(key)
        assert answer["replace_original"] is False and answer["response_type"] == "ephemeral"
        assert "Awareness Training campaigns" in all_text(answer)
        details = button(answer, "campaign_details")
        key, _ = bot.click(details["action_id"], details["value"], container_is_ephemeral=False)
        assert bot.answer(key)["replace_original"] is False


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_three_concurrent_digest_processes_post_exactly_once(backend, tmp_path, request):
    url = (
        f"sqlite:///{tmp_path}/ledger.db"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    with SlackMock() as slack, MimecastSimulator() as simulator:
        env = child_env(bot_env(slack, simulator, free_port(), DATABASE_URL=url))
        # Create the schema first, as a deployed bot would have; then race three processes.
        first = run(["bot.py", "digest", "--dry-run", "--channel", CHANNEL], env=env, cwd=ROOT)
        assert first.returncode == 0, first.stderr

        def one(_):
            return subprocess.run(
                [sys.executable, "bot.py", "digest", "--channel", CHANNEL],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )

        with ThreadPoolExecutor(3) as pool:
            results = list(pool.map(one, range(3)))
    outputs = [r.stdout.strip() for r in results]
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    results_said = [o.split(": ", 1)[1].split(" ")[0] for o in outputs]
    assert sorted(results_said) == ["posted", "skipped", "skipped"], outputs
    assert len(ok_posts(slack)) == 1


def test_dry_run_prints_and_posts_nothing(tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        env = bot_env(slack, simulator, free_port(), DATABASE_URL=f"sqlite:///{tmp_path}/d.db")
        del env["SLACK_BOT_TOKEN"]  # a dry run needs no Slack credentials
        result = run(["bot.py", "digest", "--dry-run", "--channel", CHANNEL], env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Awareness Training — week" in result.stdout and "not posted" in result.stdout
    assert slack.api_calls("chat.postMessage") == []


def test_digest_without_a_channel_says_how_to_set_one(tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        env = bot_env(slack, simulator, free_port(), DATABASE_URL=f"sqlite:///{tmp_path}/d.db")
        result = run(["bot.py", "digest"], env=env, cwd=ROOT)
    assert result.returncode == 2 and "DIGEST_CHANNEL" in result.stderr


def test_force_posts_a_second_time(tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        env = bot_env(slack, simulator, free_port(), DATABASE_URL=f"sqlite:///{tmp_path}/d.db")
        env["DIGEST_CHANNEL"] = CHANNEL
        assert ": posted ts" in run(["bot.py", "digest"], env=env, cwd=ROOT).stdout
        again = run(["bot.py", "digest"], env=env, cwd=ROOT)
        assert ": skipped (posted)" in again.stdout
        forced = run(["bot.py", "digest", "--force"], env=env, cwd=ROOT)
        assert ": posted ts" in forced.stdout
    assert len(ok_posts(slack)) == 2


def test_channel_error_is_reported_with_the_fix(tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        slack.fail_next("chat.postMessage", error="not_in_channel")
        env = bot_env(slack, simulator, free_port(), DATABASE_URL=f"sqlite:///{tmp_path}/d.db")
        result = run(["bot.py", "digest", "--channel", CHANNEL], env=env, cwd=ROOT)
    assert result.returncode == 1
    assert "not_in_channel" in result.stdout + result.stderr
    assert "invite" in result.stderr  # the log line names the fix
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["serve"], ["clock"]])
def test_missed_digest_is_caught_up_at_start_once_across_restarts(command, tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        port = free_port()
        env = bot_env(
            slack,
            simulator,
            port,
            DATABASE_URL=f"sqlite:///{tmp_path}/d.db",
            DIGEST_CHANNEL=CHANNEL,
            DIGEST_SCHEDULE=DUE_SCHEDULE,
        )
        seed_last_weeks_digest(f"sqlite:///{tmp_path}/d.db")  # the schedule was live before
        health = f"http://127.0.0.1:{port}/healthz" if command == ["serve"] else None
        for attempt in range(2):
            process = BotProcess(["bot.py", *command], env=env, cwd=ROOT, health_url=health)
            with process:
                wait_for_output(process, "catch-up checked 1 channel(s)")
            assert len(ok_posts(slack)) == 1, f"after start {attempt + 1}"
        message = slack.messages(CHANNEL)[0]
        assert message["metadata"]["event_type"] == "mimecast_campaign_digest"
        this_week = Period.containing(datetime.now(UTC), ZoneInfo("UTC")).key
        assert message["metadata"]["event_payload"]["period"] == this_week


def seed_last_weeks_digest(url: str) -> None:
    store = DigestStore.from_url(url)
    last_week = datetime.now(UTC) - timedelta(days=7)
    claim = store.claim(CHANNEL, Period.containing(last_week, UTC), "seed", last_week, timedelta(0))
    store.record_posted(claim, "1.0", last_week, [])
    store.engine.dispose()


def test_first_start_does_not_post_a_digest_it_never_missed(tmp_path):
    with running_bot(tmp_path, DIGEST_CHANNEL=CHANNEL, DIGEST_SCHEDULE=DUE_SCHEDULE) as bot:
        wait_for_output(bot.process, "catch-up checked 1 channel(s)")
        assert ok_posts(bot.slack) == []
