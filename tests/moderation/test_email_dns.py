"""Sign-up email domains looked up in DNS, against a nameserver on loopback that answers for
a few made-up zones: a provider whose mail servers are blocked is blocked, a domain nobody
receives mail for is refused, and a nameserver that cannot be reached lets sign-ups through."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from moderation.models import EmailDomainBlock
from moderation.services.sign_up_protection import check_email_domain
from tests.moderation.test_signup_protection import api_sign_up, web_sign_up

ZONE: dict[tuple[str, str], list[str]] = {
    ("hidden-provider.test.", "MX"): ["10 mx1.blocked-mail.test."],
    ("mx1.blocked-mail.test.", "A"): ["192.0.2.10"],
    ("fine-provider.test.", "MX"): ["10 mail.fine-provider.test."],
    ("mail.fine-provider.test.", "A"): ["192.0.2.20"],
    ("address-only.test.", "A"): ["192.0.2.30"],
    ("dangling-mx.test.", "MX"): ["10 nowhere.dangling-mx.test."],
}
KNOWN_NAMES = {name for name, _ in ZONE} | {"nowhere.dangling-mx.test."}


def answer(query: dns.message.Message) -> dns.message.Message:
    response = dns.message.make_response(query)
    question = query.question[0]
    name, kind = question.name.to_text().lower(), dns.rdatatype.to_text(question.rdtype)
    if name not in KNOWN_NAMES:
        response.set_rcode(dns.rcode.NXDOMAIN)
    elif (name, kind) in ZONE:
        response.answer.append(dns.rrset.from_text_list(name, 300, "IN", kind, ZONE[name, kind]))
    return response


@pytest.fixture
def nameserver(settings: Any) -> Iterator[str]:
    """A UDP nameserver on loopback serving ZONE; its address is what the check is told."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                wire, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            sock.sendto(answer(dns.message.from_wire(wire)).to_wire(), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    address = f"127.0.0.1:{sock.getsockname()[1]}"
    settings.EMAIL_DNS_CHECK = True
    settings.EMAIL_DNS_NAMESERVERS = [address]
    settings.EMAIL_DNS_TIMEOUT = 2.0
    yield address
    stop.set()
    thread.join()
    sock.close()


def test_provider_behind_blocked_mail_servers_is_blocked(nameserver: str) -> None:
    EmailDomainBlock.objects.create(domain="blocked-mail.test")
    with pytest.raises(ValidationError) as refused:
        check_email_domain("someone@hidden-provider.test")
    assert refused.value.code == "blocked"
    check_email_domain("someone@fine-provider.test")


def test_domain_with_an_address_but_no_mx_receives_mail(nameserver: str) -> None:
    check_email_domain("someone@address-only.test")


def test_name_dns_cannot_encode_is_not_refused_for_it(nameserver: str) -> None:
    # Django's validator accepts it; DNS cannot ask for it, so the lookup tells nothing.
    check_email_domain("someone@\u2603\u2603.com")


@pytest.mark.parametrize("domain", ["no-such-domain.test", "dangling-mx.test"])
def test_domain_without_mail_server_is_refused(nameserver: str, domain: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_email_domain(f"someone@{domain}")
    assert refused.value.code == "unreachable"


def test_unreachable_nameserver_lets_sign_ups_through(settings: Any) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        silent = f"127.0.0.1:{probe.getsockname()[1]}"
        settings.EMAIL_DNS_CHECK = True
        settings.EMAIL_DNS_NAMESERVERS = [silent]
        settings.EMAIL_DNS_TIMEOUT = 0.5
        check_email_domain("someone@whatever.test")
    EmailDomainBlock.objects.create(domain="whatever.test")
    with pytest.raises(ValidationError):
        check_email_domain("someone@whatever.test")


def test_sign_up_on_the_web_and_the_api_is_refused(nameserver: str) -> None:
    EmailDomainBlock.objects.create(domain="blocked-mail.test")
    assert web_sign_up("carol@hidden-provider.test") == 200
    status, body = api_sign_up("newbie@no-such-domain.test")
    assert status == 422 and "email" in body.get("details", {})
    assert not User.objects.exists()
    assert web_sign_up("carol@fine-provider.test") == 200
    assert User.objects.filter(email="carol@fine-provider.test").exists()
