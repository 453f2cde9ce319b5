"""SigV4 on the receiving side: parse the Authorization header (or query) and check it."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from hashlib import sha256
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


@dataclass(frozen=True)
class Signed:
    """The parts of a SigV4 signature a request carries."""

    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    timestamp: str
    token: str | None
    in_query: bool
    v2: bool = False  # an S3 presigned URL in the old style: AWSAccessKeyId, Expires, Signature


def _header(environ: dict[str, Any], name: str) -> str | None:
    key = name.upper().replace("-", "_")
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        value = environ.get(key)
    else:
        value = environ.get(f"HTTP_{key}")
    return None if value is None else str(value)


def _scope(credential: str) -> tuple[str, str, str, str] | None:
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        return None
    return parts[0], parts[1], parts[2], parts[3]


def parse(environ: dict[str, Any]) -> Signed | None:
    """The SigV4 parts of the request, or None when it is not SigV4-signed."""
    auth = _header(environ, "Authorization") or ""
    if auth.startswith("AWS4-HMAC-SHA256 "):
        fields = dict(item.strip().split("=", 1) for item in auth[17:].split(",") if "=" in item)
        scope = _scope(fields.get("Credential", ""))
        if scope is None:
            return None
        return Signed(
            *scope,
            tuple(fields.get("SignedHeaders", "").split(";")),
            fields.get("Signature", ""),
            _header(environ, "X-Amz-Date") or _header(environ, "Date") or "",
            _header(environ, "X-Amz-Security-Token"),
            False,
        )
    query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    if query.get("X-Amz-Algorithm") == "AWS4-HMAC-SHA256":
        scope = _scope(query.get("X-Amz-Credential", ""))
        if scope is None:
            return None
        return Signed(
            *scope,
            tuple(query.get("X-Amz-SignedHeaders", "host").split(";")),
            query.get("X-Amz-Signature", ""),
            query.get("X-Amz-Date", ""),
            query.get("X-Amz-Security-Token"),
            True,
        )
    if "AWSAccessKeyId" in query and "Signature" in query and "Expires" in query:
        token = query.get("x-amz-security-token")
        key, signature = query["AWSAccessKeyId"], query["Signature"]
        return Signed(
            key, "", "us-east-1", "s3", (), signature, query["Expires"], token, True, True
        )
    return None


def _v2_ok(environ: dict[str, Any], signed: Signed, secret: str) -> bool:
    """An S3 query-string signature (SigV2, as botocore presigns S3 by default)."""
    from botocore.auth import HmacV1QueryAuth

    url = f"http://{_header(environ, 'Host') or ''}{raw_uri(environ)}"
    headers = HTTPHeaders()
    for name in ("Content-MD5", "Content-Type"):
        value = _header(environ, name)
        if value:
            headers[name] = value
    if signed.token:  # botocore signs the token as a header, then moves it to the query
        headers["x-amz-security-token"] = signed.token
    auth = HmacV1QueryAuth(Credentials(signed.access_key_id, secret))
    method = str(environ.get("REQUEST_METHOD", "GET"))
    text = auth.canonical_string(method, urlsplit(url), headers, expires=signed.timestamp)
    return hmac.compare_digest(str(auth.sign_string(text)), signed.signature)


def raw_uri(environ: dict[str, Any]) -> str:
    """The request target as the client sent it (path and query, still percent-encoded)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return str(raw)
    query = environ.get("QUERY_STRING", "")
    return str(environ.get("PATH_INFO", "/")) + (f"?{query}" if query else "")


def _canonical_query(auth: SigV4Auth, url: str, in_query: bool) -> str:
    parts = urlsplit(url)
    if in_query:
        kept = [p for p in parts.query.split("&") if not p.startswith("X-Amz-Signature=")]
        parts = parts._replace(query="&".join(kept))
    return str(auth._canonical_query_string_url(parts))


def canonical_request(environ: dict[str, Any], signed: Signed, body: bytes, auth: SigV4Auth) -> str:
    """The canonical request rebuilt from what was received, as the signer built it."""
    host = _header(environ, "Host") or ""
    url = f"http://{host}{raw_uri(environ)}"
    headers = HTTPHeaders()
    for name in signed.signed_headers:
        value = _header(environ, name)
        headers[name] = "" if value is None else value
    if signed.in_query:
        payload = UNSIGNED_PAYLOAD
    else:
        payload = _header(environ, "X-Amz-Content-SHA256") or sha256(body).hexdigest()
    request = AWSRequest(method=environ.get("REQUEST_METHOD", "GET"), url=url)
    return "\n".join(
        [
            request.method.upper(),
            auth._normalize_url_path(urlsplit(url).path) or "/",
            _canonical_query(auth, url, signed.in_query),
            auth.canonical_headers(headers) + "\n",
            ";".join(signed.signed_headers),
            payload,
        ]
    )


def signature_ok(environ: dict[str, Any], signed: Signed, body: bytes, secret: str) -> bool:
    """Whether the request's signature is the one `secret` gives."""
    if signed.v2:
        return _v2_ok(environ, signed, secret)
    credentials = Credentials(signed.access_key_id, secret)
    cls = S3SigV4Auth if signed.service == "s3" else SigV4Auth
    auth = cls(credentials, signed.service, signed.region)
    request = AWSRequest(method="GET", url="http://localhost/")
    request.context["timestamp"] = signed.timestamp
    canonical = canonical_request(environ, signed, body, auth)
    expected = auth.signature(auth.string_to_sign(request, canonical), request)
    return hmac.compare_digest(str(expected), signed.signature)
