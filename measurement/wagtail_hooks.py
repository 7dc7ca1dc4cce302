"""Measurement's hooks: the counted link and LINE unit in every push, the counted link in bot
replies, the admin pages (not-found topics, the quarterly report under KPI)."""

import dataclasses

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from outcomes.access import sees_dashboard

from . import admin_views, demo  # noqa: F401 (demo registers the oyako_demo_content hook)
from .links import tracked
from .units import unit_for


@hooks.register("notification_content")
def measured_push_content(notification, content):
    """Every push links through the hub's redirect and carries the notification's LINE unit."""
    return dataclasses.replace(
        content,
        url=tracked(content.url, notification.source, notification.pk),
        aggregation_unit=unit_for(notification),
    )


@hooks.register("guidance_reply_answer")
def measured_reply_links(answer):
    """Bot replies link through the redirect, one link per (route, target); never the crisis
    reply, which goes out as it is, depending on nothing."""
    from guidance.backends.base import Carousel, Text
    from guidance.models import Route

    if answer.route == Route.CRISIS:
        return answer
    source = f"bot:{answer.route}"
    messages = []
    for message in answer.messages:
        if isinstance(message, Text) and message.links:
            links = tuple(dataclasses.replace(link, url=tracked(link.url, source)) for link in message.links)
            message = dataclasses.replace(message, links=links)
        elif isinstance(message, Carousel):
            cards = tuple(dataclasses.replace(card, url=tracked(card.url, source)) for card in message.cards)
            message = dataclasses.replace(message, cards=cards)
        messages.append(message)
    return dataclasses.replace(answer, messages=messages)


app_name = "measurement_admin"
urlpatterns = [
    path("", admin_views.report_index, name="report"),
    path("<int:pk>/", admin_views.report_status, name="report_status"),
    path("<int:pk>/view/", admin_views.report_html, name="report_html"),
    path("<int:pk>/<str:file_format>/", admin_views.report_download, name="report_download"),
    path("not-found/", admin_views.not_found_topics, name="not_found"),
]


@hooks.register("register_admin_urls")
def register_measurement_urls():
    return [path("kpi/quarterly/", include((urlpatterns, app_name), namespace=app_name))]


class KpiReportMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_dashboard(request.user)


@hooks.register("register_kpi_menu_item")
def register_quarterly_report_menu_item():
    return KpiReportMenuItem(
        _("Quarterly report"), reverse("measurement_admin:report"), icon_name="doc-full", order=200
    )


@hooks.register("register_kpi_menu_item")
def register_not_found_menu_item():
    return KpiReportMenuItem(
        _("What parents did not find"), reverse("measurement_admin:not_found"), icon_name="search", order=300
    )


@hooks.register("push_log_figures")
def push_log_reach_opens_clicks(notification):
    """Reach, open rate and click rate (LINE's people / the hub's clicks) for the push log."""
    from .figures import for_notifications, summary

    if not notification.first_accepted_at:
        return []
    return summary(for_notifications([notification.pk])[notification.pk])
