"""``manage.py load_demo_content``: build the sample site for development and reviews."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from articles.demo.loader import DemoContentError, load_demo_content


class Command(BaseCommand):
    help = (
        "Load the sample site (home page, article index, physicians, topics and approved articles) "
        "and, where DEMO_USERS_ALLOWED is on, the demo users editor, physician and admin with the "
        "password in DEMO_PASSWORD. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        users_allowed = getattr(settings, "DEMO_USERS_ALLOWED", False)
        try:
            report = load_demo_content(
                password=os.environ.get("DEMO_PASSWORD", ""), users_allowed=users_allowed
            )
        except DemoContentError as error:
            raise CommandError(f"{error} Nothing was changed.") from error

        for line in report.lines():
            self.stdout.write(line)
        if report.users:
            self.stdout.write("Demo users (password from DEMO_PASSWORD):")
            for username, group in report.users:
                self.stdout.write(f"  {username} ({group})")
        # The address make run serves (it sets WAGTAILADMIN_BASE_URL from PORT).
        admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home")
        self.stdout.write(self.style.SUCCESS(f"Demo content ready. Log in at {admin_url}"))
