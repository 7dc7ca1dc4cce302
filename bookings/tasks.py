from celery import shared_task


@shared_task
def generate_slots():
    """Every night: the slots of each active session type's booking window (idempotent)."""
    from .slots import generate_all

    return generate_all()
