"""Deploy checks: a production server must ask for two-step verification.

(django-axes' own check, axes.W001, refuses a per-process cache for the sign-in throttle.)"""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_two_factor_required(app_configs, **kwargs):
    if getattr(settings, "OYAKO_2FA_REQUIRED_GROUPS", None):
        return []
    return [
        checks.Warning(
            "OYAKO_2FA_REQUIRED_GROUPS is empty: no admin account needs two-step verification.",
            hint="Require it at least for the Physicians and Administrators groups.",
            id="security.W001",
        )
    ]
