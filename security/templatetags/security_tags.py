from django import template

from ..two_factor import required_groups

register = template.Library()


@register.simple_tag
def two_factor_relaxed():
    """Whether this server requires two-step verification of nobody (the development demo)."""
    return not required_groups()
