from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import views
from .models import CampaignPage


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("campaigns/reports/", views.report_index, name="campaigns_report_index"),
        path("campaigns/<int:page_id>/report/", views.report, name="campaigns_report"),
        path("campaigns/pushes/<int:dispatch_id>/confirm/", views.confirm, name="campaigns_confirm_push"),
    ]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MenuItem(
        _("Campaign reports"), reverse("campaigns_report_index"), icon_name="calendar-alt", order=700
    )


@hooks.register("register_page_header_buttons")
def campaign_report_header_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, CampaignPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Campaign report"),
            reverse("campaigns_report", args=[page.pk]),
            icon_name="calendar-alt",
            priority=60,
        )
