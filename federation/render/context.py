"""JSON-LD contexts, as Mastodon's serializers declare them: ActivityStreams first, then the
security vocabulary where keys appear, then one object with the extension terms used."""

from __future__ import annotations

from typing import Any

ACTIVITYSTREAMS = "https://www.w3.org/ns/activitystreams"
SECURITY = "https://w3id.org/security/v1"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"

TOOT = {"toot": "http://joinmastodon.org/ns#"}
OSTATUS = {"ostatus": "http://ostatus.org#"}
EXTENSIONS: dict[str, dict[str, Any]] = {
    "manually_approves_followers": {"manuallyApprovesFollowers": "as:manuallyApprovesFollowers"},
    "sensitive": {"sensitive": "as:sensitive"},
    "hashtag": {"Hashtag": "as:Hashtag"},
    "moved_to": {"movedTo": {"@id": "as:movedTo", "@type": "@id"}},
    "also_known_as": {"alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"}},
    "featured": {
        **TOOT,
        "featured": {"@id": "toot:featured", "@type": "@id"},
        "featuredTags": {"@id": "toot:featuredTags", "@type": "@id"},
    },
    "property_value": {
        "schema": "http://schema.org#",
        "PropertyValue": "schema:PropertyValue",
        "value": "schema:value",
    },
    "atom_uri": {**OSTATUS, "atomUri": "ostatus:atomUri"},
    "conversation": {
        **OSTATUS,
        "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
        "conversation": "ostatus:conversation",
    },
    "voters_count": {**TOOT, "votersCount": "toot:votersCount"},
    "discoverable": {**TOOT, "discoverable": "toot:discoverable"},
    "suspended": {**TOOT, "suspended": "toot:suspended"},
    "memorial": {**TOOT, "memorial": "toot:memorial"},
    "indexable": {**TOOT, "indexable": "toot:indexable"},
    "focal_point": {**TOOT, "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"}},
    "blurhash": {**TOOT, "blurhash": "toot:blurhash"},
    "emoji": {**TOOT, "Emoji": "toot:Emoji"},
}

ACTOR_EXTENSIONS = (
    "manually_approves_followers",
    "featured",
    "also_known_as",
    "moved_to",
    "property_value",
    "discoverable",
    "suspended",
    "memorial",
    "indexable",
    "focal_point",
    "emoji",
)
NOTE_EXTENSIONS = ("atom_uri", "conversation", "sensitive", "voters_count", "hashtag", "emoji")


def context(*extensions: str, security: bool = False) -> str | list[Any]:
    named: list[Any] = [ACTIVITYSTREAMS, SECURITY] if security else [ACTIVITYSTREAMS]
    terms: dict[str, Any] = {}
    for name in extensions:
        terms.update(EXTENSIONS[name])
    if terms:
        named.append(terms)
    return named if len(named) > 1 else named[0]


def with_context(
    document: dict[str, Any], *extensions: str, security: bool = False
) -> dict[str, Any]:
    return {"@context": context(*extensions, security=security), **document}
