"""Discovery, actor and collection documents, and inboxes."""

from django.urls import path, re_path

from federation import inbox, nodeinfo, webfinger
from federation.views import collections, documents

USER = r"^users/(?P<username>[\w.-]+)"
STATUS = USER + r"/statuses/(?P<status_id>\d+)"

urlpatterns = [
    path(".well-known/webfinger", webfinger.webfinger, name="webfinger"),
    path(".well-known/host-meta", webfinger.host_meta, name="host_meta"),
    path(".well-known/host-meta.json", webfinger.host_meta_json, name="host_meta_json"),
    path(".well-known/nodeinfo", nodeinfo.discovery, name="nodeinfo_discovery"),
    re_path(r"^nodeinfo/(?P<version>2\.[01])$", nodeinfo.nodeinfo, name="nodeinfo"),
    path("inbox", inbox.shared_inbox, name="shared_inbox"),
    path("actor", documents.instance_actor, name="instance_actor"),
    path("emojis/<int:emoji_id>", documents.emoji, name="emoji"),
    path("actor/inbox", inbox.shared_inbox, name="instance_actor_inbox"),
    path("actor/outbox", documents.instance_actor_outbox, name="instance_actor_outbox"),
    re_path(USER + r"$", documents.actor, name="actor"),
    re_path(USER + r"/inbox$", inbox.personal_inbox, name="inbox"),
    re_path(USER + r"/outbox$", collections.outbox, name="outbox"),
    re_path(USER + r"/followers$", collections.followers, name="followers_collection"),
    re_path(USER + r"/following$", collections.following, name="following_collection"),
    re_path(USER + r"/collections/featured$", collections.featured, name="featured_collection"),
    re_path(USER + r"/collections/tags$", collections.featured_tags, name="featured_tags"),
    re_path(STATUS + r"$", documents.note, name="note"),
    re_path(STATUS + r"/activity$", documents.activity, name="note_activity"),
    re_path(STATUS + r"/replies$", documents.replies, name="note_replies"),
    re_path(STATUS + r"/likes$", documents.likes, name="note_likes"),
    re_path(STATUS + r"/shares$", documents.shares, name="note_shares"),
]
