"""The self-check on LINE: a feature of the guidance router (:mod:`guidance.conversation`).

It owns 「こころのチェック」 (and a few ways to write it), the follower's open check, and the
postbacks ``f=screening&…``: ``s`` the session's token, ``q`` the step the button belongs to, and
one of ``c`` (consent: keep, none, no), ``a`` (an answer 0–3), ``b`` (back), ``x`` (stop); ``fu``
and ``k`` for the follow-up offer and invitation, ``w`` to delete kept results.

Each item is one message with quick replies. A repeated event (the reply retried) gets the same
reply and changes nothing; a button from an ended or expired check gets a calm reply.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from guidance.answering import crisis_answer, get_help_url, stale_choice_answer
from guidance.backends.base import Answer, Link, QuickReply, Text
from guidance.conversation import ConversationHandler, postback_data
from guidance.crisis import normalise
from guidance.models import Route as BotRoute

from . import flow, followup, routing
from .models import ITEMS, Channel, CheckRecord, KeptResult, Outcome

NAME = "screening"
START_COMMANDS = {
    normalise(text)
    for text in (
        "こころのチェック",
        "心のチェック",
        "ココロのチェック",
        "こころチェック",
        "こころの チェック",
        "self-check",
        "self check",
        "mood check",
    )
}
STOP_COMMANDS = {normalise(text) for text in ("やめる", "中止", "stop", "quit")}
WITHDRAW_COMMANDS = {
    normalise(text)
    for text in ("チェックの記録を消す", "こころのチェックの記録を消す", "delete my check results")
}


def data(**fields):
    return postback_data(NAME, **fields)


def _answer(messages, language, route=BotRoute.SCREENING):
    return Answer(route, messages, language)


def help_link(language):
    with override(language):
        return Link(_("Get help"), get_help_url(language))


def no_check_answer(language):
    """No approved instrument in the family's language nor in Japanese: no check, and whom to call."""
    band = flow.counselling_band()
    with override(language):
        lines = [
            _(
                "The self-check is not available at the moment. If you are worried about how you have "
                "been feeling, please talk to one of the services below."
            )
        ]
        links = [help_link(language)]
        if band is not None:
            service, service_text = routing.service_lines(band.service, language)
            lines += ["", *service_text]
            if service.start_url():
                links.insert(0, Link(service.name, service.start_url()))
        return _answer([Text("\n".join(lines), tuple(links))], language)


def intro_messages(session, words, language):
    with override(language):
        text = words.words.intro
        if session.fallback:
            text = (
                _("This check is not yet available in your language, so it is shown in Japanese.")
                + "\n\n"
                + text
            )
        choices = (
            QuickReply(_("Start, keep result"), data=data(s=session.token, q=0, c="keep")),
            QuickReply(_("Start, keep nothing"), data=data(s=session.token, q=0, c="none")),
            QuickReply(_("Not now"), data=data(s=session.token, q=0, c="no")),
        )
        return [Text(text), Text(words.words.consent, quick_replies=choices)]


def item_message(session, words, language):
    step = session.step
    with override(language):
        choices = [
            QuickReply(label, data=data(s=session.token, q=step, a=value))
            for value, label in enumerate(words.words.options())
        ]
        if step > 1:
            choices.append(
                QuickReply(pgettext("self-check", "Back"), data=data(s=session.token, q=step, b=1))
            )
        choices.append(QuickReply(pgettext("self-check", "Stop"), data=data(s=session.token, q=step, x=1)))
        heading = _("Question %(number)s of %(count)s") % {"number": step, "count": ITEMS}
        return Text(
            f"{heading}\n{words.words.stem}\n\n{words.words.item(step)}", quick_replies=tuple(choices)
        )


def current_messages(session, words, language):
    if session.step == 0:
        return intro_messages(session, words, language)
    return [item_message(session, words, language)]


def item9_answer(language):
    """The approved crisis reply at once, with the counselling service's crisis contact and
    whether it is open now."""
    crisis = crisis_answer(language)
    messages = list(crisis.messages)
    band = flow.counselling_band()
    if band is not None:
        service, lines = routing.service_lines(band.service, language)
        with override(language):
            intro = _("The city's counselling service can also talk with you:")
            links = (Link(service.name, service.start_url()),) if service.start_url() else ()
            messages.append(Text("\n".join([intro, *lines]), links))
    return Answer(BotRoute.CRISIS, messages[:5], language)


