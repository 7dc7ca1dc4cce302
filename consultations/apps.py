from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    """Text consultations with a person: conversations on LINE or in a browser, the staff's queue,
    claims, hand-overs, notes, retention, the contractor's monthly report and the "uses" KPI line."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "consultations"
    verbose_name = _("Text consultations")
