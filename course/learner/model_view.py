"""Model answers, the weak-to-strong rewrite, situations and follow-up guides, shown as safe HTML.

Lessons 05 and 06 show the content of model_answers.yaml, situations.yaml and follow_ups.yaml.
The `*_html` functions return escaped HTML strings (tested without a browser); `picker`,
`situations` and `follow_ups` wrap them in ipywidgets so that a lesson cell is one line. Every
text comes from course/content/ through course.learner.content, never retyped here.
"""

from __future__ import annotations

import difflib
from typing import Any

from course.learner import content
from course.learner.safe import escape
from course.speaking import count_words, seconds_for_words

__all__ = [
    "CSS",
    "answer_html",
    "follow_up_html",
    "follow_ups",
    "picker",
    "rewrite_html",
    "situation_html",
    "situations",
]

# Dark text on pale backgrounds (above 7:1 contrast); every move tag carries its name in words,
# so colour is never the only signal.
CSS = """<style>
.mv {line-height: 1.55; max-width: 60rem;}
.mv h4 {margin: 0.6em 0 0.2em 0;}
.mv .mv-muted {color: var(--jp-content-font-color2, #444444);}
.mv blockquote {margin: 6px 0 10px 0; padding: 4px 12px;
  border-left: 4px solid var(--jp-brand-color1, #0b5394);}
.mv table.mv-lines {border-collapse: collapse; width: 100%;}
.mv table.mv-lines th, .mv table.mv-lines td {text-align: left; vertical-align: top;
  padding: 4px 8px; border-bottom: 1px solid var(--jp-border-color2, #dddddd);}
.mv .mv-move {display: inline-block; padding: 1px 6px; margin: 1px 4px 1px 0;
  border-radius: 3px; font-size: 0.9em; white-space: nowrap;}
.mv .mv-aspiration {background: #e3ecfa; color: #0b2e66;}
.mv .mv-alignment {background: #f3e5f5; color: #4a1259;}
.mv .mv-skills {background: #e6f4ea; color: #0d4a1f;}
.mv .mv-goal {background: #fff4d6; color: #5a3d00;}
.mv .mv-evidence {background: #eeeeee; color: #222222;}
.mv .mv-contribution {background: #e0f2f1; color: #0b4a45;}
.mv .mv-context {background: #fde8e8; color: #7a1010;}
.mv ins {background: #e6f4ea; color: #0d4a1f; text-decoration: underline;}
.mv del {background: #fde8e8; color: #7a1010;}
.mv .mv-step {border-left: 3px solid var(--jp-border-color1, #bdbdbd); padding: 2px 12px;
  margin: 10px 0;}
</style>"""


def _moves_html(moves: tuple[str, ...], labels: Any) -> str:
    return "".join(
        f'<span class="mv-move mv-{escape(m)}">{escape(labels.get(m, m))}</span>' for m in moves
    )


def _company_line(company: content.Company) -> str:
    return f"{escape(company.role)} at {escape(company.name)} ({escape(company.industry)})"


def _timing(text: str) -> str:
    words = count_words(text)
    return f"{words} words, about {round(seconds_for_words(words))} seconds spoken"


def answer_html(answer_id: str) -> str:
    """One model answer: who says it, the whole answer, then each sentence with its moves."""
    models = content.model_answers()
    a = models.answer(answer_id)
    rows = "".join(
        f"<tr><td>{n}</td><td>{escape(s.text)}</td><td>{_moves_html(s.moves, models.move_labels)}"
        + (f'<br><span class="mv-muted">{escape(s.note)}</span>' if s.note else "")
        + "</td></tr>"
        for n, s in enumerate(a.sentences, 1)
    )
    see_also = ""
    if a.situation:
        found = {s.id: s for s in content.situations()}
        if a.situation in found:
            see_also = (
                '<p class="mv-muted">More for this situation: the note '
                f"<em>{escape(found[a.situation].title)}</em> below.</p>"
            )
    return (
        f'{CSS}<div class="mv">'
        f"<h4>{escape(a.name)}: {escape(a.persona.lower())}</h4>"
        f"<p>{escape(a.description)}</p>"
        f'<p class="mv-muted">Applying for: {_company_line(a.company)}. '
        f"The company is fictional. {_timing(a.text)}.</p>"
        "<p><strong>Read it whole first, ideally aloud:</strong></p>"
        f"<blockquote>{escape(a.text)}</blockquote>"
        "<p><strong>Then sentence by sentence, with what each one does:</strong></p>"
        '<table class="mv-lines"><thead><tr><th scope="col">#</th><th scope="col">Sentence</th>'
        f'<th scope="col">What it does</th></tr></thead><tbody>{rows}</tbody></table>'
        f"{see_also}</div>"
    )


