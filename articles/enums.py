from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeStage(models.TextChoices):
    """The stages of a family's journey that articles and subscribers are matched on."""

    PREGNANCY_EARLY = "pregnancy_early", _("Pregnancy, early (up to 15 weeks)")
    PREGNANCY_MID = "pregnancy_mid", _("Pregnancy, middle (16 to 27 weeks)")
    PREGNANCY_LATE = "pregnancy_late", _("Pregnancy, late (28 weeks on)")
    POSTPARTUM = "postpartum", _("After birth (postpartum)")
    AGE_0_1 = "age_0_1", _("Baby, 0 to 1 year")
    AGE_1_3 = "age_1_3", _("Toddler, 1 to 3 years")
    AGE_3_6 = "age_3_6", _("Child, 3 to 6 years")


class Specialty(models.TextChoices):
    PAEDIATRICS = "paediatrics", _("Paediatrics")
    OBSTETRICS_GYNAECOLOGY = "obstetrics_gynaecology", _("Obstetrics and gynaecology")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    MIDWIFERY = "midwifery", _("Midwifery")
    PUBLIC_HEALTH_NURSING = "public_health_nursing", _("Public-health nursing")
