import re

from django import forms
from django.utils.translation import gettext_lazy as _

PHONE = re.compile(r"^\+?[0-9０-９][0-9０-９\-‐－ ()]{8,18}$")


class BookingForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("What would you like to talk about? (optional, a few words)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
        help_text=_("Only the staff of the service read it. Leave it empty if you prefer."),
    )

    def __init__(self, *args, slot_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_ids = set(slot_ids)

    def clean_slot(self):
        slot = self.cleaned_data.get("slot")
        if not slot:
            raise forms.ValidationError(_("Please choose a time."))
        return slot


class SiteBookingForm(BookingForm):
    contact = forms.CharField(
        label=_("E-mail address or phone number"),
        max_length=120,
        help_text=_("Only to reach you about this booking."),
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["contact", "note"]

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        if "@" in contact:
            forms.EmailField().clean(contact)
        elif not PHONE.match(contact):
            raise forms.ValidationError(_("Please give an e-mail address or a phone number."))
        return contact
