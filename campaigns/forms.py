"""The campaign page's admin form: plan rules an editor is told about, and the preset fill."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from articles.models import SUMMARY_MAX_LENGTH

from .presets import PresetEvent, preset_rhythm

SENT_PUSH_IS_READ_ONLY = _(
    "This push was already handed to the push pipeline (or skipped) and can no "
    "longer be changed or deleted. Add a new push instead."
)


class CampaignPageForm(WagtailAdminPageForm):
    # The preset button is a submit button named this; it is read from the request data rather
    # than declared as a field, since Wagtail renders undeclared-in-panels fields as hidden inputs
    # that would shadow the button's value.
    fill_button_name = "fill_push_plan"

    def clean(self):
        cleaned_data = super().clean()
        self._clean_featured_articles(cleaned_data)
        self._clean_planned_pushes(cleaned_data)
        if self.data.get(self.fill_button_name) and not self.errors:
            self.preset = self._preset(cleaned_data)
        return cleaned_data

    def _clean_featured_articles(self, cleaned_data):
        from .models import approved_articles_q

        featured = cleaned_data.get("featured_articles")
        if featured is None:
            return
        approved = set(featured.filter(approved_articles_q()).values_list("pk", flat=True))
        refused = [article.title for article in featured if article.pk not in approved]
        if refused:
            self.add_error(
                "featured_articles",
                _("Only live, physician-approved articles can be featured: %(titles)s")
                % {"titles": "、".join(refused)},
            )

    def _clean_planned_pushes(self, cleaned_data):
        from .models import PushDispatch

        formset = self.formsets.get("planned_pushes")
        if formset is None:
            return
        formset.is_valid()
        featured = cleaned_data.get("featured_articles")
        featured_ids = set(featured.values_list("pk", flat=True)) if featured is not None else set()
        known_ids = [form.instance.pk for form in formset.forms if form.instance.pk]
        locked = {
            dispatch.plan_item_id: dispatch
            for dispatch in PushDispatch.objects.filter(plan_item_id__in=known_ids)
            if dispatch.locks_plan_item
        }
        for form in formset.forms:
            deleting = formset._should_delete_form(form)
            if form.instance.pk in locked:
                changed = [name for name in form.changed_data if name not in ("ORDER", "DELETE")]
                if deleting or changed:
                    form.add_error(None, SENT_PUSH_IS_READ_ONLY)
                    self.add_error(None, SENT_PUSH_IS_READ_ONLY)
                continue
            if deleting or not getattr(form, "cleaned_data", None):
                continue
            send_at = form.cleaned_data.get("send_at")
            if send_at and "send_at" in form.changed_data and send_at <= timezone.now():
                form.add_error(
                    "send_at", _("Choose a time in the future: a push cannot be planned in the past.")
                )
            target = form.cleaned_data.get("target_article")
            if target is not None and target.pk not in featured_ids:
                form.add_error(
                    "target_article",
                    _("A push can link only to the campaign or to one of its featured articles."),
                )

    def _preset(self, cleaned_data):
        events = []
        formset = self.formsets.get("events")
        if formset is not None and formset.is_valid():
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None)
                if data and not formset._should_delete_form(form) and data.get("starts_at"):
                    events.append(
                        PresetEvent(
                            name=data["name"], starts_at=data["starts_at"], venue=data.get("venue", "")
                        )
                    )
        if not (cleaned_data.get("start_date") and cleaned_data.get("end_date")):
            return []
        return preset_rhythm(
            title=cleaned_data.get("title") or "",
            start_date=cleaned_data["start_date"],
            end_date=cleaned_data["end_date"],
            events=events,
        )

    def save(self, commit=True):
        page = super().save(commit=False)
        preset = getattr(self, "preset", None)
        if preset:
            self._add_preset(page, preset)
        if commit:
            page.save()
            self._save_m2m()
        return page

    def _add_preset(self, page, preset):
        from .models import PlannedPush

        existing = list(page.planned_pushes.all())
        taken = {item.send_at for item in existing}
        order = max((item.sort_order or 0 for item in existing), default=-1)
        new_items = []
        for push in preset:
            if push.send_at in taken:
                continue
            order += 1
            new_items.append(
                PlannedPush(
                    send_at=push.send_at,
                    text=push.text[:SUMMARY_MAX_LENGTH],
                    life_stages=list(push.life_stages),
                    languages=list(push.languages),
                    sort_order=order,
                )
            )
        page.planned_pushes.add(*new_items)
