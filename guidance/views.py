"""The public get-help page: emergency numbers first, then each service with its open-now state."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from .emergency import emergency_lines
from .models import services_for_language
from .ways import get_help_sections


def get_help(request):
    now = timezone.now()
    services = [(service, service.status(now)) for service in services_for_language(get_language())]
    return render(
        request,
        "guidance/get_help.html",
        {
            "emergency_lines": emergency_lines(),
            "sections": get_help_sections(request),
            "services": services,
            "now": now,
        },
    )
