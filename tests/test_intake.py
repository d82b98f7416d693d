"""Hand-ins as they arrive: every shape of issue 17 is placed, or listed and never a learner."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from course.errors import KitError
from course.grader.intake import take_in, unpack_submissions
from course.grader.workshop import read_roster

A1, A2 = "01-aspirations-vs-goals", "02-research-the-company"
ASSIGNMENTS = [A1, A2, "05-draft-your-answer"]
ROSTER = [
    {"id": "alice", "first_name": "Alice", "last_name": "Smith", "email": "alice@example.org"},
    {"id": "bob", "first_name": "Bob", "last_name": "Jones"},
    {"id": "chloe", "first_name": "Chloé", "last_name": "Martin"},
]


def hand_in(learner: str, assignment: str = A1) -> dict[str, bytes]:
    return {
        f"{learner}/{assignment}/{assignment}.ipynb": b'{"nb": "%s"}' % learner.encode(),
        f"{learner}/{assignment}/{assignment}.answers.json": b'{"who": "%s"}' % learner.encode(),
    }


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def files(submitted: Path) -> list[str]:
    return sorted(p.relative_to(submitted).as_posix() for p in submitted.rglob("*") if p.is_file())


def take(source: Path, tmp_path: Path, **kw):
    return take_in(source, tmp_path / "sub", roster=ROSTER, assignments=ASSIGNMENTS, **kw)


def both(learner: str, assignment: str = A1) -> list[str]:
    return [
        f"{learner}/{assignment}/{assignment}.answers.json",
        f"{learner}/{assignment}/{assignment}.ipynb",
    ]


def test_a_plain_class_zip(tmp_path):
    source = make_zip(tmp_path / "class.zip", {**hand_in("alice"), **hand_in("bob")})
    intake = take(source, tmp_path)
    assert intake.learners == ["alice", "bob"] and not intake.unplaced
    assert files(tmp_path / "sub") == both("alice") + both("bob")


def test_one_wrapping_folder_is_stripped_and_never_becomes_a_learner(tmp_path):
    entries = {f"class/{k}": v for k, v in {**hand_in("alice"), **hand_in("bob")}.items()}
    intake = take(make_zip(tmp_path / "class.zip", entries), tmp_path)
    assert intake.learners == ["alice", "bob"]
    assert not (tmp_path / "sub" / "class").exists()


def test_a_single_learner_in_a_wrapped_class_zip(tmp_path):
    entries = {f"class/{k}": v for k, v in hand_in("alice").items()}
    assert take(make_zip(tmp_path / "c.zip", entries), tmp_path).learners == ["alice"]


def test_system_files_are_ignored(tmp_path):
    entries = {
        **hand_in("alice"),
        f"alice/{A1}/.DS_Store": b"x",
        "__MACOSX/alice/._x": b"x",
        f"alice/{A1}/Thumbs.db": b"x",
        ".DS_Store": b"x",
    }
    intake = take(make_zip(tmp_path / "class.zip", entries), tmp_path)
    assert intake.learners == ["alice"] and intake.ignored == 4 and not intake.unplaced
    assert files(tmp_path / "sub") == both("alice")
    assert "ignored 4 system files" in intake.report()


def test_names_with_spaces_or_accents_map_to_roster_ids(tmp_path):
    entries = {}
    for folder in ("Alice Smith", "chloé", "Bob.Jones"):
        entries.update(hand_in(folder))
    intake = take(make_zip(tmp_path / "class.zip", entries), tmp_path)
    assert intake.learners == ["alice", "bob", "chloe"] and not intake.unplaced
    assert intake.mapped == {"Alice Smith": "alice", "chloé": "chloe", "Bob.Jones": "bob"}
    assert "'chloé' is chloe on the roster" in intake.report()


def test_a_name_that_fits_nobody_is_listed_with_what_to_rename_and_is_not_a_learner(tmp_path):
    entries = {**hand_in("alice"), **hand_in("Zed Unknown"), **hand_in("alcie")}
    intake = take(make_zip(tmp_path / "class.zip", entries), tmp_path)
    assert intake.learners == ["alice"]
    assert sorted((tmp_path / "sub").iterdir()) == [tmp_path / "sub" / "alice"]
    report = intake.report()
    assert "'Zed Unknown' is not on the roster" in report
    assert "'alcie' is not on the roster (did you mean 'alice'?)" in report
    assert f"class.zip: Zed Unknown/{A1}/" in report, "names the file"


def test_without_a_roster_a_name_with_spaces_is_refused_with_a_safe_name_to_use(tmp_path):
    source = make_zip(tmp_path / "class.zip", {**hand_in("ann"), **hand_in("Ann Lee")})
    intake = take_in(source, tmp_path / "sub", assignments=ASSIGNMENTS)
    assert intake.learners == ["ann"]
    assert "rename 'Ann Lee' to 'ann-lee'" in intake.report()


def test_the_bundle_levels_inside_a_learner_folder_are_stripped(tmp_path):
    entries = {f"alice/learners/exercises/{A1}/{A1}.ipynb": b"{}", **hand_in("bob")}
    intake = take(make_zip(tmp_path / "class.zip", entries), tmp_path)
    assert intake.learners == ["alice", "bob"]
    assert (tmp_path / "sub" / "alice" / A1 / f"{A1}.ipynb").is_file()


def test_a_folder_of_per_learner_zips(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    make_zip(folder / "alice.zip", {k.split("/", 1)[1]: v for k, v in hand_in("alice").items()})
    bob = {f"learners/exercises/{k.split('/', 1)[1]}": v for k, v in hand_in("bob").items()}
    make_zip(folder / "Bob Jones.zip", bob)
    make_zip(folder / "chloé.zip", hand_in("Chloé Martin"))  # wrapped in her own name
    (folder / ".DS_Store").write_bytes(b"x")
    intake = take(folder, tmp_path)
    assert intake.learners == ["alice", "bob", "chloe"] and not intake.unplaced
    assert files(tmp_path / "sub") == both("alice") + both("bob") + both("chloe")


def test_the_apps_my_work_zip_renamed_or_not(tmp_path):
    """The learner app's "Download my work" saves my-work.zip: NN-name/ folders at the top."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    work = {k.split("/", 1)[1]: v for k, v in hand_in("x").items()}
    make_zip(folder / "Alice Smith.zip", work)
    make_zip(folder / "my-work (1).zip", work)
    intake = take(folder, tmp_path)
    assert intake.learners == ["alice"]
    assert "a my-work.zip nobody renamed" in intake.report()
    alone = take(folder / "my-work (1).zip", tmp_path, learner="bob")
    assert alone.learners == ["bob"]


