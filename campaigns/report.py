"""The campaign report: what the plan promised, what went out, and the campaign's share of the KPI."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import DispatchStatus
from .models import PlannedPush, PushDispatch

# The outcome of one planned push as the report names it.
OUTCOME_LABELS = {
    "planned": _("Planned"),
    "awaiting_confirmation": _("Late: waiting for confirmation"),
    "cancelled": _("Cancelled"),
    "skipped": _("Skipped"),
    "sending": _("Sending"),
    "sent": _("Sent"),
    "partial": _("Partly sent"),
    "failed": _("Failed"),
}
NOTIFICATION_OUTCOMES = {"pending": "sending", "sending": "sending", "sent": "sent", "partial": "partial"}


@dataclass
class ReportRow:
    send_at: object
    text: str
    target: object
    outcome: str
    item: object = None
    dispatch: object = None
    notification: object = None
    recipients: dict = field(default_factory=dict)

    @property
    def outcome_label(self):
        return OUTCOME_LABELS[self.outcome]


def _notifications(ids):
    if not ids:
        return {}
    from notifications.models import Notification

    return Notification.objects.in_bulk(ids)


def _outcome(dispatch, notification):
    if dispatch is None:
        return "planned"
    if dispatch.status != DispatchStatus.ISSUED:
        return str(dispatch.status)
    if notification is None:
        return "sending"
    if notification.status in ("skipped", "cancelled"):
        return "skipped"
    return NOTIFICATION_OUTCOMES.get(notification.status, "failed")


def campaign_report(campaign, now=None):
    """Everything the report page shows, as plain data.

    Args:
        campaign: A :class:`campaigns.models.CampaignPage`.
        now: The moment whose fiscal year the KPI share is computed for.

    Returns:
        A dict with ``rows`` (one :class:`ReportRow` per planned or dispatched push), ``counts``
        (pushes per outcome), ``recipients`` (recipients per channel over sent pushes), ``events``
        and ``kpi`` (``fiscal_year``, ``total``, ``campaign``, ``share``, ``target``).
    """
    from notifications import kpi

    now = now or timezone.now()
    items = {
        item.pk: item for item in PlannedPush.objects.filter(page=campaign).select_related("target_article")
    }
    dispatches = {
        d.plan_item_id: d for d in PushDispatch.objects.filter(campaign=campaign).select_related("target")
    }
    notifications = _notifications([d.notification_id for d in dispatches.values() if d.notification_id])

    rows = []
    for plan_item_id in set(items) | set(dispatches):
        item = items.get(plan_item_id)
        dispatch = dispatches.get(plan_item_id)
        notification = notifications.get(dispatch.notification_id) if dispatch else None
        outcome = _outcome(dispatch, notification)
        recipients = (
            notification.recipient_counts() if notification and outcome in ("sent", "partial") else {}
        )
        rows.append(
            ReportRow(
                # What was sent is what the dispatch recorded; until then, what the plan says.
                send_at=dispatch.due_at if dispatch else item.send_at,
                text=dispatch.text if dispatch else item.text,
                target=dispatch.target if dispatch else item.target_page,
                outcome=outcome,
                item=item,
                dispatch=dispatch,
                notification=notification,
                recipients=recipients,
            )
        )
    rows.sort(key=lambda row: (row.send_at, row.item.pk if row.item else 0))

    recipients = Counter()
    for row in rows:
        recipients.update(row.recipients)

    fiscal_year = kpi.fiscal_year_of(now)
    campaign_count = sum(
        1
        for notification in notifications.values()
        if notification.first_accepted_at
        and notification.status != "cancelled"
        and kpi.fiscal_year_of(notification.first_accepted_at) == fiscal_year
    )
    total = kpi.notifications_issued(fiscal_year)

    return {
        "rows": rows,
        "counts": Counter(row.outcome for row in rows),
        "recipients": dict(sorted(recipients.items())),
        "events": list(campaign.events.order_by("starts_at")),
        "kpi": {
            "fiscal_year": fiscal_year,
            "total": total,
            "campaign": campaign_count,
            "share": (campaign_count / total) if total else 0.0,
            "share_percent": round(100 * campaign_count / total, 1) if total else 0,
            "target": kpi.targets()["notifications_target"],
        },
    }
