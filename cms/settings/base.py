"""Settings shared by every environment. Environment-specific modules import * from here."""

import datetime
import os
from pathlib import Path

from celery.schedules import crontab

import django.conf.locale
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("OYAKO_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "home",
    "articles",
    "notifications",
    "campaigns",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

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
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages (issue 13): Japanese is the source and default locale. Each language is named in
# itself, so everyone finds theirs. Adding one is a line here plus its catalogues
# (``manage.py makemessages -l <locale>``; the locale directory is ``to_locale(code)``).
# やさしい日本語 uses the BCP 47 private-use tag ``ja-x-easy``: Django accepts it in LANGUAGES,
# URL prefixes (/ja-x-easy/) and Accept-Language, and finds its catalogues in ``ja_X-easy``.
LANGUAGE_CODE = "ja"
LANGUAGES = [
    ("ja", "日本語"),
    ("ja-x-easy", "やさしい にほんご"),
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("vi", "Tiếng Việt"),
    ("tl", "Filipino"),
    ("ko", "한국어"),
    ("pt-br", "Português (Brasil)"),
]
# Django knows neither code: teach get_language_info (used by templates and Wagtail) about them.
django.conf.locale.LANG_INFO.update(
    {
        "ja-x-easy": {
            "bidi": False,
            "code": "ja-x-easy",
            "name": "Easy Japanese",
            "name_local": "やさしい にほんご",
        },
        "tl": {"bidi": False, "code": "tl", "name": "Filipino", "name_local": "Filipino"},
    }
)
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Where a family's language has no approved, up-to-date translation, a push falls back along this
# chain (the source language ends every chain).
LANGUAGE_FALLBACKS = {
    "ja-x-easy": ["ja"],
    "en": ["ja-x-easy", "ja"],
    "zh-hans": ["ja"],
    "vi": ["ja-x-easy", "ja"],
    "tl": ["en", "ja-x-easy", "ja"],
    "ko": ["ja"],
    "pt-br": ["ja-x-easy", "ja"],
}
# Machine translation (wagtail-localize): DeepL when DEEPL_AUTH_KEY is set, else Google Cloud
# Translation when GOOGLE_TRANSLATE_PROJECT_ID is set, else none and editors translate by hand.
# Machine output is a draft like any other; やさしい日本語 is always written by editors.
MACHINE_TRANSLATION_EXCLUDED_LANGUAGES = ["ja-x-easy"]
if os.environ.get("DEEPL_AUTH_KEY"):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "articles.machine_translators.EditorsDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_AUTH_KEY"]},
    }
elif os.environ.get("GOOGLE_TRANSLATE_PROJECT_ID"):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "articles.machine_translators.EditorsGoogleTranslator",
        "OPTIONS": {
            "PROJECT_ID": os.environ["GOOGLE_TRANSLATE_PROJECT_ID"],
            # Empty: the client reads GOOGLE_APPLICATION_CREDENTIALS itself.
            "CREDENTIALS_PATH": os.environ.get("GOOGLE_TRANSLATE_CREDENTIALS_FILE", ""),
        },
    }
# やさしい日本語 checker (hints in the editor): kanji above this kyōiku grade want furigana, and
# sentences longer than this many characters want splitting.
EASY_JAPANESE_LANGUAGES = ["ja-x-easy"]
EASY_JAPANESE_MAX_KANJI_GRADE = 2
EASY_JAPANESE_MAX_SENTENCE_LENGTH = 40
# LINE profile languages (BCP 47 as LINE reports them, compared in lower case) that are not simply
# one of ours: the follower's default language until they choose one.
LINE_LANGUAGE_MAP = {
    "zh-cn": "zh-hans",
    "zh-sg": "zh-hans",
    "fil": "tl",
    "pt": "pt-br",
}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = _("Oyako Hub")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend; articles.search segments Japanese text at index and
        # query time so SQLite FTS5 and PostgreSQL full-text search both find Japanese words.
        "BACKEND": "articles.search.backend",
        "SEARCH_CONFIG": "simple",
        "AUTOCOMPLETE_SEARCH_CONFIG": "simple",
    }
}
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 50
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Physicians approve without publish permission; their recorded approval lets the page go live.
WAGTAIL_FINISH_WORKFLOW_ACTION = "articles.gate.finish_workflow"
WAGTAIL_MODERATION_ENABLED = True
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# Celery: results are not needed; every task records its outcome in the database.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BEAT_SCHEDULE = {}
# Campaigns: every minute, hand the planned pushes whose time has come to the push pipeline.
CELERY_BEAT_SCHEDULE["campaigns-send-due-pushes"] = {
    "task": "campaigns.tasks.send_due_pushes",
    "schedule": 60.0,
}

