"""outcomes' machine-facing endpoint, outside the language prefixes (see :mod:`outcomes.api`)."""

from django.urls import path

from . import api

app_name = "outcomes"

urlpatterns = [
    path("api/app/v1/survey-invitation/", api.survey_invitation, name="survey_invitation"),
]
