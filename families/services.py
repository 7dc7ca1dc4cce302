"""What a family does: sign up children, correct or remove one, record a birth, invite a partner,
join, leave. Every change is rows only (no network call): the rich menu follows on commit through
a Celery task (:mod:`families.tasks`).
"""

import datetime
import logging
import secrets

from django.db import transaction
from django.utils import timezone

from notifications.models import AppDevice, LineFollower
from notifications.models.subscribers import add_months, month_start

from .models import Child, Household, Invitation, Member, MemberRole, hash_code

logger = logging.getLogger(__name__)

MAX_MONTHS_TO_DUE = 10
MAX_CHILD_AGE_MONTHS = 72
MAX_CHILDREN = 8
INVITATION_DAYS = 7
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from a screen
CODE_LENGTH = 8


class FamilyError(ValueError):
    """A change the family asked for that cannot be made; nothing changed."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def due_range(today=None):
    """(first, last) due month a family may give."""
    this_month = month_start(today or timezone.localdate())
    return this_month, add_months(this_month, MAX_MONTHS_TO_DUE)


def birth_range(today=None):
    """(first, last) birth month a family may give."""
    this_month = month_start(today or timezone.localdate())
    return add_months(this_month, -MAX_CHILD_AGE_MONTHS), this_month


def check_month(month, *, born, today=None):
    """``month`` as the first of its month, or FamilyError("month") when out of range."""
    if not isinstance(month, datetime.date):
        raise FamilyError("month")
    month = month_start(month)
    first, last = birth_range(today) if born else due_range(today)
    if not first <= month <= last:
        raise FamilyError("month")
    return month


def member_of(subscriber):
    """The subscriber's household membership, or None."""
    field = "follower" if isinstance(subscriber, LineFollower) else "device"
    return Member.objects.select_related("household").filter(**{field: subscriber}).first()


def ensure_member(subscriber, role=MemberRole.FOUNDER):
    """The subscriber's membership, making a household for it if it has none."""
    member = member_of(subscriber)
    if member is not None:
        return member
    field = "follower" if isinstance(subscriber, LineFollower) else "device"
    with transaction.atomic():
        household = Household.objects.create()
        return Member.objects.create(household=household, role=role, **{field: subscriber})


def children(household):
    return list(Child.objects.filter(household=household).order_by("pk"))


def add_child(member, *, due_month=None, birth_month=None, nickname="", today=None):
    """Add a child with one month (due or birth). Raises FamilyError and changes nothing when the
    month is out of range, both or neither are given, or the household already has 8 children."""
    if (due_month is None) == (birth_month is None):
        raise FamilyError("month")
    month = check_month(birth_month or due_month, born=birth_month is not None, today=today)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=member.household_id)
        if Child.objects.filter(household=household).count() >= MAX_CHILDREN:
            raise FamilyError("too_many")
        child = Child.objects.create(
            household=household,
            due_month=None if birth_month else month,
            birth_month=month if birth_month else None,
            nickname=clean_nickname(nickname),
        )
        household_changed(household)
    return child


def clean_nickname(nickname):
    from .models import NICKNAME_MAX

    return " ".join((nickname or "").split())[:NICKNAME_MAX]


def correct_child(child, *, due_month=None, birth_month=None, nickname=None, today=None):
    """Correct a child's month (a due month stays a due month unless a birth month is given)."""
    with transaction.atomic():
        if birth_month is not None:
            child.birth_month = check_month(birth_month, born=True, today=today)
        elif due_month is not None:
            if child.birth_month is not None:
                raise FamilyError("month")
            child.due_month = check_month(due_month, born=False, today=today)
        if nickname is not None:
            child.nickname = clean_nickname(nickname)
        child.save()
        household_changed(child.household)
    return child


def record_birth(child, birth_month, today=None):
    """ "生まれました": the pregnancy becomes a child born in ``birth_month``. Its due month is kept,
    and its timed-message receipts are the same child's, so nothing already received comes again."""
    if child.birth_month is not None:
        raise FamilyError("already_born")
    # A birth is at most a few months before the due month, never in the future.
    month = check_month(birth_month, born=True, today=today)
    if child.due_month and month < add_months(child.due_month, -5):
        raise FamilyError("month")
    return correct_child(child, birth_month=month, today=today)


def remove_child(child):
    with transaction.atomic():
        household = child.household
        child.delete()
        household_changed(household)


