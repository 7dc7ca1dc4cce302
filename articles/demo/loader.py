"""Build the demo site: page tree, physicians, topics, approved articles and demo users.

Every step finds what an earlier run made before creating anything, so loading twice changes
nothing. Articles go live the only way the hub allows: a revision, the supervising physician's
approval of exactly that revision, then publication of that revision.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from wagtail import hooks
from wagtail.models import Locale, Page, Site

from articles.enums import Specialty
from articles.models import ArticleApproval, ArticleIndexPage, ArticlePage, LifeStage, Physician, Topic
from campaigns.demo import load_demo_campaign
from guidance.demo import load_demo_guidance
from home.models import HomePage, SiteSettings
from milestones.demo import load_demo_series
from outcomes.demo import load_demo_outcomes

from . import content
from .images import figure_png, get_or_create_image, illustration_png, portrait_png
from .translation_loader import load_demo_translations, load_reviewers

# One article is past its review date and one falls due within a month, so the review notices and
# reports have something to show.
OVERDUE_SLUG = "hospital-bag"
DUE_SOON_SLUG = "preschool-snacks"


class DemoContentError(Exception):
    """The demo content cannot be loaded as asked; nothing was changed."""


@dataclass
class Report:
    """What a load created, updated or found already there, for the command's summary."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)
    users: list = field(default_factory=list)

    def count(self, kind, created):
        (self.created if created else self.existing)[kind] += 1

    def lines(self):
        kinds = list(dict.fromkeys([*self.created, *self.updated, *self.existing]))
        for kind in kinds:
            parts = [f"{self.created[kind]} created"]
            if self.updated[kind]:
                parts.append(f"{self.updated[kind]} updated")
            if self.existing[kind]:
                parts.append(f"{self.existing[kind]} already there")
            yield f"{kind}: " + ", ".join(parts)
        yield from self.notes


DEMO_HOOK = "oyako_demo_content"


@dataclass(frozen=True)
class DemoContext:
    """What a feature's demo loader (``oyako_demo_content`` hook) is given: the site's home page,
    the demo users by role (empty without demo users), the translation reviewers, the day the demo
    is "today", and the report to count what it creates (``report.count(kind, created)``)."""

    home: object
    users: dict
    reviewers: dict
    today: object
    report: object


def load_demo_content(password=None, users_allowed=None, today=None):
    """Load the demo site into the database, in one transaction.

    Args:
        password: The demo users' password. Required when demo users are allowed.
        users_allowed: Whether to create demo users; defaults to ``settings.DEMO_USERS_ALLOWED``.
        today: The date review dates are counted from; defaults to today in Asia/Tokyo.

    Returns:
        A :class:`Report` of what was created, updated or already there.

    Raises:
        DemoContentError: Demo users are allowed but no password was given.
    """
    if users_allowed is None:
        users_allowed = getattr(settings, "DEMO_USERS_ALLOWED", False)
    if users_allowed and not password:
        raise DemoContentError("Set DEMO_PASSWORD to the password the demo users should have.")
    today = today or timezone.localdate()
    report = Report()
    with transaction.atomic():
        physicians = load_physicians(report)
        topics = load_topics(report)
        if users_allowed:
            users = load_users(password, physicians, report)
        else:
            users = {}
            report.notes.append("Demo users skipped: DEMO_USERS_ALLOWED is off in these settings.")
        editor = users.get("editor")
        home, index = load_page_tree(editor, report)
        load_articles(index, physicians, topics, editor, today, report)
        if editor is not None:
            load_pending_articles(index, physicians, topics, editor, report)
        if users_allowed:
            reviewers = load_reviewers(password, physicians[Specialty.PAEDIATRICS], report)
            load_demo_translations(home, index, reviewers, editor, _translate, report)
        else:
            reviewers = {}
            report.notes.append("Demo translations skipped: their reviewers are demo users.")
        load_demo_campaign(home, editor, today, report)
        load_demo_guidance(users, reviewers, report)
        load_demo_series(home, editor, today, report)
        load_demo_outcomes(home, users, today, report)
        for load_feature in hooks.get_hooks(DEMO_HOOK):
            load_feature(DemoContext(home=home, users=users, reviewers=reviewers, today=today, report=report))
    return report


