"""The Report links on posts and profiles, and the web form they open."""

from collections.abc import Callable

from django.test import Client

from accounts.models import User
from moderation.models import Report, Rule
from tests.api.accounts_support import remote_account
from tests.moderation.actions_support import post
from timelines.models import Status

ClientFor = Callable[[User], Client]


def test_report_a_post_from_its_page(alice: User, bob: User, client_for: ClientFor) -> None:
    bad = post(alice.account, "nasty words")
    rule = Rule.objects.create(text="Be kind")
    client = client_for(bob)
    page = client.get(f"/@alice/{bad.pk}").content.decode()
    link = f"/report?account={alice.account.pk}&amp;status={bad.pk}"
    assert link in page
    assert f"/report?account={alice.account.pk}" in client.get("/@alice").content.decode()
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert "nasty words" in form and "checked" in form

    response = client.post(
        "/report",
        {
            "account": alice.account.pk,
            "category": "violation",
            "rule_ids": [rule.pk],
            "status_ids": [bad.pk],
            "comment": "Rude.",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.account, report.target_account) == (bob.account, alice.account)
    assert (report.status_ids, report.rule_ids, report.comment) == ([bad.pk], [rule.pk], "Rude.")
    # The author sees no Report link on their own post.
    assert link not in client_for(alice).get(f"/@alice/{bad.pk}").content.decode()


def test_forward_a_report_about_a_remote_account(bob: User, client_for: ClientFor) -> None:
    remote = remote_account("faraway")
    status = Status.objects.create(
        account=remote, content="<p>spam</p>", local=False, uri="https://remote.example/notes/1"
    )
    client_for(bob).post(
        "/report",
        {"account": remote.pk, "category": "spam", "status_ids": [status.pk], "forward": "on"},
    )
    report = Report.objects.get()
    assert report.forwarded and report.forward_to_domains == ["remote.example"]


def test_bad_report_input(alice: User, bob: User, client_for: ClientFor) -> None:
    private = post(bob.account, "mine", visibility="private")
    client = client_for(alice)
    # A post of someone else cannot be attached.
    bad = client.post("/report", {"account": alice.account.pk, "status_ids": [private.pk]})
    assert bad.status_code == 404  # reporting oneself
    wrong = client.post(
        "/report", {"account": bob.account.pk, "category": "violation", "rule_ids": ["999"]}
    )
    assert wrong.status_code == 422
    hidden = client.post("/report", {"account": bob.account.pk, "status_ids": [private.pk]})
    assert hidden.status_code == 422
    assert client.get("/report?account=nope").status_code == 404
    assert Client().get(f"/report?account={bob.account.pk}").status_code == 302
    assert not Report.objects.exists()
