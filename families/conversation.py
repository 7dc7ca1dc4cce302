"""The sign-up conversation on LINE, and 「設定」, its menu for changing things later.

A short conversation in the follower's language, each step skippable: expecting or with children,
the due or birth date from LINE's date picker (only the month is kept), "another child?", the
language. 「設定」 lists the children, and lets the family correct, remove or add one, record a
birth, change the language, invite a partner or relative, or leave the household.

The buttons are feature postbacks ``f=signup&a=<action>&...`` (:func:`guidance.conversation.postback_data`),
routed here by the guidance router after its crisis check. A change is applied once per LINE event
(:class:`~families.models.AppliedEvent`, in the change's transaction): a reply retried after a
transient failure changes nothing twice. The bot's words here are procedure (questions, what was
saved), never advice.
"""

import datetime
import logging
import re
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from guidance.backends.base import Answer, QuickReply, Text
from guidance.conversation import ConversationHandler, postback_data
from guidance.crisis import normalise
from notifications.models import LineFollower, SubscriberStatus

from . import services
from .models import AppliedEvent, Child, Member

logger = logging.getLogger(__name__)

NAME = "signup"
SETTINGS_COMMANDS = {"設定", "せってい", "settings", "setting"}
# 「招待 ABCD-EFGH」, or the code alone, as the invitation asks the partner to send it.
INVITATION_RE = re.compile(
    r"^(?:(?:招待|しょうたい|invite|invitation)\s*(?P<a>[A-Za-z0-9]{4})-?(?P<b>[A-Za-z0-9]{4})"
    r"|(?P<c>[A-Za-z0-9]{4})-(?P<d>[A-Za-z0-9]{4}))$",
    re.IGNORECASE,
)
NICKNAME_WAIT = datetime.timedelta(minutes=10)
MAX_CHILD_BUTTONS = 6


def data(action, **fields):
    return postback_data(NAME, a=action, **fields)


def month_text(month):
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def child_summary(child, today=None):
    """ "ゆい: 2025年6月生まれ (赤ちゃん 0〜1歳)": what the family told us, and the stage it gives."""
    stage = child.life_stage(today)
    if child.birth_month:
        month = _("born %(month)s") % {"month": month_text(child.birth_month)}
    else:
        month = _("due %(month)s") % {"month": month_text(child.due_month)}
    name = child.nickname or (_("Expected baby") if child.is_pregnancy else _("Child"))
    stage_label = stage.label if stage else _("over 6")
    return f"{name}: {month} ({stage_label})"


def _picker(label, action, born, **fields):
    first, last = services.birth_range() if born else services.due_range()
    # A birthday up to today; a due date up to the last day of the last allowed month.
    maximum = timezone.localdate() if born else services.add_months(last, 1) - datetime.timedelta(days=1)
    return QuickReply(
        label, data=data(action, **fields), picker="date", min=first.isoformat(), max=maximum.isoformat()
    )


def _skip(step, label=None):
    return QuickReply(label or _("Skip"), data=data("skip", s=step))


def ask_kind(language, first=True):
    """Step 1: expecting, or with children (or later)."""
    with translation.override(language):
        if first:
            text = _(
                "Thank you for following. So that we send what fits your family, may we ask two or "
                "three short questions? Are you expecting a baby, or do you have children?"
            )
        else:
            text = _("Is it a pregnancy or a child already born?")
        return Text(
            text,
            quick_replies=(
                QuickReply(_("Expecting"), data=data("kind", k="due")),
                QuickReply(_("We have a child"), data=data("kind", k="born")),
                _skip("kind", _("Later")),
            ),
        )


def ask_date(language, born):
    """Step 2: the due date or the birth date from the date picker; only the month is kept."""
    with translation.override(language):
        if born:
            text = _("When was your child born? Only the month is kept.")
            picker = _picker(_("Choose the birthday"), "add", True, k="born")
        else:
            text = _("When is the baby due? Only the month is kept.")
            picker = _picker(_("Choose the due date"), "add", False, k="due")
        return Text(text, quick_replies=(picker, _skip("date")))


