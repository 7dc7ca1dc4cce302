"""The crisis list as the migration seeds it: at least 30 crisis phrasings and 30 innocent near-misses,
in kanji and kana, full and half width."""

import pytest

from guidance.crisis import is_crisis, message_is_crisis, normalise

pytestmark = pytest.mark.django_db

CRISIS_PHRASINGS = [
    "死にたい",
    "もう死にたいです",
    "しにたい",
    "シニタイ",
    "ｼﾆﾀｲ",  # half-width katakana
    "死 に た い",
    "死にたくなる夜がある",
    "消えたい",
    "キエタイ",
    "全部投げ出して消えてしまいたい",
    "いなくなりたい",
    "生きていたくない",
    "生きるのがつらい",
    "ｲｷﾙﾉｶﾞﾂﾗｲ",
    "生きている意味がないと思う",
    "自殺を考えている",
    "ジサツしたい",
    "首を吊ろうかと思った",
    "飛び降りたい",
    "リストカットしてしまった",
    "ﾘｽﾄｶｯﾄがやめられない",
    "手首を切ってしまいそう",
    "子どもを殺してしまいそうで怖い",
    "赤ちゃんと一緒に心中しようと考えた",
    "子どもを道連れにしたい",
    "泣き止まないと叩いてしまう",
    "昨日つい子供を叩いてしまった",
    "夫に殴られています",
    "パートナーから暴力を受けている",
    "ＤＶを受けています",  # full-width Latin
    "ｄｖされている",
    "死ぬほど辛い、もう死にたい",  # an idiom never hides a crisis expression
    "虐待してしまうかもしれない",
    "首を絞めてしまいそう",
]

NEAR_MISSES = [
    "死ぬほど眠い",
    "しぬほどねむい",
    "ｼﾇﾎﾄﾞ眠い",
    "シヌホド疲れた",
    "陣痛で死ぬかと思った",
    "夜泣きで死にそうなくらい眠い",
    "死んだように眠ってくれた",
    "死ぬくらい笑った",
    "朝から殺人的な忙しさ",
    "シミを消したい",
    "あざが消えない",
    "部屋の電気を消したい",
    "猫がいなくなった",
    "授乳を終わりにしたい",
    "首がすわるのはいつ？",
    "赤ちゃんの首をつかんで持ち上げていい？",
    "手首を捻った",
    "ベッドから飛び降りて遊ぶ",
    "菌を殺す消毒の方法",
    "暴力的なアニメは見せてもいい？",
    "背中をトントン叩いて寝かせる",
    "おもちゃを投げる",
    "心配で眠れない",
    "離乳食を食べてくれない",
    "熱が38度ある",
    "ﾘｽﾄを作りたい",
    "足のうらが赤い",
    "友だちに助けられています",
    "いきなり泣き出す",
    "生きる力を育てる遊び",
    "楽になりたいので腰痛のストレッチを知りたい",
    "DVDを見せてもいい？",
]


def test_the_lists_are_long_enough():
    assert len(CRISIS_PHRASINGS) >= 30
    assert len(NEAR_MISSES) >= 30


@pytest.mark.parametrize("text", CRISIS_PHRASINGS)
def test_crisis_phrasing_is_a_crisis(text):
    assert message_is_crisis(text), text


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_miss_is_not_a_crisis(text):
    assert not message_is_crisis(text), text


def test_normalise_folds_width_kana_case_and_punctuation():
    assert normalise("ｼﾆﾀｲ") == normalise("シニタイ") == normalise("しにたい") == "しにたい"
    assert normalise("Ｄ Ｖ・を受け！") == "dvを受け"


def test_an_idiom_is_cut_only_where_it_stands():
    assert not is_crisis("死ぬほど眠い", ["しぬ"], ["しぬほど"])
    assert is_crisis("死ぬほど眠い、死ぬ", ["死ぬ"], ["死ぬほど"])


def test_an_empty_list_finds_no_crisis():
    assert not is_crisis("死にたい", [], [])


def test_a_crisis_reply_is_approved_only_by_a_physicians_review_and_a_change_waits_for_it(
    approved, administrator, physician
):
    from guidance.factories import review
    from guidance.models import CrisisReply
    from guidance.review import words_for_parent

    reply = CrisisReply.objects.get(language="ja")
    assert not reply.approved  # the seeded text waits for a physician
    # Nothing an administrator fills in vouches for the text: no "approved by" or "approved on" field.
    assert not {"approved_by", "approved_on"} & {field.name for field in CrisisReply._meta.get_fields()}
    approved(reply, author=administrator)
    assert reply.approved
    approved_text = reply.text

    reply.text = "【サンプル】書き換えた文"
    reply.save()
    reply.save_revision(user=administrator)
    assert words_for_parent(CrisisReply.objects.get(language="ja")).text == approved_text

    review(reply, administrator, physician.user)
    assert words_for_parent(CrisisReply.objects.get(language="ja")).text == "【サンプル】書き換えた文"


def test_the_one_crisis_check_gives_the_crisis_reply_in_the_language_asked_or_nothing():
    from guidance.crisis import check
    from guidance.models import Route

    reply = check("もう死にたい", "en")
    assert reply.route == Route.CRISIS and reply.language == "en"
    assert "119" in reply.messages[0].text
    assert check("もう死にたい", "xx").language == "ja"  # an unknown language falls back to Japanese
    assert check("離乳食はいつから", "ja") is None
    assert check("", "ja") is None


def test_the_bot_asks_the_one_crisis_check_first(monkeypatch):
    from guidance import answering, crisis

    sentinel = object()
    asked = []
    monkeypatch.setattr(crisis, "check", lambda text, language: asked.append((text, language)) or sentinel)

    assert answering.answer("設定", "en") is sentinel  # before even a menu command
    assert asked == [("設定", "en")]


@pytest.mark.parametrize(
    "text",
    [
        "I want to die",
        "sometimes I think my baby would be better off without me, I want to kill myself",
        "我真的不想活了",
        "Tôi muốn chết",
        "Gusto ko nang mamatay",
        "너무 힘들어서 죽고 싶어요",
        "Eu quero morrer",
        "I'm scared I will hurt my baby",
    ],
)
def test_a_crisis_written_in_another_language_of_the_hub_is_recognised(text):
    from guidance.crisis import message_is_crisis

    assert message_is_crisis(text)


@pytest.mark.parametrize(
    "text",
    ["I want to diet after the birth", "想死你了", "When can my baby eat rice?", "Quero marcar uma consulta"],
)
def test_everyday_words_in_other_languages_are_not_a_crisis(text):
    from guidance.crisis import message_is_crisis

    assert not message_is_crisis(text)
