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
    # Before wagtail.admin: it adds a notice to the admin's login template.
    "security",
    "home",
    "articles",
    "notifications",
    "campaigns",
    "guidance",
    "pagecache",
    "milestones",
    "families",
    "outcomes",
    "measurement",
    "screening",
    "bookings",
    "consultations",
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "measurement.middleware.MeasurementMiddleware",  # outermost: counts pages served, cached or not
    "pagecache.middleware.PageCacheUpdateMiddleware",  # first: stores the finished response
    "django.middleware.security.SecurityMiddleware",
    "security.content_policy.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A cached anonymous page is answered here, with the security headers above and nothing below:
    # no session, CSRF, authentication, two-factor or lockout machinery runs for it (a request with
    # a session cookie never reads the cache). It reads the page's language itself.
    "pagecache.middleware.PageCacheFetchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.IdleSessionMiddleware",
    "security.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its page.
    "axes.middleware.AxesMiddleware",
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
        "NAME": os.environ.get("OYAKO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        # Reliability: the dev server, the worker and the beat share this file. IMMEDIATE takes the
        # write lock when a transaction begins, so a writer waits its turn (up to the busy timeout)
        # instead of failing with "database is locked" when a read turns into a write; WAL lets
        # readers go on while one writes.
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        },
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
# The admin's languages (Account → Language): those of ours that Wagtail's admin is translated into
# (Japanese made complete by cms/locale_overrides). Not やさしい日本語 (its admin is the Japanese one)
# nor Filipino or Vietnamese, which Wagtail barely translates; Wagtail's default list offered 37
# languages, most of them nobody here reads.
WAGTAILADMIN_PERMITTED_LANGUAGES = [
    ("ja", "日本語"),
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ko", "한국어"),
    ("pt-br", "Português (Brasil)"),
]
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
# The project's catalogues first (``make messages`` writes there), then Japanese for the strings of
# Wagtail and wagtail-localize that their own ja catalogues lack (issue 25), kept by hand: Django
# loads LOCALE_PATHS over the installed apps' catalogues, the first path winning.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "cms" / "locale_overrides"]
TIME_ZONE = "Asia/Tokyo"
# SudachiPy's dictionary for search, the bot and masking: "core" (the default). "small" (install
# sudachidict_small) saved 3 MB a web worker as measured (the pages an analysis touches are much the
# same), misses one phrasing of the 46 in the search test set (りにゅうしょく) and knows fewer
# names, which masking relies on (bench/README.md, issue 24).
SUDACHI_DICTIONARY = os.environ.get("SUDACHI_DICTIONARY", "core")
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
# Reliability: three queues in every configuration, so that a burst of follows never delays a push.
# Tasks name their queue (`@shared_task(queue="pushes")` for fan-outs, `queue="webhook"` for work a
# LINE webhook event started); everything else (beat jobs, reminders, imports) takes the default.
CELERY_TASK_DEFAULT_QUEUE = "housekeeping"
CELERY_QUEUE_NAMES = ["pushes", "webhook", "housekeeping"]
# Reliability: every minute, queue again any notification or batch left pending or claimed past its
# lease (a lost task, a dead worker, a broker hiccup); the push log says so.
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {
    "task": "notifications.tasks.sweep_notifications",
    "schedule": 60.0,
}
# Direct messages (a reminder, a staff member's reply): send what is due, recover what a dead
# worker left half-sent.
CELERY_BEAT_SCHEDULE["notifications-sweep-direct-messages"] = {
    "task": "notifications.tasks.sweep_direct_messages",
    "schedule": 60.0,
}
# Reliability: read LINE's monthly message quota and consumption for the KPI panel.
CELERY_BEAT_SCHEDULE["notifications-read-line-quota"] = {
    "task": "notifications.tasks.read_line_quota",
    "schedule": 60 * 60.0,
}
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

# Families: each night, followers whose children moved to another stage get that stage's rich menu
# (in bulk, within LINE's rate limits); households nobody follows any more are forgotten.
CELERY_BEAT_SCHEDULE["families-switch-stage-menus"] = {
    "task": "families.tasks.switch_stage_menus",
    "schedule": crontab(hour=3, minute=30),
}
CELERY_BEAT_SCHEDULE["families-forget-empty-households"] = {
    "task": "families.tasks.forget_empty_households",
    "schedule": 24 * 60 * 60.0,
}
# Bulk rich-menu requests per second (each links up to 500 followers); LINE's limit is higher.
FAMILIES_RICH_MENU_REQUESTS_PER_SECOND = float(os.environ.get("FAMILIES_RICH_MENU_REQUESTS_PER_SECOND", "10"))
# The account's basic ID (@xxxx) for invitation links that open the chat with the code typed in.
FAMILIES_LINE_BASIC_ID = os.environ.get("FAMILIES_LINE_BASIC_ID", "")

