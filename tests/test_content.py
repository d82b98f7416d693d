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
