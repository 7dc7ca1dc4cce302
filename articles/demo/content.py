"""The demo site's text: fictional physicians, topics and articles, each marked as sample.

Written for this project. It reads like a city's health guidance so the hub can be reviewed, but it
is not medical advice and must never be presented as such: every article carries ``SAMPLE_NOTICE``.
"""

from articles.enums import LifeStage, Specialty

SAMPLE_MARK = "【サンプル】"
SAMPLE_NOTICE = "この記事はデモ用のサンプルです。医療上の助言ではありません。"
SAMPLE_REFERENCE_PUBLISHER = "上尾市 おやこハブ（サンプル）"

HOME = {
    "ja": {
        "title": "上尾市 おやこハブ",
        "lead": "妊娠から就学前まで、いまのご家族に合った情報をお届けします。",
        "intro": (
            f"<p>{SAMPLE_MARK}このサイトはデモ用のサンプルです。掲載している記事や医師は架空のもので、"
            "医療上の助言ではありません。</p>"
        ),
    },
    "en": {
        "title": "Ageo Oyako Hub",
        "lead": "From pregnancy to school age: information for where your family is now.",
        "intro": (
            "<p>[Sample] This site is a demo. Its articles and physicians are fictional and are "
            "not medical advice.</p>"
        ),
    },
}

ARTICLE_INDEX = {
    "slug": "articles",
    "ja": {
        "title": "子育て・健康の記事",
        "intro": "<p>医師が監修した記事を、時期やテーマから探せます（記事はすべてサンプルです）。</p>",
    },
    "en": {
        "title": "Parenting and health articles",
        "intro": "<p>Physician-supervised articles by stage and topic (all of them samples).</p>",
    },
}

SITE_CONTACT = "上尾市 子育て支援窓口（サンプル） 電話 000-000-0000（平日 8:30〜17:15）"

# Keyed by the specialty: the loader finds a physician again by name and specialty.
PHYSICIANS = {
    Specialty.PAEDIATRICS: {
        "name": "森川 さくら",
        "name_kana": "もりかわ さくら",
        "credentials": "小児科専門医（サンプルの経歴）",
        "affiliation": "上尾こども診療所（架空）",
        "colour": (120, 180, 160),
        "translations": {
            # Family name first in English too, as the city's documents write Japanese names.
            "en": {
                "name": "Morikawa Sakura",
                "credentials": "Board-certified paediatrician (sample career)",
                "affiliation": "Ageo Children's Clinic (fictional)",
            },
            "ja-x-easy": {
                "name": "森川 さくら",
                "credentials": "こどもの おいしゃさん（サンプル）",
                "affiliation": "あげお こども しんりょうじょ（ほんとうには ありません）",
            },
        },
    },
    Specialty.OBSTETRICS_GYNAECOLOGY: {
        "name": "高野 宏",
        "name_kana": "たかの ひろし",
        "credentials": "産婦人科専門医（サンプルの経歴）",
        "affiliation": "あげおレディースクリニック（架空）",
        "colour": (200, 140, 160),
        "translations": {
            "en": {
                "name": "Takano Hiroshi",
                "credentials": "Board-certified obstetrician and gynaecologist (sample career)",
                "affiliation": "Ageo Ladies' Clinic (fictional)",
            },
        },
    },
    Specialty.PSYCHIATRY: {
        "name": "中原 葵",
        "name_kana": "なかはら あおい",
        "credentials": "精神科専門医（サンプルの経歴）",
        "affiliation": "こころの相談室 上尾（架空）",
        "colour": (130, 150, 200),
        "translations": {
            "en": {
                "name": "Nakahara Aoi",
                "credentials": "Board-certified psychiatrist (sample career)",
                "affiliation": "Ageo Counselling Room (fictional)",
            },
        },
    },
}

# Each topic's translations, made with wagtail-localize's own models (a snippet translation).
TOPIC_TRANSLATIONS = {
    "ja-x-easy": {
        "weaning": "りにゅうしょく（あかちゃんの ごはん）",
        "fever": "ねつ",
        "morning-sickness": "つわり",
        "vaccination": "よぼうせっしゅ",
        "sleep": "ねむり",
        "mental-health": "こころの けんこう",
        "development": "そだち",
        "nutrition": "たべもの",
        "checkups": "けんしん",
        "safety": "けがを ふせぐ",
    },
}

