from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from articles import views as article_views
from home import views as home_views

from .api import api_router

urlpatterns = [
    path("favicon.ico", home_views.favicon),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("", include("notifications.urls")),
    path("", include("outcomes.urls")),
    path("", include("families.urls")),
    path("", include("measurement.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Japanese lives at the root; other languages under their prefix (/en/...).
urlpatterns += i18n_patterns(
    path("search/", article_views.search, name="search"),
    path("help/check/", include("screening.urls")),
    path("help/", include("guidance.urls")),
    path("booking/", include("bookings.urls")),
    path("consult/", include("consultations.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
