"""The review server: the page, its assets and a JSON API over one alignment file.

Safe by default: it binds 127.0.0.1, answers only requests whose Host header names the
address it serves (a page on another site cannot reach it through DNS rebinding) and that
carry the token (the ``token`` query parameter, or the cookie the page sets), and serves
nothing but its own assets and the one alignment.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import socket
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .state import BadOperation, Conflict, Review

COOKIE = "aligner_review"
ASSETS = {"review.js": "text/javascript; charset=utf-8",
          "review.css": "text/css; charset=utf-8"}
_HEADERS = {
    # the page runs only its own script and style, and talks only to this server
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "connect-src 'self'; img-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
MAX_BODY = 1 << 20


def _asset(name: str) -> bytes:
    return resources.files("aligner.review").joinpath("assets", name).read_bytes()


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers the server answers: the address it binds (and ``localhost`` for the
    loopback address, which browsers may show instead)."""
    names = {host}
    if host in ("127.0.0.1", "::1", "localhost"):
        names.update(("127.0.0.1", "localhost", "[::1]"))
    elif host in ("0.0.0.0", "::"):
        # every interface, as asked: the names this machine goes by, not any name at all
        names.update(("127.0.0.1", "localhost", socket.gethostname(), socket.getfqdn()))
    if ":" in host and not host.startswith("["):
        names.add(f"[{host}]")
    return frozenset(f"{n}:{port}" for n in names)


def make_app(review: Review, token: str, hosts: frozenset[str]) -> Starlette:
    """The ASGI application serving ``review`` to holders of ``token`` via ``hosts``."""
    lock = asyncio.Lock()

    def refused(request: Request) -> Response | None:
        if request.headers.get("host", "") not in hosts:
            return _error(403, "forbidden: unexpected Host header")
        given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return _error(403, "forbidden: missing or wrong token")
        return None

    async def page(request: Request) -> Response:
        if (bad := refused(request)) is not None:
            return bad
        resp = Response(_asset("index.html"), media_type="text/html; charset=utf-8",
                        headers=_HEADERS)
        resp.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
        return resp

    async def asset(request: Request) -> Response:
        if (bad := refused(request)) is not None:
            return bad
        name = request.path_params["name"]
        if name not in ASSETS:
            return _error(404, "not found")
        return Response(_asset(name), media_type=ASSETS[name], headers=_HEADERS)

    async def beads(request: Request) -> Response:
        if (bad := refused(request)) is not None:
            return bad
        async with lock:
            body = review.snapshot_json()
        return Response(body, media_type="application/json", headers=_HEADERS)

    async def reasons(request: Request) -> Response:
        if (bad := refused(request)) is not None:
            return bad
        try:
            k = int(request.query_params.get("bead", ""))
        except ValueError:
            return _error(400, "expected ?bead=K")
        async with lock:
            if not 0 <= k < len(review.beads):
                return _error(400, f"no bead {k}")
            out = {"version": review.version, "bead": k, "reasons": review.reasons(k)}
        return JSONResponse(out, headers=_HEADERS)

    async def ops(request: Request) -> Response:
        if (bad := refused(request)) is not None:
            return bad
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return _error(413, "request too large")
        try:
            body = json.loads(raw)
        except ValueError:
            return _error(400, "the body is not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("op"), str):
            return _error(400, "expected {\"version\": V, \"op\": ..., \"bead\": K}")
        args = {k: v for k, v in body.items() if k not in ("version", "op", "bead", "reply")}
        async with lock:
            try:
                # in a thread: a long re-alignment must not stop the server answering at all
                await asyncio.to_thread(review.apply, body.get("version"), body["op"],
                                        body.get("bead"), **args)
            except Conflict as e:
                return JSONResponse({"error": str(e), "version": review.version}, 409,
                                    headers=_HEADERS)
            except (BadOperation, TypeError) as e:
                return _error(400, str(e))
            if body.get("reply") == "version":
                text = json.dumps({"version": review.version, "undo": len(review.undo),
                                   "redo": len(review.redo)})
            else:
                text = review.snapshot_json()
        return Response(text, media_type="application/json", headers=_HEADERS)

    async def export(request: Request) -> Response:
        if (bad := refused(request)) is not None:
            return bad
        confirmed_only = request.query_params.get("confirmed_only") in ("1", "true")
        async with lock:
            data = export_tmx(review, confirmed_only)
        name = review.path.stem + (".confirmed" if confirmed_only else "") + ".tmx"
        return Response(data, media_type="application/x-tmx+xml", headers={
            **_HEADERS, "Content-Disposition": f'attachment; filename="{_ascii(name)}"'})

    async def anything(request: Request) -> Response:
        if (bad := refused(request)) is not None:
            return bad
        return _error(404, "not found")

    routes = [Route("/", page), Route("/assets/{name}", asset),
              Route("/api/beads", beads), Route("/api/reasons", reasons),
              Route("/api/ops", ops, methods=["POST"]),
              Route("/api/export.tmx", export),
              Route("/{rest:path}", anything, methods=["GET", "POST", "PUT", "DELETE"])]
    return Starlette(routes=routes)


def export_tmx(review: Review, confirmed_only: bool) -> bytes:
    """The reviewed alignment as TMX bytes (``x-status`` on every unit)."""
    import tempfile

    from tmx.write import write_tmx

    from ..common.formats import read_alignment_jsonl
    from ..read.document import symbol_from_filename

    pairs = read_alignment_jsonl(review.path)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.tmx"
        write_tmx(out, pairs, document=symbol_from_filename(review.path) or None,
                  confirmed_only=confirmed_only)
        return out.read_bytes()


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                   for c in name)


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status, headers=_HEADERS)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def new_token() -> str:
    return secrets.token_urlsafe(24)


def serve(review: Review, sock: socket.socket, token: str, host: str) -> None:
    """Serve until interrupted (Ctrl-C stops uvicorn cleanly)."""
    import uvicorn

    port = sock.getsockname()[1]
    app = make_app(review, token, allowed_hosts(host, port))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
