"""Agendas from the outline: exact sums for every length, triad rotation, refusals, JSON shape."""

from __future__ import annotations

import json
import re

import pytest

from course.__main__ import main
from course.facilitator import agenda
from course.learner import content

LEAST = agenda.minimum_minutes()
ROUND = re.compile(r"Triad round (\d+) of (\d+): ([ABC]) answers, ([ABC]) asks, ([ABC]) observes")


def rounds(a: agenda.Agenda) -> list[agenda.Item]:
    return [item for item in a.items if ROUND.match(item.title)]


@pytest.mark.parametrize("minutes", range(LEAST, 241))
def test_minutes_sum_exactly_and_items_chain(minutes):
    a = agenda.build(minutes)
    assert sum(item.minutes for item in a.items) == minutes
    assert all(item.minutes > 0 for item in a.items)
    offset = 0
    for item in a.items:  # no gap, no overlap
        assert item.offset == offset
        offset += item.minutes
    assert {item.kind for item in a.items} <= set(agenda.KINDS)
    ids = {lesson.id for lesson in content.lessons()}
    assert all(item.lesson is None or item.lesson in ids for item in a.items)


@pytest.mark.parametrize("minutes", range(LEAST, 241, 7))
def test_triads_rotate_so_each_person_answers_once_per_cycle(minutes):
    found = rounds(agenda.build(minutes))
    assert len(found) % 3 == 0 and found
    lengths = {item.minutes for item in found}
    assert len(lengths) == 1 and 10 <= lengths.pop() <= 12
    for start in range(0, len(found), 3):
        roles = [ROUND.match(item.title).groups()[2:] for item in found[start : start + 3]]
        assert sorted(r[0] for r in roles) == ["A", "B", "C"]  # each answers once
        assert sorted(r[1] for r in roles) == ["A", "B", "C"]  # asks once
        assert sorted(r[2] for r in roles) == ["A", "B", "C"]  # observes once
        assert all(len(set(r)) == 3 for r in roles)  # three different people each round


def test_every_lesson_is_taught_in_every_format():
    ids = [lesson.id for lesson in content.lessons()]
    for minutes in (LEAST, 60, 90, 180, 240):
        taught = [item.lesson for item in agenda.build(minutes).items if item.kind == "teach"]
        assert taught == ids, minutes  # in outline order, once each


def test_formats_scale_sensibly():
    short, standard, half = agenda.build(60), agenda.build(90), agenda.build(180)
    assert (short.format, standard.format, half.format) == ("short", "standard", "half-day")
    # 60: compressed teaching, one triad cycle, no break
    assert len(rounds(short)) == 3
    assert short.totals()["teach"] < sum(lesson.teach_minutes for lesson in content.lessons())
    assert "break" not in short.totals()
    # 90: every lesson with practice gets notebook practice; still one cycle
    practised = {i.lesson for i in standard.items if i.kind == "practice"}
    assert practised >= {lesson.id for lesson in content.lessons()[1:-1]}
    assert len(rounds(standard)) == 3
    # 180: breaks, a graded slot for every graded lesson, more rounds and discussion
    kinds = half.totals()
    assert kinds["break"] >= 20
    graded = [i.lesson for i in half.items if i.kind == "exercise"]
    assert graded == [lesson.id for lesson in content.lessons() if lesson.exercise]
    assert len(rounds(half)) == 6
    assert kinds["discussion"] > standard.totals()["discussion"]
    assert kinds["teach"] > standard.totals()["teach"]


def test_below_the_minimum_is_refused_with_the_minimum_named():
    for minutes in (0, 10, LEAST - 1):
        with pytest.raises(agenda.AgendaError, match=rf"at least {LEAST} minutes"):
            agenda.build(minutes)
    with pytest.raises(agenda.AgendaError, match="two sessions"):
        agenda.build(agenda.MAX_MINUTES + 1)


def test_cli_refuses_with_exit_2_and_a_clear_message(capsys):
    assert main(["agenda", "--minutes", str(LEAST - 1)]) == 2
    err = capsys.readouterr().err
    assert "cannot hold the essentials" in err and str(LEAST) in err
    assert main(["agenda", "--minutes", "90", "--start", "9h30"]) == 2
    assert "HH:MM" in capsys.readouterr().err


