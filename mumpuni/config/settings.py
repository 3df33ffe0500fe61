"""Settings for every environment, read from the environment (see README, "Configuration")."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from mumpuni.config.env import ImproperSetting, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "mumpuni"
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

DEBUG = env_bool("MUMPUNI_DEBUG", False)
SECRET_KEY = env_str("MUMPUNI_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperSetting(
            "MUMPUNI_SECRET_KEY is not set. Set it to a long random string, or set MUMPUNI_DEBUG=1 for development."
        )
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperSetting("MUMPUNI_SECRET_KEY is too short: use at least 32 random characters.")

ALLOWED_HOSTS = env_list(
    "MUMPUNI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG or TESTING else []
)
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperSetting(
        "MUMPUNI_ALLOWED_HOSTS is empty: list the host names this server answers, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env_list("MUMPUNI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "mumpuni.common",
    "mumpuni.people",
    "mumpuni.competencies",
    "mumpuni.learning",
    "mumpuni.queueing",
    "mumpuni.complaints",
    "mumpuni.surveys",
    "mumpuni.development",
    "mumpuni.evaluation",
    "mumpuni.talent",
    "mumpuni.nudges",
    "mumpuni.planning",
    "mumpuni.insights",
    "mumpuni.reports",
]

# Proxies whose X-Forwarded-For is believed (addresses or networks): nginx on the same host by default.
MUMPUNI_TRUSTED_PROXIES = env_list("MUMPUNI_TRUSTED_PROXIES", ["127.0.0.1", "::1"])

MIDDLEWARE = [
    # First: every later layer (axes, rate limits, audit) sees the citizen's address, not nginx's.
    "mumpuni.common.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mumpuni.common.middleware.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is chosen, so its refusal speaks the request's language.
    "mumpuni.common.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mumpuni.common.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mumpuni.config.urls"
WSGI_APPLICATION = "mumpuni.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mumpuni.common.context_processors.navigation",
            ],
        },
    }
]

# Database: unset -> an SQLite file in the checkout (the embedded default); postgres://... -> PostgreSQL.
_database_url = env_str("DATABASE_URL")
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperSetting(
            f"DATABASE_URL must start with postgres://, postgresql:// or sqlite://; got {_database_url.split(':')[0]!r}."
        )
    try:
        DATABASES = {
            "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
        }
    except Exception as exc:  # dj_database_url raises several types
        raise ImproperSetting(f"DATABASE_URL cannot be parsed: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("MUMPUNI_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # WAL lets the kiosk, the board and staff read while one request writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mumpuni.people.auth.NipOrUsernameBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create hundreds of users. The hasher is still exercised in
    # people/tests/test_auth.py, which overrides this back.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures (django-axes): 5 failures for the same username from the same address.
AXES_FAILURE_LIMIT = env_int("MUMPUNI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Failures count per account, not per spelling: case, spaces and the NIP all map to one key.
AXES_USERNAME_CALLABLE = "mumpuni.people.auth.lockout_username"
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
_node_modules = BASE_DIR / "frontend" / "node_modules"
# Front-end libraries come from the npm registry at set-up time (frontend/package.json); never copied here.
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/bootstrap", _node_modules / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _node_modules / "bootstrap-icons" / "font"),
    ("vendor/htmx", _node_modules / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MUMPUNI_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
MUMPUNI_IMPORT_MAX_BYTES = env_int("MUMPUNI_IMPORT_MAX_BYTES", 20 * 1024 * 1024)

# Background work: Celery on a broker in production; unset broker -> tasks run in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery beat (when run): free import jobs whose worker died, so their page offers "Coba lagi".
CELERY_BEAT_SCHEDULE = {
    "fail-stale-import-jobs": {"task": "people.fail_stale_import_jobs", "schedule": 300.0},
    "refresh-gap-rollups": {"task": "competencies.refresh_gap_rollups", "schedule": 24 * 3600.0},
    # Bookings whose slot ended 30 minutes ago without check-in become no-shows (and free their places).
    "mark-booking-no-shows": {"task": "queueing.mark_booking_no_shows", "schedule": 600.0},
    # Complaints: escalate overdue ones (at most once per working day each); close after the dispute window.
    "escalate-overdue-complaints": {"task": "complaints.escalate_overdue", "schedule": 3600.0},
    # Open311 submissions whose creation task was lost (e.g. the broker was down at POST time).
    "open311-complete-stale": {"task": "complaints.open311_complete_stale", "schedule": 300.0},
    "close-answered-complaints": {
        "task": "complaints.close_answered_after_dispute_window",
        "schedule": 24 * 3600.0,
    },
    # Nudges (issue 7 §3): rules run hourly (idempotent per key; quiet hours respected); digests hourly.
    "run-nudges": {"task": "nudges.run_nudges", "schedule": 3600.0},
    "send-digests": {"task": "nudges.send_digests", "schedule": 3600.0},
    "measure-nudge-effects": {"task": "nudges.measure_effects", "schedule": 24 * 3600.0},
    # Evaluation (issue 7 §4): L1 surveys open at a class's end; L3 requests 3 months after completion.
    "open-evaluations": {"task": "evaluation.open_due_evaluations", "schedule": 3600.0},
    # Impact (issue 9 §1): officer-month roll-up of this and last month from tickets, SKM and complaints.
    "refresh-officer-months": {"task": "insights.refresh_officer_months", "schedule": 24 * 3600.0},
    # Dashboards (issue 9 §2): daily roll-ups refreshed incrementally (only days with changed raw rows).
    "refresh-rollups": {"task": "insights.refresh_rollups", "schedule": 900.0},
    # … and rebuilt in full every night, which also takes in deletions and in-place corrections.
    "rebuild-rollups": {"task": "insights.rebuild_rollups", "schedule": crontab(hour=1, minute=30)},
    "refresh-impact-snapshots": {"task": "insights.refresh_impact_snapshots", "schedule": 24 * 3600.0},
    # Official reports (issue 9 §3): jobs whose worker died are marked failed (the page offers "Minta ulang").
    "fail-stale-report-jobs": {"task": "reports.fail_stale_jobs", "schedule": 600.0},
    # Talent (issue 7 §5): the 9-box snapshot of the latest SKP year.
    "refresh-talent-placements": {"task": "talent.refresh_placements", "schedule": 24 * 3600.0},
}

# Nudge rules (nudges/rules.py): each app that knows when someone should be reminded adds its rule here.
MUMPUNI_NUDGE_RULES = [
    "mumpuni.nudges.builtin.JpBehindSchedule",
    "mumpuni.nudges.builtin.ClassStartingSoon",
    "mumpuni.nudges.builtin.PlanAwaitingSupervisor",
    "mumpuni.nudges.builtin.CertificateExpiring",
    "mumpuni.nudges.builtin.PlanCompleted",
    "mumpuni.evaluation.nudges.EvaluationDue",
]

# Cache: Redis when MUMPUNI_CACHE_URL is set (production: one cache for all gunicorn workers, e.g. the public
# transparency page), else per-process memory.
MUMPUNI_CACHE_URL = env_str("MUMPUNI_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": MUMPUNI_CACHE_URL}
        if MUMPUNI_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Impact ROI: the value of one citizen-hour in rupiah (docs/insights.md states the assumption).
MUMPUNI_IMPACT_HOUR_VALUE = env_int("MUMPUNI_IMPACT_HOUR_VALUE", 25000)

# SMS/WhatsApp gateway for reminders (docs/nudges.md); unset = SMS off. Base URL makes mailed links absolute.
MUMPUNI_SMS_GATEWAY_URL = env_str("MUMPUNI_SMS_GATEWAY_URL")
MUMPUNI_SMS_GATEWAY_TOKEN = env_str("MUMPUNI_SMS_GATEWAY_TOKEN")
MUMPUNI_BASE_URL = env_str("MUMPUNI_BASE_URL")

# E-mail (MUMPUNI_EMAIL_*): unset host -> mails are printed to the console.
EMAIL_HOST = env_str("MUMPUNI_EMAIL_HOST")
EMAIL_PORT = env_int("MUMPUNI_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("MUMPUNI_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("MUMPUNI_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("MUMPUNI_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("MUMPUNI_EMAIL_FROM", "Mumpuni <noreply@semarangkota.go.id>")

# Open311 GeoReport v2: the jurisdiction_id clients may send (docs/open311.md).
MUMPUNI_OPEN311_JURISDICTION_ID = env_str("MUMPUNI_OPEN311_JURISDICTION_ID", "semarangkota.go.id")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MUMPUNI_SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MUMPUNI_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The city this installation serves; the platform is multi-unit, not hard-wired to one city.
MUMPUNI_CITY_NAME = env_str("MUMPUNI_CITY_NAME", "Kota Semarang")
MUMPUNI_ROOT_UNIT_CODE = env_str("MUMPUNI_ROOT_UNIT_CODE", "33.74")
MUMPUNI_DEMO_PASSWORD = "semarang-hebat-2026"  # noqa: S105 - documented demo password, demo data only

# Above this many employees in view, city-wide competency gap pages read the nightly rollup instead of
# computing live (issue 3; national scale).
MUMPUNI_GAP_ROLLUP_THRESHOLD = env_int("MUMPUNI_GAP_ROLLUP_THRESHOLD", 50_000)
# Who signs certificates (printed on the PDF).
MUMPUNI_BKPP_HEAD_NAME = env_str("MUMPUNI_BKPP_HEAD_NAME", "Drs. Hendra Wicaksono, M.Si.")
MUMPUNI_BKPP_HEAD_NIP = env_str("MUMPUNI_BKPP_HEAD_NIP", "")
MUMPUNI_CERTIFICATE_CITY = env_str("MUMPUNI_CERTIFICATE_CITY", "Semarang")
