"""How the bot answers a message, in order: the crisis reply (always first, whatever backend is
configured), a menu command, the answering backend (questions and answers, then articles), and the
kind fallback."""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail import hooks

from . import conversation
from .backends import get_answer_backend
from .backends.base import Answer, Link, SettingsChoices, Text
from .crisis import normalise
from .emergency import emergency_text
from .models import CrisisReply, Route
from .review import words_for_parent

SETTINGS_COMMANDS = {"設定", "せってい", "settings", "setting"}
# The rich menu's survey area sends the first; the others are what a follower might type.
SURVEY_COMMANDS = {"アンケート", "あんけーと", "survey", "questionnaire"}
SURVEY_HOOK = "guidance_survey_invitation"


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
    numbers alone, introduced by one sentence.

    Only the words of a live revision a physician approved are sent (:func:`words_for_parent`),
    never the row an administrator may have changed since.
    """
    replies = {
        reply.language: reply
        for reply in CrisisReply.objects.filter(language__in={language, settings.LANGUAGE_CODE}, live=True)
    }
    reply = None
    for code in (language, settings.LANGUAGE_CODE):
        reply = words_for_parent(replies.get(code))
        if reply is not None:
            break
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


def survey_answer(line_user_id, language):
    """The follower's own single-use link to the survey open now, from the app that runs surveys.

    Apps answer through the ``guidance_survey_invitation`` hook: a function of ``(line_user_id,
    language)`` returning ``(title, url)`` or None. guidance never imports them.
    """
    for invitation in hooks.get_hooks(SURVEY_HOOK):
        found = invitation(line_user_id, language)
        if found:
            title, url = found
            with translation.override(language):
                text = _(
                    "Thank you for helping us improve the service. Here is your own link to "
                    "“%(title)s”. It can be used for one answer, so please do not pass it on."
                ) % {"title": title}
                return Answer(Route.MENU, [Text(text, (Link(_("Answer the survey"), url),))], language)
    with translation.override(language):
        text = _("There is no survey to answer at the moment. Thank you for your interest.")
        return Answer(Route.MENU, [Text(text)], language)


def stale_choice_answer(language):
    """The calm reply to a button whose conversation has ended or expired."""
    with translation.override(language):
        text = _(
            "That choice is no longer open, so nothing has changed. You can start again from the menu "
            "at the bottom of this chat whenever you like."
        )
        return Answer(Route.MENU, [Text(text)], language)


def answer(text, language, line_user_id=None, webhook_event_id=None):
    """The bot's answer to ``text`` from a follower whose language is ``language``.

    The crisis check and the features that may own the message (an open consultation, an unfinished
    self-check) come first, through :func:`guidance.conversation.route`.

    Returns:
        An :class:`Answer`; its ``route`` says which road found it.
    """
    language = supported_language(language)
    incoming = conversation.Incoming(
        language=language, line_user_id=line_user_id, text=text, webhook_event_id=webhook_event_id
    )
    if (owned := conversation.route(incoming)) is not None:
        return owned
    if normalise(text) in SETTINGS_COMMANDS:
        return Answer(Route.MENU, [SettingsChoices(language)], language)
    if normalise(text) in {normalise(command) for command in SURVEY_COMMANDS}:
        return survey_answer(line_user_id, language)
    found = get_answer_backend().answer(text, language)
    return found or fallback_answer(language)


def answer_postback(fields, params, language, line_user_id=None, webhook_event_id=None):
    """The answer to a feature's postback (``fields`` hold ``f=<feature>``): the feature's own, or
    the calm :func:`stale_choice_answer` when no feature takes it."""
    language = supported_language(language)
    incoming = conversation.Incoming(
        language=language,
        line_user_id=line_user_id,
        postback=dict(fields),
        params=dict(params or {}),
        webhook_event_id=webhook_event_id,
    )
    owned = conversation.route(incoming)
    return owned if owned is not None else stale_choice_answer(language)