def load_physicians(report):
    physicians = {}
    for specialty, data in content.PHYSICIANS.items():
        photo, created = get_or_create_image(
            f"{content.SAMPLE_MARK}{data['name']}（肖像のイラスト）",
            "医師の肖像の代わりに置いた、シンプルな人物のシルエットのイラスト",
            f"demo-physician-{specialty}.png",
            portrait_png(data["colour"]),
        )
        report.count("Images", created)
        physician, created = Physician.objects.get_or_create(
            name=data["name"],
            specialty=specialty,
            locale=Locale.get_default(),
            defaults={
                "name_kana": data["name_kana"],
                "credentials": data["credentials"],
                "affiliation": data["affiliation"],
                "photo": photo,
            },
        )
        report.count("Physicians", created)
        physicians[specialty] = physician
        for code, words in data.get("translations", {}).items():
            locale = Locale.objects.get_or_create(language_code=code)[0]
            if physician.has_translation(locale):
                continue
            translation = physician.copy_for_translation(locale)
            for name, value in words.items():
                setattr(translation, name, value)
            translation.save()
            report.count("Physician translations", True)
    return physicians


def load_topics(report):
    """The Japanese topics and their translations (English from ``name_en``, やさしい日本語 from the
    content), as Snippets → Topics → Translate makes them."""
    ja = Locale.get_default()
    topics = {}
    for slug, name, name_en in content.TOPICS:
        topic, created = Topic.objects.get_or_create(
            slug=slug, locale=ja, defaults={"name": name, "name_en": name_en}
        )
        report.count("Topics", created)
        topics[slug] = topic
        names = {"en": name_en}
        for code, by_slug in content.TOPIC_TRANSLATIONS.items():
            names[code] = by_slug.get(slug)
        for code, translated in names.items():
            locale = Locale.objects.get_or_create(language_code=code)[0]
            if not translated or topic.has_translation(locale):
                continue
            translation = topic.copy_for_translation(locale)
            translation.name = translated
            translation.save()
            report.count("Topic translations", True)
    return topics


def load_users(password, physicians, report):
    """Create or refresh the demo users; the password is set on every run so the README's works."""
    User = get_user_model()
    users = {}
    for data in content.USERS:
        user, created = User.objects.get_or_create(username=data["username"])
        user.first_name = data["first_name"]
        user.last_name = data["last_name"]
        user.email = data["email"]
        user.is_active = True
        user.is_superuser = user.is_staff = data["superuser"]
        user.set_password(password)
        user.save()
        # An existing user is refreshed (names, password), so it counts as updated.
        (report.created if created else report.updated)["Users"] += 1
        # The groups' permissions come from a migration; the loader only places users in them.
        group, _created = Group.objects.get_or_create(name=data["group"])
        user.groups.add(group)
        if "physician" in data:
            physician = physicians[data["physician"]]
            if physician.user_id != user.pk:
                physician.user = user
                physician.save(update_fields=["user"])
        users[data["username"]] = user
        report.users.append((data["username"], data["group"]))
    return users


def load_page_tree(user, report):
    """The Japanese home page as the default site's root, the article index, and their English copies."""
    ja = Locale.get_default()
    en, _created = Locale.objects.get_or_create(language_code="en")

    home = HomePage.objects.filter(locale=ja).first()
    report.count("Home pages", home is None)
    if home is None:
        home = HomePage(slug="oyako-hub", locale=ja, **content.HOME["ja"])
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision(user=user).publish(user=user, skip_permission_checks=True)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True, root_page=home)
    changed = site.root_page_id != home.pk or not site.site_name
    site.root_page = home
    site.site_name = site.site_name or content.HOME["ja"]["title"]
    if (site.hostname, site.port) == ("localhost", 80):
        # Wagtail's untouched default: links in pushes and bot replies (full URLs) should reach the
        # hub `make run` serves, so take the host and port of WAGTAILADMIN_BASE_URL.
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        if base.hostname and (base.hostname, base.port or 80) != ("localhost", 80):
            site.hostname, site.port = base.hostname, base.port or (443 if base.scheme == "https" else 80)
            changed = True
    if changed:
        site.save()
    _remove_welcome_page()

    site_settings = SiteSettings.for_site(site)
    if not site_settings.contact_text:
        site_settings.contact_text = content.SITE_CONTACT
        site_settings.save()

    index = ArticleIndexPage.objects.child_of(home).first()
    report.count("Article index pages", index is None)
    if index is None:
        index = ArticleIndexPage(slug=content.ARTICLE_INDEX["slug"], **content.ARTICLE_INDEX["ja"])
        home.add_child(instance=index)
        index.save_revision(user=user).publish(user=user, skip_permission_checks=True)

    for page, fields in ((home, content.HOME["en"]), (index, content.ARTICLE_INDEX["en"])):
        created = _translate(page, en, fields, user)
        report.count("English translations", created)
    return home, index


def _translate(page, locale, fields, user):
    """Give ``page`` a live translation in ``locale`` with ``fields``; True if one was created."""
    if page.get_translations().filter(locale=locale).exists():
        return False
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    translation.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    return True


