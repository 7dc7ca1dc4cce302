"""Masking what a parent wrote before an unanswered question is kept for editors.

What is masked, and why (the bot report tells editors the same):

* **names** of people (``[name]``): the words SudachiPy, the hub's own analyser, tags
  名詞,固有名詞,人名 (山田花子, はなこ, 太郎), a word before ちゃん, くん, さん or 様 that is not a
  family or job word (さくらちゃん, but not お医者さん), and what follows 名前は (or my name is,
  tên tôi là, 我叫, 제 이름은, meu nome é, ako si in the bot's other languages);
* **places and addresses** (``[place]``, ``[address]``): words tagged 地名 (上尾市本町), with the
  block and house numbers after them (3-1-1, 三丁目), and any 1-2-3 or 3丁目/5番地 on its own;
* **phone numbers** (``[phone]``) and **any other run of seven or more digits** (``[number]``: a
  My Number, a card or record number), also when partly hidden (048-775-XXXX);
* **dates of birth** (``[date]``): any date with a year (2024年5月3日, 令和6年, 2024/5/3) and a day
  and month followed by 生まれ;
* **e-mail addresses** (``[email]``), also written with アットマーク, (at) or ドット; **URLs**
  (``[url]``); **LINE and other IDs** (``[id]``: after ID or ライン, an @name, a word_with_underscore);
* any other run of **four or more digits** (``[number]``), unless it is a measurement (2500g,
  3000円) or one of the public emergency numbers (#8000).

Numbers are read after normalisation, so no spelling hides them: NFKC (full width becomes ASCII),
kanji numerals as digits (〇一二三…九 digit by digit, 十百千 counted: 三十一 is 31), and
separators between digits (ー－―‐-・. brackets and spaces) ignored: 〇九〇ー一二三四ー五六七八,
０９０ １２３４ ５６７８ and 090-1234-5678 are the same phone number. Ordinary details keep their
meaning (熱が38度, 生後3か月, 体重2500g). When in doubt the rule masks: a word masked needlessly
costs an editor a guess, a name left in stays in the database for 30 days.
"""

import re
import unicodedata

from .emergency import emergency_lines
from .text import morphemes

