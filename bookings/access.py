"""Who sees a service's bookings: the members of its staff group (``ConsultationService.staff_group``,
set on the Japanese service) and nobody else. Seeing every service's bookings is the permission
``bookings.see_every_service``, granted to a group or a user; a superuser does not have it by being
one, and Editors and other services' staff see nothing."""

from django.contrib.auth.models import Permission
from django.db.models import Q

from guidance.models import ConsultationService

EVERY_SERVICE = "see_every_service"


def sees_every_service(user):
    if not (user.is_active and user.is_authenticated):
        return False
    cached = getattr(user, "_oyako_sees_every_booking", None)
    if cached is None:
        cached = (
            Permission.objects.filter(content_type__app_label="bookings", codename=EVERY_SERVICE)
            .filter(Q(group__user=user) | Q(user=user))
            .exists()
        )
        user._oyako_sees_every_booking = cached
    return cached


def services_for(user):
    """The (Japanese, source) services whose bookings ``user`` may see, in the page's order."""
    if not (user.is_active and user.is_authenticated):
        return ConsultationService.objects.none()
    services = ConsultationService.objects.filter(session_types__isnull=False).distinct()
    if not sees_every_service(user):
        services = services.filter(staff_group__isnull=False, staff_group__in=user.groups.all())
    return services.order_by("sort_order", "pk")


def sees_service(user, service):
    return services_for(user).filter(pk=service.source().pk).exists()


def sees_any(user):
    return services_for(user).exists()