TOPICS = [
    ("weaning", "離乳食", "Weaning"),
    ("fever", "発熱", "Fever"),
    ("morning-sickness", "つわり", "Morning sickness"),
    ("vaccination", "予防接種", "Vaccination"),
    ("sleep", "睡眠", "Sleep"),
    ("mental-health", "こころの健康", "Mental health"),
    ("development", "発達", "Development"),
    ("nutrition", "栄養・食事", "Nutrition"),
    ("checkups", "健診", "Check-ups"),
    ("safety", "事故予防", "Safety"),
]

# The users the command creates where demo users are allowed. The physician user approves the
# paediatrician's articles.
USERS = [
    {
        "username": "editor",
        "first_name": "みどり",
        "last_name": "佐藤",
        "email": "editor@example.jp",
        "group": "Editors",
        "superuser": False,
    },
    {
        "username": "physician",
        "first_name": "さくら",
        "last_name": "森川",
        "email": "physician@example.jp",
        "group": "Physicians",
        "superuser": False,
        "physician": Specialty.PAEDIATRICS,
    },
    {
        "username": "admin",
        "first_name": "太郎",
        "last_name": "管理",
        "email": "admin@example.jp",
        "group": "Administrators",
        "superuser": True,
    },
]


# Body blocks in StreamField's raw form. ``IMAGE`` stands for the article's own generated image.
IMAGE = ("image", None)


def p(html):
    return ("paragraph", html)


