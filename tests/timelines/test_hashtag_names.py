"""Hashtags are found by name case-insensitively and created when missing, also when two
transactions (two posts arriving together) create the same new tag at once."""

from __future__ import annotations

import threading

from django.db import connection, transaction

from timelines.models import Tag
from timelines.services.hashtags import tags_named


def test_existing_tags_are_found_and_new_ones_keep_their_first_spelling() -> None:
    old = Tag.objects.create(name="Fediverse")
    tags = tags_named(["fediverse", "HerdTest", "herdtest", "cats"])
    assert [t.name for t in tags] == ["Fediverse", "HerdTest", "cats"]
    assert tags[0].pk == old.pk
    assert Tag.objects.count() == 3
    assert tags_named([]) == []


def test_a_tag_created_by_a_concurrent_transaction_is_shared_not_an_error() -> None:
    holding, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def first_post() -> None:
        try:
            with transaction.atomic():
                results["first"] = tags_named(["HerdTest"])[0].pk
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def second_post() -> None:
        try:
            with transaction.atomic():
                results["second"] = [t.pk for t in tags_named(["herdtest", "other"])]
        except Exception as error:  # noqa: BLE001 - the failure is the result under test
            results["second"] = error
        finally:
            connection.close()

    first = threading.Thread(target=first_post)
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=second_post)
    second.start()
    # The second insert waits on the first transaction's row, then takes it.
    second.join(0.5)
    release.set()
    first.join(10)
    second.join(10)
    assert isinstance(results["second"], list), results["second"]
    assert results["second"][0] == results["first"]
    assert Tag.objects.filter(name__iexact="herdtest").count() == 1
    assert Tag.objects.filter(name="other").exists()
