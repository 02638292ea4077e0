"""The retrieval details panel: how the question was read and every chunk considered, with its scores."""

from __future__ import annotations

from collections.abc import Sequence

import rag

from .escape import esc
from .render import who


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def render_details(
    answer: rag.Answer, scores: Sequence[float], speaker: str | None = None, note: str | None = None
) -> str:
    """How the question was read and every chunk considered: its score (`scores`, one per hit, as Index.scores
    gives them: the number its citation shows under Sources), then its dense, keyword and fused scores."""
    query = answer.query
    understood = [f"topic “{esc(query.topic)}”", f"answer language {esc(query.language)}"]
    if query.rewritten:
        understood.insert(0, f"rewritten by the language model as “{esc(query.rewritten)}”")
    if query.speaker:
        if query.carried_over:
            source = "from the previous question"
        elif speaker and query.speaker == speaker:
            source = "from the speaker filter"
        else:
            source = "named in the question"
        understood.insert(0, f"speaker {esc(query.speaker)} ({source})")
    if query.unknown_person:
        understood.insert(0, f"asks about {esc(query.unknown_person)}, who is not a speaker in the notes")
    if query.unknown_term:
        understood.insert(0, f"asks about {esc(query.unknown_term)}, which no note mentions")
    if query.mentioned:
        understood.insert(0, f"asks about {esc(query.mentioned)}, whom the notes mention but give no section")
    if query.asks_for:
        understood.insert(0, f"asks for a {esc(query.asks_for)}: only a section giving one answers")
    filters = [f"speaker = {esc(speaker)}"] if speaker else []
    if note:
        filters.append(f"note = {esc(note)}")
    cited = {id(c.chunk): c.n for c in answer.citations}
    cited_locations = {c.chunk.location: c.n for c in answer.citations}
    rows = []
    for rank, (hit, score) in enumerate(zip(answer.hits, scores, strict=True), start=1):
        chunk = hit.chunk
        n = cited.get(id(hit.chunk), cited_locations.get(chunk.location))
        mark = f'<span class="rag-cite">[{n}]</span>' if n else ""
        rows.append(
            f'<tr class="{"cited" if n else ""}"><td class="num">{rank}</td><td>{mark}</td>'
            f"<td>{esc(' › '.join((chunk.title, *chunk.headings)))}</td><td>{esc(who(chunk))}</td>"
            f"<td><code>{esc(chunk.location)}</code></td><td class='num'>{score:.2f}</td>"
            f"<td class='num'>{_score(hit.dense)}</td>"
            f"<td class='num'>{_score(hit.keyword)}</td><td class='num'>{hit.score:.4f}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>#</th><th>cited</th><th>note › section</th><th>speaker</th><th>lines</th>"
        "<th>score</th><th>dense</th><th>keyword</th><th>fused</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="rag-muted">No chunk passed the filters.</p>'
    )
    return (
        '<div class="rag-details">'
        f"<p><b>Understood as:</b> {'; '.join(understood)}.</p>"
        f"<p><b>Filters:</b> {'; '.join(filters) if filters else 'none'}. "
        f"<b>Answer:</b> {'abstained' if answer.abstained else f'{len(answer.citations)} source(s) cited'}.</p>"
        f"{table}"
        '<p class="rag-muted">score: how well the section answers the question, as under Sources: 0–1, 0.5 at '
        "the abstention threshold (only the first three can answer; every section of a talk asked for scores 1); "
        "dense: cosine similarity of question and chunk; keyword: BM25 score (— when the chunk was not among the "
        "keyword candidates); fused: reciprocal-rank fusion of the rankings, which orders the list.</p></div>"
    )
