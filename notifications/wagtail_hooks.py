"""Admin for notifications: every admin view of the app is registered here."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import kpi, sending, services
from .models import AppDevice, DirectMessage, LineFollower, Notification, NotificationStatus
from .models.outbox import families_by_language, local_moment


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Subscribers are created and forgotten by LINE and the app, never by an editor."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return user.is_active and (user.is_superuser or super().user_has_permission(user, action))


register_permission_policy(LineFollower, ReadOnlyPermissionPolicy(LineFollower))
register_permission_policy(AppDevice, ReadOnlyPermissionPolicy(AppDevice))


class SubscriberViewSet(ModelViewSet):
    """A read-only list: identifiers appear masked, personal months not at all."""

    list_display = ["masked_id", "status", "language", "life_stage_now", "created_at", "updated_at"]
    list_filter = ["status", "language", "stage_chosen"]
    inspect_view_enabled = True
    copy_view_enabled = False
    menu_order = 100
    # Required by ModelViewSet; the policy denies add and change, so no form is ever shown.
    form_fields = ["language"]


class LineFollowerViewSet(SubscriberViewSet):
    model = LineFollower
    icon = "user"
    inspect_view_fields = [
        "masked_id",
        "status",
        "language",
        "life_stage_now",
        "followed_at",
        "unfollowed_at",
    ]


class AppDeviceViewSet(SubscriberViewSet):
    model = AppDevice
    icon = "mobile-alt"
    list_display = ["masked_id", "platform", *SubscriberViewSet.list_display[1:]]
    list_filter = ["platform", *SubscriberViewSet.list_filter]
    inspect_view_fields = ["masked_id", "platform", "status", "language", "life_stage_now", "created_at"]


class SubscribersViewSetGroup(ViewSetGroup):
    menu_label = _("Subscribers")
    menu_icon = "group"
    menu_order = 800
    items = (LineFollowerViewSet, AppDeviceViewSet)


@hooks.register("register_admin_viewset")
def register_subscribers():
    return SubscribersViewSetGroup()


# Push log: every notification with its batches; read-only except the retry of failed batches.


class PushLogPermissionPolicy(ReadOnlyPermissionPolicy):
    """Notifications are recorded by the pipeline; nobody adds, edits or deletes them here."""


register_permission_policy(Notification, PushLogPermissionPolicy(Notification))


def can_retry(user):
    return user.is_active and (user.is_superuser or user.has_perm("notifications.change_batch"))


def approval_of(revision_id):
    """The physician's approval of a revision (an article, a campaign, a timed-message series)."""
    from articles.models import ArticleApproval

    if not revision_id:
        return None
    return (
        ArticleApproval.objects.select_related("physician", "reviewer", "approved_by")
        .filter(revision_id=revision_id)
        .first()
    )


def approval_line(approval):
    """「approved by 森川 さくら on 2026年12月3日 21:05」, or blank without an approval."""
    if approval is None:
        return ""
    user = approval.approved_by
    name = approval.reviewer_name or (user.get_full_name() or user.get_username() if user else "")
    return _("approved by %(name)s on %(moment)s") % {
        "name": name,
        "moment": local_moment(approval.approved_at),
    }


class PushLogInspectView(InspectView):
    """The push log's detail, written for people: titles and approvals rather than source keys,
    local time to the minute, and no line for what is empty."""

    labels = {
        "approval": _("approval"),
        "words_page": _("campaign or series"),
        "words_approval": _("its approval"),
    }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["families_by_language"] = families_by_language(self.object)
        return context

    def get_page_subtitle(self):
        return self.object.title

    def get_field_label(self, field_name, field):
        if field_name in self.labels:
            return capfirst(self.labels[field_name])
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        if isinstance(field, models.DateTimeField):
            return local_moment(getattr(self.object, field_name))
        value = super().get_field_display_value(field_name, field)
        return value() if callable(value) else value

    def get_fields_context(self):
        return [row for row in super().get_fields_context() if row["value"] not in (None, "")]

    def get_approval_display_value(self):
        return approval_line(approval_of(self.object.revision_id))

    def _words_page(self):
        """A campaign or a series whose words the push carries, when it is not the page announced."""
        notification = self.object
        if notification.words_page_id is None or notification.words_page_id == notification.page_id:
            return None
        return notification.words_page

    def get_words_page_display_value(self):
        words_page = self._words_page()
        return words_page.title if words_page else ""

    def get_words_approval_display_value(self):
        words_page = self._words_page()
        return approval_line(approval_of(words_page.live_revision_id)) if words_page else ""

    def get_lateness_display_value(self):
        lateness = self.object.lateness
        return str(lateness - datetime.timedelta(microseconds=lateness.microseconds)) if lateness else ""


