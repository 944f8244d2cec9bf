"""The command line as users and deploy scripts run it: configuration errors, check, Procfile,
API 2.0, ALLOWED_USERS."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from simulator.server import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, Fault, MimecastSimulator
from tests.e2e_support import ROOT, Bot, all_text, bot_env, running_bot
from tests.harness.processes import BotProcess, free_port, run
from tests.harness.slack_mock import SlackMock


def test_missing_configuration_exits_2_with_one_line_per_problem(tmp_path):
    result = run(["bot.py", "serve"], env={"PORT": "eighty"}, cwd=tmp_path_with_bot(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert any("SLACK_BOT_TOKEN" in line for line in lines)
    assert any("SLACK_SIGNING_SECRET" in line for line in lines)
    assert any("MIMECAST_BASE_URL" in line for line in lines)
    assert any("PORT" in line for line in lines)
    assert all(line.startswith("config error: ") for line in lines)


def test_malformed_values_are_named(tmp_path):
    env = {
        "SLACK_BOT_TOKEN": "not-a-token",
        "SLACK_SIGNING_SECRET": "s" * 32,
        "MIMECAST_BASE_URL": "eu-api.mimecast.com",
        "MIMECAST_APP_ID": "a",
        "MIMECAST_APP_KEY": "b",
        "MIMECAST_ACCESS_KEY": "c",
        "MIMECAST_SECRET_KEY": "%%%not base64%%%",
        "DIGEST_TIMEZONE": "Mars/Olympus",
        "DIGEST_SCHEDULE": "every monday",
        "ALLOWED_USERS": "U0OK, bob",
        "CACHE_TTL_SECONDS": "-1",
    }
    result = run(["bot.py", "check"], env=env, cwd=tmp_path_with_bot(tmp_path))
    assert result.returncode == 2
    text = result.stderr
    for name in (
        "SLACK_BOT_TOKEN",
        "MIMECAST_BASE_URL",
        "DIGEST_TIMEZONE",
        "DIGEST_SCHEDULE",
        "ALLOWED_USERS",
        "CACHE_TTL_SECONDS",
    ):
        assert name in text, name
    assert "Traceback" not in text
    assert "not-a-token" not in text  # a (wrong) secret is not echoed


def test_dotenv_file_is_read(tmp_path):
    cwd = tmp_path_with_bot(tmp_path)
    (cwd / ".env").write_text("PORT=notaport\n")
    result = run(["bot.py", "serve"], env={}, cwd=cwd)
    assert result.returncode == 2
    assert "PORT must be a number" in result.stderr


def tmp_path_with_bot(tmp_path: Path) -> Path:
    """Run from a directory without the developer's .env, with the project importable."""
    link = tmp_path / "bot.py"
    if not link.exists():
        link.write_text(
            "import sys\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "import runpy\n"
            f"runpy.run_path({str(ROOT / 'bot.py')!r}, run_name='__main__')\n"
        )
    return tmp_path


MANIFEST_SCOPES = ",".join(
    yaml.safe_load((ROOT / "manifest.yml").read_text())["oauth_config"]["scopes"]["bot"]
)


