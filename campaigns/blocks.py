"""StreamField blocks for campaign page bodies (the article blocks' templates render them)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from articles.blocks import HeadingBlock


class CampaignBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ul", "ol"],
        template="articles/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    image = ImageBlock(label=_("Image"), template="articles/blocks/image.html")
