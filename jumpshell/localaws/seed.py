"""Seed a `World` straight into moto's in-process backends: IAM, Organizations and S3."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from jumpshell.localaws.model import (
    AccountInfo,
    AccountSpec,
    JumpUser,
    PolicyDoc,
    World,
    WorldInfo,
)

REGION = "us-east-1"


def _partition(region: str) -> str:
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws"


def _iam(account_id: str, region: str = REGION) -> Any:
    from moto.iam.models import iam_backends

    return iam_backends[account_id][_partition(region)]


def _managed(iam: Any, owner: str, doc: PolicyDoc) -> str:
    """Create (once) a customer managed policy for `doc`; return its ARN."""
    text = json.dumps(doc, sort_keys=True)
    name = f"{owner}-{hashlib.sha256(text.encode()).hexdigest()[:10]}"
    for arn, policy in iam.managed_policies.items():
        if policy.name == name:
            return str(arn)
    return str(iam.create_policy("", "/", text, name, []).arn)


def _seed_jump(world: World) -> JumpUser:
    iam = _iam(world.jump_account_id)
    name = world.user_name
    iam.create_user(REGION, name)
    key = iam.create_access_key(name)
    serial = seed = ""
    if world.mfa:
        device = iam.create_virtual_mfa_device(name, "/")
        serial, seed = device.serial_number, device.base32_string_seed
        iam.enable_mfa_device(name, serial, "123456", "654321")
    for n, doc in enumerate(world.user_policies, start=1):
        iam.put_user_policy(name, f"{name}-inline-{n}", json.dumps(doc))
    for doc in world.user_managed:
        iam.attach_user_policy(_managed(iam, name, doc), name)
    for group in world.groups:
        iam.create_group(group.name)
        iam.add_user_to_group(group.name, name)
        for n, doc in enumerate(group.policies, start=1):
            iam.put_group_policy(group.name, f"{group.name}-inline-{n}", json.dumps(doc))
        for doc in group.managed:
            iam.attach_group_policy(_managed(iam, group.name, doc), group.name)
    return JumpUser(
        world.jump_account_id, name, key.access_key_id, key.secret_access_key, serial, seed
    )


def _seed_roles(spec: AccountSpec) -> None:
    iam = _iam(spec.id, spec.region)
    documents: dict[int, str] = {}
    for role in spec.roles:
        doc = documents.setdefault(id(role.trust), json.dumps(role.trust))
        iam.create_role(role.name, doc, "/", None, "", [], str(role.max_session))
        for n, policy in enumerate(role.policies, start=1):
            iam.put_role_policy(role.name, f"{role.name}-inline-{n}", json.dumps(policy))
        for policy in role.managed:
            iam.attach_role_policy(_managed(iam, role.name, policy), role.name)


def _seed_buckets(spec: AccountSpec) -> None:
    if not spec.buckets:
        return
    from moto.s3.models import s3_backends

    s3 = s3_backends[spec.id][_partition(spec.region)]
    for bucket in spec.buckets:
        s3.create_bucket(bucket, spec.region)


def seed_world(world: World) -> WorldInfo:
    """Create everything `world` describes in moto; return what a test needs."""
    jump = _seed_jump(world)
    for spec in world.accounts:
        _seed_roles(spec)
        _seed_buckets(spec)
    if world.organization:
        seed_organization(world)
    accounts = tuple(
        AccountInfo(
            name=a.name,
            id=a.id,
            tags=dict(a.tags),
            production=a.production,
            roles=tuple(r.name for r in a.roles),
            region=a.region,
            ou=a.ou,
        )
        for a in world.accounts
    )
    return WorldInfo(jump, accounts)


def _digest(text: str, size: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


@contextmanager
def _deterministic_ids(master: str) -> Iterator[None]:
    """Organization, root and OU ids derived from names instead of chance."""
    from moto.organizations import utils

    counter = iter(range(1, 1_000_000))
    org_id = "o-" + _digest(master, 10)
    root_id = "r-" + _digest(master, 4)
    with (
        mock.patch.object(utils, "make_random_org_id", lambda: org_id),
        mock.patch.object(utils, "make_random_root_id", lambda: root_id),
        mock.patch.object(
            utils, "make_random_ou_id", lambda root: f"ou-{root[2:]}-{next(counter):08d}"
        ),
    ):
        yield


def _ou_for(backend: Any, root_id: str, path: str, cache: dict[str, str]) -> str:
    """The id of the OU at `path` ("/a/b"), created on first use."""
    parent = root_id
    walked = ""
    for part in [p for p in path.split("/") if p]:
        walked += "/" + part
        if walked not in cache:
            made = backend.create_organizational_unit(Name=part, ParentId=parent)
            cache[walked] = made["OrganizationalUnit"]["Id"]
        parent = cache[walked]
    return parent


def seed_organization(world: World) -> None:
    """An organization managed from the jump account, with every member account in its OU."""
    from moto.organizations.models import organizations_backends

    master = world.jump_account_id
    backend = organizations_backends[master]["aws"]
    with _deterministic_ids(master):
        backend.create_organization(region=REGION, FeatureSet="ALL")
        org: Any = backend.org
        root_id = org.root_id
        defaults = [p for p in backend.policies if p.aws_managed]
        cache: dict[str, str] = {}
        for spec in world.accounts:
            parent = _ou_for(backend, root_id, spec.ou, cache)
            account = _member(org, spec, parent)
            for policy in defaults:
                account.attached_policies.append(policy)
                policy.attachments.append(account)
            backend.accounts.append(account)
            organizations_backends.master_accounts[spec.id] = (master, "aws")


def _member(org: Any, spec: AccountSpec, parent_id: str) -> Any:
    """A FakeAccount with our id, made without moto's OrganizationAccountAccessRole."""
    from moto.core.utils import utcnow
    from moto.organizations import utils
    from moto.organizations.models import FakeAccount

    account = FakeAccount.__new__(FakeAccount)
    account.__dict__.update(
        type="ACCOUNT",
        region=org.region,
        organization_id=org.id,
        master_account_id=org.master_account_id,
        create_account_status_id=utils.make_random_create_account_status_id(),
        id=spec.id,
        name=spec.name,
        email=f"aws+{spec.name}@example.com",
        create_time=utcnow(),
        status="ACTIVE",
        state="ACTIVE",
        joined_method="CREATED",
        parent_id=parent_id,
        attached_policies=[],
        tags=dict(spec.tags),
    )
    return account
