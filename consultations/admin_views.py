"""The staff's side in the Wagtail admin: a queue per service (waiting time, topic, language, life
stage: nothing else about the family), a conversation (claim, reply, hand over, note, close), and two
small JSON views the pages poll so that they update without a reload.

Only the service's staff group and consultation supervisors reach a conversation
(:mod:`consultations.access`); every opening of one is written to the audit log.
"""

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language_info, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.log_actions import log

from . import access, services
from .models import CloseCode, ClosedBy, Conversation, Desk, StaffMember, Status

OPENED_ACTION = "oyako.consultation_opened"


def _services(request):
    services_seen = list(access.services_for(request.user))
    if not services_seen:
        raise PermissionDenied
    return services_seen


def _minutes(delta):
    return max(0, int(delta.total_seconds() // 60))


# Django's catalogues have no names for the two languages cms.settings adds to LANG_INFO; marked here
# so that get_language_info's name_translated finds them in this app's catalogue.
LANGUAGE_NAMES_DJANGO_LACKS = [gettext_noop("Easy Japanese"), gettext_noop("Filipino")]


def language_name(code):
    """A family's language by its name in the staff's language ("ベトナム語", not "vi")."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def queue_rows(service, now=None):
    now = now or timezone.now()
    return [
        {
            "id": conversation.pk,
            "url": f"{conversation.pk}/",
            "waiting_minutes": _minutes(conversation.waited(now)),
            "answered": conversation.first_answer_at is not None,
            "topic": conversation.get_topic_display(),
            "language": language_name(conversation.language),
            "life_stage": conversation.get_life_stage_display() if conversation.life_stage else "—",
            "crisis": conversation.crisis_at is not None,
            "status": conversation.get_status_display(),
            "mine": conversation.assignee_id == service._viewer_id,
            "taken": conversation.status == Status.CLAIMED,
        }
        for conversation in services.queue(service)
    ]


def _chosen_service(request):
    seen = _services(request)
    wanted = request.GET.get("service")
    service = next((s for s in seen if str(s.pk) == wanted), seen[0])
    service._viewer_id = request.user.pk
    return seen, service


def queue_view(request):
    seen, service = _chosen_service(request)
    staff, _created = StaffMember.objects.get_or_create(user=request.user)
    return render(
        request,
        "consultations/admin/queue.html",
        {"services": seen, "service": service, "rows": queue_rows(service), "staff": staff},
    )


def queue_json(request):
    _seen, service = _chosen_service(request)
    return JsonResponse({"rows": queue_rows(service)})


@require_POST
def duty_view(request):
    _services(request)
    staff, _created = StaffMember.objects.get_or_create(user=request.user)
    staff.on_duty = request.POST.get("on_duty") == "1"
    staff.save(update_fields=["on_duty"])
    return redirect("consultations_admin:queue")


def _conversation(request, pk):
    conversation = get_object_or_404(Conversation.objects.select_related("service", "assignee"), pk=pk)
    if not access.may_read(request.user, conversation):
        raise PermissionDenied
    return conversation


def _message_rows(conversation, after=0):
    return [
        {
            "id": message.pk,
            "sender": message.sender,
            "sender_label": message.get_sender_display(),
            "text": message.text,
            "crisis": message.crisis,
            "at": timezone.localtime(message.created_at).strftime("%m/%d %H:%M"),
        }
        for message in conversation.messages.filter(pk__gt=after)
    ]


def detail_view(request, pk):
    conversation = _conversation(request, pk)
    log(
        instance=conversation,
        action=OPENED_ACTION,
        user=request.user,
        data={"service": str(conversation.service)},
    )
    colleagues = []
    if conversation.service.staff_group_id:
        colleagues = (
            get_user_model()
            .objects.filter(groups=conversation.service.staff_group_id, is_active=True)
            .exclude(pk=request.user.pk)
            .order_by("last_name", "first_name")
        )
    return render(
        request,
        "consultations/admin/detail.html",
        {
            "conversation": conversation,
            "messages_rows": _message_rows(conversation),
            "notes": conversation.notes.select_related("author"),
            "close_codes": CloseCode.objects.filter(active=True),
            "colleagues": colleagues,
            "other_services": [
                desk.service
                for desk in Desk.objects.filter(active=True)
                .exclude(service=conversation.service)
                .select_related("service")
            ],
            "mine": conversation.assignee_id == request.user.pk,
            "waited": _minutes(conversation.waited()),
            "language": language_name(conversation.language),
        },
    )


def messages_json(request, pk):
    conversation = _conversation(request, pk)
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        after = 0
    return JsonResponse(
        {
            "messages": _message_rows(conversation, after),
            "status": conversation.status,
            "mine": conversation.assignee_id == request.user.pk,
        }
    )


def _act(request, pk, action):
    conversation = _conversation(request, pk)
    try:
        done = action(conversation)
    except services.ConsultationError as error:
        flash.error(request, _translated_error(error))
    else:
        if done:
            flash.success(request, done)
    return redirect("consultations_admin:detail", pk)


def _translated_error(error):
    reasons = {
        "The conversation is closed.": _("The conversation is closed."),
        "Take the conversation before answering it.": _("Take the conversation before answering it."),
        "Write an answer first.": _("Write an answer first."),
        "An answer can be at most 5,000 characters.": _("An answer can be at most 5,000 characters."),
        "Write a note first.": _("Write a note first."),
        "Choose a colleague or a service.": _("Choose a colleague or a service."),
        "That service does not take conversations.": _("That service does not take conversations."),
        "That colleague is not on the service's staff.": _("That colleague is not on the service's staff."),
        "Choose a topic code.": _("Choose a topic code."),
    }
    return reasons.get(str(error), _("That could not be done."))


@require_POST
def claim_view(request, pk):
    conversation = _conversation(request, pk)
    if services.claim(conversation.pk, request.user):
        flash.success(request, _("You took this conversation."))
    else:
        flash.error(request, _("Someone else has already taken this conversation."))
    return redirect("consultations_admin:detail", pk)


@require_POST
def reply_view(request, pk):
    def reply(conversation):
        services.reply(conversation, request.user, request.POST.get("text", ""))
        return _("Your answer was sent.")

    return _act(request, pk, reply)


@require_POST
def note_view(request, pk):
    def note(conversation):
        services.add_note(conversation, request.user, request.POST.get("text", ""))
        return _("Note added.")

    return _act(request, pk, note)


@require_POST
def handover_view(request, pk):
    def hand_over(conversation):
        target = request.POST.get("to", "")
        kind, _sep, value = target.partition(":")
        if kind == "user":
            user = get_user_model().objects.filter(pk=_int(value)).first()
            if user is None:
                raise services.ConsultationError("That colleague is not on the service's staff.")
            services.hand_over(conversation, request.user, to_user=user)
        elif kind == "service":
            desk = Desk.objects.filter(service_id=_int(value), active=True).select_related("service").first()
            if desk is None:
                raise services.ConsultationError("That service does not take conversations.")
            services.hand_over(conversation, request.user, to_service=desk.service)
        else:
            raise services.ConsultationError("Choose a colleague or a service.")
        return _("The conversation was handed over.")

    response = _act(request, pk, hand_over)
    conversation = Conversation.objects.select_related("service").get(pk=pk)
    if not access.may_read(request.user, conversation):
        return redirect("consultations_admin:queue")
    return response


@require_POST
def close_view(request, pk):
    def close(conversation):
        code = CloseCode.objects.filter(pk=_int(request.POST.get("code")), active=True).first()
        services.close(conversation, by=ClosedBy.STAFF, user=request.user, close_code=code)
        return _("The conversation was closed.")

    return _act(request, pk, close)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