# Articles: every morning, remind each physician of the reviews falling due (once a day per physician).
CELERY_BEAT_SCHEDULE["articles-send-review-reminders"] = {
    "task": "articles.tasks.send_review_reminders",
    "schedule": crontab(hour=7, minute=0),
}

# Articles: scheduled publishing and expiry (Wagtail's publish_scheduled) every minute.
CELERY_BEAT_SCHEDULE["articles-publish-scheduled"] = {
    "task": "articles.tasks.publish_scheduled_pages",
    "schedule": 60.0,
}

# Guidance: forget masked unanswered bot questions after 30 days.
CELERY_BEAT_SCHEDULE["guidance-purge-unanswered"] = {
    "task": "guidance.tasks.purge_unanswered_questions",
    "schedule": 24 * 60 * 60.0,
}

# Page cache: anonymous GETs of pages from the cache (pagecache/invalidation.py says when it clears).
PAGECACHE_ENABLED = True
PAGECACHE_ALIAS = "default"
PAGECACHE_TIMEOUT = 60 * 60  # seconds; every edit and scheduled moment clears it sooner
PAGECACHE_SHORT_TIMEOUT = 60  # search results and the content API listing
PAGECACHE_SHORT_PATHS = [
    "/search/",
    *[f"/{code}/search/" for code, _name in LANGUAGES if code != LANGUAGE_CODE],  # every language's
    "/api/v2/",
]
PAGECACHE_BROWSER_MAX_AGE = 60
# A web process reads a page it served from the cache in the last few seconds from its own memory
# (the generation is still read from the shared cache on every request); 0 turns that off.
PAGECACHE_NEAR_SECONDS = 5
# What pages are built from, kept per process for a generation (pagecache.memo), is rebuilt after
# this many seconds even if no change started a new generation.
PAGECACHE_MEMO_SECONDS = 60
PAGECACHE_EXCLUDED_PATHS = [
    *["/admin/", "/django-admin/", "/api/app/", "/line/", "/documents/", "/static/", "/media/"],
    "/r/",  # the short redirect counts every click
]
PAGECACHE_NEVER_CACHED_PATHS = ["/api/app/", "/r/"]
PAGECACHE_INVALIDATING_MODELS = [
    "articles.Physician",
    "articles.Topic",
    "articles.LifeStage",
    "articles.SearchSynonym",
    "home.SiteSettings",
    "wagtailcore.Site",
    "wagtailcore.Locale",  # a language added or removed changes every page's language links
    "wagtailcore.PageViewRestriction",  # a page made private must stop being served to everyone
    "wagtailimages.Image",
]
PAGECACHE_MOMENT_PROVIDERS = ["pagecache.moments.campaign_moments", "pagecache.moments.review_moments"]
# Guidance on the page cache: the get-help page and the article service block show each service and
# whether it is open now, so an edit clears cached pages and so does each opening and closing.
PAGECACHE_INVALIDATING_MODELS += ["guidance.ConsultationService", "guidance.OpeningPeriod"]
# The hub's own ways to start a service (its booking page, its browser consultation) show with it.
PAGECACHE_INVALIDATING_MODELS += ["bookings.SessionType", "consultations.Desk"]
PAGECACHE_MOMENT_PROVIDERS += ["guidance.moments.opening_moments"]
# A changed crisis list or crisis reply must reach a search page served from the cache at once (a page
# showing the crisis reply is itself never cached).
PAGECACHE_INVALIDATING_MODELS += ["guidance.CrisisExpression", "guidance.CrisisReply"]

