"""A burst of concurrent /campaigns commands against this bot and against a baseline bot.

Starts one Slack mock and one Mimecast simulator (answering after ``--delay`` seconds), then
for each bot in turn: starts it as a real process on a free port, fires ``--n`` signed
``/campaigns`` slash commands at once (one thread each, released together by a barrier, each
with its own ``response_url``), records every ack's HTTP status and latency, waits for the
replies on the response_urls, and counts upstream (Mimecast) calls and the process's peak RSS.

    python bench/ack_burst.py [--n 40] [--delay 2.0] [--timeout 60] [--json PATH]

A measurement, not a test: it exits 0 whatever the figures (1 only if a bot fails to start).
See bench/README.md for how to read the table and the caveats.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simulator.server import MimecastSimulator  # noqa: E402
from tests.e2e_support import SIGNING_SECRET, connection_env  # noqa: E402
from tests.harness.processes import BotProcess, free_port  # noqa: E402
from tests.harness.slack_mock import ResponsePost, SlackMock  # noqa: E402
from tests.harness.slack_requests import post, sign, slash_command_body  # noqa: E402

ACK_DEADLINE = 3.0  # seconds: Slack treats a slower ack as a failed command
CLIENT_TIMEOUT = 30.0  # seconds: keep measuring acks well past Slack's deadline


@dataclass(frozen=True)
class BotSpec:
    label: str
    slug: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Ack:
    status: int | None  # None: no HTTP answer (client timeout, connection error)
    seconds: float
    error: str | None = None

    @property
    def on_time(self) -> bool:
        """HTTP 200 within Slack's 3 s deadline: a command Slack accepted."""
        return self.status == 200 and self.seconds < ACK_DEADLINE


@dataclass
class Result:
    label: str
    n: int
    delay: float
    ack_ms: list[float]
    ack_statuses: dict[str, int]
    ack_p50_ms: float
    ack_p99_ms: float
    ack_max_ms: float
    acked_within_3s: int
    replies_delivered: int
    replies_to_acked_within_3s: int
    last_reply_s: float | None
    upstream_calls: int
    peak_rss_mb: float
    client_errors: list[str]


