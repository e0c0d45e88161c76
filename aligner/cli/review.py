"""``aligner review``: correct an alignment in the browser, on a local server."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("review")
    def review(
        alignment: Path = typer.Argument(
            ..., help="Alignment JSONL (from aligner run / aligner align --format jsonl)."),
        port: int = typer.Option(0, "--port", help="Port to serve on (default: a free one)."),
        host: str = typer.Option("127.0.0.1", "--host",
                                 help="Address to bind (default: this machine only)."),
        no_browser: bool = typer.Option(False, "--no-browser",
                                        help="Print the address, do not open a browser."),
    ) -> None:
        """Review an alignment in the browser: confirm, merge, split, shift, re-align.

        Each change is saved at once, the undo history beside it (ALIGNMENT.jsonl.undo.json).
        """
        import sys

        from ..common.errors import AlignerError
        from ..review.server import bind, new_token, serve
        from ..review.state import Review

        state = Review(alignment)
        state.snapshot_json()  # serialised once now, so that the first page load need not
        try:
            sock = bind(host, port)
        except OSError as e:
            raise AlignerError(None, f"cannot listen on {host}:{port} ({e.strerror})") from None
        import socket

        shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
        shown = f"[{shown}]" if ":" in shown else shown
        token = new_token()
        url = f"http://{shown}:{sock.getsockname()[1]}/?token={token}"
        print(f"review: {url}", flush=True)
        if state.notice:
            print(f"aligner: {alignment}: {state.notice}", file=sys.stderr)
        if not no_browser:
            import webbrowser

            webbrowser.open(url)
        try:
            serve(state, sock, token, host)
        except KeyboardInterrupt:
            pass  # uvicorn has shut down cleanly and passes the Ctrl-C on
        print("review: stopped", file=sys.stderr)