# Milestones: every minute, hand each timed message whose moment has come to the push pipeline;
# once a day, forget receipts past their retention.
CELERY_BEAT_SCHEDULE["milestones-send-due-messages"] = {
    "task": "milestones.tasks.send_due_messages",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["milestones-purge-old-receipts"] = {
    "task": "milestones.tasks.purge_old_receipts",
    "schedule": crontab(hour=4, minute=30),
}

# Screening: end self-checks left half-way (their answers are deleted with them).
CELERY_BEAT_SCHEDULE["screening-expire-checks"] = {
    "task": "screening.tasks.expire_checks",
    "schedule": 5 * 60.0,
}

# Bookings: open times change with every booking, so the booking pages are never cached; every
# night, the slots of each session type's booking window are made from its weekly availability.
PAGECACHE_EXCLUDED_PATHS += ["/booking/", *[f"/{code}/booking/" for code, _name in LANGUAGES]]
CELERY_BEAT_SCHEDULE["bookings-generate-slots"] = {
    "task": "bookings.tasks.generate_slots",
    "schedule": crontab(hour=0, minute=5),
}

# Consultations: every minute, alert the staff of conversations waiting past their first-answer
# target (and resend alerts a dead worker left); once a day, delete text past the city's retention.
CELERY_BEAT_SCHEDULE["consultations-alert-overdue"] = {
    "task": "consultations.tasks.alert_overdue",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["consultations-purge-expired"] = {
    "task": "consultations.tasks.purge_expired",
    "schedule": crontab(hour=4, minute=45),
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
NOTIFICATIONS_CLAIM_LEASE = datetime.timedelta(
    seconds=int(os.environ.get("NOTIFICATIONS_CLAIM_LEASE_SECONDS", "300"))
)
NOTIFICATIONS_MAX_ATTEMPTS = 8
# Reliability: how long an open notification may wait before the sweeper queues it again.
NOTIFICATIONS_SWEEP_GRACE = datetime.timedelta(
    seconds=int(os.environ.get("NOTIFICATIONS_SWEEP_GRACE_SECONDS", "120"))
)
# The first retry of a batch waits up to this many seconds, doubling with each attempt.
NOTIFICATIONS_BACKOFF_SECONDS = float(os.environ.get("NOTIFICATIONS_BACKOFF_SECONDS", "5"))
# Reliability: outbound requests per second per channel, shared by every worker process through the
# cache (Redis in production). LINE publishes 200 requests/s for multicast (2,000/s for push) per
# channel; FCM HTTP v1 allows 600,000 messages a minute per project. The defaults stay well below.
NOTIFICATIONS_RATE_LIMITS = {
    "line": int(os.environ.get("NOTIFICATIONS_LINE_RATE", "50")),
    "fcm": int(os.environ.get("NOTIFICATIONS_FCM_RATE", "100")),
}
# Reliability: how long the keyed hash of a LINE user ID and the time of its last follow or unfollow
# is kept to put events in order (LINE redelivers for a limited time; our retries end within a day).
NOTIFICATIONS_EVENT_CLOCK_RETENTION = datetime.timedelta(days=7)
# The key of that hash; SECRET_KEY when empty.
NOTIFICATIONS_EVENT_CLOCK_KEY = os.environ.get("NOTIFICATIONS_EVENT_CLOCK_KEY", "")
# A webhook event older than this (by its own signed timestamp) is answered 200 and ignored: past
# it, the record of its webhookEventId (30 days) or the user's event clock (above) may be gone, so a
# captured, validly signed event replayed later could undo an unfollow. LINE redelivers an event
# for far less time. Keep it shorter than both retentions. Events more than the skew ahead of our
# clock are ignored too.
NOTIFICATIONS_WEBHOOK_MAX_EVENT_AGE = datetime.timedelta(days=1)
NOTIFICATIONS_WEBHOOK_MAX_CLOCK_SKEW = datetime.timedelta(minutes=5)
# Defaults only: the KPI settings administrators edit (outcomes) replace them (notifications.kpi.targets).
NOTIFICATIONS_KPI_TARGET = 50
REGISTRANTS_TARGET = 500

# Handbook app registration API: the shared app key (no key, no API: 503) and its rate limits as
# (requests, seconds). Every installation shares the one key, so its limit is the fleet's. Counted
# per client address (read behind OYAKO_TRUSTED_PROXY_COUNT proxies, as the sign-in throttle does):
# "ip" for requests with the key, "wrong_key" for requests without it (past it, that address gets
# 429 whatever key it sends, so guessing stays throttled and a guesser never locks out the others).
APP_API_KEY = os.environ.get("APP_API_KEY", "")
APP_API_RATE_LIMITS = {"ip": (60, 60), "wrong_key": (10, 600), "key": (6000, 60)}

# Guidance (the LINE bot): how a message is answered (offline retrieval; a language-model service
# can be plugged in later) and how the reply reaches LINE (the real reply API only with a token).
GUIDANCE_ANSWER_BACKEND = {"BACKEND": "guidance.backends.offline.OfflineRetrievalBackend"}
GUIDANCE_REPLY_BACKEND = {
    "BACKEND": "guidance.backends.reply.LineReplyBackend"
    if LINE_CHANNEL_ACCESS_TOKEN
    else "guidance.backends.reply.RecordingReplyBackend"
}
# LINE's blob API (rich-menu images) lives on its own host.
LINE_DATA_API_BASE_URL = os.environ.get("LINE_DATA_API_BASE_URL", "https://api-data.line.me")
# Milestones (timed messages): a family registering after this month's message went out still gets
# it on a later day of the month (never earlier months'); receipts (a keyed hash of the LINE user ID
# or app token per message) are kept this long, past any correction of a birth month; the key's
# secret defaults to SECRET_KEY (set it separately so rotating SECRET_KEY does not resend).
MILESTONES_LATE_REGISTRANTS_GET_CURRENT_MONTH = True
MILESTONES_RECEIPT_RETENTION = datetime.timedelta(days=400)
MILESTONES_SUBSCRIBER_KEY_SECRET = os.environ.get("MILESTONES_SUBSCRIBER_KEY_SECRET", "")

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
        "guidance": {"level": "INFO"},
        "security": {"level": "INFO"},
        "milestones": {"level": "INFO"},
    },
}

# Security (issue 14): two-factor sign-in, throttled logins, idle sessions, the content security policy.
# Two-step verification (django-otp: TOTP apps, single-use recovery codes) is required in the admin
# for members of these groups and for superusers; optional for everyone else. Empty: required for
# nobody (the development demo says so on its login page).
OYAKO_2FA_REQUIRED_GROUPS = ["Physicians", "Administrators"]
OYAKO_2FA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "Oyako Hub"

# django-axes: 5 failed sign-ins for one account, or from one address, lock that account or address
# out for 15 minutes. Its state lives in the default cache (Redis in production), so it holds
# across gunicorn workers. The app API and the LINE webhook keep their own limits.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "security.lockout.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_CLIENT_IP_CALLABLE = "security.lockout.client_address"
# Reverse proxies in front of the app (production reads TRUSTED_PROXY_COUNT): the sign-in address is
# taken from X-Forwarded-For, that many entries from the right.
OYAKO_TRUSTED_PROXY_COUNT = 0

# Admin sessions end after this long without a request (security.middleware.IdleSessionMiddleware).
OYAKO_ADMIN_IDLE_TIMEOUT = datetime.timedelta(minutes=30)

# Content-Security-Policy (django-csp), enforced. The public site runs no inline script or style;
# Wagtail's admin still needs inline scripts and styles, so /admin/ gets its own, looser policy
# (security.content_policy.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# No Gravatar: staff e-mail hashes stay here, and the admin policy needs no third-party images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
OYAKO_ADMIN_CSP_PATH_PREFIXES = ["/admin/", "/django-admin/"]
OYAKO_ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
}