def household_changed(household):
    """After a child changed: every member's own month is cleared (the children speak for it), its
    stage is "chosen" while the household has a child, and the rich menus follow after commit."""
    has_children = Child.objects.filter(household=household).exists()
    now = timezone.now()
    for model in (LineFollower, AppDevice):
        linked = model.objects.filter(**{"family_member__household": household})
        linked.update(due_month=None, birth_month=None, updated_at=now)
        if has_children:
            linked.update(stage_chosen=True)
        else:
            # No child left: every stage again, unless the member chose one on an old button.
            linked.filter(life_stage="").update(stage_chosen=False)
    Household.objects.filter(pk=household.pk).update(updated_at=now)
    from . import tasks

    transaction.on_commit(lambda: tasks.queue_menu_refresh(household.pk))


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code):
    return f"{code[:4]}-{code[4:]}"


def create_invitation(member, now=None):
    """A single-use invitation to ``member``'s household for 7 days. Returns the code, shown once;
    only its keyed hash is stored."""
    now = now or timezone.now()
    code = new_code()
    Invitation.objects.create(
        household_id=member.household_id,
        code_hash=hash_code(code),
        created_by=member,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    return format_code(code)


def accept_invitation(subscriber, code, now=None):
    """Link ``subscriber`` to the household that invited it, using the invitation up.

    Taken with one conditional UPDATE, so two people using one code link only one. The invitee's
    earlier household keeps its children for its other members; if the invitee was its only
    member, the children come along, so nothing of theirs is lost.

    Raises:
        FamilyError: "invalid" (unknown, used or expired) or "same" (already in that household).
    """
    now = now or timezone.now()
    code_hash = hash_code(code or "")
    with transaction.atomic():
        invitation = Invitation.objects.filter(code_hash=code_hash).first()
        if invitation is None:
            raise FamilyError("invalid")
        current = member_of(subscriber)
        if current is not None and current.household_id == invitation.household_id:
            raise FamilyError("same")
        taken = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        if not taken:
            raise FamilyError("invalid")
        household = Household.objects.select_for_update().get(pk=invitation.household_id)
        field = "follower" if isinstance(subscriber, LineFollower) else "device"
        if current is not None:
            old = current.household
            alone = not Member.objects.filter(household=old).exclude(pk=current.pk).exists()
            if alone:
                Child.objects.filter(household=old).update(household=household)
            current.household = household
            current.role = MemberRole.INVITED
            current.joined_at = now
            current.save(update_fields=["household", "role", "joined_at"])
            if alone:
                old.delete()
            member = current
        else:
            member = Member.objects.create(
                household=household, role=MemberRole.INVITED, **{field: subscriber}
            )
        household_changed(household)
    return member


def leave(member):
    """Unlink ``member`` from its household. The others keep every child; a household nobody is
    left in is deleted with its children (nothing but months, kept for no one)."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=member.household_id)
        subscriber = member.follower or member.device
        member.delete()
        type(subscriber).objects.filter(pk=subscriber.pk).update(
            stage_chosen=False, life_stage="", due_month=None, birth_month=None, updated_at=timezone.now()
        )
        if not Member.objects.filter(household=household).exists():
            household.delete()
        else:
            household_changed(household)
    from . import tasks

    if member.follower_id:
        follower_pk = member.follower_id
        transaction.on_commit(lambda: tasks.unlink_menu.delay(follower_pk))


def forget_empty_households():
    """Delete the members whose follower unfollowed or device unregistered, then the households
    nobody is left in (their children with them). Returns the number of households deleted."""
    Member.objects.filter(follower__isnull=False, follower__line_user_id__isnull=True).delete()
    Member.objects.filter(device__isnull=False, device__token__isnull=True).delete()
    deleted, _rows = Household.objects.filter(members__isnull=True).delete()
    return deleted


def months_chosen(subscriber, *, due_month=None, birth_month=None):
    """An old ``due=``/``born=`` button: the month applies to the household as a family would mean it.

    A due month corrects the pregnancy (or adds one); a birth month records the birth of the
    pregnancy, or corrects the only child's birth month, or adds a child.
    """
    member = ensure_member(subscriber)
    kids = children(member.household)
    pregnancies = [child for child in kids if child.is_pregnancy]
    try:
        if due_month is not None:
            if pregnancies:
                correct_child(pregnancies[-1], due_month=due_month)
            else:
                add_child(member, due_month=due_month)
        elif birth_month is not None:
            if pregnancies:
                record_birth(pregnancies[0], birth_month)
            elif any(child.birth_month == month_start(birth_month) for child in kids):
                return
            elif len(kids) == 1:
                correct_child(kids[0], birth_month=birth_month)
            else:
                add_child(member, birth_month=birth_month)
    except FamilyError as error:
        logger.info("An old month button was not applied (%s)", error.code)
