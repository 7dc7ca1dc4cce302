"""Names in family-name order (姓 名), everywhere the hub writes a person's name.

Django's ``User.get_full_name`` writes "first last", so the admin read 「さくら 森川」 where the site
reads 「森川 さくら」. Wagtail writes every user's name through ``get_full_name`` (its
``get_user_display_name``, workflow history, the dashboard, the users list), so that one method
is where the order is set. A custom user model would be the other place, at the cost of a user
table migration the project does not otherwise need.
"""

from django.contrib.auth.models import AbstractUser


def family_name_first(user):
    """``"<last_name> <first_name>"``: the family name (Django's ``last_name``) first, as Japanese
    documents write it; either alone where the other is empty."""
    return " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)


def use_family_name_order():
    AbstractUser.get_full_name = family_name_first
