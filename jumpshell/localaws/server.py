"""LocalAWS: strict STS in front of moto, one WSGI app served from a background thread."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import get_input_stream

from jumpshell.localaws import control, sigv4
from jumpshell.localaws.assume import identity_documents
from jumpshell.localaws.auth import Principal, Store, iam_backend
from jumpshell.localaws.faults import Faults, Record
from jumpshell.localaws.federation import Federation
from jumpshell.localaws.model import World, WorldInfo
from jumpshell.localaws.responses import AWSError, error_response
from jumpshell.localaws.simulate import simulate_principal_policy
from jumpshell.localaws.sts import STS

STS_ACTIONS = {
    "AssumeRole", "GetSessionToken", "GetCallerIdentity", "GetAccessKeyInfo",
    "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken",
    "DecodeAuthorizationMessage", "AssumeRoot",
}  # fmt: skip
SIMULATE = "SimulatePrincipalPolicy"  # answered here: moto's IAM does not implement it
NO_RESET = {"iam", "organizations", "sts"}  # cleared, not re-initialised: fast with 10k accounts
StartResponse = Callable[..., Any]


def reset_moto() -> None:
    """Wipe every moto backend in use (like /moto-api/reset, but fast for many accounts)."""
    from moto.core.base_backend import BackendDict, backend_lock
    from moto.core.model_instances import reset_model_data

    instances: list[Any] = BackendDict._instances  # type: ignore[misc]
    with backend_lock:
        for backends in list(instances):
            if backends.service_name not in NO_RESET:
                for account in list(backends.values()):
                    account.reset()
            backends.clear()
            for attribute in ("master_accounts", "bucket_accounts"):
                if isinstance(getattr(backends, attribute, None), dict):
                    getattr(backends, attribute).clear()
        instances.clear()
    reset_model_data()


def _body(environ: dict[str, Any]) -> bytes:
    body: bytes = get_input_stream(environ).read()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    return body


def _params(environ: dict[str, Any], body: bytes) -> dict[str, str]:
    params = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    if str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return params


def _flatten(value: Any, prefix: str, into: dict[str, str]) -> None:
    """JSON members as the query protocol names them: A.B, List.member.N."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else key, into)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            _flatten(item, f"{prefix}.member.{index}", into)
    elif isinstance(value, bool):
        into[prefix] = "true" if value else "false"
    elif value is not None:
        into[prefix] = str(value)


def _json_params(body: bytes, target: str) -> dict[str, str]:
    """An awsJson request (X-Amz-Target: Service.Action, JSON body) as query parameters."""
    params = {"Action": target.rpartition(".")[2]}
    try:
        document = json.loads(body or b"{}")
    except ValueError:
        document = None
    if isinstance(document, dict):
        _flatten(document, "", params)
    else:
        params["Action"] = ""  # answered InvalidAction rather than half-read
    return params


def _protocol(signed: sigv4.Signed | None, params: dict[str, str], environ: dict[str, Any]) -> str:
    if signed is not None and signed.service == "s3":
        return "s3"
    if "Action" in params:
        return "query"
    if signed is None and "HTTP_X_AMZ_TARGET" not in environ:
        return "s3"
    return "json"


def _action(params: dict[str, str], environ: dict[str, Any]) -> str:
    target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
    return params.get("Action") or target.rpartition(".")[2] or str(environ.get("REQUEST_METHOD"))