def h(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def steps(title, items):
    return ("steps", {"title": title, "steps": items})


def warn(signs, urgent_note="", title="こんなときは受診を"):
    return ("doctor_warning", {"title": title, "signs": signs, "urgent_note": urgent_note})


def qa(question, answer_html):
    return ("qa", {"question": question, "answer": answer_html})


def refs(*titles):
    return (
        "references",
        {"references": [{"title": t, "publisher": SAMPLE_REFERENCE_PUBLISHER, "url": ""} for t in titles]},
    )


S = LifeStage
PAED, OBGYN, PSY = Specialty.PAEDIATRICS, Specialty.OBSTETRICS_GYNAECOLOGY, Specialty.PSYCHIATRY

ARTICLES = [
    {
        "slug": "morning-sickness",
        "title": "つわりの時期を乗りきる工夫",
        "summary": (
            "【サンプル】つわりは人によって時期も重さもさまざまです。"
            "食べ方や休み方の工夫と、受診の目安をまとめました。"
        ),
        "stages": [S.PREGNANCY_EARLY],
        "topics": ["morning-sickness", "nutrition"],
        "physician": OBGYN,
        "colour": (244, 200, 210),
        "body": [
            p(
                "<p>妊娠初期には、吐き気や食欲の変化などの「つわり」を感じる人が多くいます。"
                "感じ方には大きな個人差があり、ほとんど気にならない人もいます。</p>"
            ),
            IMAGE,
            h("食べ方の工夫"),
            steps(
                "無理のない食べ方",
                [
                    "空腹になると気分が悪くなりやすい人は、少量をこまめに口にしてみましょう。",
                    "においの強い料理がつらいときは、冷ましたものや口当たりのよいものを選びます。",
                    "水分は一度にたくさんではなく、少しずつ何回かに分けてとります。",
                ],
            ),
            warn(
                [
                    "水分がほとんどとれない日が続く",
                    "尿の回数や量がはっきり減っている",
                    "短い期間で体重が大きく減った",
                ],
                "迷ったときは、かかりつけの産婦人科に電話で相談してください。",
            ),
            refs("妊娠中の暮らしのてびき（サンプル資料）"),
        ],
    },
    {
        "slug": "after-pregnancy-test",
        "title": "妊娠がわかったら：届出と妊婦健診",
        "summary": (
            "【サンプル】妊娠がわかったら、市への届出で母子健康手帳を受け取り、妊婦健診の予定を立てましょう。"
        ),
        "stages": [S.PREGNANCY_EARLY, S.PREGNANCY_MID],
        "topics": ["checkups"],
        "physician": OBGYN,
        "colour": (250, 225, 180),
        "body": [
            p(
                "<p>妊娠がわかったら、まず医療機関で確認を受け、市の窓口で妊娠の届出をします。"
                "届出をすると母子健康手帳と妊婦健診の受診票を受け取れます。</p>"
            ),
            h("妊婦健診の流れ"),
            steps(
                "",
                [
                    "医療機関で妊娠の確認を受ける",
                    "市の窓口で妊娠届を出し、母子健康手帳を受け取る",
                    "医療機関と相談しながら健診の日程を決める",
                ],
            ),
            qa(
                "仕事が忙しくて健診に行けそうにありません。",
                "<p>健診は赤ちゃんとお母さんの健康を確かめる大切な機会です。"
                "職場には健診のための時間を確保してもらう仕組みがあるので、早めに相談してみましょう。</p>",
            ),
            IMAGE,
            refs("母子健康手帳の受け取り方（サンプル資料）", "妊婦健診のご案内（サンプル資料）"),
        ],
    },
    {
        "slug": "mid-pregnancy-meals",
        "title": "妊娠中期の食事と体重のこと",
        "summary": (
            "【サンプル】食欲が戻ってくる妊娠中期。主食・主菜・副菜をそろえる食事の考え方を紹介します。"
        ),
        "stages": [S.PREGNANCY_MID],
        "topics": ["nutrition"],
        "physician": OBGYN,
        "colour": (200, 230, 190),
        "body": [
            p(
                "<p>つわりが落ち着くと、食事を楽しめるようになる人が増えます。"
                "特別な食品より、毎日の食事のバランスを意識することが基本です。</p>"
            ),
            IMAGE,
            h("一日の食事を組み立てる"),
            steps(
                "そろえたい三つのお皿",
                [
                    "主食：ごはん、パン、めんなど",
                    "主菜：魚、肉、卵、大豆製品など",
                    "副菜：野菜、きのこ、海藻など",
                ],
            ),
            qa(
                "体重はどのくらい増えてよいですか。",
                "<p>適切な増え方は妊娠前の体格などで一人ひとり違います。"
                "健診で医師や助産師と一緒に確認しましょう。</p>",
            ),
            refs("妊娠中の食事のヒント（サンプル資料）"),
        ],
    },
    {
        "slug": "sleep-in-pregnancy",
        "title": "おなかが大きくなってからの眠りの工夫",
        "summary": (
            "【サンプル】おなかが大きくなると寝つきにくくなることがあります。"
            "楽な姿勢や日中の過ごし方を紹介します。"
        ),
        "stages": [S.PREGNANCY_MID, S.PREGNANCY_LATE],
        "topics": ["sleep"],
        "physician": OBGYN,
        "colour": (190, 200, 235),
        "body": [
            p("<p>妊娠が進むと、おなかの重さやトイレの回数が増えることで、眠りが浅くなりがちです。</p>"),
            h("楽な姿勢を探す"),
            p(
                "<p>横向きに寝て、ひざの間やおなかの下にクッションをはさむと楽になる人がいます。"
                "自分が楽だと感じる姿勢を探してみましょう。</p>"
            ),
            IMAGE,
            qa(
                "昼間に眠くなってしまいます。",
                "<p>夜にまとまって眠れないときは、短い昼寝で休むのもひとつの方法です。</p>",
            ),
            refs("妊娠中の暮らしのてびき（サンプル資料）"),
        ],
    },
    {
        "slug": "signs-of-labour",
        "title": "出産が近づいたときのサイン",
        "summary": (
            "【サンプル】陣痛や破水など、出産が近づいたときのサインと、病院へ連絡するタイミングの考え方です。"
        ),
        "stages": [S.PREGNANCY_LATE],
        "topics": ["checkups"],
        "physician": OBGYN,
        "colour": (245, 190, 170),
        "body": [
            p(
                "<p>妊娠後期になったら、出産が始まったときの連絡先と移動手段を家族と確認しておきましょう。</p>"
            ),
            IMAGE,
            h("連絡の前に確かめること"),
            steps(
                "",
                [
                    "おなかの張りや痛みの間隔を時計で確かめる",
                    "出血や水のようなものが出ていないか確かめる",
                    "母子健康手帳と診察券を手元に用意する",
                ],
            ),
            warn(
                [
                    "破水したかもしれないと感じる",
                    "出血がある",
                    "赤ちゃんの動きがいつもと違い、少ないと感じる",
                    "強い痛みが続いておさまらない",
                ],
                "これらのときは時間帯にかかわらず、すぐに出産予定の医療機関へ連絡してください。",
                title="すぐに連絡してほしいとき",
            ),
            refs("出産の準備ガイド（サンプル資料）"),
        ],
    },
    {
        "slug": "hospital-bag",
        "title": "入院準備のチェックリスト",
        "summary": (
            "【サンプル】出産での入院に備えて、早めにそろえておきたい持ち物と家族との確認事項をまとめました。"
        ),
        "stages": [S.PREGNANCY_LATE],
        "topics": ["checkups"],
        "physician": OBGYN,
        "colour": (230, 215, 245),
        "body": [
            p(
                "<p>入院の持ち物は、医療機関からの案内を基本に、妊娠後期に入ったころから準備しておくと安心です。</p>"
            ),
            steps(
                "持ち物の準備",
                [
                    "母子健康手帳、診察券、保険証などをひとつの袋にまとめる",
                    "着替えや洗面用具など、医療機関の案内にある物をそろえる",
                    "赤ちゃんの退院時の服を用意する",
                ],
            ),
            IMAGE,
            h("家族と話しておくこと"),
            p("<p>上のきょうだいの預け先や、夜間に病院へ向かう方法を事前に決めておきましょう。</p>"),
        ],
    },
    {
        "slug": "postpartum-mood",
        "title": "産後の気持ちの落ち込みに気づいたら",
        "summary": (
            "【サンプル】産後は気持ちが不安定になりやすい時期です。"
            "よくある変化と、相談したほうがよいサインを紹介します。"
        ),
        "stages": [S.POSTPARTUM],
        "topics": ["mental-health"],
        "physician": PSY,
        "colour": (200, 215, 240),
        "body": [
            p(
                "<p>出産後は体の回復や赤ちゃんのお世話が重なり、涙もろくなったり不安を感じたりすることがあります。"
                "こうした変化は多くの人が経験します。</p>"
            ),
            IMAGE,
            qa(
                "気分の落ち込みは、だれにでもあることですか。",
                "<p>一時的な気分の波は珍しくありません。ただし、つらさが長く続くときは"
                "ひとりで抱えこまず相談してください。</p>",
            ),
            warn(
                [
                    "気分の落ち込みが2週間以上続いている",
                    "眠れない、食べられない状態が続いている",
                    "自分を責める気持ちが強く、何も楽しめない",
                ],
                "自分を傷つけたいと感じるときは、すぐに医療機関や相談窓口に連絡してください。",
                title="早めに相談してほしいとき",
            ),
            refs("産後のこころのケア（サンプル資料）"),
        ],
    },
    {
        "slug": "postpartum-rest",
        "title": "産後の休み方と家族の協力",
        "summary": (
            "【サンプル】産後の体を回復させるには休むことが大切です。"
            "家族で家事や夜のお世話を分け合う工夫を紹介します。"
        ),
        "stages": [S.POSTPARTUM, S.AGE_0_1],
        "topics": ["sleep", "mental-health"],
        "physician": PSY,
        "colour": (215, 235, 225),
        "body": [
            p("<p>出産した体が回復するには時間がかかります。眠れるときに眠ることを優先しましょう。</p>"),
            h("家族で分け合う"),
            steps(
                "話し合っておきたいこと",
                [
                    "夜のお世話を交代でする日を決める",
                    "食事の準備や洗濯など、家事の担当を決める",
                    "困ったときに頼れる人や市のサービスを書き出しておく",
                ],
            ),
            IMAGE,
            p("<p>市の産後ケアや家事支援のサービスを使うことも、立派な選択肢です。</p>"),
        ],
    },
    {
        "slug": "baby-fever",
        "title": "赤ちゃんが発熱したときの見かた",
        "summary": (
            "【サンプル】赤ちゃんの発熱では、熱の高さだけでなく機嫌や水分のとり方を見ることが大切です。"
            "受診の目安も確認しましょう。"
        ),
        "stages": [S.AGE_0_1, S.AGE_1_3],
        "topics": ["fever"],
        "physician": PAED,
        "colour": (250, 210, 170),
        "body": [
            p(
                "<p>発熱は、体が病気と戦っているサインのひとつです。"
                "熱の高さだけでなく、機嫌、顔色、水分がとれているかをあわせて見ましょう。</p>"
            ),
            IMAGE,
            h("おうちでできること"),
            steps(
                "",
                [
                    "熱をはかり、時刻と一緒にメモする",
                    "水分を少しずつこまめにとらせる",
                    "暑がっていれば服を一枚減らし、寒がっていれば温める",
                ],
            ),
            warn(
                [
                    "生後3か月未満で発熱している",
                    "ぐったりしていて、呼びかけへの反応が弱い",
                    "水分がとれず、おしっこが半日以上出ていない",
                    "けいれんを起こした",
                ],
                "夜間や休日に迷ったときは、子ども医療電話相談 #8000 に電話できます。緊急時は 119 へ。",
            ),
            refs("子どもの急な病気への備え（サンプル資料）"),
        ],
    },
    {
        "slug": "starting-weaning",
        "title": "離乳食のはじめ方",
        "summary": (
            "【サンプル】離乳食を始める時期の目安と、最初の一さじの進め方、よくある疑問をまとめました。"
        ),
        "stages": [S.AGE_0_1],
        "topics": ["weaning", "nutrition"],
        "physician": PAED,
        "colour": (250, 235, 160),
        "body": [
            p(
                "<p>離乳食は、母乳やミルク以外の食べ物に少しずつ慣れていくための練習です。"
                "始める時期は赤ちゃんの様子を見ながら決めます。</p>"
            ),
            IMAGE,
            h("最初の一さじ"),
            steps(
                "進め方の例",
                [
                    "機嫌のよい時間帯を選び、なめらかにすりつぶしたものを一さじから始める",
                    "新しい食材は一日一種類にし、様子を見る",
                    "慣れてきたら少しずつ量や種類を増やす",
                ],
            ),
            qa(
                "食べてくれない日があります。",
                "<p>食べる量には日によって波があります。無理に食べさせず、"
                "次の機会にまた試してみましょう。心配なときは健診で相談してください。</p>",
            ),
            refs("離乳食の進め方（サンプル資料）"),
        ],
    },
    {
        "slug": "vaccination-schedule",
        "title": "予防接種のスケジュールの立て方",
        "summary": (
            "【サンプル】赤ちゃんの予防接種は種類も回数も多くなります。"
            "かかりつけ医と相談して早めに予定を立てましょう。"
        ),
        "stages": [S.AGE_0_1, S.AGE_1_3],
        "topics": ["vaccination"],
        "physician": PAED,
        "colour": (180, 215, 240),
        "body": [
            p(
                "<p>予防接種には、受けるのに適した時期があります。"
                "母子健康手帳と市からの案内を見ながら、かかりつけ医と予定を立てましょう。</p>"
            ),
            h("予定の立て方"),
            steps(
                "",
                [
                    "市から届く案内と母子健康手帳を用意する",
                    "かかりつけ医に相談して、接種する日を決める",
                    "接種した日を母子健康手帳とカレンダーに記録する",
                ],
            ),
            IMAGE,
            qa(
                "体調をくずして予定の日に受けられませんでした。",
                "<p>体調が戻ってから受けられる場合がほとんどです。かかりつけ医に相談して予定を立て直しましょう。</p>",
            ),
            refs("予防接種のご案内（サンプル資料）"),
        ],
    },
    {
        "slug": "toddler-bedtime",
        "title": "1〜3歳の寝かしつけの工夫",
        "summary": (
            "【サンプル】なかなか寝てくれない時期の、生活リズムの整え方と寝る前の過ごし方のヒントです。"
        ),
        "stages": [S.AGE_1_3],
        "topics": ["sleep", "development"],
        "physician": PAED,
        "colour": (170, 180, 225),
        "body": [
            p(
                "<p>活動の幅が広がる1〜3歳ごろは、寝る時間が遅くなりがちです。"
                "朝の過ごし方から整えるのがこつです。</p>"
            ),
            IMAGE,
            steps(
                "寝る前の流れの例",
                [
                    "朝は決まった時間にカーテンを開けて光を入れる",
                    "夕方以降は部屋の明かりを少し落とす",
                    "お風呂、歯みがき、絵本など毎晩同じ順番で過ごす",
                ],
            ),
            qa(
                "夜中に何度も起きます。",
                "<p>成長の途中ではよくあることです。日中の様子も含めて気になるときは、健診で相談しましょう。</p>",
            ),
        ],
    },
    {
        "slug": "first-words",
        "title": "ことばの育ちを見守る",
        "summary": (
            "【サンプル】ことばが出る時期には大きな個人差があります。"
            "毎日のやりとりで育つことばと、相談の目安を紹介します。"
        ),
        "stages": [S.AGE_1_3, S.AGE_3_6],
        "topics": ["development"],
        "physician": PAED,
        "colour": (240, 200, 150),
        "body": [
            p("<p>ことばは、まわりの人とのやりとりの中で少しずつ育ちます。</p>"),
            h("毎日のやりとり"),
            steps(
                "",
                [
                    "子どもが指さしたものを、ことばにして返す",
                    "絵本を一緒に見て、絵について話す",
                    "子どもの話を最後まで聞く",
                ],
            ),
            IMAGE,
            qa(
                "同じ年の子よりことばが少ない気がします。",
                "<p>ことばの育ちには大きな個人差があります。気になるときは、健診や保健師の相談で話してみてください。</p>",
            ),
            refs("子どもの発達のめやす（サンプル資料）"),
        ],
    },
    {
        "slug": "nursery-infections",
        "title": "保育園・幼稚園と感染症",
        "summary": (
            "【サンプル】集団生活では感染症にかかる機会が増えます。"
            "発熱したときの対応と、登園の前に確かめたいことです。"
        ),
        "stages": [S.AGE_3_6],
        "topics": ["fever", "vaccination"],
        "physician": PAED,
        "colour": (200, 225, 200),
        "body": [
            p(
                "<p>集団生活を始めると、かぜなどの感染症にかかることが増えます。"
                "予防接種の記録を確かめ、園の決まりを家族で共有しておきましょう。</p>"
            ),
            IMAGE,
            h("休んだあと登園する前に"),
            steps(
                "",
                [
                    "熱が下がってからの様子を確かめる",
                    "病気によっては医師の判断が必要か、園の決まりを確認する",
                    "園に休んだ理由と様子を伝える",
                ],
            ),
            warn(
                [
                    "高い熱が続き、ぐったりしている",
                    "息が苦しそうにしている",
                    "水分がとれない",
                ],
                "夜間や休日に迷ったときは #8000、緊急時は 119 へ。",
            ),
        ],
    },
    {
        "slug": "preschool-snacks",
        "title": "幼児期のおやつの考え方",
        "summary": (
            "【サンプル】幼児期のおやつは、食事でとりきれない分を補う「第4の食事」。"
            "時間と量の決め方を紹介します。"
        ),
        "stages": [S.AGE_3_6],
        "topics": ["nutrition"],
        "physician": PAED,
        "colour": (245, 215, 190),
        "body": [
            p("<p>幼児は一度にたくさん食べられないため、おやつも食事の一部として考えます。</p>"),
            IMAGE,
            steps(
                "おやつの工夫",
                [
                    "時間を決めて、だらだら食べを避ける",
                    "おにぎりや果物など、食事に近いものも取り入れる",
                    "飲み物は水やお茶を基本にする",
                ],
            ),
            qa(
                "甘いお菓子はあげないほうがよいですか。",
                "<p>まったく禁止する必要はありません。量と時間を決めて、楽しく食べましょう。</p>",
            ),
            refs("幼児の食事のヒント（サンプル資料）"),
        ],
    },
    {
        "slug": "where-to-ask",
        "title": "子育てに疲れたときの相談先",
        "summary": (
            "【サンプル】子育てに疲れを感じるのは自然なことです。"
            "ひとりで抱えこまないための相談先と、休むための工夫です。"
        ),
        "stages": [S.POSTPARTUM, S.AGE_3_6],
        "topics": ["mental-health"],
        "physician": PSY,
        "colour": (210, 200, 230),
        "body": [
            p(
                "<p>子育て中に疲れやいらだちを感じるのは、だれにでもあることです。"
                "早めに話すことで、気持ちが軽くなることがあります。</p>"
            ),
            h("話せる場所"),
            p(
                "<ul><li>市の子育て支援窓口（サンプル）</li><li>保健センターの保健師</li>"
                "<li>かかりつけの医師</li></ul>"
            ),
            IMAGE,
            warn(
                [
                    "眠れない日が続いている",
                    "子どもに強くあたってしまいそうで怖い",
                    "何もする気が起きない日が続く",
                ],
                "今すぐ助けが必要なときは、ためらわずに 119 や近くの医療機関に連絡してください。",
                title="すぐに相談してほしいとき",
            ),
            refs("こころの相談窓口の一覧（サンプル資料）"),
        ],
    },
]

# Written by the editor and submitted to the Medical review workflow, but not yet approved: a
# physician signing in to the demo finds them waiting in "Awaiting your review".
PENDING_ARTICLES = [
    {
        "slug": "bath-time-safety",
        "title": "赤ちゃんのお風呂で気をつけること",
        "summary": (
            "【サンプル】お風呂は親子のふれあいの時間です。"
            "目を離さないこと、湯温の確かめ方など、安全に入れるための工夫をまとめました。"
        ),
        "stages": [S.AGE_0_1],
        "topics": ["safety"],
        "physician": PAED,
        "colour": (180, 215, 235),
        "notify": True,
        "body": [
            p(
                "<p>赤ちゃんは、わずかな水の深さでもおぼれることがあります。"
                "お風呂の時間は、短い時間でも目を離さないようにしましょう。</p>"
            ),
            IMAGE,
            h("入れる前の準備"),
            steps(
                "",
                [
                    "着替えとバスタオルを先に用意しておく",
                    "お湯の温度を手首の内側や温度計で確かめる",
                    "入浴後の水分補給の用意をしておく",
                ],
            ),
            warn(
                [
                    "お湯を飲みこんで、せきこみが止まらない",
                    "顔色が悪く、呼びかけへの反応が弱い",
                ],
                "様子がおかしいときは、迷わず 119 に電話してください。",
            ),
            refs("乳児の事故予防のてびき（サンプル資料）"),
        ],
    },
    {
        "slug": "toddler-teeth",
        "title": "1歳からの歯みがきのはじめ方",
        "summary": (
            "【サンプル】歯が生えはじめたら、歯みがきに少しずつ慣れていきましょう。"
            "嫌がるときの工夫と、歯科に相談する目安です。"
        ),
        "stages": [S.AGE_1_3],
        "topics": ["development"],
        "physician": PAED,
        "colour": (235, 225, 180),
        "notify": False,
        "body": [
            p(
                "<p>最初は歯ブラシを口に入れることに慣れるところから始めます。"
                "毎日同じ時間に、短い時間で切り上げるのがこつです。</p>"
            ),
            IMAGE,
            h("嫌がるときの工夫"),
            steps(
                "",
                [
                    "歌や声かけで楽しい時間にする",
                    "大人がみがく様子を見せる",
                    "仕上げみがきは寝かせた姿勢で短く行う",
                ],
            ),
            warn(
                ["歯ぐきの腫れや出血が続く", "歯の色が白くにごったり茶色くなったりしている"],
                "気になるときは、1歳6か月児健診や、かかりつけの歯科で相談してください。",
                title="歯科に相談してほしいとき",
            ),
            refs("子どもの歯の健康（サンプル資料）"),
        ],
    },
]
