"""Two-step verification with django-otp: a TOTP authenticator app and single-use recovery codes.

Who must use it is a setting (``OYAKO_2FA_REQUIRED_GROUPS``: members of those groups, and
superusers whenever the list is not empty); anyone else may enrol, and once enrolled is asked for
a code like everyone else. django-otp throttles guesses on each device (each failure doubles the
wait before the next code is checked).
"""

import io
import logging

from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings
from django.db import transaction

logger = logging.getLogger("security")

TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def required_groups():
    return list(getattr(settings, "OYAKO_2FA_REQUIRED_GROUPS", []))


def is_required_for(user):
    """Whether ``user`` must verify a second factor to use the admin."""
    groups = required_groups()
    if not groups or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=groups).exists()


def is_enrolled(user):
    """Whether ``user`` has a confirmed authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def has_any_device(user):
    return user_has_device(user, confirmed=True)


def pending_totp_device(user):
    """The unconfirmed authenticator device being set up for ``user`` (made on first call)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).filter(name=TOTP_DEVICE_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(text):
    """An SVG QR code of ``text``, drawn here (the secret never leaves the server)."""
    import qrcode  # only an enrolment page draws a code
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


@transaction.atomic
def confirm_enrolment(request, device, token):
    """Confirm ``device`` with a code from the app; returns the new recovery codes, or None.

    The user's older authenticator is replaced, the session counts as verified, and a fresh set
    of recovery codes (shown once) replaces any earlier set.
    """
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(device.user)
    otp_login(request, device)
    logger.info("User %s enrolled an authenticator app", device.user.pk)
    return codes


def new_recovery_codes(user):
    """Replace ``user``'s recovery codes with a new set and return it (the only time it is shown)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OYAKO_2FA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def normalise_code(token):
    return "".join((token or "").split()).replace("-", "").lower()


def verify(request, token):
    """Check a code from the app or a recovery code; on success mark the session verified.

    A recovery code is deleted as it is used, so it works once.

    Returns:
        The device that accepted the code, or None.
    """
    user = request.user
    token = normalise_code(token)
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    logger.info("User %s signed in with a recovery code", user.pk)
                return device
    logger.info("User %s gave a wrong verification code", user.pk)
    return None


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset(user):
    """Remove every device of ``user`` (an administrator's reset); they enrol again on next sign-in."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    return removed