# Notifications: forget LINE webhook event IDs once LINE can no longer redeliver them.
CELERY_BEAT_SCHEDULE["notifications-purge-webhook-events"] = {
    "task": "notifications.tasks.purge_webhook_events",
    "schedule": 24 * 60 * 60.0,
}

# Articles: every morning, remind each physician of the reviews falling due (once a day per physician).
CELERY_BEAT_SCHEDULE["articles-send-review-reminders"] = {
    "task": "articles.tasks.send_review_reminders",
    "schedule": crontab(hour=7, minute=0),
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "oyako-hub@example.jp")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = False

# Articles: how long an approval stands before the next physician review is due.
ARTICLES_REVIEW_INTERVAL_MONTHS = 12
# Whether any physician of the article's specialty may approve, not only its own supervisor.
ARTICLES_ALLOW_SAME_SPECIALTY_APPROVAL = False

# Campaigns: a planned push found due later than this (beat or worker down) waits for an editor.
CAMPAIGNS_MAX_LATENESS = datetime.timedelta(hours=6)

# LINE: the Messaging API channel. With no secret the webhook answers 503; LINE_API_BASE_URL lets a
# local fake or a sandbox stand in for LINE.
LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "")
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_API_BASE_URL = os.environ.get("LINE_API_BASE_URL", "https://api.line.me")

# Notifications: one backend per channel, the real one only where credentials are configured, so a
# development machine records messages ("recorded, not sent") instead of sending them.
FCM_CREDENTIALS_FILE = os.environ.get("FCM_CREDENTIALS_FILE", "")
FCM_CREDENTIALS_JSON = os.environ.get("FCM_CREDENTIALS_JSON", "")
# FCM HTTP v1 base URL; a local fake stands in for it in tests and benchmarks.
FCM_API_BASE_URL = os.environ.get("FCM_API_BASE_URL", "https://fcm.googleapis.com")
NOTIFICATIONS_BACKENDS = {
    "line": {
        "BACKEND": "notifications.backends.line.LineBackend"
        if LINE_CHANNEL_ACCESS_TOKEN
        else "notifications.backends.recording.RecordingBackend"
    },
    "fcm": {
        "BACKEND": "notifications.backends.fcm.FcmBackend"
        if FCM_CREDENTIALS_FILE or FCM_CREDENTIALS_JSON
        else "notifications.backends.recording.RecordingBackend"
    },
}
# Batches sent at once by one task; LINE allows 200 multicast requests a second.
NOTIFICATIONS_SEND_CONCURRENCY = int(os.environ.get("NOTIFICATIONS_SEND_CONCURRENCY", "16"))
# A batch claimed longer ago than this is taken to be stuck (its worker died) and is resent with
# its stored retry key; longer than any request can take.
NOTIFICATIONS_CLAIM_LEASE = datetime.timedelta(minutes=5)
NOTIFICATIONS_MAX_ATTEMPTS = 8
NOTIFICATIONS_KPI_TARGET = 50
REGISTRANTS_TARGET = 500

# Handbook app registration API: the shared app key (no key, no API: 503) and its rate limits as
# (requests, seconds). Every installation shares the one key, so its limit is the fleet's.
APP_API_KEY = os.environ.get("APP_API_KEY", "")
APP_API_RATE_LIMITS = {"ip": (60, 60), "key": (6000, 60)}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "articles": {"level": "INFO"},
        "notifications": {"level": "INFO"},
        "campaigns": {"level": "INFO"},
    },
}
