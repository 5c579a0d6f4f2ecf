from typing import Any

from oauth2_provider.scopes import BaseScopes

from fediverse.api import scopes


class ApplicationScopes(BaseScopes):
    """An app may ask for any subset of the scopes it registered with."""

    def get_all_scopes(self) -> dict[str, str]:
        return {scope: scope for scope in scopes.ALL_SCOPES}

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        if application is None:
            return list(scopes.ALL_SCOPES)
        return [s for s in application.scope_list if scopes.is_known(s)]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        available = self.get_available_scopes(application)
        defaults = [s for s in scopes.DEFAULT_SCOPES if s in available]
        return defaults or available[:1]
