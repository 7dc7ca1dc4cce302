"""The public booking pages (on the site with a contact, or from LINE with a signed link) and the
staff's iCalendar feed."""

import itertools

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from guidance import crisis

from . import calendar, links, services
from .forms import BookingForm, SiteBookingForm
from .models import CalendarFeed, Channel, SessionType
from .times import tokyo


def _days(slots):
    return [
        (day, list(group)) for day, group in itertools.groupby(slots, key=lambda s: tokyo(s.starts_at).date())
    ]


def _page(request, session_type, form, slots, status=200, **context):
    return render(
        request,
        "bookings/book.html",
        {"session_type": session_type, "form": form, "days": _days(slots), **context},
        status=status,
    )


def _attempt(request, session_type, form_class, book, **context):
    """Shared by both pages: the crisis check on the family's words first, then one booking try."""
    slots = services.open_slots(session_type)
    if request.method != "POST":
        return _page(request, session_type, form_class(), slots, **context)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, session_type, form, slots, status=400, **context)
    note = form.cleaned_data.get("note", "")
    if note and (crisis_reply := crisis.check(note, get_language())):
        # Nothing is booked or kept: the crisis reply first, the form again without the words.
        data = request.POST.copy()
        data["note"] = ""
        return _page(request, session_type, form_class(data), slots, crisis_reply=crisis_reply, **context)
    try:
        booking = book(form.cleaned_data)
    except services.SlotGone:
        form.add_error(None, services.GONE_MESSAGE)
        return _page(request, session_type, form, services.open_slots(session_type), status=409, **context)
    return render(request, "bookings/booked.html", {"booking": booking, **context})


@require_http_methods(["GET", "POST"])
def book(request, type_id):
    session_type = get_object_or_404(SessionType, pk=type_id, active=True)

    def make(data):
        return services.book(
            data["slot"],
            channel=Channel.SITE,
            language=get_language(),
            contact=data["contact"],
            note=data.get("note", ""),
        )

    return _attempt(request, session_type, SiteBookingForm, make)


@require_http_methods(["GET", "POST"])
def book_from_line(request, token):
    try:
        link = links.open_link(token)
    except links.LinkInvalid:
        return render(request, "bookings/link_invalid.html", status=410)

    def make(data):
        with transaction.atomic():
            if not links.spend(link):
                raise services.SlotGone
            return services.book(
                data["slot"],
                channel=Channel.LINE,
                language=link.language,
                line_user_id=link.line_user_id,
                note=data.get("note", ""),
            )

    return _attempt(request, link.session_type, BookingForm, make, from_line=True)


def feed(request, token):
    """A staff member's bookings as iCalendar, at a secret address; no family's details."""
    found = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404
    body = calendar.feed_for(found.user, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
