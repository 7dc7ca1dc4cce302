"""Signals record: an unfollowed follower's household link goes with its LINE user ID."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from notifications.models import LineFollower


@receiver(post_save, sender=LineFollower, dispatch_uid="families_forget_unfollowed")
def forget_unfollowed(sender, instance, **kwargs):
    if instance.line_user_id is None and not kwargs.get("raw"):
        from .models import Household, Member

        household_ids = list(Member.objects.filter(follower=instance).values_list("household_id", flat=True))
        if household_ids:
            Member.objects.filter(follower=instance).delete()
            Household.objects.filter(pk__in=household_ids, members__isnull=True).delete()