def ask_more(language, child):
    """Step 3: another child?"""
    with translation.override(language):
        text = _("Saved: %(child)s. Is there another child, or another pregnancy?") % {
            "child": child_summary(child)
        }
        return Text(
            text,
            quick_replies=(
                QuickReply(_("Another pregnancy"), data=data("kind", k="due")),
                QuickReply(_("Another child"), data=data("kind", k="born")),
                _skip("more", _("No, that is all")),
            ),
        )


def ask_language(language):
    """Step 4: the language of the messages."""
    with translation.override(language):
        buttons = [QuickReply(name, data=data("lang", l=code)) for code, name in settings.LANGUAGES]
        return Text(
            _("Which language should we write to you in?"),
            quick_replies=(*buttons[:12], _skip("lang", _("Keep this one"))),
        )


def done(language):
    with translation.override(language):
        return Text(
            _(
                "All set. You can correct or add children, change the language or invite your "
                "partner at any time: send 「設定」 or tap Settings in the menu."
            )
        )


def settings_menu(member, language):
    """「設定」: the children, and what can be done with them."""
    kids = services.children(member.household) if member else []
    with translation.override(language):
        if kids:
            lines = "\n".join(f"・{child_summary(child)}" for child in kids)
            text = _("Your children:\n%(children)s\n\nWhat would you like to change?") % {"children": lines}
        else:
            text = _("No child is registered yet, so you receive everything. What would you like to do?")
        buttons = [
            QuickReply((child.nickname or child_summary(child))[:20], data=data("child", c=child.pk))
            for child in kids[:MAX_CHILD_BUTTONS]
        ]
        buttons += [
            QuickReply(_("Add a child"), data=data("new")),
            QuickReply(_("Language"), data=data("langs")),
            QuickReply(_("Invite family"), data=data("invite")),
        ]
        if member is not None:
            buttons.append(QuickReply(_("Leave household"), data=data("leave")))
        return Text(text, quick_replies=tuple(buttons))


def child_menu(child, language):
    """What can be done about one child."""
    with translation.override(language):
        buttons = []
        if child.is_pregnancy:
            buttons.append(_picker(_("Baby was born"), "born", True, c=child.pk))
            buttons.append(_picker(_("Correct due date"), "fix", False, c=child.pk, k="due"))
        else:
            buttons.append(_picker(_("Correct birthday"), "fix", True, c=child.pk, k="born"))
        buttons += [
            QuickReply(_("Nickname"), data=data("nick", c=child.pk)),
            QuickReply(_("Remove"), data=data("rm", c=child.pk)),
            QuickReply(_("Back"), data=data("menu")),
        ]
        return Text(child_summary(child), quick_replies=tuple(buttons))


def invitation_text(code, language):
    basic_id = getattr(settings, "FAMILIES_LINE_BASIC_ID", "")
    with translation.override(language):
        text = _(
            "Here is an invitation for your partner or a relative: %(code)s\n"
            "They follow this account and send 「招待 %(code)s」. It works once, for 7 days. They will "
            "receive the same messages about your children, and never see what you write to us."
        ) % {"code": code}
        if basic_id:
            link = f"https://line.me/R/oaMessage/{quote(basic_id)}/?{quote(f'招待 {code}')}"
            text += "\n\n" + _("Or send them this link: %(link)s") % {"link": link}
        return Text(text, quick_replies=(QuickReply(_("Back"), data=data("menu")),))


def reply(language, *messages):
    return Answer("signup", list(messages), language)


def said(language, text, *more):
    with translation.override(language):
        return reply(language, Text(text), *more)


