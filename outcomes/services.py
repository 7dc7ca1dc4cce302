"""Announcing a survey: a notification like any other, through the one road to a family's phone."""

from django.db import transaction


def announcement_source(survey):
    return f"survey:{survey.pk}"


def announce(survey, requested_by=None):
    """Issue the survey's invitation through ``notifications.services.issue``, once per survey.

    The notification links to the survey's public page, reaches LINE and the app, is logged in the
    push log and counts toward the notifications KPI when a batch is accepted.

    Returns:
        The Notification (new, or the existing one when the survey was announced before).
    """
    from notifications import services

    with transaction.atomic():
        return services.issue(
            source=announcement_source(survey),
            page=survey,
            title=survey.title,
            text=survey.announcement_text,
            revision=survey.live_revision,
            requested_by=requested_by,
        )
