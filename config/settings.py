"""Settings for the Learning City platform, read from the environment only.

Every value that differs between a laptop, CI and production comes from an environment variable;
the defaults are those of the embedded demo (SQLite, console mail), with DEBUG off unless DEBUG=1, so SECRET_KEY
must be set (the tests, TESTING, use a development key).
"""

import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "insecure-development-key-change-me"  # noqa: S105 - only used when DEBUG is on
TESTING = "pytest" in sys.modules or env_bool("TESTING", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEV_SECRET if DEBUG or TESTING else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
# Private uploads (evidence, competition entries) leave through a view that checks permission; with this set
# (production: "/_private_media/", an `internal` nginx location aliased to MEDIA_ROOT) the view answers with
# X-Accel-Redirect and nginx sends the file; empty (development, tests), Django streams it. core/private_files.py
PRIVATE_MEDIA_ACCEL_REDIRECT = os.environ.get("PRIVATE_MEDIA_ACCEL_REDIRECT", "")
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_URL = "/static/"

INSTALLED_APPS = [
    "learningcity.core",  # first, so its templates (login, password reset) win over the admin's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "learningcity.places",
    "learningcity.programmes",
    "learningcity.analytics",
    "learningcity.competitions",
    "learningcity.library",
    "learningcity.budget",
    "learningcity.reporting",
    "learningcity.network",
    "learningcity.conferences",
    "learningcity.fieldwork",
    "learningcity.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "learningcity.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # ETag on every non-streamed GET answer (GeoJSON, calendars, exports, pages): 304 when it has not changed.
    "django.middleware.http.ConditionalGetMiddleware",
    # Below the language (part of its key), above everything that renders (core/middleware.py).
    "learningcity.core.middleware.PublicPageCacheMiddleware",
    "learningcity.core.middleware.AnonymousGZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "learningcity.ops.middleware.DiskFullMiddleware",
    "learningcity.core.middleware.ObjectNotFoundMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learningcity.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'learningcity.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked" upgrades.
    # Connections persist (DB_CONN_MAX_AGE, as on PostgreSQL): one per gunicorn thread, opened with its PRAGMAs once
    # (Django runs init_command only when it opens a connection), not per request; CONN_HEALTH_CHECKS replaces one
    # that broke. Safe with WAL because every request runs in autocommit and ends its transaction, so a kept
    # connection holds no read snapshot that would stop checkpoints.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "learningcity.core.auth_backends.ModelBackend",  # Django's, the session's person read by a fixed query
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: the 10th wrong password in a row locks the account (username) for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Languages: Vietnamese first (the default), English for the network.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "lc_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEBUG or TESTING))
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_CITY_TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not (DEBUG or TESTING))
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Request limits: oversize bodies are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# API lists: a client may ask for at most this many rows at once (?limit=).
NINJA_PAGINATION_MAX_LIMIT = 1000
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
# PDFs: the Noto fonts of the region's scripts (Thai, Lao, Khmer, Tai Viet; Debian's fonts-noto-core), and the
# most an e-mail to a delegate may carry as attached documents (badge, visa letter, certificate; bytes).
PDF_FONT_DIR = os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/noto")
CONFERENCE_MAIL_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("CONFERENCE_MAIL_MAX_ATTACHMENT_BYTES", str(2 * 1024 * 1024))
)

# Security. Behind a TLS proxy in production; plain HTTP on 127.0.0.1 in the demo.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not (DEBUG or TESTING))
# Database sessions whose lookup is compiled once per process (core.sessions, issue 17).
SESSION_ENGINE = "learningcity.core.sessions"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script, no third-party origin: every asset is served by the app.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data: {os.environ.get('MAP_TILE_ORIGIN', '')}".strip(),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Mail: console in the demo, SMTP in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "learningcity@localhost")

# Background work: django-tasks with its database backend (no broker needed).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Maps: a tile server is optional; markers and area centres show without one.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

# Privacy: counts below this are shown as "<N" in anything public.
SMALL_CELL_THRESHOLD = int(os.environ.get("SMALL_CELL_THRESHOLD", "5"))
# Public figures are recomputed at most this often per process (seconds; never more than 5, the freshness promise;
# 0 computes every time, as the tests do unless they test this). See learningcity/core/freshness.py.
PUBLIC_FIGURES_MAX_AGE = min(5.0, float(os.environ.get("PUBLIC_FIGURES_MAX_AGE", "0" if TESTING else "3")))
# Staff figures and lists stay live: a computed staff dashboard, a back-office list or an API list is kept per process
# only until the next write committed to the database (core.changes), and never longer than this many seconds (for
# writes made outside the application; 0 computes every time, as the tests do unless they test this). See
# core.freshness.live.
LIVE_VALUES_MAX_AGE = float(os.environ.get("LIVE_VALUES_MAX_AGE", "0" if TESTING else "60"))

# Anonymous pages are served from the "pages" cache for at most this many seconds (the same promise; 0 turns it
# off, as in the tests unless they test it). Local memory per process by default; PAGE_CACHE_BACKEND and
# PAGE_CACHE_LOCATION choose another (e.g. django.core.cache.backends.filebased.FileBasedCache and a folder, shared
# by every worker of the node). See core.middleware.PublicPageCacheMiddleware.
PUBLIC_PAGE_MAX_AGE = min(5.0, float(os.environ.get("PUBLIC_PAGE_MAX_AGE", "0" if TESTING else "3")))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lc-default"},
    "pages": {
        "BACKEND": os.environ.get("PAGE_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("PAGE_CACHE_LOCATION", "lc-pages"),
        "TIMEOUT": 5,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_ENTRIES", "500"))},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Lock by account, not by address: whole hamlets share one community-centre connection, and a lockout by
# address would shut out every neighbour. Password guessing against one account is stopped all the same.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
