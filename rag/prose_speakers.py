"""The speaker a talk's prose names, as trip reports and salon recaps write it: "Jane Roe (@jroe) showed…",
"**Jane Roe** and **John Smith** explained…", "‘Title’ — by Jane Roe", "Jane Roe presenting Title",
"It was given by Jane Roe", "a tutorial from Jane Roe and John Smith", "Jane Roe's talk on …", 'Jane Roe's
"Title" was…', "我听了来自某公司的张三的分享", "是某大学的李四老师带来的《…》", "由王五主讲", "演讲人 Jane Roe 是…". Pure.

A name only counts beside words that say it gives the talk (a handle, bold at the sentence's start, "by",
带来/分享/的报告…): people the prose merely mentions ("和 Bruce 吃饭聊天", "as Jeff Dean said") name no one.
rag/english_givers.py reads the English constructions of giving a talk.
"""

from __future__ import annotations

import re

from . import english_givers
from .prose_names import (
    LATIN_NAME,
    ONE_LATIN_NAME,
    TITLE_WORDS,
    chinese_or_latin,
    is_common,
    latin_name,
    titled_nickname,
)
from .speakers import (
    PROFILE_SITES,
    SURNAMES,
    bilingual_name,
    clean_name,
    is_clear_person,
    is_english_word,
    is_person,
)
from .text import CJK, is_chinese, simplified

People = list[tuple[str, str | None]]


# "Jenn Schiffer (@jennschiffer) showed…", "…this talk by Sam Richard (@Snugug)": a name with its handle.
_NAME_AND_HANDLE = re.compile(rf"(?P<name>{LATIN_NAME})\s*[(（]\s*@[\w.]+\s*[)）]")
# "‘Blazingly Fast Queues’ — by Adam Hendel.", "Advanced Authentication — by Stephen Frost"
_DASH_BY = re.compile(rf"[—–-]{{1,2}}\s*by\s+(?P<name>{LATIN_NAME})\s*[.!]?$")
# "Ophir Lojkine presenting SQLPage: …" (a photo's caption), "Jane Roe presents …"
_PRESENTING = re.compile(
    rf"^(?P<name>{LATIN_NAME})\s+(?:presenting|presents|talking about|giving (?:a|her|his|their) talk)\b"
)
# "**Tom Occhino** opened with…", "<strong>A</strong> and <strong>B</strong> showed…": bold names opening a line.
_BOLD = r"(?:\*\*|__|<strong>|<b>)(?P<name>[^*_<>\n]{2,40}?)[:：]?(?:\*\*|__|</strong>|</b>)"
_BOLD_OPENING = re.compile(rf"^\s*(?:[-*+]\s+)?(?:{_BOLD}\s*(?:,|，|、|&|\band\b|和|与)?\s*)+(?=\S)")
_BOLD_NAME = re.compile(_BOLD)

