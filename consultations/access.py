"""Who reads a conversation: the members of its service's staff group, and consultation
supervisors (the ``consultations.supervise_conversations`` permission, granted by a group or to the
user; being a superuser is not enough, as for outcomes' health data)."""

from django.contrib.auth.models import Permission
from django.db.models import Q

SUPERVISORS_GROUP = "Consultation supervisors"
SUPERVISE_CODENAME = "supervise_conversations"


def supervises(user):
    if not (user.is_active and user.is_authenticated):
        return False
    cached = getattr(user, "_oyako_supervises_consultations", None)
    if cached is None:
        cached = (
            Permission.objects.filter(content_type__app_label="consultations", codename=SUPERVISE_CODENAME)
            .filter(Q(group__user=user) | Q(user=user))
            .exists()
        )
        user._oyako_supervises_consultations = cached
    return cached


def staff_group_ids(user):
    if not (user.is_active and user.is_authenticated):
        return set()
    return set(user.groups.values_list("pk", flat=True))


def services_for(user):
    """The (Japanese) consultation services whose conversations ``user`` may read."""
    from guidance.models import ConsultationService

    services = ConsultationService.objects.filter(desk__isnull=False)
    if supervises(user):
        return services
    return services.filter(staff_group__in=staff_group_ids(user))


def may_read(user, conversation):
    if supervises(user):
        return True
    group_id = conversation.service.staff_group_id
    return group_id is not None and group_id in staff_group_ids(user)


def sees_any(user):
    return services_for(user).exists()
