"""One Content-Security-Policy for the public site, a looser one for the admin.

django-csp builds the header from ``CONTENT_SECURITY_POLICY``; under the admin's path prefixes
(``OYAKO_ADMIN_CSP_PATH_PREFIXES``) this middleware hands it ``OYAKO_ADMIN_CONTENT_SECURITY_POLICY``
instead, because Wagtail's admin still runs inline scripts and styles that the public site never needs.
"""

from csp.middleware import CSPMiddleware

from django.conf import settings


def is_admin_path(path):
    return path.startswith(tuple(settings.OYAKO_ADMIN_CSP_PATH_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.OYAKO_ADMIN_CONTENT_SECURITY_POLICY
        return parts
