"""`python -m jumpshell.localaws`: serve the local AWS with a world, or print an MFA code."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import urllib.parse
import urllib.request


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jumpshell.localaws", description=__doc__)
    parser.add_argument("action", nargs="?", choices=("serve", "code"), default="serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--world", default="demo", help="demo, scale:N or none")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every STS call")
    parser.add_argument("--url", help="code: the running local AWS (default: from /world)")
    parser.add_argument("--serial", help="code: the MFA device (default: the jump user's)")
    return parser


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.loads(answer.read().decode())


def code(url: str, serial: str | None) -> str:
    """The current TOTP code of `serial` (or the seeded jump user's) from a running server."""
    if serial is None:
        world = _get(f"{url}/_localaws/world")
        if not isinstance(world, dict):
            raise SystemExit("the local AWS has no world seeded: pass --serial")
        serial = str(world["jump"]["mfa_serial"])
    answer = _get(f"{url}/_localaws/code?{urllib.parse.urlencode({'serial': serial})}")
    return str(answer["code"]) if isinstance(answer, dict) else str(answer)


def serve(args: argparse.Namespace) -> int:
    from jumpshell.localaws import LocalAWS
    from jumpshell.localaws.control import world_by_name

    server = LocalAWS(args.host, args.port)
    server.start()
    if args.latency_ms:
        server.set_latency(args.latency_ms)
    print(f"local AWS at {server.url}", flush=True)
    if args.world != "none":
        info = server.seed(world_by_name(args.world))
        jump = info.jump
        print(f"world {args.world}: {len(info.accounts)} accounts, jump {jump.account_id}")
        print(f"user {jump.user_name}  key {jump.access_key_id}  secret {jump.secret_access_key}")
        print(f"MFA serial {jump.mfa_serial}")
        print(f"code: python -m jumpshell.localaws code --url {server.url}", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.action == "code":
        if not args.url:
            print("code needs --url", file=sys.stderr)
            return 2
        print(code(args.url.rstrip("/"), args.serial))
        return 0
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
