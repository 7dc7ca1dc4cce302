"""The household provider notifications asks about a subscriber's children (notifications.family)."""

from django.db.models import Exists, OuterRef, Q

from articles.enums import LifeStage
from notifications.models import AppDevice, Channel, LineFollower
from notifications.models.subscribers import stage_q

from . import keys, services
from .models import Child, Member

LINKS = {LineFollower: "follower", AppDevice: "device"}
CHANNELS = {
    Channel.LINE: (LineFollower, "follower", "line_user_id"),
    Channel.FCM: (AppDevice, "device", "token"),
}


class FamilyProvider:
    subscriber_month_key = staticmethod(keys.subscriber_month_key)

    def stage_condition(self, model, life_stages, today):
        condition = Q(pk__in=[])
        for stage in life_stages:
            condition |= stage_q(LifeStage(stage), today, explicit=False)
        link = f"household__members__{LINKS[model]}"
        return Q(Exists(Child.objects.filter(condition, **{link: OuterRef("pk")})))

    def life_stages(self, subscriber, today):
        field = LINKS[type(subscriber)]
        stages = []
        for child in Child.objects.filter(**{f"household__members__{field}": subscriber}).order_by("pk"):
            stage = child.life_stage(today)
            if stage is not None and stage not in stages:
                stages.append(stage)
        return stages

    def months_chosen(self, subscriber, due_month=None, birth_month=None):
        services.months_chosen(subscriber, due_month=due_month, birth_month=birth_month)

    def household_count(self, followers, devices):
        """How many families ``followers`` and ``devices`` (querysets) are: each household once,
        each subscriber in no household once."""
        linked_households = Member.objects.filter(Q(follower__in=followers) | Q(device__in=devices))
        households = linked_households.values("household_id").distinct().count()
        unlinked = followers.filter(family_member__isnull=True).count()
        unlinked += devices.filter(family_member__isnull=True).count()
        return households + unlinked

    def cohort(self, condition, changed_since=None):
        """The children matching ``condition`` (a Q on due_month/birth_month), each with the active
        subscribers linked to it: yields ``(child key, nickname, reference month, [(channel, pk,
        identifier, language)])``."""
        children = Child.objects.filter(condition)
        if changed_since is not None:
            children = children.filter(updated_at__gte=changed_since)
        rows = list(children.values_list("pk", "key", "nickname", "household_id", "due_month", "birth_month"))
        if not rows:
            return
        households = {row[3] for row in rows}
        linked = {}
        for channel, (model, field, id_field) in CHANNELS.items():
            members = (
                Member.objects.filter(household_id__in=households, **{f"{field}__isnull": False})
                .filter(**{f"{field}__in": model.objects.active()})
                .values_list("household_id", f"{field}_id", f"{field}__{id_field}", f"{field}__language")
            )
            for household_id, pk, identifier, language in members.iterator(chunk_size=2000):
                linked.setdefault(household_id, []).append((channel, pk, identifier, language))
        for _pk, key, nickname, household_id, due_month, birth_month in rows:
            yield keys.child_key(key), nickname, birth_month or due_month, linked.get(household_id, [])