_TALK_NOUNS = "分享|报告|演讲|讲座|talk|Talk|session|Session|keynote|Keynote"
_WHO = r"[^，。、；：:\s《》“”()（）]{2,30}?|[A-Z][\w’'.\- ]{2,40}?"
# The Chinese constructions; (?P<who>…) ends with the name, which chinese_or_latin() takes out of it.
_ZH_PATTERNS = (
    # "我听了来自 CrunchyData 的 Karen Jex 的分享", "听了张三老师的报告"
    re.compile(
        rf"听了\s*(?:来自\s*[^，。的]{{1,20}}?\s*的\s*)?(?P<who>[^，。的]{{2,30}}?)\s*(?:{TITLE_WORDS})?\s*的\s*(?:{_TALK_NOUNS})"
    ),
    # "Bruce Momjian 分享了这个主题", "张三带来的《…》", "Heikki Linnakangas 发起的这场讨论", "李四的报告"
    # "Jane Roe 在本次大会带来一场…的分享": where, between who and the verb.
    re.compile(
        rf"(?P<who>{_WHO})\s*(?:{TITLE_WORDS})?\s*(?:在[^，。、]{{1,12}}?)?"
        r"(?:带来|分享了|分享的|介绍了|讲解了|讲述了|演示了|探讨了|主讲|发起的这场"
        r"|的(?:开场|开幕|闭幕|主题|主旨|特邀)?(?:报告|分享|演讲|讲座)|的\s*(?i:talk|keynote))"
    ),
    # "靳国恩围绕显示协议进行讲解", "谢益君带大家回顾了框架的演进": who, then the talk they gave about a topic.
    re.compile(
        rf"(?P<who>{_WHO})\s*(?:{TITLE_WORDS})?\s*(?:围绕|就|针对)[^。；]{{1,60}}?(?:进行了?|做了|作了|展开了?|发表了?)"
        r"[^，。；]{0,6}?(?:讲解|分享|介绍|报告|演讲)"
    ),
    re.compile(
        rf"(?P<who>{_WHO})\s*(?:{TITLE_WORDS})?\s*(?:主要|首先|重点|详细|就|也|则)?(?:带|为|给|向)(?:大家|我们|听众)"
        r"(?:回顾|介绍|分享|讲解|讲述|展示|梳理|解读|剖析|带来)"
    ),
    # "PingCAP的首席架构师唐刘老师做了一场题为…的报告": a titled name, then the talk it gave.
    re.compile(
        rf"(?P<who>{_WHO})\s*(?:{TITLE_WORDS})\s*(?:首先|接着|随后|最后)?\s*(?:做了|作了|带来了)"
        rf"(?:一场|一个|一次)?[^。；]{{0,60}}?(?:{_TALK_NOUNS})"
    ),
    # "北邮杜军平老师的《…》", "吴小俊老师做了《…》": a title word says the name is a person's.
    re.compile(rf"(?P<who>{_WHO})\s*(?:{TITLE_WORDS})\s*(?:的|做了|作了|讲了)\s*《"),
    # "上海交大 严骏驰 主持和致辞", "张三致开幕辞": who opens the event speaks first.
    re.compile(rf"(?P<who>{_WHO})\s*(?:{TITLE_WORDS})?\s*(?:主持(?:并|和)?致辞|致(?:开幕|欢迎)?辞)"),
    # "由福建师范大学的陈黎飞教授带来", "该报告由湖大的李肯立，同时也是某中心带来"
    re.compile(
        rf"由\s*(?:[^，。]{{0,20}}?的)?\s*(?P<who>[^，。的]{{2,30}}?)\s*(?:{TITLE_WORDS})?\s*(?:[，,][^，。]{{0,20}})?"
        r"(?:首先|接着|随后|最后)?(?:带来|主讲|分享|介绍)"
    ),
    # "和主讲人Nic Jackson聊了一下": a Latin name after the label, wherever the sentence goes on.
    re.compile(
        r"(?:演讲人|演讲者|讲者|主讲人|报告人|分享人|主讲嘉宾)\s*(?P<who>[A-Z][A-Za-z’'.\-]*(?: [A-Z][A-Za-z’'.\-]*){1,3})(?![A-Za-z])"
    ),
    # "下一个发言人是来自 Acme 的 Jane Roe。", "第一位讲者是来自清华大学的张三教授": the label, then where they are from.
    re.compile(
        r"(?:演讲人|演讲者|讲者|主讲人|报告人|分享人|发言人|主讲嘉宾|嘉宾)(?:是|为)\s*来自\s*[^，。]{1,40}?的\s*"
        rf"(?P<who>[A-Z][A-Za-z’'.\-]*(?: [A-Z][A-Za-z’'.\-]*){{1,3}}|[{CJK}·]{{2,4}}?)(?=\s*(?:{TITLE_WORDS})?\s*(?:[，,。(（]|$))"
    ),
    # "演讲人 Margo Seltzer 是 UBC 的教授", "本期论坛讲者黄佳妮提出了…"
    re.compile(
        rf"(?:演讲人|演讲者|讲者|主讲人|报告人|分享人|主讲嘉宾)\s*(?P<who>[A-Z][\w’'.\- ]{{2,40}}?|[{CJK}·]{{2,4}}?)"
        r"(?=\s*(?:是|为|提出|介绍|分享|讲|，|,|。|$))"
    ),
    # "来自某公司的资深工程师张三，他也是某项目的维护者，为我们带来了…": who, then what they gave, later in the sentence
    re.compile(
        r"来自\s*[^，,。的]{1,30}?\s*的(?P<who>[^，,。]{2,30}?)\s*[，,][^。]{0,80}?"
        r"(?:为我们|给大家|为大家|向大家|给我们)(?:带来|分享|讲解|介绍)"
    ),
    # "最后为我们带来议题分享的是华为高级工程师赵波，…": the talk first, then who gave it.
    re.compile(r"(?:带来|分享)[^，。；]{0,10}?的是\s*(?P<who>[^，,。；]{2,30}?)\s*(?=[，,。；]|$)"),
    # "是深圳大学的陈文胜老师带来的", "这个Talk是苏州大学李凡长教授的"
    re.compile(
        rf"是\s*(?:[^，。]{{0,20}}?的)?(?P<who>[{CJK}·]{{2,12}}?|[A-Z][\w’'.\- ]{{2,40}}?)(?:{TITLE_WORDS})(?:带来|的)"
    ),
)
# "第一场来自 Jane Roe，…", "下一场是张三带来的…": the talks in turn, each opened by who gives it.
_ORDINAL_OPENER = re.compile(
    rf"(?:第[一二三四五六七八九十两\d]{{1,3}}[场位个]|下一场|最后一场|压轴)(?:{_TALK_NOUNS})?\s*(?:来自|是|由)\s*"
    rf"(?P<who>{_WHO})\s*(?=[，,。：:（(“\"]|$|带来|主讲|分享)"
)
# "講者 - Wei 在本次社群分享中…": the word for speaker, a dash, the name (one word too).
_SPEAKER_DASH = re.compile(
    rf"(?:讲者|演讲者|主讲人|讲师)\s*[-–—]\s*(?P<who>[A-Z][\w’'\-]{{1,20}}(?: [A-Z][\w’'\-]+){{0,2}}|[{CJK}·]{{2,4}}?)"
    r"(?=\s|[，,。]|在|$)"
)
IN_TURN = "首先|然后|接着|接下来|随后|其次|之后|最后"  # how a recap moves to the next talk: first, then, finally
# "首先, @龙泉寺扫地僧", "最后是极简工程师 @金泽 分享…": the talks in turn, each speaker by their handle.
_HANDLE_IN_TURN = re.compile(
    rf"^(?:{IN_TURN})\s*(?:[,，]\s*|是\s*(?:[^，。@\s]{{1,12}}\s*)?)"
    rf"(?P<who>@[\w{CJK}·.\-]{{2,20}})"
)
# "然后, 温总以…的语速介绍了 APISIX": the talks in turn, a short name right before how or what they presented.
_NAME_IN_TURN = re.compile(
    rf"^(?:{IN_TURN})\s*(?:[,，]|是)?\s*(?P<who>[{CJK}]{{2,3}}?)"
    r"(?=以(?!为)|用|为大家|给大家|向大家|带来|分享|介绍|讲了|讲解|结合|通过|围绕)"
)
# "张三老师是…", "东南的耿新老师的报告…": a titled name opening a paragraph of a recap.
# "tonybai 老师结合…": or a Latin handle.
_TITLED_OPENING = re.compile(
    rf"^(?:[^，。]{{0,8}}?的)?(?P<who>[{CJK}]{{2,8}}?|[A-Za-z][A-Za-z\d_.\-]{{2,20}}\s?)(?:{TITLE_WORDS})"
)
# "仲超 [微博] 同学", "Jane Roe [slides] presented": a short bracketed aside (a link's text) between name and verb.
# "卓致遠 (Thinker Mobile co-founder) 分享了": a bracketed organisation or role, too, before Chinese text.
_ASIDE = re.compile(rf"\s*\[[^\]]{{1,12}}\]\s*|(?<=[^\s(（])\s*[(（][^()（）]{{1,40}}[)）]\s*(?=[{CJK}])")
# After one Latin word, a verb of giving a talk: "Heikki 发起的这场讨论", "Yurii 带来一场…的分享"; not
# "Postgres 在 2024 年带来了新功能" (a product's news).
_GIVING_VERB = re.compile(
    rf"\s*(?:{TITLE_WORDS})?\s*(?:在[^，。、]{{1,12}}?)?(?:带来[^。；]{{0,40}}?(?:{_TALK_NOUNS}|主题)|分享了|主讲|发起的这场)"
)


