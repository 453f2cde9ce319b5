"""iam:SimulatePrincipalPolicy over the same policy evaluation STS uses.

moto's IAM does not implement it, and it is how a client learns which side refused an
AssumeRole: the caller's identity policies, or the role's trust policy.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

from jumpshell.localaws import policy
from jumpshell.localaws.assume import find_role
from jumpshell.localaws.auth import Principal, iam_backend
from jumpshell.localaws.responses import AWSError, request_id
from jumpshell.localaws.stsrules import policy_docs

IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"
USER_ARN = re.compile(r"^arn:([\w-]+):iam::(\d{12}):user/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)$")
DECISIONS = {"allow": "allowed", "deny": "explicitDeny", "implicit": "implicitDeny"}


def _members(params: dict[str, str], name: str) -> list[str]:
    found = []
    index = 1
    while f"{name}.member.{index}" in params:
        found.append(params[f"{name}.member.{index}"])
        index += 1
    return found


def _context(params: dict[str, str]) -> dict[str, Any]:
    """ContextEntries.member.N.{ContextKeyName, ContextKeyValues.member.M}, keys lower case."""
    context: dict[str, Any] = {}
    index = 1
    while f"ContextEntries.member.{index}.ContextKeyName" in params:
        prefix = f"ContextEntries.member.{index}"
        values = _members(params, f"{prefix}.ContextKeyValues")
        context[params[f"{prefix}.ContextKeyName"].lower()] = values
        index += 1
    return context


def _source_documents(arn: str) -> tuple[list[str], str | None]:
    """The identity policies of the user (with its groups) or role named by `arn`."""
    user = USER_ARN.match(arn)
    if user:
        backend = iam_backend(user.group(2), user.group(1))
        found = backend.users.get(user.group(3)) if backend is not None else None
        if backend is None or found is None or found.arn != arn:
            raise AWSError(
                404, "NoSuchEntity", f"The user with name {user.group(3)} cannot be found."
            )
        docs = policy_docs(found)
        for group in list(backend.groups.values()):
            if found in group.users:
                docs.extend(policy_docs(group))
        return docs, found.name
    role = find_role(arn)
    if role is None:
        raise AWSError(
            400,
            "InvalidInput",
            f"Invalid Entity Arn: {arn} does not clearly define entity type and name.",
        )
    return policy_docs(role), None


def _caller_allowed(caller: Principal, source: str, documents: list[str]) -> None:
    context = {"aws:username": caller.user_name} if caller.user_name else {}
    request = policy.Request("iam:SimulatePrincipalPolicy", source, (), context)
    if policy.evaluate(documents, request) != "allow":
        raise AWSError(
            403,
            "AccessDenied",
            f"User: {caller.arn} is not authorized to perform: iam:SimulatePrincipalPolicy "
            f"on resource: {source}",
        )


def simulate_principal_policy(
    caller: Principal, params: dict[str, str], caller_documents: list[str]
) -> Response:
    """Evaluate PolicySourceArn's identity policies for each action and resource."""
    source = params.get("PolicySourceArn", "")
    actions = _members(params, "ActionNames")
    if not source or not actions:
        raise AWSError(400, "ValidationError", "PolicySourceArn and ActionNames are required")
    _caller_allowed(caller, source, caller_documents)
    documents, user_name = _source_documents(source)
    context = _context(params)
    if user_name is not None:
        context.setdefault("aws:username", user_name)
    resources = _members(params, "ResourceArns") or ["*"]
    results = []
    for action in actions:
        for resource in resources:
            verdict = policy.evaluate(documents, policy.Request(action, resource, (), context))
            results.append(
                "<member>"
                f"<EvalActionName>{escape(action)}</EvalActionName>"
                f"<EvalResourceName>{escape(resource)}</EvalResourceName>"
                f"<EvalDecision>{DECISIONS[verdict]}</EvalDecision>"
                "<MatchedStatements/><MissingContextValues/>"
                "</member>"
            )
    rid = request_id()
    body = (
        f'<SimulatePrincipalPolicyResponse xmlns="{IAM_NS}">\n'
        "  <SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated>"
        f"<EvaluationResults>{''.join(results)}</EvaluationResults>"
        "</SimulatePrincipalPolicyResult>\n"
        f"  <ResponseMetadata><RequestId>{rid}</RequestId></ResponseMetadata>\n"
        "</SimulatePrincipalPolicyResponse>\n"
    )
    return Response(body, 200, {"x-amzn-RequestId": rid}, content_type="text/xml")
