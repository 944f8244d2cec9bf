"""Load figures for this bot and the baseline, side by side: a burst, a soak, a rate-limit storm.

One Slack mock and one Mimecast simulator serve every run; each bot runs as a real process (a
fresh one per section, on a free port), as in ``bench/ack_burst.py``, whose helpers this reuses.

1. Burst: ``--commands`` signed ``/campaigns`` and ``--clicks`` signed Details clicks (real
   campaign ids of the simulator's tenant), all released together, Mimecast answering in
   ``--delay`` s: ack latencies, acks within 3 s, answers delivered, upstream calls, peak RSS.
2. Soak: ``--soak`` mixed requests (commands with varied text, Details clicks) at a
   concurrency of ``--concurrency``, Mimecast without delay: the worker's RSS before and after
   every 1,000 requests, throughput, ack percentiles, answers delivered.
3. Rate-limit storm: Mimecast's next answer is a 429 with ``X-RateLimit-Reset: 5000``; then
   ``--storm`` concurrent ``/campaigns`` against a bot with CACHE_TTL_SECONDS=0: requests that
   reached Mimecast during those 5 s, and whether every user was told when to retry.

    python bench/load.py [--commands 200] [--clicks 200] [--delay 2.0] [--timeout 30]
                         [--soak 10000] [--baseline-soak N] [--concurrency 20]
                         [--storm 50] [--json PATH]

A measurement, not a test: it exits 0 whatever the figures (1 only if a bot fails to start).
See bench/README.md for how to read the tables and the caveats.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ack_burst import (  # noqa: E402
    CLIENT_TIMEOUT,
    SIGNING_SECRET,
    Ack,
    BotSpec,
    collect_replies,
    default_specs,
    fire_bodies,
    fmt_ms,
    largest_process,
    nearest_rank,
    peak_rss_mb,
    process_tree,
    row,
    start_bot,
    status_field,
)
from blocks.actions import details_action_id  # noqa: E402
from mimecast.models import parse_campaign  # noqa: E402
from simulator.server import Fault, MimecastSimulator  # noqa: E402
from simulator.tenant import sample_tenant  # noqa: E402
from tests.harness.slack_mock import SlackMock  # noqa: E402
from tests.harness.slack_requests import (  # noqa: E402
    block_action_body,
    post,
    sign,
    slash_command_body,
)

SAMPLE_EVERY = 1000  # soak: the worker's RSS is sampled after every this many requests
WARM_UP = 10  # sequential `/campaigns help` before the burst (code paths warm, cache cold)
STORM_RESET_MS = 5000
UNKNOWN_ID = "eNqNoSuchCampaignAnyMore0000"  # a Details click on a campaign that is gone

# Slash-command texts of the soak, as Slack sends them (`&`, `<`, `>` as entities).
SOAK_TEXTS = (
    "",
    "list",
    "pending",
    "launched",
    "help",
    "phishing",
    "gift card",
    "Überweisungsbetrug",
    "no such campaign at all",
    "<@U0OTHER> &amp; <!here> *bold* _it_",
    "digest",
    "digest list",
    "x" * 250,
    "🎉 ünïcødé ✓ \u200b",
)

RATE_LIMITED = re.compile(r"rate[ _]limit", re.IGNORECASE)
RETRY_HINT = re.compile(r"try again in \d+ seconds?", re.IGNORECASE)


# -- the bot's processes -------------------------------------------------------------------


def worker_pid(root: int) -> int:
    """The gunicorn worker: the largest descendant of ``root`` (``root`` if it has none)."""
    children = [p for p in process_tree(root) if p != root]
    if not children:
        return root
    return max(children, key=lambda p: status_field(p, "VmRSS") or 0)


def rss_mb(pid: int) -> float:
    return (status_field(pid, "VmRSS") or 0) / 1024


def pss_mb(root: int) -> float:
    """Proportional set size summed over the tree: shared pages split, not counted twice."""
    total_kb = 0
    for pid in process_tree(root):
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()  # fields[0] is field 3 (state)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ThreadSampler:
    """Polls the worker's thread count in the background; keeps the peak."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.pid = pid
        self.every = every
        self.peak = status_field(pid, "Threads") or 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="thread-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, status_field(self.pid, "Threads") or 0)

    def __enter__(self) -> ThreadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# -- requests --------------------------------------------------------------------------------


