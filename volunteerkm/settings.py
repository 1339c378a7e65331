"""Settings for volunteer-km. Everything that differs between machines comes from the environment."""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # A per-installation key kept under var/, so a fresh machine needs no configuration
    # and the key survives restarts (sessions and signed tokens stay valid).
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import tempfile

        from django.core.management.utils import get_random_secret_key

        # Written aside and linked into place: a process starting meanwhile reads the
        # whole key or none, and the first key made is the one kept.
        with tempfile.NamedTemporaryFile("w", dir=VAR_DIR, delete=False) as new_key:
            new_key.write(get_random_secret_key())
        try:
            os.link(new_key.name, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(new_key.name)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Share links, share cards and QR codes of pages use SITE_URL only where it is set;
# otherwise the host the request came to (a training room's own address).
SITE_URL_SET = bool(os.environ.get("SITE_URL"))

INSTALLED_APPS = [
    # First: its templates draw the admin's change history with dates in the Buddhist Era, and
    # before simple_history, whose history list it draws too (volunteerkm/templates).
    "volunteerkm",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "django_htmx",
    # django-ninja serves the API docs (Swagger UI) from its own static files, not a CDN.
    "ninja",
    "volunteerkm.appnames.LoginLockouts",  # django-axes, named in Thai
    "django_ratelimit",
    "django_tasks",
    "volunteerkm.appnames.BackgroundTasks",  # django-tasks-db, named in Thai
    "accounts",
    "knowledge",
    "search",
    "assessments",
    "reports",
    "health_check",  # after volunteerkm, whose health_check/index.html (in Thai) takes precedence
    "privacy",
    "outreach",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for phones on slow links (whitenoise already serves static files
    # precompressed); Django's GZip middleware pads its output against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "volunteerkm.ratelimits.RateLimitMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "volunteerkm.urls"
WSGI_APPLICATION = "volunteerkm.wsgi.application"

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
                "volunteerkm.context.site",
                "outreach.context.line",
                "workspace.context.workspace",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'volunteerkm.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE avoids lock upgrades
    # that would fail under concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Each worker keeps its connection: opening one costs more than a short request
    # (SQLite re-reads the schema and Django registers its functions on every connect).
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    # A file, not memory, so that the real server started by browser tests sees it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test{os.environ.get('TEST_DB_SUFFIX', '')}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_volunteerkm{os.environ.get('TEST_DB_SUFFIX', '')}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"],
                          # several installations (or benchmark runs) may share one Redis
                          "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "")}}
    # Django's own Redis cache increments atomically (INCRBY); django-ratelimit only
    # knows django-redis by name.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    # Without Redis the cache is each process's memory: rate limits are counted per
    # gunicorn worker, so a limit is reached at most WORKERS times later. Set REDIS_URL
    # for counters shared by every process (and every machine).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Rate limits and login lockouts (volunteerkm/ratelimits.py explains the numbers).
# TRUSTED_PROXIES: how many proxies in front of the app append to X-Forwarded-For
# (0: use the peer address; volunteerkm/clientip.py).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
RATELIMIT_IP_META_KEY = "volunteerkm.clientip.client_ip"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
AXES_CLIENT_IP_CALLABLE = "volunteerkm.clientip.client_ip"
# A username is locked from one address after 5 wrong passwords, for 15 minutes; other
# people behind the same NAT, and the same person elsewhere, are not.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "volunteerkm.ratelimits.login_locked_out"
AXES_VERBOSE = False


# PDPA: participants' names, phone numbers and ID hashes are erased this many days after
# they joined (their scores stay, anonymous); 0 keeps them. privacy/retention.py.
PARTICIPANT_RETENTION_DAYS = int(os.environ.get("PARTICIPANT_RETENTION_DAYS", "730"))

# Content Security Policy: scripts, styles, fonts and images only from this site; no
# inline script, and no inline style but the page's own stylesheet, which carries the
# request's nonce (templatetags/pagestyle.py; htmx's own indicator style is switched off in
# base.html); no plug-ins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย")]
# The project's own Thai for what Django's catalogue and django-simple-history lack (the admin).
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# Generated files kept between requests (share cards, posters, the booklet), through
# Django's storage API so that production may put them in object storage.
MEDIA_ROOT = VAR_DIR / "media"
# The largest source document (PDF, infographic) a KM team may attach in the workspace.
WORKSPACE_MAX_UPLOAD_MB = int(os.environ.get("WORKSPACE_MAX_UPLOAD_MB", "20"))

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# Trainers, staff and executives log in on the site's own page (the admin has its own).
LOGIN_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS in production: on by default when DEBUG is off and SITE_URL is https (HTTPS ends at
# the load balancer, which says so in X-Forwarded-Proto); each can be set on its own. On
# plain http (`make run`, a training room's own network) they stay off.
HTTPS = SITE_URL.startswith("https://") and not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # load balancers probe the app over plain http
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if HTTPS else "").strip()
SECURE_PROXY_SSL_HEADER = (f"HTTP_{_proxy_header.upper().replace('-', '_')}", "https") if _proxy_header else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own logger is set to INFO by default; follow LOG_LEVEL (e.g. not a line per 400).
    "loggers": {"django": {"level": os.environ.get("LOG_LEVEL", "WARNING")}},
}

# /health/ fails when the disk holding VAR_DIR is fuller than this (per cent).
HEALTH_DISK_MAX_PERCENT = float(os.environ.get("HEALTH_DISK_MAX_PERCENT", 90))

KM_CONTENT_DIR = Path(os.environ.get("KM_CONTENT_DIR", BASE_DIR / "content"))
# The KM report the home page opens with.
KM_MAIN_REPORT = os.environ.get("KM_MAIN_REPORT", "regulation-2564")

# Background work (exports, data retention, news to LINE followers): django-tasks with its database backend; a
# worker (`volunteerkm db_worker --queue-name '*'`, started by `make run`) runs what the web processes enqueue.
# News to LINE followers has a queue of its own ("line"): LINE's limits and retries never hold
# back a trainer's export, and a worker may be given to each.
# E-mail (the KM workspace's review reminders to each unit's KM team): through the SMTP server
# EMAIL_HOST when one is set, otherwise written to the task worker's output.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "คลังความรู้ อพม. <km@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "line"]}}

# The LINE Official Account (outreach/line/). Without both the secret and the token the
# webhook answers 404 and the site shows no LINE features. LINE_API_BASE lets tests and
# staging point the bot at a local server; uploads (the rich menu image) go to
# LINE_API_DATA_BASE, which follows LINE_API_BASE when only that one is changed.
LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "")
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_API_BASE = os.environ.get("LINE_API_BASE", "https://api.line.me").rstrip("/")
LINE_API_DATA_BASE = os.environ.get(
    "LINE_API_DATA_BASE",
    "https://api-data.line.me" if LINE_API_BASE == "https://api.line.me" else LINE_API_BASE).rstrip("/")
# The account's basic ID (e.g. @123abcde): the site's "add friend" link and QR code.
LINE_BASIC_ID = os.environ.get("LINE_BASIC_ID", "")