def _diff_html(old: str, new: str) -> str:
    """`new`, with words added since `old` marked <ins> and words removed shown in <del>."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(f'<del aria-label="removed">{escape(" ".join(a[i1:i2]))}</del>')
        if j2 > j1:
            out.append(f'<ins aria-label="added">{escape(" ".join(b[j1:j2]))}</ins>')
    return " ".join(out)


def rewrite_html() -> str:
    """The weak draft, then each step: the rubric criterion it fixes, why, and what changed."""
    rewrite = content.model_answers().rewrite
    rubric = content.rubric()
    parts = [
        f'{CSS}<div class="mv">',
        f"<p>{escape(rewrite.description)}</p>",
        f'<div class="mv-step"><h4>The first draft</h4><p class="mv-muted">'
        f"{_timing(rewrite.draft)}</p><blockquote>{escape(rewrite.draft)}</blockquote></div>",
    ]
    previous = rewrite.draft
    for n, step in enumerate(rewrite.steps, 1):
        criterion = rubric.criterion(step.criterion)
        parts.append(
            f'<div class="mv-step"><h4>Step {n}: {escape(criterion.name)}</h4>'
            f'<p class="mv-muted">Rubric: {escape(criterion.question)}</p>'
            f"<p>{escape(step.change)}</p>"
            f'<p class="mv-muted">After this step ({_timing(step.text)}); '
            "new words are underlined, removed words struck through:</p>"
            f"<blockquote>{_diff_html(previous, step.text)}</blockquote></div>"
        )
        previous = step.text
    parts.append(
        "<p><strong>The result</strong>, clean:</p>"
        f"<blockquote>{escape(previous)}</blockquote></div>"
    )
    return "".join(parts)


def situation_html(situation_id: str) -> str:
    """One situation note: who it is for, the advice, and a weak and a strong example."""
    found = {s.id: s for s in content.situations()}
    s = found[situation_id]
    advice = "".join(f"<li>{escape(point)}</li>" for point in s.advice)
    model = ""
    if s.model_answer:
        a = content.model_answers().answer(s.model_answer)
        model = (
            f'<p class="mv-muted">A full answer in this situation: {escape(a.name)}, '
            f"{escape(a.persona.lower())}, among the model answers.</p>"
        )
    return (
        f'{CSS}<div class="mv"><h4>{escape(s.title)}</h4>'
        f'<p class="mv-muted">For: {escape(s.who)}</p><ul>{advice}</ul>'
        "<p><strong>Instead of:</strong></p>"
        f"<blockquote>{escape(s.example.weak)}</blockquote>"
        "<p><strong>Try:</strong></p>"
        f"<blockquote>{escape(s.example.strong)}</blockquote>"
        f"<p><strong>Why:</strong> {escape(s.example.why)}</p>{model}</div>"
    )


def follow_up_html(guide_id: str) -> str:
    """One follow-up question: how to answer it, a model reply, and a prompt to practise."""
    guide = {g.id: g for g in content.follow_up_guides()}[guide_id]
    a = content.model_answers().answer(guide.reply_persona)
    points = "".join(f"<li>{escape(point)}</li>" for point in guide.guidance)
    return (
        f'{CSS}<div class="mv"><h4>\u201c{escape(guide.question)}\u201d</h4><ul>{points}</ul>'
        f"<p><strong>{escape(a.name)}</strong> ({escape(a.persona.lower())}, applying for "
        f"{_company_line(a.company)}) might reply:</p>"
        f"<blockquote>{escape(guide.reply)}</blockquote>"
        f"<p><strong>Your turn.</strong> Answer aloud in about 30 seconds: "
        f"<em>{escape(guide.practice)}</em></p></div>"
    )


# --------------------------------------------------------------------------- widgets


#: Where lesson 05 keeps the model answer the learner last chose (not an exercise: no score).
PICKED = "model-answer-picked"


def picker(lesson: Any = None) -> Any:
    """A dropdown of the model answers' personas and the chosen answer, annotated (lesson 05).

    With the lesson, the choice is saved and shown again when the lesson is reopened."""
    import ipywidgets as W

    answers = content.model_answers().answers
    ids = [a.id for a in answers]
    saved = lesson.answer(PICKED) if lesson is not None else None
    first = saved if saved in ids else ids[0]
    choose = W.Dropdown(
        options=[(f"{a.persona} ({a.name})", a.id) for a in answers],
        value=first,
        description="Closest to you:",
        style={"description_width": "initial"},
        layout=W.Layout(width="auto"),
    )
    shown = W.HTML(value=answer_html(first))

    def chosen(change: dict[str, Any]) -> None:
        shown.value = answer_html(change["new"])
        if lesson is not None and not lesson.store.read_only:
            lesson.store.set(PICKED, change["new"])

    choose.observe(chosen, "value")
    return W.VBox([choose, shown])


def _accordion(items: list[tuple[str, str]]) -> Any:
    import ipywidgets as W

    panes = W.Accordion(children=[W.HTML(value=html) for _title, html in items])
    panes.titles = tuple(title for title, _html in items)
    panes.selected_index = None
    return panes


def situations() -> Any:
    """The situation notes, one collapsible pane each (open the one that fits you)."""
    return _accordion([(s.title, situation_html(s.id)) for s in content.situations()])


def follow_ups() -> Any:
    """The guided follow-up questions, one collapsible pane each (lesson 06)."""
    return _accordion([(g.question, follow_up_html(g.id)) for g in content.follow_up_guides()])
