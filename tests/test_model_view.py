"""Model answers, rewrite, situations and follow-up guides on screen: complete, escaped, live."""

from __future__ import annotations

import dataclasses

import pytest

from course.learner import content, model_view


def test_every_model_answer_shows_its_text_each_sentence_and_its_moves():
    models = content.model_answers()
    for a in models.answers:
        html = model_view.answer_html(a.id)
        assert a.name in html and a.company.role.split(" (")[0] in html
        for s in a.sentences:
            assert model_view.escape(s.text) in html
            for move in s.moves:
                assert f'class="mv-move mv-{move}">{models.move_labels[move]}<' in html
        assert "seconds spoken" in html


def test_the_rewrite_shows_every_step_with_its_rubric_criterion_and_the_changes():
    html = model_view.rewrite_html()
    rewrite = content.model_answers().rewrite
    positions = []
    for n, step in enumerate(rewrite.steps, 1):
        title = f"Step {n}: {content.rubric().criterion(step.criterion).name}"
        assert title in html
        positions.append(html.index(title))
    assert positions == sorted(positions)
    assert "<ins" in html and "<del" in html
    assert model_view.escape(rewrite.steps[-1].text) in html


def test_word_diff_marks_only_what_changed():
    import re

    html = model_view._diff_html("Well I guess I like data", "Well I like data a lot")
    assert html.startswith("Well ") and html.count("<del") == html.count("<ins") == 1
    assert sorted(re.search(r"<del[^>]*>(.*?)</del>", html)[1].split()) == ["I", "guess"]
    assert html.endswith('data <ins aria-label="added">a lot</ins>')
    # without the removed words and the tags, what is left is the new text
    kept = re.sub(r"<[^>]+>", "", re.sub(r"<del[^>]*>.*?</del> ?", "", html))
    assert kept == "Well I like data a lot"


def test_situations_and_follow_ups_render_their_examples_and_prompts():
    for s in content.situations():
        html = model_view.situation_html(s.id)
        assert model_view.escape(s.example.strong) in html and model_view.escape(s.title) in html
    for g in content.follow_up_guides():
        html = model_view.follow_up_html(g.id)
        assert model_view.escape(g.practice) in html and model_view.escape(g.reply) in html


def test_content_text_is_escaped(monkeypatch):
    models = content.model_answers()
    evil = "<script>alert(1)</script> & \u202eevil"
    first = models.answers[0]
    sentence = dataclasses.replace(first.sentences[0], text=evil, note="<b>note</b>")
    patched = dataclasses.replace(
        models,
        answers=(dataclasses.replace(first, name="<i>x</i>", sentences=(sentence,)),),
        rewrite=dataclasses.replace(models.rewrite, draft=evil),
    )
    monkeypatch.setattr(content, "model_answers", lambda: patched)
    for html in (model_view.answer_html(first.id), model_view.rewrite_html()):
        assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>note</b>" not in model_view.answer_html(first.id)
    assert "<i>x</i>" not in model_view.answer_html(first.id)


def test_picker_shows_the_chosen_persona():
    box = model_view.picker()
    dropdown, shown = box.children
    assert len(dropdown.options) == len(content.model_answers().answers)
    dropdown.value = "apprentice"
    assert "Kofi" in shown.value and "Ines" not in shown.value
    with pytest.raises(KeyError):
        model_view.answer_html("nobody")


def test_picker_remembers_the_choice_across_a_restart(tmp_path):
    from course.learner.lesson import Lesson

    lesson = Lesson("05-draft-your-answer", folder=tmp_path)
    dropdown, _shown = model_view.picker(lesson).children
    dropdown.value = "apprentice"
    reopened = Lesson("05-draft-your-answer", folder=tmp_path)
    dropdown, shown = model_view.picker(reopened).children
    assert dropdown.value == "apprentice" and "Kofi" in shown.value


def test_accordions_start_closed_with_one_pane_per_note():
    panes = model_view.situations()
    assert panes.selected_index is None
    assert list(panes.titles) == [s.title for s in content.situations()]
    assert len(model_view.follow_ups().children) == len(content.follow_up_guides())
