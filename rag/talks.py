"""Who speaks in which section of a note: people found around headings, and sections that hold several
talks in turn. Pure."""

from __future__ import annotations

import re

from . import (
    english_givers,
    handles,
    handovers,
    heading_names,
    heading_rules,
    labels,
    name_lines,
    panelists,
    prose_speakers,
    section_people,
    speakers,
    tables,
    talk_items,
    talk_runs,
    templates,
    title_lists,
    titled_paragraphs,
    turns,
    under_heading,
    writer,
)
from .outline import Section, encloses

EARLY_LINES = 40  # the one speaker a note names early, before or about the note, gives the whole note


# The ways a section holds several talks, tried in turn until one names someone.
_TALK_RUNS = (
    talk_runs.in_programme,  # "Jane Roe - Title" lines, one talk each
    talk_runs.in_prose,  # a recap's paragraphs, one talk after another
    titled_paragraphs.in_titled_paragraphs,  # "[Title](url)" then "Jane Roe", one talk each
    talk_runs.in_name_lines,  # "Title", then "Jane Roe, Acme" alone, one talk each
    talk_items.in_talk_items,  # "- **Title** Jane Roe showed…", one talk each
    talk_items.in_first_name_items,  # "- Benedikt gave a talk on…", one talk each
    talk_items.in_narrated_items,  # "- [Jane Roe](url) then spoke about…", one talk each
)


def find_people(sections: list[Section], lines: list[str], front: dict) -> list[tuple[str, str | None]]:
    """Fill each section's people from its heading, a `## 分享嘉宾` heading under it, or the first lines under
    it (a dash line, a bare name bullet, "by Name", "Name (Org)", …); return the note's own speaker (a front
    matter field or its title, a first line 'Name, Org', or the only speaker it names, early on) for sections
    that name no one."""
    talks: list[Section] = []  # the open sections above this one
    named_children: dict[int, list[list[tuple[str, str | None]]]] = {}  # parent → people of "### Name" children
    listed_for_note: list[tuple[str, str | None]] = []
    last_at_level: dict[float, Section] = {}  # the section before this one at its level: a talk Q&A may follow
    turns_in_note = turns.dialogue(lines)  # "**Ken**：…" paragraphs of an interview's transcript
    for section in sections:
        while talks and not encloses(talks[-1], section):
            talks.pop()
        # "## Talk 4: Title" under a title naming the organisers: one talk of several, not a part of theirs.
        # A section whose "### Jane Roe, Acme" sub-heading named it is a talk already, its other parts hers.
        named_above = any(s.people or id(s) in named_children for s in talks)
        inside_talk = named_above and not _NUMBERED_TALK.match(section.headings[-1] if section.headings else "")
        # Under a section of several talks ("Keynotes" recapping two), a sub-section may be one more talk.
        among_talks = any(len(s.talks) > 1 for s in talks)
        talks.append(section)
        sibling = last_at_level.get(section.level)
        last_at_level = {level: s for level, s in last_at_level.items() if level < section.level}
        last_at_level[section.level] = section
        section.people += [host for host in section.hosts if host not in section.people]
        if any(s.titled and _ATTENDEES.match(s.headings[-1]) for s in talks):
            continue  # "## 参会人员", "## Attendees" over "### Talkers": who came, not who spoke
        if not _names_someone(section) and not inside_talk and talk_runs.opens_with_named_item(section, lines):
            talk_runs.in_list_items(section, lines)  # "- **Jane Roe**：**Title**" over paragraphs, one talk each
        if turns_in_note and not inside_talk:
            turns.in_turns(section, turns_in_note)
        for find_talks in () if inside_talk else _TALK_RUNS:
            if not _names_someone(section):
                find_talks(section, lines)
        if not section.talks:
            handovers.by_lines(section, lines)  # "- Vitals (By Jane Roe)": her part of the section
        if any(p not in section.hosts for p in section.people) or not section.titled:
            continue
        guests = _people_from_heading(section, talks, lines, named_children)
        if guests is None:
            found = under_heading.name_under_heading(section, lines, explicit_only=inside_talk)
            found = found or ([] if inside_talk and not among_talks else _speaker_in_prose(section, lines))
            found = found or prose_speakers.heading_in_opening(section.headings[-1], _opening(section))
            found = found or under_heading.nickname_in_label_heading(section, lines)
            found = found or prose_speakers.profile_linked("\n".join(lines[section.start : _second_block_end(section)]))
            if not found and sibling and _QA_HEADING.match(section.headings[-1]):
                found = [p for p in sibling.people if p not in sibling.hosts]  # "# Questions" after its talk
            section.people = found + section.people
        elif guests and not any(s.titled for s in talks[:-1]):  # "# 嘉宾简介" at the top: the guests of the whole note
            listed_for_note = listed_for_note or guests
        if not inside_talk and not _names_someone(section):
            talk_runs.in_roster(section, lines)  # "* Panelists" over "  * Jane Roe - Acme" items
        if not inside_talk and (not _names_someone(section) or talk_runs.opens_with_item_over_notes(section, lines)):
            talk_runs.in_list_items(section, lines)  # "1. 洪铭：" over notes, "2. 沈雪伦：" over notes: one talk each
    parents = templates.parents_of(sections)  # the sections' tree: people change below, the tree does not
    templates.fill_from_siblings(sections, lines, parents)
    templates.first_names_beside_names(sections, parents)
    templates.first_names_of_speakers(sections)
    title_lists.name_titled_talks(sections, lines)
    templates.first_names_speaking(sections, parents)
    handles.resolve(sections)  # "@rachaelevelyn" heading a talk: the Rachael Ainsworth the note lists
    _own_talks(sections, parents)  # "# I gave a talk!": the writer's
    # "# Title" over "## Jane Roe (Acme)": the name heading names the talk above, unless siblings name others
    # ("### Jonathan - Acme" beside "### Jane Roe - Acme" are talks of their own).
    named_siblings: dict[int, int] = {}
    for section in sections:
        if (parent := parents.get(id(section))) is not None and section.people:
            named_siblings[id(parent)] = named_siblings.get(id(parent), 0) + 1
    for section in sections:
        children = named_children.get(id(section), [])
        alone = named_siblings.get(id(section), 0) <= 1
        if len(children) == 1 and alone and not any(p not in section.hosts for p in section.people):
            section.people = children[0] + section.people
    _people_from_tables(sections, lines)
    named_in_title = _named_in_front_matter_title(front)
    return _front_matter_people(front) or named_in_title or listed_for_note or _note_speaker(sections, front, lines)