def tenant_ids() -> list[str]:
    """Campaign ids of the tenant the simulator serves (its ids do not depend on the date)."""
    return [parse_campaign(raw).id for raw in sample_tenant(datetime.now(UTC))]


def command_body(slack: SlackMock, key: str, text: str = "") -> str:
    return slash_command_body(text, response_url=slack.response_url(key))


def click_body(slack: SlackMock, key: str, index: int, campaign_id: str) -> str:
    return block_action_body(
        details_action_id(index), campaign_id, response_url=slack.response_url(key)
    )


def send(url: str, body: str) -> Ack:
    """Sign and post one request on a fresh connection; failures are recorded, not raised."""
    start = time.perf_counter()
    try:
        status, _, elapsed = post(url, body, sign(body, SIGNING_SECRET), timeout=CLIENT_TIMEOUT)
        return Ack(status, elapsed)
    except Exception as exc:  # a measurement: count it and go on
        return Ack(None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")


def drain_answered(slack: SlackMock) -> set[str]:
    """Keys of every response_url post so far, then forget them (the soak's 10,000 answers
    would otherwise pile up in the mock); atomic under the mock's lock."""
    keys: set[str] = set()

    def take(mock: SlackMock) -> bool:
        keys.update(r.key for r in mock.responses)
        mock.reset()
        return True

    slack.wait_until(take, timeout=1, what="drain")
    return keys


@dataclass
class AckStats:
    n: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    within_3s: int
    statuses: dict[str, int]
    client_errors: list[str]

    @staticmethod
    def of(acks: list[Ack]) -> AckStats:
        ms = [a.seconds * 1000 for a in acks] or [0.0]
        return AckStats(
            n=len(acks),
            p50_ms=nearest_rank(ms, 50),
            p99_ms=nearest_rank(ms, 99),
            max_ms=max(ms),
            within_3s=sum(a.on_time for a in acks),
            statuses=dict(Counter(str(a.status) if a.status else "no answer" for a in acks)),
            client_errors=sorted({a.error for a in acks if a.error})[:5],
        )


# -- 1. burst --------------------------------------------------------------------------------


@dataclass
class BurstResult:
    label: str
    commands: int
    clicks: int
    delay: float
    acks: AckStats
    commands_within_3s: int
    clicks_within_3s: int
    answers_delivered: int
    answers_to_3s_acks: int
    last_answer_s: float | None
    upstream_calls: int
    peak_rss_tree_mb: float
    peak_rss_largest_mb: float
    largest_role: str  # which process is the largest: "master", "worker" or "other"
    peak_rss_worker_mb: float
    pss_tree_mb: float
    worker_cpu_acks_s: float
    worker_cpu_total_s: float
    worker_threads_peak: int
    idle_ack_p50_ms: float
    ack_ms: list[float] = field(repr=False)


def burst(
    spec: BotSpec,
    slack: SlackMock,
    simulator: MimecastSimulator,
    ids: list[str],
    *,
    commands: int,
    clicks: int,
    delay: float,
    timeout: float,
) -> BurstResult:
    process, url = start_bot(spec, slack, simulator)
    try:
        assert process.pid is not None
        simulator.clear_faults()
        simulator.set_delay(0.0)
        slack.reset()
        # Warm the code paths, not the cache: `help` makes this bot fetch nothing (the baseline
        # fetches, undelayed, and is done before the burst).
        warm_keys = [f"warm-{spec.slug}-{i}" for i in range(WARM_UP)]
        warm = [send(url, command_body(slack, key, "help")) for key in warm_keys]
        collect_replies(slack, warm_keys, time.monotonic(), 10)
        simulator.set_delay(delay)
        simulator.reset_counters()
        slack.reset()

        keys = [f"burst-{spec.slug}-cmd-{i}" for i in range(commands)]
        keys += [f"burst-{spec.slug}-click-{i}" for i in range(clicks)]
        bodies = [command_body(slack, key) for key in keys[:commands]]
        bodies += [
            click_body(slack, key, i % 10, ids[i % len(ids)])
            for i, key in enumerate(keys[commands:])
        ]
        worker = worker_pid(process.pid)
        cpu_before = cpu_seconds(worker)
        with ThreadSampler(worker) as threads:
            acks, released = fire_bodies(url, bodies)
            cpu_acks = cpu_seconds(worker) - cpu_before
            replies = collect_replies(slack, keys, released, timeout)
        cpu_total = cpu_seconds(worker) - cpu_before
        upstream = simulator.calls
        tree = peak_rss_mb(process.pid)
        largest_pid, largest = largest_process(process.pid)
        role = {process.pid: "master", worker: "worker"}.get(largest_pid, "other")
        worker_peak = (status_field(worker, "VmHWM") or 0) / 1024
        pss = pss_mb(process.pid)
    finally:
        process.stop()

    on_time = {k for k, a in zip(keys, acks, strict=True) if a.on_time}
    return BurstResult(
        label=spec.label,
        commands=commands,
        clicks=clicks,
        delay=delay,
        acks=AckStats.of(acks),
        commands_within_3s=sum(a.on_time for a in acks[:commands]),
        clicks_within_3s=sum(a.on_time for a in acks[commands:]),
        answers_delivered=len(replies),
        answers_to_3s_acks=len(on_time & replies.keys()),
        last_answer_s=max(r.time for r in replies.values()) - released if replies else None,
        upstream_calls=upstream,
        peak_rss_tree_mb=tree,
        peak_rss_largest_mb=largest,
        largest_role=role,
        peak_rss_worker_mb=worker_peak,
        pss_tree_mb=pss,
        worker_cpu_acks_s=cpu_acks,
        worker_cpu_total_s=cpu_total,
        worker_threads_peak=threads.peak,
        idle_ack_p50_ms=nearest_rank([a.seconds * 1000 for a in warm], 50),
        ack_ms=[round(a.seconds * 1000, 2) for a in acks],
    )


def burst_table(results: list[BurstResult], timeout: float) -> str:
    first = results[0]
    n = first.commands + first.clicks

    def each(fn: Callable[[BurstResult], str]) -> list[str]:
        return [fn(r) for r in results]

    return "\n".join(
        [
            f"1. Burst: {first.commands} /campaigns + {first.clicks} Details clicks released "
            f"together, Mimecast answering in {first.delay:.1f} s",
            row("", [r.label for r in results]),
            row("ack p50 (ms)", each(lambda r: fmt_ms(r.acks.p50_ms))),
            row("ack p99 (ms)", each(lambda r: fmt_ms(r.acks.p99_ms))),
            row("ack max (ms)", each(lambda r: fmt_ms(r.acks.max_ms))),
            row("acks within 3 s", each(lambda r: f"{r.acks.within_3s}/{n}")),
            row("answers delivered", each(lambda r: f"{r.answers_delivered}/{n}")),
            row("upstream calls", each(lambda r: str(r.upstream_calls))),
            row("peak RSS, tree (MB)", each(lambda r: f"{r.peak_rss_tree_mb:.0f}")),
            row(
                "  largest one (MB)",
                each(lambda r: f"{r.peak_rss_largest_mb:.0f} {r.largest_role}"),
            ),
            row("  worker (MB)", each(lambda r: f"{r.peak_rss_worker_mb:.0f}")),
            "",
            row("  commands in 3 s", each(lambda r: f"{r.commands_within_3s}/{r.commands}")),
            row("  clicks in 3 s", each(lambda r: f"{r.clicks_within_3s}/{r.clicks}")),
            row("answers to 3 s acks", each(lambda r: f"{r.answers_to_3s_acks}/{n}")),
            row(
                "last answer after (s)",
                each(lambda r: f"{r.last_answer_s:.2f}" if r.last_answer_s is not None else "none"),
            ),
            row("PSS, tree (MB)", each(lambda r: f"{r.pss_tree_mb:.0f}")),
            row("worker CPU, acks (s)", each(lambda r: f"{r.worker_cpu_acks_s:.2f}")),
            row("worker CPU, all (s)", each(lambda r: f"{r.worker_cpu_total_s:.2f}")),
            row("worker threads, peak", each(lambda r: str(r.worker_threads_peak))),
            row("idle ack p50 (ms)", each(lambda r: fmt_ms(r.idle_ack_p50_ms))),
            "",
            *(
                f"ack HTTP statuses, {r.label}: "
                + ", ".join(f"{k} x{v}" for k, v in sorted(r.acks.statuses.items()))
                for r in results
            ),
            "",
            f"Percentiles: nearest-rank over all {n} acks (a failed one at the time it failed;\n"
            f"the client waits {CLIENT_TIMEOUT:.0f} s). "
            f"An answer counts if it reached its response_url within {timeout:.0f} s of the "
            "release.\n"
            "peak RSS, tree: VmHWM summed over the bot's processes (gunicorn master + worker;\n"
            "pages shared after the fork counted twice). largest one: VmHWM of the largest\n"
            "single process, and which it is. worker: VmHWM of the gunicorn worker, the process\n"
            "that serves. PSS, tree: after the burst, shared pages split between the processes.\n"
            "worker CPU: user+system seconds the worker used from the release to the last ack,\n"
            f"and until the answers were in. idle ack: {WARM_UP} sequential `/campaigns help` "
            "before the\nburst (they warm the code paths; this bot's cache stays cold).",
        ]
    )


# -- 2. soak ---------------------------------------------------------------------------------


@dataclass
class SoakResult:
    label: str
    requests: int
    concurrency: int
    rss_samples: list[tuple[int, float]]  # (requests done, worker VmRSS MB)
    rss_growth_mb: float | None  # from the 1,000-request sample to the last
    backlog: list[int]  # answers not yet delivered at each sample (acked, answer pending)
    worker_threads: list[int]  # the worker's thread count at each sample
    last_answer_after_s: float | None  # from the last ack to the last answer
    worker_pids: list[int]
    elapsed_s: float
    throughput_rps: float
    acks: AckStats
    answers_delivered: int
    upstream_calls: int
    peak_rss_tree_mb: float


def soak_request(slack: SlackMock, slug: str, i: int, ids: list[str]) -> tuple[str, str]:
    """(key, body) of the soak's i-th request: commands and Details clicks alternate."""
    key = f"soak-{slug}-{i}"
    if i % 2 == 0:
        return key, command_body(slack, key, SOAK_TEXTS[(i // 2) % len(SOAK_TEXTS)])
    choices = [*ids, UNKNOWN_ID]
    return key, click_body(slack, key, i % 10, choices[(i // 2) % len(choices)])


def soak(
    spec: BotSpec,
    slack: SlackMock,
    simulator: MimecastSimulator,
    ids: list[str],
    *,
    requests: int,
    concurrency: int,
    timeout: float,
) -> SoakResult:
    process, url = start_bot(spec, slack, simulator)
    try:
        assert process.pid is not None
        simulator.clear_faults()
        simulator.set_delay(0.0)
        simulator.reset_counters()
        slack.reset()
        worker = worker_pid(process.pid)
        pids = [worker]
        samples = [(0, rss_mb(worker))]
        backlog = [0]
        threads = [status_field(worker, "Threads") or 0]
        acks: list[Ack] = []
        answered: set[str] = set()

        def one(i: int) -> Ack:
            _, body = soak_request(slack, spec.slug, i, ids)
            return send(url, body)

        start = time.monotonic()
        with ThreadPoolExecutor(concurrency, thread_name_prefix="soak") as pool:
            for first in range(0, requests, SAMPLE_EVERY):
                last = min(requests, first + SAMPLE_EVERY)
                acks.extend(pool.map(one, range(first, last)))
                current = worker_pid(process.pid)
                if current != pids[-1]:
                    pids.append(current)  # gunicorn replaced its worker
                samples.append((last, rss_mb(current)))
                answered |= drain_answered(slack)
                backlog.append(last - len(answered))
                threads.append(status_field(current, "Threads") or 0)
                print(
                    f"  {spec.label}: {last}/{requests} requests, worker RSS "
                    f"{samples[-1][1]:.1f} MB, {backlog[-1]} answers pending",
                    file=sys.stderr,
                    flush=True,
                )
        elapsed = time.monotonic() - start
        wanted = {f"soak-{spec.slug}-{i}" for i in range(requests)}
        deadline = time.monotonic() + timeout
        while not wanted <= answered and time.monotonic() < deadline:
            time.sleep(0.02)
            answered |= drain_answered(slack)
        last_answer = time.monotonic() - start - elapsed if wanted <= answered else None
        upstream = simulator.calls
        tree = peak_rss_mb(process.pid)
    finally:
        process.stop()

    base = next((mb for done, mb in samples if done >= SAMPLE_EVERY), None)
    return SoakResult(
        label=spec.label,
        requests=requests,
        concurrency=concurrency,
        rss_samples=[(done, round(mb, 2)) for done, mb in samples],
        rss_growth_mb=samples[-1][1] - base if base is not None else None,
        backlog=backlog,
        worker_threads=threads,
        last_answer_after_s=last_answer,
        worker_pids=pids,
        elapsed_s=elapsed,
        throughput_rps=requests / elapsed if elapsed > 0 else 0.0,
        acks=AckStats.of(acks),
        answers_delivered=len(wanted & answered),
        upstream_calls=upstream,
        peak_rss_tree_mb=tree,
    )


def soak_table(results: list[SoakResult], timeout: float) -> str:
    def each(fn: Callable[[SoakResult], str]) -> list[str]:
        return [fn(r) for r in results]

    def thousands(done: int) -> str:
        return "before" if done == 0 else f"{done / 1000:g}k"

    longest = max(results, key=lambda r: len(r.rss_samples))
    width = 7
    header = f"{'':<13}" + "".join(f"{thousands(d):>{width}}" for d, _ in longest.rss_samples)
    samples = [
        f"{r.label:<13}" + "".join(f"{mb:>{width}.1f}" for _, mb in r.rss_samples) for r in results
    ]
    sizes = sorted({r.requests for r in results})
    what = f"{sizes[0]}" if len(sizes) == 1 else " / ".join(f"{r.requests}" for r in results)
    lines = [
        f"2. Soak: {what} requests (commands with {len(SOAK_TEXTS)} texts, Details clicks), "
        f"concurrency {results[0].concurrency},\n   Mimecast without delay",
        "worker VmRSS (MB), before and after every 1,000 requests:",
        header,
        *samples,
        "",
        row("", [r.label for r in results]),
        row("requests", each(lambda r: str(r.requests))),
        row(
            "RSS growth 1k->end",
            each(lambda r: f"{r.rss_growth_mb:+.1f} MB" if r.rss_growth_mb is not None else "n/a"),
        ),
        row("throughput (req/s)", each(lambda r: f"{r.throughput_rps:.0f}")),
        row("ack p50 (ms)", each(lambda r: fmt_ms(r.acks.p50_ms))),
        row("ack p99 (ms)", each(lambda r: fmt_ms(r.acks.p99_ms))),
        row("ack max (ms)", each(lambda r: fmt_ms(r.acks.max_ms))),
        row("acks within 3 s", each(lambda r: f"{r.acks.within_3s}/{r.requests}")),
        row("answers delivered", each(lambda r: f"{r.answers_delivered}/{r.requests}")),
        row("upstream calls", each(lambda r: str(r.upstream_calls))),
        row("peak RSS, tree (MB)", each(lambda r: f"{r.peak_rss_tree_mb:.0f}")),
        row("duration (s)", each(lambda r: f"{r.elapsed_s:.1f}")),
        row("answers pending, max", each(lambda r: str(max(r.backlog)))),
        row(
            "worker threads",
            each(
                lambda r: (
                    f"{r.worker_threads[0]} -> {min(r.worker_threads[1:] or [0])}-"
                    f"{max(r.worker_threads[1:] or [0])}"
                )
            ),
        ),
        row(
            "last answer after (s)",
            each(
                lambda r: (
                    f"{r.last_answer_after_s:.2f}" if r.last_answer_after_s is not None else "never"
                )
            ),
        ),
        "",
        *(
            f"ack HTTP statuses, {r.label}: "
            + ", ".join(f"{k} x{v}" for k, v in sorted(r.acks.statuses.items()))
            for r in results
        ),
        *(
            f"{r.label}: gunicorn replaced its worker during the soak (pids {r.worker_pids})"
            for r in results
            if len(r.worker_pids) > 1
        ),
        "",
        "RSS growth: the last sample minus the 1,000-request one (after warm-up; flat = no "
        "leak).\n"
        "throughput: requests acked per second of the soak, answers not awaited. An answer "
        f"counts\nif it reached its response_url by {timeout:.0f} s after the last ack.\n"
        "answers pending: acked requests whose answer had not arrived when a sample was "
        "taken\n(the largest over the samples). worker threads: before the soak -> range "
        "over the samples.\nlast answer after: from the last ack to the last answer "
        "(checked every 20 ms).",
    ]
    if len(sizes) > 1:
        lines.append(
            "NOTE: the bots ran soaks of different lengths (--baseline-soak); compare the "
            "per-request\nfigures, not the totals."
        )
    return "\n".join(lines)


# -- 3. rate-limit storm ---------------------------------------------------------------------


@dataclass
class StormResult:
    label: str
    n: int
    reset_ms: int
    acks: AckStats
    calls_in_window: int
    answers_delivered: int
    rate_limit_answers: int
    retry_hint_answers: int
    hints: dict[str, int]
    after_window_answered: bool
    after_window_rate_limited: bool
    calls_total: int


def storm(
    spec: BotSpec,
    slack: SlackMock,
    simulator: MimecastSimulator,
    *,
    n: int,
    reset_ms: int,
    timeout: float,
) -> StormResult:
    process, url = start_bot(spec, slack, simulator)
    try:
        simulator.clear_faults()
        simulator.set_delay(0.0)
        simulator.reset_counters()
        slack.reset()
        simulator.push_fault(Fault("http_429", reset_ms=reset_ms, times=1))
        keys = [f"storm-{spec.slug}-{i}" for i in range(n)]
        acks, released = fire_bodies(url, [command_body(slack, key) for key in keys])
        window_end = released + reset_ms / 1000
        time.sleep(max(0.0, window_end - time.monotonic()))
        in_window = simulator.calls
        replies = collect_replies(slack, keys, released, timeout)
        # The gate reopens a few ms after window_end (5 s after the 429 was received).
        time.sleep(0.3)
        after_key = f"storm-{spec.slug}-after"
        sent_after = time.monotonic()
        send(url, command_body(slack, after_key))
        after = collect_replies(slack, [after_key], sent_after, 10).get(after_key)
        calls_total = simulator.calls
    finally:
        process.stop()

    texts = [json.dumps(r.body, ensure_ascii=False) for r in replies.values()]
    hints = Counter(m.group(0) for t in texts if (m := RETRY_HINT.search(t)))
    after_text = json.dumps(after.body, ensure_ascii=False) if after else ""
    return StormResult(
        label=spec.label,
        n=n,
        reset_ms=reset_ms,
        acks=AckStats.of(acks),
        calls_in_window=in_window,
        answers_delivered=len(replies),
        rate_limit_answers=sum(bool(RATE_LIMITED.search(t)) for t in texts),
        retry_hint_answers=sum(hints.values()),
        hints=dict(hints),
        after_window_answered=after is not None,
        after_window_rate_limited=bool(RATE_LIMITED.search(after_text)),
        calls_total=calls_total,
    )


def storm_table(results: list[StormResult], timeout: float) -> str:
    first = results[0]

    def each(fn: Callable[[StormResult], str]) -> list[str]:
        return [fn(r) for r in results]

    def after(r: StormResult) -> str:
        if not r.after_window_answered:
            return "no answer"
        return "rate-limited" if r.after_window_rate_limited else "answered"

    return "\n".join(
        [
            f"3. Rate-limit storm: Mimecast's next answer is a 429 with X-RateLimit-Reset "
            f"{first.reset_ms} ms,\n   then {first.n} concurrent /campaigns, "
            "CACHE_TTL_SECONDS=0, no delay",
            row("", [r.label for r in results]),
            row(
                f"calls in {first.reset_ms / 1000:g} s window",
                each(lambda r: str(r.calls_in_window)),
            ),
            row("acks within 3 s", each(lambda r: f"{r.acks.within_3s}/{r.n}")),
            row("answers delivered", each(lambda r: f"{r.answers_delivered}/{r.n}")),
            row("rate-limit answers", each(lambda r: f"{r.rate_limit_answers}/{r.n}")),
            row("  saying when", each(lambda r: f"{r.retry_hint_answers}/{r.n}")),
            row("next one, after it", each(after)),
            row("upstream calls, all", each(lambda r: str(r.calls_total))),
            "",
            *(
                f"retry hints, {r.label}: "
                + (", ".join(f'"{k}" x{v}' for k, v in sorted(r.hints.items())) or "none")
                for r in results
            ),
            "",
            "calls in window: get-campaigns requests the simulator received from the release\n"
            f"to {first.reset_ms / 1000:g} s after it. rate-limit answers: answers mentioning "
            "Mimecast's rate limit;\n"
            'saying when: those with "Try again in N seconds". next one, after it: one more\n'
            "/campaigns sent once the window is over (answers counted within "
            f"{timeout:.0f} s).",
        ]
    )


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200, help="burst: slash commands (200)")
    parser.add_argument("--clicks", type=int, default=200, help="burst: Details clicks (200)")
    parser.add_argument("--delay", type=float, default=2.0, help="burst: Mimecast delay in s (2.0)")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="burst: wait for answers, s from release (30)"
    )
    parser.add_argument(
        "--soak", type=int, default=10_000, help="soak: requests per bot (10000; 0 skips it)"
    )
    parser.add_argument(
        "--baseline-soak",
        type=int,
        default=None,
        metavar="N",
        help="soak: requests for the baseline (default: the same as --soak)",
    )
    parser.add_argument("--concurrency", type=int, default=20, help="soak: concurrency (20)")
    parser.add_argument(
        "--storm", type=int, default=50, help="storm: concurrent commands (50; 0 skips it)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write every figure as JSON")
    args = parser.parse_args(argv)
    if args.commands < 0 or args.clicks < 0 or args.commands + args.clicks < 1:
        parser.error("--commands and --clicks must not be negative, and not both 0")
    if args.soak < 0 or args.concurrency < 1 or args.storm < 0:
        parser.error("--soak and --storm must not be negative, --concurrency at least 1")
    baseline_soak = args.soak if args.baseline_soak is None else args.baseline_soak

    ids = tenant_ids()
    figures: dict[str, Any] = {
        "config": {
            "commands": args.commands,
            "clicks": args.clicks,
            "delay_s": args.delay,
            "answer_timeout_s": args.timeout,
            "soak": args.soak,
            "baseline_soak": baseline_soak,
            "concurrency": args.concurrency,
            "storm": args.storm,
            "storm_reset_ms": STORM_RESET_MS,
            "percentile_method": "nearest-rank",
            "cpus": os.cpu_count(),
        }
    }
    started = time.monotonic()

    def progress(text: str) -> None:
        print(f"[{time.monotonic() - started:5.0f} s] {text}", file=sys.stderr, flush=True)

    def show(text: str) -> None:
        print(text + "\n", flush=True)

    with (
        tempfile.TemporaryDirectory(prefix="load-") as tmp,
        SlackMock() as slack,
        # The soak's baseline makes one Mimecast call per request: lift the simulator's
        # 800-a-minute budget so it measures the fetches, not error answers.
        MimecastSimulator(rate_limit=1_000_000_000) as simulator,
    ):
        ours, baseline = default_specs(tmp)
        try:
            bursts = []
            for spec in (ours, baseline):
                progress(f"burst: {spec.label} ...")
                bursts.append(
                    burst(
                        spec,
                        slack,
                        simulator,
                        ids,
                        commands=args.commands,
                        clicks=args.clicks,
                        delay=args.delay,
                        timeout=args.timeout,
                    )
                )
            figures["burst"] = [asdict(r) for r in bursts]
            show(burst_table(bursts, args.timeout))

            soaks = []
            for spec, n in ((ours, args.soak), (baseline, baseline_soak)):
                if n <= 0:
                    continue
                progress(f"soak: {spec.label}, {n} requests ...")
                soaks.append(
                    soak(
                        spec,
                        slack,
                        simulator,
                        ids,
                        requests=n,
                        concurrency=args.concurrency,
                        timeout=30,
                    )
                )
            if soaks:
                figures["soak"] = [asdict(r) for r in soaks]
                show(soak_table(soaks, 30))

            if args.storm > 0:
                storms = []
                for spec in (ours, baseline):
                    progress(f"rate-limit storm: {spec.label} ...")
                    storm_spec = replace(spec, env=spec.env | {"CACHE_TTL_SECONDS": "0"})
                    storms.append(
                        storm(
                            storm_spec,
                            slack,
                            simulator,
                            n=args.storm,
                            reset_ms=STORM_RESET_MS,
                            timeout=15,
                        )
                    )
                figures["storm"] = [asdict(r) for r in storms]
                show(storm_table(storms, 15))
        except RuntimeError as exc:  # BotProcess could not start a bot
            print(f"a bot failed to start: {exc}", file=sys.stderr)
            return 1

    progress("done")
    figures["runtime_s"] = round(time.monotonic() - started, 1)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
