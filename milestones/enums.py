from django.db import models
from django.utils.translation import gettext_lazy as _


class Moment(models.TextChoices):
    PREGNANCY = "pregnancy", _("months before the due month")
    AGE = "age", _("child's age in months")


class DispatchStatus(models.TextChoices):
    ISSUED = "issued", _("Handed to the push pipeline")
    EMPTY = "empty", _("Nobody to send to")
    HELD = "held", _("Held")
