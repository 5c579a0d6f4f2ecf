"""Feeds and embeds, routed before the profile pages (whose `@name` pattern would take
`@name.rss`) and before the API's catch-all for unknown /api/ paths."""

from django.urls import re_path

from fediverse.api.routes import api
from timelines.api.oembed import OEmbedView
from timelines.views import embeds, feeds

urlpatterns = [
    re_path(r"^@(?P<username>\w+)\.rss$", feeds.account_feed, name="account_rss"),
    re_path(r"^tags/(?P<name>[^/]+)\.rss$", feeds.tag_feed, name="tag_rss"),
    re_path(r"^@(?P<username>\w+)/(?P<status_id>\d{1,19})/embed$", embeds.embed, name="embed"),
    *api("api/oembed", OEmbedView),
]
