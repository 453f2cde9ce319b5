"""The console federation endpoint: getSigninToken for temporary credentials, then login."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable

from werkzeug.wrappers import Request, Response

from jumpshell.localaws.auth import Store

TOKEN_LIFETIME = 900.0


class Federation:
    """GET /federation?Action=getSigninToken|login, as signin.aws.amazon.com answers it."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()

    def handle(self, request: Request) -> Response:
        action = request.args.get("Action", "")
        if action == "getSigninToken":
            return self.signin_token(request)
        if action == "login":
            return self.login(request)
        return _bad(f"unknown Action {action!r}")

    def signin_token(self, request: Request) -> Response:
        try:
            session = json.loads(request.args.get("Session", ""))
            key_id, secret = session["sessionId"], session["sessionKey"]
            token = session["sessionToken"]
        except (ValueError, KeyError, TypeError):
            return _bad("Session must be JSON with sessionId, sessionKey and sessionToken")
        with self.store.lock:
            held = self.store.issued.get(key_id)
        now = self.clock()
        if held is None or held.secret != secret or held.token != token:
            return _bad("the session credentials are not valid")
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