class SignupHandler(ConversationHandler):
    """The sign-up conversation and 「設定」 (see the module doc)."""

    name = NAME
    order = 30

    def handle(self, incoming):
        if incoming.channel != "line" or not incoming.line_user_id:
            return None
        follower = LineFollower.objects.filter(
            line_user_id=incoming.line_user_id, status=SubscriberStatus.ACTIVE
        ).first()
        if follower is None:
            return None
        if incoming.postback:
            return self._postback(incoming, follower)
        text = incoming.text or ""
        if normalise(text) in SETTINGS_COMMANDS:
            return reply(incoming.language, settings_menu(services.member_of(follower), incoming.language))
        if match := INVITATION_RE.match(text.strip()):
            parts = match.group("a", "b") if match.group("a") else match.group("c", "d")
            return self._join(incoming, follower, "".join(parts))
        member = services.member_of(follower)
        if (
            member
            and member.pending.startswith("nick:")
            and member.pending_until
            and member.pending_until > timezone.now()
        ):
            return self._nickname(incoming, member, text)
        return None

    # One change per LINE event.

    def _once(self, incoming, change):
        """Run ``change()`` in a transaction with the event's row; False when already applied."""
        if not incoming.webhook_event_id:
            change()
            return True
        try:
            with transaction.atomic():
                AppliedEvent.objects.create(webhook_event_id=incoming.webhook_event_id)
                change()
        except IntegrityError:
            return False
        return True

    def _postback(self, incoming, follower):
        language = incoming.language
        fields = incoming.postback
        action = fields.get("a", "")
        member = services.member_of(follower)
        child = self._child(member, fields.get("c"))
        if action == "start":
            return reply(language, ask_kind(language))
        if action == "kind":
            return reply(language, ask_date(language, fields.get("k") == "born"))
        if action == "new":
            return reply(language, ask_kind(language, first=False))
        if action == "skip":
            step = fields.get("s")
            if step in {"kind", "date", "more"}:
                return reply(language, ask_language(language))
            return reply(language, done(language))
        if action == "add":
            return self._add(incoming, follower, fields.get("k") == "born")
        if action == "lang":
            return self._language(incoming, follower, fields.get("l", ""))
        if action == "langs":
            return reply(language, ask_language(language))
        if action == "menu":
            return reply(language, settings_menu(member, language))
        if action == "invite":
            return self._invite(incoming, member or services.ensure_member(follower))
        if action == "leave":
            if member is None:
                return reply(language, settings_menu(None, language))
            with translation.override(language):
                return reply(
                    language,
                    Text(
                        _(
                            "Leave this household? You will no longer receive messages about its "
                            "children; the others who follow them keep them."
                        ),
                        quick_replies=(
                            QuickReply(_("Leave"), data=data("leaveok")),
                            QuickReply(_("Stay"), data=data("menu")),
                        ),
                    ),
                )
        if action == "leaveok":
            if member is not None:
                self._once(incoming, lambda: services.leave(member))
            with translation.override(language):
                return said(
                    language,
                    _("You have left the household. Send 「設定」 to register your own children."),
                )
        if child is None:
            return None  # a button about a child that is gone: the router's calm reply
        if action == "child":
            return reply(language, child_menu(child, language))
        if action in {"fix", "born"}:
            return self._month(incoming, follower, child, action, fields.get("k") == "born")
        if action == "nick":
            Member.objects.filter(pk=member.pk).update(
                pending=f"nick:{child.pk}", pending_until=timezone.now() + NICKNAME_WAIT
            )
            with translation.override(language):
                return said(
                    language,
                    _(
                        "Send the nickname you would like us to use (up to 20 characters; a real "
                        "name is not needed). Send 「なし」 for none."
                    ),
                )
        if action == "rm":
            with translation.override(language):
                return reply(
                    language,
                    Text(
                        _("Remove %(child)s? Messages about this child stop.")
                        % {"child": child_summary(child)},
                        quick_replies=(
                            QuickReply(_("Remove"), data=data("rmok", c=child.pk)),
                            QuickReply(_("Keep"), data=data("menu")),
                        ),
                    ),
                )
        if action == "rmok":
            self._once(incoming, lambda: services.remove_child(child))
            return reply(language, settings_menu(services.member_of(follower), language))
        return None

    @staticmethod
    def _child(member, pk):
        if member is None or not (pk or "").isdigit():
            return None
        return (
            Child.objects.select_related("household")
            .filter(pk=int(pk), household_id=member.household_id)
            .first()
        )

    @staticmethod
    def _picked(incoming):
        try:
            return datetime.date.fromisoformat(incoming.params.get("date", ""))
        except (TypeError, ValueError):
            return None

    def _add(self, incoming, follower, born):
        language = incoming.language
        picked = self._picked(incoming)
        if picked is None:
            return reply(language, ask_date(language, born))
        added = {}

        def change():
            member = services.ensure_member(follower)
            months = {"birth_month": picked} if born else {"due_month": picked}
            added["child"] = services.add_child(member, **months)

        try:
            applied = self._once(incoming, change)
        except services.FamilyError as error:
            return self._refused(language, error, ask_date(language, born))
        if not applied:
            member = services.member_of(follower)
            kids = services.children(member.household) if member else []
            if not kids:
                return reply(language, ask_kind(language))
            added["child"] = kids[-1]
        return reply(language, ask_more(language, added["child"]))

    def _month(self, incoming, follower, child, action, born):
        language = incoming.language
        picked = self._picked(incoming)
        if picked is None:
            return reply(language, child_menu(child, language))
        try:
            if action == "born":
                self._once(incoming, lambda: services.record_birth(child, picked))
            elif born:
                self._once(incoming, lambda: services.correct_child(child, birth_month=picked))
            else:
                self._once(incoming, lambda: services.correct_child(child, due_month=picked))
        except services.FamilyError as error:
            return self._refused(language, error, child_menu(child, language))
        child.refresh_from_db()
        with translation.override(language):
            if action == "born":
                text = _("Congratulations! Saved: %(child)s.") % {"child": child_summary(child)}
            else:
                text = _("Corrected: %(child)s.") % {"child": child_summary(child)}
            return reply(language, Text(text), settings_menu(services.member_of(follower), language))

    def _language(self, incoming, follower, code):
        if code not in {code for code, _name in settings.LANGUAGES}:
            return reply(incoming.language, ask_language(incoming.language))

        def change():
            LineFollower.objects.filter(pk=follower.pk).update(
                language=code, language_chosen=True, updated_at=timezone.now()
            )

        self._once(incoming, change)
        return reply(code, done(code))

    def _invite(self, incoming, member):
        language = incoming.language
        made = {}
        if not self._once(incoming, lambda: made.setdefault("code", services.create_invitation(member))):
            with translation.override(language):
                return said(
                    language, _("Your invitation was made. Ask for a new one from 「設定」 if it was lost.")
                )
        return reply(language, invitation_text(made["code"], language))

    def _join(self, incoming, follower, code):
        language = incoming.language
        try:
            self._once(incoming, lambda: services.accept_invitation(follower, code))
        except services.FamilyError as error:
            with translation.override(language):
                if error.code == "same":
                    return said(language, _("You are already in this household."))
                return said(
                    language,
                    _(
                        "This invitation cannot be used: it may have been used already or be older "
                        "than 7 days. Ask for a new one."
                    ),
                )
        member = services.member_of(follower)
        with translation.override(language):
            return reply(
                language,
                Text(_("Welcome! You now receive the messages about these children.")),
                settings_menu(member, language),
            )

    def _nickname(self, incoming, member, text):
        language = incoming.language
        pk = member.pending.removeprefix("nick:")
        child = self._child(member, pk)
        nickname = "" if normalise(text) in {"なし", "none", "no"} else text

        def change():
            Member.objects.filter(pk=member.pk).update(pending="", pending_until=None)
            if child is not None:
                services.correct_child(child, nickname=nickname)

        self._once(incoming, change)
        if child is None:
            return reply(language, settings_menu(member, language))
        child.refresh_from_db()
        with translation.override(language):
            return reply(
                language,
                Text(_("Saved: %(child)s.") % {"child": child_summary(child)}),
                settings_menu(member, language),
            )

    @staticmethod
    def _refused(language, error, again):
        with translation.override(language):
            if error.code == "too_many":
                text = _("A household can have up to 8 children; remove one first from 「設定」.")
            elif error.code == "already_born":
                text = _("This child's birth is already recorded.")
            else:
                text = _("That date is outside what we can use, so nothing was saved. Please choose again.")
            return reply(language, Text(text), again)


def greeting(language):
    """The follow greeting: the first step of the conversation, as a LINE message."""
    from guidance.backends.reply import to_line

    return to_line(ask_kind(language))
