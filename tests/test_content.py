"""Content loading: the shipped YAML validates; every kind of fault names file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.errors import ContentError
from course.learner import content


def test_shipped_content_validates():
    loaded = content.validate_all()
    assert {"rubric", "outline", "companies", "classify", "quiz"} <= set(loaded)


def test_rubric_has_six_criteria_with_three_levels_each():
    rubric = content.rubric()
    assert rubric.ids == (
        "aspiration",
        "alignment",
        "relevance",
        "confidence",
        "authenticity",
        "concision",
    )
    assert rubric.level_names == ("developing", "competent", "strong")
    assert all(len(c.levels) == 3 and all(c.levels) for c in rubric.criteria)


def test_outline_lists_the_seven_lessons_in_order():
    ids = [lesson.id for lesson in content.lessons()]
    assert ids == [
        "00-start-here",
        "01-aspirations-vs-goals",
        "02-research-the-company",
        "03-align-your-aspirations",
        "04-keep-it-relevant",
        "05-draft-your-answer",
        "06-practice-and-reflect",
    ]
    for lesson in content.lessons():
        assert lesson.objectives and lesson.key_points and lesson.minutes > 0


def test_at_least_three_company_profiles_ship():
    companies = content.companies()
    assert len(companies) >= 3
    for company in companies.values():
        mapping = company.as_mapping()
        assert set(mapping) == {"name", "industry", "role", "values", "plans", "skills"}
        assert all(isinstance(v, list) and v for k, v in mapping.items() if k.endswith("s"))


def test_frozen_dataclasses_cannot_be_changed():
    lesson = content.lessons()[0]
    with pytest.raises(AttributeError):
        lesson.title = "changed"  # type: ignore[misc]


GOOD_COMPANY = """name: Acme
industry: tools
role: Analyst
values: [honesty]
plans: [grow]
skills: [SQL]
"""


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        (GOOD_COMPANY.replace("name: Acme\n", ""), "name", "is missing"),
        (GOOD_COMPANY.replace("values: [honesty]", "values: honesty"), "values", "list of text"),
        (GOOD_COMPANY.replace("values: [honesty]", "values: []"), "values", "list of text"),
        (GOOD_COMPANY.replace("skills: [SQL]", "skills: [SQL, 3]"), "skills[1]", "text"),
        (GOOD_COMPANY.replace("role: Analyst", "role: ''"), "role", "non-empty text"),
    ],
)
def test_bad_company_profiles_name_file_entry_and_field(tmp_path, text, field, problem):
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        content.load_company(path)
    message = str(info.value)
    assert str(path) in message
    assert "'acme'" in message
    assert f"field '{field}'" in message
    assert problem in message
    assert info.value.field == field


def test_invalid_yaml_and_missing_file_name_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"bad\.yaml: is not valid YAML"):
        content.load_company(bad)
    with pytest.raises(ContentError, match="file not found"):
        content.load_company(tmp_path / "nope.yaml")


def test_a_company_file_that_is_a_list_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ContentError, match="expected a mapping"):
        content.load_company(path)


RUBRIC = """level_names: [a, b, c]
criteria:
  - id: aspiration
    name: Aspiration
    question: Q?
    levels: {1: one, 2: two, 3: three}
"""


def test_bad_rubric_entries_are_named(tmp_path):
    cases = [
        (RUBRIC.replace("3: three", "3: ''"), "aspiration", "levels.3"),
        (RUBRIC.replace("level_names: [a, b, c]", "level_names: [a, b]"), None, "level_names"),
        (RUBRIC.replace("    name: Aspiration\n", ""), "aspiration", "name"),
        (RUBRIC + RUBRIC.split("criteria:\n")[1], "(top level)", "criteria[1].id"),
    ]
    for text, entry, field in cases:
        with pytest.raises(ContentError) as info:
            content.parse_rubric(__import__("yaml").safe_load(text), "rubric.yaml")
        assert info.value.file == "rubric.yaml"
        assert info.value.field == field, text
        if entry:
            assert info.value.entry == entry


OUTLINE = """lessons:
  - id: 00-x
    title: X
    summary: S
    objectives: [o]
    key_points: [k]
    teach_minutes: 5
    practice_minutes: 5
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("teach_minutes: 5", "teach_minutes: five", "teach_minutes"),
        ("teach_minutes: 5", "teach_minutes: -1", "teach_minutes"),
        ("practice_minutes: 5", "practice_minutes: true", "practice_minutes"),
        ("id: 00-x", "id: 'bad id!'", "id"),
        ("objectives: [o]", "objectives: []", "objectives"),
    ],
)
def test_bad_outline_entries_are_named(old, new, field):
    import yaml

    with pytest.raises(ContentError) as info:
        content.parse_outline(yaml.safe_load(OUTLINE.replace(old, new)), "outline.yaml")
    assert info.value.field == field
    assert "outline.yaml" in str(info.value)


