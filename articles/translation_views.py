"""Submitting a wagtail-localize translation for medical review.

wagtail-localize's editor only offers "Publish", which editors lack and the publish gate refuses for
unapproved revisions. This view saves the translation's current text as a draft revision and starts
the Medical review workflow on it, so that a reviewer qualified for the language can approve it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wagtail.models import Page
from wagtail_localize.models import Translation

from .translations import is_translation


def submit_translation_for_review(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not is_translation(page) or not getattr(page, "requires_physician_approval", lambda: False)():
        raise PermissionDenied
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation = get_object_or_404(
        Translation, source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    )
    if request.method != "POST":
        return TemplateResponse(
            request, "articles/submit_translation.html", {"page": page, "locale": page.locale}
        )
    with transaction.atomic():
        translation.save_target(user=request.user, publish=False)
        page = Page.objects.get(pk=page.pk).specific
        state = page.current_workflow_state
        if state is not None:
            state.cancel(user=request.user)
        page.get_workflow().start(page, request.user)
    messages.success(
        request,
        _("“%(title)s” was submitted for medical review in %(language)s.")
        % {"title": page.get_admin_display_title(), "language": page.locale.get_display_name()},
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)