def test_a_class_zip_of_learner_zips(tmp_path):
    inner = tmp_path / "alice.zip"
    make_zip(inner, {k.split("/", 1)[1]: v for k, v in hand_in("alice").items()})
    source = make_zip(tmp_path / "class.zip", {"hand-ins/alice.zip": inner.read_bytes()})
    assert take(source, tmp_path).learners == ["alice"]


def test_a_single_learners_zip_needs_learner_and_then_is_theirs(tmp_path):
    entries = {
        f"learners/exercises/{A1}/{A1}.ipynb": b"{}",
        f"learners/exercises/{A1}/{A1}.answers.json": b"{}",
    }
    source = make_zip(tmp_path / "handin.zip", entries)
    without = take(source, tmp_path)
    assert without.learners == [] and "--learner ID" in without.report()
    assert not (tmp_path / "sub").exists() or not any((tmp_path / "sub").iterdir())
    intake = take(source, tmp_path, learner="Alice Smith")
    assert intake.learners == ["alice"]
    assert files(tmp_path / "sub") == both("alice")
    with pytest.raises(KitError, match="not on the roster"):
        take(source, tmp_path, learner="nobody")


def test_the_learners_bundle_passed_by_mistake_is_named_as_such(tmp_path):
    entries = {
        "learners/README.txt": b"x",
        "learners/career_aspirations_kit-0.1.0-py3-none-any.whl": b"x",
        f"learners/exercises/{A1}/{A1}.ipynb": b"{}",
    }
    intake = take(make_zip(tmp_path / "learners.zip", entries), tmp_path)
    assert intake.learners == []
    assert "this is the learners' bundle" in intake.report()