def _named_in_front_matter_title(front: dict) -> list[tuple[str, str | None]]:
    """Whose talk the note's title says it is, or its description ("A summary of Jane Roe's talk at…")."""
    title = front.get("title")
    named_in_title = heading_names.from_title(title) if isinstance(title, str) else []
    described = [front.get(key) for key in ("title", "subtitle", "description", "excerpt", "summary")]
    return named_in_title or next(
        (found for text in described if isinstance(text, str) and (found := english_givers.whose_talk(text))), []
    )


def _front_matter_people(front: dict) -> list[tuple[str, str | None]]:
    """Speakers named by front-matter fields (speaker, speakers, lecturer, presenter); never the authors."""
    found: list[tuple[str, str | None]] = []
    for key in ("speaker", "speakers", "lecturer", "lecturers", "presenter", "presenters"):
        value = front.get(key)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and item.strip():
                found.extend(speakers.split_people(item))
    return found


def _people_from_heading(
    section: Section, talks: list[Section], lines: list[str], named_children: dict
) -> list[tuple[str, str | None]] | None:
    """People the heading names (a label, a name in the title, "## 分享嘉宾" listing them under it), also for
    the talk above when the heading is only who speaks; the people a speakers heading lists; None when the
    heading names no one."""
    labelled = labels.label(section.headings[-1], str)
    hosted = heading_rules.HOSTED_BY.search(section.headings[-1])
    if hosted and not labelled:
        # "# Moderated by Jane Roe, Acme"
        section_people.add_people(section, "host", hosted.group("who"), section.start)
        section.people += [host for host in section.hosts if host not in section.people]
        return None
    found = heading_names.from_heading(section.headings[-1], in_talk=any(s.people for s in talks[:-1]))
    if labelled and labelled[0] == "speaker" and labels.only_names(labelled[1]):
        # "### 主讲人：张三": a label standing as a heading names this section and the talk above it ("### 第二个话题的
        # Speaker 是张三" only this one, a talk of several).
        one_of_several = re.match(labels.ORDINAL_TALK, section.headings[-1])
        for talk in (section, *([] if one_of_several else talks[-2:-1])):
            section_people.add_people(talk, "speaker", labelled[1], section.start)
        return []
    if found:
        section.people = found[0] + section.people
        if not found[1] and len(talks) > 1:  # the heading is only a name: the talk is the section above
            named_children.setdefault(id(talks[-2]), []).append(found[0])
        return []
    if _SPEAKER_HEADING.match(section.headings[-1]) and section.units:
        # "## 分享嘉宾" / "### About the speaker": the name opens the text, and the talk is the section above.
        found_people = _listed_people(section, lines)
        for talk in (section, *talks[-2:-1]):
            talk.people = found_people + talk.people
        return found_people
    return None


