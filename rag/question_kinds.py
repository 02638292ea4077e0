"""What kind of answer a question asks for: a whole talk (nothing left of its topic but words asking for
one, or one of its clauses, or a talk placed at an event the notes know) or a fact of a kind that the
answering text must hold (a price, a date, a headcount). Pure."""

from __future__ import annotations

import re
from collections.abc import Callable

from .speakers import is_english_word
from .text import CJK, STOPWORDS, cut_words, is_chinese, mostly_chinese, simplified

# Words that ask for a whole talk rather than a topic: "王井东的报告讲了什么", "summarize Song Han's talk".
OVERVIEW_WORDS = frozenset(
    """
    talk talks keynote lecture lectures presentation presentations session speech seminar panel
    summary summarize summarise overview outline recap main key idea ideas point points topic topics
    content contents cover covered covers work works gist highlights takeaway takeaways give me brief briefly
    please us overall whole entire part parts section sections title titled called
    teach teaches taught teaching lightning opening closing plenary invited class course
    报告 讲座 演讲 分享 发言 工作 内容 主要 要点 重点 观点 总结 概括 概述 大意 主题 哪些 讲 讲了 讲的 说 说了 谈 谈了
    介绍 介绍了 主要讲 一下 都 些 了 的 什么 哪 整个 全部 部分 简要 简单 大致 方面 这个 那个 场 次 篇 个 题目 标题 题为
    开场 闭幕 主旨 特邀 课 讲课 授课 这节 这堂 教 教了 关注 聚焦 围绕 focus focused focuses focusing
    主张 看法 advocate advocated advocates stance
    warn warned argue argued recommend recommended suggest suggested propose proposed claim claimed
    emphasize emphasized emphasise emphasised stress stressed 强调 强调了 建议 提醒 警告 提出 提出了 认为
    author writer think thought opinion 作者 觉得 评价 怎么看 看待
    show showed shows present presented presents demo demoed demonstrate demonstrated 演示 展示 演示了 展示了
    在 里 中 上 paper papers 论文 ignite ignites
    remark remarked remarks comment commented comments 评论 点评
    那 这 一 一讲 那一讲 这一讲 收获 背景 经历 background bio
    对 对谈 对话 访谈 座谈 圆桌 采访 节目 播客 这期 本期 聊 聊了 话题 interview conversation chat episode podcast
    要 解决 问题 怎么样 学术 problem problems solve solves
    """.split()
)
# "Who is Jane Roe", "张三是谁", "笔记里提到的张三是做什么的": who a person is, asked of whoever the notes name.
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was)\b|是谁|是什么人|是做什么的|是干什么的", re.IGNORECASE)


def asks_who(question: str) -> bool:
    """The question asks who someone is: every sentence naming them answers, a talk of theirs or not."""
    return bool(_WHO_IS.search(question))


# Where a talk was given, which says nothing of its topic: "星河在第五届 CSSConf 上都讲了什么", "what did Jane
# Roe talk about at PyCon 2019", "summarize her talk during the Rust meetup".
_EVENT_ZH = re.compile(
    r"在(?P<event>[^，,。？?！!；;在]{2,30}?)(?:上|里|中|期间|时)?"
    r"(?=(?:都|还|又|也|主要)?(?:讲|说|谈|分享|介绍|发言|演讲|报告|主讲|主张|提出|提到|做了|作了))"
)
_EVENT_EN = re.compile(
    r"\b(?:at|during)\s+(?:the\s+)?(?P<event>[A-Za-z0-9][\w.'’&+-]*(?:\s+[\w.'’&+-]+){0,6}?)(?=\s*(?:\babout\b|[?.!]|$))"
)

# "What was Jane's VueConf talk about?": the event naming the talk, right before it.
_EVENT_BEFORE_TALK = re.compile(
    r"(?<=\s)(?P<event>[A-Z][\w.'’&+-]*(?:\s+\d{2,4})?)(?=\s+(?:talk|keynote|session|presentation|lecture)\b)"
)

# Where one question of several ends: "小罗是哪家单位的？他讲了什么？", "…, and (in) which … did the writer…",
# "What was the talk about and why did the writer like it?".
_CLAUSE_BREAK = re.compile(
    r"[？?；;！!]|,\s*and\s+(?:(?:in|at|on|for|from|by|to)\s+)?(?=(?:what|who|why|how|which|where|when|did|does|do|is"
    r"|was|were)\b)|\s+and\s+(?=(?:what|who|why|how|which|where|when)\s+(?:did|does|do|is|was|were|are)\b)"
    r"|，\s*(?=他|她|作者|还|以及|并且|为什么|怎么|结果)",
    re.IGNORECASE,
)