def test_renamed_folders_and_copied_files_are_flagged_as_renamed_not_missing(tmp_path):
    entries = {
        f"alice/{A1} (1)/{A1}.ipynb": b"{}",
        f"alice/{A1} (1)/{A1} (1).answers.json": b'{"v": 1}',
        "bob/Exercise 2/Untitled.ipynb": b"{}",
        f"bob/Exercise 2/{A2}.answers.json": b"{}",
        f"chloe/{A1}.ipynb": b"{}",  # no exercise folder at all
        f"chloe/{A1}.answers.json": b"{}",
    }
    intake = take(make_zip(tmp_path / "class.zip", entries), tmp_path)
    assert not intake.unplaced
    assert files(tmp_path / "sub") == both("alice") + both("bob", A2) + both("chloe")
    report = intake.report()
    assert f"alice: folder '{A1} (1)' taken as {A1}" in report
    assert f"'{A1} (1).answers.json' taken as '{A1}.answers.json'" in report
    assert f"'Untitled.ipynb' taken as '{A2}.ipynb'" in report


def test_of_two_copies_the_newer_answers_file_is_kept_and_said(tmp_path):
    path = tmp_path / "class.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo(f"alice/{A1}/{A1} (1).answers.json", (2026, 5, 2, 10, 0, 0)), b"new"
        )
        archive.writestr(
            zipfile.ZipInfo(f"alice/{A1}/{A1}.answers.json", (2026, 5, 1, 10, 0, 0)), b"old"
        )
    intake = take(path, tmp_path)
    assert (tmp_path / "sub" / "alice" / A1 / f"{A1}.answers.json").read_bytes() == b"new"
    assert "kept the newer" in intake.report()


def test_unsafe_entries_still_refuse_the_whole_source(tmp_path):
    source = make_zip(tmp_path / "bad.zip", {**hand_in("alice"), "../escape/01/x.ipynb": b"x"})
    with pytest.raises(KitError, match=r"'\.\.'"):
        take(source, tmp_path)
    assert not (tmp_path / "sub").exists()


def test_unpack_submissions_refuses_whole_with_the_list_when_something_cannot_be_placed(tmp_path):
    source = make_zip(tmp_path / "class.zip", {**hand_in("ann"), **hand_in("Ann Lee")})
    with pytest.raises(KitError, match="nothing taken in") as caught:
        unpack_submissions(source, tmp_path / "sub")
    assert "rename 'Ann Lee'" in str(caught.value)
    assert not (tmp_path / "sub").exists() or not any((tmp_path / "sub").iterdir())
    wrapped = make_zip(tmp_path / "w.zip", {f"class/{k}": v for k, v in hand_in("ann").items()})
    assert unpack_submissions(wrapped, tmp_path / "sub") == ["ann"]


# --------------------------------------------------------------------------- rosters


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", "id,first_name,last_name,email\nann,Ann,Lee,ann@x.org\nchloé,,,\n"),
        ("utf-8-sig", "ID;First name;Last name;Email\nann;Ann;Lee;ann@x.org\nchloé;;;\n"),
        (
            "cp1252",
            "Student ID\tFirst Name\tSurname\tE-mail\nann\tAnn\tLee\tann@x.org\nchloé\t\t\t\n",
        ),
    ],
    ids=["utf8-comma", "bom-semicolon", "windows1252-tab"],
)
def test_rosters_as_spreadsheets_save_them(tmp_path, encoding, text):
    path = tmp_path / "roster.csv"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    learners = read_roster(path)
    assert learners[0] == {
        "id": "ann",
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann@x.org",
    }
    assert learners[1] == {"id": "chloe", "first_name": "chloé"}, "a safe id, the name kept"


