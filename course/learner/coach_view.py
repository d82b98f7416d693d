"""The coach on screen: safe HTML for its feedback, and the Draft exercise wired to it.

`render_feedback` turns `coach.analyze(...).to_dict()` into HTML (the score, each criterion's
level with the rubric's descriptor, the flags and tips), escaping everything. `coach_draft`
builds lesson 05's Draft with the coach as its analyser and a radar chart that redraws after
each pause in typing. Under nbgrader (NBGRADER_EXECUTION set) no chart is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from course.learner import content
from course.learner.safe import clip, isolate
from course.learner.widgets import Draft, escape, render_speaking_time

__all__ = [
    "CoachDraft",
    "coach_analyser",
    "coach_draft",
    "length_advice_markdown",
    "render_analysis",
    "render_feedback",
    "render_sentences",
    "rubric_html",
]

#: JupyterLab right-aligns table cells in HTML outputs; rubric text reads better left-aligned.
LEFT = "text-align:left;vertical-align:top"

LEVEL_STYLE = {
    3: ("cak-ok", "\u2714"),
    2: ("cak-warn", "\u25d1"),
    1: ("cak-bad", "\u2718"),
}


def _level(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3):
        return None
    return value


def _flag_name(flag: Any) -> str:
    """A flag in plain English (coach.FLAG_LABELS); an unknown id made readable."""
    from course.coach import FLAG_LABELS

    label = FLAG_LABELS.get(str(flag)) or str(flag).replace("_", " ").strip()
    return label[:1].upper() + label[1:]


def render_feedback(feedback: Mapping[str, Any], rubric: content.Rubric | None = None) -> str:
    """Safe HTML for one coach analysis: score, a row per criterion, flags and tips.

    Reads the `Feedback.to_dict()` format, plus an optional `why` (criterion -> the coach's
    reason, as `coach_analyser` adds). Where a criterion is below 3 and the coach gave its
    reason, the row shows that reason instead of the rubric's generic descriptor, which can
    contradict it (a good length, yet "somewhat short or long" because the shape is missing).
    Anything missing or of the wrong type is shown as "not rated" instead of raising. The
    learner's own sentences appear only escaped and clipped: quoted in the tips and in the
    sentence-by-sentence table.
    """
    rubric = rubric or content.rubric()
    if not isinstance(feedback, Mapping):
        return '<div class="cak-warn">No feedback to show.</div>'
    criteria = feedback.get("criteria")
    criteria = criteria if isinstance(criteria, Mapping) else {}
    words = feedback.get("words")
    if isinstance(words, int) and not isinstance(words, bool) and words == 0:
        return render_speaking_time({"words": 0, "seconds": 0.0})
    top = 3 * len(rubric.criteria)
    score = feedback.get("score")
    score_text = escape(score) if isinstance(score, int) and not isinstance(score, bool) else "?"
    parts = [f'<div class="cak-title">Coach score: {score_text} of {top}</div>']
    if isinstance(words, int) and isinstance(feedback.get("seconds"), (int, float)):
        parts.append(render_speaking_time({"words": words, "seconds": feedback["seconds"]}))
    why = feedback.get("why")
    why = why if isinstance(why, Mapping) else {}
    rows = []
    for criterion in rubric.criteria:
        level = _level(criteria.get(criterion.id))
        reason = why.get(criterion.id)
        if level is None:
            verdict = '<span class="cak-miss">\u25cb not rated</span>'
            descriptor = ""
        else:
            css, symbol = LEVEL_STYLE[level]
            name = rubric.level_names[level - 1]
            verdict = f'<span class="{css}">{symbol} {level} {escape(name)}</span>'
            if level < 3 and isinstance(reason, str) and reason.strip():
                descriptor = f"<b>Why:</b> {escape(_sentence(reason))}"
            else:
                descriptor = escape(criterion.levels[level - 1])
        rows.append(
            f'<tr><th scope="row" style="{LEFT}">{escape(criterion.name)}</th>'
            f'<td style="white-space:nowrap;{LEFT}">{verdict}</td>'
            f'<td style="{LEFT}">{descriptor}</td></tr>'
        )
    parts.append(
        '<table class="cak-feedback"><caption style="text-align:left">Each criterion: its '
        "level, and why (for a level below 3) or what the level means in the rubric</caption>"
        f'<thead><tr><th scope="col" style="{LEFT}">Criterion</th>'
        f'<th scope="col" style="{LEFT}">Level</th>'
        f'<th scope="col" style="{LEFT}">Why, or what that level means</th></tr></thead><tbody>'
        f"{''.join(rows)}</tbody></table>"
    )
    flags = [f for f in feedback.get("flags") or [] if isinstance(f, str)]
    if flags:
        named = "".join(f"<li>{escape(_flag_name(f))}</li>" for f in flags)
        parts.append(f'<div class="cak-warn">\u26a0 Watch out for:<ul>{named}</ul></div>')
    tips = [t for t in feedback.get("tips") or [] if isinstance(t, str)]
    if tips:
        items = "".join(f"<li>{isolate(clip(t, MAX_TIP_CHARS))}</li>" for t in tips)
        parts.append(f'<div class="cak-note"><b>What to try next</b><ul>{items}</ul></div>')
    parts.append(render_sentences(feedback.get("sentences"), rubric))
    return "".join(parts)


#: A tip quotes a sentence of the learner's; a pasted wall of text is clipped on screen.
MAX_TIP_CHARS = 400
MAX_SENTENCE_CHARS = 240
MAX_SENTENCES_SHOWN = 40


def render_sentences(sentences: Any, rubric: content.Rubric | None = None) -> str:
    """Safe HTML: each sentence of the draft with its move, the criterion it serves and why.

    Reads `Feedback.to_dict()["sentences"]`; the learner's sentences are escaped, isolated
    (bidi) and clipped. Anything malformed is skipped; no sentences, no table.
    """
    if not isinstance(sentences, list) or not sentences:
        return ""
    rubric = rubric or content.rubric()
    names = {c.id: c.name for c in rubric.criteria}
    rows = []
    for n, s in enumerate(sentences[:MAX_SENTENCES_SHOWN], 1):
        if not isinstance(s, Mapping):
            continue
        features = [f for f in s.get("features") or [] if isinstance(f, str)]
        why = f"<br><small>{escape('; '.join(features))}</small>" if features else ""
        serves = names.get(str(s.get("criterion") or ""), "")
        rows.append(
            f'<tr><td style="{LEFT}">{n}</td>'
            f'<td style="{LEFT}">{isolate(clip(s.get("text", ""), MAX_SENTENCE_CHARS))}</td>'
            f'<td style="{LEFT}">{escape(s.get("label", ""))}{why}</td>'
            f'<td style="{LEFT}">{escape(serves)}</td></tr>'
        )
    return (
        '<details class="cak-sentences"><summary>Your answer, sentence by sentence: what each '
        'one does</summary><table class="cak-feedback"><thead><tr>'
        f'<th scope="col" style="{LEFT}">#</th><th scope="col" style="{LEFT}">Sentence</th>'
        f'<th scope="col" style="{LEFT}">What it does (and the words that show it)</th>'
        f'<th scope="col" style="{LEFT}">Criterion it serves</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def _sentence(text: str) -> str:
    """A coach reason as a sentence: capital first letter, full stop at the end."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def rubric_html(rubric: content.Rubric | None = None) -> str:
    """The rubric as an accessible HTML table (from rubric.yaml, never retyped)."""
    rubric = rubric or content.rubric()
    head = "".join(
        f'<th scope="col" style="{LEFT}">{n} {escape(name)}</th>'
        for n, name in enumerate(rubric.level_names, 1)
    )
    body = "".join(
        f'<tr><th scope="row" style="{LEFT}">{escape(c.name)}<br>'
        f"<small>{escape(c.question)}</small></th>"
        + "".join(f'<td style="{LEFT}">{escape(text)}</td>' for text in c.levels)
        + "</tr>"
        for c in rubric.criteria
    )
    return (
        '<table class="cak-rubric"><caption style="text-align:left">The rubric for a drafted '
        f'answer</caption><thead><tr><th scope="col" style="{LEFT}">Criterion</th>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table>"
    )


