"""Who the hub serves: households, their children, the followers and devices linked to them, and
invitations for a partner or relative.

A child is only a month: a due month (pregnancy) or a birth month, and an optional nickname the
family gives. Nothing else about a child is kept. A household lives while one of its members does;
the housekeeping task deletes one whose members have all gone.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models.subscribers import stage_for_months

from .enums import MenuKind

NICKNAME_MAX = 20


class Household(models.Model):
    """A family: its children and whoever follows them (a parent, a partner, a grandparent)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return _("Household %(pk)s") % {"pk": self.pk}


class Child(models.Model):
    """A child of a household, known only by a month and, if the family likes, a nickname."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="children")
    due_month = models.DateField(_("due month"), null=True, blank=True)
    birth_month = models.DateField(_("birth month"), null=True, blank=True)
    nickname = models.CharField(
        _("nickname"),
        max_length=NICKNAME_MAX,
        blank=True,
        help_text=_("What the family calls the child, if they chose to say; never a real name required."),
    )
    # A pseudonym for the timed messages' receipts: the same child is never sent one message twice.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["household", "pk"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_month__isnull=False) | Q(birth_month__isnull=False),
                name="families_child_has_a_month",
            )
        ]

    def __str__(self):
        return self.nickname or _("Child %(pk)s") % {"pk": self.pk}

    def life_stage(self, today=None):
        return stage_for_months(
            due_month=self.due_month, birth_month=self.birth_month, today=today or timezone.localdate()
        )

    @property
    def is_pregnancy(self):
        return self.birth_month is None


class MemberRole(models.TextChoices):
    FOUNDER = "founder", _("Signed up")
    INVITED = "invited", _("Invited")
    MIGRATED = "migrated", _("Carried over")


class Member(models.Model):
    """A LINE follower or an app device linked to a household: each hears of every child."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    follower = models.OneToOneField(
        "notifications.LineFollower",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="family_member",
    )
    device = models.OneToOneField(
        "notifications.AppDevice",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="family_member",
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.FOUNDER)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    # The per-stage rich menu LINE shows this follower, as last linked by the menu task.
    menu_linked = models.CharField(_("rich menu linked"), max_length=16, choices=MenuKind.choices, blank=True)
    # The sign-up conversation waits for a typed nickname ("nick:<child pk>") until pending_until.
    pending = models.CharField(max_length=32, blank=True, editable=False)
    pending_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.CheckConstraint(
                condition=(Q(follower__isnull=False) & Q(device__isnull=True))
                | (Q(follower__isnull=True) & Q(device__isnull=False)),
                name="families_member_one_subscriber",
            )
        ]

    def __str__(self):
        return f"{self.household_id}:{self.follower_id or '-'}:{self.device_id or '-'}"


def hash_code(code):
    """The stored form of an invitation code: a keyed hash, so a leaked table opens no household."""
    secret = settings.SECRET_KEY.encode()
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(secret + b":invitation:" + normalised.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use invitation to a household, valid for seven days; only its hash is kept."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.household_id} {self.created_at:%Y-%m-%d}"


class AppliedEvent(models.Model):
    """A LINE event the sign-up conversation has applied, so a retried reply changes nothing twice."""

    webhook_event_id = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.webhook_event_id


class StageMenu(models.Model):
    """One of the per-stage rich menus as created on LINE (its ID), by kind."""

    kind = models.CharField(max_length=16, choices=MenuKind.choices, unique=True)
    rich_menu_id = models.CharField(max_length=64)
    name = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stage rich menu")
        verbose_name_plural = _("stage rich menus")

    def __str__(self):
        return f"{self.kind} {self.rich_menu_id}"
