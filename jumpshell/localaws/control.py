"""The JSON control API under /_localaws/: calls, MFA codes, faults, reset and seeding."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Protocol

from werkzeug.wrappers import Request, Response

from jumpshell.localaws.faults import Faults
from jumpshell.localaws.model import World, WorldInfo


class Server(Protocol):
    """What the control API drives of the server (a protocol, so control and server are
    not an import circle)."""

    url: str
    faults: Faults
    world: WorldInfo | None

    def calls(self) -> list[dict[str, object]]: ...
    def totp(self, serial: str) -> str: ...
    def reset(self) -> None: ...
    def seed(self, world: World) -> WorldInfo: ...
    def clear_faults(self) -> None: ...
    def set_latency(self, ms: int, action: str | None = None) -> None: ...
    def set_clock_offset(self, seconds: float) -> None: ...
    def set_fault_scope(self, all_services: bool) -> None: ...
    def fail(self, status: int, next_n: int) -> None: ...
    def throttle(
        self, next_n: int | None = None, fraction: float | None = None, action: str | None = None
    ) -> None: ...


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, default=str), status, content_type="application/json")


def world_by_name(name: str) -> Any:
    """`demo` or `scale:N` as a World."""
    from jumpshell.localaws.world import demo_world, scale_world

    if name == "demo":
        return demo_world()
    if name.startswith("scale:"):
        return scale_world(int(name.split(":", 1)[1]))
    raise ValueError(f"unknown world {name!r} (demo or scale:N)")


def apply_faults(aws: Server, body: dict[str, Any]) -> None:
    """Apply a faults document: clear, latency, throttle, fail, clock offset, scope."""
    if body.get("clear"):
        aws.clear_faults()
    if "latency_ms" in body:
        aws.set_latency(int(body["latency_ms"]), body.get("latency_action"))
    if "throttle" in body:
        rule = body["throttle"]
        aws.throttle(rule.get("next_n"), rule.get("fraction"), rule.get("action"))
    if "fail" in body:
        aws.fail(int(body["fail"]["status"]), int(body["fail"]["next_n"]))
    if "clock_offset" in body:
        aws.set_clock_offset(float(body["clock_offset"]))
    if "all_services" in body:
        aws.set_fault_scope(bool(body["all_services"]))


def handle(aws: Server, request: Request) -> Response:
    """Answer one control request."""
    route = request.path.removeprefix("/_localaws/").strip("/")
    try:
        return _route(aws, request, route)
    except (ValueError, KeyError, TypeError) as exc:
        return _json({"error": str(exc)}, 400)


def _route(aws: Server, request: Request, route: str) -> Response:
    if route == "health":
        return _json({"ok": True, "url": aws.url})
    if route == "calls":
        return _json(aws.calls())
    if route == "code":
        serial = request.args["serial"]
        return _json({"serial": serial, "code": aws.totp(serial)})
    if route == "faults":
        if request.method == "POST":
            apply_faults(aws, request.get_json(force=True) or {})
        return _json(aws.faults.describe())
    if route == "reset" and request.method == "POST":
        aws.reset()
        return _json({"ok": True})
    if route == "seed" and request.method == "POST":
        body = request.get_json(force=True) or {}
        info = aws.seed(world_by_name(str(body.get("world", "demo"))))
        return _json(dataclasses.asdict(info))
    if route == "world":
        return _json(dataclasses.asdict(aws.world) if aws.world else None)
    return _json({"error": f"no such control route {route!r}"}, 404)
