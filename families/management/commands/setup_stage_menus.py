"""``manage.py setup_stage_menus``: put the per-stage rich menus on the LINE account, then link
each follower to their stage's menu (safe to run again)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the pregnancy, baby and toddler rich menus on LINE and link followers to them."

    def handle(self, *args, **options):
        if not settings.LINE_CHANNEL_ACCESS_TOKEN:
            raise CommandError("LINE_CHANNEL_ACCESS_TOKEN is not set.")
        from families.richmenu import set_up_stage_menus, switch_menus

        for kind, created in set_up_stage_menus().items():
            self.stdout.write(f"{kind}: {'created' if created else 'already in place'}")
        self.stdout.write(f"Followers linked: {switch_menus()}")
