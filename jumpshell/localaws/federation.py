"""The console federation endpoint: getSigninToken for temporary credentials, then login."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from jumpshell.localaws.auth import Store
from jumpshell.localaws.faults import Record

TOKEN_LIFETIME = 900.0


class Federation:
    """GET /federation?Action=getSigninToken|login, as signin.aws.amazon.com answers it."""

    def __init__(self, store: Store, clock: Callable[[], float], record: Record) -> None:
        self.store = store
        self.clock = clock
        self.record = record
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()

    def handle(self, request: Request) -> Response:
        """Answer one federation request and add it to the call record (no secrets)."""
        action = request.args.get("Action", "")
        call: dict[str, Any] = {"start": time.time(), "action": f"federation:{action}",
                                "caller_arn": None, "outcome": "ok", "status": 200}  # fmt: skip
        if action == "getSigninToken":
            response = self.signin_token(request, call)
        elif action == "login":
            response = self.login(request)
        else:
            response = _bad(f"unknown Action {action!r}")
        if response.status_code >= 400:
            call.update(outcome="refused", status=response.status_code)
        call["end"] = time.time()
        self.record.add(call)
        return response

    def signin_token(self, request: Request, call: dict[str, Any]) -> Response:
        try:
            session = json.loads(request.args.get("Session", ""))
            key_id, secret = session["sessionId"], session["sessionKey"]
            token = session["sessionToken"]
        except (ValueError, KeyError, TypeError):
            return _bad("Session must be JSON with sessionId, sessionKey and sessionToken")
        with self.store.lock:
            held = self.store.issued.get(key_id)
        now = self.clock()
        call["access_key_id"] = key_id
        if held is None or held.secret != secret or held.token != token:
            return _bad("the session credentials are not valid")
        call["caller_arn"] = held.arn
        if held.expiration is not None and now >= held.expiration:
            return _bad("the session credentials are expired")
        signin = secrets.token_urlsafe(96)
        with self._lock:
            self._tokens[signin] = now + TOKEN_LIFETIME
        return Response(json.dumps({"SigninToken": signin}), 200, content_type="application/json")

    def login(self, request: Request) -> Response:
        signin = request.args.get("SigninToken", "")
        destination = request.args.get("Destination", "")
        with self._lock:
            expiry = self._tokens.get(signin)
        if expiry is None or self.clock() >= expiry or not destination:
            return _bad("the sign-in token is not valid")
        return Response("", 302, {"Location": destination})


def _bad(reason: str) -> Response:
    return Response(json.dumps({"error": reason}), 400, content_type="application/json")
