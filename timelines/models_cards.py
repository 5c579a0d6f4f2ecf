"""Link previews: Mastodon's PreviewCard, one per URL and shared by every post that links to
it, the link from a post to its card, and the sites whose links get no preview."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from timelines.models import Status

__all__ = ["CardType", "PreviewCard", "PreviewCardDomainBlock", "PreviewCardStatus"]


class CardType(models.TextChoices):
    LINK = "link"
    PHOTO = "photo"
    VIDEO = "video"
    RICH = "rich"


class PreviewCard(models.Model):
    url = models.CharField(max_length=2048, unique=True)
    domain = models.CharField(max_length=255, db_index=True, help_text="Host of the URL")
    title = models.CharField(max_length=255, blank=True, default="")
    description = models.TextField(blank=True, default="")
    type = models.CharField(max_length=8, choices=CardType.choices, default=CardType.LINK)
    author_name = models.CharField(max_length=255, blank=True, default="")
    author_url = models.CharField(max_length=2048, blank=True, default="")
    provider_name = models.CharField(max_length=255, blank=True, default="")
    provider_url = models.CharField(max_length=2048, blank=True, default="")
    html = models.TextField(blank=True, default="", help_text="Sanitised oEmbed iframe")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    image = models.FileField(max_length=255, blank=True, default="")
    image_description = models.CharField(max_length=1500, blank=True, default="")
    embed_url = models.CharField(max_length=2048, blank=True, default="")
    blurhash = models.CharField(max_length=100, blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(null=True, blank=True, help_text="When the page was read")

    def __str__(self) -> str:
        return self.url


class PreviewCardStatus(models.Model):
    """A post's card: the first link of the post that has a preview."""

    status = models.OneToOneField(
        Status, primary_key=True, on_delete=models.CASCADE, related_name="preview_card_link"
    )
    card = models.ForeignKey(PreviewCard, on_delete=models.CASCADE, related_name="status_links")
    url = models.CharField(max_length=2048, help_text="The link as the post has it")


class PreviewCardDomainBlock(models.Model):
    """Links to this domain, and to its subdomains, get no preview."""

    domain = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "preview card domain block"

    def __str__(self) -> str:
        return self.domain
