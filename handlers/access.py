"""Who may use the bot: `ALLOWED_USERS` holds user IDs and user-group IDs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class AccessPolicy:
    """Everyone when the list is empty; else listed users and members of listed groups.

    Group membership comes from `usergroups.users.list`, cached for `ttl` seconds. When Slack
    cannot tell us (an error), the group counts as empty: the bot fails closed.
    """

    def __init__(
        self,
        allowed: frozenset[str],
        ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.users = frozenset(a for a in allowed if not a.startswith("S"))
        self.groups = tuple(sorted(a for a in allowed if a.startswith("S")))
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    @property
    def open(self) -> bool:
        return not self.users and not self.groups

    def allows(self, user_id: str, client: WebClient) -> bool:
        if self.open or user_id in self.users:
            return True
        return any(user_id in self._group_members(group, client) for group in self.groups)

    def _group_members(self, group: str, client: WebClient) -> frozenset[str]:
        with self._lock:
            cached = self._members.get(group)
            if cached and self._clock() - cached[0] < self._ttl:
                return cached[1]
        try:
            response = client.usergroups_users_list(usergroup=group)
            members = frozenset(str(u) for u in (response.get("users") or []))
        except SlackApiError as exc:
            log.warning(
                "usergroups.users.list failed for %s: %s (needs the usergroups:read scope)",
                group,
                exc.response.get("error") if exc.response is not None else exc,
            )
            return frozenset()
        with self._lock:
            self._members[group] = (self._clock(), members)
        return members
