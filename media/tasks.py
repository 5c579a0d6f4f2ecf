"""Media work on the `media` queue: converting uploads, fetching remote media, cleaning up."""

from celery import shared_task

from media.services.cleanup import do_purge_remote_media_cache, do_remove_unattached_media
from media.services.processing import do_process_media
from media.services.remote import (
    do_cache_remote_emoji,
    do_cache_remote_profile_image,
    do_fetch_remote_media,
)


@shared_task(queue="media")
def process_media(media_id: int) -> None:
    do_process_media(media_id=media_id)


@shared_task(queue="media")
def remove_unattached_media() -> int:
    return do_remove_unattached_media()


@shared_task(queue="media")
def purge_remote_media_cache() -> int:
    return do_purge_remote_media_cache()


@shared_task(queue="media")
def fetch_remote_media(media_id: int) -> bool:
    return do_fetch_remote_media(media_id=media_id)


@shared_task(queue="media")
def cache_remote_profile_image(account_id: int, kind: str, url: str) -> bool:
    return do_cache_remote_profile_image(account_id=account_id, kind=kind, url=url)


@shared_task(queue="media")
def cache_remote_emoji(emoji_id: int) -> bool:
    return do_cache_remote_emoji(emoji_id=emoji_id)