# Outcomes (issue 10): the six-KPI dashboard, survey tokens and the contractor's report imports.
OUTCOMES_IMPORT_MAX_BYTES = 2 * 1024 * 1024
OUTCOMES_IMPORT_MAX_ROWS = 5_000

# Measurement (issue 23): opens and clicks, what parents looked for, the quarterly effect report.
# LINE counts at most this many distinct aggregation units a month; past it a push goes out without
# one and its clicks are counted by the hub's own redirect alone (measurement/units.py).
MEASUREMENT_LINE_UNIT_LIMIT = 1000
# Hosts (HTTPS) besides the hub's own site that the short redirect /r/<token>/ may send a parent
# to; a link to any other host is sent as it is, uncounted (no open redirect).
MEASUREMENT_LINK_HOSTS = []
# Links in pushes and bot replies through the redirect. Off in the test settings only, so that other
# apps' tests read the page addresses they expect; measurement's tests turn it on.
MEASUREMENT_TRACKED_LINKS = True
CELERY_BEAT_SCHEDULE["measurement-read-line-insight"] = {
    "task": "measurement.tasks.read_line_insight",
    "schedule": crontab(hour=10, minute=30),  # LINE's figures for yesterday are ready by morning
}
CELERY_BEAT_SCHEDULE["measurement-purge-raw-queries"] = {
    "task": "measurement.tasks.purge_raw_queries",
    "schedule": 24 * 60 * 60.0,
}
