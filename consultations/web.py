"""The family's side without LINE: a mobile page opened by a single-use signed link, no account.

Starting a conversation (topic and first message) makes its link, signed with Django's signing and
valid once: opening it ties the conversation to that browser's session and marks the link used, so
a forwarded or leaked link opens nothing. The page polls a small JSON view for the staff's replies.
The crisis check (``guidance.crisis.check``) reads every message first.
"""

from django.core import signing
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from guidance import crisis

from . import services, texts
from .models import Channel, ClosedBy, Conversation, FamilyTopic, Sender

SALT = "consultations.web-link"
LINK_MAX_AGE = 24 * 60 * 60  # seconds
SESSION_KEY = "consultation_id"


def link_for(conversation):
    """The single-use link that opens ``conversation`` in a browser."""
    token = signing.dumps({"c": conversation.public_id.hex}, salt=SALT, compress=True)
    return reverse("consultations:open_link", args=[token])


def _crisis_lines(answer):
    return [
        {"text": message.text, "links": [{"label": link.label, "url": link.url} for link in message.links]}
        for message in (answer.messages if answer else [])
    ]


@never_cache
def start(request):
    """Choose a topic and write the first message."""
    error = None
    crisis_reply = None
    if request.method == "POST":
        topic = request.POST.get("topic", "")
        text = (request.POST.get("text") or "").strip()
        language = get_language()
        reply = crisis.check(text, language) if text else None
        if topic not in FamilyTopic.values:
            error = _("Choose what you would like to talk about.")
        elif not text:
            error = _("Write your message.")
        elif len(text) > 5000:
            error = _("A message can be at most 5,000 characters.")
        else:
            try:
                with transaction.atomic():
                    conversation, _created = services.open_conversation(
                        topic=topic, channel=Channel.WEB, language=language
                    )
                    services.add_family_message(conversation, text, crisis=bool(reply))
            except services.ConsultationError:
                error = _("Sorry, this consultation is not available at the moment.")
            else:
                if reply is None:
                    return redirect(link_for(conversation))
                crisis_reply = _crisis_lines(reply)
                return render(
                    request,
                    "consultations/web_start.html",
                    {"crisis": crisis_reply, "link": link_for(conversation), "topics": FamilyTopic.choices},
                )
        if reply is not None:
            crisis_reply = _crisis_lines(reply)
    return render(
        request,
        "consultations/web_start.html",
        {"topics": FamilyTopic.choices, "error": error, "crisis": crisis_reply, "posted": request.POST},
        status=400 if error else 200,
    )


@never_cache
def open_link(request, token):
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return render(request, "consultations/web_link_used.html", status=403)
    conversation = Conversation.objects.filter(public_id=data.get("c", "")).first()
    if conversation is None:
        return render(request, "consultations/web_link_used.html", status=403)
    used = Conversation.objects.filter(pk=conversation.pk, web_link_used_at__isnull=True).update(
        web_link_used_at=timezone.now()
    )
    if not used:
        return render(request, "consultations/web_link_used.html", status=403)
    request.session.cycle_key()
    request.session[SESSION_KEY] = conversation.pk
    return redirect("consultations:chat")


def _session_conversation(request):
    pk = request.session.get(SESSION_KEY)
    conversation = (
        Conversation.objects.filter(pk=pk, channel=Channel.WEB, purged_at__isnull=True)
        .select_related("service__desk")
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def _rows(conversation, after=0):
    return [
        {
            "id": message.pk,
            "mine": message.sender == Sender.FAMILY,
            "who": _("You") if message.sender == Sender.FAMILY else _("Staff"),
            "text": message.text,
            "at": timezone.localtime(message.created_at).strftime("%H:%M"),
        }
        for message in conversation.messages.filter(pk__gt=after)
    ]


@never_cache
def chat(request):
    conversation = _session_conversation(request)
    crisis_reply = None
    error = None
    if request.method == "POST":
        text = (request.POST.get("text") or "").strip()
        reply = crisis.check(text, conversation.language) if text else None
        if not text:
            error = _("Write your message.")
        elif len(text) > 5000:
            error = _("A message can be at most 5,000 characters.")
        else:
            try:
                with transaction.atomic():
                    services.add_family_message(conversation, text, crisis=bool(reply))
            except services.ConsultationError:
                error = _("This consultation has ended.")
        crisis_reply = _crisis_lines(reply)
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"error": error, "crisis": crisis_reply}, status=400 if error else 200)
        if not error and not crisis_reply:
            return redirect("consultations:chat")
    status_text = texts.who_and_when(conversation, services.waiting_ahead(conversation)).text
    return render(
        request,
        "consultations/web_chat.html",
        {
            "conversation": conversation,
            "rows": _rows(conversation),
            "status_text": status_text,
            "crisis": crisis_reply,
            "error": error,
            "ratings": range(1, 6),
        },
        status=400 if error else 200,
    )


@never_cache
def chat_json(request):
    conversation = _session_conversation(request)
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        after = 0
    return JsonResponse({"messages": _rows(conversation, after), "open": conversation.is_open})


@require_POST
def close(request):
    conversation = _session_conversation(request)
    services.close(conversation, by=ClosedBy.FAMILY)
    return redirect("consultations:chat")


@require_POST
def rate(request):
    conversation = _session_conversation(request)
    if not services.rate(conversation, request.POST.get("rating")):
        return HttpResponseBadRequest(_("Choose a rating from 1 to 5."))
    return redirect("consultations:chat")
