"""AWS-shaped responses: STS query-protocol XML, and errors in each protocol's own format."""

from __future__ import annotations

import calendar
import json
import time
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"

S3_CODES = {
    "InvalidClientTokenId": (
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
    ),
    "MissingAuthenticationToken": ("AccessDenied", "Access Denied"),
    "ExpiredToken": ("ExpiredToken", "The provided token has expired."),
    "Throttling": ("SlowDown", "Please reduce your request rate."),
    "InternalFailure": ("InternalError", "We encountered an internal error. Please try again."),
    "ServiceUnavailable": ("ServiceUnavailable", "Please reduce your request rate."),
}


@dataclass
class AWSError(Exception):
    """An error AWS would answer with: HTTP status, code, message, Sender or Receiver."""

    status: int
    code: str
    message: str
    kind: str = "Sender"

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def request_id() -> str:
    """A fresh request id, formatted as AWS formats them."""
    return str(uuid.uuid4())


def _query_error(error: AWSError, rid: str, namespace: str = STS_NS) -> Response:
    body = (
        f'<ErrorResponse xmlns="{namespace}">\n  <Error>\n'
        f"    <Type>{error.kind}</Type>\n    <Code>{escape(error.code)}</Code>\n"
        f"    <Message>{escape(error.message)}</Message>\n  </Error>\n"
        f"  <RequestId>{rid}</RequestId>\n</ErrorResponse>\n"
    )
    return Response(body, error.status, {"x-amzn-RequestId": rid}, content_type="text/xml")


def _s3_error(error: AWSError, rid: str) -> Response:
    code, message = S3_CODES.get(error.code, (error.code, error.message))
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
        f"<RequestId>{rid}</RequestId></Error>"
    )
    headers = {"x-amz-request-id": rid}
    return Response(body, error.status, headers, content_type="application/xml")


def _json_error(error: AWSError, rid: str) -> Response:
    body = json.dumps({"__type": error.code, "message": error.message})
    headers = {
        "x-amzn-RequestId": rid,
        "x-amzn-ErrorType": error.code,
        # query-compatible services (STS among them) carry the query protocol's code here
        "x-amzn-query-error": f"{error.code};{error.kind}",
    }
    return Response(body, error.status, headers, content_type="application/x-amz-json-1.0")


def error_response(error: AWSError, protocol: str = "query") -> Response:
    """The error as the client's protocol expects it ("query", "s3" or "json")."""
    rid = request_id()
    if protocol == "s3":
        return _s3_error(error, rid)
    if protocol == "json":
        return _json_error(error, rid)
    return _query_error(error, rid)


def _element(name: str, value: object) -> str:
    if isinstance(value, dict):
        inner = "".join(_element(k, v) for k, v in value.items() if v is not None)
        return f"<{name}>{inner}</{name}>"
    return f"<{name}>{escape(str(value))}</{name}>"


def _epoch_timestamps(value: object) -> object:
    """The JSON protocol sends timestamps as epoch seconds, the query protocol as ISO 8601."""
    if isinstance(value, dict):
        return {
            k: (
                calendar.timegm(time.strptime(v, "%Y-%m-%dT%H:%M:%SZ"))
                if k == "Expiration" and isinstance(v, str)
                else _epoch_timestamps(v)
            )
            for k, v in value.items()
            if v is not None
        }
    return value


def sts_response(action: str, result: dict[str, object], protocol: str = "query") -> Response:
    """A successful STS answer: <ActionResponse><ActionResult>...</ActionResult>, or JSON."""
    rid = request_id()
    if protocol == "json":
        body = json.dumps(_epoch_timestamps(result))
        return Response(
            body, 200, {"x-amzn-RequestId": rid}, content_type="application/x-amz-json-1.0"
        )
    inner = "".join(_element(k, v) for k, v in result.items() if v is not None)
    body = (
        f'<{action}Response xmlns="{STS_NS}">\n'
        f"  <{action}Result>{inner}</{action}Result>\n"
        f"  <ResponseMetadata><RequestId>{rid}</RequestId></ResponseMetadata>\n"
        f"</{action}Response>\n"
    )
    return Response(body, 200, {"x-amzn-RequestId": rid}, content_type="text/xml")
