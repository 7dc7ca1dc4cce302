"""Who sees what of the scorecard: real Django permissions, granted to groups by a migration.

- ``outcomes.view_kpi_dashboard``: the dashboard, its exports and the survey results, without
  health figures. Granted to "KPI viewers" and "Administrators"; superusers have it too.
- ``outcomes.view_health_outcomes``: PHQ-9 figures, survey free text and per-case rows. Granted to
  "Outcome data" only, or to a person the city names (a user permission). A superuser is not
  entitled to health data by being one: the permission must be granted by a group or to the user.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q

DASHBOARD = "outcomes.view_kpi_dashboard"
HEALTH_CODENAME = "view_health_outcomes"
OUTCOME_GROUP = "Outcome data"
KPI_VIEWERS_GROUP = "KPI viewers"


def sees_dashboard(user):
    return user.is_active and user.has_perm(DASHBOARD)


def sees_health(user):
    """PHQ-9 figures, survey free text and case rows: granted, never implied by superuser status."""
    if not (user.is_active and user.is_authenticated):
        return False
    cached = getattr(user, "_oyako_sees_health", None)
    if cached is None:
        cached = (
            Permission.objects.filter(content_type__app_label="outcomes", codename=HEALTH_CODENAME)
            .filter(Q(group__user=user) | Q(user=user))
            .exists()
        )
        user._oyako_sees_health = cached
    return cached
