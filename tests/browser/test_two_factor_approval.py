"""Two-step sign-in in Chromium under the production rule: a physician enrols an authenticator app on
first sign-in (the code is computed here from the key the page shows), approves an article, and the
approval is in the page's history and the site history. No page breaks the content security policy.
"""

import base64

import pytest

from django.contrib.auth.models import Group

pytestmark = [
    pytest.mark.browser,
    # Transactional: the live server reads what the test writes.
    pytest.mark.django_db(transaction=True),
]
PASSWORD = "sample-password"

# Collects every CSP violation the page reports, before any of its own scripts run.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def production_rule(settings):
    settings.OYAKO_2FA_REQUIRED_GROUPS = ["Physicians", "Administrators"]


@pytest.fixture
def submitted_article(request, django_user_model):
    """An article by an editor, submitted to the Medical review workflow, and its physician."""
    from articles.factories import ArticleIndexPageFactory, ArticlePageFactory, PhysicianFactory

    home_page = request.getfixturevalue("home_page")
    index = ArticleIndexPageFactory(parent=home_page)
    editor = django_user_model.objects.create_user("sample-editor", "editor@example.jp", PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    doctor = django_user_model.objects.create_user("sample-physician", "physician@example.jp", PASSWORD)
    doctor.groups.add(Group.objects.get(name="Physicians"))
    physician = PhysicianFactory(user=doctor, name="見本 花子（サンプル）")
    article = ArticlePageFactory(
        parent=index, physician=physician, owner=editor, title="【サンプル】赤ちゃんの発熱", live=False
    )
    article.save_revision(user=editor)
    article.get_workflow().start(article, editor)
    return article


def totp_code(secret):
    from django_otp.oath import totp

    return f"{totp(base64.b32decode(secret)):06d}"


def sign_in_with_password(page, live_server, username, then):
    """The first step; the admin then asks for the second at ``then`` (a URL pattern).

    Returns the CSP violations the login page reported.
    """
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    login_page_violations = csp_violations(page)
    page.click("button[type=submit]")
    page.wait_for_url(then)
    return login_page_violations


def submit_code(page, code):
    page.fill("#id_otp_token", code)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.click("form.login-form button[type=submit]")


def csp_violations(page):
    return page.evaluate("window.__cspViolations || []")


def test_a_physician_enrols_signs_in_with_a_code_approves_and_the_approval_is_in_the_history(
    live_server, browser, production_rule, submitted_article, django_user_model
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    article = submitted_article
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    violations = []

    def visit(url):
        page.goto(f"{live_server.url}{url}")
        violations.extend(f"{url}: {v}" for v in csp_violations(page))

    # Password first; the admin is closed until the second step is set up.
    violations += sign_in_with_password(
        page, live_server, "sample-physician", then="**/admin/two-factor/enrol/**"
    )
    violations.extend(f"enrol: {v}" for v in csp_violations(page))
    assert page.locator("figure svg").count() == 1  # the QR code, drawn by the server

    # The authenticator app: the key shown under the QR code gives the code.
    secret = page.locator(".oyako-secret").inner_text().replace(" ", "")
    submit_code(page, totp_code(secret))
    codes = page.locator(".oyako-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user__username="sample-physician").confirmed
    page.get_by_role("link", name="コードを保管しました").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    # The physician approves the article from the dashboard's list of reviews awaiting them:
    # Approve opens its dialog (what approving does), whose button approves.
    approve = page.locator("button[data-workflow-action-url*='/approve/']")
    page.locator("tr", has=approve).locator("[data-w-dropdown-target='toggle']").click()
    approve.first.click()
    page.locator("[data-approval-consequences]").wait_for()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(".modal-content button[type=submit]").click()
    violations.extend(f"after approve: {v}" for v in csp_violations(page))
    article.refresh_from_db()
    assert article.live

    # An administrator (enrolled already) signs in with a code and finds the approval in the page's
    # history and in the site history, with who and when.
    admin_user = django_user_model.objects.create_superuser("sample-admin", "admin@example.jp", PASSWORD)
    admin_user.groups.add(Group.objects.get(name="Administrators"))
    device = TOTPDevice.objects.create(user=admin_user, name="authenticator", confirmed=True)
    auditor = context.browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    auditor.add_init_script(RECORD_CSP_VIOLATIONS)
    admin_page = auditor.new_page()
    admin_page.set_default_timeout(20_000)
    violations += sign_in_with_password(
        admin_page, live_server, "sample-admin", then="**/admin/two-factor/verify/**"
    )
    submit_code(admin_page, totp_code(base64.b32encode(device.bin_key).decode()))
    assert admin_page.url == f"{live_server.url}/admin/"
    admin_page.goto(f"{live_server.url}/admin/pages/{article.pk}/history/")
    history = admin_page.locator("main").inner_text()
    assert "承認しました：医師の確認" in history
    assert "sample-physician" in history
    admin_page.goto(f"{live_server.url}/admin/reports/site-history/")
    site_history = admin_page.locator("main").inner_text()
    assert "承認しました：医師の確認" in site_history
    assert "リビジョン" in site_history  # the publish that the approval caused
    for url in ["/admin/pages/", "/admin/users/", "/admin/reports/site-history/"]:
        admin_page.goto(f"{live_server.url}{url}")
        violations.extend(f"{url} (administrator): {v}" for v in csp_violations(admin_page))
    auditor.close()

    # The admin's other screens and the public page stay within their policies.
    for url in ["/admin/two-factor/", "/admin/account/", "/admin/account/sign-out-everywhere/", article.url]:
        visit(url)
    page.goto(f"{live_server.url}{article.url}")
    assert "赤ちゃんの発熱" in page.content()
    violations.extend(f"public: {v}" for v in csp_violations(page))

    assert violations == [], "\n".join(violations)
    assert not [error for error in console_errors if "Content Security Policy" in error]
    context.close()


def test_a_wrong_code_keeps_the_admin_closed(live_server, browser, production_rule, submitted_article):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from articles.models import Physician

    user = Physician.objects.get().user
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    page = browser.new_page(locale="ja-JP")
    page.set_default_timeout(20_000)
    sign_in_with_password(page, live_server, "sample-physician", then="**/admin/two-factor/verify/**")
    submit_code(page, "000000" if totp_code_for(user) != "000000" else "111111")
    assert "コードが正しくないか" in page.content()
    page.goto(f"{live_server.url}/admin/pages/")
    assert "/admin/two-factor/verify/" in page.url
    page.close()


def totp_code_for(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return totp_code(base64.b32encode(device.bin_key).decode())
