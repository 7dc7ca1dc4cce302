"""May this page reach a parent now? The one answer for pages, asked by every road that sends.

The notifications pipeline asks it when a push is issued and again at every moment one is about
to go out (first send, release of a hold, retry, the sweeper's requeue), for the page a push links
to and for the page whose words it carries (a campaign, a timed message series).
"""

from django.utils.translation import gettext_lazy as _


def needs_physician_approval(page):
    """Whether ``page`` (specific) may be announced only with a physician's approval."""
    needs_approval = getattr(page, "requires_physician_approval", None)
    if needs_approval is None:
        # An article always needs its physician's approval, whether or not it says so itself.
        from .models import ArticlePage

        return isinstance(page, ArticlePage)
    return needs_approval()


def skip_reason_for(page):
    """Why ``page`` must not be announced now, or an empty string when it may.

    A page must be live; a page that needs physician approval must have it on its live revision
    and must not be past its review date; a translation must be up to date with its live source
    (approved against its live version, where approval is required).
    """
    if page is None:
        return _("The page no longer exists.")
    if not page.live:
        return _("The page is not live.")
    if page.alias_of_id:
        # An alias shows its source's live content: it may reach a parent when its source may.
        from .gate import alias_source

        return skip_reason_for(alias_source(page))
    if not page.live_revision_id:
        return _("The page is not live.")
    from .translations import behind_source, out_of_date

    specific = page.specific
    if needs_physician_approval(specific):
        from .models import ArticleApproval

        if not ArticleApproval.objects.filter(revision_id=page.live_revision_id).exists():
            return _("The live version has no physician approval.")
        if getattr(specific, "review_overdue", False):
            return _("The article is past its review date.")
        stale = out_of_date(specific)
    else:
        stale = behind_source(specific)
    if stale:
        # A translation speaks for its source only as approved against the source's live version.
        return _("The translation is out of date with its source.")
    return ""