def result_messages(result, words, language, kept_token=None):
    band = result.band
    service, articles = routing.route_of(band, language)
    with override(language):
        lines = [words.words.closing(band.level)]
        links = []
        if service is not None:
            _service, service_text = routing.service_lines(service, language)
            lines += ["", *service_text]
            if service.start_url():
                links.append(Link(service.name, service.start_url()))
        for article in articles:
            links.append(Link(article.title, article.get_full_url()))
        if band.series_url and service is None:
            links.append(Link(_("Self-care series"), band.series_url))
        links.append(help_link(language))
        messages = [Text("\n".join(lines), tuple(links))]
        if kept_token:
            weeks = band.follow_up_weeks
            choices = []
            text = _("Your result is kept (the date, and the total only). You can delete it at any time.")
            if weeks and result.kept is not None and result.kept.follows_id is None:
                text = _(
                    "Your result is kept (the date, and the total only). Would you like one invitation to "
                    "check again in %(weeks)s weeks? You can delete the result at any time."
                ) % {"weeks": weeks}
                choices += [
                    QuickReply(_("Yes, invite me"), data=data(fu="yes", k=kept_token)),
                    QuickReply(_("No, thank you"), data=data(fu="no", k=kept_token)),
                ]
            choices.append(QuickReply(_("Delete my result"), data=data(w=kept_token)))
            messages.append(Text(text, quick_replies=tuple(choices)))
        return messages


def plain(language, text):
    return _answer([Text(text)], language)