def speaker_in_sentence(sentence: str, list_item: bool = False) -> People:
    """The speaker a sentence of prose names by how it says so, or []. In a list item "Title - by Name" and
    "Name presenting Title" are one of a list of talks (to watch, recommended), not this section's."""
    match = _NAME_AND_HANDLE.search(sentence)
    credit = match and re.search(r"(?:[—–]|--)\s*$", sentence[: match.start()])  # a tweet's "— Jane Roe (@jr)"
    if match and not credit and (name := latin_name(match.group("name"))):
        return [(name, None)]
    match = None if list_item else _PRESENTING.search(sentence)
    if match and (name := latin_name(match.group("name"))):
        return [(name, None)]
    match = None if list_item else _DASH_BY.search(sentence)
    if match and sentence.count(" by ") == 1 and (name := latin_name(match.group("name"))):
        return [(name, None)]
    if not list_item and (found := english_givers.english_giver(sentence)):
        return found
    sentence = _ASIDE.sub(" ", sentence)
    plain = simplified(sentence)  # "帶來的 talk": the constructions in simplified script, the name as written
    plain = plain if len(plain) == len(sentence) else sentence
    for pattern in (_ORDINAL_OPENER, _HANDLE_IN_TURN, _NAME_IN_TURN, _SPEAKER_DASH, *_ZH_PATTERNS):
        for match in pattern.finditer(plain):
            who = sentence[match.start("who") : match.end("who")]
            name = chinese_or_latin(who, one_word=_gives_a_talk(pattern, match, plain))
            name = name or titled_nickname(who, sentence[match.end("who") :])
            if name:
                return [(name, None)]
    return []


