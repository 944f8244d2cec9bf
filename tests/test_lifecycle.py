"""Stopping and restarting: SIGTERM lets answers in flight finish; a restart loses nothing."""

from __future__ import annotations

import pytest

from tests.e2e_support import all_text, running_bot

pytestmark = pytest.mark.e2e


def test_sigterm_lets_answers_in_flight_finish(tmp_path):
    with running_bot(tmp_path, DIGEST_CHANNEL="C0DIGEST") as bot:
        bot.simulator.set_delay(1.5)
        keys = [bot.command("")[0] for _ in range(5)]
        assert bot.simulator.wait_for_calls(1, timeout=5)  # the fetch is under way
        code = bot.process.stop()  # SIGTERM while every answer waits on Mimecast
        output = bot.process.output()
        assert code == 0, output[-2000:]
        for key in keys:
            assert "Awareness Training campaigns" in all_text(bot.answer(key, timeout=1))
        assert "digest scheduler stopped" in output
        assert "answers in flight delivered" in output
        assert "Traceback" not in output


def test_a_restart_loses_nothing(tmp_path):
    with running_bot(tmp_path) as bot:
        assert "0 8 * * fri" in all_text(bot.ask("digest subscribe 0 8 * * fri", channel_id="C0A"))
    with running_bot(tmp_path) as bot:  # same database file
        assert "C0A" in all_text(bot.ask("digest list"))
        assert "Awareness Training campaigns" in all_text(bot.ask(""))