class ScreeningHandler(ConversationHandler):
    name = NAME
    order = 20

    def handle(self, incoming):
        if not incoming.line_user_id:
            return None
        key = flow.subscriber_key(incoming.line_user_id)
        language = incoming.language
        if incoming.postback:
            return self.postback(incoming, key, language)
        said = normalise(incoming.text or "")
        session = flow.open_session(key, Channel.LINE)
        if said in START_COMMANDS:
            if session is not None:
                words = flow.session_words(session)
                if words is not None:
                    return _answer(current_messages(session, words, language), language)
                flow.end(session, Outcome.WITHDRAWN)
            return self.start(incoming, key, language)
        if said in WITHDRAW_COMMANDS:
            return self.withdraw(key, language)
        if session is None:
            return None
        if said in STOP_COMMANDS:
            flow.end(session, Outcome.STOPPED, incoming.webhook_event_id)
            return self.stopped(language)
        words = flow.session_words(session)
        if words is None:
            flow.end(session, Outcome.WITHDRAWN, incoming.webhook_event_id)
            return self.changed(language)
        with override(language):
            hint = Text(_("Please answer with the buttons below. To stop the check, write “stop”."))
        return _answer([hint, *current_messages(session, words, language)], language)

    def on_crisis(self, incoming):
        if incoming.line_user_id:
            key = flow.subscriber_key(incoming.line_user_id)
            for session in flow.CheckSession.objects.filter(subscriber_key=key, channel=Channel.LINE):
                flow.end(session, Outcome.CRISIS, incoming.webhook_event_id)

    # Replies

    def start(self, incoming, key, language, follows=None):
        words = flow.instrument_for(language)
        if words is None:
            return no_check_answer(language)
        session = flow.begin(
            key, Channel.LINE, language, words, follows=follows, event_id=incoming.webhook_event_id
        )
        return _answer(intro_messages(session, words, language), language)

    def stopped(self, language):
        with override(language):
            return plain(
                language,
                _("The check has stopped and your answers were deleted. You can start again at any time."),
            )

    def changed(self, language):
        with override(language):
            return plain(
                language,
                _(
                    "The check was updated, so this one cannot go on. "
                    "Please start again with “こころのチェック”."
                ),
            )

    def withdraw(self, key, language):
        deleted = flow.withdraw(key)
        with override(language):
            if deleted:
                return plain(
                    language, _("Your kept self-check results were deleted. No invitation will be sent.")
                )
            return plain(language, _("No self-check result of yours is kept."))

    def replay(self, record, language):
        """The reply to a repeated event that already ended a check."""
        if record.outcome == Outcome.ITEM_9:
            return item9_answer(language)
        if record.outcome == Outcome.FINISHED and record.level:
            words = flow.instrument_for(language)
            band = flow.bands()[record.level - 1] if words else None
            if band is not None:
                result = flow.Result(band, 0, None, record.pk)
                return _answer(result_messages(result, words, language), language)
        return self.stopped(language)

    def postback(self, incoming, key, language):
        fields = incoming.postback
        event_id = incoming.webhook_event_id
        if "fu" in fields or "w" in fields:
            return self.kept_postback(incoming, key, language)
        if event_id:
            record = CheckRecord.objects.filter(closing_event_id=event_id).first()
            if record is not None:
                return self.replay(record, language)
        session = flow.open_session(key, Channel.LINE)
        if session is None or fields.get("s") != session.token:
            return stale_choice_answer(language)
        words = flow.session_words(session)
        if words is None:
            flow.end(session, Outcome.WITHDRAWN, event_id)
            return self.changed(language)
        if event_id and session.last_event_id == event_id:
            return _answer(current_messages(session, words, language), language)
        if fields.get("q") != str(session.step):
            # A button of an item already answered (or not yet reached): nothing changes.
            with override(language):
                note = Text(_("That question has already been answered. Here is where the check is now."))
            return _answer([note, *current_messages(session, words, language)], language)
        if "x" in fields:
            flow.end(session, Outcome.STOPPED, event_id)
            return self.stopped(language)
        if session.step == 0:
            choice = fields.get("c")
            if choice == "no":
                flow.end(session, Outcome.STOPPED, event_id)
                with override(language):
                    return plain(
                        language, _("All right. Nothing was kept. You can start the check at any time.")
                    )
            if choice not in ("keep", "none"):
                return stale_choice_answer(language)
            flow.consent(session, choice == "keep", event_id)
            return _answer(current_messages(session, words, language), language)
        if "b" in fields:
            flow.back(session, event_id)
            return _answer(current_messages(session, words, language), language)
        try:
            step = flow.answer(session, fields.get("a", ""), event_id)
        except ValueError:
            return stale_choice_answer(language)
        if step == "item9":
            flow.end(session, Outcome.ITEM_9, event_id)
            return item9_answer(language)
        if step == "done":
            result = flow.finish(session, event_id)
            return _answer(
                result_messages(result, words, language, result.kept.token if result.kept else None), language
            )
        return _answer(current_messages(session, words, language), language)

    def kept_postback(self, incoming, key, language):
        fields = incoming.postback
        token = fields.get("k") or fields.get("w")
        kept = KeptResult.objects.filter(token=token, subscriber_key=key).first()
        if kept is None:
            return stale_choice_answer(language)
        if "w" in fields:
            return self.withdraw(key, language)
        choice = fields["fu"]
        with override(language):
            if choice == "yes":
                if kept.follow_up_wanted or kept.follows_id:
                    return plain(language, _("Your invitation is already arranged."))
                band = flow.bands()[kept.level - 1]
                with transaction.atomic():
                    row = followup.invite(kept, incoming.line_user_id, language, band.follow_up_weeks)
                if row is None:
                    return stale_choice_answer(language)
                text = _("We will send you one invitation in %(weeks)s weeks. You can say no to it then.") % {
                    "weeks": band.follow_up_weeks
                }
                choices = (QuickReply(_("Cancel the invitation"), data=data(fu="no", k=kept.token)),)
                return _answer([Text(text, quick_replies=choices)], language)
            if choice == "no":
                if kept.follow_up_wanted:
                    KeptResult.objects.filter(pk=kept.pk).update(follow_up_wanted=False)
                    followup.cancel(kept.pk, "declined")
                return plain(language, _("All right, no invitation will be sent."))
            if choice == "start":
                if not kept.follow_up_wanted or KeptResult.objects.filter(follows=kept).exists():
                    return stale_choice_answer(language)
                return self.start(incoming, key, language, follows=kept)
        return stale_choice_answer(language)
