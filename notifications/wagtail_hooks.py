"""Admin for notifications: every admin view of the app is registered here."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import AppDevice, LineFollower


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
