"""Demo households: one or two children across the stages and languages, and a linked partner.

Fiction: the LINE user IDs are made up (they reach nobody; pushes to them are recorded, not sent).
Idempotent: rows are found by their made-up IDs, so loading twice creates nothing new.
"""

from wagtail import hooks

from notifications.models import AppDevice, LineFollower
from notifications.models.subscribers import add_months

from .models import Child, Household, Member, MemberRole

# (made-up user ID suffix, language, [(months from this month, kind, nickname)], partner (suffix, language))
HOUSEHOLDS = [
    ("a1", "ja", [(5, "due", "")], None),
    ("b2", "ja", [(3, "due", "ももちゃん"), (-26, "born", "そら")], ("b3", "ja")),
    ("c4", "en", [(-4, "born", "Mia")], ("c5", "ja")),
    ("d6", "vi", [(-14, "born", ""), (-50, "born", "")], None),
    ("e7", "ja-x-easy", [(0, "born", "")], None),
    ("f8", "pt-br", [(8, "due", "")], None),
]
DEVICE_TOKEN = "demo-device-token-0000000000-g9"  # noqa: S105 (a made-up FCM token)


def _user_id(suffix):
    return "Udemo" + suffix.rjust(28, "0")


def _follower(suffix, language):
    follower, created = LineFollower.objects.get_or_create(
        line_user_id=_user_id(suffix), defaults={"language": language, "language_chosen": True}
    )
    return follower, created


@hooks.register("oyako_demo_content")
def load_demo_families(context):
    this_month = context.today.replace(day=1)
    for suffix, language, children, partner in HOUSEHOLDS:
        follower, created = _follower(suffix, language)
        context.report.count("LINE followers (fictional)", created)
        member = Member.objects.filter(follower=follower).first()
        if member is None:
            household = Household.objects.create()
            member = Member.objects.create(household=household, follower=follower, role=MemberRole.FOUNDER)
            context.report.count("Households", True)
            for offset, kind, nickname in children:
                month = add_months(this_month, offset)
                Child.objects.create(
                    household=household,
                    due_month=month if kind == "due" else None,
                    birth_month=month if kind == "born" else None,
                    nickname=nickname,
                )
                context.report.count("Children", True)
            LineFollower.objects.filter(pk=follower.pk).update(stage_chosen=True)
        else:
            context.report.count("Households", False)
        if partner:
            other, created = _follower(*partner)
            context.report.count("LINE followers (fictional)", created)
            if not Member.objects.filter(follower=other).exists():
                Member.objects.create(household=member.household, follower=other, role=MemberRole.INVITED)
                LineFollower.objects.filter(pk=other.pk).update(stage_chosen=True)
    # The handbook app on the partner's phone in the second household.
    device, created = AppDevice.objects.get_or_create(
        token=DEVICE_TOKEN, defaults={"platform": "android", "language": "ja", "stage_chosen": True}
    )
    context.report.count("App devices (fictional)", created)
    if not Member.objects.filter(device=device).exists():
        household = Member.objects.get(follower__line_user_id=_user_id("b2")).household
        Member.objects.create(household=household, device=device, role=MemberRole.INVITED)