_KANJI_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_KANJI_DIGITS |= {"八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KANJI_RUN = re.compile(f"[{''.join(_KANJI_DIGITS)}{''.join(_KANJI_UNITS)}]+")
# A hidden digit (048-775-XXXX, 090-****-5678) stands for a digit in the digit view.
_PLACEHOLDER = "\ue000"
_PLACEHOLDER_RUN = re.compile(r"(?<![A-Za-z])(?:[Xx]{2,}|\*+)(?![A-Za-z])")
_SEPARATORS = r"\s\-‐‑‒–—―−ー・.()"  # after NFKC, －．（） are among these
_DIGIT = rf"[0-9{_PLACEHOLDER}]"
_DIGIT_GROUP = re.compile(rf"\+?{_DIGIT}(?:[{_SEPARATORS}]*{_DIGIT})*")
_UNIT_AFTER = re.compile(
    r"\s*(?:(?:kg|mg|g|ml|cc|cm|mm|km|kcal|m)(?![A-Za-z])|グラム|キロ|ミリ|センチ|カロリー|円|歩|回|人|件|個|本|枚|日分)",
    re.I,
)

_ERA = r"(?:令和|平成|昭和|[RHS](?=\s*\d))"
_DATES = [
    re.compile(rf"{_ERA}?\s*(?:\d{{1,4}}|元)\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?"),
    re.compile(rf"{_ERA}\s*(?:\d{{1,2}}|元)\s*年"),
    re.compile(rf"(?:{_ERA}\s*\d{{1,2}}|\d{{4}})\s*[/.\-]\s*\d{{1,2}}\s*[/.\-]\s*\d{{1,2}}"),
    re.compile(
        r"\d{1,2}\s*(?:月\s*\d{1,2}\s*日|/\s*\d{1,2})(?=\s*(?:に|の)?\s*(?:生まれ|産まれ|生|誕生|出生))"
    ),
]
_ADDRESS = re.compile(r"\d+\s*(?:丁目|番地|番\s*\d+\s*号?|号室)")
# What may follow a place name as the rest of an address: numbers, 丁目, 番地, 号, hyphens.
_ADDRESS_TAIL = re.compile(r"(?:[\s\-‐―−ー・の]*(?:[0-9〇一二三四五六七八九十]+|丁目|番地|番|号室|号))+")

_AT = r"(?:@|\(at\)|\[at\]|<at>|\{at\}|アットマーク|あっとまーく)"
_LOOSE_AT = r"(?:\sat\s|アット|あっと)"
_DOT = r"(?:\.|\(dot\)|\[dot\]|ドット|どっと|\sdot\s)"
_LOCAL = r"[A-Za-z0-9._%+\-]+"
_LABEL = r"[A-Za-z0-9\-]+"
_EMAILS = [
    re.compile(rf"{_LOCAL}\s*{_AT}\s*{_LABEL}(?:\s*{_DOT}\s*{_LABEL})*", re.I),
    re.compile(rf"{_LOCAL}\s*{_LOOSE_AT}\s*{_LABEL}(?:\s*{_DOT}\s*{_LABEL})+", re.I),
]
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_ID_VALUE = r"@?[A-Za-z0-9][A-Za-z0-9._\-]*"
_IDS = [
    # ID: hanako_88, LINE ID は hanako, ラインのアイディー→hanako, ラインは hanako
    re.compile(
        rf"(?:(?<![A-Za-z])(?:line|ライン|らいん)\s*(?:の\s*)?)?(?:(?<![A-Za-z])id(?![A-Za-z])|アイディー?|あいでぃー?)"
        rf"\s*(?:は|:|=|→|を)?\s*(?P<value>{_ID_VALUE})",
        re.I,
    ),
    re.compile(rf"(?<![A-Za-z])(?:line|ライン|らいん)\s*(?:は|:|=|→)\s*(?P<value>{_ID_VALUE})", re.I),
    re.compile(r"(?<![A-Za-z0-9._%+\-])@[A-Za-z0-9._\-]{2,}"),
    re.compile(r"[A-Za-z0-9]+_[A-Za-z0-9_]+"),
]
_NAMED = [
    re.compile(
        r"(?:名前|なまえ|氏名|本名)\s*(?:は|:|=)\s*(?P<value>[^\s、。,.!?「」]{1,20}?)(?=です|と申|といい|[\s、。,.!?]|$)"
    ),
    # The bot's other languages: "my name is", "tên tôi là", "我叫", "제 이름은", "meu nome é", "ako si".
    re.compile(
        r"(?i:\bmy name is|\bname\s*:|\bt[êe]n (?:t[ôo]i |c[ủu]a t[ôo]i )?l[àa]|\bmeu nome [ée]|\bme chamo"
        r"|\bpangalan ko ay|\bako si)\s+(?P<value>[A-ZÀ-Ỹ][\w'’-]*(?:\s+[A-ZÀ-Ỹ][\w'’-]*){0,3})"
    ),
    re.compile(
        r"(?:我叫|我的名字是|名字是|제 이름은|이름은)\s*"
        r"(?P<value>[^\s,.!?]{1,10}?)(?=입니다|이에요|예요|[\s,.!?]|$)"
    ),
]

_HONORIFICS = {"ちゃん", "くん", "君", "たん", "さん", "様", "さま", "氏"}
# Family and job words a parent writes before ちゃん or さん: not names.
_NOT_NAMES = {
    *["ママ", "パパ", "母", "父", "お母", "お父", "兄", "姉", "弟", "妹", "お兄", "お姉", "ばあ", "じい"],
    *["おばあ", "おじい", "婆", "爺", "子", "お子", "坊", "皆", "みな", "みんな", "奥", "旦那"],
    *["お客", "医者"],
    *["先生", "赤", "妊婦", "産婦", "主人", "ご主人", "近所", "お隣", "隣", "友達", "友だち", "家族"],
}
_JOB_ENDINGS = ("師", "士", "者", "員", "長", "屋", "医", "官", "手", "生", "婦")


def _kanji_number(run):
    if not any(char in _KANJI_UNITS for char in run):
        return "".join(str(_KANJI_DIGITS[char]) for char in run)
    total = current = 0
    for char in run:
        if char in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[char]
            current = 0
        else:
            current = current * 10 + _KANJI_DIGITS[char]
    return str(total + current)


def digit_view(text):
    """``(view, origin)``: ``text`` with kanji numerals as digits and hidden digits as one mark;
    ``view[i]`` came from ``text[origin[i][0]:origin[i][1]]``."""
    pieces = []
    position = 0
    numerals = [m for m in _KANJI_RUN.finditer(text) if m.group() not in ("百", "千")]
    spans = sorted(
        [(m.start(), m.end(), _kanji_number(m.group())) for m in numerals]
        + [(m.start(), m.end(), _PLACEHOLDER * len(m.group())) for m in _PLACEHOLDER_RUN.finditer(text)]
    )
    for start, end, digits in spans:
        if start < position:
            continue
        pieces.extend((char, (index, index + 1)) for index, char in enumerate(text[position:start], position))
        pieces.extend((digit, (start, end)) for digit in digits)
        position = end
    pieces.extend((char, (index, index + 1)) for index, char in enumerate(text[position:], position))
    return "".join(char for char, _origin in pieces), [origin for _char, origin in pieces]


def _public_numbers():
    return {re.sub(r"\D", "", line.number) for line in emergency_lines()}


def _number_label(group, after):
    """The label for a run of digits, or None to keep it."""
    digits = re.sub(rf"[^0-9{_PLACEHOLDER}]", "", group)
    if digits in _public_numbers() and _PLACEHOLDER not in digits:
        return None
    separated = bool(re.search(rf"{_DIGIT}[{_SEPARATORS}]+{_DIGIT}", group))
    if len(digits) >= 7:
        phone = group.startswith(("0", "+")) or _PLACEHOLDER in digits or (separated and len(digits) <= 11)
        return "phone" if phone else "number"
    if len(re.findall(rf"{_DIGIT}+", group)) >= 3 and re.search(r"\d\s*[-‐―−ー]\s*\d", group):
        return "address"
    if len(digits) >= 4 and not _UNIT_AFTER.match(after):
        return "phone" if _PLACEHOLDER in digits else "number"
    return None


def _view_spans(text):
    """Spans found in the digit view (numbers, dates, addresses), as ``(start, end, label)`` in ``text``."""
    view, origin = digit_view(text)

    def span(start, end, label):
        return (origin[start][0], origin[end - 1][1], label)

    found = []
    for pattern in _DATES:
        found += [span(m.start(), m.end(), "date") for m in pattern.finditer(view)]
    found += [span(m.start(), m.end(), "address") for m in _ADDRESS.finditer(view)]
    for match in _DIGIT_GROUP.finditer(view):
        label = _number_label(match.group(), view[match.end() :])
        if label:
            found.append(span(match.start(), match.end(), label))
    return found


def _name_spans(text):
    """Names and places from SudachiPy's parts of speech, as ``(start, end, label)``."""
    found = []
    words = morphemes(text)
    for index, (start, end, surface, pos) in enumerate(words):
        previous = words[index - 1] if index else None
        if pos[:3] == ("名詞", "固有名詞", "人名"):
            if previous and previous[1] == start and previous[3][0] == "名詞" and previous[3][2] != "人名":
                # 保健師さん is read 保 + 健師 (a given name) in context; alone it is one ordinary word.
                joined = morphemes(previous[2] + surface)
                if len(joined) == 1 and joined[0][3][1] == "普通名詞":
                    continue
            found.append((start, end, "name"))
        elif pos[:3] == ("名詞", "固有名詞", "地名"):
            tail = _ADDRESS_TAIL.match(text, end)
            if tail and re.search(r"[0-9〇一二三四五六七八九十]", tail.group()):
                found.append((start, tail.end(), "address"))
            else:
                found.append((start, end, "place"))
        elif (
            surface in _HONORIFICS
            and previous
            and previous[1] == start
            and previous[3][0] == "名詞"
            and previous[3][1] not in ("代名詞", "数詞")
            and previous[2] not in _NOT_NAMES
            and not (surface in {"さん", "様", "さま", "氏"} and previous[2].endswith(_JOB_ENDINGS))
        ):
            found.append((previous[0], previous[1], "name"))
    return found


def _pattern_spans(text):
    found = [(m.start(), m.end(), "url") for m in _URL.finditer(text)]
    for pattern in _EMAILS:
        found += [(m.start(), m.end(), "email") for m in pattern.finditer(text)]
    for pattern in _IDS:
        for match in pattern.finditer(text):
            value = "value" if "value" in pattern.groupindex else 0
            found.append((match.start(value), match.end(value), "id"))
    for pattern in _NAMED:
        found += [(m.start("value"), m.end("value"), "name") for m in pattern.finditer(text)]
    return found


def mask(text):
    """``text`` with names, places and addresses, phone and other long numbers, dates of birth,
    e-mail addresses, URLs and IDs replaced by ``[name]``, ``[place]``, ``[address]``, ``[phone]``,
    ``[number]``, ``[date]``, ``[email]``, ``[url]``, ``[id]`` (the module doc says exactly what).

    The text is NFKC-normalised first (full-width letters and digits become ASCII).
    """
    text = unicodedata.normalize("NFKC", text or "")
    # Overlapping findings are masked together, under the label of the one found first (the order
    # below): nothing found is ever left half visible.
    candidates = _pattern_spans(text) + _name_spans(text) + _view_spans(text)
    merged = []
    for start, end, rank, label in sorted(
        (start, end, rank, label) for rank, (start, end, label) in enumerate(candidates) if start < end
    ):
        if merged and start < merged[-1][1]:
            previous = merged[-1]
            merged[-1] = (previous[0], max(end, previous[1]), *min(previous[2:], (rank, label)))
        else:
            merged.append((start, end, rank, label))
    for start, end, _rank, label in reversed(merged):
        text = f"{text[:start]}[{label}]{text[end:]}"
    # 山田花子 is two names in a row: one [name] says as much.
    return re.sub(r"(\[[a-z]+\])(?:\s*\1)+", r"\1", text)
