"""Machine-facing endpoints, outside the language prefixes: the LINE webhook and the app API."""

from django.urls import path

from . import api, webhook

app_name = "notifications"

urlpatterns = [
    path("line/webhook/", webhook.line_webhook, name="line_webhook"),
    path("api/app/v1/devices/", api.devices, name="app_devices"),
]
