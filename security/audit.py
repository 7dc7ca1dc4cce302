"""The project's audit action types, shown in the admin's history and site history reports.

Every app logs with Wagtail's ``log_action`` (``wagtail.log_actions.log``) under an ``oyako.<verb>``
type; the types used across the project are registered here, so no app needs to import this one.
A message may name fields of the entry's ``data`` (``%(name)s``); the comment is ``data["comment"]``.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import LogFormatter

ACTIONS = [
    ("oyako.approve", _("Approve"), _("Approved: %(task)s")),
    ("oyako.reject", _("Request changes"), _("Changes requested: %(task)s")),
    ("oyako.publish", _("Publish"), _("Published revision %(revision)s")),
    ("oyako.push_issued", _("Push issued"), _("Push issued: %(source)s")),
    ("oyako.push_skipped", _("Push skipped"), _("Push not sent (%(reason)s): %(source)s")),
    ("oyako.push_held", _("Push held"), _("Push held for an editor: due %(lateness)s ago")),
    ("oyako.push_confirmed", _("Held push sent"), _("Held push confirmed and issued")),
    ("oyako.push_cancelled", _("Held push cancelled"), _("Held push cancelled")),
    ("oyako.push_withdrawn", _("Push cancelled"), _("Cancelled before sending (%(reason)s): %(source)s")),
    ("oyako.push_retried", _("Push retried"), _("%(batches)s failed batches queued again")),
    ("oyako.kpi_export", _("KPI export"), _("KPI figures exported (%(format)s)")),
    ("oyako.groups_changed", _("Groups changed"), _("Groups: added %(added)s; removed %(removed)s")),
    ("oyako.2fa_enrol", _("Two-step verification set up"), _("Authenticator app set up")),
    ("oyako.2fa_recovery_codes", _("New recovery codes"), _("New recovery codes made")),
    ("oyako.2fa_reset", _("Two-step verification reset"), _("Two-step verification devices removed")),
    ("oyako.sign_out_everywhere", _("Signed out everywhere"), _("Every session ended")),
]


class _Missing(dict):
    def __missing__(self, key):
        return "—"


def formatter(action_label, action_message):
    """A Wagtail log formatter whose message fills ``%(field)s`` from the entry's data."""

    class AuditFormatter(LogFormatter):
        label = action_label

        def format_message(self, log_entry):
            values = _Missing()
            for key, value in (log_entry.data or {}).items():
                values[key] = (", ".join(map(str, value)) or "—") if isinstance(value, list) else value
            try:
                return str(action_message) % values
            except (TypeError, ValueError):
                return str(action_message)

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("comment", "")

    return AuditFormatter
