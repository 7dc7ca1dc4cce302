"""How the bot answers a message, in order: the crisis reply (always first, whatever backend is
configured), a menu command, the answering backend (questions and answers, then articles), and the
kind fallback."""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .backends import get_answer_backend
from .backends.base import Answer, Link, SettingsChoices, Text
from .crisis import message_is_crisis, normalise
from .emergency import emergency_text
from .models import CrisisReply, Route

SETTINGS_COMMANDS = {"設定", "せってい", "settings", "setting"}


def absolute(path):
    return urljoin(settings.WAGTAILADMIN_BASE_URL, path)


def get_help_url(language):
    with translation.override(language):
        return absolute(reverse("guidance:get_help"))


def supported_language(language):
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def crisis_answer(language):
    """The fixed crisis reply: the physician-approved text in the follower's language (else the
    approved Japanese one), then every emergency and crisis number. Without an approved text, the
    numbers alone, introduced by one sentence."""
    approved = {reply.language: reply for reply in CrisisReply.objects.all() if reply.approved}
    reply = approved.get(language) or approved.get(settings.LANGUAGE_CODE)
    with translation.override(language):
        intro = (
            reply.text
            if reply
            else _("If you are in danger or feel you cannot go on, call one of these now.")
        )
        text = f"{intro}\n\n{emergency_text()}"
        return Answer(Route.CRISIS, [Text(text, (Link(_("Get help"), get_help_url(language)),))], language)


def fallback_answer(language):
    with translation.override(language):
        text = _(
            "Thank you for your message. I could not find an answer to it. The consultation services "
            "below can help, and the menu at the bottom of this chat leads to articles and settings."
        )
        return Answer(Route.FALLBACK, [Text(text, (Link(_("Get help"), get_help_url(language)),))], language)


def answer(text, language):
    """The bot's answer to ``text`` from a follower whose language is ``language``.

    Returns:
        An :class:`Answer`; its ``route`` says which of the four roads found it.
    """
    language = supported_language(language)
    if message_is_crisis(text):
        return crisis_answer(language)
    if normalise(text) in SETTINGS_COMMANDS:
        return Answer(Route.MENU, [SettingsChoices(language)], language)
    found = get_answer_backend().answer(text, language)
    return found or fallback_answer(language)
