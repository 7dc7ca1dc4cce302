import smtplib

from celery import shared_task

from .mail import deserialize, real_connection


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=8,
)
def send_queued_email(data):
    """Send one queued message with the real email backend; retries only transient mail errors."""
    connection = real_connection()
    connection.send_messages([deserialize(data)])
