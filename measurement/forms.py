from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.models import Quarter

from .report import quarter_of

REPORT_LANGUAGES = [("ja", "日本語"), ("en", "English")]


def _years():
    current, _quarter = quarter_of(timezone.now())
    return [(year, _("FY%(year)s") % {"year": year}) for year in range(current, current - 5, -1)]


class QuarterlyReportForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=_years)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=Quarter.choices)
    language = forms.ChoiceField(label=_("Language of the report"), choices=REPORT_LANGUAGES)
