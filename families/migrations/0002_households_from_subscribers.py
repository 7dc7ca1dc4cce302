"""Every follower or device with a due or birth month becomes a household with one child.

The month moves to the child (the subscriber's own fields are cleared, its stage stays "chosen"),
and each timed message the subscriber already received is recorded as received by the child, and
by the subscriber for that child's month, so nothing is sent twice across the migration.
"""

import hashlib
import hmac
import uuid

from django.conf import settings
from django.db import migrations

from families.keys import child_key, subscriber_month_key

CHUNK = 1000


def _old_key(channel, identifier):
    # milestones.services.subscriber_key as it was when this migration was written.
    secret = (getattr(settings, "MILESTONES_SUBSCRIBER_KEY_SECRET", "") or settings.SECRET_KEY).encode()
    return hmac.new(secret, f"{channel}:{identifier}".encode(), hashlib.sha256).hexdigest()


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def forwards(apps, schema_editor):
    Household = apps.get_model("families", "Household")
    Child = apps.get_model("families", "Child")
    Member = apps.get_model("families", "Member")
    Receipt = apps.get_model("milestones", "Receipt")
    TimedMessage = apps.get_model("milestones", "TimedMessage")
    subscribers = [
        ("line", apps.get_model("notifications", "LineFollower"), "line_user_id", "follower_id"),
        ("fcm", apps.get_model("notifications", "AppDevice"), "token", "device_id"),
    ]
    moments = {pk: (moment, months) for pk, moment, months in TimedMessage.objects.values_list("pk", "moment", "months")}
    for channel, model, id_field, member_field in subscribers:
        rows = (
            model.objects.filter(**{f"{id_field}__isnull": False})
            .exclude(due_month__isnull=True, birth_month__isnull=True)
            .order_by("pk")
            .values_list("pk", id_field, "due_month", "birth_month")
        )
        batch = list(rows[:CHUNK])
        while batch:
            _migrate(batch, channel, model, member_field, Household, Child, Member, Receipt, moments)
            batch = list(rows.filter(pk__gt=batch[-1][0])[:CHUNK])


def _migrate(batch, channel, model, member_field, Household, Child, Member, Receipt, moments):
    households = Household.objects.bulk_create([Household() for _row in batch])
    kids = []
    for household, (_pk, _identifier, due_month, birth_month) in zip(households, batch, strict=True):
        kids.append(Child(household=household, due_month=due_month, birth_month=birth_month, key=uuid.uuid4()))
    Child.objects.bulk_create(kids)
    Member.objects.bulk_create(
        [
            Member(household=household, role="migrated", **{member_field: row[0]})
            for household, row in zip(households, batch, strict=True)
        ]
    )
    by_old_key = {
        _old_key(channel, identifier): (identifier, child.key)
        for (_pk, identifier, _due, _birth), child in zip(batch, kids, strict=True)
    }
    copies = []
    for receipt in Receipt.objects.filter(subscriber_key__in=list(by_old_key)).select_related("dispatch"):
        identifier, key = by_old_key[receipt.subscriber_key]
        copies.append(
            Receipt(
                message_id=receipt.message_id,
                subscriber_key=child_key(key),
                dispatch_id=receipt.dispatch_id,
                created_at=receipt.created_at,
            )
        )
        if receipt.message_id in moments:
            moment, months = moments[receipt.message_id]
            offset = months if moment == "pregnancy" else -months
            reference = _add_months(receipt.dispatch.cohort_month, offset)
            copies.append(
                Receipt(
                    message_id=receipt.message_id,
                    subscriber_key=subscriber_month_key(channel, identifier, reference),
                    dispatch_id=receipt.dispatch_id,
                    created_at=receipt.created_at,
                )
            )
    Receipt.objects.bulk_create(copies, batch_size=CHUNK, ignore_conflicts=True)
    model.objects.filter(pk__in=[row[0] for row in batch]).update(
        due_month=None, birth_month=None, stage_chosen=True
    )


def backwards(apps, schema_editor):
    """Each subscriber takes back the month of its household's first child; households go."""
    Member = apps.get_model("families", "Member")
    Child = apps.get_model("families", "Child")
    Household = apps.get_model("families", "Household")
    for member in Member.objects.all().iterator():
        child = Child.objects.filter(household_id=member.household_id).order_by("pk").first()
        if child is None:
            continue
        model = apps.get_model("notifications", "LineFollower" if member.follower_id else "AppDevice")
        model.objects.filter(pk=member.follower_id or member.device_id).update(
            due_month=child.due_month if child.birth_month is None else None,
            birth_month=child.birth_month,
            stage_chosen=True,
        )
    Household.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0001_initial"),
        ("milestones", "0005_every_series_reviewed"),
        ("notifications", "0010_merge_handed_over_and_cancelled"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
