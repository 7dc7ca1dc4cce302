"""Admin for timed messages: the series timeline, pausing, the audit actions and the KPI line."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from . import kpi, views
from .models import MessageSeriesPage


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("milestones/<int:page_id>/timeline/", views.timeline, name="milestones_timeline"),
        path("milestones/<int:page_id>/pause/", views.pause_view, name="milestones_pause"),
    ]


@hooks.register("register_page_header_buttons")
def timeline_header_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, MessageSeriesPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Timeline"),
            reverse("milestones_timeline", args=[page.pk]),
            icon_name="calendar-alt",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "oyako.timed_message_issued", _("Timed message issued"), _("Timed message issued")
    )
    actions.register_action("oyako.timed_message_held", _("Timed message held"), _("Timed message held"))
    actions.register_action(
        "oyako.timed_message_paused", _("Timed message paused"), _("Timed message paused")
    )
    actions.register_action(
        "oyako.timed_message_resumed", _("Timed message resumed"), _("Timed message resumed")
    )


KPI_NOTE = [
    _("Messages timed to each family's pregnancy month or child's age, one per family reached."),
    _("They are not included in the notifications issued above"),
    _("(the announcements the city chose to make)."),
]


@hooks.register("notifications_kpi_lines")
def timed_messages_kpi_line():
    today = timezone.localdate()
    return [
        {
            "label": _("Timed messages delivered this month"),
            "value": kpi.timed_messages_delivered_in(today.year, today.month),
            "note": " ".join(str(part) for part in KPI_NOTE),
        }
    ]