def _gives_a_talk(pattern: re.Pattern, match: re.Match, sentence: str) -> bool:
    """Whether a construction says plainly that one name gives the talk, so one Latin word may be that name:
    a talk opening on it ("第一场来自 Yurii，") or a verb of giving after it ("Heikki 发起的这场讨论"); not
    "来自 Google 的…" (where someone is from) nor "Priya 的分享结束后" (a talk mentioned)."""
    if pattern in (_ORDINAL_OPENER, _HANDLE_IN_TURN, _NAME_IN_TURN, _SPEAKER_DASH):
        return True
    after_org = sentence[: match.start("who")].rstrip().endswith("来自")
    return not after_org and bool(_GIVING_VERB.match(sentence, match.end("who")))


# "Alexey Milovidov from Yandex got the day started", "Amos Bird, one of its contributors, shares…", "ClickHouse
# core developer Nikolay Kochetov demonstrates…", "Later on that day, A and B presented…", "Jane Roe from Acme in
# her talk ‘…’": a paragraph opening on a person who presents something.
_PRESENTER_OPENING = re.compile(
    r"^(?:(?i:in|during) (?:this|her|his|their) (?:talk|session|keynote|presentation|workshop),\s*|(?:[\w-]+\s+){0,4}?)"
    r"(?:(?i:later|then|next|finally|afterwards|after that|on day \w+|on the \w+ day)[\w\s]{0,20}?,\s*)?"
    rf"(?P<name>{LATIN_NAME})(?:\s*[(（](?P<aside>[^()（）]{{1,30}})[)）])?"  # "Ken Li (李健) from Acme explains…"
    rf"(?:\s*,[^,.;]{{3,120}}?,)?(?:\s+(?:and|&)\s+(?P<other>{LATIN_NAME}))?"
    r"(?:\s*,[^,.;]{3,120}?,?|\s+(?:from|of)\s+[^,.;:]{2,80}?)?\s+"
    r"(?:(?i:was|is|were|came)\s+(?:(?i:here|there|invited)\s+)?to\s+)?"  # "Jane Roe was here to present her work"
    r"(?i:share|shares|shared|present|presents|presented|presenting|demonstrate|demonstrates|demonstrated"
    r"|demonstrating|show|shows|showed|showing|explaining"
    r"|explain|explains|explained|introduce|introduces|introduced|discuss|discusses|discussed|talks|talked|talking|speaks"
    r"|spoke|walk|walks|walked|cover|covers|covered|describe|describes|described|gives|gave|got|kicked|opens"
    r"|opened|closes|closed|leveraged|built|created|developed|explored|argued|provided|provides|finished"
    r"|finishes|wrapped|in (?:his|her|their) (?:talk|keynote|session|presentation))\b"
)
_LINK = re.compile(r"\[(?P<name>[^\[\]]{2,40})\]\s?\((?:https?://|/)[^)\s]*\)")
_PLACE_BEFORE = re.compile(r"\b(?:the|at|in|into)\s*$", re.IGNORECASE)  # "I was at the [Barcamp Oldenburg](url)"
# "As [Eric Raymond](url) said, …", "like [Jane Roe](url) puts it": a person quoted, not one presenting.
_QUOTING_BEFORE = re.compile(r"\b(?:as|like|according to|quoting)\s*$", re.IGNORECASE)
_SAID_AFTER = re.compile(r"\s*(?:once\s+)?(?:said|says|put it|puts it|wrote|writes|noted|tweeted)\b", re.IGNORECASE)
_FIRST_SENTENCE = re.compile(r"^.*?(?:[。！？]|[.!?](?=\s)|$)")
# "[hongqn](url)谈douban的架构", "[来要水](url)(aside),讲了…": a linked nickname, then a verb of talking.
_TALKS_AFTER_LINK = re.compile(r"\s*(?:[(（][^()（）]{0,60}[)）])?\s*[，,]?\s*(?:谈|讲|分享|介绍|主讲|带来)")
# "下面听的就是周爱民讲软件架构": a name shaped like one, then 讲/谈.
_ZH_NAME_TALKS = re.compile(
    rf"(?:是|听了?|然后|接着|最后)(?P<who>[{CJK}]{{3}})(?:老师|教授)?(?:讲|谈)(?!究|话|座|解|述)"
)


