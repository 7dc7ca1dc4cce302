"""The family's side on LINE: a ``guidance.conversation`` feature named ``consult``.

It owns 「相談したい」 (and a few ways of saying it), the ``f=consult`` postbacks (topic, close,
rating) and, while a follower's conversation is open, every message they write: each is stored in
order, once per LINE event, for the staff. A crisis message is stored too, moves the conversation to
the top of its queue and alerts the staff on duty; the router sends the crisis reply.
"""

from django.db import transaction

from guidance.backends.base import Answer
from guidance.conversation import ConversationHandler
from guidance.crisis import normalise
from guidance.models import Route

from . import services, texts
from .models import Channel, ClosedBy, Conversation, Status

OPEN_COMMANDS = {
    normalise(command)
    for command in (
        "相談したい",
        "そうだんしたい",
        "相談",
        "そうだん",
        "相談する",
        "人と話したい",
        "チャット相談",
        "consult",
        "consultation",
        "talk to someone",
        "咨询",
        "tư vấn",
        "상담",
        "konsulta",
        "consulta",
    )
}


def _life_stage(line_user_id):
    from notifications.models import LineFollower

    follower = LineFollower.objects.filter(line_user_id=line_user_id).first()
    stage = follower.current_life_stage() if follower else None
    return stage.value if stage else ""


class ConsultationHandler(ConversationHandler):
    name = texts.FEATURE
    order = 10

    def handle(self, incoming):
        if not incoming.line_user_id:
            return None
        if incoming.postback:
            return self._postback(incoming)
        conversation = services.open_for_follower(incoming.line_user_id)
        if conversation is not None:
            _message, created = services.add_family_message(
                conversation, incoming.text, webhook_event_id=incoming.webhook_event_id
            )
            # The first message of a conversation is acknowledged; later ones go quietly to the staff.
            if created and conversation.family_messages == 0:
                return Answer(Route.CONSULTATION, [texts.sent(conversation)], incoming.language)
            return Answer(Route.CONSULTATION, [], incoming.language)
        if normalise(incoming.text) in OPEN_COMMANDS:
            return Answer(Route.CONSULTATION, [texts.topic_choices(incoming.language)], incoming.language)
        return None

    def _postback(self, incoming):
        action = incoming.postback.get("a")
        language = incoming.language
        if action == "topic":
            try:
                conversation, created = services.open_conversation(
                    topic=incoming.postback.get("t", ""),
                    channel=Channel.LINE,
                    language=language,
                    line_user_id=incoming.line_user_id,
                    life_stage=_life_stage(incoming.line_user_id),
                )
            except services.ConsultationError:
                return Answer(Route.CONSULTATION, [texts.no_service(language)], language)
            if not created:
                return Answer(Route.CONSULTATION, [texts.already_open(conversation)], language)
            ahead = services.waiting_ahead(conversation)
            return Answer(Route.CONSULTATION, [texts.who_and_when(conversation, ahead)], language)
        conversation = Conversation.objects.filter(
            pk=_number(incoming.postback.get("c")), line_user_id=incoming.line_user_id
        ).first()
        if conversation is None:
            return None  # a stale button: the router answers calmly
        if action == "close":
            if conversation.status != Status.CLOSED:
                services.close(conversation, by=ClosedBy.FAMILY)
            if conversation.rating is None:
                return Answer(Route.CONSULTATION, [texts.rating_question(conversation)], language)
            return Answer(Route.CONSULTATION, [texts.thanks(language)], language)
        if action == "rate":
            services.rate(conversation, incoming.postback.get("r"))
            return Answer(Route.CONSULTATION, [texts.thanks(language)], language)
        return None

    def on_crisis(self, incoming):
        conversation = services.open_for_follower(incoming.line_user_id)
        if conversation is None:
            return
        with transaction.atomic():
            services.add_family_message(
                conversation, incoming.text, webhook_event_id=incoming.webhook_event_id, crisis=True
            )


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
