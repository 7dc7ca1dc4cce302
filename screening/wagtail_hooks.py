"""Admin for the self-check: the instrument (reviewed like the bot's answers), the score bands (the
psychiatrist's, changes in the history), the report; and the self-check's hooks: its LINE
conversation, its PHQ-9 KPI source and its demo content."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from guidance.wagtail_hooks import ReviewedWordsCreateView, ReviewedWordsEditView

from . import admin_views, kpi
from .line import ScreeningHandler
from .models import Instrument, ScoreBand


class FixedBandsPolicy(ModelPermissionPolicy):
    """There are always four bands: they may be changed, never added or deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(ScoreBand, FixedBandsPolicy(ScoreBand))


class InstrumentViewSet(SnippetViewSet):
    model = Instrument
    icon = "clipboard-list"
    menu_label = _("Self-check instrument")
    add_view_class = ReviewedWordsCreateView
    edit_view_class = ReviewedWordsEditView
    list_display = ["title", "locale", "live"]


class ScoreBandViewSet(SnippetViewSet):
    model = ScoreBand
    icon = "list-ol"
    menu_label = _("Score bands")
    list_display = ["__str__", "route", "service", "follow_up_weeks"]


class ScreeningViewSetGroup(SnippetViewSetGroup):
    items = (InstrumentViewSet, ScoreBandViewSet)
    menu_icon = "clipboard-list"
    menu_label = _("Self-check")
    menu_name = "screening"


register_snippet(ScreeningViewSetGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("screening/report/", admin_views.report, name="screening_report")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.sees_report(request.user)


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(_("Self-check"), reverse("screening_report"), icon_name="clipboard-list", order=720)


@hooks.register("guidance_conversation")
def screening_handler():
    return ScreeningHandler()


@hooks.register("register_phq9_source")
def phq9_source(fiscal_year, now=None):
    return kpi.phq9_source(fiscal_year, now=now)


@hooks.register("oyako_demo_content")
def demo_content(context):
    from .demo import load

    load(context)


@hooks.register("guidance_get_help_sections")
def self_check_section(request):
    """The self-check's place on the get-help page, after the emergency numbers."""
    return render_to_string("screening/includes/get_help_link.html", request=request)