class PushLogViewSet(ModelViewSet):
    model = Notification
    inspect_view_class = PushLogInspectView
    icon = "mail"
    menu_label = _("Push log")
    menu_order = 810
    add_to_admin_menu = True
    url_prefix = "push-log"
    list_display = ["title", "announced", "status_label", "audience_label", "recipients", "created"]
    list_filter = ["status"]
    search_fields = ["title", "source"]
    inspect_view_enabled = True
    inspect_template_name = "notifications/push_log_inspect.html"
    inspect_view_fields = [
        "title",
        "text",
        "announced",
        "approval",
        "words_page",
        "words_approval",
        "status_label",
        "skip_reason",
        "audience_label",
        "recipients",
        "created_at",
        "first_accepted_at",
        "finished_at",
        "lateness",
        "hold_reason",
        "released_at",
        "recovery_note",
    ]
    copy_view_enabled = False
    form_fields = ["title"]  # required by ModelViewSet; the policy never shows a form

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/<int:pk>/", self.retry_view, name="retry"),
            path("release/<int:pk>/", self.release_view, name="release"),
        ]

    def release_view(self, request, pk):
        """Reliability: send a push held over the LINE quota after all (an administrator's call)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_retry(request.user):
            raise PermissionDenied
        notification = get_object_or_404(Notification, pk=pk)
        with transaction.atomic():
            released = sending.release_held(notification.pk, user=request.user)
            if released:
                services.queue_sending(notification.pk)
        if released:
            messages.success(request, _("The push was released and is being sent."))
        elif not self._say_if_cancelled(request, notification):
            messages.warning(request, _("This notification is not held."))
        return redirect(self.get_url_name("inspect"), pk)

    @staticmethod
    def _say_if_cancelled(request, notification):
        """Tell the administrator when their action found the push no longer announceable."""
        notification.refresh_from_db()
        if notification.status != NotificationStatus.CANCELLED:
            return False
        messages.warning(
            request, _("The push was cancelled: %(reason)s") % {"reason": notification.skip_reason}
        )
        return True

    def retry_view(self, request, pk):
        """Queue failed batches again (same retry keys); the sending happens in the worker."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_retry(request.user):
            raise PermissionDenied
        notification = get_object_or_404(Notification, pk=pk)
        with transaction.atomic():
            reopened = sending.retry_failed(notification.pk, user=request.user)
            if reopened:
                services.queue_sending(notification.pk)
                log(notification, "oyako.push_retried", user=request.user, data={"batches": reopened})
        if reopened:
            messages.success(request, _("%(count)d failed batches queued again.") % {"count": reopened})
        elif not self._say_if_cancelled(request, notification):
            messages.warning(request, _("This notification has no failed batches."))
        return redirect(self.get_url_name("inspect"), pk)


class KpiPanel(Component):
    """Notifications issued this fiscal year and registrants, against the city's targets."""

    name = "notifications_kpi"
    template_name = "notifications/kpi_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        figures = kpi.dashboard_figures()
        figures["notifications_percent"] = _percent(figures["notifications"], figures["notifications_target"])
        figures["registrants_percent"] = _percent(figures["registrants"], figures["registrants_target"])
        # Figures other apps add below these (timed messages): dicts of label, value and note.
        figures["extra_lines"] = [
            line for hook in hooks.get_hooks("notifications_kpi_lines") for line in hook()
        ]
        figures["dashboard_url"] = _kpi_dashboard_url()
        return figures


def _kpi_dashboard_url():
    """The full KPI dashboard, when an app provides one (outcomes); looked up by name, not imported."""
    try:
        return reverse("outcomes_kpi:dashboard")
    except NoReverseMatch:
        return None


def _percent(value, target):
    return min(100, round(100 * value / target)) if target else 100


@hooks.register("register_admin_viewset")
def register_push_log():
    return PushLogViewSet("push_log")


# Direct messages (reminders, staff replies): what each was and how it ended, never its words.

register_permission_policy(DirectMessage, ReadOnlyPermissionPolicy(DirectMessage))


class DirectMessageViewSet(ModelViewSet):
    model = DirectMessage
    icon = "comment"
    menu_label = _("Direct messages")
    menu_order = 811
    add_to_admin_menu = True
    url_prefix = "direct-messages"
    list_display = ["kind", "channel", "status", "created_at", "not_before", "sent_at", "attempts", "reason"]
    list_filter = ["status", "channel", "kind"]
    inspect_view_enabled = False
    copy_view_enabled = False
    form_fields = ["kind"]  # required by ModelViewSet; the policy never shows a form


@hooks.register("register_admin_viewset")
def register_direct_messages():
    return DirectMessageViewSet("direct_messages")


@hooks.register("register_log_actions")
def register_reliability_log_actions(actions):
    actions.register_action("oyako.push_held", _("Push held"), _("Push held: over the LINE message quota"))
    actions.register_action(
        "oyako.push_released", _("Push released"), _("Held push released by an administrator")
    )
    actions.register_action(
        "oyako.push_recovered", _("Push recovered"), _("Push queued again by the sweeper")
    )


@hooks.register("construct_homepage_panels")
def add_kpi_panel(request, panels):
    panels.append(KpiPanel())
