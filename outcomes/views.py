"""Public survey answering, the KPI dashboard, its exports and the report imports."""

import os
import re
import tempfile
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from guidance import crisis
from notifications.kpi import fiscal_year_of
from security.lockout import client_address

from . import charts, exports, kpi, tokens
from .access import sees_dashboard, sees_health
from .forms import ImportUploadForm, ReportKind
from .models import KpiSettings, SurveyPage, SurveyResponse, UsedInvitation


def _page(survey, request, template, status=200, **context):
    full = survey.get_context(request)
    full.update(context)
    return TemplateResponse(request, template, full, status=status)


# Answers from the public link (no invitation): so many per client and round in this window.
UNTOKENED_LIMIT = getattr(settings, "OYAKO_SURVEY_UNTOKENED_LIMIT", 3)
UNTOKENED_WINDOW = 60 * 60


def _untokened_allowed(survey, request):
    """Count one answer without an invitation for this client (the sign-in throttle's address
    rule), in the cache under a keyed hash of round and address; False past the limit."""
    address = client_address(request) or ""
    digest = salted_hmac("oyako.survey.untokened", f"{survey.pk}:{address}").hexdigest()[:32]
    key = f"oyako:survey-untokened:{digest}"
    cache.add(key, 0, UNTOKENED_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, UNTOKENED_WINDOW)
        count = 1
    return count <= UNTOKENED_LIMIT


