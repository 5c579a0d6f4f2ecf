from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """No password grant; codes issued to users who since lost access are worthless."""

    def validate_user(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        user = request.user
        return bool(user is not None and user.is_active and user.functional)
