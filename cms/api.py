"""Wagtail's read-only API v2, for the maternal-and-child handbook app."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, ReferenceIndex


def public_image_ids():
    """The images that a live page without a view restriction uses: what the pages API shows.

    Read from Wagtail's reference index of each page's row, which holds the published content
    (a draft lives in its revision, so an image only a draft uses is not among them).
    """
    pages = Page.objects.live().public().annotate(object_key=Cast("pk", CharField())).values("object_key")
    references = ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=pages,
        to_content_type=ContentType.objects.get_for_model(get_image_model()),
    )
    return {int(key) for key in references.values_list("to_object_id", flat=True).distinct()}


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """``/api/v2/images/``: only the images of live, public pages, so that the app can show a
    page's pictures; an image only a draft or a private page uses is neither listed nor served
    (its title and download link would tell what the unpublished page is about)."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=public_image_ids())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
