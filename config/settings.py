"""One settings module, driven by environment variables.

With nothing set it runs the laptop demo: SQLite and the in-memory channel
layer in a single ASGI process. DATABASE_URL and REDIS_URL switch to
PostgreSQL and Redis; production differs only by environment.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-demo-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "simple_history",
    "axes",
    "django_prose_editor",
    # One-way dependencies: streams <- results <- liveblog <- demo (docs/architecture.md).
    "streams",
    "results",
    "liveblog",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "streams.health.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # NUL bytes and ids that cannot exist get a 400 here rather than a server error from the database.
    "streams.odd_input.OddInputMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "liveblog.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "streams.context_processors.live",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# A process whose database is away must fail a request in seconds, not hang it for psycopg's
# default 30: the load balancer then sends it to another process (deploy/nginx.conf).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
# Under ASGI a connection per request is the slowest part of a cached page, so
# PostgreSQL uses psycopg's pool (persistent connections are not safe there).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "8")),
        # How long a request waits for a pooled connection before the database counts as away (503).
        "timeout": DATABASE_POOL_TIMEOUT,
    }
# The embedded default is where newsrooms try the product first: concurrent writers must
# queue, not fail with "database is locked". WAL lets readers read while one writes;
# IMMEDIATE transactions take the write lock up front, where the busy timeout waits for it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", "transaction_mode": "IMMEDIATE",
         "timeout": 30}
    )  # fmt: skip
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# A frozen Redis (not stopped, so connections hang rather than fail) costs each call at most
# this long, after which publishing and pages carry on as they do with Redis down.
REDIS_TIMEOUTS = {
    "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT_SECONDS", "1")),
    "socket_timeout": float(os.environ.get("REDIS_SOCKET_TIMEOUT_SECONDS", "1")),
}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, **REDIS_TIMEOUTS}]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_TIMEOUTS,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG

# Admin logins: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind DJANGO_PROXY_COUNT proxies, each appending the address it saw to
# X-Forwarded-For, the client is that many entries from the right (streams/clients.py).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "streams.clients.request_client_address"
# Load balancers check /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# History is shown to editors; restoring goes through the services, not a raw revert.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Everything goes to the server's stderr, where the process manager collects it. Every
# server error is written with its traceback, in production too (Django's own default
# shows them only while debugging).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        **{app: {"handlers": ["stderr"], "level": "INFO"} for app in ("streams", "results", "liveblog")},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.channels.server": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}

# Results feeds (watch_results): the whole fetch of a feed URL must end within this many seconds,
# and a file or answer larger than this is refused unread.
RESULTS_FEED_TIMEOUT = float(os.environ.get("RESULTS_FEED_TIMEOUT", "10"))
RESULTS_FEED_MAX_BYTES = 2**20 * int(os.environ.get("RESULTS_FEED_MAX_MB", "20"))

# Live blog behaviour.
LIVEBLOG_PAGE_SIZE = 20
# The Key events box lists the newest this many, then links to the blog's page of them all.
LIVEBLOG_KEY_EVENTS_SHOWN = int(os.environ.get("LIVEBLOG_KEY_EVENTS_SHOWN", "20"))
# The engine (streams/): how often each process tells its readers the latest seq, how many
# recent frames it keeps for resumes, and how far a slow reader may fall behind.
LIVEBLOG_HEARTBEAT_SECONDS = float(os.environ.get("LIVEBLOG_HEARTBEAT_SECONDS", "10"))
LIVEBLOG_REPLAY_WINDOW = int(os.environ.get("LIVEBLOG_REPLAY_WINDOW", "500"))
# Rendered reader pages are cached by stream seq; off only to measure rendering.
LIVEBLOG_PAGE_CACHE = env_bool("LIVEBLOG_PAGE_CACHE", True)
# Compile templates and connect the database and channel layer at start-up (streams.warm).
LIVEBLOG_WARM_START = env_bool("LIVEBLOG_WARM_START", True)
# Reader sockets one client address may hold open on one server process; 0 for no cap.
# Generous: a newsroom, an office or a mobile network can put many readers behind one address.
LIVEBLOG_SOCKETS_PER_ADDRESS = int(os.environ.get("LIVEBLOG_SOCKETS_PER_ADDRESS", "1000"))
# Uploaded pictures: refused above this size or pixel count before anything decodes them.
LIVEBLOG_UPLOAD_MAX_BYTES = 2**20 * int(os.environ.get("LIVEBLOG_UPLOAD_MAX_MB", "15"))
LIVEBLOG_UPLOAD_MAX_PIXELS = int(os.environ.get("LIVEBLOG_UPLOAD_MAX_PIXELS", str(40_000_000)))
# PNG, WebP and GIF pictures must be decoded whole (a JPEG is decoded reduced), so they have a lower cap.
LIVEBLOG_UPLOAD_MAX_WHOLE_PIXELS = int(os.environ.get("LIVEBLOG_UPLOAD_MAX_WHOLE_PIXELS", str(16_000_000)))
# How often each server process publishes scheduled posts whose time has come.
LIVEBLOG_SCHEDULE_CHECK_SECONDS = float(os.environ.get("LIVEBLOG_SCHEDULE_CHECK_SECONDS", "2"))
# Posts a minute each publishing-API token may make; 0 for no limit.
LIVEBLOG_API_RATE_PER_MINUTE = int(os.environ.get("LIVEBLOG_API_RATE_PER_MINUTE", "120"))
# Garbage-collection pauses longer than this are logged as warnings (streams.gc_pauses); a file
# named by LIVEBLOG_GC_REPORT receives the process's pause figures every second (benchmarks).
LIVEBLOG_GC_WARN_MS = float(os.environ.get("LIVEBLOG_GC_WARN_MS", "100"))
LIVEBLOG_GC_REPORT = os.environ.get("LIVEBLOG_GC_REPORT", "")
LIVEBLOG_GC_THRESHOLDS = tuple(int(n) for n in os.environ.get("LIVEBLOG_GC_THRESHOLDS", "5000,10,100").split(","))
# Pages kept in each server process's memory (streams.memory), all together.
STREAMS_PAGES_MAX_BYTES = 2**20 * int(os.environ.get("STREAMS_PAGES_MAX_MB", "64"))
# Unsent bytes a slow reader may fall behind by before it is cut off to resume from the database.
LIVEBLOG_SOCKET_BACKLOG_BYTES = 1024 * int(os.environ.get("LIVEBLOG_SOCKET_BACKLOG_KB", "256"))
