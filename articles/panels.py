"""Editor panels for articles."""

from wagtail.admin.panels import Panel


class EasyJapaneseHintsPanel(Panel):
    """Hints from the やさしい日本語 checker, shown only on pages in the easy-Japanese locale.

    It checks the version being edited (as last saved); the hints never stop saving or review.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/panels/easy_japanese_hints.html"

        def is_shown(self):
            from django.conf import settings

            locale = getattr(self.instance, "locale", None) if self.instance.locale_id else None
            return locale is not None and locale.language_code in settings.EASY_JAPANESE_LANGUAGES

        def get_context_data(self, parent_context=None):
            from .easy_japanese import check_page

            context = super().get_context_data(parent_context)
            context["hints"] = check_page(self.instance)
            return context
