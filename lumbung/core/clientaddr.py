"""The address of the client that sent a request: the one helper that login throttling (axes), the
rate limits (core.throttle), check-in codes and the login records read.

Behind a reverse proxy every request comes from the proxy's address (`REMOTE_ADDR`), so the real
client is read from the header the proxy adds (`LUMBUNG_CLIENT_ADDRESS_HEADER`, X-Forwarded-For by
default) — but only when the request really came from a proxy listed in `LUMBUNG_TRUSTED_PROXIES`
(addresses or networks; `unix` for a proxy on a Unix socket, where `REMOTE_ADDR` is empty). A header
sent by anyone else is ignored, so a client cannot choose its own address to escape a limit.

X-Forwarded-For is a list each proxy appends to ("client, proxy-1, proxy-2"). It is read from the
right: trusted proxies are skipped, and the first address that is not one of them is the client.
Anything to the left of that was written by the client itself and is not believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

UNIX_SOCKET = "unix"
UNKNOWN = "unknown"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_trusted_proxies(entries) -> tuple[tuple[Network, ...], bool]:
    """(networks, whether a Unix-socket peer is trusted); ValueError names a bad entry."""
    networks, unix = [], False
    for entry in entries:
        entry = str(entry).strip()
        if not entry:
            continue
        if entry.lower() == UNIX_SOCKET:
            unix = True
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"LUMBUNG_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from error
    return tuple(networks), unix


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[tuple[Network, ...], bool]:
    return parse_trusted_proxies(entries)


def _meta_key(header: str) -> str:
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _address(text: str) -> Address | None:
    """An address from one header item: `1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:5678`."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's address, or None when there is none to be had (what axes stores: its address
    column is an IP field, so a word such as "unknown" must never reach it)."""
    meta = getattr(request, "META", None) or {}
    peer_text = meta.get("REMOTE_ADDR", "") or ""
    networks, unix = _trusted(tuple(getattr(settings, "LUMBUNG_TRUSTED_PROXIES", ()) or ()))
    peer = _address(peer_text) if peer_text else None
    peer_trusted = _is_trusted(peer, networks) if peer_text else unix
    if not peer_trusted:
        return str(peer) if peer else None
    header = getattr(settings, "LUMBUNG_CLIENT_ADDRESS_HEADER", "X-Forwarded-For") or "X-Forwarded-For"
    chain = [item for item in meta.get(_meta_key(header), "").split(",") if item.strip()]
    client = peer
    for item in reversed(chain):
        address = _address(item)
        if address is None:
            break  # garbage in the chain: nothing left of it can be believed
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client) if client else None


def client_address(request) -> str:
    """The client's address as text, "unknown" when there is none (a key for the rate limits)."""
    return client_ip(request) or UNKNOWN
