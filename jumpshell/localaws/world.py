"""Worlds to seed: a builder for tests, the `demo` world and the `scale:N` world."""

from __future__ import annotations

from dataclasses import replace

from jumpshell.localaws.model import AccountSpec, GroupSpec, PolicyDoc, RoleSpec, World

ANY_ROLE = "arn:aws:iam::*:role/*"
FIRST_MEMBER = 200000000000


def allow_assume(resource: str | list[str] = ANY_ROLE) -> PolicyDoc:
    """An identity policy allowing sts:AssumeRole on `resource`."""
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": resource}
    return {"Version": "2012-10-17", "Statement": [statement]}


def deny_assume(resource: str | list[str]) -> PolicyDoc:
    """An identity policy denying sts:AssumeRole on `resource`."""
    statement = {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": resource}
    return {"Version": "2012-10-17", "Statement": [statement]}


def trust(
    principal: str | list[str],
    mfa: bool = True,
    external_id: str | None = None,
    actions: tuple[str, ...] = ("sts:AssumeRole",),
) -> PolicyDoc:
    """A trust policy for AWS principal(s) (account ids or ARNs), MFA required by default."""
    condition: dict[str, dict[str, str]] = {}
    if mfa:
        condition["Bool"] = {"aws:MultiFactorAuthPresent": "true"}
    if external_id is not None:
        condition["StringEquals"] = {"sts:ExternalId": external_id}
    statement: dict[str, object] = {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": list(actions) if len(actions) > 1 else actions[0],
    }
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


class WorldBuilder:
    """Build a `World` step by step; every method returns the builder (chainable).

    >>> world = (WorldBuilder("111111111111", "alice")
    ...          .account("dev", tags={"environment": "dev"})
    ...          .role("dev", "Developer").build())

    By default (`assume_any=True`) the user is in a group "engineers" allowed
    sts:AssumeRole on every role; roles trust the jump account with MFA required.
    """

    def __init__(
        self,
        jump_account_id: str = "111111111111",
        user_name: str = "alice",
        mfa: bool = True,
        assume_any: bool = True,
        organization: bool = True,
    ) -> None:
        self._world = World(jump_account_id, user_name, mfa, organization=organization)
        self._accounts: dict[str, AccountSpec] = {}
        if assume_any:
            self.group("engineers", allow_assume())

    def user_policy(self, doc: PolicyDoc, managed: bool = False) -> WorldBuilder:
        """Give the jump user an inline (or customer managed, attached) policy."""
        if managed:
            self._world = replace(self._world, user_managed=(*self._world.user_managed, doc))
        else:
            self._world = replace(self._world, user_policies=(*self._world.user_policies, doc))
        return self

    def group(self, name: str, *docs: PolicyDoc, managed: bool = False) -> WorldBuilder:
        """Put the jump user in group `name` with these inline (or managed) policies."""
        groups = {g.name: g for g in self._world.groups}
        old = groups.get(name, GroupSpec(name))
        if managed:
            groups[name] = replace(old, managed=(*old.managed, *docs))
        else:
            groups[name] = replace(old, policies=(*old.policies, *docs))
        self._world = replace(self._world, groups=tuple(groups.values()))
        return self

    def account(
        self,
        name: str,
        id: str | None = None,
        tags: dict[str, str] | None = None,
        production: bool | None = None,
        region: str = "us-east-1",
        ou: str = "/",
    ) -> WorldBuilder:
        """Add a member account; its id defaults to 2000000000NN in order of addition."""
        tags = dict(tags or {})
        if production is None:
            production = tags.get("environment") == "prod"
        account_id = id or f"{FIRST_MEMBER + len(self._accounts) + 1:012d}"
        self._accounts[name] = AccountSpec(name, account_id, tags, production, region, ou)
        return self

    def role(
        self,
        account: str,
        name: str,
        trust_policy: PolicyDoc | None = None,
        max_session: int = 3600,
        policies: tuple[PolicyDoc, ...] = (),
        managed: tuple[PolicyDoc, ...] = (),
    ) -> WorldBuilder:
        """Add a role to `account`; the trust policy defaults to the jump account with MFA."""
        doc = trust_policy if trust_policy is not None else trust(self._world.jump_account_id)
        spec = RoleSpec(name, doc, max_session, tuple(policies), tuple(managed))
        old = self._accounts[account]
        self._accounts[account] = replace(old, roles=(*old.roles, spec))
        return self

    def bucket(self, account: str, name: str) -> WorldBuilder:
        """Add an S3 bucket to `account`."""
        old = self._accounts[account]
        self._accounts[account] = replace(old, buckets=(*old.buckets, name))
        return self

    def build(self) -> World:
        """The finished world, ready for `LocalAWS.seed`."""
        return replace(self._world, accounts=tuple(self._accounts.values()))


TEAMS = ("payments", "search", "identity", "data", "platform",
         "checkout", "mobile", "ml", "web", "analytics")  # fmt: skip
ENV_ROLES = {
    "prod": ("ReadOnly", "Admin", "Billing"),
    "staging": ("Developer", "ReadOnly"),
    "dev": ("Developer", "ReadOnly", "Admin"),
    "sandbox": ("Admin", "Developer"),
}
SHARED = {
    "shared-network": ("ReadOnly", "NetworkAdmin"),
    "logging": ("ReadOnly", "Admin"),
    "security": ("ReadOnly", "Admin", "ShortSession", "BreakGlass"),
    "audit-logs": ("ReadOnly", "Auditor"),  # not "audit": that is a verb, and verbs win
    "billing": ("Billing", "ReadOnly", "Vendor"),
    "artifacts": ("ReadOnly", "Developer", "Admin"),
    "sandbox-locked": ("ReadOnly", "Untrusted"),
}
DEMO_BUCKETS = {
    "payments-dev": ("payments-dev-artifacts", "payments-dev-uploads"),
    "search-dev": ("search-dev-index-snapshots",),
    "data-staging": ("data-staging-lake", "data-staging-exports"),
    "logging": ("org-cloudtrail-logs",),
    "artifacts": ("build-artifacts", "container-layers"),
}
OTHER_ACCOUNT = "999999999999"
DEMO_EXTERNAL_ID = "jumpshell-demo"


def _demo_role(jump: str, name: str) -> RoleSpec:
    """The demo's role `name`: trusted from the jump account with MFA, or a refusal."""
    if name == "Untrusted":
        return RoleSpec(name, trust(OTHER_ACCOUNT), 43200)
    if name == "Vendor":
        return RoleSpec(name, trust(jump, external_id=DEMO_EXTERNAL_ID), 43200)
    if name == "ShortSession":
        return RoleSpec(name, trust(jump), 3600)
    return RoleSpec(name, trust(jump), 43200)


def _demo_accounts(jump: str) -> list[AccountSpec]:
    plan: list[tuple[str, dict[str, str], tuple[str, ...], str]] = []
    for team in TEAMS:
        for env in ("prod", "staging", "dev"):
            tags = {"environment": env, "team": team}
            plan.append((f"{team}-{env}", tags, ENV_ROLES[env], f"/workloads/{env}"))
    for team in TEAMS[:5]:
        tags = {"environment": "sandbox", "team": team}
        plan.append((f"{team}-sandbox", tags, ENV_ROLES["sandbox"], "/sandbox"))
    for name, roles in SHARED.items():
        env = "sandbox" if name.startswith("sandbox") else "shared"
        tags = {"environment": env, "team": "platform" if env == "shared" else "security"}
        plan.append((name, tags, roles, "/sandbox" if env == "sandbox" else "/shared"))
    accounts = []
    for index, (name, tags, roles, ou) in enumerate(plan, start=1):
        accounts.append(
            AccountSpec(
                name=name,
                id=f"{FIRST_MEMBER + index:012d}",
                tags=tags,
                production=tags["environment"] == "prod",
                ou=ou,
                roles=tuple(_demo_role(jump, r) for r in roles),
                buckets=DEMO_BUCKETS.get(name, ()),
            )
        )
    return accounts


def demo_world() -> World:
    """The demo: jump account 111111111111, user alice with MFA, 42 member accounts.

    Refusals to try: sandbox-locked/Untrusted (trusts another account only),
    billing/Vendor (needs external id "jumpshell-demo"), security/BreakGlass (a group
    Deny), and security/ShortSession (MaxSessionDuration 3600).
    """
    jump = "111111111111"
    self_keys = {
        "Effect": "Allow",
        "Action": [
            "iam:*AccessKey*",
            "iam:GetUser",
            "iam:*MFADevice*",
            "iam:SimulatePrincipalPolicy",
        ],
        "Resource": f"arn:aws:iam::{jump}:user/${{aws:username}}",
    }
    engineers = GroupSpec(
        "engineers",
        policies=(allow_assume(), deny_assume("arn:aws:iam::*:role/BreakGlass")),
        managed=({"Version": "2012-10-17", "Statement": [self_keys]},),
    )
    return World(jump, "alice", True, groups=(engineers,), accounts=tuple(_demo_accounts(jump)))


def scale_world(n: int) -> World:
    """`n` member accounts (up to 10,000) with ReadOnly, Developer and Admin roles each."""
    if not 1 <= n <= 10000:
        raise ValueError("scale_world takes 1 to 10,000 accounts")
    jump = "111111111111"
    roles = tuple(RoleSpec(r, trust(jump), 43200) for r in ("ReadOnly", "Developer", "Admin"))
    envs = ("prod", "staging", "dev", "sandbox")
    accounts = []
    for i in range(1, n + 1):
        env, team = envs[i % len(envs)], TEAMS[i % len(TEAMS)]
        tags = {"environment": env, "team": team}
        name = f"{team}-{env}-{i:05d}"
        spec = AccountSpec(name, f"{FIRST_MEMBER + i:012d}", tags, env == "prod",
                           ou=f"/workloads/{env}", roles=roles)  # fmt: skip
        accounts.append(spec)
    group = GroupSpec("engineers", policies=(allow_assume(),))
    return World(jump, "alice", True, groups=(group,), accounts=tuple(accounts))
