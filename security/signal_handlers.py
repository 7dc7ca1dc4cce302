"""Signal handlers: the audit trail of approvals, rejections, publishing and group changes, the
record of sign-ins for "sign out everywhere", and the lockout log line.

Approvals and rejections come from Wagtail's task signals, so every workflow (the physician review,
the administrators' campaign approval, any later one) is audited the same way; publishing comes
from ``page_published``, which every road fires (the admin, workflows, scheduled publishing,
wagtail-localize). The acting user is the signal's, or Wagtail's log context (the admin request's
user); a scheduled publish has none and is logged as the system's.
"""

from axes.signals import user_locked_out

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed

from wagtail.log_actions import log
from wagtail.signals import page_published, task_approved, task_rejected

from . import lockout, sessions

_CLEARED_GROUPS = "_oyako_cleared_group_names"


def _log_task_action(task_state, user, action):
    revision = task_state.revision
    obj = revision.content_object if revision is not None else None
    if obj is None:
        return
    log(
        obj,
        action,
        user=user,
        revision=revision,
        data={
            "task": task_state.task.name,
            "workflow": task_state.workflow_state.workflow.name,
            "revision": revision.pk,
            "comment": task_state.comment or "",
        },
    )


def log_task_approved(sender, instance, user=None, **kwargs):
    _log_task_action(instance, user, "oyako.approve")


def log_task_rejected(sender, instance, user=None, **kwargs):
    _log_task_action(instance, user, "oyako.reject")


def log_page_published(sender, instance, revision=None, **kwargs):
    # Wagtail also fires page_published when a never-published page is merely scheduled.
    if not instance.live or (revision is not None and instance.live_revision_id != revision.pk):
        return
    log(
        instance,
        "oyako.publish",
        revision=revision,
        data={"revision": getattr(revision, "pk", None)},
    )


def log_group_changes(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``m2m_changed`` on ``User.groups``, from either side: one entry per user changed."""
    User = get_user_model()
    if action == "pre_clear":
        # Remember what a clear() removes: post_clear does not say.
        if reverse:
            instance._oyako_cleared_users = list(instance.user_set.values_list("pk", flat=True))
        else:
            setattr(instance, _CLEARED_GROUPS, list(instance.groups.values_list("name", flat=True)))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # group.user_set.add(...): ``instance`` is the group, ``pk_set`` the users.
        user_pks = (
            getattr(instance, "_oyako_cleared_users", []) if action == "post_clear" else sorted(pk_set or [])
        )
        changes = [(user, [instance.name]) for user in User.objects.filter(pk__in=user_pks)]
    else:
        if action == "post_clear":
            names = getattr(instance, _CLEARED_GROUPS, [])
        else:
            names = sorted(Group.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
        changes = [(instance, names)]
    for user, names in changes:
        if not names:
            continue
        added = names if action == "post_add" else []
        removed = [] if action == "post_add" else names
        log(user, "oyako.groups_changed", data={"added": added, "removed": removed})


def register_signal_handlers():
    User = get_user_model()
    task_approved.connect(log_task_approved, sender=None, dispatch_uid="security_audit_task_approved")
    task_rejected.connect(log_task_rejected, sender=None, dispatch_uid="security_audit_task_rejected")
    page_published.connect(log_page_published, dispatch_uid="security_audit_page_published")
    m2m_changed.connect(
        log_group_changes, sender=User.groups.through, dispatch_uid="security_audit_group_changes"
    )
    user_logged_in.connect(sessions.record_sign_in, dispatch_uid="security_record_sign_in")
    user_logged_out.connect(sessions.forget_sign_in, dispatch_uid="security_forget_sign_in")
    user_locked_out.connect(lockout.log_lockout, dispatch_uid="security_log_lockout")
