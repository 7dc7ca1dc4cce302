"""Admin: services and questions for editors, the crisis list and reply for administrators only,
and the bot report (replies per route and month, the masked unanswered questions).

Answers and crisis replies are reviewed in the Medical review workflow (:mod:`guidance.review`):
their editors submit, a reviewer approves in the same editor (the task opens it to them)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import ConsultationService, CrisisExpression, CrisisReply, QuestionAnswer
from .review import is_approved, refusal_message


class AdministratorsOnlyPolicy(ModelPermissionPolicy):
    """Only superusers (the Administrators) may see or change these models, whatever a group grants."""

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True, is_superuser=True)


register_permission_policy(CrisisExpression, AdministratorsOnlyPolicy(CrisisExpression))
register_permission_policy(CrisisReply, AdministratorsOnlyPolicy(CrisisReply))


class RefuseUnapprovedPublishMixin:
    """The editor's "Publish" of words no reviewer approved: a clear refusal, the draft kept.

    The model refuses it anyway (:class:`guidance.review.ReviewedWordsMixin`); this only says why,
    instead of Wagtail's bare "permission denied".
    """

    def publish_action(self):
        if not is_approved(self.new_revision, self.object):
            messages.error(self.request, refusal_message(self.object))
            return redirect(self.get_edit_url())
        return super().publish_action()


class ReviewedWordsCreateView(RefuseUnapprovedPublishMixin, CreateView):
    pass


class ReviewedWordsEditView(RefuseUnapprovedPublishMixin, EditView):
    pass


class ConsultationServiceViewSet(SnippetViewSet):
    model = ConsultationService
    icon = "help"
    menu_label = _("Services")
    list_display = ["name", "audience", "cost", "locale"]
    search_fields = ["name"]


class QuestionAnswerViewSet(SnippetViewSet):
    model = QuestionAnswer
    icon = "openquote"
    menu_label = _("Bot answers")
    add_view_class = ReviewedWordsCreateView
    edit_view_class = ReviewedWordsEditView
    list_display = ["question", "service", "active", "locale"]
    search_fields = ["question"]


class CrisisExpressionViewSet(SnippetViewSet):
    model = CrisisExpression
    icon = "warning"
    menu_label = _("Crisis expressions")
    list_display = ["expression", "kind", "normalised"]
    list_filter = ["kind"]


class CrisisReplyViewSet(SnippetViewSet):
    model = CrisisReply
    icon = "warning"
    menu_label = _("Crisis reply")
    add_view_class = ReviewedWordsCreateView
    edit_view_class = ReviewedWordsEditView
    list_display = ["language", "approved_by"]


class GuidanceViewSetGroup(SnippetViewSetGroup):
    items = (ConsultationServiceViewSet, QuestionAnswerViewSet, CrisisExpressionViewSet, CrisisReplyViewSet)
    menu_icon = "help"
    menu_label = _("Get help")
    menu_name = "guidance"


register_snippet(GuidanceViewSetGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("guidance/bot-report/", admin_views.bot_report, name="guidance_bot_report")]


class BotReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("guidance.view_unansweredquestion")


@hooks.register("register_reports_menu_item")
def register_bot_report_menu_item():
    return BotReportMenuItem(_("LINE bot"), reverse("guidance_bot_report"), icon_name="help", order=710)
