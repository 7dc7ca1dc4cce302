from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.enums import LifeStage


class MenuKind(models.TextChoices):
    PREGNANCY = "pregnancy", _("Pregnancy")
    BABY = "baby", _("Baby")
    TODDLER = "toddler", _("Toddler and child")


MENU_FOR_STAGE = {
    LifeStage.PREGNANCY_EARLY: MenuKind.PREGNANCY,
    LifeStage.PREGNANCY_MID: MenuKind.PREGNANCY,
    LifeStage.PREGNANCY_LATE: MenuKind.PREGNANCY,
    LifeStage.POSTPARTUM: MenuKind.BABY,
    LifeStage.AGE_0_1: MenuKind.BABY,
    LifeStage.AGE_1_3: MenuKind.TODDLER,
    LifeStage.AGE_3_6: MenuKind.TODDLER,
}
