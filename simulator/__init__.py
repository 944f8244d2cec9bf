"""A local Mimecast imitation (get-campaigns and OAuth tokens) for tests and demos."""

from simulator.server import (
    CAMPAIGNS_PATH,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_KEYS,
    TOKEN_PATH,
    Fault,
    MimecastSimulator,
    RequestRecord,
)
from simulator.tenant import sample_tenant

__all__ = [
    "CAMPAIGNS_PATH",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_KEYS",
    "TOKEN_PATH",
    "Fault",
    "MimecastSimulator",
    "RequestRecord",
    "sample_tenant",
]
