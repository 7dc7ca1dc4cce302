"""StreamField blocks for article bodies. Each block renders accessible, mobile-first HTML."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "articles/blocks/heading.html"
        label = _("Heading")


class DoctorWarningBlock(blocks.StructBlock):
    """A prominent callout: signs that mean a family should see a doctor."""

    title = blocks.CharBlock(label=_("Title"), max_length=80, default="こんなときは受診を")
    signs = blocks.ListBlock(blocks.CharBlock(label=_("Sign"), max_length=200), label=_("Signs"))
    urgent_note = blocks.CharBlock(
        label=_("Urgent note"),
        required=False,
        max_length=200,
        help_text=_("For example: in an emergency call 119, or the child emergency line #8000."),
    )

    class Meta:
        icon = "warning"
        template = "articles/blocks/doctor_warning.html"
        label = _("When to see a doctor")


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        template = "articles/blocks/question_answer.html"
        label = _("Question and answer")


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    steps = blocks.ListBlock(blocks.TextBlock(label=_("Step")), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "articles/blocks/steps.html"
        label = _("Numbered steps")


class ReferenceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    publisher = blocks.CharBlock(label=_("Publisher"), required=False, max_length=120)
    url = blocks.URLBlock(label=_("Link"), required=False)

    class Meta:
        icon = "link"
        label = _("Reference")


class ReferencesBlock(blocks.StructBlock):
    references = blocks.ListBlock(ReferenceBlock(), label=_("References"), min_num=1)

    class Meta:
        icon = "doc-full"
        template = "articles/blocks/references.html"
        label = _("References")


class ServiceLinkBlock(blocks.StructBlock):
    """A consultation service (guidance app) with its hours and whether it is open now."""

    service = SnippetChooserBlock("guidance.ConsultationService", label=_("Service"))

    class Meta:
        icon = "help"
        template = "guidance/blocks/service_link.html"
        label = _("Consultation service")


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ul", "ol"],
        template="articles/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    image = ImageBlock(label=_("Image"), template="articles/blocks/image.html")
    doctor_warning = DoctorWarningBlock()
    qa = QuestionAnswerBlock()
    steps = StepsBlock()
    references = ReferencesBlock()
    service = ServiceLinkBlock()
