"""`bot.py demo`: the bot's answers against the bundled simulator, with no credentials at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from blocks.campaigns import campaign_detail_message, campaign_list_message
from blocks.digest import digest_message
from blocks.message import Message
from blocks.render_text import builder_url, message_to_text
from campaigns.matching import find_campaigns
from campaigns.service import CampaignService
from digest.compose import summarize
from mimecast.client import MimecastClient
from mimecast.models import Status
from simulator.server import DEMO_KEYS, MimecastSimulator
from simulator.tenant import sample_tenant

DEMO_QUERY = "phishing spring"


def run_demo(out_dir: Path, tz: ZoneInfo, emit: Callable[[str], None] = print) -> int:
    now = datetime.now(UTC)
    with MimecastSimulator(sample_tenant(now)) as simulator:
        client = MimecastClient(simulator.url, keys=DEMO_KEYS)
        snapshot = CampaignService(client).snapshot()
        emit(f"Mimecast simulator on {simulator.url}: {len(snapshot.campaigns)} campaigns")
        emit(f"(signed API 1.0 requests, {simulator.calls} call)\n")

    listing = campaign_list_message(snapshot.campaigns, now=now, tz=tz, fetched_at=now)
    match = find_campaigns(DEMO_QUERY, snapshot.campaigns)
    launched = [c for c in snapshot.campaigns if c.status(now) is Status.LAUNCHED]
    chosen = match.single or (launched or list(snapshot.campaigns))[0]
    detail = campaign_detail_message(chosen, now=now, tz=tz)

    out_dir.mkdir(parents=True, exist_ok=True)
    _show("/campaigns", listing, out_dir / "campaigns.json", emit)
    _show(f"/campaigns {DEMO_QUERY}", detail, out_dir / "campaign.json", emit)
    summary = summarize(snapshot.campaigns, None, now=now, tz=tz)
    digest = digest_message(summary, tz=tz)
    _show("weekly digest (posted to DIGEST_CHANNEL)", digest, out_dir / "digest.json", emit)
    return 0


def _show(title: str, message: Message, path: Path, emit: Callable[[str], None]) -> None:
    path.write_text(json.dumps(message.payload(), indent=2, ensure_ascii=False) + "\n")
    rule = "─" * 72
    emit(f"{rule}\n{title}\n{rule}")
    emit(message_to_text(message))
    emit(f"\nBlock Kit JSON: {path}")
    emit(f"Preview in Block Kit Builder: {builder_url(message)}\n")