_NUMBERED_TALK = re.compile(
    rf"^\s*(?:(?i:talk|session|presentation|lecture|keynote)\s*#?\d{{1,2}}\s*[:：.\-–—]|{labels.ORDINAL_TALK})"
)
_ATTENDEES = re.compile(
    r"^(?:参会|参加|与会|出席|到场)(?:人员|者|嘉宾|名单)|^(?:attendees|participants|who (?:came|attended))\b",
    re.IGNORECASE,
)
_QA_HEADING = re.compile(
    r"^(?:q\s*&\s*a|q\s*and\s*a|qa|questions?(?: (?:and|&) answers?)?|questions? from the audience|audience questions"
    r"|discussion|问答|提问|问答环节|互动问答|现场问答|现场提问|提问环节|答疑"
    r"|my (?:impressions|thoughts|reflections)|听后感|观后感)[:：]?$",  # "#My Impressions" of the talk above
    re.IGNORECASE,
)
_OPENING_SENTENCES = 6  # the prose opening a talk: its first paragraphs, a few sentences
_PANEL_BLOCKS = 6  # a panel's write-up says who sat on it within its first paragraphs


def _speaker_in_prose(section: Section, lines: list[str], blocks: int = 2) -> list[tuple[str, str | None]]:
    """The speaker a talk section's opening prose names: a bold name opening a paragraph, a name with its
    handle, "‘Title’ — by Name", "我听了某公司的张三的分享", within its first paragraphs."""
    first_blocks = sorted({u.block for u in section.units})[:blocks]
    opening = [u for u in section.units if u.block in first_blocks][:_OPENING_SENTENCES]
    panel_blocks = sorted({u.block for u in section.units})[:_PANEL_BLOCKS]
    for unit in (u for u in section.units if u.block in panel_blocks):
        if found := panelists.panelists(talk_runs.source_line(lines, unit)):
            return found  # "The panelists were [Jane Roe](url), [John Doe](url), …": a panel's people
    for unit in opening:
        starts_block = unit is next(u for u in opening if u.block == unit.block)
        line = talk_runs.source_line(lines, unit)
        found = (starts_block and prose_speakers.bold_opening(line)) or []
        in_list = bool(labels.LIST_MARKER.match(line))
        found = found or prose_speakers.speaker_in_sentence(unit.text, list_item=in_list)
        found = found or ([] if in_list else prose_speakers.set_off_title_by(line))  # '*Title* by [Jane Roe](url)'
        if unit is opening[0] and not in_list:  # "七牛的张三老师，介绍了…": the talk's text opens on its speaker
            found = found or prose_speakers.presenter_opening(line) or prose_speakers.titled_opening(unit.text)
            found = found or english_givers.bio_opening(unit.text)  # "Jane Roe is a software engineer who…"
        elif not in_list:  # "Tracking users is tricky. Jane Roe from Acme discussed how…"
            found = found or prose_speakers.presenter_in_sentence(unit.text)
        if found:
            return found
    return []


def _listed_people(section: Section, lines: list[str]) -> list[tuple[str, str | None]]:
    """The people a speakers heading ("## 嘉宾简介") lists: one per list item, or the name opening its text."""
    items = [u for u in section.units[:24] if labels.LIST_MARKER.match(talk_runs.source_line(lines, u))]
    listed = [
        p
        for u in items
        for p in name_lines.names_with_readings(u.text)
        or name_lines.from_opening_line(u.text, labelled=True)[:1]
        or name_lines.bare_name(u.text)  # "- 谢扬" under "#### 分享者"
    ]
    return listed or name_lines.from_opening_line(section.units[0].text, labelled=True)


def _people_from_tables(sections: list[Section], lines: list[str]) -> None:
    """Tables that name speakers, for sections that name no one yet: a `| 讲者 | Name |` row (or a table of
    one talk) names its own section; a schedule's rows name the sections headed by their talks' titles,
    and rows no heading takes are talks of the table's own section, one per row."""
    schedule: list[tuple[Section, tables.SpeakerRow]] = []
    for section in sections:
        rows = tables.speaker_rows(lines, section.start, section.end)
        own = [row for row in rows if not row.title] or (rows if len(rows) == 1 else [])
        if own and not _names_someone(section):
            section_people.add_people(section, "speaker", own[0].speakers, own[0].line)
        else:
            schedule += [(section, row) for row in rows if row.title]
    unmatched: dict[int, list[tuple[int, list[tuple[str, str | None]]]]] = {}
    for table_section, row in schedule:
        people = [p for p in speakers.split_people(row.speakers) if speakers.is_name_shaped(p[0])]
        headed = [s for s in sections if s.titled and tables.same_title(s.headings[-1], row.title)]
        for section in headed:
            if not _names_someone(section):
                section.people += people
        if not headed and people:
            unmatched.setdefault(id(table_section), []).append((row.line, people))
    for section in sections:
        talks = unmatched.get(id(section), [])
        if len(talks) >= 2 and not _names_someone(section) and not section.talks:
            talk_runs.set_talks(section, talks)  # the text before the first row (the header, an intro): no one's


