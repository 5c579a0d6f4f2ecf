"""The outbound client's address rules, for every form a private address can take."""

from __future__ import annotations

from typing import Any

from federation.addresses import may_connect

REFUSED = [
    "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.254", "127.0.0.1",
    "127.255.0.9", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8",
    "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255",
    "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1",
    "255.255.255.255",
    # IPv6 of its own kind
    "::", "::1", "fe80::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1", "100::1",
    "2001:db8::1", "3fff::1", "2001::1", "2001:10::1", "5f00::1", "400::1",
    # IPv4 private addresses inside IPv6
    "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254",  # mapped
    "::127.0.0.1", "::10.0.0.1",  # compatible
    "::ffff:0:a00:1",  # translated (RFC 2765)
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",  # NAT64
    "64:ff9b:1::1", "64:ff9b:1:ffff::8.8.8.8",  # local-use NAT64
    "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::",  # 6to4
]  # fmt: skip

ALLOWED = [
    "1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.32.0.1",
    "192.169.0.1", "198.20.0.1", "2606:4700:4700::1111", "2a00:1450:4001:81b::200e",
    "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
]  # fmt: skip


def test_private_addresses_in_every_form_are_refused() -> None:
    wrongly_allowed = [address for address in REFUSED if may_connect(address)]
    assert wrongly_allowed == []


def test_public_addresses_are_allowed() -> None:
    wrongly_refused = [address for address in ALLOWED if not may_connect(address)]
    assert wrongly_refused == []


def test_allowed_private_ranges_open_exactly_those(settings: Any) -> None:
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = ["127.0.0.0/8", "10.1.0.0/16"]
    assert may_connect("127.0.0.1")
    assert may_connect("::ffff:127.0.0.1")  # the same address, mapped
    assert may_connect("10.1.2.3")
    assert not may_connect("10.2.0.1")
    assert not may_connect("::1")
    assert not may_connect("192.168.0.1")