def test_check_passes_against_working_services(tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        slack.scopes = MANIFEST_SCOPES
        env = bot_env(slack, simulator, free_port(), DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
        result = run(["bot.py", "check"], env=env, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "[ok  ] slack token" in out
    assert "[ok  ] mimecast: API 1.0 keys accepted" in out and "12 campaigns" in out
    assert "[warn] mimecast region" in out  # the simulator is not a Mimecast host
    assert "[ok  ] database" in out


def test_check_fails_with_fixes_on_bad_keys_and_scopes(tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        slack.scopes = "commands"
        simulator.push_fault(Fault("http_418", times=-1))
        env = bot_env(slack, simulator, free_port(), DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
        result = run(["bot.py", "check"], env=env, cwd=ROOT)
    assert result.returncode == 1
    assert "[FAIL] slack token" in result.stdout and "chat:write" in result.stdout
    assert "[FAIL] mimecast" in result.stdout and "create new ones" in result.stdout


def procfile() -> dict[str, list[str]]:
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip():
            name, command = line.split(":", 1)
            entries[name] = shlex.split(command)
    return entries


def serve_with(argv: list[str], tmp_path, **extra_env: str):
    """Start `argv` (run by this Python) as the bot and check it answers a signed command."""
    port = free_port()
    with SlackMock() as slack, MimecastSimulator() as simulator:
        env = bot_env(slack, simulator, port, DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
        env.update(extra_env)
        process = BotProcess(
            [a.replace("$PORT", str(port)) for a in argv],
            env=env,
            cwd=ROOT,
            health_url=f"http://127.0.0.1:{port}/healthz",
        )
        with process:
            bot = Bot(process, slack, simulator, f"http://127.0.0.1:{port}/slack/events")
            assert "Awareness Training campaigns" in all_text(bot.ask(""))
            return process.output()


def test_procfile_web_line_serves_slack_without_the_scheduler(tmp_path):
    web = procfile()["web"]
    assert web[:3] == ["python", "bot.py", "serve"] and "--no-scheduler" in web
    output = serve_with(web[1:], tmp_path, DIGEST_CHANNEL="C0DIGEST")
    assert "digest scheduler running" not in output


def test_procfile_has_a_clock_process():
    assert procfile()["clock"] == ["python", "bot.py", "clock"]


def test_gunicorn_factory_serves_slack(tmp_path):
    serve_with(
        [
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--bind",
            "127.0.0.1:$PORT",
            "runtime.wsgi:create_app()",
        ],
        tmp_path,
    )


def test_api_2_0_client_credentials(tmp_path):
    with running_bot(
        tmp_path,
        MIMECAST_CLIENT_ID=DEMO_CLIENT_ID,
        MIMECAST_CLIENT_SECRET=DEMO_CLIENT_SECRET,
    ) as bot:
        assert "Awareness Training campaigns" in all_text(bot.ask(""))
        assert bot.simulator.token_calls == 1
        assert bot.simulator.requests[-1].headers["authorization"].startswith("Bearer ")
        bot.simulator.revoke_tokens()
        assert "Awareness Training campaigns" in all_text(bot.ask(""))
        assert bot.simulator.token_calls == 2


def test_allowed_users_and_groups(tmp_path):
    with running_bot(tmp_path, ALLOWED_USERS="U0ADMIN,S0SECTEAM") as bot:
        bot.slack.usergroups = {"S0SECTEAM": ["U0MEMBER"]}
        assert "Awareness Training campaigns" in all_text(bot.ask("", user_id="U0ADMIN"))
        assert "Awareness Training campaigns" in all_text(bot.ask("", user_id="U0MEMBER"))
        calls = bot.simulator.calls
        refused = bot.ask("", user_id="U0OTHER")
        text = all_text(refused)
        assert "Awareness Training campaigns" not in text
        assert "ask" in text.lower() or "admin" in text.lower()
        key, status = bot.click("share_to_channel", '{"f":"all","p":0}', user_id="U0OTHER")
        assert status == 200
        assert "Awareness Training campaigns" not in all_text(bot.answer(key))
        assert bot.simulator.calls == calls  # the refused user caused no Mimecast call


def test_manifest_matches_the_code():
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == ["/campaigns"]
    assert commands[0]["usage_hint"]
    assert commands[0]["url"].endswith("/slack/events")
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "usergroups:read"} <= scopes
    from runtime.checks import NEEDED_SCOPES

    assert set(NEEDED_SCOPES) <= scopes


def test_debug_logs_carry_no_secret(tmp_path):
    with running_bot(tmp_path, LOG_LEVEL="DEBUG", ALLOWED_USERS="S0SECTEAM") as bot:
        bot.slack.usergroups = {"S0SECTEAM": ["U0MEMBER"]}
        assert "Awareness Training campaigns" in all_text(bot.ask("", user_id="U0MEMBER"))
        bot.simulator.push_fault(Fault("http_401"))
        bot.ask("", user_id="U0MEMBER")
        output = bot.process.output()
    assert "usergroups.users.list" in output  # the Slack call was logged at DEBUG...
    assert "get-campaigns" in output
    for secret in (
        "xoxb-test-token",
        "e2e-signing-secret-0123456789abcdef",
        "c2ltLWRlbW8tc2VjcmV0LWtleS0wMDAx",
        "sim-demo-app-key-0001",
        "sim-demo-access-key-0001",
    ):
        assert secret not in output, secret  # ...without any secret


def test_a_refused_slack_token_stops_the_start_with_one_line(tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        env = bot_env(slack, simulator, free_port(), DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
        env["SLACK_BOT_TOKEN"] = "xoxb-revoked-token"
        result = run(["bot.py", "serve"], env=env, cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "startup error: Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth "
        "Token again, or reinstall the app"
    )
    assert "Traceback" not in result.stderr and "xoxb-revoked-token" not in result.stderr


def test_an_unreachable_database_stops_the_start_with_one_line(tmp_path):
    with SlackMock() as slack, MimecastSimulator() as simulator:
        env = bot_env(slack, simulator, free_port())
        env["DATABASE_URL"] = f"postgresql://nobody:pw@127.0.0.1:{free_port()}/none"
        result = run(["bot.py", "serve"], env=env, cwd=ROOT)
    assert result.returncode == 2
    assert "database error: cannot open DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr and ":pw@" not in result.stderr
