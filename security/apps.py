from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Accounts and security: two-step verification, login throttling, idle sessions and
    signing out everywhere, the content security policy, and the audit trail."""

    name = "security"
    verbose_name = _("Security")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
        from .names import use_family_name_order
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        use_family_name_order()
