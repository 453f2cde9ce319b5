"""The local AWS: a strict STS (SigV4, TOTP, IAM policies) in front of multi-account moto.

API (importing this package starts nothing; moto is imported on first use):

    LocalAWS(host="127.0.0.1", port=0)      .url after .start(); .stop(); .reset()
        .seed(world) -> WorldInfo           demo_world() / scale_world(n) / WorldBuilder().build()
        .totp(serial) -> str                the MFA code now, at the server clock
        .calls() -> list[dict]              the record of STS calls (never a secret)
        .set_latency(ms, action=None); .throttle(next_n=None, fraction=None, action=None)
        .fail(status, next_n); .set_clock_offset(seconds); .set_fault_scope(all_services)
        .clear_faults()
    WorldInfo(jump: JumpUser, accounts: tuple[AccountInfo, ...]).account(name)
    WorldBuilder(jump_account_id, user_name, mfa=True, assume_any=True)
        .user_policy(doc, managed=False) .group(name, *docs, managed=False)
        .account(name, id=None, tags=None, production=None, region, ou)
        .role(account, name, trust_policy=None, max_session=3600, policies=(), managed=())
        .bucket(account, name) .build() -> World
    trust(principal, mfa=True, external_id=None, actions=("sts:AssumeRole",)),
    allow_assume(resource), deny_assume(resource): policy documents for the builder.

Control API (JSON) on the same port: GET /_localaws/calls, GET /_localaws/code?serial=,
GET|POST /_localaws/faults, POST /_localaws/reset, POST /_localaws/seed, GET /_localaws/world.
"""

from __future__ import annotations

from jumpshell.localaws.model import AccountInfo, JumpUser, World, WorldInfo
from jumpshell.localaws.server import LocalAWS
from jumpshell.localaws.world import (
    WorldBuilder,
    allow_assume,
    demo_world,
    deny_assume,
    scale_world,
    trust,
)

__all__ = [
    "AccountInfo",
    "JumpUser",
    "LocalAWS",
    "World",
    "WorldBuilder",
    "WorldInfo",
    "allow_assume",
    "deny_assume",
    "demo_world",
    "scale_world",
    "trust",
]
