"""Settings for 共济通. Every external value comes from the environment (core.env)."""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# A development key exists only with DEBUG on; production must supply its own.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-in-production" if DEBUG else None)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "core.axes_app.AxesConfig",  # django-axes, with a Chinese name in the admin
    "django_tasks_db",
    "core",
    "registry",
    "ledger",
    "accounts",
    "audit",
    "notifications",
    "sharing",
    "hall",
    "family",
    "selfcheck",
    "guide",
    "settlement",
    "spending",
    "officials",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, letting the backend take the user read with the session row (accounts/sessions.py).
    "accounts.sessions.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.ElderModeMiddleware",
    # Last, so that a throttled login is answered before the view runs.
    "axes.middleware.AxesMiddleware",
    # Last, so that its process_exception runs first: a database outage answers 503, not 500.
    "core.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "core.context_processors.portal",
                "sharing.context_processors.nav_counts",
            ],
            # `{% load i18n %}` everywhere: Django's library with constant `{% translate %}` remembered per catalogue
            # (docs/pages-templates.md); `{% load static %}`: Django's with each URL remembered per storage.
            "libraries": {"i18n": "core.templatetags.i18n_memo", "static": "core.templatetags.static_memo"},
            # `|date:"Y-m-d"`, `{% now %}` and `{% url %}` for less CPU, the same output
            # (core/templatetags/fast_builtins.py).
            "builtins": ["core.templatetags.fast_builtins"],
        },
    },
]
# Django warns when a library name has two modules; `i18n` and `static` above have on purpose. core.W003 is the same
# warning for every other name (core/templatetags/i18n_memo.py).
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# Database: always PostgreSQL. `make run`/`make test` set DATABASE_URL to the
# embedded server when the caller did not. Persistent connections: opening a
# connection per request more than halves a page's throughput on 2 cores.
# Two roles (core/db_roles.py): DATABASE_URL is the runtime role that serves; DATABASE_OWNER_URL, when given,
# is the owner that `manage.py migrate` connects as (DJANGO_DB_AS_OWNER=1) and that grants the runtime role.
_RUNTIME_URL = env_str("DATABASE_URL")
_OWNER_URL = env_str("DATABASE_OWNER_URL", "")
DATABASE_RUNTIME_ROLE = dj_database_url.parse(_RUNTIME_URL).get("USER", "") if _OWNER_URL else ""
DATABASES = {
    "default": dj_database_url.parse(
        _OWNER_URL if _OWNER_URL and env_bool("DJANGO_DB_AS_OWNER", False) else _RUNTIME_URL,
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        # No health check: it is a `SELECT 1` round trip (and a commit) before every request's first query. A
        # connection the server dropped fails that request with a 503 (core.unavailable: the API client retries
        # with the same request_id) and Django closes it at the end of the request (docs/settle-fast.md).
        conn_health_checks=env_bool("DJANGO_CONN_HEALTH_CHECKS", False),
    )
}
# A frozen database must not pin every worker: bounded connect and statement time (docs/perf-first.md).
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5))
if env_int("DJANGO_DB_STATEMENT_TIMEOUT_MS", 30000) and not env_bool("DJANGO_DB_AS_OWNER", False):  # not for migrate
    DATABASES["default"]["OPTIONS"]["options"] = (
        DATABASES["default"]["OPTIONS"].get("options", "")
        + f" -c statement_timeout={env_int('DJANGO_DB_STATEMENT_TIMEOUT_MS', 30000)}"
    ).strip()
