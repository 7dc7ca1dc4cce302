"""The app's children endpoint, beside the device API (outside the language prefixes)."""

from django.urls import path

from . import api

app_name = "families"

urlpatterns = [path("api/app/v1/children/", api.children, name="app_children")]
