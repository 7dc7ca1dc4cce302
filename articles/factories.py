"""Factories for articles, physicians and topics, and a helper that publishes an approved revision."""

import datetime

import factory
import wagtail_factories

from django.utils import timezone

from .enums import Specialty
from .models import (
    ArticleApproval,
    ArticleIndexPage,
    ArticlePage,
    LifeStage,
    MedicalReviewer,
    Physician,
    Topic,
)


class PhysicianFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"医師 {n}")
    name_kana = factory.Sequence(lambda n: f"いし {n}")
    specialty = Specialty.PAEDIATRICS
    affiliation = "上尾市 子ども医療センター（サンプル）"

    class Meta:
        model = Physician


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"トピック{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = Topic
        django_get_or_create = ["slug"]


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    title = "記事"
    slug = "articles"

    class Meta:
        model = ArticleIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"サンプル記事 {n}")
    summary = "【サンプル】テスト用の記事です。"
    physician = factory.SubFactory(PhysicianFactory)
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>【サンプル】この記事はテスト用のサンプルです。</p>")]
    )
    live = False

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def life_stages(self, create, extracted, **kwargs):
        codes = extracted or ["age_0_1"]
        self.life_stages.set(LifeStage.objects.filter(code__in=codes))
        if create:
            self.save()

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.set(extracted)
            if create:
                self.save()


def approve_revision(revision, physician=None, user=None, reviewed_on=None, reviewer=None):
    """Record an approval of ``revision`` as the review workflow would: by the page's physician, or
    by ``reviewer`` (a MedicalReviewer) for a translation, against its source's live revision."""
    from .translations import source_of

    page = revision.content_object
    physician = reviewer.physician if reviewer else (physician or page.specific.physician)
    source = source_of(page)
    reviewed_on = reviewed_on or timezone.localdate()
    return ArticleApproval.objects.create(
        page_id=revision.object_id,
        revision=revision,
        physician=physician,
        reviewer=reviewer,
        source_revision_id=source.live_revision_id if source is not None else None,
        approved_by=user or (reviewer.user if reviewer else physician.user),
        reviewed_on=reviewed_on,
        next_review_due=reviewed_on + datetime.timedelta(days=365),
    )


def publish_approved(page, user=None, reviewed_on=None, reviewer=None):
    """Save ``page`` as a new revision, approve it and publish it. Returns the revision."""
    page.save()
    revision = page.save_revision(user=user)
    approve_revision(revision, reviewed_on=reviewed_on, reviewer=reviewer)
    revision.publish(user=user)
    page.refresh_from_db()
    return revision


def localize(page, language, strings, translator=None):
    """A draft translation of ``page`` made with wagtail-localize, as a translator makes it in its
    editor: ``strings`` maps the source's words to their translation (the rest keeps the source's),
    typed by ``translator`` (a user; wagtail-localize's ``last_translated_by``) if given.

    Called again after the source changed, it syncs the translation with the source first.
    Publish the draft with :func:`publish_approved` (approved) or ``save_revision().publish()``.

    Returns:
        The translated page (specific).
    """
    from wagtail.models import Locale
    from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

    locale = Locale.objects.get_or_create(language_code=language)[0]
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        if segment.string.data in strings:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context_id=segment.context_id,
                defaults={"data": strings[segment.string.data], "last_translated_by": translator},
            )
    translation.save_target(publish=False)
    return page.get_translation(locale).specific


class MedicalReviewerFactory(factory.django.DjangoModelFactory):
    """A medical translator registered for ``languages`` (language codes)."""

    user = factory.SubFactory("articles.factories.UserFactory")
    name = factory.Sequence(lambda n: f"サンプル 翻訳者{n}")
    role = "translator"

    class Meta:
        model = MedicalReviewer
        skip_postgeneration_save = True

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        from wagtail.models import Locale

        for code in extracted or []:
            self.locales.add(Locale.objects.get_or_create(language_code=code)[0])


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"sample-reviewer-{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.jp")

    class Meta:
        model = "auth.User"
