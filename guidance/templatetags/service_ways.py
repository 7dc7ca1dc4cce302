from django import template

from guidance.ways import hub_ways

register = template.Library()


@register.simple_tag
def service_ways(service):
    """``{% service_ways service as ways %}``: the service's ways to start, the hub's own first
    (``ways.web``, ``ways.booking``), else the service's external links."""
    found = hub_ways(service)
    return {
        "web": found.get("web") or service.web_url,
        "booking": found.get("booking") or service.booking_url,
    }