def _remove_welcome_page():
    """Delete Wagtail's placeholder "Welcome" page once no site points at it."""
    plain_page = ContentType.objects.get_for_model(Page)
    Page.objects.filter(depth=2, content_type=plain_page, numchild=0).exclude(
        sites_rooted_here__isnull=False
    ).delete()


def load_articles(index, physicians, topics, user, today, report):
    interval = relativedelta(months=getattr(settings, "ARTICLES_REVIEW_INTERVAL_MONTHS", 12))
    stages = {stage.code: stage for stage in LifeStage.objects.all()}
    for number, data in enumerate(content.ARTICLES):
        if ArticlePage.objects.child_of(index).filter(slug=data["slug"]).exists():
            report.count("Articles", False)
            continue
        image, figure = _article_images(data, report)
        page = ArticlePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            physician=physicians[data["physician"]],
            image=image,
            # A draft until its approved revision is published below.
            live=False,
            # Loading sample content must never message real families.
            notify_subscribers=False,
        )
        page.body = json.dumps(_body(data["body"], figure))
        page.life_stages = [stages[code] for code in data["stages"]]
        page.topics = [topics[slug] for slug in data["topics"]]
        index.add_child(instance=page)
        _publish_approved(page, user, _reviewed_on(data["slug"], number, today, interval), interval)
        report.count("Articles", True)


def load_pending_articles(index, physicians, topics, editor, report):
    """Articles the editor wrote and submitted to the Medical review workflow, not yet approved, so
    the demo physician signing in finds work waiting for them."""
    stages = {stage.code: stage for stage in LifeStage.objects.all()}
    for data in content.PENDING_ARTICLES:
        if ArticlePage.objects.child_of(index).filter(slug=data["slug"]).exists():
            report.count("Articles awaiting review", False)
            continue
        image, figure = _article_images(data, report)
        page = ArticlePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            physician=physicians[data["physician"]],
            image=image,
            live=False,
            owner=editor,
            # The approve dialog then names the families the publish would reach.
            notify_subscribers=data["notify"],
        )
        page.body = json.dumps(_body(data["body"], figure))
        page.life_stages = [stages[code] for code in data["stages"]]
        page.topics = [topics[slug] for slug in data["topics"]]
        index.add_child(instance=page)
        page.save_revision(user=editor)
        workflow = page.get_workflow()
        if workflow is None:
            report.notes.append("Articles awaiting review: not submitted (no workflow on the article index).")
        else:
            workflow.start(page, editor)
        report.count("Articles awaiting review", True)


def _article_images(data, report):
    """The article's listing image and a different figure for its body, so neither repeats."""
    images = []
    for suffix, kind, draw in (
        ("", "淡い色の円を重ねたイラスト", illustration_png),
        ("（本文の図）", "色の帯を三段に重ねた図", figure_png),
    ):
        image, created = get_or_create_image(
            f"{content.SAMPLE_MARK}{data['title']}{suffix}",
            f"「{data['title']}」に添えた、{kind}（サンプル）",
            f"demo-article-{data['slug']}{'-figure' if suffix else ''}.png",
            draw(data["colour"]),
        )
        report.count("Images", created)
        images.append(image)
    return images


def _body(blocks, image):
    notice = ("paragraph", f"<p>{content.SAMPLE_MARK}{content.SAMPLE_NOTICE}</p>")
    raw = []
    for block_type, value in [notice, *blocks]:
        if block_type == "image":
            value = {"image": image.pk, "alt_text": image.description, "decorative": False}
        raw.append({"type": block_type, "value": value})
    return raw


def _reviewed_on(slug, number, today, interval):
    if slug == OVERDUE_SLUG:
        return today - interval - datetime.timedelta(days=20)
    if slug == DUE_SOON_SLUG:
        return today - interval + datetime.timedelta(days=14)
    # The rest spread over the last ten months, so none falls due within the next two.
    return today - datetime.timedelta(days=10 + number * 19)


def _publish_approved(page, user, reviewed_on, interval):
    """Publish ``page`` the way the review gate allows: approve this exact revision, then publish it.

    The editor is recorded as the publisher but their group's permissions are not checked: they come
    from another migration and the loader must not depend on them.
    """
    revision = page.save_revision(user=user)
    physician = page.physician
    ArticleApproval.objects.create(
        page=page,
        revision=revision,
        physician=physician,
        approved_by=physician.user,
        approved_at=timezone.make_aware(datetime.datetime.combine(reviewed_on, datetime.time(10))),
        reviewed_on=reviewed_on,
        next_review_due=reviewed_on + interval,
    )
    revision.publish(user=user, skip_permission_checks=True)
