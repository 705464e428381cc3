"""Settings shared by every environment; environment-specific modules import * from here.

Everything that differs between machines comes from the environment (django-environ);
`.env.example` lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens: hashed, expiring, revocable (security.tokens)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "pgtrigger",
    "axes",  # sign-in lockout; before `security`, whose receivers read what axes decided
    "govproj",
    "security",
    "jurisdictions",
    "projects",
    "approvals",
    "budgets",
    "acceptance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "govproj.caching.RequestCacheMiddleware",  # values read once per request (memberships, grants)
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "govproj.middleware.RejectNulMiddleware",  # NUL in a query or form field: 400, not a 500
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.SessionLifetimeMiddleware",  # absolute session lifetime (after auth, messages)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into its page
]

ROOT_URLCONF = "govproj.urls"
WSGI_APPLICATION = "govproj.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govproj.context_processors.navigation",
                "jurisdictions.workdays.context_processors.calendar_banner",
            ],
        },
    },
]


def sqlite_for_concurrent_writers(database: dict) -> dict:
    """A SQLite database serves a small office without "database is locked" (the embedded default).

    WAL lets readers go on while one writer commits; the busy timeout makes a writer wait for
    the lock instead of failing at once; IMMEDIATE transactions take the write lock when they
    begin, so two transactions that read then write cannot deadlock on the upgrade (SQLite
    would fail one of them at once, whatever the timeout). Other engines are left as they are.
    """
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
                "transaction_mode": "IMMEDIATE",
                "timeout": env.int("DJANGO_SQLITE_TIMEOUT", default=20),
            }
        )
    return database


DATABASES = {
    "default": sqlite_for_concurrent_writers(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username or address
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Refuses a password too like the username, first or last name or e-mail.
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # each person's home page (projects.home)
LOGOUT_REDIRECT_URL = "login"

# Sign-in (等保2.0 login-failure handling and session timeout; README "Sign-in and API tokens").
# Lock a username, and an IP address, after AXES_FAILURE_LIMIT failures within the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "security.signin.lockout_response"
# Attempts while locked do not extend the lock (the time the page announces holds), and a success
# does not clear failures (it would clear the address's count, letting one valid account reset it).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_DISABLE_ACCESS_LOG = True  # successes and sign-outs are in the security log
# The client's address, for lockouts, throttles and the security log. Directly exposed: the
# socket's address. Behind N reverse proxies that each append to X-Forwarded-For (nginx:
# `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`), set DJANGO_NUM_PROXIES=N:
# the address the outermost proxy saw is taken, and whatever the client wrote before it ignored.
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)
IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if NUM_PROXIES else ("REMOTE_ADDR",)
IPWARE_META_PROXY_COUNT = max(NUM_PROXIES - 1, 0)  # django-ipware counts the proxies after the client
IPWARE_STRICT = False  # a client-sent X-Forwarded-For lengthens the chain; the count is from the right
AXES_IPWARE_META_PRECEDENCE_ORDER = IPWARE_META_PRECEDENCE_ORDER
AXES_IPWARE_PROXY_COUNT = IPWARE_META_PROXY_COUNT

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_ABSOLUTE_HOURS after
# signing in whatever the activity (security.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600

# API tokens (django-rest-knox): hashed at rest, expiring, revoked on logout.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=10)),
    "AUTH_HEADER_PREFIX": "Token",  # clients keep sending `Authorization: Token <token>`
    "AUTO_REFRESH": False,
}

# Throttle counters (DRF) live in the cache: per process by default; set REDIS_CACHE_URL
# (e.g. redis://redis:6379/2) wherever more than one process serves, or each counts alone.
CACHES = {"default": env.cache_url("REDIS_CACHE_URL", default="locmemcache://govproj")}

# Chinese first, with an English switch.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["govproj.formats"]  # amounts in 万元 with thousands separators
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Uploaded project documents go through STORAGES["default"]: files under MEDIA_ROOT here, which no
# URL serves (downloads pass the permission-checked view); production may choose S3-compatible
# object storage (govproj.settings.production, DJANGO_S3_BUCKET).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The largest project document accepted, in MB (projects.documents).
DOCUMENT_MAX_MB = env.int("DOCUMENT_MAX_MB", default=50)

# Content-Security-Policy in every environment (django-csp 4), so tests and browser journeys
# catch a violation before production does: scripts, styles and fonts only from our own static
# files, no inline script, style or event handler, no eval. htmx is told not to inject its
# indicator <style> (templates/base.html, <meta name="htmx-config">; the rule is in app.css).
# Images may be data: URIs (Swagger UI's icons). No framing (as X-Frame-Options: DENY).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "security.authentication.TokenAuthentication",  # knox's, first: refusals are 401
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",  # views with a throttle_scope
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("DRF_THROTTLE_ANON", default="60/minute"),
        "user": env("DRF_THROTTLE_USER", default="600/minute"),
        "token": env("DRF_THROTTLE_TOKEN", default="10/minute"),  # POST /api/v1/auth/token/
    },
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "govproj.parsers.JSONParser",  # refuses deep nesting, NUL and lone surrogates (400)
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "govproj.errors.api_exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "govproj API",
    "DESCRIPTION": "政务信息化项目全生命周期管理 — government IT projects under their measures.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # One name per choice set used by several fields (the schema warns, and the build fails on a warning)
    "ENUM_NAME_OVERRIDES": {
        "PerformanceRatingEnum": "acceptance.evaluation.models.Rating",
        "PostEvaluationMethodEnum": "acceptance.evaluation.models.PostMethod",
        "DataDisposalActionEnum": "projects.decommission.models.DisposalAction",
        "ProcurementMethodEnum": "projects.construction.models.ProcurementMethod",
        "InboxBatchActionEnum": "approvals.inbox.services.BATCH_ACTIONS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "govproj.api.document_error_responses",  # 400/401/403/404/409/429 on every operation
    ],
}

# Celery: eager (in-process) when no broker is configured, Redis otherwise.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "check-measures-daily": {
        "task": "jurisdictions.tasks.check_measures",
        "schedule": crontab(hour=7, minute=0),
    },
    # Deadlines: mark overdue, remind, escalate (projects.deadlines.scan); before the 08:00 digest.
    "deadlines-daily-scan": {
        "task": "projects.deadlines.scan",
        "schedule": crontab(hour=6, minute=30),
    },
    # Notifications: the daily digest for those who chose it (projects.notifications).
    "notifications-daily-digest": {
        "task": "projects.notifications.tasks.send_daily_digest",
        "schedule": crontab(hour=8, minute=0),
    },
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="govproj@localhost")
# Where people reach this site: links in e-mails (notifications) are SITE_URL + a path.
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")

# Security audit log: 网络安全法 第二十一条 keeps network logs at least six months.
SECURITY_EVENT_MINIMUM_RETENTION_DAYS = 180
SECURITY_EVENT_RETENTION_DAYS = env.int("SECURITY_EVENT_RETENTION_DAYS", default=365)

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
