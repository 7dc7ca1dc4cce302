"""The follow-up invitation: once, weeks after a kept check, through the direct-message outbox
(:mod:`notifications.direct`), asked again at every sending attempt whether it may still go."""

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from guidance.backends.base import QuickReply, Text
from guidance.conversation import postback_data

from . import flow
from .models import KeptResult

KIND = "screening.follow_up"
KEY = re.compile(r"^screening:follow-up:(?P<kept>\d+):r(?P<revision>\d+)$")


def invitation_messages(words, kept, language):
    with override(language):
        return [
            Text(
                words.words.follow_up_invitation,
                quick_replies=(
                    QuickReply(_("Check again"), data=postback_data("screening", fu="start", k=kept.token)),
                    QuickReply(_("Not this time"), data=postback_data("screening", fu="no", k=kept.token)),
                ),
            )
        ]


def invite(kept, line_user_id, language, weeks):
    """Record the invitation for ``kept`` in the outbox, due in ``weeks`` weeks (inside the caller's
    transaction; sent after commit by the outbox). Returns the outbox row, or None when no approved
    words exist to invite with."""
    from notifications import direct

    words = flow.instrument_for(language)
    if words is None or not weeks:
        return None
    key = f"screening:follow-up:{kept.pk}:r{words.revision_id}"
    with transaction.atomic():
        kept.follow_up_wanted = True
        kept.invitation_key = key
        kept.save(update_fields=["follow_up_wanted", "invitation_key"])
        return direct.record(
            kind=KIND,
            key=key,
            messages=invitation_messages(words, kept, language),
            language=language,
            line_user_id=line_user_id,
            check="screening.followup.still_wanted",
            not_before=timezone.now() + datetime.timedelta(weeks=weeks),
        )


def cancel(kept_pk, reason):
    """Cancel ``kept_pk``'s pending invitation, if it has one."""
    key = KeptResult.objects.filter(pk=kept_pk).values_list("invitation_key", flat=True).first()
    if key:
        from notifications import direct

        direct.cancel(key, reason=reason)


def still_wanted(row):
    """The outbox's check at sending time: why the invitation must not go (a reason), or None.

    It goes only while the family's kept result (their consent) is there, they still want it, they
    have not checked again since, and the words it carries are still the approved live revision.
    """
    match = KEY.match(getattr(row, "key", "") or "")
    if match is None:
        return "not a self-check invitation"
    kept = KeptResult.objects.filter(pk=match["kept"]).first()
    if kept is None:
        return "consent withdrawn"
    if not kept.follow_up_wanted:
        return "invitation declined"
    if KeptResult.objects.filter(follows=kept).exists():
        return "already checked again"
    words = flow.instrument_for(row.language)
    if words is None or str(words.revision_id) != match["revision"]:
        return "the invitation's words are no longer approved"
    return None