def test_bad_exercise_sets_are_named(tmp_path, monkeypatch):
    import yaml

    classify = {
        "sets": {
            "demo": {
                "prompt": "p",
                "labels": ["aspiration", "goal"],
                "hint": "h",
                "items": [{"id": "a", "text": "t", "label": "dream", "explanation": "e"}],
            }
        }
    }
    with pytest.raises(ContentError) as info:
        content._sets(classify, "classify.yaml", content._parse_classify)
    assert info.value.entry == "demo.items[0]" and info.value.field == "label"
    assert "expected one of aspiration, goal" in str(info.value)

    quiz = yaml.safe_load(
        """sets:
  q:
    prompt: p
    hint: h
    questions:
      - id: one
        text: t
        options:
          - {id: a, text: x, correct: true, feedback: f}
          - {id: b, text: y, correct: true, feedback: f}
"""
    )
    with pytest.raises(ContentError, match="exactly one option must be correct") as info:
        content._sets(quiz, "quiz.yaml", content._parse_quiz)
    assert info.value.entry == "q.questions[0]"


def test_every_content_file_is_valid_yaml_in_utf8():
    for path in Path(content.CONTENT_DIR).rglob("*.yaml"):
        path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- model answers


def test_model_answers_cover_the_personas_the_course_promises():
    answers = content.model_answers().answers
    ids = {a.id for a in answers}
    assert {
        "graduate",
        "career-changer",
        "returner",
        "apprentice",
        "experienced-mover",
        "internal-candidate",
    } <= ids
    assert len(answers) >= 6
    # shipped companies and inline profiles alike give the coach a full profile
    for a in answers:
        assert a.company.values and a.company.plans and a.company.skills, a.id


def test_every_model_answer_runs_60_to_90_seconds_and_makes_every_move():
    from course.speaking import count_words, speaking_seconds

    for a in content.model_answers().answers:
        assert 130 <= count_words(a.text) <= 195, a.id
        assert 60 <= speaking_seconds(a.text) <= 90, a.id
        made = {m for s in a.sentences for m in s.moves}
        assert set(content.MOVES) <= made, a.id
        # an alignment says which value, plan or vision it ties to, and that tie is the company's
        for s in a.sentences:
            if "alignment" in s.moves:
                assert s.note.split(":")[0].rstrip("s") in ("Value", "Plan", "Vision"), s.note


def test_alignment_notes_quote_the_companys_own_values_or_plans():
    def words(text: str) -> set[str]:
        return {w.strip(".,;:'\"").lower() for w in text.split() if len(w) > 4}

    for a in content.model_answers().answers:
        own = words(" ".join(a.company.values + a.company.plans))
        for s in a.sentences:
            if "alignment" in s.moves:
                assert words(s.note) & own, (a.id, s.note)


def test_the_rewrite_fixes_one_rubric_criterion_per_step_and_ends_strong():
    import itertools

    from course.speaking import count_words

    rewrite = content.model_answers().rewrite
    criteria = [step.criterion for step in rewrite.steps]
    assert len(criteria) == len(set(criteria)) >= 4
    assert set(criteria) <= set(content.rubric().ids)
    texts = [rewrite.draft] + [step.text for step in rewrite.steps]
    assert all(a != b for a, b in itertools.pairwise(texts))  # every step changes it
    assert 130 <= count_words(texts[-1]) <= 195
    assert count_words(rewrite.draft) < 130


def test_model_answers_cannot_be_changed_once_loaded():
    models = content.model_answers()
    with pytest.raises(TypeError):
        models.move_labels["aspiration"] = "changed"  # type: ignore[index]
    with pytest.raises(AttributeError):
        models.answers[0].name = "changed"  # type: ignore[misc]


MODEL = """moves: {aspiration: A, alignment: B, skills: C, goal: D, evidence: E, contribution: F}
answers:
  - id: demo
    persona: P
    name: N
    description: D
    company: northwind-health
    sentences:
      - text: WORDS
        moves: [aspiration, skills, goal, evidence, contribution]
      - text: We share a plan.
        moves: [alignment]
        note: "Plan: grow."
rewrite:
  id: r
  name: N
  description: D
  company: northwind-health
  draft: weak
  steps:
    - {criterion: aspiration, change: c, text: t}
""".replace("WORDS", " ".join(["word"] * 140))


