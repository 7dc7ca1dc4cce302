# ruff: noqa: E501  (prose: sentences read better unbroken)
"""Demo translations (fiction, marked 【サンプル】/[Sample]): four articles in やさしい日本語 and
English, each approved by a reviewer registered for its language."""

from .content import h, p, qa, steps, warn

NOTICE = {
    "ja-x-easy": "【サンプル】この きじは デモの ための サンプルです。いりょうの アドバイスでは ありません。",
    "en": "[Sample] This article is a demo sample. It is not medical advice.",
}

PAGES = {
    "ja-x-easy": {
        "home": {
            "title": "あげおし おやこハブ",
            "lead": "にんしんから こそだてまで、いしゃが チェックした じょうほうです。",
        },
        "index": {
            "title": "こそだてと けんこうの きじ",
            "intro": "<p>いまの じきに あう きじを さがせます。</p>",
        },
    },
}

ARTICLES = {
    "baby-fever": {
        "ja-x-easy": {
            "title": "【サンプル】あかちゃんに ねつが でた とき",
            "summary": "【サンプル】ねつの たかさだけで なく、げんきか、みずを のめるかを みましょう。",
            "body": [
                p("<p>ねつは、からだが びょうきと たたかって いる サインです。</p>"),
                p("<p>げんきが あるか、かおの いろ、みずを のめるかも みましょう。</p>"),
                h("いえで できる こと"),
                steps(
                    "",
                    [
                        "ねつを はかって、じかんと いっしょに かきます",
                        "みずを すこしずつ のませます",
                        "あつそう なら ふくを 1まい へらします",
                    ],
                ),
                warn(
                    [
                        "うまれて 3かげつ より まえで、ねつが ある",
                        "ぐったり して いる",
                        "みずを のめない。おしっこが でない",
                        "ひきつけ（けいれん）が あった",
                    ],
                    "よるや やすみの ひに こまったら #8000 に でんわ できます。きゅうきゅうの ときは 119ばん です。",
                    title="すぐ びょういんに いきましょう",
                ),
            ],
        },
        "en": {
            "title": "[Sample] When your baby has a fever",
            "summary": "[Sample] With a fever, look beyond the number: how your baby seems, and whether they drink.",
            "body": [
                p(
                    "<p>A fever is one of the signs that the body is fighting an illness. "
                    "Look at your baby's mood, colour and drinking as well as the temperature.</p>"
                ),
                h("What you can do at home"),
                steps(
                    "",
                    [
                        "Take the temperature and note it with the time",
                        "Offer small drinks often",
                        "Take off a layer if they feel hot; warm them if they shiver",
                    ],
                ),
                warn(
                    [
                        "Fever in a baby under 3 months",
                        "Floppy, or hard to wake or respond",
                        "Not drinking, and no wet nappy for half a day",
                        "A fit (seizure)",
                    ],
                    "At night or on holidays you can call the children's medical helpline #8000. "
                    "In an emergency call 119.",
                    title="See a doctor now if",
                ),
            ],
        },
    },
    "starting-weaning": {
        "ja-x-easy": {
            "title": "【サンプル】りにゅうしょくの はじめかた",
            "summary": "【サンプル】りにゅうしょくを はじめる じきと、さいしょの ひとさじの すすめかたです。",
            "body": [
                p("<p>りにゅうしょくは、ミルク いがいの たべものに すこしずつ なれる れんしゅうです。</p>"),
                h("さいしょの ひとさじ"),
                steps(
                    "すすめかたの れい",
                    [
                        "きげんが いい ときに、なめらかな ものを ひとさじ あげます",
                        "あたらしい たべものは 1にちに 1つ です",
                        "なれたら すこしずつ ふやします",
                    ],
                ),
                qa(
                    "たべない ひが あります。",
                    "<p>たべる りょうは ひに よって ちがいます。むりに たべさせないで、つぎに また ためしましょう。</p>",
                ),
            ],
        },
        "en": {
            "title": "[Sample] Starting solid food",
            "summary": "[Sample] When to start solid food, how to give the first spoonful, and common questions.",
            "body": [
                p(
                    "<p>Solid food is practice in getting used, little by little, to food other than milk. "
                    "Decide when to start by watching your baby.</p>"
                ),
                h("The first spoonful"),
                steps(
                    "One way to go about it",
                    [
                        "Pick a time when your baby is content; start with one spoon of something smooth",
                        "Try one new food a day and watch how it goes",
                        "Slowly give more, and more kinds, as your baby gets used to it",
                    ],
                ),
                qa(
                    "Some days my baby won't eat.",
                    "<p>How much babies eat changes from day to day. "
                    "Don't force it; try again next time, and ask at a check-up if you are worried.</p>",
                ),
            ],
        },
    },
    "vaccination-schedule": {
        "ja-x-easy": {
            "title": "【サンプル】よぼうせっしゅの よていの たてかた",
            "summary": "【サンプル】よぼうせっしゅは かずが おおいです。はやめに いしゃと よていを たてましょう。",
            "body": [
                p("<p>よぼうせっしゅは、うける ときが きまって います。</p>"),
                p("<p>ぼしてちょうと、しから くる おしらせを みて、よていを たてましょう。</p>"),
                h("よていの たてかた"),
                steps(
                    "",
                    [
                        "しからの おしらせと ぼしてちょうを よういします",
                        "いしゃに そうだんして、ひを きめます",
                        "うけた ひを ぼしてちょうに かきます",
                    ],
                ),
                qa(
                    "からだの ちょうしが わるくて、うけられませんでした。",
                    "<p>げんきに なってから うけられる ことが おおいです。いしゃに そうだんしましょう。</p>",
                ),
            ],
        },
        "en": {
            "title": "[Sample] Planning your baby's vaccinations",
            "summary": "[Sample] Babies have many vaccinations. Plan them early with your family doctor.",
            "body": [
                p(
                    "<p>Each vaccination has a right time. Use your maternal and child health handbook and "
                    "the city's letters to plan them with your family doctor.</p>"
                ),
                h("How to plan"),
                steps(
                    "",
                    [
                        "Have the city's letters and the handbook ready",
                        "Ask your family doctor and choose the dates",
                        "Write each vaccination in the handbook and on your calendar",
                    ],
                ),
                qa(
                    "My baby was unwell and missed the date.",
                    "<p>In most cases the vaccination can be given once "
                    "your baby is well again. Ask your family doctor to plan a new date.</p>",
                ),
            ],
        },
    },
    "toddler-bedtime": {
        "ja-x-easy": {
            "title": "【サンプル】1〜3さいの ねかしつけ",
            "summary": "【サンプル】なかなか ねない ときの、1にちの リズムと ねる まえの すごしかたです。",
            "body": [
                p("<p>1〜3さいは、ねる じかんが おそく なりやすいです。</p>"),
                p("<p>あさの すごしかたから かえるのが こつです。</p>"),
                h("ねる まえに"),
                steps(
                    "",
                    [
                        "あさは おなじ じかんに おきて、ひかりを あびます",
                        "ねる まえは テレビや スマホを けします",
                        "えほんを よむ など、まいにち おなじ ことを します",
                    ],
                ),
            ],
        },
        "en": {
            "title": "[Sample] Bedtime for 1 to 3 year olds",
            "summary": "[Sample] Ideas for daily rhythm and the hour before bed when your toddler won't settle.",
            "body": [
                p(
                    "<p>Between one and three, bedtimes tend to drift later. The trick is to start with the morning.</p>"
                ),
                h("Before bed"),
                steps(
                    "",
                    [
                        "Get up at the same time every morning and let in the daylight",
                        "Switch off the TV and phones before bed",
                        "Do the same calm things each night, such as reading a picture book",
                    ],
                ),
            ],
        },
    },
}
