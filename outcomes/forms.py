"""The survey form builder (a 5-point rating type) and the import upload form."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.forms import FormBuilder

RATING_POINTS = range(1, 6)


class RatingWidget(forms.RadioSelect):
    """Five radio buttons in a fieldset whose two ends carry their labels."""

    template_name = "outcomes/widgets/rating.html"

    def __init__(self, low_label="", high_label="", **kwargs):
        super().__init__(**kwargs)
        self.low_label = low_label
        self.high_label = high_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["low_label"] = self.low_label
        context["widget"]["high_label"] = self.high_label
        return context


class SurveyFormBuilder(FormBuilder):
    def create_rating_field(self, field, options):
        options["choices"] = [(str(point), str(point)) for point in RATING_POINTS]
        return forms.TypedChoiceField(
            coerce=int,
            widget=RatingWidget(low_label=field.low_label, high_label=field.high_label),
            **options,
        )


class ReportKind:
    USAGE = "usage"
    OUTCOMES = "outcomes"
    CHOICES = [(USAGE, _("Monthly service usage report")), (OUTCOMES, _("Counselling outcome records"))]


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ReportKind.CHOICES)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.OUTCOMES_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)d KB); the limit is %(limit)d KB.")
                % {"size": upload.size // 1024, "limit": limit // 1024}
            )
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV or an Excel (.xlsx) file."))
        return upload
