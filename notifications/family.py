"""The household a subscriber belongs to, as told by the app that keeps households (``families``).

notifications keeps how to reach people; who they are (their children, and so the stages a push or
a timed message concerns) belongs to another app, which registers one provider with the
``notifications_family`` Wagtail hook. notifications never imports it. Without a provider a
subscriber's own month (the fields of :class:`~notifications.models.subscribers.LifeStageBasis`)
is all there is, as before households existed.

A provider has:

- ``stage_condition(model, life_stages, today)``: a ``Q`` on ``model`` (LineFollower or AppDevice)
  matching subscribers linked to a child in one of ``life_stages`` on ``today``;
- ``life_stages(subscriber, today)``: the stages of the subscriber's children now;
- ``months_chosen(subscriber, due_month=None, birth_month=None)``: a month a subscriber chose on
  an old button (``due=``/``born=``), applied to its household.
"""

from wagtail import hooks

HOOK = "notifications_family"


def provider():
    """The registered household provider, or None."""
    found = hooks.get_hooks(HOOK)
    return found[-1]() if found else None
