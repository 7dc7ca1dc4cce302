"""Admin for outcomes: the KPI area, its menu item, the audit actions and the reported services.

Extra dashboard lines: another app registers a function with the ``register_kpi_dashboard_line``
hook; it receives the fiscal year and returns an :class:`outcomes.kpi.Series` (a label, a stated
definition and twelve :class:`outcomes.kpi.Point` values, April to March). The dashboard draws
it as a chart with a data table and the exports include it. Example::

    @hooks.register("register_kpi_dashboard_line")
    def my_line(fiscal_year):
        return Series(label, definition, points)

The timed messages' line is registered here, since outcomes reads the other apps and never the
other way round. So are the targets of the home page's KPI panel (notifications), which shows the
same targets as the dashboard. And the bot's survey command (``guidance_survey_invitation``):
guidance asks, outcomes answers with the follower's personal invitation.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .access import sees_dashboard
from .kpi import Point, Series
from .models import KpiSettings, Service

app_name = "outcomes_kpi"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<str:file_format>/", views.export, name="export"),
    path("import/", views.import_report, name="import"),
    path("surveys/<int:pk>/", views.survey_results, name="survey"),
    path("surveys/<int:pk>/announce/", views.announce_survey, name="announce"),
]


@hooks.register("register_admin_urls")
def register_kpi_urls():
    return [path("kpi/", include((urlpatterns, app_name), namespace=app_name))]


class KpiMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_dashboard(request.user)


class KpiSubmenuMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return sees_dashboard(request.user)


# Other apps add pages under KPI (the quarterly report) with the ``register_kpi_menu_item`` hook.
kpi_menu = Menu(register_hook_name="register_kpi_menu_item", construct_hook_name="construct_kpi_menu")


@hooks.register("register_kpi_menu_item")
def register_dashboard_menu_item():
    return KpiMenuItem(_("Dashboard"), reverse("outcomes_kpi:dashboard"), icon_name="table", order=100)


@hooks.register("register_admin_menu_item")
def register_kpi_menu_item():
    return KpiSubmenuMenuItem(_("KPI"), kpi_menu, icon_name="table", order=805)


@hooks.register("construct_homepage_panels", order=100)  # after notifications adds its panel
def hide_kpi_panel(request, panels):
    """The home page's KPI panel (from notifications) only for those who may open the dashboard."""
    if not sees_dashboard(request.user):
        panels[:] = [panel for panel in panels if getattr(panel, "name", None) != "notifications_kpi"]


@hooks.register("register_log_actions")
def register_kpi_log_actions(actions):
    actions.register_action("oyako.kpi_import", _("KPI report import"), _("KPI report imported"))
    actions.register_action("oyako.kpi_export", _("KPI export"), _("KPI figures exported"))
    actions.register_action(
        "oyako.health_figures_viewed", _("Health figures viewed"), _("PHQ-9 figures opened")
    )
    actions.register_action(
        "oyako.survey_free_text_viewed", _("Survey free text viewed"), _("Survey free-text answers opened")
    )


class ServiceViewSet(ModelViewSet):
    model = Service
    icon = "help"
    menu_label = _("Reported services")
    add_to_settings_menu = True
    form_fields = ["code", "name"]
    list_display = ["name", "code"]


@hooks.register("register_admin_viewset")
def register_service_viewset():
    return ServiceViewSet("outcomes_services")


@hooks.register("register_kpi_dashboard_line")
def timed_messages_delivered_line(fiscal_year):
    """Timed messages delivered per month: their own line, never in the notifications-issued KPI."""
    from milestones.kpi import timed_messages_delivered

    points = [Point(f"{month:%Y-%m}", count, count) for month, count in timed_messages_delivered(fiscal_year)]
    definition = " ".join(
        [
            str(_("Messages timed to each family's pregnancy month or child's age, one per family reached.")),
            str(_("They are not included in the notifications issued above")),
            str(_("(the announcements the city chose to make).")),
        ]
    )
    return Series(label=str(_("Timed messages delivered")), definition=definition, points=points)


@hooks.register("notifications_kpi_targets")
def kpi_panel_targets():
    config = KpiSettings.load()
    return {
        "notifications_target": config.notifications_target,
        "registrants_target": config.registrants_target,
    }


@hooks.register("guidance_survey_invitation")
def survey_invitation_for_line(line_user_id, language):
    """The bot's 「アンケート」 command: the follower's personal link to the survey open now."""
    from .invitations import for_line_user

    return for_line_user(line_user_id, language)
