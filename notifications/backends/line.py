"""LINE Messaging API backend: a Flex bubble multicast to up to 500 user IDs per request."""

import logging

from linebot.v3 import messaging as line
from urllib3.exceptions import HTTPError as Urllib3HTTPError

from django.conf import settings

from .base import ACCEPTED, FAILED, RETRY, BaseBackend, SendResult, truncate_utf16

logger = logging.getLogger(__name__)

# Lengths in UTF-16 code units, as LINE counts them.
ALT_TEXT_LIMIT = 1500
TITLE_LIMIT = 100
TEXT_LIMIT = 500
BUTTON_LABEL_LIMIT = 40
LINE_TIMEOUT = (3, 10)  # seconds: connect, read
MULTICAST_LIMIT = 500


def flex_message(content):
    """The Flex bubble for ``content``: image, title, text and a button to the page."""
    title = truncate_utf16(content.title, TITLE_LIMIT)
    text = truncate_utf16(content.text, TEXT_LIMIT)
    # LINE fetches hero images itself and accepts HTTPS only.
    hero = None
    if content.image_url.startswith("https://"):
        hero = line.FlexImage(url=content.image_url, size="full", aspectRatio="16:9", aspectMode="cover")
    bubble = line.FlexBubble(
        hero=hero,
        body=line.FlexBox(
            layout="vertical",
            spacing="md",
            contents=[
                line.FlexText(text=title, weight="bold", size="lg", wrap=True),
                line.FlexText(text=text, size="sm", wrap=True),
            ],
        ),
        footer=line.FlexBox(
            layout="vertical",
            contents=[
                line.FlexButton(
                    style="primary",
                    action=line.URIAction(
                        label=truncate_utf16(content.button_label, BUTTON_LABEL_LIMIT), uri=content.url
                    ),
                )
            ],
        ),
    )
    alt_text = truncate_utf16(f"{content.title}\n{content.text}", ALT_TEXT_LIMIT)
    return line.FlexMessage(altText=alt_text, contents=bubble)


def is_transient(error):
    """Timeouts, connection errors, 429 and 5xx are retried; other answers are final."""
    if isinstance(error, line.ApiException):
        return error.status == 429 or (error.status or 0) >= 500
    return isinstance(error, Urllib3HTTPError | OSError)


class LineBackend(BaseBackend):
    """Sends with line-bot-sdk v3; the batch's stored retry key goes with every attempt."""

    def __init__(self, channel, **params):
        super().__init__(channel, **params)
        configuration = line.Configuration(
            host=params.get("BASE_URL", settings.LINE_API_BASE_URL).rstrip("/"),
            access_token=params.get("ACCESS_TOKEN", settings.LINE_CHANNEL_ACCESS_TOKEN),
        )
        # One connection per concurrent batch; the client is shared by the task's threads.
        configuration.connection_pool_maxsize = max(settings.NOTIFICATIONS_SEND_CONCURRENCY, 4)
        self.client = line.ApiClient(configuration)
        self.api = line.MessagingApi(self.client)
        self.timeout = tuple(params.get("TIMEOUT", LINE_TIMEOUT))

    def send(self, identifiers, content, retry_key):
        if not identifiers:
            return SendResult(ACCEPTED, delivered=0)
        request = line.MulticastRequest(
            to=list(identifiers)[:MULTICAST_LIMIT], messages=[flex_message(content)]
        )
        try:
            self.api.multicast(request, x_line_retry_key=str(retry_key), _request_timeout=self.timeout)
        except line.ApiException as error:
            if error.status == 409:
                # The retry key was used before: LINE already accepted this batch.
                return SendResult(ACCEPTED, delivered=len(identifiers))
            outcome = RETRY if is_transient(error) else FAILED
            return SendResult(outcome, error=f"LINE {error.status}: {_reason(error)}")
        except Exception as error:
            if is_transient(error):
                return SendResult(RETRY, error=f"LINE unreachable: {type(error).__name__}")
            raise
        return SendResult(ACCEPTED, delivered=len(identifiers))

    def push(self, identifier, messages, retry_key, title="", language="ja"):
        from ..messages import MAX_MESSAGES, to_line

        request = line.PushMessageRequest(
            to=identifier, messages=[to_line(m) for m in messages[:MAX_MESSAGES]]
        )
        try:
            self.api.push_message(request, x_line_retry_key=str(retry_key), _request_timeout=self.timeout)
        except line.ApiException as error:
            if error.status == 409:
                return SendResult(ACCEPTED, delivered=1)  # already accepted under this retry key
            outcome = RETRY if is_transient(error) else FAILED
            return SendResult(outcome, error=f"LINE {error.status}: {_reason(error)}")
        except Exception as error:
            if is_transient(error):
                return SendResult(RETRY, error=f"LINE unreachable: {type(error).__name__}")
            raise
        return SendResult(ACCEPTED, delivered=1)

    def quota(self):
        """LINE's target limit for the month (None when none is set) and the messages sent so far."""
        limit = self.api.get_message_quota(_request_timeout=self.timeout)
        used = self.api.get_message_quota_consumption(_request_timeout=self.timeout)
        return (limit.value if limit.type == "limited" else None), used.total_usage

    def close(self):
        self.client.close()


def _reason(error):
    # LINE's error body is {"message": ..., "details": [...]}; it names fields, never user IDs.
    return (
        (error.body or error.reason or "")[:500] if isinstance(error.body or "", str) else str(error.reason)
    )
