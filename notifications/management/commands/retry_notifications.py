"""Queue again every notification that is stuck or failed: failed batches go back in the queue
with their retry keys, and every open notification is handed to the send task."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from notifications import sending, services
from notifications.models import Notification, NotificationStatus


class Command(BaseCommand):
    help = "Retry failed batches and requeue notifications stuck in pending or sending."

    def add_arguments(self, parser):
        parser.add_argument("--notification", type=int, help="Only this notification (its ID).")
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            help="Minutes an open notification must have waited to count as stuck "
            "(default: the claim lease).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be retried.")

    def handle(self, *args, notification=None, older_than=None, dry_run=False, **options):
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must be zero or more minutes.")
        lease = settings.NOTIFICATIONS_CLAIM_LEASE
        cutoff = timezone.now() - (
            timezone.timedelta(minutes=older_than) if older_than is not None else lease
        )
        queryset = Notification.objects.all()
        if notification is not None:
            if not queryset.filter(pk=notification).exists():
                raise CommandError(f"No notification with ID {notification}.")
            queryset = queryset.filter(pk=notification)
        failed = queryset.filter(status__in=[NotificationStatus.FAILED, NotificationStatus.PARTIAL])
        stuck = queryset.filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING], created_at__lt=cutoff
        )
        targets = sorted(set(failed.values_list("pk", flat=True)) | set(stuck.values_list("pk", flat=True)))
        for pk in targets:
            if dry_run:
                self.stdout.write(f"Would retry notification {pk}")
                continue
            with transaction.atomic():
                reopened = sending.retry_failed(pk)
                if Notification.objects.filter(pk=pk, status=NotificationStatus.CANCELLED).exists():
                    self.stdout.write(f"Notification {pk}: cancelled, its page may no longer reach a parent")
                    continue
                services.queue_sending(pk)
                log(Notification.objects.get(pk=pk), "oyako.push_retried", data={"batches": reopened})
            self.stdout.write(f"Notification {pk}: {reopened} failed batches reopened, send queued")
        self.stdout.write(self.style.SUCCESS(f"{len(targets)} notifications to retry."))
