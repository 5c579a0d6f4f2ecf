"""The pictures of link preview cards: fetched through the outbound client, checked and
scaled down as any image is (format from the bytes, pixel limits read from the header before
decoding, metadata dropped), with a blurhash, and stored here under a random name."""

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from media import storage
from media.processing import images
from media.processing.errors import MediaRejected
from media.processing.sniff import Family
from media.services.remote import NotCached, download
from media.services.uploads import MEGABYTE

logger = logging.getLogger(__name__)
CARD_IMAGE_LIMIT = 2 * MEGABYTE
CARD_IMAGES = "preview_cards"


@dataclass(frozen=True)
class CardImage:
    name: str
    width: int
    height: int
    blurhash: str


def cache_card_image(url: str) -> CardImage | None:
    """None when the picture cannot be had or is not one we take; the card goes without."""
    with tempfile.TemporaryDirectory(prefix="herd-card-") as folder:
        source = Path(folder) / "source"
        try:
            if download(url, CARD_IMAGE_LIMIT, source) is not Family.IMAGE:
                raise NotCached(f"{url} is not an image")
            images.read_header(source)
            small, blurhash = images.preview(images.decode(source))
        except (NotCached, MediaRejected) as error:
            logger.info("card image %s not cached: %s", url, error)
            return None
    name = storage.save_bytes(CARD_IMAGES, small.extension, small.data)
    return CardImage(name, small.width, small.height, blurhash)
