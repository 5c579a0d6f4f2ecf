"""Mastodon's preferences API: the posting defaults a person set, for apps to start from."""

from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.views import ApiView, user


class PreferencesView(ApiView):
    access = {"GET": user("read:accounts")}

    def get(self, request: Request) -> Response:
        settings = self.acting_user
        return Response(
            {
                "posting:default:visibility": settings.default_privacy or "public",
                "posting:default:sensitive": settings.default_sensitive,
                "posting:default:language": settings.default_language or None,
                # Herd has no reading settings yet; these are what Mastodon answers for a
                # person who never changed them.
                "reading:expand:media": "default",
                "reading:expand:spoilers": False,
            }
        )
