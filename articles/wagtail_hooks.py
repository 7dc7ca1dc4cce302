from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import MedicalReviewer, Physician, SearchSynonym, Topic


class PhysicianViewSet(SnippetViewSet):
    model = Physician
    icon = "user"
    menu_label = _("Physicians")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "name_kana", "specialty", "affiliation", "user"]
    list_filter = ["specialty"]
    search_fields = ["name", "name_kana", "affiliation"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "name_en", "slug"]


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = _("Search synonyms")
    list_display = ["terms", "note"]
    search_fields = ["terms", "note"]


class MedicalReviewerViewSet(SnippetViewSet):
    model = MedicalReviewer
    icon = "globe"
    menu_label = _("Medical reviewers")
    list_display = ["name", "role", "user"]
    list_filter = ["role", "locales"]


register_snippet(PhysicianViewSet)
register_snippet(TopicViewSet)
register_snippet(SearchSynonymViewSet)
register_snippet(MedicalReviewerViewSet)


@hooks.register("before_edit_page")
def flag_out_of_date_translation(request, page):
    """Tell the editor a live translation's source changed since it was approved (a hint only)."""
    from .translations import out_of_date

    specific = page.specific
    if page.live and getattr(specific, "requires_physician_approval", None) and out_of_date(specific):
        messages.warning(
            request,
            _(
                "This translation is out of date: its Japanese original changed after it was "
                "approved. It is not pushed to families until it is synced and approved again."
            ),
        )


# Physician review ------------------------------------------------------------------------------
# The model-level gate in articles.gate refuses every road; these hooks refuse the admin's roads
# early, with a message instead of an error page, before any work is done.


@hooks.register("before_publish_page")
def refuse_unapproved_publish(request, page):
    from .gate import is_approved, refusal_message, requires_physician_approval

    if requires_physician_approval(page) and not is_approved(page.latest_revision_id, page):
        import logging

        logging.getLogger("articles").warning(
            "Refused admin publish of page %s revision %s without physician approval (user %s)",
            page.pk,
            page.latest_revision_id,
            request.user.pk,
        )
        messages.error(request, refusal_message(page))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_edit_page", order=-10)
