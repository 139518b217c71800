"""Django settings, every value from an environment variable (docs/configuration.md).

A malformed value raises ImproperlyConfigured naming the variable.
"""

from __future__ import annotations

import os
from pathlib import Path

from whitenoise.compress import Compressor

from backcare.config import (
    database,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_timezone,
    secret_key,
)
from backcare.domain.regions import codes as region_codes

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("BACKCARE_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(os.environ, str(DATA_DIR / "secret_key"))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "backcare.accounts",
    "backcare.care",
    "backcare.clinic",
    "backcare.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy on every response; no-store on the pages with health data.
    "backcare.middleware.SecurityHeadersMiddleware",
    # Before anything reads the body: a body that is too large is a 413 page, not a 500.
    "backcare.middleware.RequestSizeMiddleware",
    # A NUL character in a query or form field: a 400 naming the field (PostgreSQL cannot keep one).
    "backcare.middleware.NullCharacterMiddleware",
    # Pages compress to about a sixth; Django's gzip pads each response against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks whether this session has passed its second factor (staff pages require it).
    "django_otp.middleware.OTPMiddleware",
    "backcare.care.middleware.PersonTimezoneMiddleware",
    # Turns a login refused by the address limit into the rate-limited page.
    "backcare.accounts.middleware.RateLimitedLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns locked-out logins into a clear page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "backcare.accounts.throttle.AddressLimitBackend",
    # Sessions made before it named Django's ModelBackend: those people log in once more.
    "backcare.accounts.backends.UserWithRecordBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "backcare.accounts.throttle.axes_username"
AXES_LOCKOUT_CALLABLE = "backcare.accounts.throttle.locked_out"
AXES_CLIENT_IP_CALLABLE = "backcare.accounts.ratelimit.client_address"
# How many proxies in front of backcare each append to X-Forwarded-For (0: none, use the peer).
BACKCARE_TRUSTED_PROXIES = env_int("BACKCARE_TRUSTED_PROXIES", 0)

# Rate limits, counted in the database (every server process shares them): scope -> (requests
# allowed, per this many seconds). Each is per network address, or per e-mail address.
BACKCARE_RATE_LIMITS = {
    # Checks saved without an account, per address (a clinic's shared network needs room).
    "check": (env_int("BACKCARE_CHECKS_PER_HOUR", 20, minimum=1), 3600),
    "reset-address": (env_int("BACKCARE_PASSWORD_RESETS_PER_HOUR", 10, minimum=1), 3600),
    "reset-email": (env_int("BACKCARE_PASSWORD_RESETS_PER_EMAIL_PER_HOUR", 3, minimum=1), 3600),
    # Wrong passwords from one address, for any accounts, while a login lockout lasts: axes
    # stops many tries at one account, this stops one password tried at many.
    "login-address": (
        env_int("BACKCARE_LOGIN_FAILURES_PER_ADDRESS", 20, minimum=1),
        int(AXES_COOLOFF_TIME * 3600),
    ),
}

# The API's requests per minute (docs/api.md): (per network address, per token or login).
BACKCARE_API_RATE_LIMITS = (
    env_int("BACKCARE_API_REQUESTS_PER_ADDRESS", 600, minimum=1),
    env_int("BACKCARE_API_REQUESTS_PER_TOKEN", 300, minimum=1),
)
# Where those requests are counted: `database` (the default: one upsert a request, so every
# server process agrees with no other service) or `redis` at REDIS_URL (no database write per
# request: the many-servers deployment, docs/deployment.md).
BACKCARE_API_COUNTS = env_choice("BACKCARE_API_COUNTS", "DATABASE", ("DATABASE", "REDIS"))

# The API's day checklist, kept in each process under the version of everything it is made
# from (read from the database on every request: see care/queries.py today_version), so a kept
# copy is never stale, whichever server made it. Bounded: the least recent are dropped.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "today": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "today",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},  # about 10 KB each: 20 MB at most a process
    },
}

# No inline scripts or styles and no third-party hosts: every asset is served by backcare itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Forms here are a few KB; a few hundred KB is generous, and refuses floods early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

ROOT_URLCONF = "backcare.urls"
WSGI_APPLICATION = "backcare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backcare" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backcare.lib.context.region",
            ],
        },
    },
]

DATABASES = {
    "default": database(
        env_str("DATABASE_URL", ""),
        sqlite_path=str(DATA_DIR / "backcare.sqlite3"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        pool=env_int("BACKCARE_DB_POOL", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Home sends each person on: a patient to Today (or the check), staff to their queue.
LOGIN_REDIRECT_URL = "home"
OTP_TOTP_ISSUER = "backcare"
# Each wrong code doubles the wait before the next is even checked (1 s, 2 s, 4 s...).
OTP_TOTP_THROTTLE_FACTOR = 1
LOGOUT_REDIRECT_URL = "home"

# Background tasks (booking e-mails, webhooks): see backcare/tasks.py. `database` keeps them in
# backcare's own database (run by `manage.py db_worker`); `rq` puts them on Redis at REDIS_URL.
BACKCARE_TASKS = env_choice("BACKCARE_TASKS", "DATABASE", ("DATABASE", "RQ", "IMMEDIATE"))
TASKS = {
    "default": {
        "BACKEND": {
            "DATABASE": "django_tasks_db.DatabaseBackend",
            "RQ": "django_tasks_rq.RQBackend",
            "IMMEDIATE": "django_tasks.backends.immediate.ImmediateBackend",
        }[BACKCARE_TASKS],
        "QUEUES": ["default"],
    }
}
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
if BACKCARE_TASKS == "RQ":
    INSTALLED_APPS.append("django_rq")  # its worker command, and its pages in the admin
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 120}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "backcare.lib.mail.OutboxBackend")
EMAIL_FILE_PATH = DATA_DIR / "sent-email"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "backcare <noreply@localhost>")

LANGUAGE_CODE = "en-gb"
# The server's zone stays UTC: every date a person sees comes from their own zone.
TIME_ZONE = "UTC"
# For visitors who have not said where they are yet (the check before sign-up).
BACKCARE_DEFAULT_TIMEZONE = env_timezone("BACKCARE_DEFAULT_TIMEZONE", "Europe/London")
# Whose emergency numbers a visitor sees before their clinic or their own choice says otherwise.
BACKCARE_DEFAULT_REGION = env_choice("BACKCARE_DEFAULT_REGION", "AU", region_codes())
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "backcare" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The API docs' Swagger UI, from django-ninja's package (backcare/api/docs.py).
    "backcare.api.docs.SwaggerFinder",
]
# Source maps are for a developer's browser tools only: compressing Swagger UI's 2 MB of them
# made collectstatic four times slower.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Behind HTTPS (set BACKCARE_HTTPS=true in production) cookies and redirects become secure.
HTTPS = env_bool("BACKCARE_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
# Django's database sessions, read with SQL made once per process (accounts/sessions.py).
SESSION_ENGINE = "backcare.accounts.sessions"
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint logs each step of every PDF at INFO ("Step 2 - Fetching and parsing CSS"),
        # three lines at start-up and more per handout; its warnings still show.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
