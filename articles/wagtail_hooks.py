from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Physician, Topic


class PhysicianViewSet(SnippetViewSet):
    model = Physician
    icon = "user"
    menu_label = _("Physicians")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "name_kana", "specialty", "affiliation", "user"]
    list_filter = ["specialty"]
    search_fields = ["name", "name_kana", "affiliation"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "name_en", "slug"]


register_snippet(PhysicianViewSet)
register_snippet(TopicViewSet)
