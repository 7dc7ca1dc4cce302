"""Admin and hooks: the staff's queue and the results report in the menu, the desks, closing codes
and staff members as snippets, the audit action types, and the hub hooks this app answers
(the LINE conversation feature, the KPI's uses source, the demo content)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from security.audit import formatter

from . import access, admin_urls
from .models import CloseCode, Desk, StaffMember

AUDIT_ACTIONS = [
    ("oyako.consultation_opened", _("Consultation opened"), _("Conversation opened by staff (%(service)s)")),
]


@hooks.register("guidance_conversation")
def consultation_handler():
    from .line import ConsultationHandler

    return ConsultationHandler()


@hooks.register("register_service_use_source")
def consultation_uses(fiscal_year, now=None):
    from .report import use_source

    return use_source(fiscal_year, now=now)


@hooks.register("oyako_demo_content")
def consultation_demo(context):
    from .demo import load_demo_consultations

    load_demo_consultations(context)


@hooks.register("register_log_actions")
def register_consultation_actions(actions):
    for action, label, message in AUDIT_ACTIONS:
        actions.register_action(action)(formatter(label, message))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("consultations/", include(admin_urls, namespace="consultations_admin"))]


class StaffOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return access.sees_any(request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return StaffOnlyMenuItem(
        _("Consultations"), reverse("consultations_admin:queue"), icon_name="mail", order=250
    )


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return StaffOnlyMenuItem(
        _("Consultation results"), reverse("consultations_admin:report"), icon_name="table", order=720
    )


class DeskViewSet(SnippetViewSet):
    model = Desk
    icon = "mail"
    menu_label = _("Desks")
    list_display = ["service", "first_answer_minutes", "active"]


class CloseCodeViewSet(SnippetViewSet):
    model = CloseCode
    icon = "tag"
    menu_label = _("Closing topic codes")
    list_display = ["code", "name", "active"]


class StaffMemberViewSet(SnippetViewSet):
    model = StaffMember
    icon = "user"
    menu_label = _("Staff LINE and duty")
    list_display = ["user", "on_duty"]


class ConsultationViewSetGroup(SnippetViewSetGroup):
    items = (DeskViewSet, CloseCodeViewSet, StaffMemberViewSet)
    menu_icon = "mail"
    menu_label = _("Consultation settings")
    menu_name = "consultation-settings"
    menu_order = 260


register_snippet(ConsultationViewSetGroup)


@hooks.register("guidance_service_ways")
def browser_consultation(service):
    """A service whose desk takes conversations links the hub's own browser consultation."""
    takes = Desk.objects.filter(service=service, active=True).exists()
    return {"web": reverse("consultations:start")} if takes else {}
