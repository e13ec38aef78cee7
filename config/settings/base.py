"""Settings shared by every environment. Secrets and hosts come from the environment (README)."""

from importlib.util import find_spec
from ipaddress import ip_network
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import database_from_env, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("LUMBUNG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("LUMBUNG_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Domain apps, in dependency order (demo data loads in this order too).
    "lumbung.core",
    "lumbung.organisation",
    "lumbung.accounts",
    "lumbung.notifications",
    "lumbung.innovations",
    "lumbung.frameworks",
    "lumbung.assessment",
    "lumbung.competitions",
    "lumbung.clinic",
    "lumbung.events",
    "lumbung.knowledge",
    "lumbung.replication",
    "lumbung.actions",
    "lumbung.backups",
    "lumbung.rankings",
    "lumbung.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lumbung.core.security.SecurityHeadersMiddleware",
    "lumbung.core.middleware.PageCompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lumbung.core.middleware.QueryStringMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lumbung.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, with the signed-in user kept between requests.
    "lumbung.accounts.backends.SignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "lumbung.accounts.middleware.RegionMiddleware",
    "lumbung.core.middleware.AccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "lumbung.core.forms.FormRenderer"

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lumbung.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(VAR_DIR / "lumbung.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's model backend, reading the user and their roles in one query.
    "lumbung.accounts.backends.RolesModelBackend",
]
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:landing"

# Login throttling: five failures lock the username+address pair for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Counted per normalised e-mail (stripped, lower case): `Mentor@…` shares the lock of `mentor@…`.
AXES_USERNAME_CALLABLE = "lumbung.accounts.forms.axes_username"
# The client address behind a reverse proxy (lumbung.core.clientaddr, docs/deployment.md): the
# header is believed only from these proxies (addresses or networks; "unix" for a Unix socket).
LUMBUNG_TRUSTED_PROXIES = env_list("LUMBUNG_TRUSTED_PROXIES")
for _proxy in LUMBUNG_TRUSTED_PROXIES:  # a typo stops the start instead of trusting nobody quietly
    if _proxy.lower() != "unix":
        ip_network(_proxy, strict=False)
LUMBUNG_CLIENT_ADDRESS_HEADER = env_str("LUMBUNG_CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "lumbung.core.clientaddr.client_ip"
# Password-reset requests allowed per e-mail and per client address in an hour (shared cache).
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)

# Sessions in the database, each web process keeping those of signed-in people between requests,
# checked against their version in the query every request makes anyway (accounts.sessions): with
# Redis or without, a session changed or ended in one process is seen in every other at once.
SESSION_ENGINE = "lumbung.accounts.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Language: Bahasa Indonesia unless the user picked English (the browser's Accept-Language is
# deliberately ignored; see docs/decisions/0003-ui-language.md).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lumbung_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = env_str("LUMBUNG_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
# Grouping is applied where a number is a quantity (filters num, rupiah); years, codes and ids
# printed raw must never read "2.026".
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["lumbung.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet as shipped in the django-leaflet wheel (docs/decisions/0005); the package is not an
    # installed app because its admin module needs GeoDjango.
    ("leaflet", Path(find_spec("leaflet").origin).parent / "static" / "leaflet"),
]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # never routed: private files are served by permission-checked views

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_str("AWS_STORAGE_BUCKET_NAME", ""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "addressing_style": "path",
            "file_overwrite": False,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }

# Upload limits: a request may carry several evidence files; each file is checked on its own.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LUMBUNG_MAX_UPLOAD_MB = env_int("LUMBUNG_MAX_UPLOAD_MB", 20)
# Pictures larger than this many pixels are refused before they are decoded (decompression bombs).
LUMBUNG_MAX_IMAGE_PIXELS = env_int("LUMBUNG_MAX_IMAGE_PIXELS", 40_000_000)

# Verifiers are reminded (once a day) of rows waiting for a verdict longer than this.
LUMBUNG_VERIFICATION_REMINDER_DAYS = env_int("LUMBUNG_VERIFICATION_REMINDER_DAYS", 5)

# WhatsApp Business Cloud API; without a token and phone number id, people get wa.me links to
# send by hand instead.
LUMBUNG_WHATSAPP_API_URL = env_str("LUMBUNG_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
LUMBUNG_WHATSAPP_TOKEN = env_str("LUMBUNG_WHATSAPP_TOKEN", "")
LUMBUNG_WHATSAPP_PHONE_NUMBER_ID = env_str("LUMBUNG_WHATSAPP_PHONE_NUMBER_ID", "")
# The webhook that reports delivery: its subscription check token and the app secret that signs it.
LUMBUNG_WHATSAPP_VERIFY_TOKEN = env_str("LUMBUNG_WHATSAPP_VERIFY_TOKEN", "")
LUMBUNG_WHATSAPP_APP_SECRET = env_str("LUMBUNG_WHATSAPP_APP_SECRET", "")
# Data rows one spreadsheet import may hold (a bigger file is refused with a message), rows saved
# per short transaction, and rows above which a staff export is built by the worker.
LUMBUNG_IMPORT_MAX_ROWS = env_int("LUMBUNG_IMPORT_MAX_ROWS", 20_000)
LUMBUNG_IMPORT_BATCH_ROWS = env_int("LUMBUNG_IMPORT_BATCH_ROWS", 250)
LUMBUNG_EXPORT_INLINE_MAX_ROWS = env_int("LUMBUNG_EXPORT_INLINE_MAX_ROWS", 2_000)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Caches (core.caching): keys carry the region's data version, which lives in the database, so a
# cache per process is as correct as a shared one. Redis when configured (shared by every web
# process); otherwise local memory: nothing to set up for `make demo`, and unlike the database cache
# it adds no writes to the one SQLite writer.
REDIS_URL = env_str("LUMBUNG_REDIS_URL", "") or env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, reusing its Redis client (core.rediscache).
            "BACKEND": "lumbung.core.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("LUMBUNG_CACHE_PREFIX", "lumbung"),
            "TIMEOUT": 3600,
            # A Redis host that drops packets instead of refusing must not hold a request for the
            # system's TCP timeout: after these seconds the cache answers as if Redis were away.
            "OPTIONS": {
                "socket_connect_timeout": env_int("LUMBUNG_REDIS_CONNECT_TIMEOUT", 2),
                "socket_timeout": env_int("LUMBUNG_REDIS_TIMEOUT", 2),
            },
        }
    }
    # Whole pages (core.pagecache) in the same Redis: its memory limit and eviction are the operator's.
    CACHES["pages"] = CACHES["default"]
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        # Whole pages are large (up to a few hundred KB): fewer of them per process.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 300},
        },
    }
