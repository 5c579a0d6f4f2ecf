"""Which network addresses the outbound client may connect to.

An explicit list rather than `ipaddress.is_global`, which misjudges several ranges (it calls
100.64.0.0/10 neither private nor global, knows nothing of 6to4 or NAT64, and its tables change
between Python versions). IPv6 addresses that carry an IPv4 address (mapped, compatible, NAT64,
6to4) are judged by the IPv4 address they lead to."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

BLOCKED_V4 = tuple(
    ipaddress.IPv4Network(cidr)
    for cidr in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
    )
)

# Only global unicast (2000::/3) is reachable at all; inside it, these are not.
GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")
BLOCKED_V6 = tuple(
    ipaddress.IPv6Network(cidr)
    for cidr in (
        "2001::/23",  # IETF protocol assignments, Teredo included
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
    )
)

MAPPED_V6 = ipaddress.IPv6Network("::ffff:0:0/96")
TRANSLATED_V6 = ipaddress.IPv6Network("::ffff:0:0:0/96")
COMPATIBLE_V6 = ipaddress.IPv6Network("::/96")
NAT64_V6 = ipaddress.IPv6Network("64:ff9b::/96")
LOCAL_NAT64_V6 = ipaddress.IPv6Network("64:ff9b:1::/48")
SIX_TO_FOUR_V6 = ipaddress.IPv6Network("2002::/16")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, in the forms that route to one."""
    packed = address.packed
    if any(address in net for net in (MAPPED_V6, TRANSLATED_V6, COMPATIBLE_V6, NAT64_V6)):
        return ipaddress.IPv4Address(packed[12:16])
    if address in SIX_TO_FOUR_V6:
        return ipaddress.IPv4Address(packed[2:6])
    return None


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv4Address):
        return not any(address in net for net in BLOCKED_V4)
    embedded = embedded_ipv4(address)
    if embedded is not None:
        return is_public(embedded)
    if address in LOCAL_NAT64_V6:
        # Local-use NAT64 prefixes place the IPv4 address at operator-chosen offsets.
        return False
    if address not in GLOBAL_UNICAST_V6:
        return False
    return not any(address in net for net in BLOCKED_V6)


def allowed_private_networks() -> list[Network]:
    """FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES, read at call time so that tests can change it."""
    networks: list[Network] = []
    for entry in settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES:
        networks.append(ipaddress.ip_network(entry.strip(), strict=False))
    return networks


def _listed(address: IPAddress, networks: Iterable[Network]) -> bool:
    candidates: list[IPAddress] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        embedded = embedded_ipv4(address)
        if embedded is not None:
            candidates.append(embedded)
    return any(
        candidate.version == network.version and candidate in network
        for candidate in candidates
        for network in networks
    )


def may_connect(address: str | IPAddress) -> bool:
    """True when the outbound client may open a connection to this address."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        return False
    return is_public(ip) or _listed(ip, allowed_private_networks())
