"""A sample series of timed messages from early pregnancy to age 3 (fiction, marked as sample)."""

from dateutil.relativedelta import relativedelta

from django.conf import settings

from articles.enums import Specialty
from articles.models import ArticlePage

from .enums import Moment
from .models import MessageSeriesPage, TimedMessage

SERIES_SLUG = "timed-messages-pregnancy-to-3"
SAMPLE = "【サンプル】"

# (moment, months, article slug, text). Written for this demo; not advice.
MESSAGES = [
    (
        Moment.PREGNANCY,
        8,
        "after-pregnancy-test",
        "妊娠がわかったら、まず読んでほしいことをまとめました。",
    ),
    (Moment.PREGNANCY, 7, "morning-sickness", "つわりの時期。無理をしない過ごし方のヒントです。"),
    (
        Moment.PREGNANCY,
        5,
        "mid-pregnancy-meals",
        "安定期の食事について、市の管理栄養士がまとめました。",
    ),
    (Moment.PREGNANCY, 3, "sleep-in-pregnancy", "おなかが大きくなってきたころの眠りの工夫です。"),
    (Moment.PREGNANCY, 2, "hospital-bag", "入院の準備は早めに。持ち物リストをどうぞ。"),
    (
        Moment.PREGNANCY,
        1,
        "signs-of-labour",
        "出産予定月まであと1か月。お産のはじまりのサインを確認しましょう。",
    ),
    (Moment.AGE, 0, "postpartum-rest", "ご出産おめでとうございます。産後は休むことが仕事です。"),
    (Moment.AGE, 1, "postpartum-mood", "気分の落ち込みが2週間以上続くときは、ひとりで抱えずに相談を。"),
    (
        Moment.AGE,
        2,
        "vaccination-schedule",
        "予防接種が始まる時期です。スケジュールを確認しましょう。",
    ),
    (Moment.AGE, 5, "starting-weaning", "5か月。離乳食を始める目安とすすめ方です。"),
    (Moment.AGE, 7, "baby-fever", "はじめての発熱にあわてないために、読んでおきたい記事です。"),
    (Moment.AGE, 12, "first-words", "1歳のお誕生月。ことばの育ちを楽しむヒントです。"),
    (Moment.AGE, 18, "toddler-bedtime", "1歳半。寝かしつけのリズムづくりについて。"),
    (Moment.AGE, 24, "nursery-infections", "2歳。集団生活で流行りやすい感染症をまとめました。"),
    (Moment.AGE, 30, "preschool-snacks", "おやつの量とタイミングの目安です。"),
    (Moment.AGE, 36, "where-to-ask", "3歳。困ったときの相談先を、あらためてご案内します。"),
]


def load_demo_series(home, user, today, report):
    """The sample series under the home page, published with the paediatrician's approval; once."""
    series = MessageSeriesPage.objects.child_of(home).filter(slug=SERIES_SLUG).first()
    report.count("Timed message series", series is None)
    if series is not None:
        return series
    articles = {
        page.slug: page
        for page in ArticlePage.objects.live()
        # The Japanese articles: a translation shares its source's slug, and each family's push
        # finds its own language's version from the Japanese one.
        .filter(slug__in={m[2] for m in MESSAGES}, locale__language_code=settings.LANGUAGE_CODE)
    }
    from articles.models import Physician

    physician = Physician.objects.filter(specialty=Specialty.PAEDIATRICS).order_by("pk").first()
    series = MessageSeriesPage(
        title=f"{SAMPLE}妊娠から3歳までのメッセージ",
        slug=SERIES_SLUG,
        description=f"{SAMPLE}デモ用の架空のシリーズです。各家庭の出産予定月・お子さんの月齢に合わせて届きます。",
        physician=physician,
        live=False,
    )
    series.messages = [
        TimedMessage(
            sort_order=order,
            moment=moment,
            months=months,
            target=articles.get(slug),
            text=f"{SAMPLE}{text}",
        )
        for order, (moment, months, slug, text) in enumerate(MESSAGES)
    ]
    home.add_child(instance=series)
    # Its physician approves the series, the way the loader approves the demo articles.
    from articles.demo.loader import _publish_approved

    interval = relativedelta(months=settings.ARTICLES_REVIEW_INTERVAL_MONTHS)
    _publish_approved(series, user, today, interval)
    return series
