"""The fixed words a consultation sends a family. None can carry advice (who answers, when, that a
message was sent, a request for a rating), so they are not reviewed content; advice comes only from
the service's own professionals in their replies."""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from guidance.backends.base import Link, QuickReply, Text
from guidance.conversation import postback_data

from .models import FamilyTopic

FEATURE = "consult"


def topic_choices(language):
    with translation.override(language):
        return Text(
            _("What would you like to talk about? Choose one, then write your message."),
            quick_replies=tuple(
                QuickReply(str(label)[:20], data=postback_data(FEATURE, a="topic", t=value))
                for value, label in FamilyTopic.choices
            ),
        )


def _when(moment):
    local = timezone.localtime(moment)
    return formats.date_format(
        local, "DATETIME_FORMAT" if local.date() != timezone.localdate() else "TIME_FORMAT"
    )


def who_and_when(conversation, ahead, now=None):
    """Who will answer and how soon, or when someone will be on duty and what to do now."""
    from guidance.answering import get_help_url
    from guidance.emergency import emergency_text

    now = now or timezone.now()
    service = conversation.service
    status = service.status(now)
    language = conversation.language
    with translation.override(language):
        name = str(_localised(service, language))
        if status.is_open:
            minutes = service.desk.first_answer_minutes
            if ahead:
                text = _(
                    "The staff of %(service)s will answer you here. %(ahead)s families are waiting "
                    "before you; we aim to answer within %(minutes)s minutes. Please write your message."
                ) % {"service": name, "ahead": ahead, "minutes": minutes}
            else:
                text = _(
                    "The staff of %(service)s will answer you here, usually within %(minutes)s minutes. "
                    "Please write your message."
                ) % {"service": name, "minutes": minutes}
            return Text(text, quick_replies=(end_button(conversation, language),))
        if status.next_opens:
            when = _("Someone will be on duty from %(when)s and will answer then.") % {
                "when": _when(status.next_opens)
            }
        else:
            when = _("We cannot say yet when someone will be on duty.")
        text = _(
            "No one at %(service)s is on duty right now. %(when)s You can write your message now; it "
            "will be kept for them. If you are worried now, call one of these:"
        ) % {"service": name, "when": when}
        return Text(
            f"{text}\n\n{emergency_text()}",
            links=(Link(_("Get help"), get_help_url(language)),),
            quick_replies=(end_button(conversation, language),),
        )


def _localised(service, language):
    from guidance.models import ConsultationService

    translated = ConsultationService.objects.filter(
        translation_key=service.translation_key, locale__language_code=language
    ).first()
    return translated or service


def end_button(conversation, language):
    with translation.override(language):
        return QuickReply(
            _("End the consultation")[:20], data=postback_data(FEATURE, a="close", c=conversation.pk)
        )


def sent(conversation):
    with translation.override(conversation.language):
        return Text(
            _("Your message was sent to the staff."),
            quick_replies=(end_button(conversation, conversation.language),),
        )


def rating_question(conversation):
    with translation.override(conversation.language):
        return Text(
            _("The consultation has ended. How helpful was it? (1 = not at all, 5 = very)"),
            quick_replies=tuple(
                QuickReply(str(score), data=postback_data(FEATURE, a="rate", c=conversation.pk, r=score))
                for score in range(5, 0, -1)
            ),
        )


def closed_by_staff(conversation):
    return rating_question(conversation)


def thanks(language):
    with translation.override(language):
        return Text(_("Thank you for your answer."))


def no_service(language):
    from guidance.answering import get_help_url

    with translation.override(language):
        return Text(
            _("Sorry, this consultation is not available at the moment. The services below can help."),
            links=(Link(_("Get help"), get_help_url(language)),),
        )


def already_open(conversation):
    with translation.override(conversation.language):
        return Text(
            _("Your consultation is still open: just write your message here."),
            quick_replies=(end_button(conversation, conversation.language),),
        )