def serve_survey(survey, request, *args, **kwargs):
    """Answer a survey once per invitation; answers from the public link are accepted and marked,
    unless the round requires an invitation, and only so many per client.

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
    elif survey.requires_invitation:
        status = 403 if request.method == "POST" else 200
        return _page(survey, request, template, status=status, invitation_required=True)
    if request.method == "POST":
        form = survey.get_form(request.POST, page=survey, user=None)
        if form.is_valid():
            # What a parent wrote in the survey's free-text answers meets the crisis check first.
            written = "\n".join(value for value in form.cleaned_data.values() if isinstance(value, str))
            crisis_reply = crisis.check(written, get_language())
            if not spent and not _untokened_allowed(survey, request):
                # Refused, but what the parent wrote still meets the crisis reply.
                return _page(survey, request, template, status=429, too_many=True, crisis_reply=crisis_reply)
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
            landing = survey.render_landing_page(request, response)
            landing.context_data["crisis_reply"] = crisis_reply
            return landing
    else:
        form = survey.get_form(page=survey, user=None)
    return _page(survey, request, template, form=form, token=token)


# Admin: the KPI dashboard, its exports, the report imports and the survey rounds.


YEARS_SHOWN = 4


def _require_dashboard(request):
    if not sees_dashboard(request.user):
        raise PermissionDenied


def _log_opening(request, action, **data):
    """The audit trail of every opening of health figures, free text or an export."""
    log(KpiSettings.load(), action, user=request.user, data=data)


def can_import(user, kind):
    if kind == ReportKind.OUTCOMES:
        return sees_health(user)
    return user.is_active and (user.is_superuser or user.has_perm("outcomes.add_serviceusage"))


def _choices(request):
    current = fiscal_year_of(timezone.now())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        year = current
    if not 2000 <= year <= current + 1:
        year = current
    untokened = request.GET.get("untokened")
    include = None if untokened not in {"include", "exclude"} else untokened == "include"
    return year, include, current


def _scorecard(year, include, health):
    figures = kpi.scorecard(year, include_untokened=include, health=health)
    return figures, kpi.extra_lines(year), kpi.elapsed_share(year)


def dashboard(request):
    _require_dashboard(request)
    year, include, current = _choices(request)
    health = sees_health(request.user)
    figures, extra_lines, elapsed = _scorecard(year, include, health)
    if health:
        _log_opening(request, "oyako.health_figures_viewed", fiscal_year=year, view="dashboard")
    config = KpiSettings.load()
    effective = config.include_untokened_answers if include is None else include
    cards = [
        {
            "figure": figure,
            "on_pace": figure.on_pace(elapsed),
            "charts": [
                {"series": series, "chart": charts.bars(series, f"chart-{figure.key}-{index}")}
                for index, series in enumerate(figure.series)
            ],
        }
        for figure in figures
    ]
    context = {
        "page_title": _("KPI"),
        "header_icon": "table",
        "year": year,
        "years": range(current + 1 - YEARS_SHOWN, current + 1),
        "include_untokened": effective,
        "cards": cards,
        "extra_lines": [
            {"series": series, "chart": charts.bars(series, f"chart-extra-{index}")}
            for index, series in enumerate(extra_lines)
        ],
        "elapsed_percent": round(100 * elapsed),
        "surveys": SurveyPage.objects.filter(fiscal_year=year).order_by("quarter"),
        "query": request.GET.urlencode(),
        "can_import": can_import(request.user, ReportKind.USAGE) or sees_health(request.user),
    }
    return TemplateResponse(request, "outcomes/admin/dashboard.html", context)


def export(request, file_format):
    _require_dashboard(request)
    year, include, _current = _choices(request)
    health = sees_health(request.user)
    figures, extra_lines, elapsed = _scorecard(year, include, health)
    if file_format == "csv":
        content = exports.as_csv(year, figures, extra_lines, elapsed)
        content_type = "text/csv; charset=utf-8"
    elif file_format == "xlsx":
        content = exports.as_xlsx(year, figures, extra_lines, elapsed)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    _log_opening(request, "oyako.kpi_export", fiscal_year=year, format=file_format, health=health)
    if health:
        _log_opening(request, "oyako.health_figures_viewed", fiscal_year=year, view=f"export {file_format}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kpi-{year}.{file_format}"'
    return response


_STAGED = re.compile(r"^[0-9a-f]{32}$")


def _staged_path(key):
    return os.path.join(tempfile.gettempdir(), f"oyako-import-{key}")


def import_report(request):
    """Upload → preview (every row's problem, nothing saved) → import all rows or none."""
    from . import imports  # django-import-export and tablib: loaded by an upload, not by every worker

    if not (can_import(request.user, ReportKind.USAGE) or sees_health(request.user)):
        raise PermissionDenied
    context = {"page_title": _("Import a report"), "header_icon": "upload"}
    if request.method == "POST" and "staged" in request.POST:
        return _confirm_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        if not can_import(request.user, kind):
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            report = imports.preview(kind, content, upload.name)
        except imports.FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            key = uuid.uuid4().hex
            if report.ok:
                with open(_staged_path(key), "wb") as staged:
                    staged.write(content)
            context.update(report=report, staged=key, kind=kind, filename=upload.name)
            context["show_values"] = kind != ReportKind.OUTCOMES or sees_health(request.user)
            if kind == ReportKind.OUTCOMES and context["show_values"]:
                _log_opening(
                    request, "oyako.health_figures_viewed", view="import preview", rows=len(report.rows)
                )
            return TemplateResponse(request, "outcomes/admin/import_preview.html", context)
    context["form"] = form
    return TemplateResponse(request, "outcomes/admin/import.html", context)


def _confirm_import(request):
    from . import imports

    key, kind, filename = request.POST["staged"], request.POST.get("kind"), request.POST.get("filename", "")
    if not _STAGED.match(key) or kind not in dict(ReportKind.CHOICES):
        raise Http404
    if not can_import(request.user, kind):
        raise PermissionDenied
    path = _staged_path(key)
    try:
        with open(path, "rb") as staged:
            content = staged.read()
    except FileNotFoundError:
        messages.error(request, _("That preview has expired or was already imported. Upload the file again."))
        return redirect("outcomes_kpi:import")
    os.remove(path)
    try:
        report = imports.apply(kind, content, filename)
    except imports.FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("outcomes_kpi:import")
    if not report.ok:
        messages.error(request, _("The file has problems; nothing was imported."))
        return redirect("outcomes_kpi:import")
    log(
        KpiSettings.load(),
        "oyako.kpi_import",
        user=request.user,
        data={"kind": kind, "file": os.path.basename(filename)[:100], "totals": report.totals},
    )
    messages.success(
        request,
        _("Imported: %(new)d new, %(update)d updated, %(skip)d unchanged rows.")
        % {
            "new": report.totals.get("new", 0),
            "update": report.totals.get("update", 0),
            "skip": report.totals.get("skip", 0),
        },
    )
    return redirect("outcomes_kpi:dashboard")


def survey_results(request, pk):
    _require_dashboard(request)
    survey = get_object_or_404(SurveyPage, pk=pk)
    _year, include, _current = _choices(request)
    config = KpiSettings.load()
    effective = config.include_untokened_answers if include is None else include
    free_text = sees_health(request.user)
    result = kpi.round_result(survey, effective)
    tokened, untokened, everything = _answer_counts(survey)
    rate = kpi.response_rate(survey, everything.value)
    if rate is not None:
        rate.withheld = everything.withheld
    questions = kpi.question_summaries(survey, effective, free_text=free_text)
    if free_text and any(q["kind"] == "text" for q in questions):
        _log_opening(request, "oyako.survey_free_text_viewed", survey=survey.pk, title=survey.title[:100])
    rounds = [
        (page, kpi.round_result(page, effective), _answer_counts(page))
        for page in SurveyPage.objects.order_by("fiscal_year", "quarter")
    ]
    context = {
        "page_title": survey.title,
        "header_icon": "form",
        "survey": survey,
        "result": result,
        "responses": everything if effective else tokened,
        "rate": rate,
        "questions": questions,
        "free_text": free_text,
        # Shown apart: how many answers came with an invitation and how many from the public link.
        "tokened": tokened,
        "untokened": untokened,
        "rounds": [
            {
                "survey": page,
                "responses": counts[2] if effective else counts[0],
                "satisfaction": kpi.Point("", r.satisfaction, r.satisfaction_people),
                "image": kpi.Point("", r.image_percent, r.image_answered),
            }
            for page, r, counts in rounds
        ],
        "include_untokened": effective,
        "can_announce": survey.permissions_for_user(request.user).can_publish(),
        "announced": survey.live and _announced(survey),
    }
    return TemplateResponse(request, "outcomes/admin/survey_results.html", context)


def _answer_counts(survey):
    """A round's answers with an invitation, without one, and all, as shown under either choice
    of including untokened answers: when either kind is from fewer than 5, the sum is withheld
    (else the sum less the other kind gives it), and so is the rate, which rests on all answers."""
    counts = SurveyResponse.objects.filter(page=survey).aggregate(
        invited=Count("pk", filter=Q(tokened=True)), public=Count("pk", filter=Q(tokened=False))
    )
    apart = [kpi.Point("", counts[kind], counts[kind]) for kind in ("invited", "public")]
    total = counts["invited"] + counts["public"]
    return (*apart, kpi.Point("", total, total, withheld=any(point.small for point in apart)))


def _announced(survey):
    from notifications.models import Notification

    from .services import announcement_source

    return Notification.objects.filter(source=announcement_source(survey)).first()


def announce_survey(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    survey = get_object_or_404(SurveyPage, pk=pk)
    if not survey.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    from .services import announce

    notification = announce(survey, requested_by=request.user)
    if notification.status == "skipped":
        messages.warning(request, _("Not announced: %(reason)s") % {"reason": notification.skip_reason})
    else:
        messages.success(request, _("The survey is announced; the push log shows its sending."))
    return redirect(reverse("outcomes_kpi:survey", args=[survey.pk]))
