"""What the fetcher refuses: unsafe URLs and non-public addresses.

The address check lives in an httpcore2 network backend: the host is resolved once, every
address must be public, and the socket is opened to the address that was checked, so a DNS
answer that changes between check and connect (rebinding) cannot slip through. Redirect hops
come back through the same backend. The overall deadline is enforced on every socket read,
so a server that drips its headers or body a byte at a time is cut off too.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

import httpcore2
import httpx2

_deadline: ContextVar[float | None] = ContextVar("postmortem_fetch_deadline", default=None)

# Hosts written as numbers other than a dotted quad (2130706433, 0x7f.1, 127.1, 0177.0.0.1):
# resolvers accept them, people reading a feed would not recognise them.
_NUMERIC_HOST = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*", re.IGNORECASE)


class Refused(Exception):
    """A URL or address the fetcher will not touch; the message says why and how to allow it."""


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Give every socket operation in this thread at most `seconds` from now, in total."""
    end = time.monotonic() + seconds
    token = _deadline.set(end)
    try:
        yield end
    finally:
        _deadline.reset(token)


def check_url(url: str) -> None:
    """Refuse anything but an http(s) URL with a host written the usual way."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError as exc:
        raise Refused(f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        kind = f"{parts.scheme} URLs are" if parts.scheme else "a URL without a scheme is"
        raise Refused(f"{kind} not fetched (only http and https)")
    if not host:
        raise Refused("the URL has no host")
    if _NUMERIC_HOST.fullmatch(host) and not _is_dotted_quad(host):
        raise Refused(f"numeric host {host} is not a dotted IPv4 address")


def _is_dotted_quad(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def normalise_host(host: str) -> str:
    """Lower-case, no IPv6 brackets, no trailing dot: the form allow-lists are matched in."""
    return host.strip("[]").rstrip(".").lower()


def _address_problem(address: str) -> str | None:
    """Why `address` is not a public unicast address, or None when it is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return "a local-use NAT64 address (RFC 8215)"
        if ip.is_site_local:
            return "a site-local address"
        inner = _embedded_ipv4(ip)
        if inner is not None:
            problem = _address_problem(str(inner))
            return None if problem is None else f"{problem}: {inner} inside {ip}"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "not a public address"
    return None


# IPv6 forms that carry an IPv4 address in their low 32 bits (RFC 4291 mapped and
# compatible, RFC 6145 translated, RFC 6052 NAT64): the IPv4 address is what is reached.
_LOW_32 = tuple(
    ipaddress.IPv6Network(net) for net in ("::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96")
)
_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address maps to, embeds or tunnels to (6to4), if any."""
    low = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in net for net in _LOW_32):
        return low
    if ip in _COMPATIBLE and int(ip) > 1:  # :: and ::1 are checked as themselves
        return low
    return ip.sixtofour


class _DeadlineStream(httpcore2.NetworkStream):
    """A socket stream whose every wait is shortened to what is left of the deadline."""

    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.NetworkStream:
        timeout = _clamp(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    end = _deadline.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error("overall deadline reached")
    return left if timeout is None else min(timeout, left)


class GuardedBackend(httpcore2.SyncBackend):
    """Resolve once, refuse non-public addresses unless the host is allowed, connect to it."""

    def __init__(self, allow_hosts: Sequence[str] = ()) -> None:
        self.allow_hosts = frozenset(normalise_host(h) for h in allow_hosts)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.NetworkStream:
        options = list(socket_options or ())
        failure: httpcore2.ConnectError | None = None
        for address in self.vet(host, port):  # in resolver order, like a browser's fallback
            wait = _clamp(timeout, httpcore2.ConnectTimeout)
            try:
                stream = super().connect_tcp(address, port, wait, local_address, options)
            except httpcore2.ConnectError as exc:
                failure = exc
                continue
            return _DeadlineStream(stream)
        assert failure is not None  # vet() never returns an empty list
        raise failure

    def vet(self, host: str, port: int) -> list[str]:
        """The addresses `host` resolves to, once every one of them has passed the check."""
        name = normalise_host(host)
        try:
            infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore2.ConnectError(f"cannot resolve host {name}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise httpcore2.ConnectError(f"host {name} has no address")
        if name not in self.allow_hosts:
            for address in addresses:
                problem = _address_problem(address)
                if problem is not None:
                    said = address if address == name else f"{name} resolves to {address}, which"
                    raise Refused(f"{said} is {problem} (allow it with --allow-host {name})")
        return addresses

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.NetworkStream:
        raise Refused("unix sockets are never used")


class GuardedTransport(httpx2.BaseTransport):
    """An httpx2 transport over a connection pool that only opens vetted connections."""

    def __init__(self, allow_hosts: Sequence[str], max_connections: int) -> None:
        self._pool = httpcore2.ConnectionPool(
            ssl_context=httpx2.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            network_backend=GuardedBackend(allow_hosts),
        )

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send `request` through the guarded pool (mirrors httpx2.HTTPTransport)."""
        assert isinstance(request.stream, httpx2.SyncByteStream)
        core_request = httpcore2.Request(
            method=request.method,
            url=httpcore2.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = self._pool.handle_request(core_request)
        assert isinstance(response.stream, Iterable)
        return httpx2.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreStream(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()


class _CoreStream(httpx2.SyncByteStream):
    def __init__(self, inner: Iterable[bytes]) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._inner

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


@contextmanager
def _httpx_errors() -> Iterator[None]:
    """Re-raise httpcore2 errors as the httpx2 class of the same name, as HTTPTransport does."""
    try:
        yield
    except httpcore2.TimeoutException as exc:
        raise _httpx_class(exc)(str(exc)) from exc
    except (httpcore2.NetworkError, httpcore2.ProtocolError, httpcore2.UnsupportedProtocol) as exc:
        raise _httpx_class(exc)(str(exc)) from exc


def _httpx_class(exc: Exception) -> type[httpx2.HTTPError]:
    for cls in type(exc).__mro__:
        found = getattr(httpx2, cls.__name__, None)
        if isinstance(found, type) and issubclass(found, httpx2.HTTPError):
            return found
    return httpx2.TransportError
