"""The self-check on the site, reached from the get-help page: one item per page, a plain form that
works on a phone without JavaScript, the same words, item 9 rule and bands as on LINE.

Nothing is kept on the site but the anonymous row per check: the session is keyed by a keyed hash
of the browser session and deleted when the check ends. The form takes no free text, so there is
nothing a parent writes for the crisis check to read; the crisis reply and the numbers come at once
when item 9 is answered with anything but "not at all".
"""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from guidance.answering import crisis_answer, supported_language
from guidance.emergency import emergency_lines

from . import flow, routing
from .models import ITEMS, Channel, Outcome


def _key(request):
    if not request.session.session_key:
        request.session.save()
    return flow.subscriber_key(f"site:{request.session.session_key}")


def _service_context(service, language):
    if service is None:
        return None
    return {"service": service, "status": service.status(timezone.now())}


def _counselling(language):
    band = flow.counselling_band()
    return _service_context(routing.service_in(band.service, language), language) if band else None


@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    language = supported_language(get_language())
    words = flow.instrument_for(language)
    if words is None:
        return render(
            request,
            "screening/unavailable.html",
            {"counselling": _counselling(language), "emergency_lines": emergency_lines()},
        )
    if request.method == "POST":
        key = _key(request)
        session = flow.begin(key, Channel.SITE, language, words)
        flow.consent(session, keep=False)
        return redirect("screening:question")
    return render(request, "screening/start.html", {"words": words.words, "fallback": words.fallback})


@never_cache
@require_http_methods(["GET", "POST"])
def question(request):
    language = supported_language(get_language())
    session = flow.open_session(_key(request), Channel.SITE) if request.session.session_key else None
    if session is None or session.step < 1:
        return render(request, "screening/stale.html", status=200)
    words = flow.session_words(session)
    if words is None:
        flow.end(session, Outcome.WITHDRAWN)
        return render(request, "screening/stale.html", {"changed": True})
    error = ""
    if request.method == "POST":
        if request.POST.get("step") != str(session.step):
            return redirect("screening:question")  # an old page's form: show where the check is now
        if "stop" in request.POST:
            flow.end(session, Outcome.STOPPED)
            return render(request, "screening/stopped.html")
        if "back" in request.POST:
            flow.back(session)
            return redirect("screening:question")
        value = request.POST.get("answer", "")
        if value not in {"0", "1", "2", "3"}:
            error = "missing"
        else:
            step = flow.answer(session, value)
            if step == "item9":
                flow.end(session, Outcome.ITEM_9)
                crisis = crisis_answer(language).messages[0].text
                return render(
                    request,
                    "screening/crisis.html",
                    {"crisis": crisis, "counselling": _counselling(language)},
                )
            if step == "done":
                result = flow.finish(session)
                service, articles = routing.route_of(result.band, language)
                return render(
                    request,
                    "screening/result.html",
                    {
                        "closing": words.words.closing(result.band.level),
                        "service": _service_context(service, language),
                        "articles": articles,
                        "series_url": result.band.series_url if service is None else "",
                    },
                )
            return redirect("screening:question")
    return render(
        request,
        "screening/question.html",
        {
            "words": words.words,
            "step": session.step,
            "count": ITEMS,
            "item": words.words.item(session.step),
            "options": list(enumerate(words.words.options())),
            "chosen": None,
            "error": error,
        },
        status=400 if error else 200,
    )
