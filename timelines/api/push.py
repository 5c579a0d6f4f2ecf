"""Mastodon's Web Push subscription API: one subscription per access token."""

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from fediverse import vapid
from fediverse.api.errors import ApiError
from fediverse.api.views import ApiView, user
from timelines.models_push import ALERT_TYPES, WebPushSubscription
from timelines.services import push as service


def subscription_entity(subscription: WebPushSubscription) -> dict[str, Any]:
    return {
        "id": str(subscription.pk),
        "endpoint": subscription.endpoint,
        "standard": subscription.standard,
        "alerts": {type: subscription.alert_enabled(type) for type in ALERT_TYPES},
        "policy": subscription.policy,
        "server_key": vapid.public_key(),
    }


class PushSubscriptionView(ApiView):
    access = {method: user("push") for method in ("GET", "POST", "PUT", "DELETE")}

    def _current(self) -> WebPushSubscription:
        found = WebPushSubscription.objects.filter(access_token=self.request.auth).first()
        if found is None:
            raise ApiError("Record not found", 404)
        return found

    def _preferences(self, request: Request) -> service.Preferences:
        # `policy` at the top level is what some clients (Mastodon.py) send.
        return service.check_preferences(request.data.get("data"), request.data.get("policy"))

    def get(self, request: Request) -> Response:
        return Response(subscription_entity(self._current()))

    def post(self, request: Request) -> Response:
        if not isinstance(request.data.get("subscription"), dict):
            raise ApiError("param is missing or the value is empty: subscription", 400)
        endpoint = service.check_endpoint(request.data["subscription"])
        preferences = self._preferences(request)
        created = service.do_subscribe(
            account=self.acting, token=request.auth, endpoint=endpoint, preferences=preferences
        )
        return Response(subscription_entity(created))

    def put(self, request: Request) -> Response:
        current = self._current()
        updated = service.do_update(subscription=current, preferences=self._preferences(request))
        return Response(subscription_entity(updated))

    def delete(self, request: Request) -> Response:
        service.do_unsubscribe(token=request.auth)
        return Response({})