# The region model and the apps whose records feed cached pages: a write to one of them bumps
# the data version of its region (or of every region, for records that belong to none).
LUMBUNG_REGION_MODEL = "organisation.Region"
LUMBUNG_CACHED_APPS = ["organisation", "innovations", "frameworks", "assessment", "actions", "rankings"]
# Models of other apps whose changes show on cached pages of their region (core.caching).
LUMBUNG_CACHED_MODELS = ["accounts.RoleAssignment"]
# Pages each web process keeps in its own memory in front of the shared cache, and signed-in users
# it keeps between their requests (core.localcache; never stale: checked against data versions).
LUMBUNG_LOCAL_PAGES = env_int("LUMBUNG_LOCAL_PAGES", 200)
LUMBUNG_LOCAL_SIGNED_IN = env_int("LUMBUNG_LOCAL_SIGNED_IN", 2000)
# Background jobs: a running job whose heartbeat is older than this is abandoned (its worker died);
# finished jobs and their files are removed after the retention (README, "Tugas latar").
LUMBUNG_JOB_STALE_SECONDS = env_int("LUMBUNG_JOB_STALE_SECONDS", 120)
LUMBUNG_JOB_RETENTION_DAYS = env_int("LUMBUNG_JOB_RETENTION_DAYS", 30)

# Backups (README, "Cadangan"): where `manage.py backup` writes, the age public keys it encrypts
# to, the S3-compatible bucket it copies to, how many it keeps, and when the home page warns.
LUMBUNG_BACKUP_DIR = env_str("LUMBUNG_BACKUP_DIR", str(VAR_DIR / "backups"))
LUMBUNG_BACKUP_RECIPIENTS = env_list("LUMBUNG_BACKUP_RECIPIENTS")
LUMBUNG_BACKUP_S3_BUCKET = env_str("LUMBUNG_BACKUP_S3_BUCKET", "")
LUMBUNG_BACKUP_S3_ENDPOINT_URL = env_str("LUMBUNG_BACKUP_S3_ENDPOINT_URL", "")
LUMBUNG_BACKUP_S3_PREFIX = env_str("LUMBUNG_BACKUP_S3_PREFIX", "lumbung-backups")
LUMBUNG_BACKUP_KEEP = {
    "daily": env_int("LUMBUNG_BACKUP_KEEP_DAILY", 7),
    "weekly": env_int("LUMBUNG_BACKUP_KEEP_WEEKLY", 4),
    "monthly": env_int("LUMBUNG_BACKUP_KEEP_MONTHLY", 12),
}
LUMBUNG_BACKUP_MAX_AGE_HOURS = env_int("LUMBUNG_BACKUP_MAX_AGE_HOURS", 26)

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lumbung Inovasi <noreply@lumbung.local>")

# The REST API (/api/v1/, lumbung/api): tokens or the session, JSON only, one error shape,
# requests per token counted in the cache (LUMBUNG_API_RATE, e.g. "1200/hour").
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lumbung.api.auth.TokenAuthentication",
        "lumbung.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["lumbung.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env_str("LUMBUNG_API_RATE", "1200/hour")},
    "EXCEPTION_HANDLER": "lumbung.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lumbung Inovasi API",
    "DESCRIPTION": "Registri inovasi daerah, penilaian IGA dan data terbuka. Token: Authorization: Bearer <token>.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
LUMBUNG_OPEN_DATA_LICENSE = env_str("LUMBUNG_OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/")

# Map tiles are loaded by the browser at run time; typed coordinates keep working without them.
LUMBUNG_MAP_TILE_URL = env_str("LUMBUNG_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
LUMBUNG_MAP_ATTRIBUTION = env_str("LUMBUNG_MAP_ATTRIBUTION", "© OpenStreetMap contributors")

# `make loadtest` mounts a bare view at /_bare/ (the yardstick of its figures); never in a deployment.
LUMBUNG_BARE_VIEW = env_bool("LUMBUNG_BARE_VIEW", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LUMBUNG_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
