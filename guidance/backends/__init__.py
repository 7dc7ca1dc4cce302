"""The bot's backends, chosen from settings like the push channels:
``GUIDANCE_ANSWER_BACKEND`` and ``GUIDANCE_REPLY_BACKEND`` = ``{"BACKEND": "dotted.path", **params}``."""

from django.conf import settings
from django.utils.module_loading import import_string


def _load(config):
    params = dict(config)
    return import_string(params.pop("BACKEND"))(**params)


def get_answer_backend():
    return _load(settings.GUIDANCE_ANSWER_BACKEND)


def get_reply_backend():
    return _load(settings.GUIDANCE_REPLY_BACKEND)
