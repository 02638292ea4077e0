"""What the page adds to Gradio's: its CSS (colours meeting WCAG AA contrast, 4.5:1, in light and dark
mode) and a script for what Gradio's chatbot does not offer."""

CSS = """
.rag-answer, .rag-details { --rag-subdued: #4b5563; --rag-cite: #c2410c; }
.dark .rag-answer, .dark .rag-details { --rag-subdued: #d1d5db; --rag-cite: #fb923c; }
.rag-answer p { margin: 0 0 .4em 0; }
.rag-answer ul { margin: .2em 0 .6em 1.2em; padding: 0; }
.rag-cite { color: var(--rag-cite); font-weight: 600; white-space: nowrap; }
.rag-label { display: inline-block; font-weight: 600; font-size: .85em; padding: .1em .6em; margin-bottom: .4em;
  border-radius: 999px; background: #fef3c7; color: #92400e; }
.rag-abstained { border-left: 4px solid #f59e0b; padding-left: .7em; }
.rag-abstained .rag-message { font-style: italic; }
.rag-notice { color: var(--rag-subdued); font-style: italic; }
.rag-understood { font-size: .85em; color: var(--rag-subdued); margin-bottom: .3em; }
.rag-understood::before { content: "↪ "; }
.rag-unsupported { text-decoration: underline dotted #d97706; text-underline-offset: 3px; }
.rag-unsupported-note { font-size: .85em; color: #b45309; }
.rag-error { color: #b91c1c; }
.rag-filters, .rag-muted { color: var(--rag-subdued); font-size: .85em; }
.rag-pending { color: var(--rag-subdued); }
.rag-sources { margin-top: .6em; padding-top: .5em; border-top: 1px solid var(--border-color-primary, #e5e7eb); }
.rag-sources-title { font-weight: 600; font-size: .9em; margin-bottom: .3em; }
.rag-sources ol { list-style: none; margin: 0; padding: 0; }
.rag-source { margin: 0 0 .7em 0; }
.rag-source-path { font-weight: 600; }
.rag-source-meta { font-size: .85em; color: var(--rag-subdued); }
.rag-source-meta code { font-size: .95em; }
.rag-snippet { margin: .25em 0; padding: .2em .6em; border-left: 3px solid var(--border-color-primary, #e5e7eb);
  font-size: .92em; }
.rag-snippet mark { background: #fde68a; color: inherit; padding: 0 .1em; border-radius: 2px; }
.rag-images { display: flex; flex-wrap: wrap; gap: 4px; margin-top: .2em; font-size: .8em; }
.rag-cited-slide img { height: 160px !important; }
.rag-images img { height: 72px; width: auto; border: 1px solid var(--border-color-primary, #e5e7eb); border-radius: 3px; }
.rag-image-name { color: var(--rag-subdued); }
.rag-image-list { flex-basis: 100%; color: var(--rag-subdued); }
.rag-image-list summary { cursor: pointer; }
.rag-image-list[open] summary { margin-bottom: .2em; }
.rag-image-list .rag-image-name { margin-right: .6em; }
.rag-details table { border-collapse: collapse; width: 100%; font-size: .85em; }
.rag-details th, .rag-details td { border-bottom: 1px solid var(--border-color-primary, #e5e7eb); padding: .25em .4em;
  text-align: left; vertical-align: top; }
.rag-details td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rag-details tr.cited td { background: var(--color-accent-soft, #fff7ed); }
"""

# Run once when the page loads. Gradio copies each message's HTML into its aria-label, so screen readers
# would read markup: the label gets the message's text instead. And while an answer arrives, the question
# it answers is kept at the top of the chat (Gradio's autoscroll is off), so a long answer does not push
# the question out of view; once the answer is complete the reader scrolls freely.
SCRIPT = """
() => {
  const PREFIX = /^[^:]{1,40}'s message: /;
  let pinned = null;
  const relabel = (node) => {
    const label = node.getAttribute('aria-label') || '';
    const prefix = label.match(PREFIX);
    if (!prefix) return;
    const text = prefix[0] + node.textContent.replace(/\\s+/g, ' ').trim();
    if (label !== text) node.setAttribute('aria-label', text);
  };
  const pin = (chat) => {
    const rows = chat.querySelectorAll('.message-row');
    const questions = chat.querySelectorAll('.message-row.user-row');
    const question = questions[questions.length - 1];
    if (!question) return;
    const last = rows[rows.length - 1];
    const answered = last !== question && last.querySelector('.rag-sources, .rag-notice, .rag-error');
    if (question === pinned && answered) return;
    const wrap = question.closest('.bubble-wrap');
    if (!wrap) return;
    wrap.scrollTop += question.getBoundingClientRect().top - wrap.getBoundingClientRect().top - 8;
    pinned = answered ? question : null;
  };
  new MutationObserver(() => {
    const chat = document.querySelector('#chat');
    if (!chat) return;
    chat.querySelectorAll('[aria-label]').forEach(relabel);
    pin(chat);
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ['aria-label']});
}
"""
