"""The base of every Mastodon API view: who may call each method and with which scopes."""

from dataclasses import dataclass
from typing import Any

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.models import Account, User
from fediverse.api import scopes
from fediverse.api.errors import ApiError


@dataclass(frozen=True)
class Access:
    scopes: tuple[str, ...]
    user: bool = False  # a user's token is needed (not an app token, not anonymous)
    token: bool = False  # some token is needed (an app's own token will do)


def public(*required: str) -> Access:
    """Anyone may call; a token, if sent, must hold one of the scopes."""
    return Access(required)


def user(*required: str) -> Access:
    return Access(required, user=True, token=True)


def app(*required: str) -> Access:
    return Access(required, token=True)


class NotAuthorized(NotAuthenticated):
    default_detail = "The access token is invalid"


def user_refusal(found: User) -> str | None:
    """Mastodon's require_user! messages, in its order."""
    if not found.confirmed:
        return "Your login is missing a confirmed e-mail address"
    if not found.approved:
        return "Your login is currently pending approval"
    if not found.is_active:
        return "Your login is currently disabled"
    return None


class ApiView(APIView):
    """Subclasses declare `access = {"GET": public("read:statuses"), "POST": user(...)}`."""

    access: dict[str, Access] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        rule = self.access.get(request.method or "GET")
        if rule is None:
            return
        token = request.auth
        if token is None:
            if rule.token:
                raise NotAuthorized()
            return
        if rule.scopes and not scopes.covers(token.scope.split(), rule.scopes):
            raise ApiError("This action is outside the authorized scopes", 403)
        if rule.user:
            if token.user is None:
                raise ApiError("This method requires an authenticated user", 422)
            refusal = user_refusal(token.user)
            if refusal:
                raise ApiError(refusal, 403)

    @property
    def viewer(self) -> Account | None:
        """The account acting, when a working user token came with the request."""
        found = getattr(self.request.auth, "user", None)
        if found is None or not found.functional:
            return None
        return found.account

    @property
    def acting(self) -> Account:
        """For methods declared `user(...)`: the checks in initial() guarantee an account."""
        account = self.viewer
        assert account is not None
        return account

    @property
    def acting_user(self) -> User:
        found = self.request.auth.user
        assert found is not None
        return found
