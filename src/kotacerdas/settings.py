"""The one settings module of Kota Cerdas, configured by environment variables only.

The variables are documented in docs/operations.md; the helpers in ``kotacerdas.conf`` read and
check them.
"""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from kotacerdas import conf

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = conf.data_dir()

SECRET_KEY = conf.secret_key(DATA_DIR)
# Encrypts personal data at rest (core.personal); never stored in the database.
PERSONAL_DATA_KEY = conf.data_key(DATA_DIR)
DEBUG = conf.env_bool("DEBUG", False)
ALLOWED_HOSTS = conf.env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = conf.env_list("CSRF_TRUSTED_ORIGINS", [])

# The kabupaten/kota this deployment serves.
KOTACERDAS_REGION = conf.region_code()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "kotacerdas.core",
    "kotacerdas.masterplan",
    "kotacerdas.evaluation",
    "kotacerdas.servicedesk",
    "kotacerdas.opendata",
    "kotacerdas.bansos",
    "kotacerdas.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kotacerdas.core.middleware.ApiRequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kotacerdas.core.middleware.PlatformLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "kotacerdas.core.audit.AuditActorMiddleware",
    # Axes must come last: it inspects the outcome of the login views above it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kotacerdas.urls"
WSGI_APPLICATION = "kotacerdas.wsgi.application"

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
                "kotacerdas.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {"default": conf.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:after-login"
LOGOUT_REDIRECT_URL = "core:home"

# Lockout after repeated failed logins (django-axes): five failures for one username from one
# address lock that pair for 15 minutes; a successful login resets the count.
AXES_FAILURE_LIMIT = conf.env_int("KOTACERDAS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=conf.env_int("KOTACERDAS_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Audit trail (django-auditlog): who changed what, with before/after values.
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_STORE_JSON_CHANGES = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kotacerdas.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Uploads are never served as static files: this URL is a view for administrators only (the
# Django admin's file links); modules serve their files through views that check the reader.
MEDIA_URL = "/staf/berkas/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache for every worker of a deployment (rate limits count across workers): files in the
# data directory by default, Redis when REDIS_URL is set (then `pip install redis`).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": conf.env_str("REDIS_URL"),
        }
        if conf.env_str("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
        }
    )
}

# Public endpoints per client address: (requests, seconds). 0 requests turns a limit off.
RATE_LIMITS = {
    # Filing a request or complaint (web form, Open311, API) and rating a service.
    "public_write": (conf.env_int("KOTACERDAS_PUBLIC_WRITES_PER_HOUR", 30), 3600),
    # Reading public pages and Open311 lists.
    "public_read": (conf.env_int("KOTACERDAS_PUBLIC_READS_PER_MINUTE", 300), 60),
    # Cek Bansos lookups per client address, and per NIK asked about (whoever asks): the second
    # stops one person's NIK being tried against many names from many addresses.
    "cek_client": (conf.env_int("KOTACERDAS_CEK_LOOKUPS_PER_MINUTE", 20), 60),
    "cek_nik": (conf.env_int("KOTACERDAS_CEK_LOOKUPS_PER_NIK_PER_HOUR", 10), 3600),
}

# The address citizens reach the platform at, for links in notifications.
KOTACERDAS_PUBLIC_URL = conf.env_str("KOTACERDAS_PUBLIC_URL", "http://localhost:8000").rstrip("/")

# PECUT service desk (docs/servicedesk.md).
SERVICEDESK = {
    # The OPD whose officers triage new requests (with the administrators).
    "DESK_OPD": conf.env_str("KOTACERDAS_DESK_OPD", "diskominfo"),
    # Open311's jurisdiction_id for this deployment (clients may omit it).
    "JURISDICTION_ID": conf.env_str("KOTACERDAS_OPEN311_JURISDICTION", "kedirikota.go.id"),
    # A resolved request closes by itself after this many days unless the citizen reopens it.
    "AUTO_CLOSE_DAYS": conf.env_int("KOTACERDAS_AUTO_CLOSE_DAYS", 5),
    # How long after resolution a citizen may reopen a request.
    "REOPEN_DAYS": conf.env_int("KOTACERDAS_REOPEN_DAYS", 14),
    # Where notifications go besides e-mail: dotted paths of channel classes.
    "CHANNELS": conf.env_list(
        "KOTACERDAS_NOTIFICATION_CHANNELS", ["kotacerdas.servicedesk.notify.LogChannel"]
    ),
}

# Satu Data (docs/opendata.md).
OPENDATA = {
    # The OPD whose officers are the data steward (walidata), with the administrators.
    "STEWARD_OPD": conf.env_str("KOTACERDAS_STEWARD_OPD", "diskominfo"),
    # The largest data file an OPD may upload.
    "MAX_UPLOAD_BYTES": conf.env_int("KOTACERDAS_MAX_DATA_FILE_BYTES", 200 * 1024 * 1024),
}

BANSOS = {
    # The social affairs OPD, whose officers keep the registry (with the administrators).
    "OPD": conf.env_str("KOTACERDAS_BANSOS_OPD", "dinsos"),
    # The largest civil-registry or DTKS file a clerk may upload through the web pages: it is
    # imported while the clerk waits (about 150,000 rows, well within gunicorn's 60 s); larger
    # extracts go through `kotacerdas bansos import`.
    "MAX_UPLOAD_BYTES": conf.env_int("KOTACERDAS_MAX_REGISTRY_FILE_BYTES", 20 * 1024 * 1024),
}

DASHBOARD = {
    # The smart city index the masterplan aims for, used until an evaluation sets its own.
    "INDEX_TARGET": conf.env_str("KOTACERDAS_INDEX_TARGET", "3.600"),
    # Action items overdue are reminded to their owner OPD at most once in this many days.
    "REMIND_EVERY_DAYS": conf.env_int("KOTACERDAS_ACTION_REMINDER_DAYS", 7),
}

# Request bodies over this size are refused (413) before any view reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = conf.env_int("KOTACERDAS_MAX_BODY_BYTES", 2_621_440)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if conf.env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

EMAIL_HOST = conf.env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = conf.env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = conf.env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = conf.env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = conf.env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = conf.env_str("DEFAULT_FROM_EMAIL", "Kota Cerdas <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": conf.env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies and query strings are never logged: they may carry personal data.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
