"""The PHQ-9's words for the demo and the tests, written for this project from the meaning of the
public-domain instrument (Spitzer, Williams, Kroenke; free to use without permission). They are
sample text, marked as such, awaiting the supervising psychiatrist's approval: a city replaces them
with the validated translation its psychiatrist approves."""

SAMPLE = "【サンプル文・精神科医の承認待ち】"

JA = {
    "title": "PHQ-9（日本語）",
    "intro": (
        f"{SAMPLE}\n"
        "「こころのチェック」は、この2週間の気持ちや体の調子をふり返る9つの質問です。"
        "病気を診断するものではありません。\n"
        "・答えはチェックが終わると消えます。\n"
        "・結果を残すことに同意した方だけ、日付と合計点だけを記録します（LINEのIDは記録しません）。"
        "市の担当者もあなたが誰かはわかりません。\n"
        "・いつでも「やめる」でやめられます。"
    ),
    "consent": (
        "結果（日付と合計点）を残して、8週間ほどあとにもう一度チェックのご案内を受け取りますか？"
        "残さずに始めることもできます。"
    ),
    "stem": "この2週間、次のようなことでどのくらい困っていましたか。",
    "items": [
        "物事に興味がわかない、または楽しいと感じられない",
        "気分が落ちこむ、ゆううつになる、または希望がもてない",
        "寝つけない、途中で目がさめる、または逆に眠りすぎる",
        "疲れている、または元気が出ない",
        "食欲がない、または食べすぎてしまう",
        "自分はだめだと感じる、または自分や家族をがっかりさせていると感じる",
        "新聞を読む、テレビを見るなどのことに集中しにくい",
        "まわりの人が気づくほど動きや話し方がゆっくりになる、または反対に、そわそわして落ち着かない",
        "死んだほうがましだ、または何らかの方法で自分を傷つけようと考える",
    ],
    "options": ["まったくない", "数日", "半分以上", "ほとんど毎日"],
    "closings": [
        f"{SAMPLE}チェックにご協力ありがとうございました。今のところ大きな負担はなさそうです。"
        "気になることがあれば、下の記事も読んでみてください。",
        f"{SAMPLE}ありがとうございました。少しお疲れが出ているかもしれません。"
        "ひとりで抱えずに、気軽に相談できる窓口があります。",
        f"{SAMPLE}ありがとうございました。心の負担が大きくなっているかもしれません。"
        "専門のカウンセラーに話してみませんか。",
        f"{SAMPLE}ありがとうございました。とてもつらい状態が続いているかもしれません。"
        "できるだけ早く、専門のカウンセラーに相談してください。",
    ],
    "follow_up_invitation": (
        f"{SAMPLE}前回の「こころのチェック」から時間がたちました。その後いかがですか。"
        "よろしければ、もう一度チェックしてみませんか。"
    ),
}

EN = {
    "title": "PHQ-9 (English)",
    "intro": (
        "[Sample text awaiting the psychiatrist's approval]\n"
        "The self-check is nine questions about how you have felt over the last two weeks. It is a "
        "screening, not a diagnosis.\n"
        "- Your answers are deleted when the check ends.\n"
        "- Only if you agree, the date and your total are kept (never your LINE ID); nobody at the "
        "city can tell who you are.\n"
        "- You can stop at any time by writing “stop”."
    ),
    "consent": (
        "May we keep your result (the date and the total) and invite you to check again in about "
        "8 weeks? You can also start without keeping anything."
    ),
    "stem": "Over the last 2 weeks, how often have you been bothered by the following?",
    "items": [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself, or that you have let yourself or your family down",
        "Trouble concentrating on things, such as reading or watching television",
        "Moving or speaking so slowly that others could notice, or being so restless you move around a lot",
        "Thoughts that you would be better off dead, or of hurting yourself in some way",
    ],
    "options": ["Not at all", "Several days", "More than half", "Nearly every day"],
    "closings": [
        "[Sample] Thank you for taking the check. For now it does not look like a heavy load. The "
        "articles below may help.",
        "[Sample] Thank you. You may be a little worn out. You do not have to carry it alone: you "
        "can talk to the consultation service.",
        "[Sample] Thank you. Things may be weighing on you. Would you like to talk to a counsellor?",
        "[Sample] Thank you. Things may have been very hard for a while. Please talk to a counsellor "
        "as soon as you can.",
    ],
    "follow_up_invitation": (
        "[Sample] Some weeks have passed since your self-check. How are you? Would you like to check again?"
    ),
}


def fields(words):
    """The Instrument fields for ``words`` (JA or EN above)."""
    found = {key: words[key] for key in ("title", "intro", "consent", "stem", "follow_up_invitation")}
    found.update({f"item_{n}": text for n, text in enumerate(words["items"], start=1)})
    found.update({f"option_{n}": text for n, text in enumerate(words["options"])})
    found.update({f"closing_{n}": text for n, text in enumerate(words["closings"], start=1)})
    return found
