"""Celery tasks: the per-stage rich menus (set up, linked per user in bulk, switched by the beat when
a child's stage changes) and housekeeping. LINE is only ever called from here."""

import logging

from celery import shared_task

from django.db import transaction

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


def queue_menu_refresh(household_pk):
    """Queue the menu switch for a household's followers (after commit; a lost one the beat redoes)."""
    try:
        link_household_menus.delay(household_pk)
    except Exception as error:  # the broker away: the beat's sweep links the menus within the hour
        logger.warning("Rich menu switch not queued (%s); the beat will do it", type(error).__name__)


@shared_task(bind=True, queue="webhook", acks_late=True, max_retries=MAX_RETRIES)
def link_household_menus(self, household_pk):
    """Link each follower of a household to the menu for its children's stage."""
    from . import richmenu

    try:
        richmenu.switch_menus(household_pks=[household_pk])
    except richmenu.TransientMenuError as error:
        raise self.retry(exc=error, countdown=richmenu.backoff(self.request.retries)) from error


@shared_task(bind=True, queue="webhook", acks_late=True, max_retries=MAX_RETRIES)
def unlink_menu(self, follower_pk):
    """A follower who left a household gets the default menu back."""
    from . import richmenu

    try:
        richmenu.unlink(follower_pk)
    except richmenu.TransientMenuError as error:
        raise self.retry(exc=error, countdown=richmenu.backoff(self.request.retries)) from error


@shared_task(ignore_result=True)
def switch_stage_menus():
    """Beat, daily: whoever's children moved to another stage gets that stage's menu, in bulk."""
    from . import richmenu

    return richmenu.switch_menus()


@shared_task(ignore_result=True)
def forget_empty_households():
    """Housekeeping, daily: households nobody follows any more are deleted with their children."""
    from . import services

    with transaction.atomic():
        return services.forget_empty_households()
