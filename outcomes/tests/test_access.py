"""Who sees the scorecard: health figures (PHQ-9, survey free text) only for "Outcome data" (or a
person granted them), the other KPIs for "KPI viewers" and administrators; every opening logged."""

import io

import openpyxl
import pytest

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from wagtail.models import ModelLogEntry

from outcomes.factories import CounsellingOutcomeFactory, answer

pytestmark = [pytest.mark.django_db, pytest.mark.portable]
YEAR = {"year": 2026}


@pytest.fixture
def member(django_user_model):
    """A staff user in the given groups (a superuser when asked)."""

    def make(*groups, superuser=False):
        name = "-".join(groups) or "superuser"
        create = (
            django_user_model.objects.create_superuser if superuser else django_user_model.objects.create_user
        )
        user = create(name.replace(" ", "-").lower(), f"{len(name)}@example.jp", "pw")
        for group in groups:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def phq9_cases(db):
    for score in (5, 8, 9, 12, 14, 20):
        CounsellingOutcomeFactory(end_score=score)


@pytest.fixture
def round_with_comments(survey):
    page = survey()
    for n in range(6):
        answer(page, ratings=(5, 4), comment=f"【サンプル】自由記述{n}")
    return page


def urls(page=None):
    found = [
        reverse("outcomes_kpi:dashboard"),
        reverse("outcomes_kpi:export", args=["csv"]),
        reverse("outcomes_kpi:export", args=["xlsx"]),
    ]
    return [*found, reverse("outcomes_kpi:survey", args=[page.pk])] if page else found


def export_text(client, file_format):
    response = client.get(reverse("outcomes_kpi:export", args=[file_format]), YEAR)
    assert response.status_code == 200
    if file_format == "csv":
        return response.content.decode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)


PHQ9_LABELS = ("PHQ-9", "PHQ9")


@pytest.mark.parametrize("groups", [("Editors",), ("Physicians",), ("Editors", "Physicians")])
def test_editors_physicians_and_translators_cannot_open_the_kpi_area(
    client, member, groups, phq9_cases, round_with_comments
):
    client.force_login(member(*groups))
    for url in urls(round_with_comments):
        refused = client.get(url, YEAR)
        # Wagtail's answer to PermissionDenied in the admin: back to the admin home, with a message.
        assert (refused.status_code, refused.get("Location")) == (302, reverse("wagtailadmin_home")), url
    home = client.get(reverse("wagtailadmin_home"))
    assert reverse("outcomes_kpi:dashboard") not in home.content.decode()  # no menu item, no link
    assert "notifications_kpi" not in [panel.name for panel in home.context["panels"]]
    assert not ModelLogEntry.objects.filter(action__startswith="oyako.health").exists()


@pytest.mark.parametrize(
    ("groups", "superuser"), [(("KPI viewers",), False), (("Administrators",), False), ((), True)]
)
def test_kpi_viewers_administrators_and_superusers_see_the_other_kpis_but_no_health_figures(
    client, member, groups, superuser, phq9_cases, round_with_comments
):
    client.force_login(member(*groups, superuser=superuser))
    dashboard = client.get(reverse("outcomes_kpi:dashboard"), YEAR)
    page = dashboard.content.decode()
    assert dashboard.status_code == 200
    for key in ("notifications", "registrants", "service_uses", "satisfaction", "image"):
        assert f'data-kpi="{key}"' in page
    assert 'data-kpi="phq9"' not in page and not any(label in page for label in PHQ9_LABELS)
    home = client.get(reverse("wagtailadmin_home"))
    assert reverse("outcomes_kpi:dashboard") in home.content.decode()
    assert "notifications_kpi" in [panel.name for panel in home.context["panels"]]
    for file_format in ("csv", "xlsx"):
        text = export_text(client, file_format)
        assert not any(label in text for label in PHQ9_LABELS)

    results = client.get(reverse("outcomes_kpi:survey", args=[round_with_comments.pk]))
    assert results.status_code == 200
    assert "【サンプル】自由記述" not in results.content.decode()
    assert results.context["questions"][3]["texts"] is None
    assert not ModelLogEntry.objects.filter(
        action__in=["oyako.health_figures_viewed", "oyako.survey_free_text_viewed"]
    ).exists()
    assert ModelLogEntry.objects.filter(action="oyako.kpi_export", data__health=False).count() == 2


def test_outcome_data_sees_everything_and_each_opening_is_logged(
    client, member, phq9_cases, round_with_comments
):
    user = member("Outcome data")
    client.force_login(user)
    page = client.get(reverse("outcomes_kpi:dashboard"), YEAR).content.decode()
    assert 'data-kpi="phq9"' in page
    csv_text, xlsx_text = export_text(client, "csv"), export_text(client, "xlsx")
    assert any(label in csv_text for label in PHQ9_LABELS) and any(
        label in xlsx_text for label in PHQ9_LABELS
    )
    results = client.get(reverse("outcomes_kpi:survey", args=[round_with_comments.pk])).content.decode()
    assert "【サンプル】自由記述3" in results

    entries = ModelLogEntry.objects.filter(user=user)
    opened = list(entries.filter(action="oyako.health_figures_viewed").values_list("data__view", flat=True))
    assert sorted(opened) == ["dashboard", "export csv", "export xlsx"]
    assert entries.filter(action="oyako.survey_free_text_viewed").count() == 1
    assert entries.filter(action="oyako.kpi_export", data__health=True).count() == 2


def test_a_superuser_needs_the_outcome_data_group_for_health_figures(client, member, phq9_cases):
    user = member(superuser=True)
    client.force_login(user)
    assert 'data-kpi="phq9"' not in client.get(reverse("outcomes_kpi:dashboard"), YEAR).content.decode()
    user.groups.add(Group.objects.get(name="Outcome data"))
    assert 'data-kpi="phq9"' in client.get(reverse("outcomes_kpi:dashboard"), YEAR).content.decode()


def test_a_person_the_city_names_can_be_granted_health_figures_alone(client, member, phq9_cases):
    user = member("KPI viewers")
    user.user_permissions.add(Permission.objects.get(codename="view_health_outcomes"))
    client.force_login(user)
    assert 'data-kpi="phq9"' in client.get(reverse("outcomes_kpi:dashboard"), YEAR).content.decode()
    assert ModelLogEntry.objects.filter(action="oyako.health_figures_viewed", user=user).count() == 1


def test_the_groups_hold_real_permissions(db):
    def codenames(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="outcomes")
            .values_list("codename", flat=True)
        )

    assert {"view_kpi_dashboard", "view_health_outcomes"} <= codenames("Outcome data")
    assert "view_kpi_dashboard" in codenames("KPI viewers") and "view_health_outcomes" not in codenames(
        "KPI viewers"
    )
    assert "view_kpi_dashboard" in codenames("Administrators")
    assert "view_health_outcomes" not in codenames("Administrators")
    assert "view_health_outcomes" not in codenames("Editors") | codenames("Physicians")