# The words of a question that ask for a talk, not only fill it ("是", "什么", "the").
_TALK_WORDS = frozenset(
    "talk talks talked keynote lecture presentation session speech present presented discuss discussed summary "
    "summarize summarise overview topic topics 讲 讲了 说 说了 谈 谈了 分享 报告 演讲 讲座 主题 内容 发言 介绍 介绍了".split()
)

# Questions whose answer is a price, a date or a headcount, and what such an answer has in it: a question the
# notes answer only with the topic around it ("Web Unleashed 2019 的门票多少钱？", "How many people attended?")
# is not answered. "When is X thrown?" asks when in another sense, so only the shapes that ask for a day or a
# year count.
_ANSWER_TYPES = {
    "price": (
        re.compile(
            r"\bhow much (?:does|did|do|is|was|were|will)\b.{0,60}\b(?:cost|charge)|\bwhat (?:is|was) the (?:ticket )?price"
            r"|多少钱|(?:票价|价格|门票|费用)(?:是|要|大概)?多少",
            re.IGNORECASE,
        ),
        re.compile(
            r"[$€£¥￥]|\d\s*(?:元|块|美元|欧元|英镑|dollars?|euros?|pounds|usd|rmb)\b|免费|\bfree\b", re.IGNORECASE
        ),
    ),
    "date": (
        re.compile(
            r"哪一天|哪天|几月几号|几号|什么日期|哪一?年|\bwhat date\b|\bwhich (?:day|date|year|month)\b"
            r"|\bwhen (?:was|is|will|did|does)\b.{0,60}\b(?:held|ship|shipped|release|released|launch|launched|start|"
            r"started|begin|began|founded|published)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"(?<![\dA-Za-z])(?:19|20)\d\d(?![\dA-Za-z])|\d{1,2}\s*[月日号]|\b\d{1,2}/\d{1,2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d"
            r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:mon|tues|wednes|thurs|"
            r"fri|satur|sun)day\b|星期|周[一二三四五六日]|(?:明|去|今)年|\b(?:next|last|this) (?:year|month|week)\b",
            re.IGNORECASE,
        ),
    ),
    "headcount": (
        re.compile(
            r"\bhow many (?:people|attendees|participants|delegates|visitors|guests)\b"
            r"|多少(?:个)?人|多少名?(?:观众|听众|参会者|与会者|参与者)|人数",
            re.IGNORECASE,
        ),
        re.compile(
            r"\d[\d,.]*\s*(?:\+|多|余|几)?\s*k?\s*(?:people|attendees|participants|delegates|visitors|guests|persons?"
            r"|developers|人|名|位)|\b(?:hundreds|thousands|dozens) of\b|[上近数几]百|[上近数几]千|[上近数几]万|\battendance\b.{0,20}\d",
            re.IGNORECASE,
        ),
    ),
}


# "How many Lambda functions does…", "一共有多少名员工": a count of things, the thing named by the noun that
# closes the phrase after "how many" (before its verb or a preposition) or after 多少 and a measure word.
_COUNT_EN = re.compile(
    r"\bhow many ((?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]{2,})(?=\s+(?:are|is|was|were|do|does|did|have|has|had|can|could"
    r"|will|would|should|in|on|of|for|per|a|an|the|at|to|from|with|by)\b|\s*[?？,.]|\s*$)",
    re.IGNORECASE,
)
_COUNT_ZH = re.compile(rf"多少(?:个|名|位|台|次|条|行|张|篇|家|只|款|种|项|门|部|份)([{CJK}]{{2,4}})")
_NUMBER_EN = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?"
    r"|billions?|several|few|many)\b",
    re.IGNORECASE,
)
_NUMBER_ZH = re.compile(r"[\d一二三四五六七八九十百千万亿几两数]")


def answer_type(question: str) -> str | None:
    """ "price", "date", "headcount" or "count" (of some thing) when the question asks for one, else None."""
    kind = next((kind for kind, (asks, _) in _ANSWER_TYPES.items() if asks.search(question)), None)
    return kind or ("count" if _counted_thing(question) else None)


