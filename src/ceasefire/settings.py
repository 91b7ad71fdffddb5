"""Settings, all from the environment (CEASEFIRE_*), strict in production.

Production (CEASEFIRE_DEBUG unset or false) refuses to start without a real secret key: a mechanism whose
sessions can be forged cannot keep anyone's records apart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str | None = None) -> str | None:
    """Read CEASEFIRE_<name>, or the file named by CEASEFIRE_<name>_FILE (for secrets)."""
    path = os.environ.get(f"CEASEFIRE_{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(f"CEASEFIRE_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG")
TESTING = env_bool("TESTING")
DATA_DIR = Path(env("DATA_DIR", "./var") or "./var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
SITE_NAME = env("SITE_NAME", "ceasefire.example") or "ceasefire.example"

_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY and env_bool("STANDALONE"):
    # A witness or an offline check signs nothing that outlives the process: a random key is right for it.
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "CEASEFIRE_SECRET_KEY (or CEASEFIRE_SECRET_KEY_FILE) must be set in production; "
            "set CEASEFIRE_DEBUG=true only for development."
        )
    SECRET_KEY = _INSECURE_KEY
elif SECRET_KEY == _INSECURE_KEY and not DEBUG:
    raise ImproperlyConfigured("CEASEFIRE_SECRET_KEY is the public development key; set a real one.")

ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS", "") or "").split(",") if h.strip()]
if DEBUG or TESTING:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "ninja",  # Swagger UI as static files, so the API docs work offline (api/docs.py)
    "ceasefire.core",
    "ceasefire.ledger",
    "ceasefire.agreements",
    "ceasefire.geo",
    "ceasefire.incidents",
    "ceasefire.border",
    "ceasefire.ingest",
    "ceasefire.verification",
    "ceasefire.intel",
    "ceasefire.analytics",
    "ceasefire.reports",
    "ceasefire.api",
    "ceasefire.web",
]

MIDDLEWARE = [
    "ceasefire.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ceasefire.core.middleware.MembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ceasefire.urls"
WSGI_APPLICATION = "ceasefire.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ceasefire.web.context.mechanism",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'ceasefire.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60") or 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN so two writers
    # queue instead of failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else DATABASES["default"]["CONN_MAX_AGE"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # A file cache is shared by every server worker on the machine, so the login rate limit holds across them.
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notification e-mails: to the console (the demo's log) unless CEASEFIRE_SMTP_HOST names a server.
_SMTP_HOST = env("SMTP_HOST")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _SMTP_HOST,
                "port": int(env("SMTP_PORT") or "587"),
                "username": env("SMTP_USER") or "",
                "password": env("SMTP_PASSWORD") or "",
                "use_tls": env_bool("SMTP_TLS", True),
            },
        }
        if _SMTP_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL") or "ceasefire@localhost"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
LOGIN_RATE_LIMIT = int(env("LOGIN_RATE_LIMIT", "10") or 10)  # failed attempts per user and address per 15 min

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ps", "پښتو"),
    ("fa", "دری"),
    ("ur", "اردو"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
]
# Django's default right-to-left list lacks Pashto.
LANGUAGES_BIDI = ["ar", "fa", "ps", "ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise reads it at start-up; `serve` fills it with collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

EVIDENCE_DIR = Path(env("EVIDENCE_DIR") or DATA_DIR / "evidence")
EVIDENCE_MAX_BYTES = int(env("EVIDENCE_MAX_BYTES", str(100 * 1024 * 1024)) or 0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Optional raster tiles behind the bundled outlines; empty means the map works fully offline.
MAP_TILE_URL = env("MAP_TILE_URL", "") or ""

# Content Security Policy, Django's own: no inline script, nothing from other hosts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"] + ([MAP_TILE_URL.split("/{")[0]] if MAP_TILE_URL else []),
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_secure = not (DEBUG or TESTING) and not env_bool("INSECURE_HTTP")
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
if _secure:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
CSRF_TRUSTED_ORIGINS = [o for o in (env("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ceasefire.core.requestid.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO") or "INFO"},
}
