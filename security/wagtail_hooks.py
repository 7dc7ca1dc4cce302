"""Admin hooks of the security app: its URLs, the account page's entries, the users listing's reset
button, and the project's audit action types."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from . import audit, views


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("two-factor/verify/", views.verify, name="security_two_factor_verify"),
        path("two-factor/enrol/", views.enrol, name="security_two_factor_enrol"),
        path("two-factor/", views.manage, name="security_two_factor"),
        path(
            "two-factor/recovery-codes/",
            views.new_recovery_codes,
            name="security_two_factor_recovery_codes",
        ),
        path("two-factor/turn-off/", views.turn_off, name="security_two_factor_turn_off"),
        path("two-factor/reset/<int:user_id>/", views.reset_user, name="security_two_factor_reset"),
        path("account/sign-out-everywhere/", views.sign_out_everywhere, name="security_sign_out_everywhere"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("security_two_factor"),
        "label": _("Two-step verification"),
        "help_text": _("Your authenticator app and recovery codes."),
    }


@hooks.register("register_account_menu_item")
def sign_out_everywhere_account_item(request):
    return {
        "url": reverse("security_sign_out_everywhere"),
        "label": _("Sign out everywhere"),
        "help_text": _("End your sessions on every browser and device, this one included."),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if views.can_reset(request_user, user):
        yield Button(
            _("Reset two-step verification"),
            reverse("security_two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    for action, label, message in audit.ACTIONS:
        actions.register_action(action)(audit.formatter(label, message))
