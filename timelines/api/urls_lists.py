"""Lists, filters, hashtags, search and trends."""

from fediverse.api.routes import api, flatten
from timelines.api import filters, lists, search, tags, trends

urlpatterns = flatten(
    api("api/v1/lists", lists.ListsView),
    api("api/v1/lists/<str:list_id>", lists.ListView),
    api("api/v1/lists/<str:list_id>/accounts", lists.ListAccountsView),
    api("api/v1/timelines/list/<str:list_id>", lists.ListTimelineView),
    api("api/v2/filters", filters.FiltersView),
    api("api/v2/filters/keywords/<str:keyword_id>", filters.FilterKeywordView),
    api("api/v2/filters/statuses/<str:row_id>", filters.FilterStatusView),
    api("api/v2/filters/<str:filter_id>", filters.FilterView),
    api("api/v2/filters/<str:filter_id>/keywords", filters.FilterKeywordsView),
    api("api/v2/filters/<str:filter_id>/statuses", filters.FilterStatusesView),
    api("api/v1/filters", filters.V1FiltersView),
    api("api/v1/filters/<str:keyword_id>", filters.V1FilterView),
    api("api/v1/tags/<str:name>", tags.TagView),
    api("api/v1/tags/<str:name>/follow", tags.TagFollowView),
    api("api/v1/tags/<str:name>/unfollow", tags.TagUnfollowView),
    api("api/v1/followed_tags", tags.FollowedTagsView),
    api("api/v2/search", search.SearchView),
    api("api/v1/trends", trends.TrendingTagsView),
    api("api/v1/trends/tags", trends.TrendingTagsView),
    api("api/v1/trends/statuses", trends.TrendingStatusesView),
    api("api/v1/trends/links", trends.TrendingLinksView),
    api("api/v1/timelines/link", trends.LinkTimelineView),
)
