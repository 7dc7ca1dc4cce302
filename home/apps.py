from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.exports import neutralise_wagtail_exports

        # A page title such as =HYPERLINK(...) is text in every CSV the admin writes.
        neutralise_wagtail_exports()