def refuse_translation_editor_publish(request, page):
    """wagtail-localize's editor publishes a translation by posting ``action=publish`` to the page's
    edit address; its new revision has no approval, so the gate would refuse it with a bare 403.
    Refuse it first, with a message that says what to do, and nothing saved or published."""
    from wagtail.admin import messages as admin_messages

    from .gate import requires_physician_approval
    from .translations import is_translation

    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    if not requires_physician_approval(page) or not is_translation(page):
        return None
    import logging

    logging.getLogger("articles").warning(
        "Refused translation-editor publish of page %s without physician approval (user %s)",
        page.pk,
        request.user.pk,
    )
    admin_messages.error(
        request,
        _(
            "A translation of a health article goes live only when a medical reviewer for its "
            "language approves it: submit it for medical review instead of publishing it."
        ),
        buttons=[
            admin_messages.button(
                reverse("articles_submit_translation", args=[page.pk]), _("Submit for medical review")
            )
        ],
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unapproved(request, action_type, objects, action_class_instance):
    from .gate import is_approved, refusal_message, requires_physician_approval

    if action_type != "publish":
        return None
    refused = [
        obj
        for obj in objects
        if requires_physician_approval(obj) and not is_approved(obj.latest_revision_id, obj)
    ]
    if not refused:
        return None
    import logging

    logging.getLogger("articles").warning(
        "Refused bulk publish of pages %s without physician approval (user %s)",
        [obj.pk for obj in refused],
        request.user.pk,
    )
    for obj in refused:
        messages.error(request, refusal_message(obj))
    return redirect(action_class_instance.next_url)


@hooks.register("before_copy_page")
def refuse_publishing_copies(request, page):
    from .gate import refusal_message, requires_physician_approval

    if request.method == "POST" and request.POST.get("publish_copies") and requires_physician_approval(page):
        import logging

        logging.getLogger("articles").warning(
            "Refused to publish a copy of page %s without physician approval (user %s)",
            page.pk,
            request.user.pk,
        )
        messages.error(request, refusal_message(page))
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


@hooks.register("register_admin_urls")
def register_reviews_due_urls():
    from .reports import ReviewsDueView

    return [
        path("reports/reviews-due/", ReviewsDueView.as_view(), name="articles_reviews_due"),
        path(
            "reports/reviews-due/results/",
            ReviewsDueView.as_view(results_only=True),
            name="articles_reviews_due_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_reviews_due_menu_item():
    return MenuItem(
        _("Reviews due"), reverse("articles_reviews_due"), name="reviews-due", icon_name="date", order=50
    )


class ReviewsDuePanel(Component):
    """Dashboard panel: how many reviews are past or due within 30 days, linking to the report."""

    name = "reviews_due"
    order = 90
    template_name = "articles/reports/reviews_due_panel.html"

    def get_context_data(self, parent_context):
        from .reports import approvals_due

        due = approvals_due()
        return {
            "due_count": due.count(),
            "due": due[:5],
            "report_url": reverse("articles_reviews_due"),
        }


@hooks.register("construct_homepage_panels")
def add_reviews_due_panel(request, panels):
    panels.append(ReviewsDuePanel())


# What awaits the user's review comes first (Wagtail puts it after the KPI and other panels); it
# shows nothing to whoever has nothing to review.
AWAITING_REVIEW_PANEL = "workflow_objects_to_moderate"


@hooks.register("construct_homepage_panels", order=200)  # after every app has added its panels
def put_awaiting_review_first(request, panels):
    for panel in panels:
        if getattr(panel, "name", None) == AWAITING_REVIEW_PANEL:
            panel.order = min(getattr(other, "order", 0) for other in panels) - 1


@hooks.register("construct_page_action_menu")
def put_approve_first(menu_items, request, context):
    """For the reviewer, Approve is the edit page's main button (not "Save draft")."""
    approve = [item for item in menu_items if getattr(item, "name", None) == "approve"]
    if approve:
        menu_items[:] = approve + [item for item in menu_items if item not in approve]


@hooks.register("after_edit_page")
def land_reviewer_where_they_can_see(request, page):
    """After a review action from the edit page, a reviewer who may no longer edit the page lands
    on the dashboard (not the page's parent in the explorer, which they may not open)."""
    from .workflows import landing_after_review

    if not request.POST.get("action-workflow-action"):
        return None
    url = landing_after_review(page, request.user)
    return redirect(url) if url else None


@hooks.register("register_admin_urls")
def register_translation_review_urls():
    from .translation_views import submit_translation_for_review

    return [
        path(
            "articles/translations/<int:page_id>/submit/",
            submit_translation_for_review,
            name="articles_submit_translation",
        )
    ]


@hooks.register("register_page_listing_more_buttons")
def submit_translation_button(page, user, next_url=None):
    from wagtail.admin.ui.menus.pages import PageMenuItem

    from .translations import is_translation

    specific = page.specific_deferred
    if not getattr(specific, "requires_physician_approval", None) or not is_translation(page):
        return
    if page.permissions_for_user(user).can_edit():
        yield PageMenuItem(
            _("Submit translation for medical review"),
            reverse("articles_submit_translation", args=[page.pk]),
            icon_name="globe",
            priority=3,
            page=page,
        )


@hooks.register("register_log_actions")
def register_translation_withdrawn_action(actions):
    from wagtail.log_actions import LogFormatter

    from .translations import WITHDRAWN_ACTION, WITHDRAWN_DELETED, WITHDRAWN_PRIVATE

    reasons = {
        WITHDRAWN_DELETED: _("Unpublished: its Japanese original was deleted"),
        WITHDRAWN_PRIVATE: _("Unpublished: its Japanese original was moved into a private section"),
    }

    @actions.register_action(WITHDRAWN_ACTION)
    class TranslationWithdrawn(LogFormatter):
        label = _("Translation withdrawn with its source")

        def format_message(self, log_entry):
            reason = (log_entry.data or {}).get("reason")
            return reasons.get(reason, _("Unpublished: its Japanese original was unpublished"))
