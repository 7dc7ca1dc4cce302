"""Public survey answering, the KPI dashboard, its exports and the report imports."""

from django.db import IntegrityError, transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from . import tokens
from .models import SurveyResponse, UsedInvitation


def _page(survey, request, template, status=200, **context):
    full = survey.get_context(request)
    full.update(context)
    return TemplateResponse(request, template, full, status=status)


def serve_survey(survey, request, *args, **kwargs):
    """Answer a survey once per invitation; answers from the public link are accepted and marked.

    The invitation token travels in ``?t=`` (GET) and in the form's hidden ``t`` (POST). It is
    checked, never stored: only a keyed hash of round and subscriber marks it as spent.
    """
    template = survey.get_template(request)
    now = timezone.now()
    if not survey.is_open(now):
        return _page(survey, request, template, closed=True, not_yet=now < survey.opens_at)
    token = (request.POST.get("t") if request.method == "POST" else request.GET.get("t")) or ""
    spent = None
    if token:
        try:
            spent = tokens.spent_key(survey, token)
        except tokens.InvalidInvitation:
            return _page(survey, request, template, status=400, invalid_invitation=True)
        if UsedInvitation.objects.filter(token_hash=spent).exists():
            return _page(survey, request, template, already_answered=True)
    if request.method == "POST":
        form = survey.get_form(request.POST, page=survey, user=None)
        if form.is_valid():
            try:
                with transaction.atomic():
                    if spent:
                        UsedInvitation.objects.create(token_hash=spent, survey=survey)
                    response = SurveyResponse.objects.create(
                        page=survey, form_data=form.cleaned_data, tokened=bool(spent)
                    )
            except IntegrityError:
                # Two tabs racing with one invitation: the first answer stands.
                return _page(survey, request, template, already_answered=True)
            return survey.render_landing_page(request, response)
    else:
        form = survey.get_form(page=survey, user=None)
    return _page(survey, request, template, form=form, token=token)
