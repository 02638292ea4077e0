"""The forms one person's name takes: both scripts ("吴恩达 Andrew Ng"), pinyin readings and surname spellings,
either order, without accents, and the aliases a question may write it as. Pure but for the alias cache."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .cachefiles import cached_json
from .text import CJK, is_chinese

_LATIN_NAME_WORD = r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f.’'\-]*"
_LATIN_NAME_RUN = rf"{_LATIN_NAME_WORD}(?:\s+{_LATIN_NAME_WORD}){{0,3}}"
_CHINESE_NAME_RUN = rf"[{CJK}·]{{2,6}}"
# "吴恩达 Andrew Ng", "Andrew Ng吴恩达", "Andrew Ng（吴恩达）", "王小明 (Xiaoming Wang)": one name in each script.
_TWO_SCRIPTS = re.compile(
    rf"^(?:(?P<zh>{_CHINESE_NAME_RUN})\s*[(（]?\s*(?P<en>{_LATIN_NAME_RUN})"
    rf"|(?P<en2>{_LATIN_NAME_RUN})\s*[(（]?\s*(?P<zh2>{_CHINESE_NAME_RUN}))\s*[)）]?$"
)


def two_scripts(text: str) -> tuple[str, str] | None:
    """(Chinese part, Latin part) of a text that is a run of Chinese characters beside a run of Latin words,
    in either order, the second maybe in brackets; None otherwise. Whether both name one person is for
    speakers.py to judge."""
    match = _TWO_SCRIPTS.match(text.strip())
    if not match:
        return None
    return (match.group("zh") or match.group("zh2"), (match.group("en") or match.group("en2")).strip())


def name_parts(name: str) -> list[str]:
    """The names a speaker is written with: both parts of "李秉骏 Cash Lee", else the name alone."""
    parts = two_scripts(name)
    return list(parts) if parts else [name.strip()]


def full_names(names: Iterable[str]) -> dict[str, str]:
    """name → the name in both scripts it is a part of, for names a note also writes with their other name
    ("吴恩达" → "Andrew Ng 吴恩达"): one person, one name. A part shared by two such names maps nowhere."""
    unique = set(names)
    owners: dict[str, set[str]] = {}
    for name in unique:
        for part in name_parts(name) if two_scripts(name) else []:
            owners.setdefault(normalize_for_names(part), set()).add(name)
    full = {}
    for name in unique:
        who = owners.get(normalize_for_names(name), set())
        if len(who) == 1 and name not in who:
            full[name] = next(iter(who))
    return full


def spelling_variants(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Latin names of one note that are one person written two ways: the same first name and a surname one
    letter apart ("Adrian Cockroft", "Adrian Cockcroft"), or the same surname and a first name short for the
    other ("Dan Berg", "Daniel Berg"). Each name → its other spellings."""
    latin = sorted({n for n in names if n.isascii() and len(n.split()) == 2})
    variants: dict[str, list[str]] = {}
    for a, b in itertools.combinations(latin, 2):
        (first_a, last_a), (first_b, last_b) = a.lower().split(), b.lower().split()
        typo = first_a == first_b and min(len(last_a), len(last_b)) >= 5 and one_edit_apart(last_a, last_b)
        short = (
            last_a == last_b
            and len(min(first_a, first_b, key=len)) >= 3
            and (first_a.startswith(first_b) or first_b.startswith(first_a))
        )
        if typo or short:
            variants.setdefault(a, []).append(b)
            variants.setdefault(b, []).append(a)
    return {name: tuple(others) for name, others in variants.items()}