def gives(kind: str, text: str, question: str = "") -> bool:
    """Whether a text holds an answer of the kind: a price (a currency, "免费"), a date, a number of people,
    or a number beside the thing the question counts (a text in the other language, which would not name the
    thing as asked, is not judged)."""
    if kind != "count":
        return bool(_ANSWER_TYPES[kind][1].search(text))
    thing = _counted_thing(question)
    if not thing:
        return True
    lowered = text.lower()
    places = [m.start() for m in re.finditer(re.escape(thing), lowered)]
    number, before, after = (_NUMBER_ZH, 8, 2) if is_chinese(thing) else (_NUMBER_EN, 40, 20)
    if not places:
        return is_chinese(thing) != mostly_chinese(text)
    return any(number.search(lowered[max(0, p - before) : p + len(thing) + after]) for p in places)


def _counted_thing(question: str) -> str | None:
    """The thing a question counts, as a text would write it: "function" (of "how many Lambda functions"),
    "员工" (of "多少名员工"); None when it counts nothing."""
    if match := _COUNT_EN.search(question):
        noun = match.group(1).split()[-1].lower()
        return noun[:-1] if noun.endswith("s") and len(noun) > 4 else noun
    match = _COUNT_ZH.search(question)
    return match.group(1) if match else None


def is_overview(topic: str) -> bool:
    """True when nothing is left of the topic but words asking for the whole talk (or nothing at all)."""
    return all(w in OVERVIEW_WORDS or w in STOPWORDS for w in _overview_words(topic))


# "Summarize 's talk about the input method attack": what follows says which talk, not what to look for in it.
_SUMMARIZE_TALK_ABOUT = re.compile(
    r"^\W*(?:please\s+)?(?:summari[sz]e|recap|sum up|give (?:me )?(?:a |an )?(?:summary|overview|recap) of)\b"
    r"[^?]*?\b(?:talk|keynote|lecture|presentation|session|speech)\s+(?:about|on)\b",
    re.IGNORECASE,
)


def summarizes_talk(topic: str) -> bool:
    """The question asks to summarize a speaker's talk that it describes ("summarize her talk on caching")."""
    return bool(_SUMMARIZE_TALK_ABOUT.match(topic))


def _overview_words(topic: str) -> list[str]:
    words = re.findall(rf"[A-Za-z][A-Za-z'’]*|[{CJK}]+", simplified(topic).lower())  # "講了什麼" too
    rest: list[str] = []
    for word in words:
        if is_chinese(word):
            # "对谈里" cut as "对" "谈里": a locative glued to a talk word stays the talk word.
            rest.extend(w[:-1] if w[-1] in "里中上" and w[:-1] in OVERVIEW_WORDS else w for w in cut_words(word))
        elif word != "s":  # what is left of "Jane's talk" once the name is gone
            rest.append(word.rstrip("'’s") if word.endswith(("'s", "’s")) else word)
    return rest


def talk_asked(topic: str, known_event: Callable[[str], bool]) -> bool:
    """Whether a topic with more than talk words left still asks for a whole talk: one of its questions does
    ("小罗是哪家单位的？他讲了什么？", "What was her talk about, and what did the writer think?"), or it (or one of its
    questions) would but for the event the talk was given at, one the notes know (`known_event`):
    "在第五届 CSSConf 上都讲了什么"."""
    clauses = [c for c in _CLAUSE_BREAK.split(topic) if c and c.strip()]
    for clause in clauses:
        if len(clauses) > 1 and is_overview(clause) and _TALK_WORDS.intersection(_overview_words(clause)):
            return True
        placed = event_overview(clause)
        if placed and known_event(placed[1]):
            return True
    return False


def _ordinary(word: str) -> bool:
    """A word of the language rather than a name: "all", "work" (typed in lower case, no event)."""
    return word.lower() in STOPWORDS or is_english_word(word)


def event_overview(topic: str) -> tuple[str, str] | None:
    """(the topic without it, the event) when a topic asks for a whole talk given at a named event; None when
    it names no event or asks more than the talk."""
    for pattern in (_EVENT_ZH, _EVENT_EN, _EVENT_BEFORE_TALK):
        match = pattern.search(topic)
        if match:
            rest = " ".join((topic[: match.start()] + " " + topic[match.end() :]).split())
            event = match.group("event").strip(" .")
            # "at feday" as typed in lower case, but not "at all", "at work": an English word is no event.
            if is_overview(rest) and (event[:1].isupper() or event[:1].isdigit() or not _ordinary(event)):
                return rest, event
    return None
