"""The address of the client of a request, the one place where an IP address is read.

Behind the production TLS proxy every request comes from the proxy's address. The
`X-Forwarded-For` header is believed only when the direct peer is one of `TRUSTED_PROXIES`
(addresses or CIDR networks, empty by default): the header is then read from the right, skipping
the trusted proxies, and the first address that is not one of them is the client. A header sent by
anyone else is ignored, since a client can write what it likes in it.
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks):
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request):
    """The client's IP address as a string ('' when unknown)."""
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            # A malformed hop: what lies left of it cannot be believed.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
