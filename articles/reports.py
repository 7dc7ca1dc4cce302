"""The "Reviews due" admin report: live pages whose physician review is past or falls due soon."""

import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from .models import ArticleApproval

DUE_WITHIN = datetime.timedelta(days=30)


def approvals_due(on=None, within=DUE_WITHIN):
    """Approvals of live revisions whose next review is past or due within ``within`` of ``on``.

    Args:
        on: The day to count from (today in Asia/Tokyo by default).
        within: How far ahead counts as "due".

    Returns:
        A queryset of :class:`ArticleApproval`, soonest due first, with page and physician loaded.
    """
    on = on or timezone.localdate()
    return (
        ArticleApproval.objects.filter(
            page__live=True,
            page__live_revision=F("revision"),
            next_review_due__lte=on + within,
        )
        .select_related("page", "physician", "physician__user")
        .order_by("next_review_due", "page__title")
    )


def review_status(approval):
    if approval.next_review_due < timezone.localdate():
        return _("Overdue")
    return _("Due soon")


class ReviewsDueView(ReportView):
    page_title = _("Reviews due")
    header_icon = "date"
    index_url_name = "articles_reviews_due"
    index_results_url_name = "articles_reviews_due_results"
    model = ArticleApproval
    # Everyone in the admin may see which reviews fall due; the list holds no personal data.
    permission_policy = None
    columns = [
        TitleColumn(
            "page",
            label=_("Page"),
            accessor=lambda approval: approval.page.get_admin_display_title(),
            get_url=lambda approval: reverse("wagtailadmin_pages:edit", args=[approval.page_id]),
        ),
        Column("physician", label=_("Physician")),
        Column("reviewed_on", label=_("Last reviewed")),
        Column("next_review_due", label=_("Next review due")),
        Column("status", label=_("Status"), accessor=review_status),
    ]
    list_export = ["page", "physician", "reviewed_on", "next_review_due"]
    export_headings = {
        "page": _("Page"),
        "physician": _("Physician"),
        "reviewed_on": _("Last reviewed"),
        "next_review_due": _("Next review due"),
    }

    def get_queryset(self):
        return approvals_due()
