"""A /campaigns bot written "the obvious way", for comparison with the real bot.

Bolt defaults (``process_before_response=False``, Bolt's own listener executor of 5 threads);
two listeners, each written the naive way: ack, fetch the campaigns from Mimecast (no cache, no
coalescing), answer in plain text through ``respond``:

- ``/campaigns``: the whole list (whatever the command text);
- a ``campaign_details:<n>`` button click (value: the campaign id): the campaign with that id,
  found in the fresh list.

It is served exactly like the real bot (``runtime.server.serve_http``: gunicorn, 1 worker,
gthread, 16 threads) so the comparison isolates the listener design, not the HTTP server.

Environment (plain ``os.environ``): SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL,
PORT, MIMECAST_BASE_URL, MIMECAST_APP_ID, MIMECAST_APP_KEY, MIMECAST_ACCESS_KEY,
MIMECAST_SECRET_KEY.

    python bench/baseline_bot.py
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slack_bolt import Ack, App, Respond  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from mimecast.client import MimecastClient  # noqa: E402
from mimecast.signing import SigningKeys  # noqa: E402
from runtime.server import serve_http  # noqa: E402
from runtime.wsgi import make_wsgi  # noqa: E402


def build_app(env: dict[str, str]) -> App:
    mimecast = MimecastClient(
        env["MIMECAST_BASE_URL"],
        keys=SigningKeys(
            app_id=env["MIMECAST_APP_ID"],
            app_key=env["MIMECAST_APP_KEY"],
            access_key=env["MIMECAST_ACCESS_KEY"],
            secret_key=env["MIMECAST_SECRET_KEY"],
        ),
    )
    # The token goes on the client: Bolt takes it from there when a client is given (passing
    # `token=` as well only logs "token will be unused"; a client without one fails at start).
    app = App(
        client=WebClient(
            token=env["SLACK_BOT_TOKEN"],
            base_url=env.get("SLACK_API_URL") or "https://slack.com/api/",
        ),
        signing_secret=env["SLACK_SIGNING_SECRET"],
    )

    @app.command("/campaigns")
    def campaigns(ack: Ack, respond: Respond, command: dict[str, Any]) -> None:
        ack()
        try:
            batch = mimecast.get_campaigns()
        except Exception as exc:
            respond(text=f"Could not fetch campaigns from Mimecast: {exc}")
            return
        lines = [f"{len(batch.campaigns)} campaigns:"]
        for campaign in batch.campaigns:
            state = "launched" if campaign.launch_date else "pending"
            lines.append(f"• {campaign.name} ({state}, sent {campaign.num_sent or 0})")
        respond(text="\n".join(lines))

    @app.action(re.compile(r"^campaign_details"))
    def details(ack: Ack, respond: Respond, action: dict[str, Any]) -> None:
        ack()
        campaign_id = str(action.get("value") or "")
        try:
            batch = mimecast.get_campaigns()
        except Exception as exc:
            respond(text=f"Could not fetch campaigns from Mimecast: {exc}")
            return
        campaign = next((c for c in batch.campaigns if c.id == campaign_id), None)
        if campaign is None:
            respond(text="That campaign is no longer in Mimecast's list.")
            return
        state = "launched" if campaign.launch_date else "pending"
        respond(
            text=(
                f"*{campaign.name}* ({state})\n"
                f"Module: {campaign.module or 'unknown'}, group: {campaign.group or 'unknown'}\n"
                f"Sent {campaign.num_sent or 0}, completed {campaign.num_completed or 0}"
            )
        )

    return app


def main() -> int:
    app = build_app(dict(os.environ))
    serve_http(make_wsgi(app), int(os.environ.get("PORT", "3000")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
