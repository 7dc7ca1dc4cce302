"""The KPI area: dashboard, exports with the small-number rule, the import flow and its audit trail."""

import datetime
import io

import openpyxl
import pytest

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.models import ModelLogEntry

from outcomes import kpi
from outcomes.factories import CounsellingOutcomeFactory
from outcomes.models import CounsellingOutcome, Service, ServiceUsage

pytestmark = pytest.mark.django_db
USAGE = b"month,service,uses\n2026-04,consultation,12\n2026-05,counselling,7\n"


@pytest.fixture
def staff(django_user_model, client):
    user = django_user_model.objects.create_superuser("kpi-admin", "kpi@example.com", "pw")
    client.force_login(user)
    return user


def upload(client, content, name="usage.csv", kind="usage"):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content)}
    return client.post(reverse("outcomes_kpi:import"), data)


def test_the_dashboard_shows_all_six_kpis_with_charts_and_tables(client, staff):
    staff.groups.add(Group.objects.get(name="Outcome data"))
    response = client.get(reverse("outcomes_kpi:dashboard"), {"year": 2026})
    page = response.content.decode()
    assert response.status_code == 200
    for key in ("notifications", "registrants", "service_uses", "satisfaction", "image", "phq9"):
        assert f'data-kpi="{key}"' in page
    assert page.count("<svg") >= 7 and page.count("<table") >= 7
    ours = page.split('class="nice-padding"')[1]
    assert "style=" not in ours and "<script" not in ours


def test_the_admin_home_kpi_panel_links_to_the_dashboard(client, staff):
    assert reverse("outcomes_kpi:dashboard") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_admin_home_kpi_panel_shows_the_targets_administrators_set(client, staff, settings):
    from notifications import kpi
    from outcomes.models import KpiSettings

    settings.NOTIFICATIONS_KPI_TARGET, settings.REGISTRANTS_TARGET = 11, 22  # the fallbacks, not used
    config = KpiSettings.load()
    config.notifications_target, config.registrants_target = 73, 1234
    config.save()

    context = client.get(reverse("wagtailadmin_home")).context
    panel = next(panel for panel in context["panels"] if panel.name == "notifications_kpi")
    figures = panel.get_context_data(context)

    assert (figures["notifications_target"], figures["registrants_target"]) == (73, 1234)
    # The campaign report reads the same targets.
    assert kpi.targets() == {"notifications_target": 73, "registrants_target": 1234}
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "73件中" in page and "1234件中" in page


def test_upload_preview_then_import_saves_and_logs(client, staff):
    preview = upload(client, USAGE)
    assert preview.status_code == 200 and preview.context["report"].ok
    assert not ServiceUsage.objects.exists()

    staged = preview.context["staged"]
    confirm = {"staged": staged, "kind": "usage", "filename": "usage.csv"}
    done = client.post(reverse("outcomes_kpi:import"), confirm)
    assert done.status_code == 302
    assert ServiceUsage.objects.count() == 2
    assert ModelLogEntry.objects.filter(action="oyako.kpi_import").count() == 1
    again = client.post(reverse("outcomes_kpi:import"), confirm)
    assert again.status_code == 302 and ServiceUsage.objects.count() == 2  # the staged file is gone


def test_a_bad_file_shows_every_rows_problem_and_offers_no_import(client, staff):
    bad = b"month,service,uses\n2026-04,yoga,2\n2026-13,consultation,3\n2026-05,consultation,4\n"
    response = upload(client, bad)
    report = response.context["report"]
    assert [row.number for row in report.problem_rows] == [2, 3]
    page = response.content.decode()
    assert 'name="staged"' not in page and "yoga" in page
    assert not ServiceUsage.objects.exists()


def test_a_file_that_is_not_csv_or_excel_is_refused_with_a_clear_error(client, staff):
    response = upload(client, b"%PDF-1.4", name="report.pdf")
    assert response.context["form"].errors["file"]
    assert not ServiceUsage.objects.exists()


def test_a_staged_name_cannot_reach_outside_the_staging_files(client, staff):
    response = client.post(reverse("outcomes_kpi:import"), {"staged": "../../etc/passwd", "kind": "usage"})
    assert response.status_code == 404


