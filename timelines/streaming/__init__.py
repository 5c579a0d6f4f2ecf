"""Mastodon's streaming API: events published on Redis pub/sub by the services (publish.py)
and served over WebSocket and Server-Sent Events by the ASGI application (asgi.py)."""
