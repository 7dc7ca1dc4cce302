"""Under production settings two-step verification is required, sign-in failures are counted in the
shared cache, and the content security policy is enforced (tests/test_production_settings.py runs
check --deploy)."""

import json

from tests.test_production_settings import FULL_ENV, run_manage

SHOW = (
    "import json; from django.conf import settings; print(json.dumps({"
    "'groups': settings.OYAKO_2FA_REQUIRED_GROUPS, "
    "'cache': settings.CACHES['default']['BACKEND'], "
    "'axes': settings.AXES_HANDLER, "
    "'enforced': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], "
    "'report_only': getattr(settings, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None), "
    "'proxies': settings.OYAKO_TRUSTED_PROXY_COUNT}))"
)


def test_production_requires_two_step_verification_and_enforces_the_policy():
    result = run_manage("shell", "-c", SHOW, env=FULL_ENV)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["groups"] == ["Physicians", "Administrators"]
    assert shown["cache"] == "cms.cache.ReusingRedisCache"
    assert shown["axes"] == "axes.handlers.cache.AxesCacheHandler"
    assert shown["enforced"] == ["'self'"]
    assert shown["report_only"] is None
    assert shown["proxies"] == 1
