"""Test settings: the real services (PostgreSQL and Redis on loopback unless the environment
names others), eager Celery with JSON-round-tripped arguments, mail kept in memory."""

import os
import tempfile

os.environ.setdefault(
    "DATABASE_URL",
    os.environ.get("HERD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herd"),
)
os.environ.setdefault(
    "REDIS_URL", os.environ.get("HERD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
)
os.environ.setdefault("HERD_DATA_DIR", tempfile.mkdtemp(prefix="herd-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("FEDIVERSE_DOMAIN", "testserver")

from fediverse.settings import *  # noqa: E402,F403

CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Fast hashing keeps hundreds of sign-ups quick; production uses PBKDF2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Only the rate limit tests turn the API limits on (with the `settings` fixture).
API_RATELIMIT_ENABLE = False
ALLOWED_HOSTS = ["*"]
# Live-server threads must not keep connections open past a test, or the test database
# cannot be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
EMAIL_DNS_CHECK = False  # tests reach no nameserver but the ones they start
PREVIEW_CARDS = False  # the tests of preview cards turn it on, with pages on loopback