def one_edit_apart(a: str, b: str) -> bool:
    """One letter inserted, deleted or changed."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    prefix = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return a[prefix + 1 :] == b[prefix + 1 :] or a[prefix:] == b[prefix + 1 :] or a[prefix + 1 :] == b[prefix:]


@lru_cache(maxsize=4096)
def name_aliases(name: str) -> frozenset[str]:
    """Ways a question may write a speaker's name, lower-cased and space-separated.

    冯佳时 → 冯佳时, feng jiashi, jiashi feng, feng jia shi, fengjiashi, …; "Song Han" → song han, han song;
    "李秉骏 Cash Lee" → both parts' aliases, so either names the speaker.
    """
    name = name.strip()
    parts = name_parts(name)
    if len(parts) > 1:
        return frozenset({name.lower()}.union(*(name_aliases(part) for part in parts)))
    aliases = {name.lower()}
    if is_chinese(name):
        for syllables in _readings(name):
            # Compound surnames (欧阳, 司马) exist, so try both one- and two-syllable surnames.
            for cut in (1, 2):
                if len(syllables) <= cut:
                    continue
                surname, given = "".join(syllables[:cut]), syllables[cut:]
                for spelling in (surname, *(_SURNAME_SPELLINGS.get(surname, ()) if cut == 1 else ())):
                    for given_form in ("".join(given), " ".join(given)):
                        aliases.add(f"{spelling} {given_form}")
                        aliases.add(f"{given_form} {spelling}")
                    aliases.add(spelling + "".join(given))
        # pypinyin writes ü as v (吕 → lv); a question writes Lü (Lu once accents fold) or the passport's Lyu.
        aliases |= {a.replace("v", u) for a in aliases if "v" in a for u in ("u", "yu")}
    else:
        words = normalize_for_names(name).split()  # "Jan Novotný" → jan novotny: questions drop accents
        if len(words) >= 2:
            aliases.add(" ".join(words))
            aliases.add(" ".join([words[-1], *words[:-1]]))
    return frozenset(aliases)


MAX_READINGS = 8
# Surnames as Hong Kong, Taiwan and the diaspora spell them (Wade–Giles, Cantonese): Kai-Fu Lee is 李开复.
_SURNAME_SPELLINGS = {
    pinyin: tuple(others.split(","))
    for pinyin, others in (
        pair.split(":")
        for pair in """li:lee chen:chan,chern wang:wong zhang:chang,cheung huang:wong,hwang liu:lau,lew lin:lam,lim
        wu:ng,woo he:ho zhou:chou,chow xu:hsu,tsui zhao:chao,chiu guo:kuo,kwok liang:leung cai:tsai,choi
        xie:hsieh,tse yang:yeung zheng:cheng jiang:chiang gao:kao luo:lo,law song:sung ye:yeh,yip deng:teng,tang
        cao:tsao zeng:tseng,tsang xiao:hsiao,siu qiu:chiu feng:fung zhu:chu hu:hoo""".split()
    )
}


def _readings(name: str) -> list[list[str]]:
    """The pinyin readings of a Chinese name, the common one first: a name's character may be read several
    ways (施柏鑫 is Shi Boxin, though 柏 is most often bai), and a question spells the name as its owner does."""
    from pypinyin import Style, pinyin  # 0.2 s and 55 MB to import: only when aliases are not cached

    options = [[s for s in readings if s.strip()] for readings in pinyin(name, style=Style.NORMAL, heteronym=True)]
    return [list(r) for r in itertools.islice(itertools.product(*[o for o in options if o]), MAX_READINGS)]


def all_aliases(names: list[str]) -> list[list[str]]:
    """name_aliases() of each name, longest first; cached by the names in the cache dir, so opening an
    index whose speakers were seen before does not import pypinyin."""
    unique = sorted(set(names))
    sources = ["\n".join(unique).encode("utf-8"), Path(__file__).read_bytes(), metadata.version("pypinyin").encode()]
    aliases = cached_json(
        "speaker-aliases",
        sources,
        lambda: {n: sorted(name_aliases(n), key=lambda a: (-len(a), a)) for n in unique},
        keep=64,  # one file per set of speakers: several indexes (and tests) in turn stay cached
    )
    return [aliases[n] for n in names]


def normalize_for_names(text: str) -> str:
    """Lower-case, without accents, hyphens and punctuation to spaces, Latin and Chinese apart, single
    spaces: the form name_aliases() uses ("Marc’Aurelio Novotný" → " marc aurelio novotny ")."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))
    text = re.sub(rf"[^\w{CJK}]+", " ", text.replace("-", " "))
    text = _SCRIPT_CHANGE.sub(" ", text)  # "Jiri Pinkas讲了什么": the name is a word of its own
    return f" {' '.join(text.split())} "


_SCRIPT_CHANGE = re.compile(rf"(?<=[a-z0-9])(?=[{CJK}])|(?<=[{CJK}])(?=[a-z0-9])")


def fold_accents(text: str) -> str:
    """The text with each accented letter as its base letter and every other character kept, so positions
    in the result are positions in the text ("Jiří" → "Jiri")."""
    return "".join(f if len(f := _base_letter(ch)) == 1 else ch for ch in text)


def _base_letter(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