# Server-side prepared statements (docs/settle-fast.md): the settlement's fixed hot-path statements run through
# core.sql.fast_cursor (server-side binding); psycopg prepares such a statement the N-th time a connection runs it,
# and PostgreSQL skips parsing and planning afterwards. The ORM keeps client-side binding (nothing else is
# prepared). Behind a pooler in transaction mode that does not keep prepared statements (pgbouncer < 1.21), set
# DJANGO_DB_PREPARE_THRESHOLD=-1: the same statements then run unprepared.
if env_int("DJANGO_DB_PREPARE_THRESHOLD", 1) >= 0:
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env_int("DJANGO_DB_PREPARE_THRESHOLD", 1)
    # PostgreSQL re-plans a prepared statement at every run when it guesses a custom plan is cheaper (the account
    # lock's `id = ANY($1)` always was); the prepared statements are fixed and index-driven: plan them once. Also
    # applies to the statements inside PL/pgSQL triggers (all single-row lookups); the ORM prepares nothing.
    if env_bool("DJANGO_DB_GENERIC_PLANS", True):
        DATABASES["default"]["OPTIONS"]["options"] = (
            DATABASES["default"]["OPTIONS"].get("options", "") + " -c plan_cache_mode=force_generic_plan"
        ).strip()
# Behind a pooler in transaction mode (docs/scale-out.md) a server-side cursor (QuerySet.iterator() outside a
# transaction is a WITH HOLD cursor) cannot outlive its transaction's server connection: turn them off there.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DJANGO_DB_DISABLE_SERVER_SIDE_CURSORS", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.IdOrMobileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:my_insurance"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: a lock-out is per (person, client address) pair and lifts by itself, so nobody can lock a
# citizen out for good by typing their ID number. The person is the account, whichever identifier was typed;
# the client address is the real one behind a trusted proxy. A success clears all of the person's pairs.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.throttle.login_identity"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
# Password spraying: wrong passwords from one client address across any accounts, per 15 minutes.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
# Registry oracle: registration checks per hour per client address and per ID number; person lookups (binding
# wizard's member check, self-check) per citizen per day.
REGISTRATION_ADDRESS_LIMIT = env_int("REGISTRATION_ADDRESS_LIMIT", 20)
REGISTRATION_CERTNO_LIMIT = env_int("REGISTRATION_CERTNO_LIMIT", 10)
PERSON_LOOKUP_LIMIT = env_int("PERSON_LOOKUP_LIMIT", 30)
# Institution API: balance enquiries per key per minute; refused requests of one key in 10 minutes that raise an
# alert for officials (admin: API key alerts).
API_ENQUIRIES_PER_MINUTE = env_int("API_ENQUIRIES_PER_MINUTE", 60)
API_REFUSAL_ALERT_THRESHOLD = env_int("API_REFUSAL_ALERT_THRESHOLD", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "core.storage.StaticStorage"
        if not DEBUG and env_bool("DJANGO_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Database sessions as Django's, read with the logged-in user and their person in one statement
# (accounts/sessions.py; docs/pages-views.md).
SESSION_ENGINE = "accounts.sessions"

# Security. Behind HTTPS in production; `make run` serves plain HTTP on
# 127.0.0.1 for the demo and says so with DJANGO_HTTPS=0.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe the app servers over plain HTTP on the internal network (docs/perf-first.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Only requests from these addresses/networks may tell the client's address in X-Forwarded-For (core.client_ip).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 2
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# SMS: a pluggable sender, like Django's EMAIL_BACKEND. The console sender
# prints and the file sender appends to var/sms.log; production plugs in the
# gateway of the bureau.
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.FileSender")
SMS_FILE_PATH = env_str("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.log"))
# notifications.sms.HttpGatewaySender: the bureau's gateway; seconds per try, retries after the first try, and
# the first back-off in seconds (doubled on each retry).
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(env_str("SMS_GATEWAY_TIMEOUT", "5"))
SMS_GATEWAY_RETRIES = env_int("SMS_GATEWAY_RETRIES", 3)
SMS_GATEWAY_BACKOFF = float(env_str("SMS_GATEWAY_BACKOFF", "1"))
OTP_TTL_SECONDS = 300
OTP_MAX_ATTEMPTS = 5
OTP_RESEND_SECONDS = 60
OTP_DAILY_LIMIT = 8

# Background tasks (SMS) in the database, run by `manage.py db_worker` (started by `make run` and `make serve`).
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
SMS_TASK_ATTEMPTS = env_int("SMS_TASK_ATTEMPTS", 5)
SMS_TASK_RETRY_SECONDS = env_int("SMS_TASK_RETRY_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

PORTAL_NAME = _("Gongjitong")