def test_a_roster_of_names_and_emails_only(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("Name,Email\nAnn Lee,ann.lee@x.org\nBo Chen,\n", encoding="utf-8")
    assert read_roster(path) == [
        {"id": "ann.lee", "first_name": "Ann", "last_name": "Lee", "email": "ann.lee@x.org"},
        {"id": "bo-chen", "first_name": "Bo", "last_name": "Chen"},
    ]


def test_duplicate_ids_and_missing_id_columns_are_refused_with_lines(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("id\nann\nbo\nann\n", encoding="utf-8")
    with pytest.raises(KitError, match="'ann' on lines 2, 4"):
        read_roster(path)
    path.write_text("colour\nred\n", encoding="utf-8")
    with pytest.raises(KitError, match="header such as ID"):
        read_roster(path)


def test_roster_changes_add_rename_remove():
    from course.grader.workshop import roster_changes

    old = [
        {"id": "alcie", "first_name": "Alice", "last_name": "Smith"},
        {"id": "bob"},
        {"id": "zed"},
    ]
    new = [
        {"id": "alice", "first_name": "Alice", "last_name": "Smith"},
        {"id": "bob", "email": "b@x"},
        {"id": "dan"},
    ]
    changes = roster_changes(old, new)
    assert changes == {
        "added": ["dan"],
        "renamed": [("alcie", "alice")],
        "removed": ["zed"],
        "updated": ["bob"],
    }


def test_which_exercises_count_is_chosen_by_number_or_name():
    from course.grader.workshop import choose_exercises

    names = ASSIGNMENTS
    assert choose_exercises(names, None) == names == choose_exercises(names, "all")
    assert choose_exercises(names, "5, 1") == [A1, "05-draft-your-answer"]
    assert choose_exercises(names, [A2]) == [A2]
    with pytest.raises(KitError, match="no exercise '09'"):
        choose_exercises(names, "01,09")


# --------------------------------------------------------------------------- LMS rosters

#: Canvas's gradebook export as downloaded (Grades > Export > Export Entire Gradebook): a BOM,
#: a "Manual Posting" row, the "    Points Possible" row, "Last, First" names, the Test Student.
CANVAS_EXPORT = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Career aspirations 01 (4123),"
    "Current Score,Final Score\r\n"
    ",,,,,Manual Posting,,\r\n"
    "    Points Possible,,,,,12.00,(read only),(read only)\r\n"
    '"Smith, Jane",4521,S0012,jsmith,Careers A,10.00,83.33,83.33\r\n'
    '"López, Ana María",4522,S0013,ana.lopez@uni.example,Careers A,,0.00,0.00\r\n'
    '"Nguyen, Bo",4523,,,Careers A,6.00,50.00,50.00\r\n'
    '"Student, Test",4599,,9f86d081884c7d65,Careers A,,,\r\n'
)


def test_a_canvas_gradebook_export_is_read_as_a_roster(tmp_path):
    path = tmp_path / "2026-12-01T1200_Grades-CAREERS_101.csv"
    path.write_bytes(CANVAS_EXPORT.encode("utf-8"))
    assert read_roster(path) == [
        {"id": "jsmith", "first_name": "Jane", "last_name": "Smith"},
        {
            "id": "ana.lopez@uni.example",
            "first_name": "Ana María",
            "last_name": "López",
            "email": "ana.lopez@uni.example",
        },
        {"id": "4523", "first_name": "Bo", "last_name": "Nguyen"},  # no SIS login: Canvas's ID
    ]
    # Hand-in folders named as learners would name them find their Canvas learner.
    from course.grader.intake import match_learner

    roster = read_roster(path)
    assert match_learner("Jane Smith", roster)[0] == "jsmith"
    assert match_learner("ana.lopez", roster)[0] == "ana.lopez@uni.example"
    assert match_learner("Bo Nguyen", roster)[0] == "4523"


def test_a_canvas_export_saved_again_by_excel_is_read_the_same(tmp_path):
    """Excel in Europe saves with semicolons and in Windows-1252, and drops the BOM."""
    path = tmp_path / "grades.csv"
    text = CANVAS_EXPORT.removeprefix("\ufeff").replace(",", ";").replace("; ", ", ")
    path.write_bytes(text.replace('"López, Ana María"', "López").encode("cp1252"))
    learners = read_roster(path)
    assert [e["id"] for e in learners] == ["jsmith", "ana.lopez@uni.example", "4523"]
    assert learners[1]["first_name"] == "López" and "last_name" not in learners[1]


def test_a_moodle_grade_export_is_read_as_a_roster(tmp_path):
    """Grades > Export > Plain text file: no username column, so the id is the email's name."""
    path = tmp_path / "CAREERS Grades.csv"
    path.write_text(
        '"First name","Last name","ID number",Institution,Department,"Email address",'
        '"Assignment: 01 (Real)","Last downloaded from this course"\n'
        "Jane,Smith,,,,jane.smith@uni.example,10.00,1764590400\n"
        "Ana María,López,S0013,Uni,Careers,ana.lopez@uni.example,-,1764590400\n",
        encoding="utf-8",
    )
    assert read_roster(path) == [
        {
            "id": "jane.smith",
            "first_name": "Jane",
            "last_name": "Smith",
            "email": "jane.smith@uni.example",
        },
        {
            "id": "ana.lopez",
            "first_name": "Ana María",
            "last_name": "López",
            "email": "ana.lopez@uni.example",
        },
    ]


def test_what_a_roster_reader_cannot_use_is_named_with_the_file_and_line(tmp_path):
    path = tmp_path / "canvas.csv"
    # A name over two lines and a blank line: the duplicate is reported on the file's own lines.
    path.write_text(
        CANVAS_EXPORT.split("\r\n", 1)[0]
        + '\r\n    Points Possible,,,,,12.00,,\r\n"Smith, Jane",4521,S0012,jsmith,A,1,,\r\n'
        + '"Ana\nLópez",4522,,ana,A,,,\r\n\r\n"Smith, J.",4530,,jsmith,A,,,\r\n',
        encoding="utf-8",
    )
    with pytest.raises(KitError, match=r"canvas.csv: the same learner id twice \('jsmith' on "):
        read_roster(path)
    with pytest.raises(KitError, match="'jsmith' on lines 3, 7"):
        read_roster(path)
    workbook = tmp_path / "roster.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40)
    with pytest.raises(KitError, match=r"roster.xlsx is a spreadsheet workbook .* 'CSV UTF-8'"):
        read_roster(workbook)
    path.write_text("Student,Notes\r\nJane,\r\n", encoding="utf-8")
    with pytest.raises(KitError, match=r"canvas.csv: no learner id column.*'Student', 'Notes'"):
        read_roster(path)


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n", "\u2028"])
def test_a_line_break_in_a_roster_name_becomes_one_space(tmp_path, newline):
    path = tmp_path / "roster.csv"
    path.write_text(
        f'ID,First name,Last name\r\nana,"Ana{newline}",López\r\n'
        f'layla,"ليلى","  حداد{newline}الأحمد "\r\nbo,Bo,Chen\r\n',
        encoding="utf-8",
        newline="",
    )
    assert read_roster(path) == [
        {"id": "ana", "first_name": "Ana", "last_name": "López"},
        {"id": "layla", "first_name": "ليلى", "last_name": "حداد الأحمد"},
        {"id": "bo", "first_name": "Bo", "last_name": "Chen"},
    ]


def test_hand_in_folders_with_a_line_break_or_in_a_right_to_left_script(tmp_path):
    """A zip can name a folder 'Ana\\nLópez'; folders named in Arabic match the roster's names."""
    roster = [
        {"id": "ana", "first_name": "Ana", "last_name": "López"},
        {"id": "layla", "first_name": "ليلى", "last_name": "حداد"},
        {"id": "sami", "first_name": "سامي", "last_name": "نصر"},
    ]
    entries = {**hand_in("Ana\nLópez"), **hand_in("ليلى حداد"), **hand_in("نصر سامي")}
    source = make_zip(tmp_path / "class.zip", entries)
    intake = take_in(source, tmp_path / "sub", roster=roster, assignments=ASSIGNMENTS)
    assert intake.learners == ["ana", "layla", "sami"] and not intake.unplaced
    assert intake.mapped == {"Ana\nLópez": "ana", "ليلى حداد": "layla", "نصر سامي": "sami"}
    assert "'Ana\\nLópez' is ana on the roster" in intake.report()
    # Without a roster: refused, and the terminal's report keeps every entry on one line.
    intake = take_in(source, tmp_path / "other", assignments=ASSIGNMENTS)
    report = intake.report()
    assert intake.learners == [] and len(report.splitlines()) == 5
    assert f"  - 'class.zip: Ana\\nLópez/{A1}/{A1}.ipynb' and 1 more: " in report
    assert "rename 'Ana\\nLópez' to 'ana-lopez'" in report
    assert "rename 'ليلى حداد' to an id in Latin letters, such as the learner's email" in report
