import json
from typing import Any

from django.http import HttpRequest
from oauth2_provider.oauth2_backends import OAuthLibCore


class FormOrJSONOAuthLibCore(OAuthLibCore):
    """Apps send the token request as a form or as JSON; Mastodon takes both."""

    def extract_body(self, request: HttpRequest) -> Any:
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                return []
            if isinstance(body, dict):
                return [(k, str(v)) for k, v in body.items() if v is not None]
            return []
        return super().extract_body(request)