# "One of them was *Building an OSS Company* by [Jane Roe](url).": a talk's title set off in the line, then by whom.
_SET_OFF_TITLE_BY = re.compile(
    r"(?:\*{1,2}|_|“|\")[^*_“”\"\n]{4,120}(?:\*{1,2}|_|”|\")\s*,?\s+by\s+"
    r"(?:\[(?P<link>[^\]\n]{3,40})\]\([^)\s]*\)|(?P<plain>[A-Z](?:[\w’'\-]+|\.)(?:\s+[A-Z](?:[\w’'\-]+|\.)){1,3}))"
)


# "The first talk I attended was **A Flight Over the Landscape by Jane Roe, Acme**": the byline inside the bold.
_BOLD_TITLE_BY = re.compile(
    r"\*\*[^*\n]{4,120}?\s+by\s+(?P<plain>[A-Z][\w’'.\-]+(?:\s+[A-Z][\w’'.\-]+){1,3})(?:(?:\s*,|\s+and|\s*&)\s*[^*\n]{1,40})?\*\*"
)
_TALKS_LINE = re.compile(
    r"\b(?:talks?|keynotes?|sessions?|presentations?|lectures?|tutorials?|workshops?)\b", re.IGNORECASE
)
_BOOK_BEFORE = re.compile(r"\b(?:(?:book|novel|paper|article|post|essay)s?|read|reading)\s*$", re.IGNORECASE)


# "…Spotify ([David Xia](https://twitter.com/davidxia_)), who had…": a person linked to their profile page.
_PROFILE_LINK = re.compile(rf"\[(?P<name>[^\[\]\n]{{3,40}})\]\(https?://(?:www\.)?(?:{PROFILE_SITES})/[^)\s]*\)")


def profile_linked(text: str) -> People:
    """The one person the opening of a talk's text links to their profile page; [] for none or several."""
    names = {clean_name(match.group("name")) for match in _PROFILE_LINK.finditer(text)}
    return [(name, None) for name in names if is_clear_person(name)] if len(names) == 1 else []


def set_off_title_by(source_line: str) -> People:
    """The person a line about talks says gives one whose title it sets off in emphasis or quotes: '…many
    good talks. One of them was *Title* by [Jane Roe](url)', or '**Title by Jane Roe**'; a clear name only,
    not a book's author."""
    if not _TALKS_LINE.search(source_line):
        return []
    for match in (*_SET_OFF_TITLE_BY.finditer(source_line), *_BOLD_TITLE_BY.finditer(source_line)):
        if _BOOK_BEFORE.search(source_line[: match.start()]):
            continue  # "the book *Dune* by Frank Herbert"
        name = clean_name(match.groupdict().get("link") or match.group("plain"))
        if is_clear_person(name):
            return [(name, None)]
    return []


def first_sentence(text: str) -> str:
    return match.group() if (match := _FIRST_SENTENCE.match(text)) else ""


