"""What other apps add to the get-help page, without guidance importing them.

- ``guidance_get_help_sections``: a function ``(request) -> HTML or None`` for a section of the
  get-help page between the emergency numbers and the services (the self-check registers one).
- ``guidance_service_ways``: a function ``(service) -> {"web": url, "booking": url}`` (either key
  optional) for the ways to start that the hub itself carries for a (Japanese, source) service:
  its own booking page, its own browser consultation. They take the place of the service's
  external links of the same kind wherever a service is shown.
"""

from wagtail import hooks

SECTIONS_HOOK = "guidance_get_help_sections"
WAYS_HOOK = "guidance_service_ways"


def get_help_sections(request):
    return [section for make in hooks.get_hooks(SECTIONS_HOOK) if (section := make(request))]


def hub_ways(service):
    """The hub's own ways to start ``service`` (see the module doc), by kind."""
    source = service.source()
    ways = {}
    for find in hooks.get_hooks(WAYS_HOOK):
        for kind, url in (find(source) or {}).items():
            ways.setdefault(kind, url)
    return ways
