from django.db import models
from django.utils.translation import gettext_lazy as _


class DispatchStatus(models.TextChoices):
    """What happened to a planned push once its time came."""

    ISSUED = "issued", _("Handed to the push pipeline")
    SKIPPED = "skipped", _("Skipped")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Late: waiting for an editor to confirm")
    CANCELLED = "cancelled", _("Late: cancelled by an editor")
