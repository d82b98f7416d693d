"""The prep sheet from a simulated learner: sections, escaping, new exercises, zip round trip."""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course import coach
from course.__main__ import main
from course.learner import content, prepsheet, profile
from course.learner.answers import SCHEMA, AnswerStore

SCRIPT = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'
DRAFT = (
    "In the long run I want to lead analytics work that helps health services prevent illness. "
    f"{SCRIPT}\n\nThis analyst role at Northwind would build my SQL and communication skills, "
    "and your plan to expand into preventive-care analytics is where I want to grow. On my "
    "placement I built a dashboard that practice managers used every week. I would bring that "
    "curiosity to your team and take on more responsibility as I learn."
)
ASPIRATION = "Become someone teams trust to turn messy data into decisions </dd><b>x</b>"


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


@pytest.fixture
def learner(tmp_path: Path) -> Path:
    """A learner's notebooks folder with answers in every lesson, written through AnswerStore."""
    folder = tmp_path / "notebooks"
    goals = AnswerStore("01-aspirations-vs-goals", folder)
    goals.set(
        "stepping-stone",
        {
            "aspiration": ASPIRATION,
            "goal": "Finish a data analytics certificate",
            "months": "6",
            "measure": "Certificate passed",
        },
    )
    statements = content.classify_set("classify-statements").items
    goals.set("classify-statements", {statements[0].id: statements[0].label})
    research = AnswerStore("02-research-the-company", folder)
    research.set("company-choice", "own")
    research.set(
        "company-profile",
        {
            "name": f"Northwind {SCRIPT}",
            "industry": "healthcare analytics",
            "role": "Junior Data Analyst",
            "values": "patient privacy comes first\ncuriosity and evidence",
            "plans": "expand into preventive-care analytics",
            "skills": "SQL",
        },
    )
    align = AnswerStore("03-align-your-aspirations", folder)
    align.set(
        "my-aspirations",
        {"aspiration-1": "Lead preventive-care analytics", "evidence": "Built a dashboard"},
    )
    company = profile.company_from_answers(folder)
    rows = profile.matrix_rows(align.get("my-aspirations"))
    columns = profile.matrix_columns(company)
    align.set("alignment-matrix", {rows[0][0]: {columns[2][0]: 2}})
    AnswerStore("05-draft-your-answer", folder).set("draft-answer", DRAFT)
    practice = AnswerStore("06-practice-and-reflect", folder)
    practice.set(
        "peer-feedback", {"strength-what": "Clear aspiration", "strengthen": "Add a number"}
    )
    practice.set("reflection", {"change": "Move the example to the middle"})
    practice.set("a-new-exercise", {"nested": {"items": [1, 2.5, True, None]}, "note": SCRIPT})
    graded = folder / "exercises" / "01-aspirations-vs-goals"
    AnswerStore("01-aspirations-vs-goals", graded).set("graded-q1", "goal")
    return folder


def test_sheet_holds_every_section_from_the_learners_answers(learner):
    page = prepsheet.render(learner)
    assert html.escape(ASPIRATION) in page
    assert "Finish a data analytics certificate" in page
    assert "patient privacy comes first" in page and "Junior Data Analyst" in page
    # alignment: the strong overlap is listed to lead with
    assert "Lead with these overlaps" in page
    overlap = "<bdi>Lead preventive-care analytics</bdi> <b>↔</b> <bdi>plan: expand"
    assert overlap in page  # learner text beside the kit's words is isolated (right-to-left)
    # the final answer, escaped, with its coach score and tips
    draft_html = html.escape(DRAFT.strip())
    assert draft_html in page
    analysis = coach.analyze(DRAFT, company=profile.company_from_answers(learner)).to_dict()
    assert f"Coach score {analysis['score']} / 18" in page
    shown = html.unescape(page)  # what a browser shows, whichever escaping was used
    for tip in analysis["tips"][:6]:
        assert f"<li>{tip}</li>" in shown
    for criterion in content.rubric().criteria:
        assert f"<b>{criterion.name}</b>" in page
    # practice notes carry the form's labels from forms.yaml
    labels = {f.id: f.label for f in content.form("peer-feedback").fields}
    assert f"<dt>{labels['strength-what']}</dt>" in shown and "Clear aspiration" in page
    assert "Move the example to the middle" in page