def presenter_opening(source_line: str) -> People:
    """The person a paragraph of a recap opens on as the one presenting: "Jane Roe from Acme shares…", a link to
    a person in its first sentence ("We started with [Jane Roe](url)…", "[hongqn](url)谈…"), "是周爱民讲…"."""
    first = first_sentence(source_line.strip())
    if found := presenter_in_sentence(_LINK.sub(lambda m: m.group("name"), first)):
        return found
    # "Then came the last part of the day. [Jane Roe](url) began their talk…": or opening the second sentence.
    second = _LINK.match(source_line.strip()[len(first) :].lstrip())
    in_first = _LINK.search(first)
    if in_first and _PLACE_BEFORE.search(first[: in_first.start()]):
        in_first = None  # "I was at the [Barcamp Oldenburg](url)": a place
    if in_first and (_QUOTING_BEFORE.search(first[: in_first.start()]) or _SAID_AFTER.match(first, in_first.end())):
        return []
    link = in_first or (second if second and is_clear_person(clean_name(second.group("name"))) else None)
    if link:
        name = clean_name(link.group("name"))
        linked_nickname = " " not in name and not is_english_word(name) and _TALKS_AFTER_LINK.match(first, link.end())
        if is_clear_person(name) or linked_nickname:
            return [(name, None)]
    match = _ZH_NAME_TALKS.search(first)
    if match and match.group("who")[0] in SURNAMES:
        return [(match.group("who"), None)]
    return []


def presenter_in_sentence(sentence: str) -> People:
    """ "Jane Roe from Acme discussed…", "In this talk, Jane Roe, CTO of Acme presents…", "Jane Roe and John
    Smith introduced…": a sentence opening on the people presenting."""
    match = _PRESENTER_OPENING.match(sentence)
    if not match or not (name := latin_name(match.group("name"))) or not is_clear_person(name):
        return []
    other = latin_name(match.group("other")) if match.group("other") else None
    # "Ken Li (李健)": the name in both scripts, as the note writes it, so either finds the speaker.
    name = bilingual_name(f"{name} {match.group('aside')}") or name if match.group("aside") else name
    return [(n, None) for n in (name, other) if n and is_clear_person(n)]


def titled_opening(paragraph: str) -> People:
    """ "沈红斌老师是…", "tonybai 老师结合…": a paragraph of a recap opening with a name and a title word."""
    match = _TITLED_OPENING.match(paragraph)
    who = match.group("who").strip() if match else ""
    if who.isascii() and who and not is_english_word(who):
        return [(who, None)]  # a handle, as the writer knows the speaker
    name = chinese_or_latin(who) if match else None
    return [(name, None)] if name else []


_BRACKETED_ORG = re.compile(r"(?P<name>[^()（）]+?)(?:\s*[(（](?P<org>[^()（）]{1,40})[)）])?")


def bold_opening(source_line: str) -> People:
    """ "**Tom Occhino** opened with…", "<strong>A</strong> and <strong>B</strong> showed…": the bold names
    opening a line of text, when every one is a person."""
    match = _BOLD_OPENING.match(source_line)
    if not match:
        return []
    # "**Jane Roe (Acme)** - topic": the organisation may share the bold.
    bold = [_BRACKETED_ORG.fullmatch(m.group("name").strip()) for m in _BOLD_NAME.finditer(match.group())]
    named = [(clean_name(b.group("name")), b.group("org")) for b in bold if b]
    # In Latin letters, clearly a name (or one beside its organisation): "**Seven Wastes** is a book" opens with a title.
    people = [(n, org) for n, org in named if (is_person(n) if is_chinese(n) or org else is_clear_person(n))]
    return people if people and len(people) == len(bold) else []


# After a heading's words, opening its text: a title word, maybe a few words and a comma ("压轴出场，"), then a
# verb of giving a talk.
_GIVES_AFTER_HEADING = re.compile(
    rf"\s*(?:{TITLE_WORDS})?\s*(?:[^，。,.\s]{{1,6}}[，,]\s*)?(?:分享|讲|介绍|带来|演讲|报告|做了|作了|主讲"
    r"|talked|talks|spoke|speaks|presented|presents|gave|showed|shows|shared|shares)"
)


def heading_in_opening(heading: str, text: str) -> People:
    """ "### 永旺" over "永旺老师分享的主题是《…》", "### 狼叔" over "狼叔压轴出场，分享的主题是…": a short heading that
    its text opens on as who gives the talk; not "### 总结" over "总结一下…" (a common word, and no verb of giving a
    talk)."""
    heading = heading.strip()
    nickname = 2 <= len(heading) <= 3 and not is_common(heading)  # not a word such as 总结, 项目
    short = nickname if is_chinese(heading) else bool(ONE_LATIN_NAME.fullmatch(heading))
    if short and text.startswith(heading) and _GIVES_AFTER_HEADING.match(text, len(heading)):
        return [(heading, None)]
    return []
