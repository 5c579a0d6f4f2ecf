"""The VAPID key: the same in every process of an instance, from the setting when given."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured

from fediverse import vapid


@pytest.fixture(autouse=True)
def fresh_key() -> Iterator[None]:
    vapid.private_key.cache_clear()
    yield
    vapid.private_key.cache_clear()


def scalar(key: ec.EllipticCurvePrivateKey) -> int:
    return key.private_numbers().private_value


def test_derived_from_the_secret_key_alike_in_every_process(settings: Any) -> None:
    settings.VAPID_PRIVATE_KEY = ""
    settings.SECRET_KEY = "one instance"
    first = vapid.public_key()
    vapid.private_key.cache_clear()
    assert vapid.public_key() == first
    vapid.private_key.cache_clear()
    settings.SECRET_KEY = "another instance"
    assert vapid.public_key() != first


def test_mastodons_key_format_is_accepted(settings: Any) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    raw = scalar(key).to_bytes(32, "big")
    settings.VAPID_PRIVATE_KEY = base64.urlsafe_b64encode(raw).decode()
    assert scalar(vapid.private_key()) == scalar(key)
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert vapid.public_key() == base64.urlsafe_b64encode(public).rstrip(b"=").decode()


def test_a_pem_key_is_accepted(settings: Any) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    assert scalar(vapid.private_key()) == scalar(key)


@pytest.mark.parametrize("value", ["not*base64", "c2hvcnQ", "A" * 43, "/" * 43])
def test_a_bad_key_is_a_configuration_error(settings: Any, value: str) -> None:
    settings.VAPID_PRIVATE_KEY = value
    with pytest.raises(ImproperlyConfigured):
        vapid.private_key()
