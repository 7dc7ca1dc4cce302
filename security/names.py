"""Names in family-name order (姓 名), everywhere the hub writes a person's name.

Django's ``User.get_full_name`` writes "first last", so the admin read 「さくら 森川」 where the site
reads 「森川 さくら」. Wagtail writes every user's name through ``get_full_name`` (its
``get_user_display_name``, workflow history, the dashboard, the users list), so that one method
is where the order is set. A custom user model would be the other place, at the cost of a user
table migration the project does not otherwise need.

The sidebar's account menu is the exception: Wagtail hands it ``user.first_name`` alone (the given
name, 「さくら」), so its props are given the full name, family name first, as the dashboard writes it.
"""

from django.contrib.auth.models import AbstractUser


def family_name_first(user):
    """``"<last_name> <first_name>"``: the family name (Django's ``last_name``) first, as Japanese
    documents write it; either alone where the other is empty."""
    return " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)


def _account_menu_props_with_full_name(js_args):
    def js_args_with_full_name(self):
        from wagtail.admin.utils import get_user_display_name

        args = js_args(self)
        args[2] = {**args[2], "name": get_user_display_name(self.user)}
        return args

    js_args_with_full_name.family_name_first = True
    return js_args_with_full_name


def use_family_name_order():
    from wagtail.admin.ui.sidebar import MainMenuModule

    AbstractUser.get_full_name = family_name_first
    if not getattr(MainMenuModule.js_args, "family_name_first", False):
        MainMenuModule.js_args = _account_menu_props_with_full_name(MainMenuModule.js_args)
