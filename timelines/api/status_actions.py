"""What a person does to a post through Mastodon's API: boost, favourite, bookmark, mute its
conversation, pin. Each answers with the post as it now stands, counts and flags included."""

from abc import abstractmethod

from django.core.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.views import ApiView, user
from timelines.api.present import present_status
from timelines.api.views import hydrated, visible_status
from timelines.models import Status
from timelines.services import conversation_mutes, interactions, pins


def refusal(error: ValidationError) -> ApiError | ValidationError:
    """A post one may not boost is Mastodon's 403; a pin already made its "Duplicate record";
    other rules are validation failures (422)."""
    codes = set() if hasattr(error, "error_dict") else {item.code for item in error.error_list}
    if "forbidden" in codes:
        return ApiError("This action is not allowed", 403)
    if "duplicate" in codes:
        return ApiError("Duplicate record", 422)
    return error


class StatusAction(ApiView):
    """POST /api/v1/statuses/:id/<action>."""

    def post(self, request: Request, status_id: str) -> Response:
        status = self.target(status_id)
        try:
            shown = self.act(status)
        except ValidationError as error:
            raise refusal(error) from error
        return Response(present_status(self.viewer, hydrated(shown)))

    def target(self, status_id: str) -> Status:
        """The post acted on; a boost's id stands for the boosted post."""
        return visible_status(self, status_id)

    @abstractmethod
    def act(self, status: Status) -> Status:
        """Do the action; return the post to answer with."""


class ReblogView(StatusAction):
    access = {"POST": user("write:statuses")}

    def act(self, status: Status) -> Status:
        default: str | None = self.acting_user.default_privacy
        if default not in interactions.REBLOG_VISIBILITIES:
            default = None  # posting directly by default still boosts publicly
        visibility = self.request.data.get("visibility") or default
        return interactions.do_reblog(account=self.acting, status=status, visibility=visibility)


class UnreblogView(StatusAction):
    access = {"POST": user("write:statuses")}

    def act(self, status: Status) -> Status:
        interactions.do_unreblog(account=self.acting, status=status)
        return status


class FavouriteView(StatusAction):
    access = {"POST": user("write:favourites")}

    def act(self, status: Status) -> Status:
        interactions.do_favourite(account=self.acting, status=status)
        return status


class UnfavouriteView(StatusAction):
    access = {"POST": user("write:favourites")}

    def act(self, status: Status) -> Status:
        interactions.do_unfavourite(account=self.acting, status=status)
        return status


class BookmarkView(StatusAction):
    access = {"POST": user("write:bookmarks")}

    def act(self, status: Status) -> Status:
        interactions.do_bookmark(account=self.acting, status=status)
        return status


class UnbookmarkView(StatusAction):
    access = {"POST": user("write:bookmarks")}

    def act(self, status: Status) -> Status:
        interactions.do_unbookmark(account=self.acting, status=status)
        return status


class MuteConversationView(StatusAction):
    access = {"POST": user("write:mutes")}

    def act(self, status: Status) -> Status:
        conversation_mutes.do_mute_conversation(account=self.acting, status=status)
        return status


class UnmuteConversationView(StatusAction):
    access = {"POST": user("write:mutes")}

    def act(self, status: Status) -> Status:
        conversation_mutes.do_unmute_conversation(account=self.acting, status=status)
        return status


class PinView(StatusAction):
    access = {"POST": user("write:accounts")}

    def target(self, status_id: str) -> Status:
        # Pinning a boost is its own refusal in Mastodon, so a boost's id stays the boost.
        found = None
        if status_id.isdigit():
            found = Status.objects.visible_to(self.viewer).filter(pk=int(status_id)).first()
        if found is None:
            raise ApiError("Record not found", 404)
        return found

    def act(self, status: Status) -> Status:
        pins.do_pin(account=self.acting, status=status)
        return status


class UnpinView(StatusAction):
    access = {"POST": user("write:accounts")}

    def act(self, status: Status) -> Status:
        pins.do_unpin(account=self.acting, status=status)
        return status
