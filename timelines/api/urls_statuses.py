from fediverse.api.routes import api, flatten
from timelines.api import polls, scheduled, status_actions, status_reads

STATUS = "api/v1/statuses/<str:status_id>"

urlpatterns = flatten(
    api(f"{STATUS}/context", status_reads.ContextView),
    api(f"{STATUS}/reblogged_by", status_reads.RebloggedByView),
    api(f"{STATUS}/favourited_by", status_reads.FavouritedByView),
    api(f"{STATUS}/history", status_reads.HistoryView),
    api(f"{STATUS}/source", status_reads.SourceView),
    api(f"{STATUS}/reblog", status_actions.ReblogView),
    api(f"{STATUS}/unreblog", status_actions.UnreblogView),
    api(f"{STATUS}/favourite", status_actions.FavouriteView),
    api(f"{STATUS}/unfavourite", status_actions.UnfavouriteView),
    api(f"{STATUS}/bookmark", status_actions.BookmarkView),
    api(f"{STATUS}/unbookmark", status_actions.UnbookmarkView),
    api(f"{STATUS}/mute", status_actions.MuteConversationView),
    api(f"{STATUS}/unmute", status_actions.UnmuteConversationView),
    api(f"{STATUS}/pin", status_actions.PinView),
    api(f"{STATUS}/unpin", status_actions.UnpinView),
    api("api/v1/polls/<str:poll_id>", polls.PollView),
    api("api/v1/polls/<str:poll_id>/votes", polls.PollVotesView),
    api("api/v1/scheduled_statuses", scheduled.ScheduledStatusesView),
    api("api/v1/scheduled_statuses/<str:scheduled_id>", scheduled.ScheduledStatusView),
)