def test_cli_json_shape_and_clock_start(capsys):
    assert main(["agenda", "--minutes", "90", "--json", "--start", "09:30"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["items"]
    items = data["items"]
    assert sum(item["minutes"] for item in items) == 90
    for item in items:
        assert set(item) == {"start", "minutes", "title", "kind", "lesson"}
        assert re.fullmatch(r"\d\d:\d\d", item["start"])
        assert isinstance(item["minutes"], int) and isinstance(item["title"], str)
        assert item["kind"] in agenda.KINDS
        assert item["lesson"] is None or isinstance(item["lesson"], str)
    assert items[0]["start"] == "09:30"
    # each start is the previous start plus its minutes, on the clock
    clock = 9 * 60 + 30
    for item in items:
        assert item["start"] == f"{clock // 60:02d}:{clock % 60:02d}"
        clock += item["minutes"]
    assert clock == 9 * 60 + 30 + 90


def test_cli_json_without_start_counts_from_zero(capsys):
    assert main(["agenda", "--minutes", "60", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert items[0]["start"] == "00:00"
    last = items[-1]
    hours, mins = map(int, last["start"].split(":"))
    assert hours * 60 + mins + last["minutes"] == 60


def test_human_table_lists_every_item_and_the_total(capsys):
    assert main(["agenda", "--minutes", "180", "--start", "13:00"]) == 0
    out = capsys.readouterr().out
    a = agenda.build(180, start="13:00")
    assert "13:00 to 16:00" in out
    for item in a.items:
        assert item.title in out
    assert "Total 180 minutes" in out


def test_clock_wraps_past_midnight():
    a = agenda.build(90, start="23:30")
    assert a.start_of(a.items[0]) == "23:30" and a.end == "01:00"


def test_a_changed_outline_still_sums_exactly():
    lessons = content.lessons()
    changed = tuple(
        content.Lesson(**{**lesson.__dict__, "teach_minutes": 20, "practice_minutes": 1})
        for lesson in lessons
    )
    assert agenda.minimum_minutes(changed) == LEAST  # the floors do not depend on the outline
    for minutes in (LEAST, 90, 150, 240):
        a = agenda.build(minutes, lessons=changed)
        assert sum(item.minutes for item in a.items) == minutes
    # with a long outline, the standard format gives teaching more room than before
    assert (
        agenda.build(140, lessons=changed).totals()["teach"] > agenda.build(140).totals()["teach"]
    )


@pytest.mark.parametrize("minutes", range(agenda.STANDARD_FROM, 241, 5))
def test_company_research_gets_at_least_ten_minutes_from_90_minutes_on(minutes):
    research = [
        i
        for i in agenda.build(minutes).items
        if i.lesson == agenda.RESEARCH and i.kind in ("teach", "practice")
    ]
    assert {i.kind for i in research} == {"teach", "practice"}
    assert sum(i.minutes for i in research) >= agenda.RESEARCH_MINUTES >= 10


def test_a_short_workshop_sets_research_as_pre_work_with_a_one_page_sheet():
    from pathlib import Path

    for minutes in (LEAST, 60, agenda.STANDARD_FROM - 1):
        research = [i for i in agenda.build(minutes).items if i.lesson == agenda.RESEARCH]
        assert len(research) == 1 and "pre-work" in research[0].title
        assert agenda.PRE_WORK_SHEET in research[0].title
    sheet = Path(__file__).resolve().parents[1] / agenda.PRE_WORK_SHEET
    text = sheet.read_text(encoding="utf-8")
    assert "vision and long-term goals" in text.lower() and "job description" in text
    assert len(text.split()) < 550, "the sheet fits on one page"


def graded_slots(a: agenda.Agenda) -> list[agenda.Item]:
    return [item for item in a.items if item.kind == "exercise"]


def test_the_90_minute_agenda_has_no_graded_slot_unless_asked():
    assert graded_slots(agenda.build(90)) == []
    a = agenda.build(90, graded="01")
    slots = graded_slots(a)
    assert [item.lesson for item in slots] == ["01-aspirations-vs-goals"]
    assert slots[0].minutes >= agenda.GRADED_MIN
    assert sum(item.minutes for item in a.items) == 90 and a.format == "standard"
    # right after its lesson's practice, before the next lesson is taught
    at = a.items.index(slots[0])
    assert a.items[at - 1].kind == "practice" and a.items[at - 1].lesson == slots[0].lesson
    assert "Graded exercise: 01-aspirations-vs-goals" in a.table()


@pytest.mark.parametrize("minutes", [LEAST + 8, 75, 90, 100, 120, 150, 180])
def test_graded_slots_follow_the_list_in_every_format_and_still_sum_exactly(minutes):
    a = agenda.build(minutes, graded=["01", "04-keep-it-relevant"])
    assert [item.lesson for item in graded_slots(a)] == [
        "01-aspirations-vs-goals",
        "04-keep-it-relevant",
    ]
    assert sum(item.minutes for item in a.items) == minutes
    assert all(item.minutes >= agenda.GRADED_MIN for item in graded_slots(a))
    research = sum(i.minutes for i in a.items if i.lesson == agenda.RESEARCH)
    assert a.format == "short" or research >= agenda.RESEARCH_MINUTES


def test_graded_slots_that_do_not_fit_or_do_not_exist_are_refused(capsys):
    with pytest.raises(agenda.AgendaError, match="no graded exercise '09'"):
        agenda.build(90, graded="09")
    assert agenda.minimum_minutes(graded="01,04") == LEAST + 2 * agenda.GRADED_MIN
    with pytest.raises(agenda.AgendaError, match="cannot hold"):
        agenda.build(LEAST + 1, graded="01,04")
    assert main(["agenda", "--minutes", "90", "--graded", "01", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [i["lesson"] for i in items if i["kind"] == "exercise"] == ["01-aspirations-vs-goals"]