def nearest_rank(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct% of values <= it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def process_tree(pid: int) -> list[int]:
    """``pid`` and every descendant still alive (gunicorn's master and its forked worker)."""
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                stack.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def status_field(pid: int, name: str) -> int | None:
    """An integer field of ``/proc/<pid>/status`` (``VmHWM``, ``VmRSS`` in kB; ``Threads``)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    return None


def peak_rss_mb(pid: int) -> float:
    """Sum of VmHWM (peak resident set) over ``pid`` and its descendants, in MiB.

    A forked gunicorn worker shares pages with its parent (copy-on-write), so the sum counts
    shared pages twice: an upper bound, computed the same way for both bots.
    """
    return sum(status_field(proc, "VmHWM") or 0 for proc in process_tree(pid)) / 1024


def largest_process(pid: int, field: str = "VmHWM") -> tuple[int, float]:
    """(pid, MiB) of the process of the tree with the largest ``field`` (the gunicorn worker)."""
    sizes = {proc: status_field(proc, field) or 0 for proc in process_tree(pid)}
    biggest = max(sizes, key=lambda proc: sizes[proc])
    return biggest, sizes[biggest] / 1024


def base_env(slack: SlackMock, simulator: MimecastSimulator, port: int) -> dict[str, str]:
    return connection_env(slack, simulator, port)


def fire(url: str, slack: SlackMock, keys: list[str]) -> tuple[list[Ack], float]:
    """Send one signed /campaigns per key, all released at once; return (acks, release time)."""
    return fire_bodies(
        url, [slash_command_body("", response_url=slack.response_url(k)) for k in keys]
    )


def fire_bodies(url: str, bodies: list[str]) -> tuple[list[Ack], float]:
    """Post every request body, signed, all released at once; return (acks, release time).

    One thread per body, each on a fresh connection, released together by a barrier; acks
    come back in the order of ``bodies``.
    """
    acks: list[Ack | None] = [None] * len(bodies)
    barrier = threading.Barrier(len(bodies) + 1)

    def one(index: int, body: str) -> None:
        headers = sign(body, SIGNING_SECRET)
        barrier.wait()
        start = time.perf_counter()
        try:
            status, _, elapsed = post(url, body, headers, timeout=CLIENT_TIMEOUT)
            acks[index] = Ack(status, elapsed)
        except Exception as exc:  # recorded, not fatal: this is a measurement
            acks[index] = Ack(None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")

    threads = [
        threading.Thread(target=one, args=(i, body), daemon=True) for i, body in enumerate(bodies)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    released = time.monotonic()
    for thread in threads:
        thread.join(CLIENT_TIMEOUT + 10)
    return [a or Ack(None, CLIENT_TIMEOUT, "no result") for a in acks], released


def default_specs(tmp: str) -> list[BotSpec]:
    """This bot (``bot.py serve``, CACHE_TTL_SECONDS=60, its database under ``tmp``) and the
    baseline (``bench/baseline_bot.py``)."""
    return [
        BotSpec(
            "this bot",
            "ours",
            ["bot.py", "serve"],
            {"CACHE_TTL_SECONDS": "60", "DATABASE_URL": f"sqlite:///{tmp}/bot.db"},
        ),
        BotSpec("baseline", "baseline", [str(Path("bench") / "baseline_bot.py")]),
    ]


def start_bot(
    spec: BotSpec, slack: SlackMock, simulator: MimecastSimulator
) -> tuple[BotProcess, str]:
    """Start the bot on a free port, ready once /healthz answers; return (process, events URL).

    Raises RuntimeError when it does not start (see ``BotProcess.start``).
    """
    port = free_port()
    env = base_env(slack, simulator, port) | spec.env
    process = BotProcess(
        spec.args, env=env, cwd=ROOT, health_url=f"http://127.0.0.1:{port}/healthz"
    )
    process.start()
    return process, f"http://127.0.0.1:{port}/slack/events"


def collect_replies(
    slack: SlackMock, keys: list[str], released: float, timeout: float
) -> dict[str, ResponsePost]:
    """Wait until every key got a response_url post, or ``timeout`` s after ``released``;
    return the first post per key that arrived by then.

    Polls (rather than re-checking a predicate on every post the mock records), so waiting on
    thousands of keys costs the mock nothing.
    """
    deadline = released + timeout
    wanted = set(keys)
    while True:
        replied = {r.key for r in slack.responses if r.time <= deadline}
        if wanted <= replied or time.monotonic() >= deadline:
            break
        time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
    first: dict[str, ResponsePost] = {}
    for response in slack.responses:
        if response.key in wanted and response.time <= deadline:
            first.setdefault(response.key, response)
    return first


def measure(
    spec: BotSpec,
    slack: SlackMock,
    simulator: MimecastSimulator,
    *,
    n: int,
    delay: float,
    timeout: float,
) -> Result:
    process, url = start_bot(spec, slack, simulator)
    try:
        simulator.set_delay(delay)
        simulator.reset_counters()
        keys = [f"{spec.slug}-{i}" for i in range(n)]
        acks, released = fire(url, slack, keys)
        first_reply = {
            key: post.time for key, post in collect_replies(slack, keys, released, timeout).items()
        }
        upstream = simulator.calls
        rss = peak_rss_mb(process.pid) if process.pid is not None else 0.0
    finally:
        process.stop()

    ms = [a.seconds * 1000 for a in acks]
    on_time = {k for k, a in zip(keys, acks, strict=True) if a.on_time}
    return Result(
        label=spec.label,
        n=n,
        delay=delay,
        ack_ms=[round(v, 2) for v in ms],
        ack_statuses=dict(Counter(str(a.status) if a.status else "no answer" for a in acks)),
        ack_p50_ms=nearest_rank(ms, 50),
        ack_p99_ms=nearest_rank(ms, 99),
        ack_max_ms=max(ms),
        acked_within_3s=len(on_time),
        replies_delivered=len(first_reply),
        replies_to_acked_within_3s=len(on_time & first_reply.keys()),
        last_reply_s=(max(first_reply.values()) - released) if first_reply else None,
        upstream_calls=upstream,
        peak_rss_mb=rss,
        client_errors=sorted({a.error for a in acks if a.error}),
    )


def fmt_ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def row(label: str, cells: list[str]) -> str:
    """One line of a side-by-side table: a label, then one right-aligned cell per bot."""
    return f"{label:<21}" + "".join(f"{c:>13}" if i else f"{c:>10}" for i, c in enumerate(cells))


def table(results: list[Result], delay: float, n: int) -> str:
    def each(fn: Any) -> list[str]:
        return [fn(r) for r in results]

    lines = [
        f"{n} concurrent /campaigns, Mimecast answering in {delay:.1f} s",
        row("", [r.label for r in results]),
        row("ack p50 (ms)", each(lambda r: fmt_ms(r.ack_p50_ms))),
        row("ack p99 (ms)", each(lambda r: fmt_ms(r.ack_p99_ms))),
        row("ack max (ms)", each(lambda r: fmt_ms(r.ack_max_ms))),
        row("acked within 3 s", each(lambda r: f"{r.acked_within_3s}/{r.n}")),
        row("replies delivered", each(lambda r: f"{r.replies_delivered}/{r.n}")),
        row("upstream calls", each(lambda r: str(r.upstream_calls))),
        row("peak RSS (MB)", each(lambda r: f"{r.peak_rss_mb:.0f}")),
        "",
        row(
            "last reply after (s)",
            each(lambda r: f"{r.last_reply_s:.2f}" if r.last_reply_s is not None else "none"),
        ),
        row("replies to 3 s acks", each(lambda r: f"{r.replies_to_acked_within_3s}/{r.n}")),
        "",
        *(
            f"ack HTTP statuses, {r.label}: "
            + ", ".join(f"{k} x{v}" for k, v in sorted(r.ack_statuses.items()))
            for r in results
        ),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="concurrent commands (default 40)")
    parser.add_argument(
        "--delay", type=float, default=2.0, help="Mimecast simulator delay in s (default 2.0)"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="wait for replies, s from release (60)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")

    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory(prefix="ack-burst-") as tmp,
        SlackMock() as slack,
        MimecastSimulator() as simulator,
    ):
        for spec in default_specs(tmp):
            print(f"running {spec.label} ...", file=sys.stderr, flush=True)
            try:
                results.append(
                    measure(
                        spec, slack, simulator, n=args.n, delay=args.delay, timeout=args.timeout
                    )
                )
            except RuntimeError as exc:  # BotProcess could not start it
                print(f"{spec.label} failed to start: {exc}", file=sys.stderr)
                return 1

    print(table(results, args.delay, args.n))
    print(
        "\nPercentiles: nearest-rank over every ack (a failed one at the time it failed);\n"
        "with fewer than 100 requests p99 is the slowest ack. A reply counts if it reached its\n"
        f"response_url within {args.timeout:.0f} s of the burst. Peak RSS: sum of VmHWM over the\n"
        "process and its children (gunicorn master + worker; shared pages counted twice)."
    )
    for result in results:
        for error in result.client_errors:
            print(f"{result.label}: client error: {error}")
    if args.json:
        payload = {
            "n": args.n,
            "delay_s": args.delay,
            "reply_timeout_s": args.timeout,
            "percentile_method": "nearest-rank",
            "cpus": os.cpu_count(),
            "results": [asdict(r) for r in results],
        }
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
