"""Admin for bookings: session types (with their weekly availability and exceptions), the staff's day
and week views, the calendar feed and the bookings report; the LINE conversation, the KPI source
and the demo content are registered here too."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import access, admin_views
from .models import SessionType

app_name = "bookings_admin"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:service_pk>/day/<str:date>/", admin_views.day, name="day"),
    path("<int:service_pk>/week/<str:date>/", admin_views.week, name="week"),
    path("<int:service_pk>/slots/add/", admin_views.add_slot, name="add_slot"),
    path("<int:service_pk>/slots/generate/", admin_views.generate, name="generate"),
    path("slot/<int:pk>/cancel/", admin_views.cancel_slot, name="cancel_slot"),
    path("booking/<int:pk>/", admin_views.booking_detail, name="booking"),
    path("booking/<int:pk>/<str:action>/", admin_views.booking_action, name="booking_action"),
    path("calendar/", admin_views.calendar_feed, name="calendar"),
    path("report/", admin_views.report, name="report"),
]


@hooks.register("register_admin_urls")
def register_booking_urls():
    return [path("bookings/", include((urlpatterns, app_name), namespace=app_name))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return access.sees_any(request.user)


class SessionTypeViewSet(ModelViewSet):
    model = SessionType
    icon = "date"
    menu_label = _("Session types")
    list_display = ["name", "service", "role", "mode", "length_minutes", "active"]
    list_filter = ["service", "active"]

    def get_queryset(self, request):
        return SessionType.objects.filter(service__in=access.services_for(request.user))


session_types = SessionTypeViewSet("bookings_session_types")


@hooks.register("register_admin_viewset")
def register_session_types():
    return session_types


@hooks.register("register_admin_menu_item")
def register_bookings_menu():
    items = [
        StaffMenuItem(_("Day view"), reverse("bookings_admin:index"), icon_name="date", order=100),
        StaffMenuItem(_("Calendar feed"), reverse("bookings_admin:calendar"), icon_name="link", order=200),
        StaffMenuItem(_("Bookings report"), reverse("bookings_admin:report"), icon_name="table", order=300),
        session_types.get_menu_item(order=400),
    ]
    session_types_item = items[-1]

    class BookingsMenu(SubmenuMenuItem):
        def is_shown(self, request):
            return access.sees_any(request.user) or session_types_item.is_shown(request)

    return BookingsMenu(_("Bookings"), Menu(items=items), icon_name="date", order=350)


@hooks.register("register_log_actions")
def register_booking_log_actions(actions):
    actions.register_action(
        "oyako.bookings_viewed", _("Bookings viewed"), _("Bookings opened in a day or week view")
    )
    actions.register_action("oyako.booking_viewed", _("Booking viewed"), _("Booking details opened"))
    actions.register_action("oyako.booking_changed", _("Booking changed"), _("Booking changed by staff"))


@hooks.register("guidance_conversation")
def booking_conversation():
    from .conversation import BookingHandler

    return BookingHandler()


@hooks.register("register_service_use_source")
def booking_uses(fiscal_year, now=None):
    from .reports import use_source

    return use_source(fiscal_year, now=now)


@hooks.register("oyako_demo_content")
def booking_demo(context):
    from .demo import load

    load(context)


@hooks.register("guidance_service_ways")
def booking_page(service):
    """A service the hub books itself links its own booking page wherever it is shown."""
    session_type = service.session_types.filter(active=True).order_by("pk").first()
    return {"booking": reverse("bookings:book", args=[session_type.pk])} if session_type else {}