@pytest.mark.parametrize(
    ("old", "new", "entry", "field", "problem"),
    [
        ("[alignment]", "[alignment, dream]", "demo.sentences[1]", "moves[1]", "unknown move"),
        ('        note: "Plan: grow."\n', "", "demo.sentences[1]", "note", "is missing"),
        ("skills, goal,", "goal,", "demo", "sentences", "no sentence makes the move skills"),
        ('["word"] * 140', None, "demo", "sentences", "words; a model answer has 130 to 195"),
        (
            "company: northwind-health\n    sentences",
            "company: nope\n    sentences",
            "demo",
            "company",
            "no shipped company 'nope'",
        ),
        (
            "criterion: aspiration",
            "criterion: charm",
            "rewrite.steps[0]",
            "criterion",
            "expected one of aspiration",
        ),
        ("id: demo", "id: 'two words'", "(top level).answers[0]", "id", "expected letters"),
    ],
)
def test_bad_model_answers_name_file_entry_and_field(old, new, entry, field, problem):
    import yaml

    text = MODEL.replace(" ".join(["word"] * 140), "Too short.") if new is None else MODEL
    if new is not None:
        assert old in text
        text = text.replace(old, new, 1)
    with pytest.raises(ContentError) as info:
        content.parse_model_answers(yaml.safe_load(text), "model_answers.yaml")
    assert info.value.file == "model_answers.yaml"
    assert (info.value.entry, info.value.field) == (entry, field)
    assert problem in str(info.value)


def test_a_good_model_answer_file_parses_and_both_company_and_profile_is_refused():
    import yaml

    data = yaml.safe_load(MODEL)
    parsed = content.parse_model_answers(data, "model_answers.yaml")
    assert parsed.answer("demo").company.name == "Northwind Health Analytics"
    with pytest.raises(KeyError):
        parsed.answer("nobody")
    data["answers"][0]["profile"] = yaml.safe_load(GOOD_COMPANY)
    with pytest.raises(ContentError, match="either company or profile") as info:
        content.parse_model_answers(data, "model_answers.yaml")
    assert info.value.field == "company"
    del data["answers"][0]["company"]
    assert content.parse_model_answers(data, "m.yaml").answers[0].company.name == "Acme"
    data["answers"][0]["profile"] = {"name": "Acme"}
    with pytest.raises(ContentError) as info:
        content.parse_model_answers(data, "m.yaml")
    assert (info.value.entry, info.value.field) == ("demo.profile", "industry")


# --------------------------------------------------------------------------- situations, follow-ups


def test_situations_cover_the_five_cases_and_point_to_model_answers():
    found = {s.id: s for s in content.situations()}
    assert {
        "career-gap",
        "career-change",
        "internship",
        "internal-promotion",
        "modest-speaker",
    } <= set(found)
    answers = {a.id: a for a in content.model_answers().answers}
    for s in found.values():
        assert s.advice and s.example.weak != s.example.strong and s.example.why
        assert s.model_answer in answers
    # every answer that claims a situation is pointed back to by that situation
    for a in answers.values():
        if a.situation:
            assert found[a.situation].model_answer == a.id


def test_bad_situations_and_guides_are_named():
    situation = {
        "id": "gap",
        "title": "t",
        "who": "w",
        "advice": ["a"],
        "example": {"weak": "w", "strong": "s", "why": "y"},
        "model_answer": "ghost",
    }
    with pytest.raises(ContentError) as info:
        content.parse_situations({"situations": [situation]}, "situations.yaml", {"graduate"})
    assert (info.value.entry, info.value.field) == ("gap", "model_answer")
    del situation["example"]["why"]
    with pytest.raises(ContentError) as info:
        content.parse_situations({"situations": [situation]}, "situations.yaml", {"ghost"})
    assert (info.value.entry, info.value.field) == ("gap.example", "why")

    guide = {
        "id": "g",
        "question": "Why us?",
        "guidance": ["g"],
        "model_reply": {"persona": "ghost", "text": "t"},
        "practice": "p",
    }
    with pytest.raises(ContentError) as info:
        content.parse_follow_up_guides({"guides": [guide]}, "follow_ups.yaml", {"graduate"})
    assert (info.value.entry, info.value.field) == ("g.model_reply", "persona")


def test_the_four_follow_ups_are_taught_and_drawn_by_the_deck():
    guides = {g.question: g for g in content.follow_up_guides()}
    assert set(guides) == {
        "Where do you see yourself in five years?",
        "Why this company?",
        "What would make you leave?",
        "What if this role doesn't lead there?",
    }
    deck = content.follow_up_questions()
    assert len(deck) == len(set(deck))
    for g in guides.values():
        assert len(g.guidance) >= 2 and g.reply and g.practice != g.question
        assert g.question in deck and g.practice in deck


def test_situations_page_quotes_the_notes_and_answers_as_they_are():
    page = (Path(__file__).resolve().parents[1] / "docs" / "situations.md").read_text("utf-8")
    models = content.model_answers()
    for s in content.situations():
        assert f"## {s.title}" in page and f'<a id="{s.id}"></a>' in page
        for text in (*s.advice, s.example.weak, s.example.strong, s.example.why):
            assert text in page, (s.id, text[:40])
        if s.model_answer:
            for sentence in models.answer(s.model_answer).sentences:
                assert sentence.text in page, (s.id, sentence.text[:40])
    guide = (Path(__file__).resolve().parents[1] / "docs" / "facilitator-guide.md").read_text(
        "utf-8"
    )
    for s in content.situations():
        assert f"situations.md#{s.id}" in guide  # the learner profiles point to every note