def test_only_the_outcome_data_group_may_import_phq9_records(client, staff):
    content = b"case_id,start_date,start_score,end_date,end_score\nC1,2026-04-01,12,2026-06-01,5\n"
    refused = upload(client, content, "o.csv", "outcomes")
    assert refused.status_code in {302, 403} and "C1" not in refused.content.decode()  # Wagtail redirects
    staff.groups.add(Group.objects.get(name="Outcome data"))
    preview = upload(client, content, "o.csv", "outcomes")
    assert preview.status_code == 200 and "C1" in preview.content.decode()
    assert not CounsellingOutcome.objects.exists()
    opened = ModelLogEntry.objects.get(action="oyako.health_figures_viewed")  # the case rows were shown
    assert opened.user == staff and opened.data["view"] == "import preview"


def test_exports_apply_the_small_number_rule_and_are_logged(client, staff):
    ServiceUsage.objects.create(month=datetime.date(2026, 4, 1), service=Service.objects.first(), uses=3)
    for _ in range(3):
        CounsellingOutcomeFactory()

    csv_response = client.get(reverse("outcomes_kpi:export", args=["csv"]), {"year": 2026})
    csv_text = csv_response.content.decode("utf-8-sig")
    assert "fewer than 5" in csv_text or "5人未満" in csv_text
    assert ",3," not in csv_text

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("outcomes_kpi:export", args=["xlsx"]), {"year": 2026}).content)
    )
    values = [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 3 not in values and "3" not in values
    assert ModelLogEntry.objects.filter(action="oyako.kpi_export").count() == 2


def test_survey_results_show_means_distributions_trend_and_free_text(client, staff, survey):
    from outcomes.factories import answer

    staff.groups.add(Group.objects.get(name="Outcome data"))  # free text is health data
    page = survey()
    for n in range(6):
        answer(page, ratings=(5, 4), comment=f"【サンプル】コメント{n}")
    for _ in range(5):
        answer(page, ratings=(1, 4), image="いいえ")
    answer(page, ratings=(5, 2), image="いいえ")
    response = client.get(reverse("outcomes_kpi:survey", args=[page.pk]))
    questions = response.context["questions"]
    assert questions[0]["mean"].display == "3.33"  # (7 × 5 + 5 × 1) / 12
    assert dict(questions[0]["distribution"])["5"].display == "7"
    second = dict(questions[1]["distribution"])
    assert second["2"].display == str(kpi.FEWER_THAN_5)  # one person
    assert second["4"].display == str(kpi.NOT_SHOWN)  # else 12 − 0 − … would give the hidden 1
    assert questions[1]["mean"].display == str(kpi.NOT_SHOWN)  # with the count, it would too
    assert len(questions[3]["texts"]) == 6
    assert "【サンプル】コメント3" in response.content.decode()


def test_announcing_from_the_results_page_issues_one_notification(client, staff, survey, monkeypatch):
    from notifications import tasks
    from notifications.models import Notification

    monkeypatch.setattr(tasks.send_notification, "delay", lambda *args: None)
    page = survey()
    page.save_revision().publish()
    url = reverse("outcomes_kpi:announce", args=[page.pk])
    client.post(url)
    client.post(url)
    notification = Notification.objects.get()
    assert notification.source == f"survey:{page.pk}" and notification.status == "pending"


def test_survey_results_show_answers_without_an_invitation_apart(client, staff, survey):
    from outcomes.factories import answer

    page = survey()
    for _ in range(6):
        answer(page)
    for _ in range(2):
        answer(page, ratings=(1, 1), tokened=False)
    url = reverse("outcomes_kpi:survey", args=[page.pk])

    excluded = client.get(url).context  # the default: off the KPI
    assert excluded["responses"].display == "6" and excluded["result"].satisfaction == 4
    assert excluded["untokened"].display == str(kpi.FEWER_THAN_5)

    included = client.get(url, {"untokened": "include"}).context
    # 8 − 6 would give the two untokened answers: the sum is withheld, under either choice.
    assert included["tokened"].display == "6" and included["responses"].display == str(kpi.NOT_SHOWN)
    trend = [row["responses"].display for row in included["rounds"]]
    assert trend == [str(kpi.NOT_SHOWN)]
    assert 'data-answers="untokened"' in client.get(url).content.decode()
