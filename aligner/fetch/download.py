"""One file over HTTP, as a downloader must: timeouts, bounded retries with backoff, redirects,
a progress bar, and nothing on disk unless the whole answer arrived and was accepted.

The caller decides where the bytes go, and whether they are wanted at all, from the first bytes
of the answer (``choose``): ODS answers a missing document with an HTML page and status 200, so
only the content can tell.
"""

from __future__ import annotations

import errno
import socket
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import __version__
from ..common.errors import AlignerError
from ..common.fileio import atomic_write

# What a proxy or a busy server says when trying again later may work.
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
HEAD_BYTES = 2048  # enough to tell a PDF, a Word file and an HTML page apart
MAX_REDIRECTS = 10
MAX_RETRY_AFTER = 60.0  # a server asking for longer is treated as down
PROGRESS_FROM = 1 << 20  # a bar only for files worth waiting for
MAX_BYTES = 1 << 30  # no record is this big: a server sending more is sending something else


class Unreachable(AlignerError):
    """The host cannot be reached at all: every further request to it would fail the same way."""


class Incomplete(Exception):
    """The answer ended before its announced length: worth another try."""


@dataclass(frozen=True)
class Downloaded:
    path: Path
    size: int
    url: str  # where the file came from, after the redirects


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.hostname or url if parts.port is None else f"{parts.hostname}:{parts.port}"


