"""``manage.py setup_rich_menu``: put the hub's rich menu on the LINE account (safe to run again)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guidance.richmenu import menu_image, set_up_rich_menu


class Command(BaseCommand):
    help = (
        "Create the LINE rich menu (articles, get help, stage and language, survey) with an image drawn "
        "by the hub, and make it the default. Running it again with nothing changed changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--image-only", metavar="PATH", help="Write the menu image to PATH and stop.")

    def handle(self, *args, image_only=None, **options):
        if image_only:
            from guidance.richmenu import areas

            with open(image_only, "wb") as handle:
                handle.write(menu_image(areas()))
            self.stdout.write(f"Rich menu image written to {image_only}")
            return
        if not settings.LINE_CHANNEL_ACCESS_TOKEN:
            raise CommandError("LINE_CHANNEL_ACCESS_TOKEN is not set: there is no LINE account to set up.")
        try:
            result = set_up_rich_menu()
        except Exception as error:  # the SDK's ApiException or a network error: say it plainly
            raise CommandError(
                f"LINE refused or could not be reached: {getattr(error, 'status', '')} {error}"
            ) from error
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"Rich menu {result.rich_menu_id} created and made the default.")
            )
        elif result.made_default:
            self.stdout.write(
                f"Rich menu {result.rich_menu_id} was already there; made it the default again."
            )
        else:
            self.stdout.write(f"Rich menu {result.rich_menu_id} is already in place: nothing changed.")
        if result.deleted:
            self.stdout.write(f"Deleted {len(result.deleted)} older menu(s) of the hub.")
        if not result.has_japanese_font:
            self.stderr.write(
                "No Japanese font found: the image shows pictograms without labels. Install fonts-noto-cjk "
                "or set GUIDANCE_RICH_MENU_FONT, then run this again."
            )
