"""The bot's unanswered questions (kept masked by guidance for 30 days) join the not-found topics."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from guidance.models import UnansweredQuestion

from . import topics
from .models import NotFoundSource


@receiver(post_save, sender=UnansweredQuestion, dispatch_uid="measurement_unanswered_question")
def count_unanswered_question(sender, instance, created, raw=False, **kwargs):
    # guidance keeps only the fallback route's questions (never a crisis message), already masked;
    # masking again changes nothing and keeps this road safe if that ever changes.
    if created and not raw:
        topics.record(NotFoundSource.BOT, instance.text, instance.language, asked_at=instance.received_at)