def _connect_reason(error: BaseException) -> tuple[str, bool]:
    """Why a connection failed, in a user's words, and whether trying again may help."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror):
            return "cannot resolve the host name (no network, or a wrong --ods-url?)", False
        number = getattr(cause, "errno", None)
        if number == errno.ECONNREFUSED:
            return "connection refused", True
        if number in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable (no network?)", False
        cause = cause.__cause__ or cause.__context__
    text = str(error).lower()
    if "name or service not known" in text or "name resolution" in text \
            or "nodename nor servname" in text or "getaddrinfo" in text:
        return "cannot resolve the host name (no network, or a wrong --ods-url?)", False
    if "refused" in text:
        return "connection refused", True
    if "unreachable" in text:
        return "network unreachable (no network?)", False
    return str(error) or type(error).__name__, True


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare enough to fall back on the backoff


def download(url: str, choose: Callable[[bytes, Mapping[str, str]], Path], *, label: str,
             params: Mapping[str, str] | None = None, timeout: float = 30.0, retries: int = 3,
             backoff: float = 1.0, progress: bool = True,
             check_tail: Callable[[Path, bytes], None] | None = None,
             sleep: Callable[[float], None] = time.sleep) -> Downloaded:
    """GET ``url`` and save the answer where ``choose(first bytes, headers)`` says.

    ``choose`` raises AlignerError to refuse the content; that is final, not retried. A 429 or
    5xx answer, a dropped connection or a timeout is tried again up to ``retries`` times, after
    ``backoff``, then twice that, and so on (or the server's Retry-After). A host that cannot be
    reached (no such name, no route) fails at once with ``Unreachable``. ``timeout`` bounds the
    connection and every wait for data. ``check_tail(path, last bytes)`` may raise
    ``Incomplete`` for a file that ended early without saying how long it was. Errors read
    ``label: reason``.
    """
    import httpx

    host = _host(url)
    _resolve(url, timeout, label)
    headers = {"User-Agent": f"un-aligner/{__version__}"}
    attempt = 0
    with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True,
                      max_redirects=MAX_REDIRECTS, headers=headers) as client:
        while True:
            wait: float | None = None
            try:
                return _attempt(client, url, params, choose, label, progress, check_tail)
            except _Retry as e:
                reason, wait = e.reason, e.wait
            except httpx.ConnectTimeout:
                raise Unreachable(label, f"cannot reach {host}: no answer within {timeout:g} s "
                                         "(no network?)") from None
            except httpx.ConnectError as e:
                reason, again = _connect_reason(e)
                if not again:
                    raise Unreachable(label, f"cannot reach {host}: {reason}") from None
                reason = f"cannot reach {host}: {reason}"
            except httpx.TimeoutException:
                reason = f"{host} sent nothing for {timeout:g} s"
            except (httpx.RemoteProtocolError, httpx.ReadError, Incomplete) as e:
                detail = f" ({e})" if isinstance(e, Incomplete) else ""
                reason = f"{host}: connection dropped before the end of the file{detail}"
            except httpx.TooManyRedirects:
                raise AlignerError(label, f"{host}: more than {MAX_REDIRECTS} redirects") \
                    from None
            except httpx.UnsupportedProtocol as e:
                raise AlignerError(label, f"not an http(s) address ({e})") from None
            except httpx.HTTPError as e:
                reason = f"{host}: {type(e).__name__}: {e}"
            if attempt >= retries:
                tries = f" (after {attempt + 1} tries)" if attempt else ""
                error = Unreachable if reason.startswith("cannot reach") else AlignerError
                raise error(label, reason + tries)
            delay = wait if wait is not None else backoff * 2 ** attempt
            sleep(min(delay, MAX_RETRY_AFTER))
            attempt += 1


def _resolve(url: str, timeout: float, label: str) -> None:
    """Fail within ``timeout`` when the host name cannot be resolved.

    The HTTP client's timeouts do not cover the name lookup, which a broken network can keep
    waiting far longer; behind a proxy the proxy looks the name up, so nothing is checked here.
    """
    import threading
    import urllib.request

    parts = urlsplit(url)
    name = parts.hostname
    if not name or (urllib.request.getproxies() and not urllib.request.proxy_bypass(name)):
        return
    outcome: list[BaseException | None] = []

    def lookup() -> None:
        try:
            socket.getaddrinfo(name, parts.port or 443, type=socket.SOCK_STREAM)
            outcome.append(None)
        except OSError as e:
            outcome.append(e)

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise Unreachable(label, f"cannot reach {_host(url)}: no answer from the name server "
                                 f"within {timeout:g} s (no network?)")
    if isinstance(outcome[0], socket.gaierror):
        raise Unreachable(label, f"cannot reach {_host(url)}: cannot resolve the host name "
                                 "(no network, or a wrong --ods-url?)")


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait


def _attempt(client, url: str, params: Mapping[str, str] | None,
             choose: Callable[[bytes, Mapping[str, str]], Path], label: str,
             progress: bool, check_tail: Callable[[Path, bytes], None] | None) -> Downloaded:
    with client.stream("GET", url, params=params) as response:
        where = _host(str(response.url))
        if response.status_code in RETRY_STATUS:
            wait = _retry_after(response.headers.get("Retry-After"))
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise AlignerError(label, f"{where} answered {response.status_code} and asks to "
                                          f"wait {wait:g} s; try again later")
            raise _Retry(f"{where} answered {response.status_code} "
                         f"{response.reason_phrase}".rstrip(), wait)
        if response.status_code >= 400:
            hint = " (no such document?)" if response.status_code in (404, 410) else ""
            raise AlignerError(label, f"{where} answered {response.status_code} "
                                      f"{response.reason_phrase}{hint}".rstrip())
        expected = response.headers.get("Content-Length")
        total = int(expected) if expected and expected.isdigit() else None
        if total is not None and total > MAX_BYTES:
            raise AlignerError(label, f"{where} offers {total:,} bytes, more than any record")
        chunks = response.iter_bytes()
        head = b""
        for chunk in chunks:
            head += chunk
            if len(head) >= HEAD_BYTES:
                break
        path = choose(head, response.headers)
        size = len(head)
        tail = head[-HEAD_BYTES:]
        bar = _bar(total, label, progress)
        try:
            with atomic_write(path, "wb") as fh:
                fh.write(head)
                bar.update(len(head))
                for chunk in chunks:
                    fh.write(chunk)
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise AlignerError(label, f"{where} sent more than {MAX_BYTES:,} bytes, "
                                                  "more than any record")
                    tail = (tail + chunk)[-HEAD_BYTES:]
                    bar.update(len(chunk))
                # raised inside the with: the partial file is removed, an old one kept
                if total is not None and size < total:
                    raise Incomplete(f"got {size} of {total} bytes")
                if check_tail is not None:
                    check_tail(path, tail)
        finally:
            bar.close()
        return Downloaded(path, size, str(response.url))


def _bar(total: int | None, label: str, progress: bool):
    from tqdm import tqdm

    show = progress and total is not None and total >= PROGRESS_FROM
    return tqdm(total=total, desc=label, unit="B", unit_scale=True, unit_divisor=1024,
                file=sys.stderr, leave=False, disable=None if show else True)
