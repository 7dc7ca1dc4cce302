"""The staff's day and week views per service, a booking's page and its actions, slots added or
cancelled, and the iCalendar feed address.

Only the service's staff group sees its bookings (:mod:`bookings.access`): any other user gets 404
for a service or booking they do not staff, as if it did not exist. Every opening of a view that
shows a booking's details is logged (``oyako.bookings_viewed``, ``oyako.booking_viewed``) with the
booking numbers only.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail.log_actions import log

from . import access, reports, services, slots
from .links import absolute
from .models import ACTIVE, Booking, BookingStatus, CalendarFeed, SessionType, Slot
from .times import TOKYO, start_of_day, today, tokyo


def _service(request, service_pk):
    service = access.services_for(request.user).filter(pk=service_pk).first()
    if service is None:
        raise Http404
    return service


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Http404 from None


def index(request):
    first = access.services_for(request.user).first()
    if first is None:
        raise PermissionDenied
    return redirect("bookings_admin:day", first.pk, today(timezone.now()).isoformat())


def _slots_between(service, first, until):
    found = (
        Slot.objects.filter(
            session_type__service=service,
            starts_at__gte=start_of_day(first),
            starts_at__lt=start_of_day(until),
        )
        .select_related("session_type")
        .prefetch_related("bookings")
        .order_by("starts_at", "session_type__name")
    )
    rows = []
    for slot in found:
        booking = next((b for b in slot.bookings.all() if b.status in ACTIVE), None)
        earlier = [b for b in slot.bookings.all() if b.status not in ACTIVE]
        rows.append({"slot": slot, "booking": booking, "earlier": earlier})
    return rows


def _log_view(request, service, rows, **data):
    numbers = [row["booking"].number for row in rows if row["booking"]]
    if numbers:
        log(service, "oyako.bookings_viewed", user=request.user, data={"bookings": numbers, **data})


def day(request, service_pk, date):
    service = _service(request, service_pk)
    the_day = _day(date)
    rows = _slots_between(service, the_day, the_day + datetime.timedelta(days=1))
    _log_view(request, service, rows, day=the_day.isoformat())
    return render(
        request,
        "bookings/admin/day.html",
        {
            "service": service,
            "services": access.services_for(request.user),
            "day": the_day,
            "previous": the_day - datetime.timedelta(days=1),
            "next": the_day + datetime.timedelta(days=1),
            "rows": rows,
            "add_form": AddSlotForm(service=service, initial={"day": the_day}),
        },
    )


def week(request, service_pk, date):
    service = _service(request, service_pk)
    the_day = _day(date)
    monday = the_day - datetime.timedelta(days=the_day.weekday())
    rows = _slots_between(service, monday, monday + datetime.timedelta(days=7))
    _log_view(request, service, rows, week=monday.isoformat())
    days = []
    for offset in range(7):
        current = monday + datetime.timedelta(days=offset)
        days.append((current, [row for row in rows if tokyo(row["slot"].starts_at).date() == current]))
    return render(
        request,
        "bookings/admin/week.html",
        {
            "service": service,
            "services": access.services_for(request.user),
            "monday": monday,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "days": days,
        },
    )


def _booking(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("slot__session_type__service"), pk=pk)
    if not access.sees_service(request.user, booking.slot.session_type.service):
        raise Http404
    return booking


class MoveForm(forms.Form):
    slot = forms.ModelChoiceField(queryset=Slot.objects.none(), label=gettext_lazy("New time"))

    def __init__(self, *args, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        open_ids = [slot.pk for slot in services.open_slots(booking.slot.session_type)]
        self.fields["slot"].queryset = Slot.objects.filter(pk__in=open_ids).order_by("starts_at")
        self.fields["slot"].label_from_instance = lambda slot: f"{slot}"


def booking_detail(request, pk):
    booking = _booking(request, pk)
    log(booking, "oyako.booking_viewed", user=request.user, data={"booking": booking.number})
    return render(
        request,
        "bookings/admin/booking.html",
        {"booking": booking, "move_form": MoveForm(booking=booking), "statuses": BookingStatus},
    )


def _back(booking):
    return redirect(
        "bookings_admin:day",
        booking.slot.session_type.service_id,
        tokyo(booking.slot.starts_at).date().isoformat(),
    )


@require_POST
def booking_action(request, pk, action):
    booking = _booking(request, pk)
    if action == "attended":
        services.mark(booking, BookingStatus.ATTENDED)
    elif action == "no_show":
        services.mark(booking, BookingStatus.NO_SHOW)
    elif action == "booked":
        services.mark(booking, BookingStatus.BOOKED)
    elif action == "cancel":
        services.cancel(booking, by_family=False)
    elif action == "move":
        form = MoveForm(request.POST, booking=booking)
        if not form.is_valid():
            messages.error(request, _("Choose one of the open times."))
            return redirect("bookings_admin:booking", booking.pk)
        try:
            services.move(booking, form.cleaned_data["slot"].pk, by_family=False)
        except services.SlotGone:
            messages.error(request, _("That time has just been taken; nothing has changed."))
            return redirect("bookings_admin:booking", booking.pk)
    else:
        raise Http404
    log(
        booking,
        "oyako.booking_changed",
        user=request.user,
        data={"booking": booking.number, "action": action},
    )
    messages.success(request, _("Booking %(number)s updated.") % {"number": booking.number})
    return _back(booking)


class AddSlotForm(forms.Form):
    session_type = forms.ModelChoiceField(
        queryset=SessionType.objects.none(), label=gettext_lazy("Session type")
    )
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=gettext_lazy("Starts at (Japan time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session_type"].queryset = SessionType.objects.filter(service=service)

    def starts_at(self):
        return datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"], tzinfo=TOKYO)


@require_POST
def add_slot(request, service_pk):
    service = _service(request, service_pk)
    form = AddSlotForm(request.POST, service=service)
    if not form.is_valid() or form.starts_at() <= timezone.now():
        messages.error(request, _("Give a session type and a time in the future."))
        return redirect("bookings_admin:day", service.pk, today(timezone.now()).isoformat())
    slot = services.add_slot(form.cleaned_data["session_type"], form.starts_at())
    messages.success(request, _("Slot added."))
    return redirect("bookings_admin:day", service.pk, tokyo(slot.starts_at).date().isoformat())


@require_POST
def cancel_slot(request, pk):
    slot = get_object_or_404(Slot.objects.select_related("session_type__service"), pk=pk)
    service = _service(request, slot.session_type.service_id)
    cancelled = services.cancel_slot(slot)
    if cancelled:
        log(
            cancelled,
            "oyako.booking_changed",
            user=request.user,
            data={"booking": cancelled.number, "action": "cancel"},
        )
        messages.success(request, _("Slot cancelled; the family is told and offered other times."))
    else:
        messages.success(request, _("Slot cancelled."))
    return redirect("bookings_admin:day", service.pk, tokyo(slot.starts_at).date().isoformat())


@require_POST
def generate(request, service_pk):
    service = _service(request, service_pk)
    created = sum(slots.generate(session_type) for session_type in service.session_types.filter(active=True))
    messages.success(request, _("%(count)s slots created from the weekly availability.") % {"count": created})
    return redirect("bookings_admin:day", service.pk, today(timezone.now()).isoformat())


def calendar_feed(request):
    if not access.sees_any(request.user):
        raise PermissionDenied
    reset = request.method == "POST"
    feed = CalendarFeed.for_user(request.user, reset=reset)
    if reset:
        messages.success(request, _("A new address was made; the old one no longer works."))
        return redirect("bookings_admin:calendar")
    url = absolute(reverse("bookings:feed", args=[feed.token]))
    return render(request, "bookings/admin/calendar.html", {"url": url})


def report(request):
    services_seen = access.services_for(request.user)
    if not services_seen.exists():
        raise PermissionDenied
    return render(
        request,
        "bookings/admin/report.html",
        {"rows": reports.monthly(services_seen), "statuses": reports.STATUSES},
    )