def test_learner_text_is_always_escaped(learner):
    page = prepsheet.render(learner)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "</dd><b>x</b>" not in page
    assert html.escape(SCRIPT) in page  # shown as text, not dropped
    # the only script on the page is the kit's own print button handler
    assert re.findall(r"<script", page, re.IGNORECASE) == []


def test_unknown_exercises_show_up_readably(learner):
    page = prepsheet.render(learner)
    more = page[page.index('id="more-of-your-work"') :]
    assert "A new exercise" in more and "a-new-exercise" in more
    assert "<li>2.5</li>" in more and "<li>yes</li>" in more and "(empty)" in more
    assert "graded-q1" in more and "exercises/01-aspirations-vs-goals/" in more
    # content-aware: a classify answer shows the statement, not its id
    first = content.classify_set("classify-statements").items[0]
    assert html.escape(first.text) in more
    # no Python reprs anywhere
    for repr_bit in ("{'", "['", "None", "True", "False"):
        assert repr_bit not in page
    # known answers are not repeated in the generic section
    assert "Finish a data analytics certificate" not in more


def test_phone_and_print_ready(learner):
    page = prepsheet.render(learner)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page and "@media (max-width: 640px)" in page
    assert "http://" not in page and "https://" not in page  # works offline, nothing fetched


def test_revised_answer_in_lesson_06_wins_over_the_draft(learner):
    AnswerStore("06-practice-and-reflect", learner).set("revised-answer", "My revised answer.")
    page = prepsheet.render(learner)
    answer = page[page.index('id="your-answer"') :]
    assert "My revised answer." in answer and "From lesson 06 (revised)." in answer


