"""The instance API's smaller documents (/api/v1/instance/*) and the custom emoji list. All
are public: Mastodon ignores any token sent with them, so these views read none."""

from datetime import UTC, datetime
from typing import Any

from django.http import Http404
from django.utils.html import linebreaks
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Account
from fediverse.api.instance import domain, rule_entities
from fediverse.api.iso639 import LANGUAGES
from fediverse.api.render import iso, iso_date
from fediverse.api.views import ApiView, public
from moderation.api.present import custom_emoji_entity
from moderation.models import InstanceSettings
from moderation.selectors import listed_emojis
from moderation.services.activity import weekly_activity

DEFAULT_PRIVACY_POLICY = """\
This policy says what %{domain} keeps about the people who use it, and why.

What is kept: the account you register (username, email address and a hash of your \
password) and the profile you publish; your posts, with their date and the app that sent \
them; whom you follow and who follows you; the address you last signed in from.

Who sees it: public posts and profiles can be read by anyone, and are sent to other servers \
of the fediverse, which keep copies. Followers-only and direct posts go only to the servers \
of the people they are addressed to. The operators of this server, and of those servers, \
can read them: do not share anything sensitive in them.

What it is used for: running the service, moderating it, and sending the emails you ask \
for. Nothing is sold.

Your choices: you can delete your posts and your account at any time; deletions are passed \
on to the other servers, which are asked to delete their copies."""
DEFAULT_PRIVACY_POLICY_DATE = datetime(2025, 1, 1, tzinfo=UTC)


def render_text(text: str) -> str:
    """Admin-written texts as HTML paragraphs, as the about page shows them."""
    return linebreaks(text.replace("%{domain}", domain()), autoescape=True) if text else ""


class PublicView(ApiView):
    access = {"GET": public()}
    authentication_classes: list[Any] = []


class PeersView(PublicView):
    def get(self, request: Request) -> Response:
        domains = Account.objects.filter(domain__isnull=False).values_list("domain", flat=True)
        domains = domains.distinct()
        return Response(sorted({d.lower() for d in domains if d}))


class ActivityView(PublicView):
    def get(self, request: Request) -> Response:
        return Response(weekly_activity())


class RulesView(PublicView):
    def get(self, request: Request) -> Response:
        return Response(rule_entities())


class DomainBlocksView(PublicView):
    """Shown to everyone, to signed-in users or to nobody (404), as the admin chose. Like
    Mastodon, a bad token is not an error here: it only counts as not signed in."""

    def get(self, request: Request) -> Response:
        from moderation.api.domain_blocks_public import public_domain_blocks, signed_in

        entities = public_domain_blocks(signed_in=signed_in(request))
        if entities is None:
            raise Http404
        return Response(entities)


class ExtendedDescriptionView(PublicView):
    def get(self, request: Request) -> Response:
        instance = InstanceSettings.current()
        if not instance.description:
            return Response({"updated_at": None, "content": ""})
        updated = instance.description_updated_at or instance.updated_at
        return Response({"updated_at": iso(updated), "content": render_text(instance.description)})


class PrivacyPolicyView(PublicView):
    def get(self, request: Request) -> Response:
        instance = InstanceSettings.current()
        if instance.privacy_policy:
            text = instance.privacy_policy
            updated = instance.privacy_policy_updated_at or instance.updated_at
        else:
            text, updated = DEFAULT_PRIVACY_POLICY, DEFAULT_PRIVACY_POLICY_DATE
        return Response({"updated_at": iso(updated), "content": render_text(text)})


class TermsOfServiceView(PublicView):
    """One version of the terms is kept: it took effect when last saved."""

    def get(self, request: Request, date: str | None = None) -> Response:
        instance = InstanceSettings.current()
        if not instance.terms_of_service:
            raise Http404
        effective = iso_date(instance.terms_of_service_updated_at or instance.updated_at)
        if date is not None and date != effective:
            raise Http404
        return Response(
            {
                "effective_date": effective,
                "effective": True,
                "content": render_text(instance.terms_of_service),
                "succeeded_by": None,
            }
        )


class LanguagesView(PublicView):
    def get(self, request: Request) -> Response:
        return Response([{"code": code, "name": name} for code, name in LANGUAGES.items()])


class TranslationLanguagesView(PublicView):
    """Translation is not offered (configuration.translation.enabled is false)."""

    def get(self, request: Request) -> Response:
        return Response({})


class CustomEmojisView(PublicView):
    def get(self, request: Request) -> Response:
        return Response([custom_emoji_entity(e, with_category=True) for e in listed_emojis()])
