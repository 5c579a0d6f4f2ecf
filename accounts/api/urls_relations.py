from accounts.api import discovery, featured_tags, lists_of_accounts, relations
from fediverse.api.routes import api, flatten

ACCOUNT = "api/v1/accounts/<str:account_id>"

urlpatterns = flatten(
    api(f"{ACCOUNT}/follow", relations.FollowView),
    api(f"{ACCOUNT}/unfollow", relations.UnfollowView),
    api(f"{ACCOUNT}/remove_from_followers", relations.RemoveFromFollowersView),
    api(f"{ACCOUNT}/block", relations.BlockView),
    api(f"{ACCOUNT}/unblock", relations.UnblockView),
    api(f"{ACCOUNT}/mute", relations.MuteView),
    api(f"{ACCOUNT}/unmute", relations.UnmuteView),
    api(f"{ACCOUNT}/note", relations.NoteView),
    # /pin and /unpin are Mastodon's older names for /endorse and /unendorse.
    api(f"{ACCOUNT}/pin", relations.EndorseView),
    api(f"{ACCOUNT}/unpin", relations.UnendorseView),
    api(f"{ACCOUNT}/endorse", relations.EndorseView),
    api(f"{ACCOUNT}/unendorse", relations.UnendorseView),
    api(f"{ACCOUNT}/followers", lists_of_accounts.FollowersView),
    api(f"{ACCOUNT}/following", lists_of_accounts.FollowingView),
    api(f"{ACCOUNT}/lists", lists_of_accounts.AccountListsView),
    api(f"{ACCOUNT}/featured_tags", featured_tags.AccountFeaturedTagsView),
    api("api/v1/follow_requests", lists_of_accounts.FollowRequestsView),
    api("api/v1/follow_requests/<str:account_id>/authorize", relations.AuthorizeFollowRequestView),
    api("api/v1/follow_requests/<str:account_id>/reject", relations.RejectFollowRequestView),
    api("api/v1/blocks", lists_of_accounts.BlocksView),
    api("api/v1/mutes", lists_of_accounts.MutesView),
    api("api/v1/domain_blocks", lists_of_accounts.DomainBlocksView),
    api("api/v1/endorsements", lists_of_accounts.EndorsementsView),
    api("api/v1/suggestions", discovery.SuggestionsView),
    api("api/v1/suggestions/<str:account_id>", discovery.SuggestionView),
    api("api/v2/suggestions", discovery.SuggestionsV2View),
    api("api/v2/suggestions/<str:account_id>", discovery.SuggestionView),
    api("api/v1/directory", discovery.DirectoryView),
    api("api/v1/featured_tags", featured_tags.FeaturedTagsView),
    api("api/v1/featured_tags/suggestions", featured_tags.FeaturedTagSuggestionsView),
    api("api/v1/featured_tags/<str:featured_tag_id>", featured_tags.FeaturedTagView),
)
