"""Who may use the bot: `ALLOWED_USERS` holds user IDs and user-group IDs."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from enum import Enum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackkit.errors import error_code

log = logging.getLogger(__name__)


class Access(Enum):
    ALLOWED = "allowed"
    REFUSED = "refused"
    UNKNOWN = "unknown"  # Slack could not tell us the groups' members just now


class AccessPolicy:
    """Everyone when the list is empty; else listed users and members of listed groups.

    Group membership comes from `usergroups.users.list` (a Tier 2 method), cached for `ttl`
    seconds and fetched by one thread at a time per group. When Slack fails, the last known
    membership is used; with none, the answer is UNKNOWN: nobody gets data, and nobody is told
    they are not allowed when the bot simply could not check.
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
        self._cache_lock = threading.Lock()
        self._group_locks = {group: threading.Lock() for group in self.groups}
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    @property
    def open(self) -> bool:
        return not self.users and not self.groups

    def check(self, user_id: str, client: WebClient) -> Access:
        if self.open or user_id in self.users:
            return Access.ALLOWED
        unknown = False
        for group in self.groups:
            members = self._group_members(group, client)
            if members is None:
                unknown = True
            elif user_id in members:
                return Access.ALLOWED
        return Access.UNKNOWN if unknown else Access.REFUSED

    def _cached(self, group: str, fresh_only: bool) -> frozenset[str] | None:
        with self._cache_lock:
            cached = self._members.get(group)
        if cached is None:
            return None
        if fresh_only and self._clock() - cached[0] >= self._ttl:
            return None
        return cached[1]

    def _group_members(self, group: str, client: WebClient) -> frozenset[str] | None:
        fresh = self._cached(group, fresh_only=True)
        if fresh is not None:
            return fresh
        with self._group_locks[group]:  # one lookup per group; the others wait for it
            fresh = self._cached(group, fresh_only=True)
            if fresh is not None:
                return fresh
            try:
                response = client.usergroups_users_list(usergroup=group)
                members = frozenset(str(u) for u in (response.get("users") or []))
            except SlackApiError as exc:
                log.warning(
                    "usergroups.users.list failed for %s: %s (needs the usergroups:read scope)",
                    group,
                    error_code(exc),
                )
                return self._cached(group, fresh_only=False)
            except Exception as exc:
                log.warning("usergroups.users.list failed for %s: %s", group, type(exc).__name__)
                return self._cached(group, fresh_only=False)
            with self._cache_lock:
                self._members[group] = (self._clock(), members)
            return members
