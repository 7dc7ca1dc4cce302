"""Every admin and cross-app hook of the families app."""

from wagtail import hooks

from .provider import FamilyProvider


@hooks.register("notifications_family")
def family_provider():
    return FamilyProvider()


@hooks.register("guidance_conversation")
def signup_conversation():
    from .conversation import SignupHandler

    return SignupHandler()


@hooks.register("notifications_follow_greeting")
def follow_greeting(language):
    from .conversation import greeting

    return greeting(language)


from . import demo  # noqa: E402, F401  (registers the oyako_demo_content hook)