class LocalAWS:
    """A strict local AWS: real SigV4, TOTP and policy checks for STS; moto for the rest.

    Importing this module starts nothing; `start()` serves on `host` and `port`
    (0: a free port) in a daemon thread, and `url` says where.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.url = ""
        self.store = Store()
        self.faults = Faults()
        self.record = Record()
        self.sts = STS(self.store, self.faults.now)
        self.federation = Federation(self.store, self.faults.now, self.record)
        self.world: WorldInfo | None = None
        self._seed_lock = threading.Lock()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._moto: Any = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        """Serve in a daemon thread; returns once the socket accepts connections."""
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import WSGIRequestHandler, make_server

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass

        self._moto = DomainDispatcherApplication(create_backend_app)
        self._server = make_server(
            self.host, self.port, self.wsgi, threaded=True, request_handler=QuietHandler
        )
        self.port = self._server.server_port
        self.url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="localaws", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> LocalAWS:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        """Wipe moto's state, issued credentials, sign-in tokens, faults, clock and record."""
        with self._seed_lock:
            reset_moto()
            self.store.clear()
            self.federation.clear()
            self.faults.clear()
            self.record.clear()
            self.world = None

    def seed(self, world: World) -> WorldInfo:
        """Create `world` in moto's backends in-process; return what a test needs of it."""
        from jumpshell.localaws.seed import seed_world

        with self._seed_lock:
            self.world = seed_world(world)
            return self.world

    # -- MFA, record, faults ---------------------------------------------------------
    def totp(self, serial: str) -> str:
        """A code of virtual MFA device `serial` that STS takes now, as its owner would type.

        AWS takes each code once: after a code was used, this is the next step's code
        (within the one-step window, so good at once), and if that was used too, the
        server clock moves on a step, as waiting half a minute would (no sleeps in tests).
        """
        from jumpshell.localaws.stsrules import STEP, code_at

        parts = serial.split(":")
        if len(parts) < 6 or not parts[5].startswith("mfa/"):
            raise KeyError(f"not an MFA device ARN: {serial}")
        backend = iam_backend(parts[4], parts[1])
        device = backend.virtual_mfa_devices.get(serial) if backend is not None else None
        if device is None:
            raise KeyError(f"no virtual MFA device {serial}")
        used = self.store.last_mfa_step(serial)
        while (step := int(self.faults.now() // STEP)) + 1 <= used:
            with self.faults.lock:
                self.faults.clock_offset += STEP
        return code_at(device.base32_string_seed, max(step, used + 1))

    def calls(self) -> list[dict[str, object]]:
        """The STS calls so far (no secrets), oldest first."""
        return self.record.all()

    def set_latency(self, ms: int, action: str | None = None) -> None:
        """Add `ms` of latency to every call, or to calls of `action` only."""
        self.faults.set_latency(ms, action)

    def throttle(
        self, next_n: int | None = None, fraction: float | None = None, action: str | None = None
    ) -> None:
        """Answer Throttling to the next `next_n` calls or a `fraction` of them."""
        self.faults.throttle(next_n, fraction, action)

    def fail(self, status: int, next_n: int) -> None:
        """Answer HTTP 500 (InternalFailure) or 503 (ServiceUnavailable) `next_n` times."""
        self.faults.fail(status, next_n)

    def set_clock_offset(self, seconds: float) -> None:
        """Shift the STS clock (expirations issued and checked, TOTP) by `seconds`."""
        with self.faults.lock:
            self.faults.clock_offset = float(seconds)

    def set_fault_scope(self, all_services: bool) -> None:
        """Apply latency, throttling and failures to every service, not only STS."""
        with self.faults.lock:
            self.faults.all_services = all_services

    def clear_faults(self) -> None:
        """No latency, throttling or failures (the clock offset stays)."""
        self.faults.clear(clock=False)

    # -- WSGI ------------------------------------------------------------------------
    def wsgi(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """The one WSGI app: control API, federation, STS, or moto."""
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith("/_localaws/"):
            return control.handle(self, Request(environ))(environ, start_response)
        if path == "/federation":
            return self.federation.handle(Request(environ))(environ, start_response)
        body = _body(environ)
        params = _params(environ, body)
        signed = sigv4.parse(environ)
        if (signed and signed.service == "sts") or (
            not signed and params.get("Action") in STS_ACTIONS
        ):
            return self._sts(environ, body, params, signed)(environ, start_response)
        try:
            caller = self._forward_checks(environ, body, params)
            if signed and signed.service == "iam" and params.get("Action") == SIMULATE:
                answer = simulate_principal_policy(caller, params, identity_documents(caller))
                return answer(environ, start_response)
        except AWSError as error:
            return error_response(error, _protocol(signed, params, environ))(
                environ, start_response
            )
        return self._moto(environ, start_response)  # type: ignore[no-any-return]

    def _forward_checks(
        self, environ: dict[str, Any], body: bytes, params: dict[str, str]
    ) -> Principal:
        if self.faults.all_services:
            self._inject(_action(params, environ))
        caller = self.store.authenticate(environ, body, self.faults.now())
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = caller.account_id
        return caller

    def _inject(self, action: str, record: dict[str, Any] | None = None) -> None:
        delay = self.faults.delay(action)
        if record is not None:
            # What the server injected, so tests read the delay rather than time the call.
            record["latency_ms"] = round(delay * 1000)
        if delay > 0:
            time.sleep(delay)
        self.faults.check(action)

    def _sts(
        self,
        environ: dict[str, Any],
        body: bytes,
        params: dict[str, str],
        signed: sigv4.Signed | None,
    ) -> Response:
        protocol = "query"
        if "Action" not in params and "HTTP_X_AMZ_TARGET" in environ:
            protocol = "json"
            params = _json_params(body, str(environ["HTTP_X_AMZ_TARGET"]))
        key = signed.access_key_id if signed else None
        known = self.store.lookup(key) if key else None
        record: dict[str, Any] = {
            "start": time.time(), "action": params.get("Action", ""),
            "caller_arn": known.arn if known else None, "access_key_id": key,
            "role_arn": params.get("RoleArn"), "session_name": params.get("RoleSessionName"),
            "source_identity": params.get("SourceIdentity"), "outcome": "ok", "refused": None,
            "status": 200, "latency_ms": 0,
        }  # fmt: skip
        try:
            self._inject(record["action"], record)
            caller = self.store.authenticate(environ, body, self.faults.now())
            record["caller_arn"] = caller.arn
            response = self.sts.handle(caller, params, record, protocol)
        except AWSError as error:
            record.update(outcome=error.code, status=error.status)
            response = error_response(error, protocol)
        record["end"] = time.time()
        self.record.add(record)
        return response
