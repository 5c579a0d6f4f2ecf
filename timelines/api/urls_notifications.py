from accounts.api.preferences import PreferencesView
from fediverse.api.routes import api, flatten
from timelines.api import (
    collections,
    conversations,
    markers,
    notification_groups,
    notification_policy,
    notifications,
    push,
)

V1, V2 = "api/v1/notifications", "api/v2/notifications"

# Fixed paths come before the id patterns that would otherwise swallow them.
urlpatterns = flatten(
    api(f"{V1}", notifications.NotificationsView),
    api(f"{V1}/clear", notifications.NotificationsClearView),
    api(f"{V1}/unread_count", notifications.UnreadCountView),
    api(f"{V1}/policy", notification_policy.V1PolicyView),
    api(f"{V1}/requests", notification_policy.RequestsView),
    api(f"{V1}/requests/merged", notification_policy.RequestsMergedView),
    api(f"{V1}/requests/accept", notification_policy.RequestsAcceptView),
    api(f"{V1}/requests/dismiss", notification_policy.RequestsDismissView),
    api(f"{V1}/requests/<str:request_id>", notification_policy.RequestView),
    api(f"{V1}/requests/<str:request_id>/accept", notification_policy.RequestAcceptView),
    api(f"{V1}/requests/<str:request_id>/dismiss", notification_policy.RequestDismissView),
    api(f"{V1}/<str:notification_id>", notifications.NotificationView),
    api(f"{V1}/<str:notification_id>/dismiss", notifications.NotificationDismissView),
    api(f"{V2}", notification_groups.GroupedNotificationsView),
    api(f"{V2}/policy", notification_policy.PolicyView),
    api(f"{V2}/unread_count", notification_groups.GroupedUnreadCountView),
    api(f"{V2}/<str:group_key>", notification_groups.NotificationGroupView),
    api(f"{V2}/<str:group_key>/dismiss", notification_groups.NotificationGroupDismissView),
    api(f"{V2}/<str:group_key>/accounts", notification_groups.NotificationGroupAccountsView),
    api("api/v1/markers", markers.MarkersView),
    api("api/v1/push/subscription", push.PushSubscriptionView),
    api("api/v1/conversations", conversations.ConversationsView),
    api("api/v1/conversations/<str:conversation_id>", conversations.ConversationView),
    api("api/v1/conversations/<str:conversation_id>/read", conversations.ConversationReadView),
    api("api/v1/bookmarks", collections.BookmarksView),
    api("api/v1/favourites", collections.FavouritesView),
    api("api/v1/preferences", PreferencesView),
)
