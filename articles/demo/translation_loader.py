"""Load the demo translations: the page tree in やさしい日本語, four articles in やさしい日本語 and
English, and the reviewers who signed them off. Idempotent, like the rest of the demo."""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.models import Locale

from articles.models import ArticleApproval, ArticlePage, MedicalReviewer
from articles.workflows import next_review_due

from . import translations

TRANSLATOR = {
    "username": "translator",
    "first_name": "Maria",
    "last_name": "Santos",
    "email": "translator@example.jp",
    "name": "Maria Santos（サンプル）",
    "languages": ["en", "tl", "pt-br"],
}


def load_reviewers(password, physician, report):
    """The demo physician signs off やさしい日本語; a demo medical translator signs off English."""
    reviewers = {}
    if physician.user_id:
        reviewer, created = MedicalReviewer.objects.get_or_create(
            user=physician.user,
            defaults={"name": physician.name, "role": "physician", "physician": physician},
        )
        reviewer.locales.add(Locale.objects.get_or_create(language_code="ja-x-easy")[0])
        report.count("Medical reviewers", created)
        reviewers["ja-x-easy"] = reviewer
    user, created = get_user_model().objects.get_or_create(username=TRANSLATOR["username"])
    for name in ("first_name", "last_name", "email"):
        setattr(user, name, TRANSLATOR[name])
    user.is_active = True
    user.set_password(password)
    user.save()
    # Reviewers work in the admin like physicians: they review, they never publish.
    user.groups.add(Group.objects.get_or_create(name="Physicians")[0])
    report.users.append((user.username, "Medical translator"))
    reviewer, created = MedicalReviewer.objects.get_or_create(
        user=user, defaults={"name": TRANSLATOR["name"], "role": "translator"}
    )
    for code in TRANSLATOR["languages"]:
        reviewer.locales.add(Locale.objects.get_or_create(language_code=code)[0])
    report.count("Medical reviewers", created)
    reviewers["en"] = reviewer
    return reviewers


def load_demo_translations(home, index, reviewers, editor, translate_page, report):
    """Translate the page tree into やさしい日本語 and the demo articles into both languages."""
    for code, pages in translations.PAGES.items():
        locale = Locale.objects.get_or_create(language_code=code)[0]
        for page, fields in ((home, pages["home"]), (index, pages["index"])):
            report.count("Page tree translations", translate_page(page, locale, fields, editor))
    for slug, languages in translations.ARTICLES.items():
        source = ArticlePage.objects.child_of(index).filter(slug=slug).first()
        if source is None or not source.live:
            continue
        for code, data in languages.items():
            reviewer = reviewers.get(code)
            if reviewer is None:
                continue
            report.count("Article translations", _translate_article(source, code, data, reviewer, editor))


def _translate_article(source, code, data, reviewer, editor):
    locale = Locale.objects.get_or_create(language_code=code)[0]
    if source.get_translations().filter(locale=locale).exists():
        return False
    page = source.copy_for_translation(locale)
    page.title = data["title"]
    page.summary = data["summary"]
    notice = {"type": "paragraph", "value": f"<p>{translations.NOTICE[code]}</p>"}
    page.body = json.dumps([notice, *({"type": kind, "value": value} for kind, value in data["body"])])
    page.notify_subscribers = False
    page.save()
    revision = page.save_revision(user=editor)
    approval = ArticleApproval.objects.get(revision_id=source.live_revision_id)
    ArticleApproval.objects.create(
        page=page,
        revision=revision,
        physician=reviewer.physician,
        reviewer=reviewer,
        source_revision_id=source.live_revision_id,
        approved_by=reviewer.user,
        reviewed_on=approval.reviewed_on,
        next_review_due=next_review_due(approval.reviewed_on),
    )
    revision.publish(user=editor, skip_permission_checks=True)
    return True