def _names_someone(section: Section) -> bool:
    return any(p not in section.hosts for p in section.people)


def _note_speaker(sections: list[Section], front: dict, lines: list[str]) -> list[tuple[str, str | None]]:
    """A note's own speaker: a first line 'Name, Org', the presenter its opening prose names, or the one
    person it names as a speaker, early on."""
    opening = sections[0] if sections and sections[0].units else None
    if opening and (not opening.titled or opening.level == 1) and not any(s.people for s in sections):
        # "Marc Roe, FB AI Research" as the note's first line, or right under its one `# Title`.
        first = opening.units[0].text
        name = re.split(r"\s*[,，]\s*", first, maxsplit=1)
        plain_first_line = not front and not opening.titled and speakers.is_person(name[0])
        if len(first) <= 80 and (plain_first_line or speakers.is_clear_person(name[0])):
            return [(speakers.clean_name(name[0]), name[1] if len(name) > 1 else None)]
        # "For that first session Jane Roe was here to present her work…", in the paragraphs before any heading
        # (after the front matter, a line or a table of contents).
        if not opening.titled and (found := _speaker_in_prose(opening, lines, blocks=4)):
            return found
        if found := under_heading.presenters_with_roles(opening, lines):
            return found  # "Ken Kettle - General Manager, Acme" under the session's title and abstract
    speaking = [(s, p) for s in sections for p in s.people if p not in s.hosts]
    if len({name for _, (name, _) in speaking}) != 1:
        return []
    where = speaking[0][0]
    heading = where.headings[-1] if where.titled else ""
    about_the_note = not heading or bool(_ABOUT_HEADING.match(heading) or _SPEAKER_HEADING.match(heading))
    return [speaking[0][1]] if about_the_note and where.start <= sections[0].start + EARLY_LINES else []


# A section about the note itself rather than a talk in it: its one speaker gives the whole note.
_ABOUT_HEADING = re.compile(
    r"^(?:基本信息|活动信息|讲座信息|会议信息|信息|简介|介绍|概况|概要|摘要|导读|info|information|details|about"
    r"|(?:brief |short )?(?:overview|summary)(?: of (?:the|this) (?:talk|lecture|session|keynote|presentation))?"
    r"|event details?)[:：]?$",
    re.IGNORECASE,
)


# "## 分享嘉宾", "# 特邀嘉宾：", "## 📍 演讲人", "## Invited speakers": a heading over the list of who speaks (a colon
# may close it, a symbol open it).
_SPEAKER_HEADING = re.compile(
    r"^[^\w]*(?:(?:分享者|分享人|讲者|讲师|主讲人|嘉宾)自我介绍|演讲人|主讲人|报告人|分享人|分享者|报告嘉宾|分享嘉宾|嘉宾介绍|嘉宾简介|讲者简介|讲师简介|演讲者简介|嘉宾|讲者介绍|讲者信息|演讲者信息|演讲者介绍|讲师介绍|主讲人介绍|关于讲者|讲者|演讲者|讲师"
    r"|特邀嘉宾|演讲嘉宾|主讲嘉宾|与谈嘉宾|嘉宾名单|嘉宾阵容"
    r"|about the speakers?|speakers?|speaker bios?|the speakers?|panelists|the panel|(?:invited|guest) speakers?"
    r"|presenters?|instructors?|lecturers?|guests?|authors?)\s*[:：]?$",  # "#### Author:" over a tutorial's author
    re.IGNORECASE,
)


def _own_talks(sections: list[Section], parents: dict[int, Section]) -> None:
    """A section no one's yet, in no one's talk, whose heading or opening paragraphs say the writer gave a talk
    ("# I gave a talk!", "On Thursday, I gave my talk about sol2") is the writer's talk."""
    for section in sections:
        above = templates.ancestors(section, parents)
        if section.people or section.talks or any(s.people for s in above) or not section.titled:
            continue
        texts = [section.headings[-1], *(unit.text for unit in section.units[:3])]
        if any(writer.gives_own_talk(text) for text in texts):
            section.people = [(writer.WRITER, None)]


def _second_block_end(section: Section) -> int:
    """The last line of a section's first two paragraphs (or list items)."""
    blocks = sorted({unit.block for unit in section.units})[:2]
    return max((unit.end for unit in section.units if unit.block in blocks), default=section.start)


def _opening(section: Section) -> str:
    return section.units[0].text if section.units else ""
