"""Admin views: two-step verification (verify, enrol, manage, an administrator's reset) and
signing out everywhere."""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from wagtail.log_actions import log

from . import sessions, two_factor
from .forms import CodeForm, EnrolForm


def _next_url(request):
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _account(request):
    """The signed-in user as a model instance (the middleware wraps it in lazy objects, which the
    audit log cannot file)."""
    user = request.user
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def _with_next(url_name, request):
    return f"{reverse(url_name)}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}"


@sensitive_post_parameters("otp_token")
@never_cache
def verify(request):
    """Second step of signing in: a code from the app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_any_device(user):
        return redirect(_with_next("security_two_factor_enrol", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, form.cleaned_data["otp_token"]):
            return redirect(_next_url(request))
        form.add_error(
            "otp_token",
            _("That code is not right, or it was already used. Wait for the next code and try again."),
        )
    return TemplateResponse(request, "security/verify.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("otp_token")
@never_cache
def enrol(request):
    """Set up an authenticator app: scan the QR code, confirm with a code, keep the recovery codes."""
    user = request.user
    if two_factor.has_any_device(user) and not user.is_verified():
        # Replacing a device needs the current one first.
        return redirect(_with_next("security_two_factor_verify", request))
    device = two_factor.pending_totp_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["otp_token"])
        if codes is not None:
            log(_account(request), "oyako.2fa_enrol", user=user)
            return TemplateResponse(
                request, "security/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("otp_token", _("That code is not right. Check the time on your phone and try again."))
    secret = b32encode(device.bin_key).decode("ascii")
    return TemplateResponse(
        request,
        "security/enrol.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device.config_url),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "required": two_factor.is_required_for(user),
            "next": _next_url(request),
        },
    )


@never_cache
def manage(request):
    """The account's two-step verification page: status, replace the app, new recovery codes."""
    user = request.user
    return TemplateResponse(
        request,
        "security/manage.html",
        {
            "enrolled": two_factor.is_enrolled(user),
            "required": two_factor.is_required_for(user),
            "recovery_codes_left": two_factor.remaining_recovery_codes(user),
        },
    )


@require_POST
@never_cache
def new_recovery_codes(request):
    user = request.user
    if not two_factor.is_enrolled(user):
        return redirect("security_two_factor_enrol")
    codes = two_factor.new_recovery_codes(user)
    log(_account(request), "oyako.2fa_recovery_codes", user=user)
    return TemplateResponse(
        request, "security/recovery_codes.html", {"codes": codes, "next": reverse("security_two_factor")}
    )


@require_POST
def turn_off(request):
    """Remove one's own devices, where two-step verification is optional for this account."""
    user = request.user
    if two_factor.is_required_for(user):
        raise PermissionDenied
    two_factor.reset(user)
    log(_account(request), "oyako.2fa_reset", user=user)
    messages.success(request, _("Two-step verification is turned off for your account."))
    return redirect("security_two_factor")


def can_reset(request_user, target):
    if not request_user.has_perm(f"{get_user_model()._meta.app_label}.change_user"):
        return False
    return request_user.is_superuser or not target.is_superuser


@never_cache
def reset_user(request, user_id):
    """An administrator removes a user's devices (a lost phone) and ends that user's sessions.

    The user enrols again at their next sign-in.
    """
    target = get_object_or_404(get_user_model(), pk=user_id)
    if not can_reset(request.user, target):
        raise PermissionDenied
    if request.method == "POST":
        removed = two_factor.reset(target)
        ended = sessions.end_all_sessions(target)
        log(target, "oyako.2fa_reset", user=request.user, data={"devices": removed, "sessions": ended})
        messages.success(
            request,
            _("Two-step verification for %(user)s was reset; they set it up again when they next sign in.")
            % {"user": target.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "security/reset_user.html",
        {"target": target, "enrolled": two_factor.is_enrolled(target)},
    )


@never_cache
def sign_out_everywhere(request):
    """End every session of the signed-in user, on every browser and device, this one included."""
    if request.method == "POST":
        user = _account(request)
        log(user, "oyako.sign_out_everywhere", user=user)
        sessions.end_all_sessions(user, request)
        messages.success(request, _("You were signed out on every device."))
        return redirect("wagtailadmin_login")
    return TemplateResponse(request, "security/sign_out_everywhere.html", {})
