"""Settings for Herd. Every value that differs between machines comes from the environment;
the defaults run a single-machine instance (see the README's configuration table)."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from corsheaders.defaults import default_headers

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HERD_DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY_FILE = DATA_DIR / "secret_key"


def load_secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    # A single-machine instance keeps a generated key so that sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if not SECRET_KEY_FILE.exists():
        import secrets

        SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50))
        SECRET_KEY_FILE.chmod(0o600)
    return SECRET_KEY_FILE.read_text().strip()


SECRET_KEY = load_secret_key()
DEBUG = env_bool("DEBUG", False)
# Web Push's signing key (fediverse.vapid); unset, it is derived from SECRET_KEY.
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")

FEDIVERSE_DOMAIN = os.environ.get("FEDIVERSE_DOMAIN", "localhost:8000")
FEDIVERSE_HTTPS = env_bool("FEDIVERSE_HTTPS", False)
FEDIVERSE_SCHEME = "https" if FEDIVERSE_HTTPS else "http"
FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = env_list("FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES")
# Require HTTP signatures on ActivityPub GETs (Mastodon's secure mode).
AUTHORIZED_FETCH = env_bool("AUTHORIZED_FETCH", False)
HERD_VERSION = "0.1.0"
# Where users get this server's source code, shown by the instance API (AGPL).
SOURCE_URL = os.environ.get("SOURCE_URL", "")
MASTODON_API_VERSION = "4.3.0"

_host = FEDIVERSE_DOMAIN.split(":")[0]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [_host, "localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = [f"{FEDIVERSE_SCHEME}://{FEDIVERSE_DOMAIN}"] + env_list(
    "CSRF_TRUSTED_ORIGINS"
)
if FEDIVERSE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "oauth2_provider",
    "corsheaders",
    "fediverse",
    "accounts",
    "timelines",
    "federation",
    "moderation",
    "media",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "fediverse.api.ratelimit.RateLimitMiddleware",
    "moderation.middleware.LoginActivityMiddleware",
    "timelines.middleware.LastActiveMiddleware",
]

ROOT_URLCONF = "fediverse.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fediverse.context_processors.instance",
            ],
        },
    },
]
WSGI_APPLICATION = "fediverse.wsgi.application"
ASGI_APPLICATION = "fediverse.asgi.application"

# PostgreSQL in production; an SQLite file under var/ when DATABASE_URL is unset.
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    # Under ASGI every request runs in a thread of its own, so a persistent connection per
    # thread is never reused: each request would open one. A pool per process is reused.
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "10"))
    if DATABASE_POOL_SIZE > 0 and "postgresql" in DATABASES["default"]["ENGINE"]:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DATABASE_POOL_SIZE,
        }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "herd.sqlite3"),
            "OPTIONS": {
                # Web, worker and beat share the file: WAL lets readers and a writer overlap.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# The statements of a home timeline request are prepared on each connection (fediverse.prepared);
# off for a pooler that moves sessions between connections (PgBouncer in transaction mode).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cache",
        }
    }
else:
    # Commands run outside the start command have no Redis; they only need a local cache.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sign-up email domains are looked up in DNS: a domain with no mail server is refused, and
# one whose mail servers are on the email domain block list is blocked like the listed ones.
EMAIL_DNS_CHECK = env_bool("EMAIL_DNS_CHECK", True)
EMAIL_DNS_NAMESERVERS = env_list("EMAIL_DNS_NAMESERVERS")
EMAIL_DNS_TIMEOUT = float(os.environ.get("EMAIL_DNS_TIMEOUT", "5"))
# Links in posts get a preview card read from the page they point to, unless the admin turns
# it off in the instance settings; this turns it off for the whole deployment.
PREVIEW_CARDS = env_bool("PREVIEW_CARDS", True)
# Streaming API: how often every streaming token is re-validated (a revoked token, a deleted
# app or a suspended account is disconnected within this time), and the SSE heartbeat period.
STREAMING_RECHECK_SECONDS = float(os.environ.get("STREAMING_RECHECK_SECONDS", "5"))
STREAMING_HEARTBEAT_SECONDS = float(os.environ.get("STREAMING_HEARTBEAT_SECONDS", "15"))
# The home timeline is answered without Django's request cycle when the request is the
# common case (timelines.api.home_shortcut); off, every request goes through the view.
HOME_SHORTCUT = env_bool("HOME_SHORTCUT", True)
# Where apps open streams, as Mastodon's STREAMING_API_BASE_URL; unset means this server
# (ws:// or wss:// and FEDIVERSE_DOMAIN), which serves the streaming API itself.
STREAMING_API_BASE_URL = os.environ.get("STREAMING_API_BASE_URL", "").rstrip("/")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailOrUsernameBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "/auth/sign_in"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
PASSWORD_RESET_TIMEOUT = 60 * 60 * 6

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
MEDIA_URL = "/system/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Media files live on the local filesystem under MEDIA_ROOT, or in any S3-compatible bucket
# when S3_BUCKET is set (through django-storages). Their names are random; objects are public.
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
            "custom_domain": os.environ.get("S3_ALIAS_HOST") or None,
            "default_acl": os.environ.get("S3_PERMISSION", "public-read") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=315576000, immutable"},
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
WHITENOISE_USE_FINDERS = True

# Email: printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("SMTP_SERVER", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SMTP_LOGIN", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("SMTP_STARTTLS", True)
    EMAIL_USE_SSL = env_bool("SMTP_TLS", False)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
DEFAULT_FROM_EMAIL = os.environ.get("SMTP_FROM_ADDRESS", f"notifications@{_host}")

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "fediverse.views.rate_limited"
# Sign-up and login attempts allowed per IP address, as Mastodon's Rack::Attack does.
SIGN_UP_RATE = os.environ.get("SIGN_UP_RATE", "25/5m")
LOGIN_RATE = os.environ.get("LOGIN_RATE", "25/5m")
# The API's limits, Mastodon's defaults: "requests/period" with the period in s, m, h or d.
# Counters live in the cache (Redis), shared by every process. Addresses in the safelist
# are never limited; none by default, since a proxy may pass on a forged loopback address.
# Home and list feeds in Redis (timelines/feeds.py): entries kept per feed, and how long
# after their last visit users stop receiving fan-out (their feed is rebuilt when they return).
FEED_MAX_SIZE = int(os.environ.get("FEED_MAX_SIZE", "800"))
FEED_INACTIVE_DAYS = int(os.environ.get("FEED_INACTIVE_DAYS", "7"))

API_RATELIMIT_ENABLE = env_bool("API_RATELIMIT_ENABLE", True)
API_RATELIMIT_SAFELIST = env_list("API_RATELIMIT_SAFELIST")
API_RATELIMITS = {
    key: os.environ.get(f"API_RATELIMIT_{key.upper()}", default)
    for key, default in {
        "per_account": "1500/5m", "per_token": "300/5m", "anonymous": "300/5m",
        "sign_up": "5/30m", "media": "30/30m", "delete": "30/30m", "paging": "300/15m",
        "statuses": "300/3h", "follows": "400/24h", "reports": "400/24h",
    }.items()
}  # fmt: skip

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "fediverse.api.parsers.JSONParser",
        "fediverse.api.parsers.FormParser",
        "fediverse.api.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": ["fediverse.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "EXCEPTION_HANDLER": "fediverse.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": None,
}

# OAuth 2 with Mastodon's semantics: apps register their own scopes and redirect URIs, and
# tokens do not expire (they stop working when revoked).
OAUTH2_PROVIDER_APPLICATION_MODEL = "accounts.OAuthApplication"
# Named so that models pointing at tokens (push subscriptions) get a swappable dependency.
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "accounts.oauth.scopes_backend.ApplicationScopes",
    "OAUTH2_VALIDATOR_CLASS": "accounts.oauth.validator.Validator",
    "OAUTH2_BACKEND_CLASS": "accounts.oauth.backend.FormOrJSONOAuthLibCore",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 100 * 365 * 24 * 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 600,
    "PKCE_REQUIRED": False,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "REQUEST_APPROVAL_PROMPT": "auto",
}

CORS_URLS_REGEX = r"^/(api/.*|oauth/token|oauth/revoke|oauth/userinfo|\.well-known/.*|nodeinfo/.*)$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_EXPOSE_HEADERS = ["Link", "X-RateLimit-Reset", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                       "X-Request-Id", "Idempotency-Key"]  # fmt: skip
CORS_ALLOW_HEADERS = [*default_headers, "idempotency-key"]
CORS_ALLOW_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Email is unique case-insensitively by a database constraint, which this check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
