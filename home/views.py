"""Site-wide views that are not pages."""

from django.templatetags.static import static
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """``/favicon.ico``, which browsers ask for whatever the page says: the static icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.ico")


favicon = FaviconView.as_view()
