"""One ASGI application for the web pages, the API and the streaming API (WebSocket and
Server-Sent Events under /api/v1/streaming)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fediverse.settings")
django_application = get_asgi_application()

from timelines.api.home_shortcut import HomeShortcut  # noqa: E402  (needs Django set up)
from timelines.streaming.asgi import StreamingRouter  # noqa: E402

application = StreamingRouter(HomeShortcut(django_application))