def test_empty_and_missing_folders(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "sheet.html"
    assert main(["prep-sheet", str(empty), "-o", str(out)]) == 0
    assert "No answers found yet" in out.read_text(encoding="utf-8")
    assert "No answers files" in capsys.readouterr().out
    assert main(["prep-sheet", str(tmp_path / "nope"), "-o", str(out)]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert main(["prep-sheet", str(empty), "-o", str(tmp_path / "sheet.pdf")]) == 2
    assert "*.html" in capsys.readouterr().err


def test_corrupt_file_is_reported_and_kept(learner):
    bad = learner / "04-keep-it-relevant.answers.json"
    bad.write_text("{not json", encoding="utf-8")
    page = prepsheet.render(learner)
    assert "Some answers could not be read" in page and "04-keep-it-relevant" in page
    assert list(learner.glob("04-keep-it-relevant.answers.json.bak-*"))  # nothing lost
    assert html.escape(DRAFT.strip()) in page  # the rest of the sheet is still made


def test_huge_answer_is_shortened_on_the_sheet(learner):
    AnswerStore("05-draft-your-answer", learner).set("notes", "word " * 200_000)
    page = prepsheet.render(learner)
    assert len(page) < 200_000
    assert "more characters not shown" in page


def test_zip_round_trips_to_another_machine(learner, tmp_path, capsys):
    out = tmp_path / "out" / "prep-sheet.html"
    assert main(["prep-sheet", str(learner), "-o", str(out), "--zip"]) == 0
    assert "unzip" in capsys.readouterr().out
    packed = out.with_suffix(".zip")
    with zipfile.ZipFile(packed) as archive:
        names = archive.namelist()
        assert "RESTORE.txt" in names and "notebooks/" in archive.read("RESTORE.txt").decode()
        for name in names:
            assert not name.startswith("/") and ".." not in Path(name).parts
        elsewhere = tmp_path / "other-machine" / "notebooks"
        archive.extractall(elsewhere)
    originals = {f.relative: f.answers for f in prepsheet.gather(learner)}
    restored = {f.relative: f.answers for f in prepsheet.gather(elsewhere)}
    assert restored == originals and len(originals) == 6
    # the restored files are ordinary answers files: the lessons read them back
    store = AnswerStore("05-draft-your-answer", elsewhere)
    assert store.get("draft-answer") == DRAFT
    raw = json.loads((elsewhere / "05-draft-your-answer.answers.json").read_text("utf-8"))
    assert raw["schema"] == SCHEMA and raw["notebook"] == "05-draft-your-answer"
    assert html.escape(DRAFT.strip()) in prepsheet.render(elsewhere)


def test_button_writes_the_sheet_and_links_it(learner, monkeypatch):
    monkeypatch.chdir(learner)
    box = prepsheet.prep_sheet_button(".")
    assert box.button.description == "Make my prep sheet"
    assert box.html == "" and box.output.outputs == ()
    box.button.click()
    assert (learner / "prep-sheet.html").exists() and (learner / "prep-sheet.zip").exists()
    # Relative links, shown as rich output so JupyterLab resolves them to files/<path>.
    assert 'href="prep-sheet.html"' in box.html
    assert 'href="prep-sheet.zip"' in box.html and " download>" in box.html
    (shown,) = box.output.outputs
    assert shown["data"]["text/html"] == box.html
    assert "prep-sheet.html" in shown["data"]["text/plain"]
    assert html.escape(DRAFT.strip()) in (learner / "prep-sheet.html").read_text("utf-8")
    # And the files themselves, as data: links that save them where no file server reaches
    # (the learner app serves no HTML or zip files).
    copies = re.findall(r'href="data:([\w/]+);base64,([^"]+)" download="([^"]+)"', box.html)
    assert {(mime, name) for mime, _data, name in copies} == {
        ("text/html", "prep-sheet.html"),
        ("application/zip", "prep-sheet.zip"),
    }
    for _mime, data, name in copies:
        assert base64.b64decode(data) == (learner / name).read_bytes()


def test_button_keeps_its_own_width(learner):
    box = prepsheet.prep_sheet_button(learner)
    assert box.layout.align_items == "flex-start"  # a VBox would stretch it across the cell
    assert box.button.layout.width == "auto"


def test_button_reports_a_failure_without_raising(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    box = prepsheet.prep_sheet_button(tmp_path / "missing")
    box.button.click()
    assert "Could not make the prep sheet" in box.html
    assert "Could not make the prep sheet" in box.output.outputs[0]["data"]["text/plain"]


def test_hidden_folders_and_backups_are_not_gathered(learner):
    hidden = learner / ".ipynb_checkpoints"
    AnswerStore("05-draft-your-answer", hidden).set("draft-answer", "an old checkpoint copy")
    AnswerStore("05-draft-your-answer", learner).reset("draft-answer")  # leaves a .bak-* file
    relatives = [f.relative for f in prepsheet.gather(learner)]
    assert not any(".ipynb_checkpoints" in r or ".bak-" in r for r in relatives)
    assert "an old checkpoint copy" not in prepsheet.render(learner)


def test_a_practice_company_is_named_and_marked_fictional(learner):
    company_id, company = next(iter(content.companies().items()))
    AnswerStore("02-research-the-company", learner).set("company-choice", company_id)
    page = prepsheet.render(learner)
    research = page[page.index('id="company-research"') : page.index('id="alignment"')]
    assert html.escape(company.name) in research and "fictional, for practice" in research
    assert html.escape(company.values[0]) in research
    assert "Northwind &lt;script&gt;" not in research  # the worksheet is not the chosen profile


def test_right_to_left_text_beside_the_kits_words_is_isolated(learner):
    AnswerStore("02-research-the-company", learner).set(
        "company-profile", {"name": "شركة الأمل", "role": "محلل بيانات 2"}
    )
    page = prepsheet.render(learner)
    assert "For: <b><bdi>محلل بيانات 2 at شركة الأمل</bdi></b>" in page
    assert "Role: <b><bdi>محلل بيانات 2</bdi></b>" in page


def test_a_lesson_importing_the_button_loads_no_template_engine_or_coach():
    code = (
        "import sys, course.learner.prepsheet\n"
        "print([m for m in ('jinja2', 'markupsafe', 'course.coach') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
