"""wagtail-localize's DeepL and Google backends, told that やさしい日本語 is written by editors.

The machine translator is chosen by environment in ``cms.settings.base`` (DeepL, Google, or none:
then the editor translates by hand). Whatever a machine writes lands in the translation editor as a
draft and goes live only through the reviewer's approval, like any other translation.
"""

from django.conf import settings

from wagtail_localize.machine_translators.deepl import DeepLTranslator


def machine_translatable(target_locale):
    return target_locale.language_code not in settings.MACHINE_TRANSLATION_EXCLUDED_LANGUAGES


class EditorsDeepLTranslator(DeepLTranslator):
    def can_translate(self, source_locale, target_locale):
        return machine_translatable(target_locale) and super().can_translate(source_locale, target_locale)


# Google's codes for ours, where they differ.
GOOGLE_LANGUAGE_CODES = {"zh-hans": "zh-CN", "pt-br": "pt"}


def google_translator_class():
    """The Google backend, imported only when configured (it needs google-cloud-translate)."""
    from wagtail_localize.machine_translators.google import GoogleCloudTranslator

    class EditorsGoogleTranslator(GoogleCloudTranslator):
        def can_translate(self, source_locale, target_locale):
            return machine_translatable(target_locale) and super().can_translate(source_locale, target_locale)

        def translate(self, source_locale, target_locale, strings):
            class Code:
                def __init__(self, locale):
                    self.language_code = GOOGLE_LANGUAGE_CODES.get(locale.language_code, locale.language_code)

            return super().translate(Code(source_locale), Code(target_locale), strings)

    return EditorsGoogleTranslator


def __getattr__(name):
    if name == "EditorsGoogleTranslator":
        return google_translator_class()
    raise AttributeError(name)