def length_advice_markdown() -> str:
    """The length guidance as Markdown, computed from course.speaking (never retyped)."""
    from course import speaking as sp

    def span(low: int, high: int) -> str:
        words = f"{sp.words_for_seconds(low)} to {sp.words_for_seconds(high)}"
        return f"{low} to {high} seconds (about {words} words)"

    return (
        "**How long?** Guidance ranges from under a minute to two minutes; the most common "
        f"advice is **{span(sp.ADVISED_MIN_SECONDS, sp.ADVISED_MAX_SECONDS)}**, at about "
        f"{sp.WORDS_PER_MINUTE} spoken words a minute. The rubric's strong range is a little "
        f"wider, {span(sp.STRONG_MIN_SECONDS, sp.STRONG_MAX_SECONDS)}. Under about "
        f"{sp.TOO_SHORT_SECONDS} seconds there is no room for an aspiration and a reason; over "
        f"about {sp.RAMBLING_SECONDS // 60} minutes the answer rambles. The coach below counts "
        "your words and converts them to speaking time as you type."
    )


def coach_analyser(company: Mapping[str, Any] | None = None) -> Callable[[str], dict]:
    """`text -> coach.analyze(text, company).to_dict()` plus `why` (criterion -> reason)."""
    from course import coach

    def analyse(text: str) -> dict[str, Any]:
        feedback = coach.analyze(text, company)
        return {**feedback.to_dict(), "why": dict(zip(coach.CRITERIA, feedback.why, strict=True))}

    return analyse


def render_analysis(analysis: Any) -> str:
    """Safe HTML for a Draft analysis: the coach's view, or speaking time for a plain count."""
    if isinstance(analysis, Mapping) and "criteria" in analysis:
        return render_feedback(analysis)
    return render_speaking_time(analysis)


class CoachDraft(Draft):
    """A Draft whose headless summary reports the coach's score, analysed as soon as it is set."""

    def _apply_live(self, value: Any) -> None:
        super()._apply_live(value)
        if self._pending is not None:  # a value set by code is analysed now, not after a pause
            self._pending.cancel()
        self.analyse_now()

    def check_html(self, analysis: Any) -> str:
        """Safe HTML for Check: the coach's score, what to work on first and why, one tip."""
        if not isinstance(analysis, Mapping) or "criteria" not in analysis:
            return super().check_html(analysis)
        if not analysis.get("words"):
            return '<div class="cak-miss">Nothing to check yet: type your answer above.</div>'
        rubric = content.rubric()
        criteria = analysis.get("criteria") or {}
        why = analysis.get("why") if isinstance(analysis.get("why"), Mapping) else {}
        levels = [(c, _level(criteria.get(c.id))) for c in rubric.criteria]
        rated = [(c, lvl) for c, lvl in levels if lvl is not None]
        score = sum(lvl for _c, lvl in rated)
        top = 3 * len(rubric.criteria)
        head = f"<b>Coach score {score} of {top}.</b>"
        weak = [(c, lvl) for c, lvl in rated if lvl < 3]
        if not weak:
            body = (
                "Every criterion is at 3 (strong). Now read it aloud with a timer, and rehearse "
                "the shape rather than the exact words."
            )
            return f'<div class="cak-ok">{head} {escape(body)}</div>'
        first, level = min(weak, key=lambda pair: pair[1])  # the lowest, in rubric order
        reason = why.get(first.id)
        because = f" {escape(_sentence(reason))}" if isinstance(reason, str) and reason else ""
        from course.coach import CRITERION_TIPS

        advice = CRITERION_TIPS.get(first.id, "")
        # The coach's own tip for it quotes the sentence it is about, where there is one.
        quoted = [t for t in analysis.get("tips") or [] if isinstance(t, str) and advice]
        advice = next((t for t in quoted if t.endswith(advice)), advice)
        tip = f" <i>Try this:</i> {isolate(clip(advice, MAX_TIP_CHARS))}" if advice else ""
        return (
            f'<div class="cak-warn">{head} Work on <b>{escape(first.name)}</b> first (level '
            f"{level} of 3).{because}{tip}</div>"
        )

    def summary(self) -> str:
        analysis = self.analyser(self.value)
        words = analysis.get("words", 0) if isinstance(analysis, Mapping) else 0
        seconds = analysis.get("seconds", 0.0) if isinstance(analysis, Mapping) else 0.0
        if not words:
            return f"{self.id}: not attempted (0 words)"
        line = f"{self.id}: {words} words, {float(seconds):.0f} s"
        if isinstance(analysis, Mapping) and "score" in analysis:
            line += f", coach score {analysis['score']}/{3 * len(content.rubric().criteria)}"
        return line


def _radar_listener(output: Any) -> Callable[[Any], None]:
    """A Draft listener that redraws the rubric radar chart into an ipywidgets Output."""
    rubric = content.rubric()

    def redraw(analysis: Any) -> None:
        if not isinstance(analysis, Mapping) or not isinstance(analysis.get("criteria"), Mapping):
            return
        if not analysis.get("words"):  # nothing typed yet: no chart of an empty draft
            output.outputs = ()
            return
        from course.learner import plots

        criteria = analysis["criteria"]
        fig, description = plots.rubric_radar(
            [c.name for c in rubric.criteria],
            [_level(criteria.get(c.id)) for c in rubric.criteria],
            rubric.level_names,
        )
        plots.show_in(output, fig, description)

    return redraw


def coach_draft(
    lesson: Any,
    exercise_id: str = "draft-answer",
    company: Mapping[str, Any] | None = None,
    *,
    title: str = "",
    prompt: str = "",
    chart: bool = True,
    **kwargs: Any,
) -> CoachDraft:
    """Show lesson 05's Draft with live coach feedback and a radar chart; return it.

    `lesson` is the notebook's Lesson: the draft is saved in its answers file and goes through
    Lesson.show (injected answers, headless summary line). Without course.coach the Draft falls
    back to word count and speaking time.
    """
    import ipywidgets as W

    analyser = coach_analyser(company)
    draft = CoachDraft(
        lesson.store,
        exercise_id,
        analyser=analyser,
        renderer=render_analysis,
        title=title,
        prompt=prompt,
        **kwargs,
    )
    if chart and not os.environ.get("NBGRADER_EXECUTION"):
        output = W.Output(layout=W.Layout(width="100%"))
        redraw = _radar_listener(output)
        draft.listeners.append(redraw)
        children = list(draft.widget.children)
        children.insert(children.index(draft.live) + 1, output)
        draft.widget.children = tuple(children)
        draft.chart = output
        redraw(draft.last_analysis)
    else:
        draft.chart = None
    return lesson.show(draft)
